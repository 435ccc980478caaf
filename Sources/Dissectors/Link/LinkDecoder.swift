/// Link layers: Ethernet II (+802.1Q/802.1ad/QinQ, PPPoE session), Linux SLL and
/// SLL2, raw IP, BSD null/loop (and utun), PPP (optionally HDLC-framed), NFLOG.
extension Dissector {
    @usableFromInline mutating func decodeLink(_ type: LinkType, _ b: ByteView, into d: inout Dissection) {
        switch type.rawValue {
        case 1: decodeEthernet(b, into: &d)
        case 113: decodeSLL(b, into: &d)
        case 276: decodeSLL2(b, into: &d)
        case 101, 12, 14:
            d.link.kind = .raw
            d.add(.raw)
            decodeRawIP(b, into: &d)
        case 228:
            // LINKTYPE_IPV4: no link token (as tshark); an IPv6 packet here is noted and decoded.
            d.link.kind = .raw
            if let v = b.integer(at: 0, as: UInt8.self), v >> 4 == 6 {
                d.note(.malformed(layer: .ip, offset: 0, reason: .init("LINKTYPE_IPV4 frame holds an IPv6 packet")))
            }
            decodeIPv4(b, base: 0, depth: 0, into: &d)
        case 229:
            d.link.kind = .raw
            if let v = b.integer(at: 0, as: UInt8.self), v >> 4 == 4 {
                d.note(.malformed(layer: .ipv6, offset: 0, reason: .init("LINKTYPE_IPV6 frame holds an IPv4 packet")))
                decodeIPv4(b, base: 0, depth: 0, into: &d)
            } else {
                decodeIPv6(b, base: 0, depth: 0, into: &d)
            }
        case 0: decodeNull(b, networkOrder: false, into: &d)
        case 108: decodeNull(b, networkOrder: true, into: &d)
        case 9, 50: decodePPP(b, into: &d)
        case 239: decodeNFLOG(b, into: &d)
        default:
            d.note(.malformed(layer: .frame, offset: 0, reason: .init("link type not decoded")))
        }
    }

    /// Raw IP: the version nibble picks IPv4 or IPv6.
    @usableFromInline mutating func decodeRawIP(_ b: ByteView, into d: inout Dissection) {
        guard let v = b.integer(at: 0, as: UInt8.self) else {
            d.note(.truncated(layer: .raw, offset: 0, needed: 1, available: 0))
            return
        }
        switch v >> 4 {
        case 4: decodeIPv4(b, base: 0, depth: 0, into: &d)
        case 6: decodeIPv6(b, base: 0, depth: 0, into: &d)
        default: d.note(.malformed(layer: .raw, offset: 0, reason: .init("IP version is neither 4 nor 6")))
        }
    }

    /// Hands the bytes after a link header to the network layer named by an EtherType.
    @usableFromInline mutating func decodeEtherType(_ type: UInt16, _ b: ByteView, offset: Int, into d: inout Dissection) {
        d.link.etherType = type
        d.link.headerLength = offset
        guard let rest = b.suffix(from: offset) else { return }
        switch type {
        case 0x0800: decodeIPv4(rest, base: offset, depth: 0, into: &d)
        case 0x86DD: decodeIPv6(rest, base: offset, depth: 0, into: &d)
        case 0x0806: decodeARP(rest, base: offset, into: &d)
        default: break
        }
    }

    @usableFromInline mutating func decodeEthernet(_ b: ByteView, into d: inout Dissection) {
        d.link.kind = .ethernet
        d.add(.eth)
        guard b.count >= 14, let dst = MACAddress.read(b, 0), let src = MACAddress.read(b, 6),
              var type = b.integer(at: 12, as: UInt16.self) else {
            d.note(.truncated(layer: .eth, offset: 0, needed: 14, available: b.count))
            return
        }
        d.link.destination = dst
        d.link.source = src
        var offset = 14
        var tags = 0
        // 802.1Q (0x8100), 802.1ad (0x88a8), old QinQ (0x9100, 0x9200).
        while type == 0x8100 || type == 0x88A8 || type == 0x9100 || type == 0x9200 {
            guard tags < limits.maxVLANTags else {
                d.note(.limitReached(layer: .vlan, offset: offset, limit: .init("VLAN tags per frame")))
                return
            }
            guard let tci = b.integer(at: offset, as: UInt16.self), let next = b.integer(at: offset + 2, as: UInt16.self) else {
                d.add(.vlan)
                d.note(.truncated(layer: .vlan, offset: offset, needed: 4, available: max(0, b.count - offset)))
                return
            }
            if !d.link.vlanTags.append(VLANTag(tpid: type, tci: tci)), d.link.vlanTags.dropped == 1 {
                d.note(.limitReached(layer: .vlan, offset: offset, limit: .init("VLAN tags kept (4)")))
            }
            d.add(.vlan)
            tags += 1
            offset += 4
            type = next
        }
        if type < 0x0600 {
            // 802.3 length field: LLC follows; nothing LeakScope decodes.
            d.link.headerLength = offset
            return
        }
        if type == 0x8864 {
            // PPPoE session: 6-byte header, then a 2-byte PPP protocol.
            d.add(.pppoes)
            guard let proto = b.integer(at: offset + 6, as: UInt16.self) else {
                d.note(.truncated(layer: .pppoes, offset: offset, needed: 8, available: max(0, b.count - offset)))
                return
            }
            d.add(.ppp)
            d.link.pppProtocol = proto
            decodePPPProtocol(proto, b, offset: offset + 8, into: &d)
            return
        }
        decodeEtherType(type, b, offset: offset, into: &d)
    }

    @usableFromInline mutating func decodeSLL(_ b: ByteView, into d: inout Dissection) {
        d.link.kind = .linuxSLL
        d.add(.sll)
        guard let pkttype = b.integer(at: 0, as: UInt16.self), let hatype = b.integer(at: 2, as: UInt16.self), let alen = b.integer(at: 4, as: UInt16.self), let proto = b.integer(at: 14, as: UInt16.self) else {
            d.note(.truncated(layer: .sll, offset: 0, needed: 16, available: b.count))
            return
        }
        d.link.sllPacketType = pkttype
        d.link.sllHardwareType = hatype
        if d.direction == .unknown { d.direction = pkttype == 4 ? .outbound : pkttype <= 3 ? .inbound : .unknown }
        if alen == 6 { d.link.source = MACAddress.read(b, 6) }
        decodeSLLProtocol(proto, hatype: hatype, b, offset: 16, into: &d)
    }

    @usableFromInline mutating func decodeSLL2(_ b: ByteView, into d: inout Dissection) {
        d.link.kind = .linuxSLL2
        d.add(.sll)
        guard let proto = b.integer(at: 0, as: UInt16.self), let ifindex = b.integer(at: 4, as: UInt32.self), let hatype = b.integer(at: 8, as: UInt16.self),
              let pkttype = b.integer(at: 10, as: UInt8.self), let alen = b.integer(at: 11, as: UInt8.self), b.count >= 20 else {
            d.note(.truncated(layer: .sll, offset: 0, needed: 20, available: b.count))
            return
        }
        d.link.sllInterfaceIndex = ifindex
        d.link.sllHardwareType = hatype
        d.link.sllPacketType = UInt16(pkttype)
        if d.direction == .unknown { d.direction = pkttype == 4 ? .outbound : pkttype <= 3 ? .inbound : .unknown }
        if alen == 6 { d.link.source = MACAddress.read(b, 12) }
        decodeSLLProtocol(proto, hatype: hatype, b, offset: 20, into: &d)
    }

    /// SLL protocol field: an EtherType, except the Linux pseudo-types below 0x0600
    /// (0x0004 = 802.2 LLC, 0x0001 = 802.3 frames, ...) that carry no IP.
    @usableFromInline mutating func decodeSLLProtocol(_ proto: UInt16, hatype: UInt16, _ b: ByteView, offset: Int, into d: inout Dissection) {
        d.link.headerLength = offset
        if hatype == 778 || hatype == 823 {
            // ARPHRD_IPGRE / ARPHRD_IP6GRE: the protocol is a GRE protocol type.
            d.link.etherType = proto
        }
        guard proto >= 0x0600 else { return }
        decodeEtherType(proto, b, offset: offset, into: &d)
    }

    /// BSD null (host-order 4-byte AF), OpenBSD loop (network order), utun (same header).
    /// Host order is unknown, so a value with zero low 16 bits is read the other way (as tshark does).
    @usableFromInline mutating func decodeNull(_ b: ByteView, networkOrder: Bool, into d: inout Dissection) {
        d.link.kind = networkOrder ? .loop : .null
        d.add(.null)
        guard var af = networkOrder ? b.integer(at: 0, as: UInt32.self) : b.integer(at: 0, endianness: .little, as: UInt32.self) else {
            d.note(.truncated(layer: .null, offset: 0, needed: 4, available: b.count))
            return
        }
        if af & 0xFFFF == 0, af != 0 { af = af.byteSwapped }
        d.link.addressFamily = af
        d.link.headerLength = 4
        guard let rest = b.suffix(from: 4) else { return }
        switch af {
        case 2: decodeIPv4(rest, base: 4, depth: 0, into: &d)
        case 10, 24, 28, 30: decodeIPv6(rest, base: 4, depth: 0, into: &d)
        default:
            // Some captures put an EtherType there (Linux-ish loopback captures).
            if af == 0x0800 { decodeIPv4(rest, base: 4, depth: 0, into: &d) }
            else if af == 0x86DD { decodeIPv6(rest, base: 4, depth: 0, into: &d) }
            else { d.note(.malformed(layer: .null, offset: 0, reason: .init("unknown address family"))) }
        }
    }

    /// PPP (link type 9, and 50 = PPP in HDLC framing): optional 0xff03 address/control,
    /// then a 1- or 2-byte protocol (protocol field compression).
    @usableFromInline mutating func decodePPP(_ b: ByteView, into d: inout Dissection) {
        d.link.kind = .ppp
        d.add(.ppp)
        var offset = 0
        if b.integer(at: 0, as: UInt8.self) == 0xFF, b.integer(at: 1, as: UInt8.self) == 0x03 { offset = 2 }
        guard let first = b.integer(at: offset, as: UInt8.self) else {
            d.note(.truncated(layer: .ppp, offset: offset, needed: 2, available: max(0, b.count - offset)))
            return
        }
        var proto: UInt16
        if first & 1 == 1 {
            proto = UInt16(first)
            offset += 1
        } else {
            guard let p = b.integer(at: offset, as: UInt16.self) else {
                d.note(.truncated(layer: .ppp, offset: offset, needed: 2, available: max(0, b.count - offset)))
                return
            }
            proto = p
            offset += 2
        }
        d.link.pppProtocol = proto
        decodePPPProtocol(proto, b, offset: offset, into: &d)
    }

    @usableFromInline mutating func decodePPPProtocol(_ proto: UInt16, _ b: ByteView, offset: Int, into d: inout Dissection) {
        d.link.headerLength = offset
        guard let rest = b.suffix(from: offset) else {
            d.note(.truncated(layer: .ppp, offset: offset, needed: 1, available: 0))
            return
        }
        switch proto {
        case 0x0021: decodeIPv4(rest, base: offset, depth: 0, into: &d)
        case 0x0057: decodeIPv6(rest, base: offset, depth: 0, into: &d)
        default: break
        }
    }

    /// NFLOG (239): 4-byte header (family, version, resource id), then TLVs with
    /// host-order (little-endian in practice) length/type, padded to 4; type 9 is the packet.
    @usableFromInline mutating func decodeNFLOG(_ b: ByteView, into d: inout Dissection) {
        d.link.kind = .unknown
        d.add(.nflog)
        guard let family = b.integer(at: 0, as: UInt8.self) else {
            d.note(.truncated(layer: .nflog, offset: 0, needed: 4, available: b.count))
            return
        }
        d.link.addressFamily = UInt32(family)
        var offset = 4
        var tlvs = 0
        while offset + 4 <= b.count, tlvs < 64 {
            tlvs += 1
            guard let len = b.integer(at: offset, endianness: .little, as: UInt16.self), let type = b.integer(at: offset + 2, endianness: .little, as: UInt16.self), len >= 4 else {
                d.note(.malformed(layer: .nflog, offset: offset, reason: .init("TLV length below 4")))
                return
            }
            if type & 0x7FFF == 9 {
                guard let payload = b.slice(offset + 4, Int(len) - 4) else {
                    d.note(.truncated(layer: .nflog, offset: offset, needed: Int(len), available: b.count - offset))
                    return
                }
                d.link.headerLength = offset + 4
                if family == 2 { decodeIPv4(payload, base: offset + 4, depth: 0, into: &d) }
                else if family == 10 { decodeIPv6(payload, base: offset + 4, depth: 0, into: &d) }
                else { decodeRawIPAt(payload, base: offset + 4, into: &d) }
                return
            }
            offset += (Int(len) + 3) & ~3
        }
    }

    @usableFromInline mutating func decodeRawIPAt(_ b: ByteView, base: Int, into d: inout Dissection) {
        switch b.integer(at: 0, as: UInt8.self).map({ $0 >> 4 }) {
        case 4: decodeIPv4(b, base: base, depth: 0, into: &d)
        case 6: decodeIPv6(b, base: base, depth: 0, into: &d)
        default: break
        }
    }
}

extension Layer {
    public static let pppoes = Layer(rawValue: "pppoes")
    public static let nflog = Layer(rawValue: "nflog")
}
