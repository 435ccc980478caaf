/// TCP (RFC 9293): header, payload, and reassembly of length-prefixed messages
/// (DNS, STUN/TURN, ChannelData, TLS records, OpenVPN) across segments, in order.
/// A message is dissected on the frame that completes it, as tshark does.
extension Dissector {
    @usableFromInline mutating func decodeTCP(_ b: ByteView, base: Int, depth: Int, into d: inout Dissection) {
        d.add(.tcp)
        guard let sp = b.integer(at: 0, as: UInt16.self), let dp = b.integer(at: 2, as: UInt16.self), let seq = b.integer(at: 4, as: UInt32.self), let ack = b.integer(at: 8, as: UInt32.self),
              let offFlags = b.integer(at: 12, as: UInt16.self), let win = b.integer(at: 14, as: UInt16.self), b.count >= 20 else {
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
        let key = TCPFlowKey(source: flowSource, destination: flowDestination, sourcePort: sp, destinationPort: dp)
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
                let missing = streams.flows[i].expected - streams.flows[i].have
                if let message = streams.append(i, fresh) {
                    tcp.reassembled = message
                    d.tcp = tcp
                    dispatchTCP(tcp, message: message, framing: framing, base: -1, into: &d)
                    // Bytes after the completed message start the next ones.
                    if missing < fresh.count, let rest = fresh.suffix(from: missing) {
                        walkMessages(rest, framing: framing, key: key, seq: seq &+ UInt32(truncatingIfNeeded: skip + missing),
                                     base: pbase < 0 ? -1 : pbase + skip + missing, dispatchFirst: false, into: &d)
                    }
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
        walkMessages(payload, framing: framing, key: key, seq: seq, base: pbase, dispatchFirst: true, into: &d)
    }

    /// Walks whole messages in `bytes` (dissecting the first when `dispatchFirst`);
    /// a trailing partial message starts reassembly for the flow.
    @usableFromInline mutating func walkMessages(_ bytes: ByteView, framing: TCPFraming, key: TCPFlowKey, seq: UInt32,
                                                 base: Int, dispatchFirst: Bool, into d: inout Dissection) {
        var o = 0
        var first: ByteView?
        var messages = 0
        var secondAt = 0
        while o < bytes.count, messages < 64 {
            guard let need = framing.messageLength(bytes, at: o), need > 0, o + need <= bytes.count else {
                // Partial message (or even a partial header): buffer it when its length is known.
                if let total = framing.messageLength(bytes, at: o), let rest = bytes.suffix(from: o) {
                    _ = streams.start(key, framing: framing, expected: total, data: rest,
                                      nextSeq: seq &+ UInt32(truncatingIfNeeded: o), now: now,
                                      frameOffset: base < 0 ? -1 : base + o, into: &d)
                }
                break
            }
            if first == nil { first = bytes.slice(o, need) }
            if messages == (dispatchFirst ? 1 : 0) { secondAt = o }
            messages += 1
            o += need
        }
        if dispatchFirst, let first, let tcp = d.tcp {
            dispatchTCP(tcp, message: first, framing: framing, base: base, into: &d)
        }
        // Whole DNS messages after the dissected one (pipelining): counted and noted, not dissected.
        let extra = dispatchFirst ? messages - 1 : messages
        if extra > 0, framing == .u16Length, d.app.dnsMessages > 0 {
            if d.app.dnsExtraMessages == 0 {
                d.note(.limitReached(layer: d.app.layer ?? .dns, offset: base < 0 ? secondAt : base + secondAt,
                                     limit: .init("DNS messages dissected per TCP segment (the first; the others are counted)")))
            }
            d.app.dnsExtraMessages &+= UInt16(truncatingIfNeeded: extra)
        }
    }

    /// Which framing a TCP payload that starts a message uses, by port and structure (nil: none).
    @inlinable static func tcpFraming(_ p: ByteView, _ sp: UInt16, _ dp: UInt16) -> TCPFraming? {
        guard let b0 = p.integer(at: 0, as: UInt8.self) else { return nil }
        // TLS record (handshake, alert, change cipher spec, application data), any port.
        if b0 >= 0x14 && b0 <= 0x17, p.integer(at: 1, as: UInt8.self) == 0x03, let minor = p.integer(at: 2, as: UInt8.self), minor <= 4,
           let l = p.integer(at: 3, as: UInt16.self), l > 0, l <= 18_432 { return .tlsRecord }
        // STUN/TURN over TCP (RFC 8489 magic cookie), any port.
        if b0 & 0xC0 == 0, p.integer(at: 4, as: UInt32.self) == 0x2112_A442, let l = p.integer(at: 2, as: UInt16.self), l & 3 == 0 { return .stun }
        // ICE-TCP (RFC 6544): STUN behind RFC 4571's 2-byte length, any port.
        if let l = p.integer(at: 0, as: UInt16.self), let sl = p.integer(at: 4, as: UInt16.self), Int(l) == 20 + Int(sl), let t = p.integer(at: 2, as: UInt8.self), t & 0xC0 == 0,
           p.integer(at: 6, as: UInt32.self) == 0x2112_A442 { return .u16Length }
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
        guard let w = p.integer(at: 0, as: UInt32.self) else { return false }
        switch w {
        case 0x4745_5420, 0x504F_5354, 0x4845_4144, 0x5055_5420, 0x4445_4C45, 0x4F50_5449, 0x434F_4E4E,
             0x5041_5443, 0x5452_4143, 0x4854_5450: return true  // GET , POST, HEAD, PUT , DELE, OPTI, CONN, PATC, TRAC, HTTP
        default: return false
        }
    }
}
