import Correlation
import Dissectors
#if canImport(Glibc)
import Glibc
#endif

/// Byte-exact test captures: frames (Ethernet, raw IP, SLL2) with IPv4/IPv6,
/// UDP/TCP and STUN/DNS/WireGuard/OpenVPN/IKE payloads, written as pcapng with
/// named interfaces (or classic pcap) into a temporary file.
struct CaptureBuilder {
    struct Interface { var name: String?; var linkType: UInt16; var addresses: [IPAddress] = [] }
    struct Frame { var interface: Int; var time: Int64; var bytes: [UInt8]; var flags: UInt32? }

    var interfaces: [Interface] = []
    var frames: [Frame] = []
    /// Capture time of the next frame (ns); `add` advances it by `step`.
    var clock: Int64 = 1_700_000_000_000_000_000
    var step: Int64 = 1_000_000
    /// pcapng section comment (opt_comment), if any.
    var sectionComment: String?
    /// Interface Statistics Blocks written after the frames: interface, isb_endtime, opt_comment.
    var statistics: [(interface: Int, endNs: Int64, comment: String?)] = []
    /// ISBs with drop counters (isb_ifdrop, isb_osdrop), written after `statistics`.
    var counters: [(interface: Int, endNs: Int64, ifDrop: UInt64?, osDrop: UInt64?)] = []

    mutating func interface(_ name: String?, _ linkType: UInt16, addresses: [String] = []) -> Int {
        interfaces.append(Interface(name: name, linkType: linkType, addresses: addresses.map { addr($0) }))
        return interfaces.count - 1
    }

    /// Adds a frame; returns its frame number (1-based).
    @discardableResult
    mutating func add(_ iface: Int, _ bytes: [UInt8], at time: Int64? = nil, flags: UInt32? = nil) -> Int {
        if let time { clock = time }
        frames.append(Frame(interface: iface, time: clock, bytes: bytes, flags: flags))
        clock += step
        return frames.count
    }

    // MARK: files

    func pcapng() -> [UInt8] {
        var out: [UInt8] = []
        // Section Header Block.
        var shb: [UInt8] = []
        shb += le32(0x1A2B_3C4D) + le16(1) + le16(0) + le64(UInt64.max)
        if let c = sectionComment { shb += option(1, Array(c.utf8)) + le16(0) + le16(0) }
        out += block(0x0A0D_0D0A, shb)
        for i in interfaces {
            var body = le16(i.linkType) + le16(0) + le32(262_144)
            if let n = i.name { body += option(2, Array(n.utf8)) }
            for a in i.addresses {
                switch a {
                case .v4: body += option(4, a.bytes + [255, 255, 255, 0])
                case .v6: body += option(5, a.bytes + [64])
                }
            }
            body += option(9, [9])  // if_tsresol: nanoseconds
            body += le16(0) + le16(0)
            out += block(1, body)
        }
        for f in frames {
            let t = UInt64(bitPattern: f.time)
            var body = le32(UInt32(f.interface)) + le32(UInt32(t >> 32)) + le32(UInt32(t & 0xFFFF_FFFF))
            body += le32(UInt32(f.bytes.count)) + le32(UInt32(f.bytes.count)) + pad4(f.bytes)
            if let fl = f.flags { body += option(2, le32(fl)) + le16(0) + le16(0) }
            out += block(6, body)
        }
        for s in statistics {
            let t = UInt64(bitPattern: s.endNs)
            var body = le32(UInt32(s.interface)) + le32(UInt32(t >> 32)) + le32(UInt32(t & 0xFFFF_FFFF))
            if let c = s.comment { body += option(1, Array(c.utf8)) }
            body += option(3, le32(UInt32(t >> 32)) + le32(UInt32(t & 0xFFFF_FFFF))) + le16(0) + le16(0)
            out += block(5, body)
        }
        for s in counters {
            let t = UInt64(bitPattern: s.endNs)
            var body = le32(UInt32(s.interface)) + le32(UInt32(t >> 32)) + le32(UInt32(t & 0xFFFF_FFFF))
            if let d = s.ifDrop { body += option(5, le64(d)) }
            if let d = s.osDrop { body += option(7, le64(d)) }
            body += le16(0) + le16(0)
            out += block(5, body)
        }
        return out
    }

    /// Classic pcap (nanosecond magic): one link type, no names.
    func pcap(linkType: UInt32) -> [UInt8] {
        var out = le32(0xA1B2_3C4D) + le16(2) + le16(4) + le32(0) + le32(0) + le32(262_144) + le32(linkType)
        for f in frames {
            out += le32(UInt32(f.time / 1_000_000_000)) + le32(UInt32(f.time % 1_000_000_000))
            out += le32(UInt32(f.bytes.count)) + le32(UInt32(f.bytes.count)) + f.bytes
        }
        return out
    }

    func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
        let len = UInt32(12 + body.count)
        return le32(type) + le32(len) + body + le32(len)
    }
    func option(_ code: UInt16, _ v: [UInt8]) -> [UInt8] { le16(code) + le16(UInt16(v.count)) + pad4(v) }
    func pad4(_ v: [UInt8]) -> [UInt8] { v + [UInt8](repeating: 0, count: (4 - v.count % 4) % 4) }

    /// Writes the capture to a fresh temporary file and returns its path.
    static func write(_ bytes: [UInt8], name: String) -> String {
        var template = Array("/tmp/leakscope-corr-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        let path = dir + "/" + name
        let f = fopen(path, "wb")!
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
        return path
    }
}

// MARK: - Packets

func addr(_ s: String) -> IPAddress { IPAddress(parsing: s)! }
func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
func be32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }
func be64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }

enum Pkt {
    static let hostMAC: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02]
    static let routerMAC: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01]

    static func ether(_ payload: [UInt8], type: UInt16? = nil, out: Bool = true) -> [UInt8] {
        let t = type ?? (payload.first.map { $0 >> 4 == 6 ? 0x86DD : 0x0800 } ?? 0x0800)
        return (out ? routerMAC + hostMAC : hostMAC + routerMAC) + be16(t) + payload
    }

    /// Linux cooked v2 header (20 bytes) + payload.
    static func sll2(_ payload: [UInt8], ifindex: UInt32, hatype: UInt16, pkttype: UInt8) -> [UInt8] {
        let proto: UInt16 = payload.first.map { $0 >> 4 == 6 ? 0x86DD : 0x0800 } ?? 0x0800
        return be16(proto) + [0, 0] + be32(ifindex) + be16(hatype) + [pkttype, 6] + hostMAC + [0, 0] + payload
    }

    static func ipv4(_ src: String, _ dst: String, proto: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var h: [UInt8] = [0x45, 0] + be16(UInt16(20 + payload.count)) + [0, 1, 0x40, 0, 64, proto, 0, 0]
        h += addr(src).bytes + addr(dst).bytes
        var sum: UInt32 = 0
        for i in stride(from: 0, to: 20, by: 2) { sum += UInt32(h[i]) << 8 | UInt32(h[i + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        let c = ~UInt16(sum)
        h[10] = UInt8(c >> 8); h[11] = UInt8(c & 0xFF)
        return h + payload
    }

    static func ipv6(_ src: String, _ dst: String, next: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + be16(UInt16(payload.count)) + [next, 64] + addr(src).bytes + addr(dst).bytes + payload
    }

    static func ipPacket(_ src: String, _ dst: String, proto: UInt8, _ payload: [UInt8]) -> [UInt8] {
        src.contains(":") ? ipv6(src, dst, next: proto, payload) : ipv4(src, dst, proto: proto, payload)
    }

    static func udp(_ src: String, _ sp: UInt16, _ dst: String, _ dp: UInt16, _ payload: [UInt8]) -> [UInt8] {
        ipPacket(src, dst, proto: 17, be16(sp) + be16(dp) + be16(UInt16(8 + payload.count)) + [0, 0] + payload)
    }

    static let syn: UInt8 = 0x02, ack: UInt8 = 0x10, psh: UInt8 = 0x08, synAck: UInt8 = 0x12
    static func tcp(_ src: String, _ sp: UInt16, _ dst: String, _ dp: UInt16, flags: UInt8, seq: UInt32 = 1,
                    ack: UInt32 = 0, _ payload: [UInt8] = []) -> [UInt8] {
        ipPacket(src, dst, proto: 6, be16(sp) + be16(dp) + be32(seq) + be32(ack) + [0x50, flags] + be16(65535) + [0, 0, 0, 0] + payload)
    }

    // MARK: app payloads

    static let cookie: UInt32 = 0x2112_A442

    static func stun(type: UInt16, txn: [UInt8], attrs: [(UInt16, [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        for (t, v) in attrs { body += be16(t) + be16(UInt16(v.count)) + v + [UInt8](repeating: 0, count: (4 - v.count % 4) % 4) }
        return be16(type) + be16(UInt16(body.count)) + be32(cookie) + txn + body
    }

    static func xorAddress(_ a: String, _ port: UInt16) -> [UInt8] {
        let addr = addr(a)
        let xp = port ^ UInt16(cookie >> 16)
        var bytes = addr.bytes
        let key = be32(cookie)
        for i in 0..<4 { bytes[i] ^= key[i] }
        return [0, addr.isV4 ? 1 : 2] + be16(xp) + bytes
    }

    static func txn(_ n: UInt8) -> [UInt8] { [UInt8](repeating: n, count: 12) }

    static func bindingRequest(_ t: [UInt8], software: String? = nil, username: String? = nil) -> [UInt8] {
        var attrs: [(UInt16, [UInt8])] = []
        if let u = username { attrs.append((0x0006, Array(u.utf8))); attrs.append((0x0024, be32(0x6E00_01FF))) }
        if let s = software { attrs.append((0x8022, Array(s.utf8))) }
        return stun(type: 0x0001, txn: t, attrs: attrs)
    }

    static func bindingSuccess(_ t: [UInt8], mapped: String, _ port: UInt16) -> [UInt8] {
        stun(type: 0x0101, txn: t, attrs: [(0x0020, xorAddress(mapped, port))])
    }

    static func allocateRequest(_ t: [UInt8]) -> [UInt8] { stun(type: 0x0003, txn: t, attrs: [(0x0019, [17, 0, 0, 0])]) }
    static func allocateSuccess(_ t: [UInt8], relayed: String, _ rp: UInt16, mapped: String, _ mp: UInt16) -> [UInt8] {
        stun(type: 0x0103, txn: t, attrs: [(0x0016, xorAddress(relayed, rp)), (0x0020, xorAddress(mapped, mp))])
    }

    static func dnsName(_ n: String) -> [UInt8] {
        var out: [UInt8] = []
        for l in n.split(separator: ".") { out.append(UInt8(l.utf8.count)); out += Array(l.utf8) }
        return out + [0]
    }

    static func dnsQuery(id: UInt16, _ name: String, type: UInt16 = 1, ecs: [UInt8]? = nil) -> [UInt8] {
        var m = be16(id) + be16(0x0100) + be16(1) + be16(0) + be16(0) + be16(ecs == nil ? 0 : 1)
        m += dnsName(name) + be16(type) + be16(1)
        if let ecs {
            let opt = be16(8) + be16(UInt16(4 + ecs.count)) + be16(1) + [24, 0] + ecs
            m += [0] + be16(41) + be16(4096) + be32(0) + be16(UInt16(opt.count)) + opt
        }
        return m
    }

    static func dnsResponse(id: UInt16, _ name: String, type: UInt16 = 1, answers: [String], rcode: UInt16 = 0) -> [UInt8] {
        var m = be16(id) + be16(0x8180 | rcode) + be16(1) + be16(UInt16(answers.count)) + be16(0) + be16(0)
        m += dnsName(name) + be16(type) + be16(1)
        for a in answers {
            let r = addr(a).bytes
            m += [0xC0, 12] + be16(r.count == 4 ? 1 : 28) + be16(1) + be32(300) + be16(UInt16(r.count)) + r
        }
        return m
    }

    static func wgInitiation(sender: UInt32) -> [UInt8] { [1, 0, 0, 0] + le32(sender) + [UInt8](repeating: 0x11, count: 140) }
    static func wgResponse(sender: UInt32, receiver: UInt32) -> [UInt8] {
        [2, 0, 0, 0] + le32(sender) + le32(receiver) + [UInt8](repeating: 0x22, count: 80)
    }
    static func wgData(receiver: UInt32, counter: UInt64, size: Int = 64) -> [UInt8] {
        [4, 0, 0, 0] + le32(receiver) + le64(counter) + [UInt8](repeating: 0x33, count: size)
    }

    static func openvpnClientReset(tcp: Bool = false) -> [UInt8] {
        let p: [UInt8] = [7 << 3] + [1, 2, 3, 4, 5, 6, 7, 8] + [0] + be32(0)
        return tcp ? be16(UInt16(p.count)) + p : p
    }
    static func openvpnServerReset(tcp: Bool = false) -> [UInt8] {
        let p: [UInt8] = [8 << 3] + [9, 9, 9, 9, 9, 9, 9, 9] + [1] + be32(0) + [1, 2, 3, 4, 5, 6, 7, 8] + be32(0)
        return tcp ? be16(UInt16(p.count)) + p : p
    }
    /// P_ACK_V1 from the client (session 1...8) acknowledging the server's reset (session 9...9).
    static func openvpnClientAck(tcp: Bool = false) -> [UInt8] {
        let p: [UInt8] = [5 << 3] + [1, 2, 3, 4, 5, 6, 7, 8] + [1] + be32(0) + [9, 9, 9, 9, 9, 9, 9, 9]
        return tcp ? be16(UInt16(p.count)) + p : p
    }
    static func openvpnData(tcp: Bool = false) -> [UInt8] {
        let p: [UInt8] = [9 << 3, 0, 0, 1] + [UInt8](repeating: 0x44, count: 40)
        return tcp ? be16(UInt16(p.count)) + p : p
    }

    static func ikeSAInit(response: Bool) -> [UInt8] {
        [1, 2, 3, 4, 5, 6, 7, 8] + (response ? [8, 7, 6, 5, 4, 3, 2, 1] : [UInt8](repeating: 0, count: 8))
            + [0, 0x20, 34, response ? 0x20 : 0x08] + be32(0) + be32(28)
    }
    static func esp(spi: UInt32, seq: UInt32) -> [UInt8] { be32(spi) + be32(seq) + [UInt8](repeating: 0x55, count: 48) }

    // Mid-session carriers (no handshake): the shapes of issue 10.

    /// WireGuard transport data carrying `inner` plaintext bytes: 16-byte header, plaintext padded to 16, 16-byte tag.
    static func wgTransport(receiver: UInt32, counter: UInt64, inner: Int) -> [UInt8] {
        [4, 0, 0, 0] + le32(receiver) + le64(counter) + [UInt8](repeating: 0x5A, count: (inner + 15) / 16 * 16 + 16)
    }
    /// OpenVPN control/ACK packet with tls-auth: session id, HMAC-SHA1, packet id, time, ACK array, message packet id.
    static func openvpnTLSAuth(opcode: UInt8, session: UInt64, packetID: UInt32, tlsPayload: Int = 40) -> [UInt8] {
        var p: [UInt8] = [opcode << 3] + be64(session) + [UInt8](repeating: 0xA5, count: 20) + be32(packetID) + be32(1_700_000_000)
        p += [0]   // no ACKs
        if opcode != 5 { p += be32(packetID) + [UInt8](repeating: 0x16, count: tlsPayload) }
        return p
    }
    /// OpenVPN P_DATA_V2: opcode 9, key id, 24-bit peer id, packet id, ciphertext and tag.
    static func openvpnDataV2(peer: UInt32, packetID: UInt32, size: Int = 60, key: UInt8 = 0) -> [UInt8] {
        [9 << 3 | key, UInt8(peer >> 16 & 0xFF), UInt8(peer >> 8 & 0xFF), UInt8(peer & 0xFF)] + be32(packetID)
            + [UInt8](repeating: 0x77, count: size)
    }
    /// An IKEv2 INFORMATIONAL (exchange 37) of an established SA; `fromInitiator` sets the I flag.
    static func ikeInformational(initiatorSPI: UInt64, responderSPI: UInt64, fromInitiator: Bool, response: Bool, id: UInt32) -> [UInt8] {
        let body = [UInt8](repeating: 0x2E, count: 52)
        return be64(initiatorSPI) + be64(responderSPI) + [46, 0x20, 37, (fromInitiator ? 0x08 : 0) | (response ? 0x20 : 0)]
            + be32(id) + be32(UInt32(28 + body.count)) + body
    }
    static let natKeepalive: [UInt8] = [0xFF]

    static func http(host: String) -> [UInt8] { Array("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8) }

    static func arpRequest() -> [UInt8] {
        ether(be16(1) + be16(0x0800) + [6, 4] + be16(1) + hostMAC + addr("192.0.2.2").bytes + [0, 0, 0, 0, 0, 0]
              + addr("192.0.2.1").bytes, type: 0x0806)
    }
}
