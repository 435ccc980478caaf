import Dissectors

/// The carrier rules that need no handshake (docs/leak-model.md, "VPN endpoints"):
/// at the end of pass 1 they judge the flows `CarrierFlowTable` counted and decide
/// which are a VPN's carrier, which side is this host, and which carrier is the
/// tunnel's own (the others are another VPN: encrypted, not a leak of content).
/// Every decision names its rule and its evidence; every rule used adds its
/// assumption to the output.
enum CarrierRule: String, CaseIterable, Sendable {
    case wireguardData = "wireguard-data"
    case openvpnSession = "openvpn-session"
    case openvpnStructure = "openvpn-structure"
    case esp
    case espInUDP = "esp-in-udp"
    case ikeSA = "ike-sa"
    case natKeepalive = "nat-t-keepalive"
    case tunnelTiming = "tunnel-timing"
    case dominantFlow = "dominant-flow"

    /// The assumption a decision by this rule rests on, as the output states it.
    var assumption: String {
        let name = "carrier rule \(rawValue)"
        switch self {
        case .wireguardData:
            return "\(name): a UDP flow that carries, in both directions, WireGuard transport messages (type 4, zero reserved bytes, one receiver index per direction, counters increasing, lengths 32 + 16n) is a WireGuard tunnel's carrier, even without a handshake in the capture"
        case .openvpnSession:
            return "\(name): a flow whose OpenVPN messages in both directions keep one session id per direction (control channel, tls-auth and tls-crypt included) and one peer id (P_DATA_V2) is an OpenVPN tunnel's carrier, even without its hard reset in the capture"
        case .openvpnStructure:
            return "\(name): a UDP flow on any port whose every payload, in both directions, reads as mid-session OpenVPN (P_DATA_V1/V2, P_CONTROL_V1, P_ACK_V1, soft reset; no hard reset in the capture) and keeps its fields consistent (one data opcode and peer id per direction, key ids that change seldom, AEAD packet ids increasing per key or CBC lengths of whole blocks; control packets with one session id per direction in a layout that fits: tls-crypt or tls-auth packet ids increasing with one time, or plain), with at least \(CarrierRules.openvpnMinimumPackets) such packets, is an OpenVPN tunnel's carrier, even without its hard reset in the capture and off port 1194"
        case .esp:
            return "\(name): ESP (IP protocol 50) is encrypted IPsec tunnel traffic by definition; the side that is not this host is an IPsec endpoint"
        case .espInUDP:
            return "\(name): UDP 4500 payloads that pass the RFC 3948 non-ESP-marker check and keep one SPI with increasing sequence numbers (or flow both ways) are ESP-in-UDP (NAT-T) tunnel traffic"
        case .ikeSA:
            return "\(name): IKE messages of one established SA (both SPIs non-zero) in both directions mark an IPsec endpoint: the peer of the side that sets the IKEv2 initiator flag"
        case .natKeepalive:
            return "\(name): NAT-T keepalives (one 0xFF byte to UDP 4500, RFC 3948) are sent by an IPsec client behind NAT to its IPsec endpoint; they carry no content"
        case .tunnelTiming:
            return "\(name): a VPN-protocol packet on a physical interface within \(formatDelay(CarrierRules.timingWindow)) of a packet on a captured tunnel interface, with the protocol's size relation (WireGuard: inner length + 32, padded to 16; ESP, OpenVPN: 16-200 bytes more), is that tunnel packet encrypted; a flow with at least half its data packets matched is the tunnel's carrier"
        case .dominantFlow:
            return "\(name): with no handshake in the capture, the carrier flow that matched the tunnel interface, else the one with the most packets, is this tunnel's carrier; carrier flows to other servers are another VPN (observation another-vpn): encrypted, not a leak of content"
        }
    }
}

/// One carrier flow the rules recognised.
struct CarrierDecision {
    var endpoint: Endpoint
    /// This host's side of the flow, when it was not known before.
    var host: HostAddress?
    var rules: [CarrierRule]
    /// Only its host counts: the endpoint joined an earlier decision's.
    var merged = false
}

struct CarrierRules {
    /// Outer and tunnel packets further apart than this are not matched.
    static let timingWindow: Int64 = 50_000_000
    /// Matches a flow needs (and at least half of its data packets) to be the carrier by timing alone.
    static let minimumTimed = 3
    /// Packets a flow needs, both ways together, to be OpenVPN by structure alone (openvpn-structure).
    static let openvpnMinimumPackets = 8

    var roles: [InterfaceKey: InterfaceDecision]
    /// Endpoints seen in handshakes (on physical interfaces).
    var handshakeEndpoints: [Endpoint]
    var hosts: Set<IPAddress>
    var fileNames: [Int: String]

    /// What the protocol rules (and timing) found on one flow.
    struct Recognition {
        var flow: CarrierFlow
        var rule: CarrierRule
        var protocolName: String
        var transport: String
        var evidence: String
        var timing: String?
        var timingDecided: Bool
        var host: Side = .low
        var hostReason = ""
    }

    enum Side { case low, high }

    func decide(_ table: CarrierFlowTable) -> (decisions: [CarrierDecision], assumptions: [String]) {
        var found: [Recognition] = []
        for flow in table.flows {
            guard roles[flow.key.interface]?.role == .physical,
                  !AddressScope(flow.key.low).staysOnLink, !AddressScope(flow.key.high).staysOnLink,
                  !covered(flow), var r = recognise(flow) else { continue }
            if r.timing == nil, let t = timingText(flow) { r.timing = t }
            found.append(r)
        }
        guard !found.isEmpty else { return ([], []) }
        // Which side is this host: decided per flow, with the addresses all the flows share as one clue.
        var sideCounts: [IPAddress: Int] = [:]
        for r in found { sideCounts[r.flow.key.low, default: 0] += 1; sideCounts[r.flow.key.high, default: 0] += 1 }
        for i in found.indices {
            let (side, why) = hostSide(found[i], shared: sideCounts)
            // The evidence again, this host's direction first.
            if side != .low, var again = recognise(found[i].flow, hostFirst: side) {
                again.timing = found[i].timing
                found[i] = again
            }
            found[i].host = side
            found[i].hostReason = why
        }

        // The tunnel's own carrier: a handshake endpoint's server, else the flow the tunnel interface
        // matched best, else the one with the most packets. Flows to other servers are another VPN.
        var primary: Set<IPAddress> = Set(handshakeEndpoints.map(\.address))
        var dominance: String?
        if primary.isEmpty {
            let best = found.indices.max { a, b in
                let x = found[a], y = found[b]
                if x.timingDecided != y.timingDecided { return !x.timingDecided }
                if x.flow.timed != y.flow.timed { return x.flow.timed < y.flow.timed }
                if x.flow.packets != y.flow.packets { return x.flow.packets < y.flow.packets }
                return x.flow.firstFrame > y.flow.firstFrame
            }!
            let b = found[best]
            primary = [remote(b)]
            let total = found.reduce(0) { $0 + $1.flow.packets }
            dominance = b.flow.timed >= Self.minimumTimed && roles[b.flow.timingInterface ?? b.flow.key.interface]?.role == .tunnel
                ? "the tunnel's carrier (the carrier flow the tunnel interface matched: \(b.flow.timed) packets)"
                : "the tunnel's carrier (the dominant carrier flow: \(b.flow.packets) of \(total) carrier-protocol packets)"
        }
        let primaryText = primary.sorted().map(\.description).joined(separator: ", ")

        var decisions: [CarrierDecision] = []
        var rulesUsed: Set<CarrierRule> = []
        for r in found {
            let remoteSide = remote(r), hostSide = r.host == .low ? r.flow.key.low : r.flow.key.high
            let port = r.host == .low ? r.flow.key.highPort : r.flow.key.lowPort
            let hostPort = r.host == .low ? r.flow.key.lowPort : r.flow.key.highPort
            let another = !primary.contains(remoteSide)
            var rules = [r.rule]
            var text = "\(r.evidence); frames \(r.flow.firstFrame)-\(r.flow.lastFrame) of \(fileName(r.flow.key.interface.fileIndex))"
            if let t = r.timing { text += "; \(t)"; if r.rule != .tunnelTiming { rules.append(.tunnelTiming) } }
            if another {
                text += "; another VPN: a carrier flow to a second server besides the tunnel's (\(primaryText))"
            } else if let d = dominance {
                text += "; \(d)"
                rules.append(.dominantFlow)
            }
            let ipsec = r.transport == "ipsec"
            let e = Endpoint(address: remoteSide, port: ipsec ? nil : port, transport: r.transport, protocol: r.protocolName,
                             decidedBy: "\(r.rule == .tunnelTiming ? "timing against the tunnel interface" : "carrier by structure") (carrier rule \(r.rule.rawValue)): \(text)",
                             anotherVPN: another)
            var host: HostAddress?
            if !hosts.contains(hostSide) {
                let peer = ipsec ? remoteSide.description : Peer(address: remoteSide, port: port).description
                host = HostAddress(address: hostSide, interface: r.flow.key.interface,
                                   decidedBy: "host side of the carrier flow \(Peer(address: hostSide, port: ipsec ? 0 : hostPort)) <-> \(peer) (carrier rule \(r.rule.rawValue), frame \(r.flow.firstFrame)): \(r.hostReason)")
            }
            rulesUsed.formUnion(rules)
            // A second flow to the same server (another client port, a reconnect) joins its endpoint.
            if let i = decisions.firstIndex(where: { $0.endpoint.address == e.address && $0.endpoint.port == e.port && $0.endpoint.transport == e.transport }) {
                decisions[i].endpoint.decidedBy += "; also the carrier flow \(Peer(address: hostSide, port: ipsec ? 0 : hostPort)) (carrier rule \(r.rule.rawValue): \(r.flow.packets) packets, frames \(r.flow.firstFrame)-\(r.flow.lastFrame))"
                if let h = host, decisions[i].host?.address != h.address { decisions.append(CarrierDecision(endpoint: e, host: h, rules: [], merged: true)) }
                continue
            }
            decisions.append(CarrierDecision(endpoint: e, host: host, rules: rules))
        }
        let assumptions = CarrierRule.allCases.filter(rulesUsed.contains).map(\.assumption)
        return (decisions, assumptions)
    }

    func fileName(_ i: Int) -> String { fileNames[i] ?? "file \(i)" }

    /// OpenVPN's handshake rule: a client hard reset (opcodes 1, 7, 10) one way, a server hard reset
    /// (2, 8) back on the same flow, and control or ACK packets after them that keep both session ids.
    /// One opcode byte alone is not enough: a QUIC short header reads as a reset one time in 32.
    /// The client's peer is the endpoint, the client this host.
    static func openvpnResetPair(_ flow: CarrierFlow, fileName: String) -> (Endpoint, HostAddress)? {
        let k = flow.key
        let clientIsLow: Bool
        if flow.fromLow.ovClientResets > 0 && flow.fromHigh.ovServerResets > 0 { clientIsLow = true }
        else if flow.fromHigh.ovClientResets > 0 && flow.fromLow.ovServerResets > 0 { clientIsLow = false }
        else { return nil }
        let (c, s) = clientIsLow ? (flow.fromLow, flow.fromHigh) : (flow.fromHigh, flow.fromLow)
        guard c.ovSessionChanges == 0, s.ovSessionChanges == 0, c.ovPeerChanges == 0, s.ovPeerChanges == 0,
              c.ovControl + s.ovControl > 0 else { return nil }
        let (host, server, port) = clientIsLow ? (k.low, k.high, k.highPort) : (k.high, k.low, k.lowPort)
        let transport = k.ipProtocol == 6 ? "tcp" : "udp"
        let e = Endpoint(address: server, port: port, transport: transport, protocol: "openvpn",
                         decidedBy: "OpenVPN client hard reset / server hard reset, frames \(c.ovClientResetFrame)/\(s.ovServerResetFrame) of \(fileName)")
        return (e, HostAddress(address: host, interface: k.interface,
                               decidedBy: "source of the carrier flow (OpenVPN, frame \(c.ovClientResetFrame))"))
    }

    func remote(_ r: Recognition) -> IPAddress { r.host == .low ? r.flow.key.high : r.flow.key.low }

    /// A handshake already named this flow's server (either side, since pass 1 did not know the host yet).
    func covered(_ flow: CarrierFlow) -> Bool {
        func matches(_ e: Endpoint, _ a: IPAddress, _ port: UInt16) -> Bool {
            guard e.address == a else { return false }
            if e.transport == "ipsec" { return flow.key.ipProtocol == 50 || flow.key.ipProtocol == 51 || port == 500 || port == 4500 }
            return e.port == nil || e.port == port
        }
        return handshakeEndpoints.contains { matches($0, flow.key.low, flow.key.lowPort) || matches($0, flow.key.high, flow.key.highPort) }
    }

    // MARK: - Protocol rules

    /// The rule that recognises `flow`, with its evidence; `hostFirst` orders the two directions in the text.
    func recognise(_ flow: CarrierFlow, hostFirst: Side = .low) -> Recognition? {
        let lowName = Peer(address: flow.key.low, port: flow.key.lowPort).description
        let highName = Peer(address: flow.key.high, port: flow.key.highPort).description
        let lowAddress = flow.key.low.description, highAddress = flow.key.high.description
        // a: the host's direction (once known), b: the other one. Every test below is symmetric.
        let (a, b, aName, bName, aAddress, bAddress) = hostFirst == .low
            ? (flow.fromLow, flow.fromHigh, lowName, highName, lowAddress, highAddress)
            : (flow.fromHigh, flow.fromLow, highName, lowName, highAddress, lowAddress)
        func make(_ rule: CarrierRule, _ proto: String, _ transport: String, _ evidence: String) -> Recognition {
            Recognition(flow: flow, rule: rule, protocolName: proto, transport: transport, evidence: evidence, timing: nil, timingDecided: false)
        }
        let tcp = flow.key.ipProtocol == 6
        // WireGuard transport data, both ways.
        func wgOK(_ d: CarrierDirection) -> Bool {
            d.wgData >= 2 && d.wgSteps >= 1 && d.wgBadLength == 0 && d.wgBadSteps * 16 <= d.wgData
                && d.wgData + d.wgHandshakes == d.packets
        }
        if flow.key.ipProtocol == 17, wgOK(a), wgOK(b) {
            var s = "WireGuard transport data both ways without a handshake in the capture: \(a.wgData + b.wgData) messages (\(a.wgData) from \(aName), \(b.wgData) from \(bName)), receiver index \(hex(a.wgReceiver)) / \(hex(b.wgReceiver)), counters increasing (\(a.wgSteps + b.wgSteps) steps, \(a.wgReordered + b.wgReordered) reordered, \(a.wgBadSteps + b.wgBadSteps) out of line), lengths 32 + 16n"
            if a.wgKeepalives + b.wgKeepalives > 0 { s += ", \(a.wgKeepalives + b.wgKeepalives) keepalives" }
            if a.wgRekeys + b.wgRekeys > 0 { s += ", \(a.wgRekeys + b.wgRekeys) rekeys" }
            return make(.wireguardData, "wireguard", "udp", s)
        }
        // OpenVPN: one session id per direction (control), one peer id (data v2).
        func ovOK(_ d: CarrierDirection) -> Bool {
            d.ovMessages >= 2 && d.ovMessages == d.packets && d.ovSessionChanges == 0 && d.ovPeerChanges == 0
                && d.ovKeyIDs.nonzeroBitCount <= 2
        }
        if ovOK(a), ovOK(b), (a.ovControl > 0 && b.ovControl > 0) || a.ovDataV2 + b.ovDataV2 >= 2 || (a.ovDataV1 >= 4 && b.ovDataV1 >= 4) {
            var s = "OpenVPN over \(tcp ? "TCP" : "UDP") both ways\(a.ovResets + b.ovResets == 0 ? " without a hard reset in the capture" : ""): \(a.ovMessages + b.ovMessages) messages (\(a.ovMessages) from \(aName), \(b.ovMessages) from \(bName))"
            if a.ovControl > 0 && b.ovControl > 0 {
                s += ", control channel with session id \(hex(a.ovSession)) / \(hex(b.ovSession)) (\(a.ovControl + b.ovControl) packets)"
            }
            if a.ovDataV2 + b.ovDataV2 > 0 {
                let peers = [a, b].filter(\.ovHavePeer).map { String($0.ovPeer) }
                s += ", \(a.ovDataV2 + b.ovDataV2) P_DATA_V2 with peer id \(peers.joined(separator: " / "))"
            }
            if a.ovDataV1 + b.ovDataV1 > 0 { s += ", \(a.ovDataV1 + b.ovDataV1) P_DATA_V1" }
            return make(.openvpnSession, "openvpn", tcp ? "tcp" : "udp", s)
        }
        // OpenVPN read by structure on a flow the dissector did not decode (any port).
        if flow.key.ipProtocol == 17, flow.openedByCandidate, let s = openvpnStructure(a, b, aName, bName, flow) {
            return make(.openvpnStructure, "openvpn", "udp", s)
        }
        // ESP: by definition on IP protocol 50.
        func spis(_ d: CarrierDirection, _ from: String) -> String? {
            guard d.esp > 0 else { return nil }
            var s = "\(d.esp) from \(from)"
            if d.espSPI != 0 {
                s += d.espSPIChanges == 0 ? " with SPI \(hex(d.espSPI))" : " with \(d.espSPIChanges + 1) SPIs (last \(hex(d.espSPI)))"
                s += d.espBadSteps == 0 ? ", sequence numbers increasing" : ", \(d.espBadSteps) sequence numbers out of line"
            }
            return s
        }
        if flow.key.ipProtocol == 50, a.esp + b.esp > 0 {
            let parts = [spis(a, aAddress), spis(b, bAddress)].compactMap { $0 }
            return make(.esp, "ipsec", "ipsec", "ESP (IP protocol 50)\(a.ike + b.ike == 0 ? " without IKE in the capture" : ""): \(a.esp + b.esp) packets, \(parts.joined(separator: "; "))")
        }
        guard flow.key.ipProtocol == 17 else { return nil }
        // ESP-in-UDP (NAT-T): one SPI with increasing sequence numbers, or both ways.
        func espOK(_ d: CarrierDirection) -> Bool {
            d.esp >= 2 && d.espSteps >= 1 && d.espSPIChanges == 0 && d.espBadSteps * 16 <= d.esp
        }
        func onlyIPsec(_ d: CarrierDirection) -> Bool { d.esp + d.natKeepalives + d.ike == d.packets }
        if onlyIPsec(a), onlyIPsec(b), a.esp + b.esp > 0,
           espOK(a) || espOK(b) || (a.esp > 0 && b.esp > 0 && a.espSPI != 0 && b.espSPI != 0) {
            let parts = [spis(a, aName), spis(b, bName)].compactMap { $0 }
            var s = "ESP-in-UDP (RFC 3948, past the non-ESP marker): \(a.esp + b.esp) packets, \(parts.joined(separator: "; "))"
            if a.natKeepalives + b.natKeepalives > 0 { s += ", \(a.natKeepalives + b.natKeepalives) NAT-T keepalives" }
            if a.ike + b.ike > 0 { s += ", \(a.ike + b.ike) IKE messages" }
            return make(.espInUDP, "ipsec", "ipsec", s)
        }
        // IKE of an established SA, both ways.
        if onlyIPsec(a), onlyIPsec(b), a.ikeEstablished > 0, b.ikeEstablished > 0, a.ikeSPIChanges == 0, b.ikeSPIChanges == 0,
           a.ikeSPI == b.ikeSPI {
            var s = "IKE messages of an established SA both ways: \(a.ike + b.ike) messages, initiator SPI \(hex(a.ikeSPI))"
            if a.natKeepalives + b.natKeepalives > 0 { s += ", \(a.natKeepalives + b.natKeepalives) NAT-T keepalives" }
            return make(.ikeSA, "ipsec", "ipsec", s)
        }
        // NAT-T keepalives alone.
        if onlyIPsec(a), onlyIPsec(b), a.natKeepalives + b.natKeepalives > 0, a.esp + b.esp == 0,
           flow.key.lowPort == 4500 || flow.key.highPort == 4500 {
            let from = a.natKeepalives > 0 ? aName : bName
            return make(.natKeepalive, "ipsec", "ipsec", "NAT-T keepalives only (no ESP or IKE in the capture): \(a.natKeepalives + b.natKeepalives) from \(from)")
        }
        // Timing alone: a VPN-protocol flow whose structure did not decide, matched with the tunnel interface.
        if let t = timingText(flow), flow.timed >= Self.minimumTimed, flow.timed * 2 >= flow.timingEligible {
            let proto = a.wgData + b.wgData > 0 ? "wireguard" : a.ovMessages + b.ovMessages > 0 ? "openvpn" : "ipsec"
            let transport = proto == "ipsec" ? "ipsec" : (tcp ? "tcp" : "udp")
            var r = make(.tunnelTiming, proto, transport, "\(proto == "wireguard" ? "WireGuard" : proto == "openvpn" ? "OpenVPN" : "IPsec") messages (\(a.packets) from \(aName), \(b.packets) from \(bName)) whose structure alone did not decide")
            r.timing = t
            r.timingDecided = true
            return r
        }
        return nil
    }

    /// openvpn-structure's evidence, when both directions of a candidate-opened flow keep OpenVPN's
    /// fields consistent (`OpenVPNStructure`); nil when they do not.
    func openvpnStructure(_ da: CarrierDirection, _ db: CarrierDirection, _ aName: String, _ bName: String, _ flow: CarrierFlow) -> String? {
        let a = da.oc, b = db.oc
        // Every packet of the flow (since it was tracked) read as mid-session OpenVPN.
        guard a.other == 0, b.other == 0, da.packets == a.packets, db.packets == b.packets,
              a.packets + b.packets >= Self.openvpnMinimumPackets,
              let ea = Self.ovDirection(a), let eb = Self.ovDirection(b) else { return nil }
        var s = "OpenVPN over UDP read by structure\(flow.key.lowPort == 1194 || flow.key.highPort == 1194 ? "" : " off port 1194") without a hard reset in the capture: \(a.packets + b.packets) packets (\(a.packets) from \(aName), \(b.packets) from \(bName))"
        if a.data + b.data > 0 {
            var parts: [String] = []
            if a.dataV2 + b.dataV2 > 0 {
                let peers = [a, b].filter { $0.dataV2 > 0 }.map { String($0.peer) }
                parts.append("\(a.dataV2 + b.dataV2) P_DATA_V2 with peer id \(peers.joined(separator: " / "))")
            }
            if a.dataV1 + b.dataV1 > 0 { parts.append("\(a.dataV1 + b.dataV1) P_DATA_V1") }
            let keys = (0..<8).filter { (a.keys | b.keys) & (1 << $0) != 0 }.map(String.init).joined(separator: ", ")
            parts.append("key id \(keys)")
            let aead = [(a, ea.data), (b, eb.data)].filter { $0.1 == .aead }.map(\.0)
            if !aead.isEmpty {
                let steps = aead.reduce(0) { $0 + $1.idSteps }, back = aead.reduce(0) { $0 + $1.idReordered }, bad = aead.reduce(0) { $0 + $1.idBad }
                parts.append("AEAD packet ids increasing\(aead.count == 1 ? " one way" : "") (\(steps) steps, \(back) reordered, \(bad) out of line)")
            }
            let cbc = [(a, ea.data), (b, eb.data)].filter { $0.1 == .cbc }.map(\.0)
            if !cbc.isEmpty {
                let ranges = cbc.map { "\($0.minLength)-\($0.maxLength)" }.joined(separator: " / ")
                let residues = Array(Set(cbc.map { String($0.residue) })).sorted().joined(separator: " / ")
                parts.append("CBC lengths of whole blocks\(cbc.count == 1 ? " one way" : "") (\(ranges) bytes, \(residues) mod 16 after the header)")
            }
            s += "; data channel: " + parts.joined(separator: ", ")
        }
        if a.control + b.control > 0 {
            s += "; control channel: \(a.control + b.control) packets, session id \(hex(a.session)) / \(hex(b.session))"
            let layouts = [(a, ea.control), (b, eb.control)].compactMap { d, c -> String? in
                guard let c else { return nil }
                return c < 0 ? "layout without tls-auth or tls-crypt" : "\(OpenVPNCandidate.controlLayouts[c].name) layout (time \(d.layoutTime[c]))"
            }
            if !layouts.isEmpty { s += ", " + layouts.joined(separator: " / ") + ", packet ids increasing" }
        }
        return s
    }

    enum OpenVPNData { case aead, cbc }

    /// One direction's evidence: how its data channel fits (AEAD, CBC) and its control channel's layout
    /// (an index into OpenVPNCandidate.controlLayouts, -1 for the plain one); nil when the direction does not fit.
    static func ovDirection(_ d: OpenVPNStructure) -> (data: OpenVPNData?, control: Int?)? {
        guard d.packets > 0, d.dataV1 == 0 || d.dataV2 == 0, d.peerChanges == 0, d.keyChanges <= 1 + d.data / 32 else { return nil }
        var data: OpenVPNData?, control: Int?
        let header = d.dataV2 > 0 ? 4 : 1
        // AEAD (GCM, ChaCha20-Poly1305): the packet id in clear, then a 16-byte tag; the smallest is a ping.
        if d.data >= 4, d.idSteps >= 3, d.idBad * 16 <= d.data, d.minLength >= header + 4 + 16 + 16 {
            data = .aead
        } else if d.data >= 8, d.residueChanges == 0, d.minLength - header >= 20 + 16 + 16, d.maxLength - d.minLength >= 32 {
            // CBC: HMAC (20, 32 or 64 bytes), IV and whole 16-byte blocks; lengths that vary.
            data = .cbc
        }
        if d.control >= 2, d.sessionChanges == 0 {
            if d.layouts != 0 { control = d.layouts.trailingZeroBitCount } else if d.plain { control = -1 }
        }
        // A direction with data packets must show the data channel's structure; one with only control
        // packets, the control channel's.
        if d.data >= 4 && data == nil { return nil }
        if d.data < 4 && control == nil { return nil }
        if d.control >= 2 && control == nil { return nil }
        return (data, control)
    }

    /// "N of M data packets matched packets on tunnel interface X within D (mean E)", when any did.
    func timingText(_ flow: CarrierFlow) -> String? {
        guard flow.timed > 0, let t = flow.timingInterface, let d = roles[t], d.role == .tunnel else { return nil }
        let mean = flow.delaySum / Int64(flow.timed)
        return "\(flow.timed) of \(flow.timingEligible) data packets matched packets on tunnel interface \(d.displayName) within \(formatDelay(flow.delayMax)) (mean \(formatDelay(mean)); \(flow.fromLow.outerAfterInner + flow.fromHigh.outerAfterInner) of them after the tunnel packet, i.e. sent)"
    }

    // MARK: - Host side

    /// This host's side of a carrier flow and why, from the strongest clue to the weakest.
    func hostSide(_ r: Recognition, shared: [IPAddress: Int]) -> (Side, String) {
        let k = r.flow.key, a = r.flow.fromLow, b = r.flow.fromHigh
        let lowHost = hosts.contains(k.low), highHost = hosts.contains(k.high)
        if lowHost != highHost { return lowHost ? (.low, "a known host address") : (.high, "a known host address") }
        if a.markedOutbound + b.markedInbound > 0 && b.markedOutbound + a.markedInbound == 0 { return (.low, "its packets are marked outbound by the capture") }
        if b.markedOutbound + a.markedInbound > 0 && a.markedOutbound + b.markedInbound == 0 { return (.high, "its packets are marked outbound by the capture") }
        // Sent packets follow their tunnel packet; received ones precede it.
        let sentLow = a.outerAfterInner + (b.timed - b.outerAfterInner), sentHigh = b.outerAfterInner + (a.timed - a.outerAfterInner)
        if sentLow >= sentHigh + 2 { return (.low, "its packets follow the tunnel interface's and its peer's precede them (\(sentLow) of \(r.flow.timed) timing matches)") }
        if sentHigh >= sentLow + 2 { return (.high, "its packets follow the tunnel interface's and its peer's precede them (\(sentHigh) of \(r.flow.timed) timing matches)") }
        if a.ikeFromInitiator > 0 && b.ikeFromInitiator == 0 { return (.low, "it sets the IKEv2 initiator flag") }
        if b.ikeFromInitiator > 0 && a.ikeFromInitiator == 0 { return (.high, "it sets the IKEv2 initiator flag") }
        if a.natKeepalives > 0 && b.natKeepalives == 0 { return (.low, "it sends the NAT-T keepalives") }
        if b.natKeepalives > 0 && a.natKeepalives == 0 { return (.high, "it sends the NAT-T keepalives") }
        // The protocol's registered server port says which side serves (direction only: no carrier is
        // ever recognised by port).
        let serverPorts: Set<UInt16> = r.protocolName == "wireguard" ? [51820] : r.protocolName == "openvpn" ? [1194] : [500, 4500]
        let lowServes = serverPorts.contains(k.lowPort), highServes = serverPorts.contains(k.highPort)
        if lowServes != highServes {
            return highServes ? (.low, "the other side uses the \(r.protocolName) server port \(k.highPort)")
                              : (.high, "the other side uses the \(r.protocolName) server port \(k.lowPort)")
        }
        let sl = AddressScope(k.low), sh = AddressScope(k.high)
        if sl == .privateNetwork && sh == .global { return (.low, "a private address facing a global one") }
        if sh == .privateNetwork && sl == .global { return (.high, "a private address facing a global one") }
        let nl = shared[k.low] ?? 0, nh = shared[k.high] ?? 0
        if nl != nh { return nl > nh ? (.low, "the side \(nl) carrier flows share") : (.high, "the side \(nh) carrier flows share") }
        return r.flow.firstFromLow ? (.low, "it sent the flow's first packet") : (.high, "it sent the flow's first packet")
    }

    func hex<T: FixedWidthInteger>(_ v: T) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: Swift.max(0, MemoryLayout<T>.size * 2 - s.count)) + s
    }
}

/// "0.42 ms", "12 µs".
func formatDelay(_ ns: Int64) -> String {
    if ns < 1_000_000 { return "\(ns / 1_000) µs" }
    let tenths = ns / 10_000
    let ms = tenths / 100, frac = tenths % 100
    return "\(ms).\(frac < 10 ? "0" : "")\(frac) ms"
}
