/// IPv6 (RFC 8200): the extension chain (bounded), fragments (reassembled),
/// jumbograms noted, then the upper layer.
extension Dissector {
    @usableFromInline mutating func decodeIPv6(_ b: ByteView, base: Int, depth: Int, into d: inout Dissection) {
        d.add(.ipv6)
        guard let v = b.integer(at: 0, as: UInt8.self), b.count >= 40 else {
            d.note(.truncated(layer: .ipv6, offset: base, needed: 40, available: b.count))
            return
        }
        guard v >> 4 == 6 else {
            d.note(.malformed(layer: .ipv6, offset: base, reason: .init("IP version is not 6")))
            return
        }
        guard let word0 = b.integer(at: 0, as: UInt32.self), let plen = b.integer(at: 4, as: UInt16.self), var nh = b.integer(at: 6, as: UInt8.self), let hlim = b.integer(at: 7, as: UInt8.self),
              let src = IPAddress.v6(b, at: 8), let dst = IPAddress.v6(b, at: 24) else { return }
        var end = 40 + Int(plen)
        if plen == 0 {
            end = b.count  // jumbogram or segmentation offload: what was captured
        } else if end > b.count {
            d.note(.truncated(layer: .ipv6, offset: base, needed: end, available: b.count))
            end = b.count
        }
        var info = IPInfo(version: 6, source: src, destination: dst, protocol: nh, ttl: hlim,
                          headerLength: 40, totalLength: 40 + Int(plen), offset: base)
        info.trafficClass = UInt8(truncatingIfNeeded: word0 >> 20)
        info.flowLabel = word0 & 0xFFFFF
        var pkt = b.prefix(end)
        var off = 40
        var viewBase = base  // frame offset of pkt[0]; -1 inside reassembled data
        var walked = 0
        chain: while true {
            switch nh {
            case 0, 43, 44, 51, 60, 135, 139, 140:
                guard walked < limits.maxExtensionHeaders else {
                    d.note(.limitReached(layer: .ipv6, offset: frameOffset(viewBase, off), limit: .init("IPv6 extension headers per packet")))
                    info.protocol = nh
                    info.headerLength = off
                    storeIP(info, depth: depth, into: &d)
                    return
                }
                walked += 1
                let ext = ExtensionHeader(rawValue: nh) ?? .destinationOptions
                info.extensionHeaders.append(ext)
                d.add(ext.layer)
                guard let next = pkt.integer(at: off, as: UInt8.self), let lenByte = pkt.integer(at: off + 1, as: UInt8.self) else {
                    d.note(.truncated(layer: ext.layer, offset: frameOffset(viewBase, off), needed: 8, available: max(0, pkt.count - off)))
                    info.protocol = nh
                    storeIP(info, depth: depth, into: &d)
                    return
                }
                let len: Int
                switch nh {
                case 44: len = 8
                case 51: len = (Int(lenByte) + 2) * 4
                default: len = (Int(lenByte) + 1) * 8
                }
                guard off + len <= pkt.count else {
                    d.note(.truncated(layer: ext.layer, offset: frameOffset(viewBase, off), needed: len, available: pkt.count - off))
                    info.protocol = nh
                    storeIP(info, depth: depth, into: &d)
                    return
                }
                if nh == 0, off == 40, hasJumboOption(pkt, off, len) {
                    info.jumbogram = true
                    d.note(.malformed(layer: .ipv6HopOpts, offset: frameOffset(viewBase, off), reason: .init("jumbogram (Jumbo Payload option)")))
                }
                if nh == 44 {
                    guard let fo = pkt.integer(at: off + 2, as: UInt16.self), let ident = pkt.integer(at: off + 4, as: UInt32.self) else { return }
                    let frag = FragmentInfo(identification: ident, offset: Int(fo & 0xFFF8), moreFragments: fo & 1 == 1)
                    info.fragment = frag
                    if !frag.isAtomic {
                        let data = pkt.suffix(from: off + 8) ?? pkt.prefix(0)
                        let key = FragmentKey(source: src, destination: dst, identification: ident, protocol: 0)
                        let result = fragments.add(key: key, offset: frag.offset, more: frag.moreFragments, data: data, nextHeader: next,
                                                   now: now, layer: .ipv6FragHdr, frameOffset: frameOffset(viewBase, off), into: &d)
                        switch result {
                        case .pending, .dropped:
                            info.reassembly = result == .dropped ? .dropped : .pending
                            info.protocol = next
                            info.headerLength = off + 8
                            storeIP(info, depth: depth, into: &d)
                            return
                        case .completed(let whole, let firstNext):
                            info.reassembly = .completed
                            pkt = whole
                            off = 0
                            viewBase = -1
                            nh = firstNext
                            continue chain
                        }
                    }
                }
                nh = next
                off += len
            default:
                break chain
            }
        }
        info.protocol = nh
        info.headerLength = viewBase == base ? off : info.headerLength
        storeIP(info, depth: depth, into: &d)
        if nh == 59 { return }  // No Next Header
        guard let payload = pkt.suffix(from: off) else { return }
        decodeUpper(nh, payload, base: viewBase < 0 ? -1 : viewBase + off, depth: depth, into: &d)
    }

    @inlinable func frameOffset(_ viewBase: Int, _ off: Int) -> Int { viewBase < 0 ? off : viewBase + off }

    /// Scans Hop-by-Hop options (Pad1 = 0, else type/length) for Jumbo Payload (0xC2).
    @inlinable func hasJumboOption(_ b: ByteView, _ start: Int, _ len: Int) -> Bool {
        var o = start + 2
        let end = start + len
        while o < end {
            guard let t = b.integer(at: o, as: UInt8.self) else { return false }
            if t == 0 { o += 1; continue }
            if t == 0xC2 { return true }
            guard let l = b.integer(at: o + 1, as: UInt8.self) else { return false }
            o += 2 + Int(l)
        }
        return false
    }
}
