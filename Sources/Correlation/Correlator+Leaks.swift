import Dissectors

extension Correlator {
    /// A packet on a physical interface that is neither carrier, housekeeping nor link-local.
    mutating func leakCandidate(_ f: PacketFacts, outbound: Bool, detail: DetailSource) {
        guard let src = f.source, let dst = f.destination else { return }
        let fk = outbound
            ? FlowKey(interface: f.interfaceKey, ipProtocol: f.ipProtocol, host: src, hostPort: f.sourcePort,
                      remote: dst, remotePort: f.destinationPort)
            : FlowKey(interface: f.interfaceKey, ipProtocol: f.ipProtocol, host: dst, hostPort: f.destinationPort,
                      remote: src, remotePort: f.sourcePort)
        // One hash per packet: the flow is found by index and written back through it. Nothing
        // between here and the write-back inserts or removes flows (a sweep runs only for a new
        // flow, before it has an index), so the index stays valid.
        let slot = flows.index(forKey: fk)
        var flow = slot.map { flows.values[$0] }
        if flow == nil {
            if flows.count >= limits.maxFlows {
                // A full table is swept at most once per second of capture time (and every 10 s anyway,
                // in `consume`): refusing a flow is O(1), not a scan of the table per new flow.
                if lastSweep.map({ elapsed(f.time, since: $0) >= 1_000_000_000 }) ?? true { sweep(now: f.time) }
                if flows.count >= limits.maxFlows {
                    // Stateless fallback: judge the packet alone.
                    flowsRefused += 1
                    if outbound {
                        let c = classify(f, key: fk)
                        let b = group(c, f, time: f.time)
                        trackLeak(f, cls: c.cls, key: fk, outbound: true)
                        if let b { add(f, to: b, outbound: true, flowKey: fk, detail: detail) } else { countDropped(f) }
                    } else {
                        observeInboundOnly(pendingOf(f), interface: f.interfaceKey, source: src)
                    }
                    return
                }
            }
            flow = FlowState(lastSeen: f.time)
        }
        guard var state = flow else { return }
        state.lastSeen = f.time
        if outbound {
            let c = classify(f, key: fk)
            trackLeak(f, cls: c.cls, key: fk, outbound: true)
            if state.group == nil || (c.strong && builders[state.group!].key.cls != c.cls) {
                // Undecided TCP: wait for payload (a STUN or DNS message decides it better than the SYN).
                if f.transport == .tcp && f.payloadLength == 0 && !c.strong {
                    state.hostSent = true
                    state.tentative = state.tentative ?? c
                    addPending(&state.pending, f, outbound: true)
                    store(state, fk, slot)
                    return
                }
                state.group = group(c, f, time: f.time)
                state.flowIndex = nil
                state.hostSent = true
                state.tentative = nil
                if let b = state.group { attach(to: b, flow: &state, key: fk) }
            }
            state.hostSent = true
            if let b = state.group { add(f, to: b, outbound: true, flowKey: fk, flow: &state, detail: detail) }
            else { countDropped(f) }
        } else {
            if state.group == nil, f.app == .icmp, f.quoted != nil {
                // An ICMP error about a leaked packet belongs to that packet's finding.
                let c = classify(f, key: fk)
                if c.strong { state.group = group(c, f, time: f.time); state.hostSent = true }
            }
            if let b = state.group {
                add(f, to: b, outbound: false, flowKey: fk, flow: &state, detail: detail)
                trackLeak(f, cls: builders[b].key.cls, key: fk, outbound: false)
            } else {
                if state.hostSent, let c = state.tentative { trackLeak(f, cls: c.cls, key: fk, outbound: false) }
                // Unanswered so far: held, then either attached when the host answers or reported inbound-only.
                if state.tentative == nil && !state.hostSent { state.tentative = classify(f, key: fk) }
                addPending(&state.pending, f, outbound: false)
            }
        }
        store(state, fk, slot)
    }

    /// Writes a flow's state back where `leakCandidate` found it, or inserts a new flow.
    @inline(__always) mutating func store(_ state: FlowState, _ key: FlowKey, _ slot: [FlowKey: FlowState].Index?) {
        if let slot { flows.values[slot] = state } else { flows[key] = state }
    }

    func pendingOf(_ f: PacketFacts) -> Pending {
        var p = Pending()
        addPending(&p, f, outbound: false)
        return p
    }

    func addPending(_ p: inout Pending, _ f: PacketFacts, outbound: Bool) {
        if p.packets == 0 {
            p.first = f.time; p.last = f.time; p.fileIndex = f.fileIndex
            p.firstOutbound = outbound
            if f.ipProtocol == 1 || f.ipProtocol == 58 { p.firstICMP = UInt16(f.icmpType) << 8 | UInt16(f.icmpCode) }
        }
        p.packets += 1
        p.bytes += f.length
        p.first = min(p.first, f.time)
        p.last = max(p.last, f.time)
        if outbound { p.outboundFrames += 1 }
        if p.innerRemote == nil { p.innerRemote = outbound ? f.innermostDestination : f.innermostSource }
        if p.encapsulation == nil { p.encapsulation = f.encapsulation }
        if p.frames.count < limits.maxPendingFramesPerFlow { p.frames.append(f.frame) } else { p.framesOmitted += 1 }
    }

    mutating func countDropped(_ f: PacketFacts) { packetsInDroppedFindings += 1; tally(.leak) }

    /// What a leaked packet is, by priority: webrtc > dns > ipv6 > traffic.
    func classify(_ f: PacketFacts, key: FlowKey) -> Classification {
        let remote = Peer(address: key.remote, port: key.remotePort)
        switch f.app {
        case .stun, .channelData:
            return Classification(cls: .webrtc, subject: remote, strong: true)
        case .icmp:
            if let q = f.quoted {
                // An ICMP error quoting a STUN packet belongs to the STUN flow (LAB-NOTES: late TURN answers).
                let quotedRemote = model.isHost(q.source) || q.source == key.host
                    ? Peer(address: q.destination, port: q.destinationPort) : Peer(address: q.source, port: q.sourcePort)
                if q.isSTUN { return Classification(cls: .webrtc, subject: quotedRemote, strong: true) }
                let qk = FlowKey(interface: key.interface, ipProtocol: q.ipProtocol, host: key.host,
                                 hostPort: quotedRemote.address == q.destination ? q.sourcePort : q.destinationPort,
                                 remote: quotedRemote.address, remotePort: quotedRemote.port)
                if let b = flows[qk]?.group {
                    let k = builders[b].key
                    return Classification(cls: k.cls, subject: k.subject, strong: true)
                }
            }
        case .dns:
            return Classification(cls: .dns, subject: remote, strong: true)
        default:
            if f.transport == .tcp && key.remotePort == 853 { return Classification(cls: .dns, subject: remote, strong: true) }
        }
        if f.encapsulation == .sixInFour || f.encapsulation == .teredo {
            return Classification(cls: .ipv6, subject: Peer(address: hostSideInner(f, key: key), port: 0), strong: false)
        }
        if !key.host.isV4 { return Classification(cls: .ipv6, subject: Peer(address: key.host, port: 0), strong: false) }
        return Classification(cls: .traffic, subject: Peer(address: key.remote, port: 0), strong: false)
    }

    /// The host side of a tunnelled IPv6 packet: the inner source when the host sent it.
    func hostSideInner(_ f: PacketFacts, key: FlowKey) -> IPAddress {
        guard let s = f.innerSource, let d = f.innerDestination else { return key.host }
        return f.source == key.host ? s : d
    }

    /// The open group for a classification (a new finding when none is open or the time gap passed).
    mutating func group(_ c: Classification, _ f: PacketFacts, time: Int64) -> Int? {
        let gk = GroupKey(cls: c.cls, interface: f.interfaceKey, subject: c.subject)
        if let b = openGroups[gk], elapsed(time, since: builders[b].last) <= options.groupGapNanoseconds { return b }
        guard builders.count < limits.maxFindings else { findingsDropped += 1; return nil }
        builders.append(FindingBuilder(key: gk, time: time))
        openGroups[gk] = builders.count - 1
        return builders.count - 1
    }

    /// Moves a flow's held packets into its group.
    mutating func attach(to b: Int, flow: inout FlowState, key: FlowKey) {
        let p = flow.pending
        guard p.packets > 0 else { return }
        flow.pending = Pending()
        tally(.leak, p.packets)
        builders[b].packets += p.packets
        builders[b].bytes += p.bytes
        builders[b].first = min(builders[b].first, p.first)
        builders[b].last = max(builders[b].last, p.last)
        builders[b].outboundPackets += p.outboundFrames
        for fr in p.frames {
            if builders[b].frames.count < limits.maxFramesPerFinding { builders[b].frames.append(fr) }
            else { builders[b].framesOmitted += 1 }
        }
        builders[b].framesOmitted += p.framesOmitted
        builders[b].cited.add(CitedFlowKey(held: key, icmp: p.firstICMP, firstOutbound: p.firstOutbound),
                              frame: p.frames.first ?? 0, packets: p.packets, cap: limits.maxEvidenceItems)
        if builders[b].key.cls == .ipv6, let r = p.innerRemote {
            builders[b].destinations.insert(address: r, cap: limits.maxEvidenceItems)
            if let e = p.encapsulation { builders[b].encapsulations.insert(e.rawValue, cap: 8) }
            if AddressScope(r) == .global { builders[b].maxRemoteScope = .global }
        }
        if builders[b].key.cls == .traffic || builders[b].key.cls == .ipv6 {
            let i = flowEvidence(b, key: key, flow: &flow, firstFrame: p.frames.first ?? 0, transport: key.ipProtocol)
            if let i { builders[b].flows[i].packets += p.packets; builders[b].flows[i].bytes += p.bytes }
        }
        noteRemote(b, key: key, outbound: p.outboundFrames > 0)
    }

    mutating func noteRemote(_ b: Int, key: FlowKey, outbound: Bool) {
        let scope = AddressScope(key.remote)
        if scope == .global || (scope == .privateNetwork && builders[b].maxRemoteScope != .global) {
            builders[b].maxRemoteScope = scope
        }
        if outbound && AddressScope(key.host) == .global {
            builders[b].hostSources.insert(address: key.host, cap: 16)
        }
    }

    /// Adds one leaked packet to its finding with the class's evidence.
    mutating func add(_ f: PacketFacts, to b: Int, outbound: Bool, flowKey fk: FlowKey, detail: DetailSource) {
        var dummy = FlowState(lastSeen: f.time)
        add(f, to: b, outbound: outbound, flowKey: fk, flow: &dummy, detail: detail)
    }

    mutating func add(_ f: PacketFacts, to b: Int, outbound: Bool, flowKey fk: FlowKey, flow: inout FlowState,
                      detail: DetailSource) {
        tally(.leak)
        builders[b].count(frame: f.frame, time: f.time, length: f.length, cap: limits.maxFramesPerFinding)
        if let k = CitedFlowKey(f, outbound: outbound) { builders[b].cited.add(k, frame: f.frame, cap: limits.maxEvidenceItems) }
        if outbound { builders[b].outboundPackets += 1 }
        noteRemote(b, key: fk, outbound: outbound)
        let cap = limits.maxEvidenceItems
        switch builders[b].key.cls {
        case .webrtc: addSTUN(f, b, outbound: outbound, fk: fk, detail: detail)
        case .dns: addDNS(f, b, outbound: outbound, fk: fk, detail: detail)
        case .ipv6:
            let other = outbound ? (f.innermostDestination ?? fk.remote) : (f.innermostSource ?? fk.remote)
            builders[b].destinations.insert(address: other, cap: cap)
            if let e = f.encapsulation { builders[b].encapsulations.insert(e.rawValue, cap: 8) }
            if AddressScope(other) == .global { builders[b].maxRemoteScope = .global }
            addFlow(f, b, fk: fk, flow: &flow, detail: detail)
        case .traffic:
            addFlow(f, b, fk: fk, flow: &flow, detail: detail)
            let looks: String? = switch f.app {
            case .wireguard: "wireguard"
            case .openvpn: "openvpn"
            case .ike, .esp: "ipsec"
            case .l2tp: "l2tp"
            default: nil
            }
            if let looks {
                builders[b].looksLike = builders[b].looksLike ?? looks
                builders[b].carrierLookingPackets += 1
            }
        case .tunnelFailure, .routeInjection, .localnet, .serverip, .unrecognized: break
        }
    }

    /// Per-flow evidence of traffic and IPv6 findings: counts, TLS SNI, HTTP Host.
    mutating func addFlow(_ f: PacketFacts, _ b: Int, fk: FlowKey, flow: inout FlowState, detail: DetailSource) {
        guard let i = flowEvidence(b, key: fk, flow: &flow, firstFrame: f.frame, transport: f.ipProtocol) else { return }
        builders[b].flows[i].packets += 1
        builders[b].flows[i].bytes += f.length
        if f.app == .tls || f.app == .http {
            let names = builders[b].flowNames[i]
            if (f.app == .tls && names?.sni == nil) || (f.app == .http && names?.host == nil) {
                let d = detail(.all)
                if d.sni != nil || d.httpHost != nil {
                    var n = names ?? FlowNames()
                    if let s = d.sni { n.sni = s }
                    if let h = d.httpHost { n.host = h }
                    builders[b].flowNames[i] = n
                }
            }
        }
    }

    /// The flow's entry in a traffic finding (created on first use; nil once the list is full).
    mutating func flowEvidence(_ b: Int, key: FlowKey, flow: inout FlowState, firstFrame: Int, transport: UInt8) -> Int? {
        if let i = flow.flowIndex, i < builders[b].flows.count { return i }
        guard builders[b].flows.count < limits.maxEvidenceItems else { builders[b].omitted += 1; return nil }
        if let a = answers[key.remote] {
            builders[b].flowNames[builders[b].flows.count] = FlowNames(dnsName: a.name, dnsResponseFrame: a.frame)
        }
        builders[b].flows.append(FlowTally(key: key, ipProtocol: transport, firstFrame: firstFrame))
        flow.flowIndex = builders[b].flows.count - 1
        return flow.flowIndex
    }

    mutating func addSTUN(_ f: PacketFacts, _ b: Int, outbound: Bool, fk: FlowKey, detail: DetailSource) {
        let cap = limits.maxEvidenceItems
        if f.app == .channelData { builders[b].channelData += 1; return }
        if f.app == .icmp { builders[b].icmpErrors += 1; return }
        guard f.app == .stun, let txn = f.stunTransaction else { return }
        let d = detail(.all)
        if let s = d.software { builders[b].software.insert(s, cap: 16) }
        if let u = d.iceUfrag { builders[b].ufrags.insert(u, cap: cap) }
        if d.isICECheck { builders[b].iceChecks += 1 }
        if let m = d.stunMethod { builders[b].methods.insert(m, cap: 16) }
        if let r = d.relayedSocket { builders[b].relayed.insert(socket: r, cap: cap) }
        if builders[b].serverName == nil, let a = answers[fk.remote] { builders[b].serverName = "\(a.name) (DNS answer frame \(a.frame))" }
        let isRequest = f.stunClass == 0 || f.stunClass == 1
        if isRequest {
            guard builders[b].transactions.count < cap else { builders[b].omitted += 1; return }
            builders[b].transactions.append(STUNTransactionEvidence(id: txn.description, method: d.stunMethod,
                                                                    requestFrame: f.frame))
            if stunPending.count >= limits.maxPendingTransactions { transactionsDropped += 1 }
            else { stunPending[txn] = PendingRef(builder: b, index: builders[b].transactions.count - 1, time: f.time) }
        } else {
            var index: Int
            if let p = stunPending.removeValue(forKey: txn), p.builder == b {
                index = p.index
            } else {
                guard builders[b].transactions.count < cap else { builders[b].omitted += 1; return }
                builders[b].transactions.append(STUNTransactionEvidence(id: txn.description, method: d.stunMethod))
                index = builders[b].transactions.count - 1
            }
            builders[b].transactions[index].responseFrame = f.frame
            if let ms = d.mappedSocket {
                let m = ms.description
                builders[b].transactions[index].mappedAddress = m
                builders[b].exposed.insert(socket: ms, cap: cap)
                let server = Peer(address: fk.remote, port: fk.remotePort)
                if exposedPhysical.count < cap && !exposedPhysical.contains(where: { $0.address == m }) {
                    exposedPhysical.append((m, "XOR-MAPPED-ADDRESS from \(server), frame \(f.frame)", b, server.description, f.frame))
                }
            }
            if let r = d.relayedAddress { builders[b].transactions[index].relayedAddress = r }
        }
    }

    mutating func addDNS(_ f: PacketFacts, _ b: Int, outbound: Bool, fk: FlowKey, detail: DetailSource) {
        let cap = limits.maxEvidenceItems
        guard f.app == .dns else { return }
        // A query that reaches a finding whose query list is full adds only to the omitted count.
        let pastCap = !f.dnsIsResponse && builders[b].queries.count >= cap
        let d = detail(pastCap ? .counts : .all)
        for e in d.ecs { builders[b].ecs.insert(e, cap: 16) }
        if pastCap { builders[b].omitted += d.dnsQuestionCount; return }
        let key = DNSKey(id: f.dnsID, host: Peer(address: fk.host, port: fk.hostPort),
                         server: Peer(address: fk.remote, port: fk.remotePort))
        if !f.dnsIsResponse {
            var firstIndex: Int?
            for q in d.dnsQuestions {
                guard builders[b].queries.count < cap else { builders[b].omitted += 1; continue }
                builders[b].queries.append(DNSQueryEvidence(name: q.name, type: q.type, frame: f.frame))
                firstIndex = firstIndex ?? builders[b].queries.count - 1
            }
            if let firstIndex {
                if dnsPending.count >= limits.maxPendingTransactions { transactionsDropped += 1 }
                else { dnsPending[key] = PendingRef(builder: b, index: firstIndex, time: f.time) }
            }
        } else {
            var indices: [Int] = []
            if let p = dnsPending.removeValue(forKey: key), p.builder == b {
                indices = Array(p.index..<min(p.index + max(d.dnsQuestions.count, 1), builders[b].queries.count))
            } else {
                for q in d.dnsQuestions {
                    guard builders[b].queries.count < cap else { builders[b].omitted += 1; continue }
                    builders[b].queries.append(DNSQueryEvidence(name: q.name, type: q.type))
                    indices.append(builders[b].queries.count - 1)
                }
            }
            for i in indices {
                builders[b].queries[i].responseFrame = f.frame
                builders[b].queries[i].answers = Array(d.dnsAnswers.prefix(16))
                builders[b].queries[i].rcode = d.dnsRcode
            }
            let name = indices.first.map { builders[b].queries[$0].name } ?? d.dnsQuestions.first?.name ?? ""
            for a in d.dnsAnswerAddresses {
                if answers.count >= limits.maxRememberedAnswers && answers[a] == nil { continue }
                answers[a] = Answer(name: name, frame: f.frame, time: f.time)
            }
            if let i = indices.first, !attacks.endpointAddresses.isEmpty {
                noteServerAnswer(builders[b].queries[i], addresses: d.dnsAnswerAddresses, resolver: Peer(address: fk.remote, port: fk.remotePort), f)
            }
        }
    }

    /// Ages out flows, transactions and remembered answers by capture time.
    mutating func sweep(now: Int64) {
        lastSweep = now
        let idle = limits.flowIdleNanoseconds
        var expired: [FlowKey] = []
        for (k, v) in flows where elapsed(now, since: v.lastSeen) > idle { expired.append(k) }
        for k in expired { if let s = flows.removeValue(forKey: k) { settle(s, key: k) } }
        let t = limits.transactionTimeoutNanoseconds
        stunPending = stunPending.filter { elapsed(now, since: $0.value.time) <= t }
        dnsPending = dnsPending.filter { elapsed(now, since: $0.value.time) <= t }
        if !answers.isEmpty { answers = answers.filter { elapsed(now, since: $0.value.time) <= idle } }
        // Groups past the gap are closed lazily by `group(_:_:time:)`; forget their keys here.
        openGroups = openGroups.filter { elapsed(now, since: builders[$0.value].last) <= options.groupGapNanoseconds }
    }

    /// A flow leaves the table: held packets become a leak (the host sent) or inbound-only.
    mutating func settle(_ s: FlowState, key: FlowKey) {
        guard s.pending.packets > 0 else { return }
        var state = s
        if state.hostSent, let c = state.tentative {
            var f = PacketFacts()
            f.fileIndex = key.interface.fileIndex; f.interfaceID = key.interface.interfaceID
            f.interfaceIndex = key.interface.interfaceIndex
            if let b = group(c, f, time: s.pending.first) { attach(to: b, flow: &state, key: key) }
            else { packetsInDroppedFindings += s.pending.packets }
        } else {
            observeInboundOnly(s.pending, interface: key.interface, source: key.remote)
        }
    }
}
