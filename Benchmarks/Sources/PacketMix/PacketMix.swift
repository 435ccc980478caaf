import Dissectors

/// A realistic in-memory mix of small packets (Ethernet/IPv4/UDP DNS, STUN,
/// TCP, IPv6, WireGuard ...), stored contiguously and viewed as `Packet`s.
public final class PacketMix {
    public let storage: UnsafeMutableRawBufferPointer
    public let packets: [Packet]
    public let frames: [[UInt8]]

    public init(count: Int = 1024, reassembly: Bool = false) {
        let templates = reassembly ? PacketMix.reassemblyTemplates() : PacketMix.templates()
        var frames: [[UInt8]] = []
        for i in 0..<count { frames.append(templates[i % templates.count]) }
        self.frames = frames
        let total = frames.reduce(0) { $0 + $1.count }
        storage = .allocate(byteCount: total, alignment: 16)
        var packets: [Packet] = []
        var offset = 0
        for (i, f) in frames.enumerated() {
            let dst = UnsafeMutableRawBufferPointer(rebasing: storage[offset ..< offset + f.count])
            dst.copyBytes(from: f)
            packets.append(Packet(frameNumber: i + 1, linkType: .ethernet, timestampNanoseconds: 1_700_000_000_000_000_000 + Int64(i) * 1000,
                                  originalLength: f.count, bytes: ByteView(UnsafeRawBufferPointer(dst))))
            offset += f.count
        }
        self.packets = packets
    }

    deinit { storage.deallocate() }

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { be16(UInt16(v >> 16)) + be16(UInt16(v & 0xFFFF)) }
    static func eth(_ type: UInt16, _ p: [UInt8]) -> [UInt8] { [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1] + be16(type) + p }
    static func ipv4(_ proto: UInt8, _ p: [UInt8]) -> [UInt8] {
        [0x45, 0] + be16(UInt16(20 + p.count)) + [0x12, 0x34, 0x40, 0, 64, proto, 0, 0, 192, 0, 2, 1, 198, 51, 100, 7] + p
    }
    static func ipv6(_ next: UInt8, _ p: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + be16(UInt16(p.count)) + [next, 64]
            + [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
            + [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2] + p
    }
    static func udp(_ s: UInt16, _ d: UInt16, _ p: [UInt8]) -> [UInt8] { be16(s) + be16(d) + be16(UInt16(8 + p.count)) + [0, 0] + p }
    static func tcp(_ s: UInt16, _ d: UInt16, flags: UInt8, _ p: [UInt8]) -> [UInt8] {
        be16(s) + be16(d) + be32(1000) + be32(2000) + [0x50, flags] + be16(65535) + [0, 0, 0, 0] + p
    }
    static func dns(_ name: String) -> [UInt8] {
        var b: [UInt8] = [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        for l in name.split(separator: ".") { b.append(UInt8(l.utf8.count)); b += Array(l.utf8) }
        return b + [0, 0, 1, 0, 1]
    }

    public static func templates() -> [[UInt8]] {
        let stun: [UInt8] = [0, 1, 0, 8, 0x21, 0x12, 0xA4, 0x42] + Array(repeating: 7, count: 12) + [0x80, 0x28, 0, 4, 1, 2, 3, 4]
        let wgData: [UInt8] = [4, 0, 0, 0, 1, 0, 0, 0] + Array(repeating: 0, count: 8) + Array(repeating: 0x5A, count: 80)
        return [
            eth(0x0800, ipv4(17, udp(53000, 53, dns("www.example.com")))),
            eth(0x0800, ipv4(17, udp(50000, 3478, stun))),
            eth(0x0800, ipv4(6, tcp(443, 50001, flags: 0x10, []))),
            eth(0x0800, ipv4(6, tcp(50001, 443, flags: 0x18, Array(repeating: 0x17, count: 64)))),
            eth(0x86DD, ipv6(17, udp(53001, 53, dns("example.org")))),
            eth(0x86DD, ipv6(6, tcp(50002, 80, flags: 0x10, []))),
            eth(0x0800, ipv4(17, udp(40000, 51820, wgData))),
            eth(0x0800, ipv4(17, udp(51820, 40000, wgData))),
        ]
    }

    /// Packets that exercise reassembly: a DNS query over TCP split in two
    /// segments and a UDP DNS datagram in two IPv6 fragments (steady state must not allocate).
    public static func reassemblyTemplates() -> [[UInt8]] {
        let q = dns("split.example.com")
        let framed = be16(UInt16(q.count)) + q
        func seg(_ seq: UInt32, _ p: [UInt8]) -> [UInt8] {
            eth(0x0800, ipv4(6, be16(50001) + be16(53) + be32(seq) + be32(0) + [0x50, 0x18] + be16(65535) + [0, 0, 0, 0] + p))
        }
        let d = udp(53000, 53, dns("fragmented.example.org"))
        func frag(_ off: Int, _ more: Bool, _ p: [UInt8]) -> [UInt8] {
            eth(0x86DD, ipv6(44, [17, 0] + be16(UInt16(off) | (more ? 1 : 0)) + be32(0xABCD) + p))
        }
        return [seg(1000, Array(framed[0..<10])), seg(1010, Array(framed[10...])),
                frag(0, true, Array(d[0..<16])), frag(16, false, Array(d[16...]))]
    }

    /// The mix as a classic pcap file (for the C reference loop).
    public func pcapFile() -> [UInt8] {
        func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
        var b = le32(0xA1B2_C3D4) + [2, 0, 4, 0] + le32(0) + le32(0) + le32(262_144) + le32(1)
        for (i, f) in frames.enumerated() {
            b += le32(1_700_000_000) + le32(UInt32(i % 1_000_000)) + le32(UInt32(f.count)) + le32(UInt32(f.count)) + f
        }
        return b
    }
}
