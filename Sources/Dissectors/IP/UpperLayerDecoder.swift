/// The protocol above an IP header: transports, ICMP, IP-in-IP, GRE, ESP, AH (IPv4).
extension Dissector {
    @usableFromInline mutating func decodeUpper(_ proto: UInt8, _ b: ByteView, base: Int, depth: Int, into d: inout Dissection) {
        switch proto {
        case 17: decodeUDP(b, base: base, depth: depth, into: &d)
        case 6: decodeTCP(b, base: base, depth: depth, into: &d)
        case 1: decodeICMPv4(b, base: base, into: &d)
        case 58: decodeICMPv6(b, base: base, into: &d)
        case 2: d.add(.igmp)
        case 4, 41:
            d.tunnel = .ipInIP
            decodeInnerIP(version: proto == 4 ? 4 : 6, b, base: base, depth: depth, into: &d)
        case 47: decodeGRE(b, base: base, depth: depth, into: &d)
        case 50: decodeESP(b, base: base, into: &d)
        case 51:
            // IPv4 AH (IPv6 AH is walked in the extension chain).
            d.add(.ah)
            guard let next = b.integer(at: 0, as: UInt8.self), let l = b.integer(at: 1, as: UInt8.self) else {
                d.note(.truncated(layer: .ah, offset: base, needed: 12, available: b.count))
                return
            }
            let len = (Int(l) + 2) * 4
            guard let rest = b.suffix(from: len), len >= 12 else {
                d.note(.truncated(layer: .ah, offset: base, needed: len, available: b.count))
                return
            }
            if depth == 0 { d.ip?.extensionHeaders.append(.authentication) } else { d.innerIP?.extensionHeaders.append(.authentication) }
            decodeUpper(next, rest, base: base < 0 ? -1 : base + len, depth: depth, into: &d)
        default: break
        }
    }

    /// A tunnelled IP packet, one level deeper (bounded).
    @usableFromInline mutating func decodeInnerIP(version: Int, _ b: ByteView, base: Int, depth: Int, into d: inout Dissection) {
        guard depth + 1 < limits.maxIPDepth else {
            d.note(.limitReached(layer: version == 4 ? .ip : .ipv6, offset: base, limit: .init("nested IP headers per frame")))
            return
        }
        // Transport slots belong to the innermost IP header.
        d.udp = nil
        d.tcp = nil
        if version == 4 { decodeIPv4(b, base: base, depth: depth + 1, into: &d) }
        else { decodeIPv6(b, base: base, depth: depth + 1, into: &d) }
    }

    /// GRE (RFC 2784/2890) and PPTP's enhanced GRE (RFC 2637, version 1, carrying PPP).
    @usableFromInline mutating func decodeGRE(_ b: ByteView, base: Int, depth: Int, into d: inout Dissection) {
        d.add(.gre)
        guard let flags = b.integer(at: 0, as: UInt16.self), let proto = b.integer(at: 2, as: UInt16.self) else {
            d.note(.truncated(layer: .gre, offset: base, needed: 4, available: b.count))
            return
        }
        d.greProtocol = proto
        let version = flags & 7
        var len = 4
        if version == 0 {
            if flags & 0xC000 != 0 { len += 4 }  // checksum (or routing) present
            if flags & 0x2000 != 0 { len += 4 }  // key
            if flags & 0x1000 != 0 { len += 4 }  // sequence
            if flags & 0x4000 != 0 {
                d.note(.malformed(layer: .gre, offset: base, reason: .init("GRE routing present (obsolete RFC 1701); not followed")))
                return
            }
        } else if version == 1 {
            len += 4                              // payload length + call id
            if flags & 0x1000 != 0 { len += 4 }  // sequence
            if flags & 0x0080 != 0 { len += 4 }  // acknowledgment
        } else {
            d.note(.malformed(layer: .gre, offset: base, reason: .init("unknown GRE version")))
            return
        }
        guard var rest = b.suffix(from: len) else {
            d.note(.truncated(layer: .gre, offset: base, needed: len, available: b.count))
            return
        }
        var restBase = base < 0 ? -1 : base + len
        var inner = proto
        if proto == 0x880B {
            // PPP in GRE (PPTP): optional ff03, 1- or 2-byte protocol.
            d.add(.ppp)
            var o = 0
            if rest.integer(at: 0, as: UInt8.self) == 0xFF, rest.integer(at: 1, as: UInt8.self) == 0x03 { o = 2 }
            guard let f = rest.integer(at: o, as: UInt8.self) else { return }
            if f & 1 == 1 { inner = UInt16(f); o += 1 } else { guard let p = rest.integer(at: o, as: UInt16.self) else { return }; inner = p; o += 2 }
            inner = inner == 0x0021 ? 0x0800 : inner == 0x0057 ? 0x86DD : 0
            guard let r = rest.suffix(from: o) else { return }
            rest = r
            restBase = restBase < 0 ? -1 : restBase + o
        }
        switch inner {
        case 0x0800, 0x86DD:
            d.tunnel = .gre
            decodeInnerIP(version: inner == 0x0800 ? 4 : 6, rest, base: restBase, depth: depth, into: &d)
        default: break
        }
    }
}
