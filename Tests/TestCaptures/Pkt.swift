import CaptureFiles

/// Byte-exact frames and payloads for tests: the one packet builder every
/// test target uses. Lengths are computed; an IPv4 header built from address
/// text gets its checksum, one built from address bytes keeps it zero (as
/// the dissector tests' references do).
public enum Pkt {
    public static let hostMAC: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02]
    public static let routerMAC: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01]
    public static let v6src: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    public static let v6dst: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]

    // MARK: link layer

    /// Ethernet II with optional 802.1Q/802.1ad tags (TPID, TCI).
    public static func ethernet(type: UInt16, src: [UInt8] = routerMAC, dst: [UInt8] = hostMAC,
                                vlans: [(UInt16, UInt16)] = [], _ payload: [UInt8]) -> [UInt8] {
        var b = dst + src
        for (tpid, tci) in vlans { b += be16(tpid) + be16(tci) }
        return b + be16(type) + payload
    }

    /// Ethernet from the host (`out`) or to it; the type follows the payload's IP version unless given.
    public static func ether(_ payload: [UInt8], type: UInt16? = nil, out: Bool = true) -> [UInt8] {
        let t = type ?? (payload.first.map { $0 >> 4 == 6 ? 0x86DD : 0x0800 } ?? 0x0800)
        return ethernet(type: t, src: out ? hostMAC : routerMAC, dst: out ? routerMAC : hostMAC, payload)
    }

    /// Linux cooked v2 header (20 bytes) + payload.
    public static func sll2(_ payload: [UInt8], ifindex: UInt32, hatype: UInt16, pkttype: UInt8) -> [UInt8] {
        let proto: UInt16 = payload.first.map { $0 >> 4 == 6 ? 0x86DD : 0x0800 } ?? 0x0800
        return be16(proto) + [0, 0] + be32(ifindex) + be16(hatype) + [pkttype, 6] + hostMAC + [0, 0] + payload
    }

    // MARK: IP

    public static func ipv4(src: [UInt8] = [192, 0, 2, 1], dst: [UInt8] = [198, 51, 100, 7], proto: UInt8, ttl: UInt8 = 64,
                            id: UInt16 = 0x1234, flags: UInt16 = 0, options: [UInt8] = [], totalLength: Int? = nil,
                            checksum: Bool = false, _ payload: [UInt8]) -> [UInt8] {
        let ihl = 20 + options.count
        let total = totalLength ?? (ihl + payload.count)
        var h: [UInt8] = [UInt8(0x40 | (ihl / 4)), 0]
        h += be16(UInt16(total)) + be16(id) + be16(flags) + [ttl, proto, 0, 0] + src + dst + options
        if checksum {
            var sum: UInt32 = 0
            for i in stride(from: 0, to: ihl, by: 2) { sum += UInt32(h[i]) << 8 | UInt32(h[i + 1]) }
            while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
            let c = ~UInt16(sum)
            h[10] = UInt8(c >> 8); h[11] = UInt8(c & 0xFF)
        }
        return h + payload
    }

    /// IPv4 from address text, with its checksum (id 1, DF).
    public static func ipv4(_ src: String, _ dst: String, proto: UInt8, _ payload: [UInt8]) -> [UInt8] {
        ipv4(src: addr(src).bytes, dst: addr(dst).bytes, proto: proto, id: 1, flags: 0x4000, checksum: true, payload)
    }

    public static func ipv6(src: [UInt8] = v6src, dst: [UInt8] = v6dst, next: UInt8, hopLimit: UInt8 = 64,
                            payloadLength: Int? = nil, _ payload: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + be16(UInt16(payloadLength ?? payload.count)) + [next, hopLimit] + src + dst + payload
    }

    public static func ipv6(_ src: String, _ dst: String, next: UInt8, _ payload: [UInt8]) -> [UInt8] {
        ipv6(src: addr(src).bytes, dst: addr(dst).bytes, next: next, payload)
    }

    /// IPv4 or IPv6 by the source address's text.
    public static func ipPacket(_ src: String, _ dst: String, proto: UInt8, _ payload: [UInt8]) -> [UInt8] {
        addr(src).isV4 ? ipv4(src, dst, proto: proto, payload) : ipv6(src, dst, next: proto, payload)
    }

    /// An IPv6 extension header with the given body padded to a multiple of 8 bytes (2-byte header included).
    public static func ext(next: UInt8, body: [UInt8] = [0, 0, 0, 0, 0, 0]) -> [UInt8] {
        var b = body
        while (b.count + 2) % 8 != 0 { b.append(0) }
        return [next, UInt8((b.count + 2) / 8 - 1)] + b
    }

    /// An IPv6 fragment header.
    public static func fragment(next: UInt8, offset: Int, more: Bool, id: UInt32) -> [UInt8] {
        [next, 0] + be16(UInt16(offset) | (more ? 1 : 0)) + be32(id)
    }

    // MARK: transport

    /// A UDP header and payload (checksum zero).
    public static func udp(_ sp: UInt16, _ dp: UInt16, length: Int? = nil, _ payload: [UInt8]) -> [UInt8] {
        be16(sp) + be16(dp) + be16(UInt16(length ?? 8 + payload.count)) + [0, 0] + payload
    }

    /// A UDP datagram in IPv4 or IPv6.
    public static func udp(_ src: String, _ sp: UInt16, _ dst: String, _ dp: UInt16, _ payload: [UInt8]) -> [UInt8] {
        ipPacket(src, dst, proto: 17, udp(sp, dp, payload))
    }

    public static let syn: UInt8 = 0x02, ack: UInt8 = 0x10, psh: UInt8 = 0x08, synAck: UInt8 = 0x12

    /// A TCP header (20 bytes, window 65535, checksum zero) and payload; flags default PSH|ACK.
    public static func tcp(_ sp: UInt16, _ dp: UInt16, seq: UInt32 = 1000, ack: UInt32 = 0, flags: UInt16 = 0x18, _ payload: [UInt8]) -> [UInt8] {
        be16(sp) + be16(dp) + be32(seq) + be32(ack) + be16(0x5000 | flags) + be16(65535) + [0, 0, 0, 0] + payload
    }

    /// A TCP segment in IPv4 or IPv6.
    public static func tcp(_ src: String, _ sp: UInt16, _ dst: String, _ dp: UInt16, flags: UInt8, seq: UInt32 = 1,
                           ack: UInt32 = 0, _ payload: [UInt8] = []) -> [UInt8] {
        ipPacket(src, dst, proto: 6, tcp(sp, dp, seq: seq, ack: ack, flags: UInt16(flags), payload))
    }

    // MARK: STUN / TURN

    public static let cookie: UInt32 = 0x2112_A442

    public static func stun(type: UInt16, txn: [UInt8], attrs: [(UInt16, [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        for (t, v) in attrs { body += be16(t) + be16(UInt16(v.count)) + pad4(v) }
        return be16(type) + be16(UInt16(body.count)) + be32(cookie) + txn + body
    }

    public static func xorAddress(_ a: String, _ port: UInt16) -> [UInt8] {
        let addr = addr(a)
        let xp = port ^ UInt16(cookie >> 16)
        var bytes = addr.bytes
        let key = be32(cookie)
        for i in 0..<4 { bytes[i] ^= key[i] }
        return [0, addr.isV4 ? 1 : 2] + be16(xp) + bytes
    }

    public static func txn(_ n: UInt8) -> [UInt8] { [UInt8](repeating: n, count: 12) }

    public static func bindingRequest(_ t: [UInt8], software: String? = nil, username: String? = nil) -> [UInt8] {
        var attrs: [(UInt16, [UInt8])] = []
        if let u = username { attrs.append((0x0006, Array(u.utf8))); attrs.append((0x0024, be32(0x6E00_01FF))) }
        if let s = software { attrs.append((0x8022, Array(s.utf8))) }
        return stun(type: 0x0001, txn: t, attrs: attrs)
    }

    public static func bindingSuccess(_ t: [UInt8], mapped: String, _ port: UInt16) -> [UInt8] {
        stun(type: 0x0101, txn: t, attrs: [(0x0020, xorAddress(mapped, port))])
    }

    public static func allocateRequest(_ t: [UInt8]) -> [UInt8] { stun(type: 0x0003, txn: t, attrs: [(0x0019, [17, 0, 0, 0])]) }
    public static func allocateSuccess(_ t: [UInt8], relayed: String, _ rp: UInt16, mapped: String, _ mp: UInt16) -> [UInt8] {
        stun(type: 0x0103, txn: t, attrs: [(0x0016, xorAddress(relayed, rp)), (0x0020, xorAddress(mapped, mp))])
    }

    // MARK: DNS

    public static func dnsName(_ n: String) -> [UInt8] {
        var out: [UInt8] = []
        for l in n.split(separator: ".") { out.append(UInt8(l.utf8.count)); out += Array(l.utf8) }
        return out + [0]
    }

    /// A query for `name` (recursion desired), optionally with an EDNS Client Subnet option (/24 of `ecs`).
    public static func dnsQuery(_ name: String, id: UInt16 = 0x1234, type: UInt16 = 1, ecs: [UInt8]? = nil) -> [UInt8] {
        var m = be16(id) + be16(0x0100) + be16(1) + be16(0) + be16(0) + be16(ecs == nil ? 0 : 1)
        m += dnsName(name) + be16(type) + be16(1)
        if let ecs {
            let opt = be16(8) + be16(UInt16(4 + ecs.count)) + be16(1) + [24, 0] + ecs
            m += [0] + be16(41) + be16(4096) + be32(0) + be16(UInt16(opt.count)) + opt
        }
        return m
    }

    public static func dnsResponse(id: UInt16, _ name: String, type: UInt16 = 1, answers: [String], rcode: UInt16 = 0) -> [UInt8] {
        var m = be16(id) + be16(0x8180 | rcode) + be16(1) + be16(UInt16(answers.count)) + be16(0) + be16(0)
        m += dnsName(name) + be16(type) + be16(1)
        for a in answers {
            let r = addr(a).bytes
            m += [0xC0, 12] + be16(r.count == 4 ? 1 : 28) + be16(1) + be32(300) + be16(UInt16(r.count)) + r
        }
        return m
    }
    public static func wgInitiation(sender: UInt32) -> [UInt8] { [1, 0, 0, 0] + le32(sender) + [UInt8](repeating: 0x11, count: 140) }
    public static func wgResponse(sender: UInt32, receiver: UInt32) -> [UInt8] {
        [2, 0, 0, 0] + le32(sender) + le32(receiver) + [UInt8](repeating: 0x22, count: 80)
    }
    public static func wgData(receiver: UInt32, counter: UInt64, size: Int = 64) -> [UInt8] {
        [4, 0, 0, 0] + le32(receiver) + le64(counter) + [UInt8](repeating: 0x33, count: size)
    }

    public static func openvpnClientReset(tcp: Bool = false) -> [UInt8] {
        let p: [UInt8] = [7 << 3] + [1, 2, 3, 4, 5, 6, 7, 8] + [0] + be32(0)
        return tcp ? be16(UInt16(p.count)) + p : p
    }
    public static func openvpnServerReset(tcp: Bool = false) -> [UInt8] {
        let p: [UInt8] = [8 << 3] + [9, 9, 9, 9, 9, 9, 9, 9] + [1] + be32(0) + [1, 2, 3, 4, 5, 6, 7, 8] + be32(0)
        return tcp ? be16(UInt16(p.count)) + p : p
    }
    /// P_ACK_V1 from the client (session 1...8) acknowledging the server's reset (session 9...9).
    public static func openvpnClientAck(tcp: Bool = false) -> [UInt8] {
        let p: [UInt8] = [5 << 3] + [1, 2, 3, 4, 5, 6, 7, 8] + [1] + be32(0) + [9, 9, 9, 9, 9, 9, 9, 9]
        return tcp ? be16(UInt16(p.count)) + p : p
    }
    public static func openvpnData(tcp: Bool = false) -> [UInt8] {
        let p: [UInt8] = [9 << 3, 0, 0, 1] + [UInt8](repeating: 0x44, count: 40)
        return tcp ? be16(UInt16(p.count)) + p : p
    }

    public static func ikeSAInit(response: Bool) -> [UInt8] {
        [1, 2, 3, 4, 5, 6, 7, 8] + (response ? [8, 7, 6, 5, 4, 3, 2, 1] : [UInt8](repeating: 0, count: 8))
            + [0, 0x20, 34, response ? 0x20 : 0x08] + be32(0) + be32(28)
    }
    public static func esp(spi: UInt32, seq: UInt32) -> [UInt8] { be32(spi) + be32(seq) + [UInt8](repeating: 0x55, count: 48) }

    // Mid-session carriers (no handshake): the shapes of issue 10.

    /// WireGuard transport data carrying `inner` plaintext bytes: 16-byte header, plaintext padded to 16, 16-byte tag.
    public static func wgTransport(receiver: UInt32, counter: UInt64, inner: Int) -> [UInt8] {
        [4, 0, 0, 0] + le32(receiver) + le64(counter) + [UInt8](repeating: 0x5A, count: (inner + 15) / 16 * 16 + 16)
    }
    /// OpenVPN control/ACK packet with tls-auth: session id, HMAC-SHA1, packet id, time, ACK array, message packet id.
    public static func openvpnTLSAuth(opcode: UInt8, session: UInt64, packetID: UInt32, tlsPayload: Int = 40) -> [UInt8] {
        var p: [UInt8] = [opcode << 3] + be64(session) + [UInt8](repeating: 0xA5, count: 20) + be32(packetID) + be32(1_700_000_000)
        p += [0]   // no ACKs
        if opcode != 5 { p += be32(packetID) + [UInt8](repeating: 0x16, count: tlsPayload) }
        return p
    }
    /// OpenVPN P_DATA_V2: opcode 9, key id, 24-bit peer id, packet id, ciphertext and tag.
    public static func openvpnDataV2(peer: UInt32, packetID: UInt32, size: Int = 60, key: UInt8 = 0) -> [UInt8] {
        [9 << 3 | key, UInt8(peer >> 16 & 0xFF), UInt8(peer >> 8 & 0xFF), UInt8(peer & 0xFF)] + be32(packetID)
            + [UInt8](repeating: 0x77, count: size)
    }
    /// OpenVPN control/ACK packet with tls-crypt: session id, packet id, time, 32-byte HMAC-SHA256 tag,
    /// then the encrypted ACK array, message id and TLS data (`encrypted` bytes).
    public static func openvpnTLSCrypt(opcode: UInt8, session: UInt64, packetID: UInt32, time: UInt32 = 1_700_000_000,
                                       encrypted: Int = 60, key: UInt8 = 0) -> [UInt8] {
        [opcode << 3 | key] + be64(session) + be32(packetID) + be32(time) + [UInt8](repeating: 0xC3, count: 32)
            + [UInt8](repeating: 0x3C, count: encrypted)
    }
    /// OpenVPN P_DATA_V1 with an AEAD cipher: opcode 6, key id, packet id, tag and ciphertext.
    public static func openvpnDataV1(packetID: UInt32, size: Int = 60, key: UInt8 = 0) -> [UInt8] {
        [6 << 3 | key] + be32(packetID) + [UInt8](repeating: 0x66, count: size)
    }
    /// OpenVPN P_DATA_V1 with a CBC cipher and HMAC-SHA1: opcode 6, HMAC, IV and `blocks` 16-byte blocks.
    public static func openvpnDataCBC(blocks: Int, fill: UInt8 = 0x5C, key: UInt8 = 0) -> [UInt8] {
        [6 << 3 | key] + [UInt8](repeating: 0xAB, count: 20) + [UInt8](repeating: 0x1F, count: 16)
            + [UInt8](repeating: fill, count: 16 * blocks)
    }
    /// An IKEv2 INFORMATIONAL (exchange 37) of an established SA; `fromInitiator` sets the I flag.
    public static func ikeInformational(initiatorSPI: UInt64, responderSPI: UInt64, fromInitiator: Bool, response: Bool, id: UInt32) -> [UInt8] {
        let body = [UInt8](repeating: 0x2E, count: 52)
        return be64(initiatorSPI) + be64(responderSPI) + [46, 0x20, 37, (fromInitiator ? 0x08 : 0) | (response ? 0x20 : 0)]
            + be32(id) + be32(UInt32(28 + body.count)) + body
    }
    public static let natKeepalive: [UInt8] = [0xFF]

    public static func http(host: String) -> [UInt8] { Array("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8) }

    public static func arpRequest() -> [UInt8] {
        ether(be16(1) + be16(0x0800) + [6, 4] + be16(1) + hostMAC + addr("192.0.2.2").bytes + [0, 0, 0, 0, 0, 0]
              + addr("192.0.2.1").bytes, type: 0x0806)
    }
}
