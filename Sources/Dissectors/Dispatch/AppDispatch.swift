/// Which UDP payload or TCP message goes to which application parser, by
/// structure first and by port where structure is not enough (docs/dissect.md
/// lists the rules). Errors from the parsers become notes, with offsets made
/// frame-relative when the payload lies in the frame.
extension Dissector {
    @usableFromInline mutating func dispatchUDP(_ udp: UDPInfo, base: Int, into d: inout Dissection) {
        let p = udp.payload
        guard !p.isEmpty else { return }
        let sp = udp.sourcePort, dp = udp.destinationPort
        @inline(__always) func port(_ x: UInt16) -> Bool { sp == x || dp == x }

        // STUN's magic cookie is distinctive on any port.
        if STUNMessage.isLikely(p) { decodeSTUN(p, base: base, into: &d); return }

        // DNS ports, unless the payload is WireGuard and not DNS (VPNs use 53 to pass firewalls):
        // a DNS query with id 0x0100-0x0400 and zero flags has WireGuard's first word.
        let dnsLayer: Layer? = port(53) ? .dns : port(5353) ? .mdns : port(5355) ? .llmnr : port(137) ? .nbns : nil
        if let layer = dnsLayer {
            if WireGuardMessage.isLikely(p) && !DNSMessage.isLikely(p) {
                decodeWireGuard(p, base: base, into: &d)
            } else {
                decodeDNS(p, layer: layer, base: base, into: &d)
            }
            return
        }
        if WireGuardMessage.isLikely(p) { decodeWireGuard(p, base: base, into: &d); return }
        // A conversation that began with an OpenVPN client hard reset stays OpenVPN.
        if !openvpnConversations.isEmpty, openvpnConversations.contains(flowSource, sp, flowDestination, dp) {
            decodeOpenVPN(p, overTCP: false, base: base, into: &d)
            return
        }

        // Other well-known ports.
        if port(4500) { decodeNATT(p, base: base, into: &d); return }
        if port(500) { decodeIKE(p, base: base, into: &d); return }
        if port(1701) { decodeL2TP(p, base: base, into: &d); return }
        if port(1194) { decodeOpenVPN(p, overTCP: false, base: base, into: &d); return }
        if port(3478) || port(3479), STUNMessage.isLikelyClassic(p) { decodeSTUN(p, base: base, into: &d); return }
        if port(67) || port(68) { decodeDHCP(p, base: base, into: &d); return }
        if port(546) || port(547) { decodeDHCPv6(p, base: base, into: &d); return }
        if port(443), QUICLongHeader.isLikely(p) { decodeQUIC(p, base: base, into: &d); return }

        // Weaker structures, after the port rules.
        if TURNChannelData.isLikely(p) { decodeChannelData(p, base: base, into: &d); return }
        if p.count > 20, STUNMessage.isLikelyClassic(p) { decodeSTUN(p, base: base, into: &d); return }
        if OpenVPNPacket.isLikely(p) {
            decodeOpenVPN(p, overTCP: false, base: base, into: &d)
            if let o = d.app.openvpn, o.opcode == .hardResetClientV1 || o.opcode == .hardResetClientV2 || o.opcode == .hardResetClientV3 {
                openvpnConversations.remember(flowSource, sp, flowDestination, dp)
            }
            return
        }
        if IKEHeader.isLikely(p) { decodeIKE(p, base: base, into: &d); return }
    }

    @usableFromInline mutating func dispatchTCP(_ tcp: TCPInfo, message: ByteView, framing: TCPFraming?, base: Int, into d: inout Dissection) {
        @inline(__always) func port(_ x: UInt16) -> Bool { tcp.sourcePort == x || tcp.destinationPort == x }
        switch framing {
        case .stun?:
            decodeSTUN(message, base: base, into: &d)
        case .channelData?:
            decodeChannelData(message, base: base, into: &d)
        case .tlsRecord?:
            d.add(.tls)
            d.app.layer = .tls
            d.app.kind = .tls
            d.app.payload = message
            d.app.tlsRecord = TLSRecordHeader(message)
            if TLSClientHello.isLikely(message) {
                do throws(WireError) {
                    let h = try TLSClientHello(message)
                    d.app.tlsClientHello = h
                    if let e = h.problem { d.note(shift(e, base)) }
                } catch { d.note(shift(error, base)) }
            }
        case .u16Length?:
            if port(1194) {
                decodeOpenVPN(message, overTCP: true, base: base, into: &d)
            } else if let inner = STUNMessage.rfc4571Framed(message) {
                // ICE-TCP (RFC 6544 / RFC 4571 framing).
                if STUNMessage.isLikely(inner) { decodeSTUN(inner, base: base < 0 ? -1 : base + 2, into: &d) }
                else { decodeChannelData(inner, base: base < 0 ? -1 : base + 2, into: &d) }
                d.app.payload = message
            } else {
                // mDNS is UDP-only (RFC 6762): DNS on TCP 5353 is plain DNS, as tshark says.
                let layer: Layer = port(5355) ? .llmnr : .dns
                guard let body = message.suffix(from: 2) else { return }
                decodeDNS(body, layer: layer, base: base < 0 ? -1 : base + 2, into: &d)
                d.app.payload = message
            }
        case nil:
            if OpenVPNPacket.isLikely(message, overTCP: true) {
                decodeOpenVPN(message, overTCP: true, base: base, into: &d)
            } else if Dissector.looksLikeHTTPMethod(message), HTTPRequest.isLikely(message) {
                d.add(.http)
                d.app.layer = .http
                d.app.kind = .http
                d.app.payload = message
                do throws(WireError) {
                    let h = try HTTPRequest(message)
                    d.app.http = h
                } catch { d.note(shift(error, base)) }
            }
        }
    }

    // MARK: - One decoder call per protocol

    /// Marks `layer` as this packet's application layer, with its payload.
    @inlinable @inline(__always)
    func enter(_ layer: Layer, _ kind: AppKind, _ payload: ByteView, into d: inout Dissection) {
        d.add(layer)
        d.app.layer = layer
        d.app.kind = kind
        d.app.payload = payload
    }

    /// Decodes one app view; its problem, or the failure to read its header,
    /// becomes a note at `base` (the payload's offset in the frame).
    @inlinable @inline(__always)
    func view<V: PartiallyDecoded>(
        _ payload: ByteView, base: Int, into d: inout Dissection, _ parse: (ByteView) throws(WireError) -> V
    ) -> V? {
        do throws(WireError) {
            let v = try parse(payload)
            if let e = v.problem { d.note(shift(e, base)) }
            return v
        } catch {
            d.note(shift(error, base))
            return nil
        }
    }

    @inlinable func shift(_ e: WireError, _ base: Int) -> WireError {
        guard base > 0 else { return e }
        switch e {
        case .truncated(let l, let o, let n, let a): return .truncated(layer: l, offset: o + base, needed: n, available: a)
        case .malformed(let l, let o, let r): return .malformed(layer: l, offset: o + base, reason: r)
        case .limitReached(let l, let o, let x): return .limitReached(layer: l, offset: o + base, limit: x)
        }
    }

    @usableFromInline mutating func decodeSTUN(_ p: ByteView, base: Int, into d: inout Dissection) {
        do throws(WireError) {
            let m = try STUNMessage(p)
            d.add(m.layer)
            d.app.layer = m.layer
            d.app.kind = m.isClassic ? .classicSTUN : .stun
            d.app.payload = p
            d.app.stun = m
            if let e = m.problem { d.note(shift(e, base)) }
        } catch {
            d.add(.stun)
            d.note(shift(error, base))
        }
    }

    @usableFromInline mutating func decodeChannelData(_ p: ByteView, base: Int, into d: inout Dissection) {
        enter(.turnChannel, .channelData, p, into: &d)
        if let c = view(p, base: base, into: &d, { b throws(WireError) in try TURNChannelData(b) }) { d.app.channelData = c }
    }

    @usableFromInline mutating func decodeDNS(_ p: ByteView, layer: Layer, base: Int, into d: inout Dissection) {
        enter(layer, AppKind.dns(layer), p, into: &d)
        if let m = view(p, base: base, into: &d, { b throws(WireError) in try DNSMessage(b, layer: layer) }) { d.app.dns = m }
    }

    @usableFromInline mutating func decodeWireGuard(_ p: ByteView, base: Int, into d: inout Dissection) {
        enter(.wireguard, .wireguard, p, into: &d)
        if let m = view(p, base: base, into: &d, { b throws(WireError) in try WireGuardMessage(b) }) { d.app.wireguard = m }
    }

    @usableFromInline mutating func decodeOpenVPN(_ p: ByteView, overTCP: Bool, base: Int, into d: inout Dissection) {
        enter(.openvpn, .openvpn, p, into: &d)
        if let m = view(p, base: base, into: &d, { b throws(WireError) in try OpenVPNPacket(b, overTCP: overTCP) }) { d.app.openvpn = m }
    }

    @usableFromInline mutating func decodeIKE(_ p: ByteView, base: Int, into d: inout Dissection) {
        enter(.isakmp, .ike, p, into: &d)
        if let m = view(p, base: base, into: &d, { b throws(WireError) in try IKEHeader(b) }) { d.app.ike = m }
    }

    /// UDP 4500 (RFC 3948): keepalive, IKE after the non-ESP marker, or ESP.
    @usableFromInline mutating func decodeNATT(_ p: ByteView, base: Int, into d: inout Dissection) {
        d.add(.udpencap)
        d.app.payload = p
        do throws(WireError) {
            switch try NATTraversalPayload(p) {
            case .keepalive:
                d.app.layer = .udpencap
                d.app.kind = .natKeepalive
                d.app.natKeepalive = true
            case .ike(let h):
                d.add(.isakmp)
                d.app.layer = .isakmp
                d.app.kind = .ike
                d.app.ike = h
                if let e = h.problem { d.note(shift(e, base + 4)) }
            case .esp(let e):
                d.add(.esp)
                d.app.layer = .esp
                d.app.kind = .esp
                d.app.esp = e
            }
        } catch { d.note(shift(error, base)) }
    }

    @usableFromInline mutating func decodeL2TP(_ p: ByteView, base: Int, into d: inout Dissection) {
        enter(.l2tp, .l2tp, p, into: &d)
        if let m = view(p, base: base, into: &d, { b throws(WireError) in try L2TPHeader(b) }) { d.app.l2tp = m }
    }

    @usableFromInline mutating func decodeESP(_ b: ByteView, base: Int, into d: inout Dissection) {
        enter(.esp, .esp, b, into: &d)
        do throws(WireError) {
            d.app.esp = try ESPPacket(b)
        } catch { d.note(shift(error, base)) }
    }

    @usableFromInline mutating func decodeQUIC(_ p: ByteView, base: Int, into d: inout Dissection) {
        enter(.quic, .quic, p, into: &d)
        if let q = view(p, base: base, into: &d, { b throws(WireError) in try QUICLongHeader(b) }) { d.app.quic = q }
    }

    @usableFromInline mutating func decodeDHCP(_ p: ByteView, base: Int, into d: inout Dissection) {
        enter(.dhcp, .dhcp, p, into: &d)
        if let m = view(p, base: base, into: &d, { b throws(WireError) in try DHCPv4Message(b) }) { d.app.dhcp = m }
    }

    @usableFromInline mutating func decodeDHCPv6(_ p: ByteView, base: Int, into d: inout Dissection) {
        enter(.dhcpv6, .dhcpv6, p, into: &d)
        if let m = view(p, base: base, into: &d, { b throws(WireError) in try DHCPv6Message(b) }) { d.app.dhcpv6 = m }
    }

    @usableFromInline mutating func decodeICMPv4(_ b: ByteView, base: Int, into d: inout Dissection) {
        enter(.icmp, .icmp, b, into: &d)
        do throws(WireError) {
            let m = try ICMPv4Message(b)
            d.app.icmp = m
            if m.isError, let q = m.quotedPacket { decodeQuote(q, layer: .icmp, base: base, into: &d) }
        } catch { d.note(shift(error, base)) }
    }

    /// The packet quoted by an ICMP error (8 bytes into the message), one level deep.
    @usableFromInline mutating func decodeQuote(_ q: ByteView, layer: Layer, base: Int, into d: inout Dissection) {
        do throws(WireError) {
            d.quoted = try ICMPQuote(q, layer: layer, maxExtensionHeaders: limits.maxExtensionHeaders)
        } catch { d.note(shift(error, base < 0 ? -1 : base + 8)) }
    }

    @usableFromInline mutating func decodeICMPv6(_ b: ByteView, base: Int, into d: inout Dissection) {
        enter(.icmpv6, .icmpv6, b, into: &d)
        guard let m = view(b, base: base, into: &d, { b throws(WireError) in try ICMPv6Message(b) }) else { return }
        d.app.icmpv6 = m
        if m.isError, let q = m.quotedPacket { decodeQuote(q, layer: .icmpv6, base: base, into: &d) }
    }

    @usableFromInline mutating func decodeARP(_ b: ByteView, base: Int, into d: inout Dissection) {
        enter(.arp, .arp, b, into: &d)
        if let m = view(b, base: base, into: &d, { b throws(WireError) in try ARPPacket(b) }) { d.app.arp = m }
    }
}
