/// UDP (RFC 768): header, payload clamped to the length field, then tunnels
/// (Teredo, AYIYA) or the application dispatch.
extension Dissector {
    @usableFromInline mutating func decodeUDP(_ b: ByteView, base: Int, depth: Int, into d: inout Dissection) {
        d.add(.udp)
        guard let sp = b.integer(at: 0, as: UInt16.self), let dp = b.integer(at: 2, as: UInt16.self), let len = b.integer(at: 4, as: UInt16.self), b.count >= 8 else {
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
        let payload = b.slice(8, end - 8) ?? b.prefix(0)
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
        if let b0 = payload.integer(at: 0, as: UInt8.self), b0 >> 4 == 6 || b0 == 0, let (ipv6, skip) = Dissector.teredoIPv6(payload),
           let s32 = ipv6.integer(at: 8, as: UInt32.self), let d32 = ipv6.integer(at: 24, as: UInt32.self), s32 == 0x2001_0000 || d32 == 0x2001_0000 {
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
            if let v = inner.integer(at: 0, as: UInt8.self), v >> 4 == 4 || v >> 4 == 6 {
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
        guard let flags = p.integer(at: 0, as: UInt8.self), flags >> 5 == 1, flags & 0x10 != 0, p.integer(at: 1, as: UInt8.self) == 0xFF else { return nil }
        var o = 8
        if flags & 0x07 != 0 {
            o = 12
            var next = p.integer(at: 11, as: UInt8.self) ?? 0
            var n = 0
            while next != 0 {
                guard n < 16, let units = p.integer(at: o, as: UInt8.self), units > 0 else { return nil }
                o += Int(units) * 4
                guard let nx = p.integer(at: o - 1, as: UInt8.self) else { return nil }
                next = nx
                n += 1
            }
        }
        guard let rest = p.suffix(from: o) else { return nil }
        return (rest, o)
    }

    /// Teredo (RFC 4380 5.1.1): optional authentication (0x0001) and origin
    /// indication (0x0000) headers, then an IPv6 packet whose length matches.
    @inlinable static func teredoIPv6(_ p: ByteView) -> (ByteView, Int)? {
        var o = 0
        if p.integer(at: o, as: UInt16.self) == 0x0001 {
            guard let idLen = p.integer(at: o + 2, as: UInt8.self), let authLen = p.integer(at: o + 3, as: UInt8.self) else { return nil }
            o += 4 + Int(idLen) + Int(authLen) + 9
        }
        if p.integer(at: o, as: UInt16.self) == 0x0000 { o += 8 }
        guard let v = p.integer(at: o, as: UInt8.self), v >> 4 == 6, let plen = p.integer(at: o + 4, as: UInt16.self), o + 40 + Int(plen) <= p.count,
              let rest = p.suffix(from: o) else { return nil }
        return (rest, o)
    }

    /// AYIYA (draft-massar-v6ops-ayiya): identity and signature sizes from the header.
    @inlinable static func ayiyaPayload(_ p: ByteView) -> (ByteView, Int, UInt8)? {
        guard let idb = p.integer(at: 0, as: UInt8.self), let sigb = p.integer(at: 1, as: UInt8.self), let op = p.integer(at: 2, as: UInt8.self), let nh = p.integer(at: 3, as: UInt8.self) else { return nil }
        let idLen = idb >> 4 > 8 ? -1 : 1 << Int(idb >> 4)
        guard idLen >= 0, op & 0x0F <= 8 else { return nil }
        let len = 8 + idLen + Int(sigb >> 4) * 4
        guard let rest = p.suffix(from: len) else { return nil }
        return (rest, len, nh)
    }
}
