import Dissectors

/// Pass 2: judges every packet against the frozen `TunnelModel` and groups
/// leaked packets into findings. Feed packets in capture order with
/// `consume(_:detail:)`, then call `finish()`.
///
/// All state is keyed per flow, transaction, group and observation, capped by
/// `CorrelationLimits` and aged out by capture time, so memory does not grow
/// with the length of the capture.
public struct Correlator {
    public let model: TunnelModel
    public let options: AnalysisOptions
    var limits: CorrelationLimits { options.limits }

    var flows: [FlowKey: FlowState] = [:]
    var openGroups: [GroupKey: Int] = [:]
    var builders: [FindingBuilder] = []
    var observations: [ObservationKey: ObservationBuilder] = [:]
    var observationOrder: [ObservationKey] = []
    var stunPending: [STUNTransactionID: PendingRef] = [:]
    var dnsPending: [DNSKey: PendingRef] = [:]
    var answers: [IPAddress: Answer] = [:]
    var tunnelPeers: Set<Peer> = []
    var tunnelAddresses: Set<IPAddress> = []
    var lastTunnelPair: (source: IPAddress, destination: IPAddress)?
    var exposedTunnel: [Analysis.ExposedAddress] = []
    var exposedPhysical: [(address: String, how: String, builder: Int, server: String, frame: Int)] = []
    var verdictCounts = [Int](repeating: 0, count: VerdictKind.allCases.count)
    /// Positive control: carrier per interface, canaries found (Correlator+Controls.swift).
    var control = ControlState()
    var physicalPackets = 0

    // Tunnel activity and open tunnel-failure spans (by file).
    let activityFromTunnelInterface: Bool
    let spansEnabled: Bool
    /// A settled span's judgement when it was shorter than the gap (made once: a flood settles a span per leak).
    let quietForLessThanTheGap: String
    var lastActivity: Int64?
    /// A quiet period with leaks, per file, waiting to be confirmed or dropped when activity resumes.
    var candidateSpans = SpanCandidates()
    /// Remote addresses that leaked outside confirmed failures: leaking to them again is routine, not a failure sign.
    var leakedRemotes: Set<IPAddress> = []
    /// Interfaces the capture saw stop, by time (InterfaceStops.swift).
    var recordedStops: [InterfaceStop] = []

    /// The open span candidates by file index, in an array: a leaked packet changes its file's
    /// candidate where it is (a Dictionary's `_modify` moved the whole candidate out and back,
    /// and a read of it copied it).
    struct SpanCandidates {
        var byFile: [SpanCandidate?] = []
        private(set) var count = 0
        var isEmpty: Bool { count == 0 }

        func isOpen(_ file: Int) -> Bool {
            guard file < byFile.count, case .some = byFile[file] else { return false }
            return true
        }

        /// `file` is an input's index (not read from a packet): the array is as long as the inputs.
        mutating func open(_ file: Int, _ c: SpanCandidate) {
            if file >= byFile.count { byFile += repeatElement(nil, count: file + 1 - byFile.count) }
            if !isOpen(file) { count += 1 }
            byFile[file] = c
        }

        /// The candidate of `file`, closed: moved out, not copied.
        mutating func take(_ file: Int) -> SpanCandidate? {
            guard let c = byFile[file].take() else { return nil }
            count -= 1
            return c
        }
    }

    struct SpanCandidate {
        var builder: FindingBuilder
        /// The first leak to a remote that had not leaked before and that no route outside the tunnel
        /// explains (the LAN, a pushed route, the VPN server's own address).
        var newRemote: IPAddress?
        /// The first leak to a remote reached through the tunnel before: traffic moved off the tunnel.
        var movedRemote: IPAddress?
        /// The tunnel interface vanished before or during the span: it is a failure whatever the gap.
        var tunnelStop: InterfaceStop?
        var remotes: [IPAddress] = []
        /// `remotes` as a set once it is longer than 16: a flood of distinct remotes costs a hash per
        /// packet, not a scan of 256; a short list is scanned (most candidates settle after a few
        /// leaks, and building a set for them cost more than the scans).
        var remoteSet: Set<IPAddress> = []
        /// The endpoint the carrier went to before the quiet began (endpoint switches).
        var endpointBefore: EndpointSpec?

        /// Whether `newRemote` and `movedRemote` are still to be found. Mutating only so that it is
        /// called on the candidate where it is (reading it out of the array may copy it whole).
        mutating func unsetRemotes() -> (newRemote: Bool, moved: Bool) { (newRemote == nil, movedRemote == nil) }

        /// One leaked packet of the span (`Correlator.spanTrack`, which decided `newRemote` and `movedRemote`).
        mutating func track(_ f: PacketFacts, cls: LeakClass, remote: IPAddress, outbound: Bool, stop: InterfaceStop?,
                            newRemote isNew: Bool, movedRemote isMoved: Bool, limits: CorrelationLimits) {
            if tunnelStop == nil { tunnelStop = stop }
            builder.count(frame: f.frame, time: f.time, length: f.length, cap: limits.maxFramesPerFinding)
            if let k = CitedFlowKey(f, outbound: outbound) { builder.cited.add(k, frame: f.frame, cap: limits.maxEvidenceItems) }
            builder.leakClasses.insert(cls.rawValue, cap: 8)
            if AddressScope(remote) == .global { builder.maxRemoteScope = .global }
            guard outbound else { return }
            if isNew { newRemote = remote }
            if isMoved { movedRemote = remote }
            guard remotes.count < limits.maxEvidenceItems else { return }
            if remotes.count < 16 {
                if !remotes.contains(remote) { remotes.append(remote) }
                if remotes.count == 16 { remoteSet = Set(remotes) }
            } else if remoteSet.insert(remote).inserted {
                remotes.append(remote)
            }
        }
    }
    /// Tunnel events and their leak windows (Correlator+Windows.swift).
    var windows = WindowState()
    /// Route pushes, VPN server names answered outside the tunnel, attack findings (Correlator+Attacks.swift).
    var attacks = AttackState()

    /// The carrier test of every packet (TunnelModel.carrierEndpoint without copies).
    let endpointMatcher: EndpointMatcher
    /// The last interface's role: consecutive packets mostly share one (no hashing per packet).
    var lastRole: (key: InterfaceKey, role: InterfaceRole)?
    /// The one before (a tunnel and its carrier alternate).
    var previousRole: (key: InterfaceKey, role: InterfaceRole)?

    var lastSweep: Int64?
    var lastTime: Int64 = 0
    var directionGuesses = 0

    // Bounds hit.
    var flowsRefused = 0, transactionsDropped = 0
    var findingsDropped = 0, packetsInDroppedFindings = 0
    /// The dissectors' reassembly bounds, as pass 2 ended (`note(reassembly:limits:)`).
    var reassembly = ReassemblyBounds()

    struct ReassemblyBounds {
        var maxFragmentedDatagrams = DissectorLimits().maxFragmentedDatagrams
        var datagramsDroppedIncomplete = 0
        var fragmentsRefused = 0
    }

    /// What the dissectors' IP reassembly dropped over the whole pass (one dissector per input).
    public mutating func note(reassembly statistics: [DissectorStatistics], limits: DissectorLimits) {
        reassembly.maxFragmentedDatagrams = limits.maxFragmentedDatagrams
        reassembly.datagramsDroppedIncomplete = statistics.reduce(0) { $0 + $1.datagramsDroppedIncomplete }
        reassembly.fragmentsRefused = statistics.reduce(0) { $0 + $1.fragmentsRefused }
    }

    public init(model: TunnelModel, options: AnalysisOptions) {
        self.model = model
        self.options = options
        activityFromTunnelInterface = model.hasTunnelInterface
        spansEnabled = model.hasTunnelInterface || !model.endpoints.isEmpty
        quietForLessThanTheGap = "quiet for less than \(formatSeconds(Double(options.tunnelGapNanoseconds) / 1e9))"
        attacks.endpointAddresses = Set(model.endpoints.filter { !$0.anotherVPN }.map(\.address))
        endpointMatcher = EndpointMatcher(model.endpoints)
    }

    /// A leaked flow's key in the flow table (65,536 of them, in a table of 131,072 buckets).
    /// The small fields fill the gaps the addresses leave (`IPAddress` is 17 bytes, aligned to
    /// 8), and the interface is kept as 32-bit parts: 64 bytes a key instead of 72. Interface
    /// ids are 32-bit in the file formats and file indexes count the inputs.
    struct FlowKey: Hashable {
        var host: IPAddress
        var hostPort: UInt16
        var ipProtocol: UInt8
        var remote: IPAddress
        var remotePort: UInt16
        private var fileIndex: UInt32
        private var interfaceID: UInt32
        private var interfaceIndex: UInt32?

        init(interface: InterfaceKey, ipProtocol: UInt8, host: IPAddress, hostPort: UInt16, remote: IPAddress, remotePort: UInt16) {
            self.host = host; self.hostPort = hostPort; self.ipProtocol = ipProtocol
            self.remote = remote; self.remotePort = remotePort
            fileIndex = UInt32(truncatingIfNeeded: interface.fileIndex)
            interfaceID = UInt32(truncatingIfNeeded: interface.interfaceID)
            interfaceIndex = interface.interfaceIndex
        }

        var interface: InterfaceKey {
            InterfaceKey(fileIndex: Int(fileIndex), interfaceID: Int(interfaceID), interfaceIndex: interfaceIndex)
        }
    }

    /// One entry of the flow table (65,536 of them): fixed-size fields, the rarely used
    /// parts (held packets, the tentative class) out of line in one box.
    /// 24 bytes: `hostSent` shares a word with the flow index.
    struct FlowState {
        var lastSeen: Int64
        private var groupSlot: Int32 = -1
        /// Bit 31: `hostSent`; bits 0-30: `flowIndex` + 1, 0 for none.
        private var flowBits: UInt32 = 0
        /// The group the flow's packets go to once decided.
        var group: Int? {
            get { groupSlot < 0 ? nil : Int(groupSlot) }
            set { groupSlot = newValue.map { Int32($0) } ?? -1 }
        }
        /// Index of this flow in a traffic finding's `flows` (below `maxEvidenceItems`).
        var flowIndex: Int? {
            get { let v = flowBits & 0x7FFF_FFFF; return v == 0 ? nil : Int(v) - 1 }
            set { flowBits = flowBits & 0x8000_0000 | (newValue.map { UInt32($0 + 1) & 0x7FFF_FFFF } ?? 0) }
        }
        /// The host sent on this flow.
        var hostSent: Bool {
            get { flowBits & 0x8000_0000 != 0 }
            set { flowBits = flowBits & 0x7FFF_FFFF | (newValue ? 0x8000_0000 : 0) }
        }
        /// Packets held while the flow is undecided, and the class the flow gets if nothing better
        /// shows up (TCP before payload), out of line: most flows have neither. The box is this
        /// flow's own (a copy taken out of the table is written back), so it is reused rather than
        /// replaced per held packet.
        private var held: PendingBox?
        var tentative: Classification? {
            get { held?.tentative }
            set {
                if let held { held.tentative = newValue; release() }
                else if newValue != nil { held = PendingBox(Pending(), tentative: newValue) }
            }
        }
        var pending: Pending {
            get { held?.value ?? Pending() }
            set {
                if let held { held.value = newValue; release() }
                else if !newValue.isEmpty { held = PendingBox(newValue, tentative: nil) }
            }
            // In place (`addPending(&state.pending, ...)`): the held frames are appended to, not copied.
            _modify {
                if held == nil { held = PendingBox(Pending(), tentative: nil) }
                yield &held!.value
                release()
            }
        }
        /// Drops an empty box.
        private mutating func release() {
            if let h = held, h.value.isEmpty && h.tentative == nil { held = nil }
        }
        init(lastSeen: Int64) { self.lastSeen = lastSeen }
    }

    final class PendingBox {
        var value: Pending
        var tentative: Classification?
        init(_ value: Pending, tentative: Classification?) { self.value = value; self.tentative = tentative }
    }

    struct Pending {
        var packets = 0, bytes = 0
        var first: Int64 = 0, last: Int64 = 0
        var frames: [Int] = []
        var framesOmitted = 0
        var fileIndex = 0
        var outboundFrames = 0
        /// The far side of the innermost header and how it was carried (IPv6 evidence of held packets).
        var innerRemote: IPAddress?
        var encapsulation: PacketFacts.Encapsulation?
        /// The first packet's direction and, for ICMP, its type << 8 | code (its cited flow, `CitedFlowKey`).
        var firstOutbound = false
        var firstICMP: UInt16?
        var isEmpty: Bool { packets == 0 && frames.isEmpty }
    }

    struct Classification {
        var cls: LeakClass
        var subject: Peer
        /// Decided by payload (STUN, DNS) rather than by default (IPv6, other traffic).
        var strong: Bool
    }

    struct PendingRef { var builder: Int; var index: Int; var time: Int64 }
    struct DNSKey: Hashable { var id: UInt16; var host: Peer; var server: Peer }
    struct Answer { var name: String; var frame: Int; var time: Int64 }

    @inline(__always) mutating func tally(_ v: VerdictKind, _ n: Int = 1) { verdictCounts[v.rawValue] &+= n }

    /// Every packet's time, first thing: the capture's last time, and the sweep every 10 s of it.
    @inline(__always) mutating func advanceClock(_ t: Int64) {
        if t > lastTime { lastTime = t }
        if let ls = lastSweep {
            if elapsed(t, since: ls) > 10_000_000_000 { sweep(now: t) }
        } else {
            lastSweep = t
        }
    }

    /// What `consume` does for a packet it would judge as `verdict` (the caller has checked that the
    /// packet is of the same flow, interface and carrier shape as the one judged so): the same
    /// counts, carrier time and tunnel activity, without the facts.
    @inline(__always)
    public mutating func repeatCarrier(_ verdict: CarrierVerdict, time: Int64, frame: Int) {
        carrierVerdict = verdict
        advanceClock(time)
        physicalPackets += 1
        tally(.carrier)
        control.countCarrier(verdict.key, frame: frame, sent: verdict.sent)
        let e = endpointMatcher.entries[verdict.endpoint]
        carrierPacket(time, address: e.address, port: e.port)
        if !activityFromTunnelInterface { activity(time) }
    }

    /// How `consume` judged its last packet when that was plain carrier: a physical interface, to
    /// (`sent`) or from one of the model's endpoints (`endpoint`, an index into `endpointMatcher`),
    /// not another VPN's. Nothing else of the packet went into that judgement, so another packet of
    /// the same flow on the same interface gets the same one (`repeatCarrier`). nil otherwise.
    public struct CarrierVerdict: Sendable {
        public let endpoint: Int
        public let sent: Bool
        let key: InterfaceKey
    }
    public private(set) var carrierVerdict: CarrierVerdict?

    /// Judges one packet. `detail` decodes strings and is called only when the packet becomes evidence.
    public mutating func consume(_ f: PacketFacts, detail: () -> PacketDetail) {
        consume(f, detailing: { _ in detail() })
    }

    /// `consume(_:detail:)` with a `detail` that is told which parts the correlator will read
    /// (a DNS query that reaches a full finding needs its questions counted, not their names).
    public mutating func consume(_ f: PacketFacts, detailing detail: DetailSource) {
        carrierVerdict = nil
        advanceClock(f.time)
        let key = f.interfaceKey
        let role: InterfaceRole
        if let l = lastRole, l.key == key { role = l.role }
        else if let l = previousRole, l.key == key { role = l.role; swap(&lastRole, &previousRole) }
        else { role = model.role(key); previousRole = lastRole; lastRole = (key, role) }
        switch role {
        case .tunnel:
            if f.canaryToken != nil { _ = canaryPacket(f) }
            tunnelPacket(f, detail: detail); return
        case .loopback: tally(.loopback); return
        case .ignored: tally(.ignored); return
        case .physical: physicalPackets += 1
        }
        switch f.app {
        case .dhcp, .dhcpv6, .neighborDiscovery, .multicastListener, .igmp:
            tally(.housekeeping)
            if f.dhcpClasslessRoutes || f.raRouteInformation {
                let d = detail(.all)
                if f.dhcpClasslessRoutes { observeRoutes(f, d) }
                if (f.dhcpOfferOrAck && f.dhcpClasslessRoutes) || f.raRouteInformation { notePush(f, d) }
            }
            return
        default: break
        }
        if f.network == .arp { tally(.housekeeping); return }
        guard let src = f.source, let dst = f.destination else { tally(.nonIP); return }
        // The capture's own canaries (and ICMP errors about them) are the positive control, never leaks.
        if f.canaryToken != nil || f.quoted != nil, canaryPacket(f) { tally(.canary); return }
        let toEndpoint = endpointMatcher.match(f, remoteIsDestination: true)
        if let i = toEndpoint ?? endpointMatcher.match(f, remoteIsDestination: false) {
            tally(.carrier)
            control.countCarrier(key, frame: f.frame, sent: toEndpoint != nil)
            let e = endpointMatcher.entries[i]
            if e.anotherVPN { observeAnotherVPN(f, model.endpoints[i]) }
            else {
                carrierPacket(f.time, address: e.address, port: e.port)
                if !activityFromTunnelInterface { activity(f.time) }
                carrierVerdict = CarrierVerdict(endpoint: i, sent: toEndpoint != nil, key: key)
            }
            return
        }
        switch f.app {
        case .mdns: observe(.mdns, f, detail: detail); return
        case .llmnr: observe(.llmnr, f, detail: detail); return
        case .nbns: observe(.nbns, f, detail: detail); return
        default: break
        }
        let dstScope = AddressScope(f.innermostDestination ?? dst)
        let srcScope = AddressScope(f.innermostSource ?? src)
        if dstScope.staysOnLink || srcScope == .unspecified || srcScope == .linkLocal || srcScope == .loopback {
            observe(dstScope == .linkLocal || srcScope == .linkLocal ? .linkLocal : .multicast, f, decode: false, detail: detail)
            return
        }
        // Direction: capture flags, then host addresses, then the flow's initiator.
        var outbound: Bool
        if f.direction == .outbound || model.isHost(src) { outbound = true }
        else if f.direction == .inbound || model.isHost(dst) { outbound = false }
        else if src.isV4 && model.hostV4Interfaces.contains(key) { tally(.otherHost); return }
        else {
            directionGuesses += 1
            let reverse = FlowKey(interface: key, ipProtocol: f.ipProtocol, host: dst, hostPort: f.destinationPort,
                                  remote: src, remotePort: f.sourcePort)
            outbound = flows[reverse] == nil
        }
        leakCandidate(f, outbound: outbound, detail: detail)
    }

    /// Tunnel interfaces: activity for spans, STUN servers and addresses for `also_via_tunnel`,
    /// and the VPN exit address a STUN server returned.
    mutating func tunnelPacket(_ f: PacketFacts, detail: DetailSource) {
        tally(.tunnel)
        activity(f.time)
        if let s = f.source, let d = f.destination, tunnelAddresses.count < limits.maxTunnelPeers,
           s != lastTunnelPair?.source || d != lastTunnelPair?.destination {
            // The same pair as the last packet's is in the set already: two hashes per packet saved.
            tunnelAddresses.insert(s); tunnelAddresses.insert(d)
            lastTunnelPair = (s, d)
        }
        guard f.app == .stun, let s = f.source, let d = f.destination else { return }
        let isResponse = f.stunClass >= 2
        let server = isResponse ? Peer(address: s, port: f.sourcePort) : Peer(address: d, port: f.destinationPort)
        if tunnelPeers.count < limits.maxTunnelPeers { tunnelPeers.insert(server) }
        if isResponse, exposedTunnel.count < limits.maxEvidenceItems {
            let det = detail(.all)
            if let m = det.mappedAddress, !exposedTunnel.contains(where: { $0.address == m }) {
                exposedTunnel.append(.init(address: m, how: "XOR-MAPPED-ADDRESS from \(server) through the tunnel, frame \(f.frame) of \(fileName(f.fileIndex))",
                                           path: "tunnel", findingId: nil, server: server.description, frame: f.frame))
            }
        }
    }

    mutating func activity(_ t: Int64) {
        if candidateSpans.isEmpty {
            // A quiet period without leaks is a window only when a tunnel event ends it (rare: per quiet, not per packet).
            if let last = lastActivity, elapsed(t, since: last) >= options.tunnelGapNanoseconds { quietWithoutLeaks(start: last, end: t) }
        } else {
            for i in candidateSpans.byFile.indices { if let c = candidateSpans.take(i) { settleSpan(c, end: t) } }
        }
        if lastActivity.map({ t > $0 }) ?? true { lastActivity = t }
        windows.carrierSilence = 0
    }

    func fileName(_ i: Int) -> String { model.fileNames[i] ?? "file \(i)" }

    // MARK: - Observations

    mutating func observe(_ kind: ObservationKind, _ f: PacketFacts, decode: Bool = true, detail: DetailSource) {
        tally(.local)
        guard let id = observation(kind, f.interfaceKey), var o = observations.removeValue(forKey: id) else { return }
        let cap = limits.maxEvidenceItems
        o.packets += 1
        if o.frames.count < limits.maxFramesPerFinding { o.frames.append(f.frame) } else { o.framesOmitted += 1 }
        if let s = f.source, o.sources.count < 32 { o.sources.insert(s) }
        if decode, o.names.items.count < cap {
            let d = detail(.all)
            for q in d.dnsQuestions { o.names.insert(q.name, cap: cap) }
            for a in d.dnsAnswers { o.answers.insert(a, cap: cap) }
        }
        observations[id] = o
    }

    /// A carrier to another VPN server (CarrierRules): encrypted, not a leak of content, but that server
    /// sees this host's real address; listed with the server and the rule that recognised it.
    mutating func observeAnotherVPN(_ f: PacketFacts, _ e: Endpoint) {
        guard let id = observation(.anotherVPN, f.interfaceKey), var o = observations.removeValue(forKey: id) else { return }
        o.packets += 1
        if o.frames.count < limits.maxFramesPerFinding { o.frames.append(f.frame) } else { o.framesOmitted += 1 }
        if o.sources.count < 32 { o.sources.insert(e.address) }
        if o.names.items.count < limits.maxEvidenceItems {
            let ep = EndpointSpec(address: e.address, port: e.port)
            o.names.insert("\(ep) (\(e.protocol))", cap: limits.maxEvidenceItems)
        }
        observations[id] = o
    }

    /// DHCP classless routes: housekeeping, but how TunnelVision steers traffic out of a tunnel.
    mutating func observeRoutes(_ f: PacketFacts, _ d: PacketDetail) {
        guard let id = observation(.dhcpRoutes, f.interfaceKey), var o = observations.removeValue(forKey: id) else { return }
        o.packets += 1
        if o.frames.count < limits.maxFramesPerFinding { o.frames.append(f.frame) } else { o.framesOmitted += 1 }
        if let s = f.source, o.sources.count < 32 { o.sources.insert(s) }
        if o.names.items.count < limits.maxEvidenceItems {
            for r in d.dhcpRoutes { o.names.insert(r, cap: limits.maxEvidenceItems) }
        }
        for n in d.routeNotes { o.problems.insert("frame \(f.frame): \(n)", cap: 16) }
        observations[id] = o
    }

    /// The observation's key, created on first use (nil past 1,024 observations).
    mutating func observation(_ kind: ObservationKind, _ interface: InterfaceKey) -> ObservationKey? {
        let id = ObservationKey(kind: kind, interface: interface)
        if observations[id] == nil {
            guard observations.count < 1_024 else { return nil }
            observations[id] = ObservationBuilder(kind: kind.rawValue, interface: interface)
            observationOrder.append(id)
        }
        return id
    }

    mutating func observeInboundOnly(_ p: Pending, interface: InterfaceKey, source: IPAddress) {
        tally(.inboundOnly, p.packets)
        guard let id = observation(.inboundOnly, interface), var o = observations.removeValue(forKey: id) else { return }
        o.packets += p.packets
        for fr in p.frames {
            if o.frames.count < limits.maxFramesPerFinding { o.frames.append(fr) } else { o.framesOmitted += 1 }
        }
        o.framesOmitted += p.framesOmitted
        if o.sources.count < 32 { o.sources.insert(source) }
        observations[id] = o
    }
}

/// What a packet was judged to be (counted per verdict in `packet_verdicts`).
enum VerdictKind: Int, CaseIterable {
    case tunnel, carrier, housekeeping, local, inboundOnly, otherHost, leak, loopback, ignored, nonIP, canary
    var name: String {
        switch self {
        case .tunnel: "tunnel"
        case .carrier: "carrier"
        case .housekeeping: "housekeeping"
        case .local: "local"
        case .inboundOnly: "inbound-only"
        case .otherHost: "other-host"
        case .leak: "leak"
        case .loopback: "loopback"
        case .ignored: "ignored"
        case .nonIP: "non-ip"
        case .canary: "canary"
        }
    }
}

enum ObservationKind: String {
    case mdns, llmnr, nbns, linkLocal = "link-local", multicast, inboundOnly = "inbound-only"
    case dhcpRoutes = "dhcp-classless-routes"
    case publicRoutes = "public-routes-pushed"
    case anotherVPN = "another-vpn"
    case canaryPathOpen = "canary-path-open"
}

struct ObservationKey: Hashable {
    var kind: ObservationKind
    var interface: InterfaceKey
}

/// `later - earlier` in capture time, saturating (timestamps come from files and may be anything).
@inline(__always) func elapsed(_ later: Int64, since earlier: Int64) -> Int64 {
    let (d, overflow) = later.subtractingReportingOverflow(earlier)
    return overflow ? (later > earlier ? .max : .min) : d
}
