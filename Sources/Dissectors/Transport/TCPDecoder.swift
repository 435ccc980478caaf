/// TCP (RFC 9293): header, payload, and reassembly of length-prefixed messages
/// (DNS, STUN/TURN, ChannelData, TLS records, OpenVPN) across segments, in order.
/// A message is dissected on the frame that completes it, as tshark does.
extension Dissector {
    @usableFromInline mutating func decodeTCP(_ b: ByteView, base: Int, depth: Int, into d: inout Dissection) {
        d.add(.tcp)
        guard let sp = b.u16be(0), let dp = b.u16be(2), let seq = b.u32be(4), let ack = b.u32be(8),
              let offFlags = b.u16be(12), let win = b.u16be(14), b.count >= 20 else {
            d.note(.truncated(layer: .tcp, offset: base, needed: 20, available: b.count))
            return
        }
        let hlen = Int(offFlags >> 12) * 4
        guard hlen >= 20 else {
            d.note(.malformed(layer: .tcp, offset: base + 12, reason: .init("data offset below 5")))
            return
        }
        guard let payload = b.suffix(from: hlen) else {
            d.note(.truncated(layer: .tcp, offset: base, needed: hlen, available: b.count))
            return
        }
        let flags = TCPFlags(rawValue: offFlags & 0x01FF)
        var tcp = TCPInfo(sourcePort: sp, destinationPort: dp, sequence: seq, acknowledgment: ack,
                          flags: flags, window: win, headerLength: hlen, payload: payload, offset: base)
        let pbase = base < 0 ? -1 : base + hlen
        guard let ip = d.innermostIP else { d.tcp = tcp; return }
        let key = TCPFlowKey(source: ip.source, destination: ip.destination, sourcePort: sp, destinationPort: dp)
        // Continue a partial message of this flow direction.
        if let i = streams.find(key, now: now) {
            if payload.isEmpty {
                if flags.contains(.fin) || flags.contains(.rst) { streams.drop(i) }
                d.tcp = tcp
                return
            }
            let expectedSeq = streams.flows[i].nextSeq
            let delta = Int32(bitPattern: seq &- expectedSeq)
            if delta > 0 {
                d.note(.malformed(layer: .tcp, offset: base, reason: .init("segment missing before this one; partial message dropped")))
                streams.drop(i)
            } else {
                let skip = Int(-delta)
                guard skip < payload.count, let fresh = payload.suffix(from: skip) else {
                    d.tcp = tcp  // retransmission of bytes already buffered
                    return
                }
                streams.flows[i].lastSeen = now
                let framing = streams.flows[i].framing
                if let message = streams.append(i, fresh) {
                    tcp.reassembled = message
                    d.tcp = tcp
                    dispatchTCP(d.tcp!, message: message, framing: framing, base: -1, into: &d)
                } else {
                    d.tcp = tcp
                }
                return
            }
        }
        d.tcp = tcp
        guard !payload.isEmpty else { return }
        guard let framing = Dissector.tcpFraming(payload, sp, dp) else {
            dispatchTCP(tcp, message: payload, framing: nil, base: pbase, into: &d)
            return
        }
        // Walk whole messages in this segment; a trailing partial one starts reassembly.
        var o = 0
        var firstComplete: ByteView?
        while o < payload.count {
            guard let need = framing.messageLength(payload, at: o), o + need <= payload.count else {
                let total = framing.messageLength(payload, at: o)
                if let total, let rest = payload.suffix(from: o) {
                    _ = streams.start(key, framing: framing, expected: total, data: rest,
                                      nextSeq: seq &+ UInt32(truncatingIfNeeded: payload.count), now: now,
                                      frameOffset: pbase < 0 ? -1 : pbase + o, into: &d)
                }
                break
            }
            if firstComplete == nil { firstComplete = payload.slice(o, need) }
            o += need
        }
        if let first = firstComplete {
            dispatchTCP(tcp, message: first, framing: framing, base: pbase, into: &d)
        }
    }

    /// Which framing a TCP payload that starts a message uses, by port and structure (nil: none).
    @inlinable static func tcpFraming(_ p: ByteView, _ sp: UInt16, _ dp: UInt16) -> TCPFraming? {
        guard let b0 = p.u8(0) else { return nil }
        // TLS record carrying a handshake (ClientHello SNI), any port.
        if b0 == 0x16, p.u8(1) == 0x03, let minor = p.u8(2), minor <= 4 { return .tlsRecord }
        // STUN/TURN over TCP (RFC 8489 magic cookie), any port.
        if b0 & 0xC0 == 0, p.u32be(4) == 0x2112_A442, let l = p.u16be(2), l & 3 == 0 { return .stun }
        func port(_ x: UInt16) -> Bool { sp == x || dp == x }
        if port(53) || port(5353) || port(5355) || port(1194) { return .u16Length }
        // ChannelData over TCP only on TURN's usual ports, channel 0x4000-0x4FFF, and not HTTP text.
        if b0 & 0xF0 == 0x40, port(3478) || port(3479) || port(5349) || port(443) || port(80),
           !Dissector.looksLikeHTTPMethod(p) {
            return .channelData
        }
        return nil
    }

    @inlinable static func looksLikeHTTPMethod(_ p: ByteView) -> Bool {
        guard let w = p.u32be(0) else { return false }
        switch w {
        case 0x4745_5420, 0x504F_5354, 0x4845_4144, 0x5055_5420, 0x4445_4C45, 0x4F50_5449, 0x434F_4E4E,
             0x5041_5443, 0x5452_4143, 0x4854_5450: return true  // GET , POST, HEAD, PUT , DELE, OPTI, CONN, PATC, TRAC, HTTP
        default: return false
        }
    }
}
