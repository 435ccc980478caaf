import TestCaptures
/// Byte-exact DHCPv4 replies and Router Advertisements for the attack tests.
extension Pkt {
    /// One RFC 3442 route: width, significant destination octets, router.
    static func classlessRoute(_ destination: String, _ width: UInt8, via router: String) -> [UInt8] {
        [width] + Array(addr(destination).bytes.prefix((Int(width) + 7) / 8)) + addr(router).bytes
    }

    /// A DHCPv4 reply (op 2) from `server` to the broadcast address, UDP 67 -> 68, inside Ethernet.
    /// `type` 2 OFFER, 5 ACK; `options` are whole options (code, length, value) before the end option.
    static func dhcpReply(type: UInt8 = 5, yiaddr: String, server: String, mask: String? = "255.255.255.0",
                          options: [[UInt8]] = []) -> [UInt8] {
        var m: [UInt8] = [2, 1, 6, 0] + be32(0xC0FF_EE01) + [0, 0, 0, 0] + [0, 0, 0, 0]
        m += addr(yiaddr).bytes + addr(server).bytes + [0, 0, 0, 0]
        m += hostMAC + [UInt8](repeating: 0, count: 10) + [UInt8](repeating: 0, count: 64 + 128)
        m += be32(0x6382_5363)
        m += [53, 1, type]
        if let mask { m += [1, 4] + addr(mask).bytes }
        m += [3, 4] + addr(server).bytes + [54, 4] + addr(server).bytes
        for o in options { m += o }
        m += [255]
        return ether(udp(server, 67, "255.255.255.255", 68, m), out: false)
    }

    /// Option `code` (121 or 249) holding `routes`, split into instances of at most `chunk` bytes (RFC 3396).
    static func routeOption(_ code: UInt8 = 121, _ routes: [[UInt8]], chunk: Int = 255) -> [[UInt8]] {
        let value = routes.flatMap { $0 }
        var out: [[UInt8]] = []
        var i = 0
        repeat {
            let part = Array(value[i..<min(i + chunk, value.count)])
            out.append([code, UInt8(part.count)] + part)
            i += chunk
        } while i < value.count
        return out
    }

    /// A Route Information option (RFC 4191): type 24, length in 8-byte units, prefix length,
    /// preference bits, lifetime, then `units * 8 - 8` bytes of prefix.
    static func routeInformation(_ prefix: String, _ length: UInt8, lifetime: UInt32 = 1800, preference: UInt8 = 0,
                                 units: UInt8? = nil) -> [UInt8] {
        let u = units ?? (length == 0 ? 1 : length <= 64 ? 2 : 3)
        let bytes = Array(addr(prefix).bytes.prefix(Int(u) * 8 - 8))
        return [24, u, length, preference << 3] + be32(lifetime) + bytes + [UInt8](repeating: 0, count: max(0, Int(u) * 8 - 8 - bytes.count))
    }

    /// A Prefix Information option (type 3, 32 bytes), on-link and autonomous.
    static func prefixInformation(_ prefix: String, _ length: UInt8) -> [UInt8] {
        [3, 4, length, 0xC0] + be32(86_400) + be32(14_400) + be32(0) + addr(prefix).bytes
    }

    /// A Router Advertisement from `router` (link-local) to all nodes, with `options`.
    static func routerAdvertisement(from router: String = "fe80::1", options: [[UInt8]]) -> [UInt8] {
        let body: [UInt8] = [134, 0, 0, 0, 64, 0] + be16(1800) + be32(0) + be32(0) + options.flatMap { $0 }
        return ether(ipv6(router, "ff02::1", next: 58, body), out: false)
    }
}
