/// IPv4 (RFC 791): options, fragments (reassembled), then the upper layer.
extension Dissector {
    @usableFromInline mutating func decodeIPv4(_ b: ByteView, base: Int, depth: Int, into d: inout Dissection) {
        d.add(.ip)
        guard let vihl = b.integer(at: 0, as: UInt8.self), b.count >= 20 else {
            d.note(.truncated(layer: .ip, offset: base, needed: 20, available: b.count))
            return
        }
        guard vihl >> 4 == 4 else {
            if vihl >> 4 == 6, depth == 0 {
                // What tshark does with an IPv6 packet under an IPv4 link type.
                decodeIPv6(b, base: base, depth: depth, into: &d)
            } else {
                d.note(.malformed(layer: .ip, offset: base, reason: .init("IP version is not 4")))
            }
            return
        }
        let ihl = Int(vihl & 0x0F) * 4
        guard ihl >= 20 else {
            d.note(.malformed(layer: .ip, offset: base, reason: .init("header length below 20")))
            return
        }
        guard ihl <= b.count else {
            d.note(.truncated(layer: .ip, offset: base, needed: ihl, available: b.count))
            return
        }
        guard let total16 = b.integer(at: 2, as: UInt16.self), let flags = b.integer(at: 6, as: UInt16.self), let ttl = b.integer(at: 8, as: UInt8.self), let proto = b.integer(at: 9, as: UInt8.self),
              let src = b.integer(at: 12, as: UInt32.self), let dst = b.integer(at: 16, as: UInt32.self), let tos = b.integer(at: 1, as: UInt8.self), let ident = b.integer(at: 4, as: UInt16.self) else { return }
        var end = Int(total16)
        if end == 0 {
            // TSO/GSO captures write 0: use what was captured, as tshark does.
            end = b.count
            d.note(.malformed(layer: .ip, offset: base + 2, reason: .init("total length 0 (segmentation offload); captured length used")))
        } else if end < ihl {
            d.note(.malformed(layer: .ip, offset: base + 2, reason: .init("total length below header length")))
            return
        } else if end > b.count {
            d.note(.truncated(layer: .ip, offset: base, needed: end, available: b.count))
            end = b.count
        }
        var info = IPInfo(version: 4, source: .v4(src), destination: .v4(dst), protocol: proto, ttl: ttl,
                          headerLength: ihl, totalLength: Int(total16), offset: base)
        info.trafficClass = tos
        info.identification = ident
        info.dontFragment = flags & 0x4000 != 0
        info.optionsLength = ihl - 20
        if ihl > 20, !ipv4OptionsWellFormed(b, ihl) {
            d.note(.malformed(layer: .ip, offset: base + 20, reason: .init("option length runs past the header")))
        }
        guard var payload = b.slice(ihl, end - ihl) else { return }
        var payloadBase = base + ihl
        let more = flags & 0x2000 != 0
        let fragOffset = Int(flags & 0x1FFF) * 8
        if more || fragOffset != 0 {
            info.fragment = FragmentInfo(identification: UInt32(ident), offset: fragOffset, moreFragments: more)
            let key = FragmentKey(source: info.source, destination: info.destination, identification: UInt32(ident), protocol: proto)
            switch fragments.add(key: key, offset: fragOffset, more: more, data: payload, nextHeader: proto,
                                 now: now, layer: .ip, frameOffset: base, into: &d) {
            case .pending:
                info.reassembly = .pending
                storeIP(info, depth: depth, into: &d)
                return
            case .dropped:
                info.reassembly = .dropped
                storeIP(info, depth: depth, into: &d)
                return
            case .completed(let whole, _):
                info.reassembly = .completed
                payload = whole
                payloadBase = -1
            }
        }
        storeIP(info, depth: depth, into: &d)
        decodeUpper(proto, payload, base: payloadBase, depth: depth, into: &d)
    }

    /// Walks the option TLVs (EOL 0, NOP 1, else type/length) and checks none overruns the header.
    @inlinable func ipv4OptionsWellFormed(_ b: ByteView, _ ihl: Int) -> Bool {
        var o = 20
        while o < ihl {
            guard let t = b.integer(at: o, as: UInt8.self) else { return false }
            if t == 0 { return true }
            if t == 1 { o += 1; continue }
            guard let l = b.integer(at: o + 1, as: UInt8.self), l >= 2, o + Int(l) <= ihl else { return false }
            o += Int(l)
        }
        return true
    }

    /// The outermost header goes to `ip`; tunnelled ones to `innerIP` (the innermost wins).
    @inlinable mutating func storeIP(_ info: IPInfo, depth: Int, into d: inout Dissection) {
        // The innermost addresses are kept aside so transports need not copy an IPInfo back out.
        flowSource = info.source
        flowDestination = info.destination
        flowJumbogram = info.jumbogram
        if depth == 0 { d.ip = info } else { d.innerIP = info }
    }
}
