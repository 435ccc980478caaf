/// UDP (RFC 768): header, payload clamped to the length field, then tunnels
/// (Teredo, AYIYA) or the application dispatch.
extension Dissector {
    @usableFromInline mutating func decodeUDP(_ b: ByteView, base: Int, depth: Int, into d: inout Dissection) {
        d.add(.udp)
        guard let sp = b.r16(0), let dp = b.r16(2), let len = b.r16(4), b.count >= 8 else {
            d.note(.truncated(layer: .udp, offset: base, needed: 8, available: b.count))
            return
        }
        var end = Int(len)
        if end < 8 {
            // 0 is legal for IPv6 jumbograms; anything else below 8 is bogus. Use what is there.
            if !(len == 0 && flowJumbogram) {
                d.note(.malformed(layer: .udp, offset: base + 4, reason: .init("length below 8")))
            }
            end = b.count
        } else if end > b.count {
            d.note(.truncated(layer: .udp, offset: base, needed: end, available: b.count))
            end = b.count
        }
        let payload = b.part(8, end - 8) ?? b.prefix(0)
        var udp = UDPInfo(sourcePort: sp, destinationPort: dp, length: len, payload: payload, offset: base)
        udp.reassembled = base < 0
        d.udp = udp
        let pbase = base < 0 ? -1 : base + 8
        // Tunnels carried in UDP.
        if sp == 3544 || dp == 3544, let (ipv6, skip) = Dissector.teredoIPv6(payload) {
            d.add(.teredo)
            d.tunnel = .teredo
            d.tunnelUDP = udp
            decodeInnerIP(version: 6, ipv6, base: pbase < 0 ? -1 : pbase + skip, depth: depth, into: &d)
            return
        }
        // Teredo on other ports (client to relay or peer): an IPv6 packet whose length fits and
        // that has a Teredo address (2001::/32) at one end.
        if let b0 = payload.r8(0), b0 >> 4 == 6 || b0 == 0, let (ipv6, skip) = Dissector.teredoIPv6(payload),
           let s32 = ipv6.r32(8), let d32 = ipv6.r32(24), s32 == 0x2001_0000 || d32 == 0x2001_0000 {
            d.add(.teredo)
            d.tunnel = .teredo
            d.tunnelUDP = udp
            decodeInnerIP(version: 6, ipv6, base: pbase < 0 ? -1 : pbase + skip, depth: depth, into: &d)
            return
        }
        if sp == 5072 || dp == 5072, let (inner, skip, nh) = Dissector.ayiyaPayload(payload) {
            d.add(.ayiya)
            if nh == 41 || nh == 4 {
                d.tunnel = .ayiya
                d.tunnelUDP = udp
                decodeInnerIP(version: nh == 4 ? 4 : 6, inner, base: pbase < 0 ? -1 : pbase + skip, depth: depth, into: &d)
            }
            return
        }
        if sp == 2152 || dp == 2152, let (inner, skip) = Dissector.gtpUserPayload(payload) {
            d.add(.gtp)
            if let v = inner.r8(0), v >> 4 == 4 || v >> 4 == 6 {
                d.tunnel = .gtp
                d.tunnelUDP = udp
                decodeInnerIP(version: Int(v >> 4), inner, base: pbase < 0 ? -1 : pbase + skip, depth: depth, into: &d)
            }
            return
        }
        dispatchUDP(udp, base: pbase, into: &d)
    }

    /// GTPv1-U (3GPP TS 29.281) G-PDU: 8-byte header, 4 more when E/S/PN is set, then extension headers.
    @inlinable static func gtpUserPayload(_ p: ByteView) -> (ByteView, Int)? {
        guard let flags = p.r8(0), flags >> 5 == 1, flags & 0x10 != 0, p.r8(1) == 0xFF else { return nil }
        var o = 8
        if flags & 0x07 != 0 {
            o = 12
            var next = p.r8(11) ?? 0
            var n = 0
            while next != 0 {
                guard n < 16, let units = p.r8(o), units > 0 else { return nil }
                o += Int(units) * 4
                guard let nx = p.r8(o - 1) else { return nil }
                next = nx
                n += 1
            }
        }
        guard let rest = p.from(o) else { return nil }
        return (rest, o)
    }

    /// Teredo (RFC 4380 5.1.1): optional authentication (0x0001) and origin
    /// indication (0x0000) headers, then an IPv6 packet whose length matches.
    @inlinable static func teredoIPv6(_ p: ByteView) -> (ByteView, Int)? {
        var o = 0
        if p.r16(o) == 0x0001 {
            guard let idLen = p.r8(o + 2), let authLen = p.r8(o + 3) else { return nil }
            o += 4 + Int(idLen) + Int(authLen) + 9
        }
        if p.r16(o) == 0x0000 { o += 8 }
        guard let v = p.r8(o), v >> 4 == 6, let plen = p.r16(o + 4), o + 40 + Int(plen) <= p.count,
              let rest = p.from(o) else { return nil }
        return (rest, o)
    }

    /// AYIYA (draft-massar-v6ops-ayiya): identity and signature sizes from the header.
    @inlinable static func ayiyaPayload(_ p: ByteView) -> (ByteView, Int, UInt8)? {
        guard let idb = p.r8(0), let sigb = p.r8(1), let op = p.r8(2), let nh = p.r8(3) else { return nil }
        let idLen = idb >> 4 > 8 ? -1 : 1 << Int(idb >> 4)
        guard idLen >= 0, op & 0x0F <= 8 else { return nil }
        let len = 8 + idLen + Int(sigb >> 4) * 4
        guard let rest = p.from(len) else { return nil }
        return (rest, len, nh)
    }
}
