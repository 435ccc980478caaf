import Dissectors
import OutputText

/// What the driver knows about the inputs besides their packets.
public struct InputSummary: Sendable {
    public var file: String
    public var packets: Int
    public var damage: String?
    public var warnings: [String]
    /// pcapng section comments (they may name the browser's candidates sidecar).
    public var sectionComments: [String] = []
    /// Interfaces the live capture saw stop early (from its ISBs).
    public var interfaceStops: [InterfaceStop] = []
    /// Route snapshots, canaries and drop counters the file recorded (positive control).
    public var controls = CaptureControls()
    public init(file: String, packets: Int, damage: String? = nil, warnings: [String] = []) {
        self.file = file; self.packets = packets; self.damage = damage; self.warnings = warnings
    }
}

extension Correlator {
    /// Settles held flows, closes spans and builds the analysis.
    public mutating func finish(inputs: [InputSummary] = []) -> Analysis {
        for (k, s) in flows { settle(s, key: k) }
        flows.removeAll()
        if candidateSpans.isEmpty {
            if let last = lastActivity, elapsed(lastTime, since: last) >= options.tunnelGapNanoseconds { quietWithoutLeaks(start: last, end: nil) }
        } else {
            for i in candidateSpans.byFile.indices { if let c = candidateSpans.take(i) { settleSpan(c, end: nil) } }
        }
        windowsForQuietStops()
        let windowIDs = windowIDs()
        // Findings in stable order: file, first time, class (then subject text for ties).
        var order = Array(builders.indices)
        order.sort { a, b in
            let x = builders[a], y = builders[b]
            if x.key.interface.fileIndex != y.key.interface.fileIndex { return x.key.interface.fileIndex < y.key.interface.fileIndex }
            if x.first != y.first { return x.first < y.first }
            if x.key.cls != y.key.cls { return x.key.cls < y.key.cls }
            return x.key.subject.description < y.key.subject.description
        }
        var ids: [Int: String] = [:]
        for (n, i) in order.enumerated() { ids[i] = "F\(n + 1)" }
        var findings: [Finding] = []
        findings.reserveCapacity(order.count)
        for i in order {
            findings.append(makeFinding(builders[i], id: ids[i] ?? "?", windowIDs: windowIDs))
            // The finding holds its cited flows now: the builder's keys go, rather than both
            // living until the end (10,000 findings of 256 flows and 256 omitted keys each); the same
            // for its flows' tallies.
            builders[i].cited = CitedFlowList()
            builders[i].flows = []
            builders[i].flowNames = [:]
            builders[i].frames = []  // the finding holds them sorted; nothing after this loop reads them
        }
        let windowsOut = leakWindows(findingIDs: ids)

        var exposed: [Analysis.ExposedAddress] = exposedPhysical.map {
            .init(address: $0.address, how: "\($0.how) of \(fileName(builders[$0.builder].key.interface.fileIndex))",
                  path: "physical", findingId: ids[$0.builder], server: $0.server, frame: $0.frame)
        }
        for i in order where builders[i].key.cls != .tunnelFailure && !builders[i].key.cls.isAttack {
            for s in builders[i].hostSources.items where !exposed.contains(where: { $0.address == s && $0.path == "physical" }) {
                exposed.append(.init(address: s, how: "source address of packets sent outside the tunnel (\(ids[i] ?? "?"))",
                                     path: "physical", findingId: ids[i]))
            }
        }
        // 6to4 and Teredo sources embed the host's public IPv4 address (Teredo: and its NAT port).
        for i in order where builders[i].key.cls == .ipv6 {
            let src = builders[i].key.subject.address
            guard let v4 = src.embeddedIPv4, src.kind == .teredo || src.kind == .sixToFour else { continue }
            let text = src.teredoClientPort.map { "\(v4):\($0)" } ?? v4.description
            if !exposed.contains(where: { $0.address == text && $0.path == "physical" }) {
                exposed.append(.init(address: text, how: "embedded in the \(src.kind == .teredo ? "Teredo" : "6to4") source \(src) of leaked IPv6 (\(ids[i] ?? "?"))",
                                     path: "physical", findingId: ids[i]))
            }
        }
        exposed += exposedTunnel

        let observationsOut = observationOrder.compactMap { id -> Observation? in
            guard let o = observations[id] else { return nil }
            let note: String
            switch o.kind {
            case "mdns", "llmnr", "nbns": note = "link-local multicast name traffic: stays on the LAN, not a tunnel leak"
            case "inbound-only": note = "unsolicited inbound packets the host did not answer: not a leak"
            case "link-local": note = "link-local traffic: never routed, not a tunnel leak"
            case "another-vpn":
                note = "carrier of another VPN (`sources`: its servers; `names`: server and protocol): a second encrypted carrier besides the tunnel's, not a leak of content; that server sees this host's real address (tunnel.vpn_endpoints says how it was recognised)"
            case "dhcp-classless-routes":
                note = "DHCP pushed classless static routes (option 121/249; `names` lists them): routes more specific than the tunnel's steer traffic around it (TunnelVision, CVE-2024-3661)"
            case "public-routes-pushed":
                note = "routes the link pushed (DHCP OFFER/ACK options 121/249, Router Advertisement route information) cover globally routable prefixes (`names`): traffic to them leaves this interface whatever the VPN's routes, so the host is exposed to decloaking (TunnelVision, CVE-2024-3661); a route-injection finding lists the traffic that followed"
            default: note = "multicast or broadcast on the link: not a tunnel leak"
            }
            return Observation(kind: o.kind, file: fileName(o.interface.fileIndex), interface: interfaceName(o.interface),
                               packets: o.packets, frames: o.frames.sorted(), framesOmitted: o.framesOmitted,
                               names: o.names.items.isEmpty ? nil : o.names.items,
                               answers: o.answers.items.isEmpty ? nil : o.answers.items,
                               sources: o.sources.isEmpty ? nil : o.sources.sorted().map(\.description), note: note,
                               problems: o.problems.items.isEmpty ? nil : o.problems.items)
        }

        let positive = positiveControl()
        let verdict = makeVerdict(findings, control: positive)
        let b = Analysis.BoundsReport(
            maxFlows: limits.maxFlows, flowsRefused: flowsRefused,
            maxPendingTransactions: limits.maxPendingTransactions, transactionsDropped: transactionsDropped,
            maxFindings: limits.maxFindings, findingsDropped: findingsDropped,
            packetsInDroppedFindings: packetsInDroppedFindings, maxFramesPerFinding: limits.maxFramesPerFinding,
            findingsWithFramesOmitted: findings.filter { $0.framesOmitted > 0 }.count,
            maxEvidenceItems: limits.maxEvidenceItems,
            evidenceItemsOmitted: findings.reduce(0) { $0 + ($1.evidence.itemsOmitted ?? 0) },
            modelBoundsHit: model.boundsHit,
            maxFragmentedDatagrams: reassembly.maxFragmentedDatagrams,
            datagramsDroppedIncomplete: reassembly.datagramsDroppedIncomplete, fragmentsRefused: reassembly.fragmentsRefused)
        var analysis = Analysis(verdict: verdict, tunnel: tunnelReport(), findings: findings,
                                observations: observationsOut + canaryObservations(positive),
                                exposedPublicAddresses: exposed, assumptions: assumptions(), packetVerdicts: verdictDictionary,
                                files: inputs.map { .init(file: $0.file, packets: $0.packets, damage: $0.damage, warnings: $0.warnings) },
                                bounds: b, settings: .init(tunnelGapNs: options.tunnelGapNanoseconds, groupGapNs: options.groupGapNanoseconds))
        analysis.leakWindows = windowsOut.isEmpty ? nil : windowsOut
        analysis.positiveControl = positive
        return analysis
    }

    /// Non-zero verdict counts by name.
    var verdictDictionary: [String: Int] {
        var d: [String: Int] = [:]
        for v in VerdictKind.allCases where verdictCounts[v.rawValue] != 0 { d[v.name] = verdictCounts[v.rawValue] }
        return d
    }

    func interfaceName(_ k: InterfaceKey) -> String { model.interfaces[k]?.displayName ?? "if\(k.interfaceID)" }

    func makeVerdict(_ findings: [Finding], control: PositiveControl) -> Analysis.Verdict {
        if !findings.isEmpty {
            var parts: [String] = []
            for c in LeakClass.allCases {
                let n = findings.filter { $0.class == c }
                guard !n.isEmpty else { continue }
                let worst = n.map(\.severity).max() ?? .low
                parts.append("\(n.count) \(c.rawValue) (worst \(worst.rawValue))")
            }
            return .init(status: .leaksFound, reason: "\(findings.count) finding\(findings.count == 1 ? "" : "s"): " + parts.joined(separator: ", "))
        }
        let tunnels = model.interfaces.values.filter { $0.role == .tunnel }.map(\.displayName).sorted()
        if !model.hasPhysicalInterface {
            let what = tunnels.isEmpty ? "no physical interface was captured" : "only tunnel interfaces were captured (\(tunnels.joined(separator: ", ")))"
            return .init(status: .cannotTell, reason: "\(what): no leak can be seen from it")
        }
        if physicalPackets == 0 {
            return .init(status: .cannotTell, reason: "no packet was captured on a physical interface: no leak can be seen")
        }
        let carrier = verdictCounts[VerdictKind.carrier.rawValue], hk = verdictCounts[VerdictKind.housekeeping.rawValue]
        let canaries = verdictCounts[VerdictKind.canary.rawValue]
        let seen = "\(physicalPackets) packets on physical interfaces: \(carrier) carrier, \(hk) housekeeping, "
            + (canaries > 0 ? "\(canaries) canary, " : "") + "the rest link-local or unanswered inbound; nothing left outside the tunnel"
        // The positive control (docs/leak-model.md): no "no leak" from a sensor that may be blind.
        if control.status == .blind {
            return .init(status: .cannotTell, reason: seen + ", but a leak could have gone unseen: " + control.reasons.joined(separator: "; "))
        }
        return .init(status: .noLeakSeen, reason: seen + "; " + controlSummary(control))
    }

    func tunnelReport() -> Analysis.TunnelReport {
        let ifs = model.interfaces.values.sorted { $0.description.key < $1.description.key }.map { d in
            Analysis.InterfaceReport(file: fileName(d.description.key.fileIndex), id: d.description.key.interfaceID,
                                     ifindex: d.description.key.interfaceIndex.map(Int.init), name: d.displayName,
                                     linkType: d.description.linkType.name, role: d.role, decidedBy: d.decidedBy,
                                     packets: d.packets)
        }
        let eps = model.endpoints.map {
            Analysis.EndpointReport(address: $0.address.description, port: $0.port.map(Int.init), transport: $0.transport,
                                    protocol: $0.protocol, decidedBy: $0.decidedBy)
        }
        let hosts = model.hosts.map {
            Analysis.HostAddressReport(address: $0.address.description, interface: interfaceName($0.interface),
                                       file: fileName($0.interface.fileIndex), decidedBy: $0.decidedBy)
        }
        return .init(interfaces: ifs, vpnEndpoints: eps, hostAddresses: hosts)
    }

    func assumptions() -> [String] {
        var a: [String] = []
        for d in model.interfaces.values.sorted(by: { $0.description.key < $1.description.key }) {
            a.append("interface \(d.displayName) of \(fileName(d.description.key.fileIndex)) is \(d.role.rawValue) (\(d.decidedBy))")
        }
        if model.endpoints.isEmpty {
            a.append("no VPN endpoint given, seen in a handshake or recognised by a carrier rule: every packet on a physical interface that is not housekeeping or link-local counts as outside the tunnel")
        }
        for e in model.endpoints {
            let ep = EndpointSpec(address: e.address, port: e.port)
            a.append("\(e.anotherVPN ? "another VPN's endpoint" : "VPN endpoint") \(ep) (\(e.protocol)): \(e.decidedBy)")
        }
        a += model.carrierAssumptions
        if model.hosts.isEmpty {
            a.append("no host address known: direction taken from capture flags, else the first packet of a flow is taken as sent by the host")
        }
        for h in model.hosts { a.append("host address \(h.address) on \(interfaceName(h.interface)): \(h.decidedBy)") }
        if directionGuesses > 0 {
            a.append("\(directionGuesses) packets had no known host address on either side: direction inferred from the flow's first packet")
        }
        if spansEnabled {
            a.append("tunnel activity is judged by \(activityFromTunnelInterface ? "packets on tunnel interfaces" : "carrier packets"); leaks after the last activity form a leak window, a tunnel failure when the tunnel stays quiet at least \(Double(options.tunnelGapNanoseconds) / 1e9) s and traffic that used the tunnel goes around it, or a remote that had not leaked before is reached while the tunnel reconnects or does not come back (a quiet tunnel that resumes without a reconnect was idle, not down)")
        }
        if windows.dropped > 0 {
            a.append("leak windows: \(WindowState.maxWindows) listed, \(windows.dropped) more not listed")
        }
        if attacks.pushesOmitted + attacks.routesOmitted > 0 {
            a.append("route pushes: at most \(AttackState.maxPushes) pushes and \(AttackState.maxRoutes) routes are followed; \(attacks.pushesOmitted) pushes and \(attacks.routesOmitted) routes beyond them were not")
        }
        a += interfaceStopAssumptions()
        a.append("capture is read twice: pass 1 learns roles, endpoints and host addresses; pass 2 judges packets")
        return a
    }

    func makeFinding(_ b: FindingBuilder, id: String, windowIDs: [Int: String] = [:]) -> Finding {
        var e = Evidence()
        let subject = b.key.subject
        var title = "", severity = Severity.high, why = ""
        let remote = b.maxRemoteScope == .global
        func list(_ c: CappedStrings) -> [String]? { c.items.isEmpty ? nil : c.items }
        var omitted = b.omitted
        switch b.key.cls {
        case .webrtc:
            e.stunServer = subject.description
            e.transport = nil
            e.exposedAddresses = b.exposed.items
            e.transactions = b.transactions
            e.relayedAddresses = list(b.relayed)
            e.software = list(b.software)
            e.iceUfrags = list(b.ufrags)
            e.iceChecks = b.iceChecks > 0 ? b.iceChecks : nil
            e.channelDataPackets = b.channelData > 0 ? b.channelData : nil
            e.icmpErrors = b.icmpErrors > 0 ? b.icmpErrors : nil
            e.alsoViaTunnel = tunnelPeers.contains(subject)
            e.serverName = b.serverName
            omitted += b.exposed.omitted + b.relayed.omitted + b.ufrags.omitted + b.software.omitted
            let what = b.iceChecks > 0 && b.transactions.allSatisfy({ $0.mappedAddress == nil }) ? "ICE connectivity checks"
                : b.relayed.items.isEmpty ? "STUN \(b.methods.items.first ?? "Binding")" : "TURN allocation"
            title = "\(what) to \(subject) outside the tunnel"
            // The evidence lists them all; the title names the first and counts the rest.
            func firstAndMore(_ c: CappedStrings) -> String? {
                guard let first = c.items.first else { return nil }
                let more = c.items.count - 1 + c.omitted
                return more > 0 ? "\(first) (+\(more) more)" : first
            }
            if let m = firstAndMore(b.exposed) { title += " revealed \(m)" }
            if let r = firstAndMore(b.relayed) { title += (b.exposed.items.isEmpty ? " relayed via " : ", relayed via ") + r }
            if !b.exposed.items.isEmpty { severity = .high; why = "a STUN response on the physical path revealed the real public address" }
            else if remote { severity = .high; why = "the STUN/TURN server is beyond the LAN and sees the real source address" }
            else { severity = .medium; why = "STUN/ICE only to private-network addresses: the LAN sees it, no remote host does" }
        case .dns:
            e.resolver = subject.description
            e.queries = b.queries
            e.ecs = list(b.ecs)
            omitted += b.ecs.omitted
            let names = Array(Set(b.queries.map(\.name))).sorted()
            title = "DNS to \(subject) outside the tunnel"
            if !names.isEmpty {
                title += ": " + names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
            }
            severity = .high
            why = remote ? "query names revealed to a resolver outside the tunnel" : "query names revealed to a resolver outside the tunnel (a LAN resolver forwards them)"
        case .ipv6:
            let src = subject.address
            e.source = src.description
            let kind = IPv6SourceKind(src)
            e.sourceKind = kind.rawValue
            e.eui64Mac = src.eui64MAC?.description
            e.destinations = b.destinations.items
            e.encapsulations = list(b.encapsulations)
            omitted += b.destinations.omitted
            let flows = b.flowEvidence
            e.flows = flows.isEmpty ? nil : flows
            let via = b.encapsulations.items.isEmpty ? "" : " (\(b.encapsulations.items.joined(separator: ", ")))"
            title = "IPv6\(via) from \(src) (\(kind.rawValue)) to \(b.destinations.items.count) destination\(b.destinations.items.count == 1 ? "" : "s") outside the tunnel"
            if let name = flows.compactMap({ $0.sni ?? $0.host ?? $0.dnsName }).first { title += ", \(name)" }
            if remote { severity = .high; why = "IPv6 reached a remote host with the host's own IPv6 source address" }
            else { severity = .medium; why = "IPv6 outside the tunnel to private/unique-local addresses only" }
        case .traffic:
            let flows = b.flowEvidence
            e.flows = flows
            let looksLike = b.carrierLookingPackets * 10 >= b.packets * 9 ? b.looksLike : nil
            e.looksLike = looksLike
            e.alsoViaTunnel = tunnelAddresses.contains(subject.address)
            let protos = Array(Set(flows.map { f in f.dstPort.map { "\($0)/\(f.protocol)" } ?? f.protocol })).sorted()
            title = "Traffic to \(subject.address) outside the tunnel"
            if !protos.isEmpty { title += " (\(protos.prefix(4).joined(separator: ", ")))" }
            if let sni = flows.compactMap({ $0.sni ?? $0.host }).first { title += ", \(sni)" }
            if model.endpoints.contains(where: { $0.address == subject.address }) {
                severity = .low
                why = "to the VPN server's own address but not its carrier port (the server sees the real address; TunnelCrack ServerIP)"
                title += ": the VPN server's address"
            } else if let l = looksLike {
                severity = .low
                why = "looks like \(l) carrier traffic to an address not known as a VPN endpoint (give it with --vpn-endpoint if it is yours)"
                title += ": looks like \(l)"
            } else if remote { severity = .high; why = "a remote host received traffic with the real source address" }
            else { severity = .medium; why = "traffic to a private-network address outside the tunnel (LAN or provider network)" }
        case .tunnelFailure:
            e.startNs = b.spanStart
            e.endNs = b.spanEnd ?? lastTime
            e.openAtEnd = b.spanEnd == nil
            e.leakedFrames = b.frames.sorted()
            e.leakClasses = b.leakClasses.items
            e.activitySignal = b.activitySignal
            let secs = Double((e.endNs ?? b.last) - b.spanStart) / 1e9
            let packets = "\(b.packets) packet\(b.packets == 1 ? "" : "s")"
            windowEvidence(b, &e, windowIDs: windowIDs)
            switch b.tunnelEvent?.kind {
            case .reconnect?:
                title = "Tunnel reconnected after \(formatSeconds(secs)) of quiet while \(packets) left outside it"
            case .endpointSwitch?:
                title = "Tunnel switched to another VPN endpoint after \(formatSeconds(secs)) of quiet while \(packets) left outside it"
            default:
                title = "Tunnel quiet for \(formatSeconds(secs))\(b.spanEnd == nil ? " until the end of the capture" : "") while \(packets) left outside it"
            }
            if let s = b.tunnelStop { title = tunnelStopTitle(s, packets: b.packets) }
            if remote { severity = .high; why = "packets reached remote hosts outside the tunnel while it was quiet" }
            else { severity = .medium; why = "packets left outside the tunnel while it was quiet (private-network destinations only)" }
        case .routeInjection, .localnet, .serverip:
            (title, severity, why) = attackFinding(b, &e)
        case .unrecognized: break  // only ever read from a newer record
        }
        e.itemsOmitted = omitted > 0 ? omitted : nil
        let firstNs = b.key.cls == .tunnelFailure ? b.spanStart : b.first
        let lastNs = b.key.cls == .tunnelFailure ? (b.spanEnd ?? lastTime) : b.last
        return Finding(id: id, class: b.key.cls, severity: severity, severityReason: why, title: title,
                       file: fileName(b.key.interface.fileIndex), fileIndex: b.key.interface.fileIndex,
                       interface: interfaceName(b.key.interface), firstNs: firstNs, lastNs: lastNs,
                       firstTime: ISO8601Nanoseconds.format(firstNs), lastTime: ISO8601Nanoseconds.format(lastNs), packets: b.packets,
                       bytes: b.bytes, frames: b.frames.sorted(), framesOmitted: b.framesOmitted, evidence: e,
                       citedFlows: b.cited.keys.isEmpty ? nil : b.cited.flows(),
                       citedFlowsOmitted: b.cited.omitted > 0 ? b.cited.omitted : nil)
    }
}

func formatSeconds(_ s: Double) -> String {
    let ms = Int((s * 1000).rounded())
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000) s"
}

extension Analysis {
    /// The process exit status for `analyze` (docs/exit-codes.md): 1 when a finding reaches
    /// `failOn` (nil: findings never fail), else 3 damaged input (wherever the damage is: a
    /// file damaged before its first packet also "cannot tell", but the damage is the news),
    /// else 2 cannot tell, else 0.
    public func exitStatus(failOn: Severity?) -> Int32 {
        if let failOn, findings.contains(where: { $0.severity >= failOn }) { return 1 }
        if files.contains(where: { $0.damage != nil }) { return 3 }
        if verdict.status == .cannotTell { return 2 }
        return 0
    }
}
