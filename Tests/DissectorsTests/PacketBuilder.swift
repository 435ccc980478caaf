import Dissectors

/// Builds byte-exact frames for tests (lengths computed, checksums zero).
enum Build {
    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    static func ethernet(type: UInt16, src: [UInt8] = [0x02, 0, 0, 0, 0, 1], dst: [UInt8] = [0x02, 0, 0, 0, 0, 2],
                         vlans: [(UInt16, UInt16)] = [], _ payload: [UInt8]) -> [UInt8] {
        var b = dst + src
        for (tpid, tci) in vlans { b += be16(tpid) + be16(tci) }
        return b + be16(type) + payload
    }

    static func ipv4(src: [UInt8] = [192, 0, 2, 1], dst: [UInt8] = [198, 51, 100, 7], proto: UInt8, ttl: UInt8 = 64,
                     id: UInt16 = 0x1234, flags: UInt16 = 0, options: [UInt8] = [], totalLength: Int? = nil, _ payload: [UInt8]) -> [UInt8] {
        let ihl = 20 + options.count
        let total = totalLength ?? (ihl + payload.count)
        var b: [UInt8] = [UInt8(0x40 | (ihl / 4)), 0]
        b += be16(UInt16(total)) + be16(id) + be16(flags) + [ttl, proto, 0, 0] + src + dst + options
        return b + payload
    }

    static let v6src: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    static let v6dst: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]

    static func ipv6(src: [UInt8] = v6src, dst: [UInt8] = v6dst, next: UInt8, hopLimit: UInt8 = 64,
                     payloadLength: Int? = nil, _ payload: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + be16(UInt16(payloadLength ?? payload.count)) + [next, hopLimit] + src + dst + payload
    }

    /// An IPv6 extension header with the given body padded to a multiple of 8 bytes (2-byte header included).
    static func ext(next: UInt8, body: [UInt8] = [0, 0, 0, 0, 0, 0]) -> [UInt8] {
        var b = body
        while (b.count + 2) % 8 != 0 { b.append(0) }
        return [next, UInt8((b.count + 2) / 8 - 1)] + b
    }

    static func fragment(next: UInt8, offset: Int, more: Bool, id: UInt32) -> [UInt8] {
        [next, 0] + be16(UInt16(offset) | (more ? 1 : 0)) + be32(id)
    }

    static func udp(_ sp: UInt16, _ dp: UInt16, length: Int? = nil, _ payload: [UInt8]) -> [UInt8] {
        be16(sp) + be16(dp) + be16(UInt16(length ?? 8 + payload.count)) + [0, 0] + payload
    }

    static func tcp(_ sp: UInt16, _ dp: UInt16, seq: UInt32 = 1000, ack: UInt32 = 0, flags: UInt16 = 0x18, _ payload: [UInt8]) -> [UInt8] {
        be16(sp) + be16(dp) + be32(seq) + be32(ack) + be16(0x5000 | flags) + be16(65535) + [0, 0, 0, 0] + payload
    }

    /// A DNS query for `name` type A (id 0x1234).
    static func dnsQuery(_ name: String, id: UInt16 = 0x1234, type: UInt16 = 1) -> [UInt8] {
        var b = be16(id) + [0x01, 0x00] + be16(1) + be16(0) + be16(0) + be16(0)
        for label in name.split(separator: ".") { b.append(UInt8(label.utf8.count)); b += Array(label.utf8) }
        return b + [0] + be16(type) + be16(1)
    }
}

/// Runs `body` with a Packet over `bytes` (the view lives only inside the closure).
func withPacket<R>(_ bytes: [UInt8], link: LinkType = .ethernet, frame: Int = 1, time: Int64 = 1_000_000_000,
                   _ body: (Packet) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes { raw in
        try body(Packet(frameNumber: frame, linkType: link, timestampNanoseconds: time,
                        originalLength: bytes.count, bytes: ByteView(raw)))
    }
}

extension Dissector {
    /// Dissects and returns the protocols string and a copy of the dissection (views die after the call).
    mutating func run(_ bytes: [UInt8], link: LinkType = .ethernet, frame: Int = 1, time: Int64 = 1_000_000_000) -> Dissection {
        withPacket(bytes, link: link, frame: frame, time: time) { dissect($0) }
    }
}

extension Dissector {
    /// Dissects and builds the output record while the packet's views are alive
    /// (the copy `run` returns holds views into freed bytes: read only stored values from it).
    mutating func runRecord(_ bytes: [UInt8], frame: Int = 1) -> (Dissection, DissectionRecord) {
        withPacket(bytes, frame: frame) { p in
            let d = dissect(p)
            return (d, DissectionRecord(d, interfaceName: nil))
        }
    }
}

extension Dissection {
    var tokens: String { protocolsString }
    var noteTexts: [String] { notes.map { "\($0)" } }
}
