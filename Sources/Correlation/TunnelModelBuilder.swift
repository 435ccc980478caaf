import Dissectors

/// Pass 1: learns interface roles, VPN endpoints and host addresses from the
/// cheap facts of every packet, so that pass 2 can judge each packet as it
/// streams by. State is bounded (pending handshakes and addresses are capped).
public struct TunnelModelBuilder {
    public private(set) var options: AnalysisOptions
    var interfaces: [InterfaceKey: InterfaceDescription] = [:]
    var hardwareTypes: [InterfaceKey: UInt16] = [:]
    /// Packets per interface, and whether the interface looks like a tunnel already (for carrier timing).
    /// An array with an index beside it: counting a packet is an array store, never a
    /// Dictionary write (which checks uniqueness and may copy per packet).
    var tallies: [InterfaceTally] = []
    var tallyIndex: [InterfaceKey: Int] = [:]
    var packetCounts: [InterfaceKey: Int] {
        Dictionary(uniqueKeysWithValues: tallies.map { ($0.key, $0.packets) })
    }
    var fileNames: [Int: String] = [:]
    /// WireGuard initiations waiting for their response, by sender index.
    var pendingInitiations: [UInt32: (facts: PacketFacts, name: String)] = [:]
    var inferredEndpoints: [(endpoint: Endpoint, key: InterfaceKey)] = []
    var inferredHosts: [HostAddress] = []
    var inferredHostSet: Set<IPAddress> = []
    /// Flows that carry VPN-protocol messages, for the carrier rules that need no handshake.
    var carrierFlows: CarrierFlowTable
    var timing = CarrierTiming(window: CarrierRules.timingWindow)
    /// Local networks (DHCP leases, RA prefixes) and tunnel handshakes, for the attack detectors and leak windows.
    var attackSurface = AttackSurfaceBuilder()
    public private(set) var boundsHit = 0

    struct InterfaceTally { var key: InterfaceKey; var packets = 0; var maybeTunnel = false }
    /// The interfaces of the last two packets and their positions in `tallies`.
    var lastTally: (key: InterfaceKey, index: Int)?
    var previousTally: (key: InterfaceKey, index: Int)?

    /// What `observe` learnt of a WireGuard transport-data packet that does not change along its
    /// flow: its interface's tally, whether the interface may be a tunnel, whether endpoints were
    /// given, and the carrier flow it went on. The next packet of the same interface and 5-tuple is
    /// observed the same way, with its own time, size and counter (`repeatCarrier`). nil otherwise.
    public struct CarrierMemo: Sendable {
        enum Path: Sendable { case counted, tunnel, carrier(slot: Int, fromLow: Bool) }
        let tally: Int
        let path: Path
    }
    public private(set) var carrierMemo: CarrierMemo?

    /// `observe` for a WireGuard transport-data packet of the flow `memo` came from: the same
    /// counts, host address and carrier statistics, without finding the interface and flow again.
    /// (A transport-data packet is no handshake, DHCP, RA or DAD: those parts of `observe` do nothing.)
    @inline(__always)
    public mutating func repeatCarrier(_ f: PacketFacts, _ memo: CarrierMemo) {
        tallies[memo.tally].packets += 1
        noteOutboundSource(f, f.interfaceKey)
        switch memo.path {
        case .counted: break
        case .tunnel: tunnelTiming(f, f.interfaceKey)
        case .carrier(let slot, let fromLow):
            carrierFlows.observe(f, slot: slot, fromLow: fromLow)
            carrierTiming(f, slot: slot, fromLow: fromLow)
        }
    }

    public init(options: AnalysisOptions) {
        self.options = options
        carrierFlows = CarrierFlowTable(capacity: options.limits.maxCarrierFlows)
    }

    /// Registers a capture interface (from the reader's interface list).
    public mutating func add(_ d: InterfaceDescription) { interfaces[d.key] = d }

    /// Interface-index names found after pass 1 started (capture comments).
    public mutating func setInterfaceIndexNames(_ names: [UInt32: String]) { options.interfaceIndexNames = names }

    /// Names a file for `decided_by` texts.
    public mutating func setFileName(_ name: String, index: Int) { fileNames[index] = name }

    func where_(_ f: PacketFacts) -> String { where_(f.fileIndex) }
    func where_(_ fileIndex: Int) -> String { fileNames[fileIndex] ?? "file \(fileIndex)" }

    public mutating func observe(_ f: PacketFacts) {
        carrierMemo = nil
        let key = f.interfaceKey
        let maybeTunnel: Bool
        let tally: Int
        if let l = lastTally, l.key == key {
            // Consecutive packets mostly share an interface, or alternate between two (a tunnel
            // and its carrier): the indices found last time (no hashing).
            tally = l.index
            tallies[l.index].packets += 1
            maybeTunnel = tallies[l.index].maybeTunnel
        } else if let l = previousTally, l.key == key {
            tally = l.index
            tallies[l.index].packets += 1
            maybeTunnel = tallies[l.index].maybeTunnel
            swap(&lastTally, &previousTally)
        } else if let i = tallyIndex[key] {
            tally = i
            tallies[i].packets += 1
            maybeTunnel = tallies[i].maybeTunnel
            previousTally = lastTally
            lastTally = (key, i)
        } else {
            tally = tallies.count
            if let hw = f.hardwareType, key.interfaceIndex != nil { hardwareTypes[key] = hw }
            maybeTunnel = provisionalRole(key) == .tunnel
            tallyIndex[key] = tallies.count
            previousTally = lastTally
            lastTally = (key, tallies.count)
            tallies.append(InterfaceTally(key: key, packets: 1, maybeTunnel: maybeTunnel))
        }
        noteOutboundSource(f, key)
        if let a = f.dhcpAssignedAddress {
            addHost(a, key, "DHCP ack, frame \(f.frame) of \(where_(f))")
            if let l = f.dhcpSubnetPrefixLength {
                attackSurface.addNetwork(IPPrefix(a, length: l), key, "DHCP ACK, frame \(f.frame) of \(where_(f)): \(a)/\(l)")
            }
        }
        if let p = f.raOnLinkPrefix {
            attackSurface.addNetwork(p, key, "Router Advertisement prefix information (on-link), frame \(f.frame) of \(where_(f)): \(p)")
        }
        if let a = f.duplicateAddressTarget { addHost(a, key, "NDP duplicate address detection, frame \(f.frame) of \(where_(f))") }
        guard let src = f.source, let dst = f.destination else { return }
        let transportData = f.app == .wireguard && f.wireguardType == 4 && f.transport == .udp
        if !maybeTunnel { attackSurface.observe(f, src, dst) }
        guard options.vpnEndpoints.isEmpty else {
            if transportData { carrierMemo = CarrierMemo(tally: tally, path: .counted) }
            return
        }
        if maybeTunnel {
            tunnelTiming(f, key)
            if transportData { carrierMemo = CarrierMemo(tally: tally, path: .tunnel) }
        } else {
            let placed = observeCarrier(f, src, dst)
            if transportData, let (slot, fromLow) = placed {
                carrierMemo = CarrierMemo(tally: tally, path: .carrier(slot: slot, fromLow: fromLow))
            }
        }
        switch f.app {
        case .wireguard where f.transport == .udp:
            if f.wireguardType == 1 {
                if pendingInitiations.count >= 1_024 { pendingInitiations.removeAll(keepingCapacity: true); boundsHit += 1 }
                pendingInitiations[f.wireguardSender] = (f, where_(f))
            } else if f.wireguardType == 2, let (i, name) = pendingInitiations[f.wireguardReceiver],
                      i.source == dst, i.destination == src, i.sourcePort == f.destinationPort,
                      i.destinationPort == f.sourcePort, i.interfaceKey == key {
                pendingInitiations[f.wireguardReceiver] = nil
                let frames = i.fileIndex == f.fileIndex ? "frames \(i.frame)/\(f.frame) of \(name)"
                                                        : "frame \(i.frame) of \(name) / frame \(f.frame) of \(where_(f))"
                // The initiator is the client unless the capture says the responder is this host.
                let hosts = hostSet
                // The response goes responder (src) -> initiator (dst).
                let hostInitiated = !(hosts.contains(src) && !hosts.contains(dst))
                // Initiator = the response's destination; responder = its source.
                let (remote, port, host) = hostInitiated ? (src, f.sourcePort, dst) : (dst, f.destinationPort, src)
                addEndpoint(Endpoint(address: remote, port: port, transport: "udp", protocol: "wireguard",
                                     decidedBy: "WireGuard handshake initiation/response, \(frames)"), key)
                addHost(host, key, "source of the carrier flow (WireGuard, frame \(hostInitiated ? i.frame : f.frame))")
            }
        // OpenVPN hard resets count in pairs (client reset one way, server reset back on the same flow):
        // one opcode byte alone is what a QUIC short header often looks like. See `finish`.
        case .ike:
            let saInit = (f.ikeMajorVersion == 2 && f.ikeExchange == 34) || (f.ikeMajorVersion == 1 && (f.ikeExchange == 2 || f.ikeExchange == 4))
            guard saInit else { break }
            let what = f.ikeMajorVersion == 2 ? "IKE_SA_INIT" : "IKEv1 phase 1"
            let (remote, host) = f.ikeIsResponse ? (src, dst) : (dst, src)
            addEndpoint(Endpoint(address: remote, port: nil, transport: "ipsec", protocol: "ipsec",
                                 decidedBy: "\(what) \(f.ikeIsResponse ? "response" : "request"), frame \(f.frame) of \(where_(f))"), key)
            addHost(host, key, "source of the carrier flow (IKE, frame \(f.frame))")
        default: break
        }
    }

    /// A VPN-protocol packet outside a tunnel interface: its flow's carrier statistics and timing.
    /// The flow's slot and direction when the packet was placed on a carrier flow.
    @inline(__always) @discardableResult
    mutating func observeCarrier(_ f: PacketFacts, _ src: IPAddress, _ dst: IPAddress) -> (slot: Int, fromLow: Bool)? {
        switch f.app {
        case .wireguard, .openvpn, .esp, .ike: break
        case .none where f.transport == .udp, .dns where f.transport == .udp:
            // Only a candidate opens a flow; other unclaimed datagrams (and DNS messages) count on the
            // flows candidates opened.
            if f.openvpnCandidate != nil || carrierFlows.candidateFlows > 0 {
                carrierFlows.observeCandidate(f, source: src, destination: dst)
            }
            return nil
        default: return nil
        }
        guard let (slot, fromLow) = carrierFlows.observe(f, source: src, destination: dst) else { return nil }
        carrierTiming(f, slot: slot, fromLow: fromLow)
        return (slot, fromLow)
    }

    @inline(__always) mutating func tunnelTiming(_ f: PacketFacts, _ key: InterfaceKey) {
        if let m = timing.tunnelPacket(time: f.time, size: f.ipTotalLength, interface: key) {
            carrierFlows.creditTiming(slot: m.slot, fromLow: m.fromLow, tunnel: m.tunnel, delay: m.delay,
                                      outerAfterInner: m.outerAfterInner)
        }
    }

    /// A carrier flow's packet against the tunnel interfaces' packets (CarrierTiming).
    @inline(__always) mutating func carrierTiming(_ f: PacketFacts, slot: Int, fromLow: Bool) {
        // Packets that carry a tunnel packet, and their size as the size relation needs it.
        let size: Int, wireguard: Bool
        switch f.app {
        case .wireguard where f.wireguardType == 4 && f.udpDeclaredPayload > 32: size = f.udpDeclaredPayload; wireguard = true
        case .esp where !f.natKeepalive && f.espSPI != 0:
            size = f.transport == .udp ? f.udpDeclaredPayload : f.ipTotalLength; wireguard = false
        case .openvpn where f.transport == .udp && (f.openvpnOpcode == 6 || f.openvpnOpcode == 9):
            size = f.udpDeclaredPayload; wireguard = false
        default: return
        }
        if let m = timing.outerPacket(time: f.time, size: size, wireguard: wireguard, interface: f.interfaceKey,
                                      slot: slot, fromLow: fromLow) {
            carrierFlows.creditTiming(slot: m.slot, fromLow: m.fromLow, tunnel: m.tunnel, delay: m.delay,
                                      outerAfterInner: m.outerAfterInner)
        }
    }

    /// The role an interface gets from what is known when its first packet arrives (names, link
    /// types, hardware types); `finish` decides for good. Only carrier timing uses it.
    func provisionalRole(_ key: InterfaceKey) -> InterfaceRole {
        let ethernetFiles = Set(interfaces.values.filter { $0.linkType == .ethernet }.map(\.key.fileIndex))
            .union(hardwareTypes.filter { $0.value == 1 }.map(\.key.fileIndex))
        return decide(key, ethernetFiles: ethernetFiles).role
    }

    var hostSet: Set<IPAddress> {
        Set(interfaces.values.flatMap(\.addresses)).union(inferredHostSet)
    }

    mutating func addEndpoint(_ e: Endpoint, _ key: InterfaceKey) {
        if inferredEndpoints.contains(where: { $0.endpoint.address == e.address && $0.endpoint.port == e.port && $0.endpoint.transport == e.transport }) { return }
        guard inferredEndpoints.count < 256 else { boundsHit += 1; return }
        inferredEndpoints.append((e, key))
    }

    /// A packet the capture marks outbound was sent by this host: its source (unless it only
    /// names the link) is a host address.
    @inline(__always) mutating func noteOutboundSource(_ f: PacketFacts, _ key: InterfaceKey) {
        if f.direction == .outbound, let s = f.source, !AddressScope(s).staysOnLink || AddressScope(s) == .linkLocal {
            addHost(s, key, "source of packets marked outbound by the capture")
        }
    }

    mutating func addHost(_ a: IPAddress, _ key: InterfaceKey, _ why: String) {
        if inferredHostSet.contains(a) { return }
        if interfaces[key]?.addresses.contains(a) == true { return }
        guard inferredHosts.count < options.limits.maxHostAddresses * 4 else { boundsHit += 1; return }
        inferredHosts.append(HostAddress(address: a, interface: key, decidedBy: why))
        inferredHostSet.insert(a)
    }

    /// Decides roles and freezes the model for pass 2.
    public func finish() -> TunnelModel {
        var decisions: [InterfaceKey: InterfaceDecision] = [:]
        let packetCounts = self.packetCounts
        var keys = Set(interfaces.keys).union(packetCounts.keys)
        // An SLL2 file's packets carry their own interface; the capture-level interface is only their container.
        let sllContainers = Set(packetCounts.keys.filter { $0.interfaceIndex != nil }.map {
            InterfaceKey(fileIndex: $0.fileIndex, interfaceID: $0.interfaceID) })
        keys.subtract(sllContainers)
        let ethernetFiles = Set(keys.filter { key in
            let d = description(key)
            return d.linkType == .ethernet || (key.interfaceIndex != nil && hardwareTypes[key] == 1)
        }.map(\.fileIndex))
        for key in keys {
            var d = decide(key, ethernetFiles: ethernetFiles)
            d.packets = packetCounts[key] ?? 0
            decisions[key] = d
        }
        var endpoints: [Endpoint] = []
        var resetHosts: [HostAddress] = []
        if options.vpnEndpoints.isEmpty {
            for (e, key) in inferredEndpoints where decisions[key]?.role == .physical { endpoints.append(e) }
            for flow in carrierFlows.flows where decisions[flow.key.interface]?.role == .physical {
                guard let (e, host) = CarrierRules.openvpnResetPair(flow, fileName: where_(flow.key.interface.fileIndex)) else { continue }
                if !endpoints.contains(where: { $0.address == e.address && $0.port == e.port && $0.transport == e.transport }) {
                    endpoints.append(e)
                }
                resetHosts.append(host)
            }
        } else {
            endpoints = options.vpnEndpoints.map {
                Endpoint(address: $0.address, port: $0.port, transport: nil, protocol: "given", decidedBy: "option --vpn-endpoint")
            }
        }
        var hosts: [HostAddress] = []
        for d in interfaces.values.sorted(by: { $0.key < $1.key }) {
            for a in d.addresses.prefix(options.limits.maxHostAddresses) {
                hosts.append(HostAddress(address: a, interface: d.key,
                                         decidedBy: a.isV4 ? "pcapng if_IPv4addr" : "pcapng if_IPv6addr"))
            }
        }
        var known = Set(hosts.map(\.address))
        // Carrier-side inferences count only on physical interfaces.
        for h in inferredHosts + resetHosts where !known.contains(h.address) && decisions[h.interface]?.role != .loopback {
            hosts.append(h)
            known.insert(h.address)
        }
        // Carrier flows without a handshake (CarrierRules): more endpoints, the host side of each.
        var carrierAssumptions: [String] = []
        var bounds = boundsHit
        if options.vpnEndpoints.isEmpty {
            let rules = CarrierRules(roles: decisions, handshakeEndpoints: endpoints, hosts: known, fileNames: fileNames)
            let (found, texts) = rules.decide(carrierFlows)
            for d in found {
                if !d.merged { endpoints.append(d.endpoint) }
                if let h = d.host, !known.contains(h.address) { hosts.append(h); known.insert(h.address) }
            }
            carrierAssumptions = texts
            if carrierFlows.untrackedPackets > 0 {
                bounds += carrierFlows.untrackedPackets
                carrierAssumptions.append("carrier flow table full (\(options.limits.maxCarrierFlows) flows): \(carrierFlows.untrackedPackets) VPN-protocol packets of further flows were not tracked, so no carrier rule judged those flows")
            }
            if carrierFlows.untrackedCandidates > 0 {
                bounds += carrierFlows.untrackedCandidates
                carrierAssumptions.append("OpenVPN candidate flows full (\(carrierFlows.candidateCapacity) flows, half the carrier flow table): \(carrierFlows.untrackedCandidates) UDP packets of further flows that read as OpenVPN were not tracked, so carrier rule openvpn-structure did not judge those flows")
            }
        }
        let (networks, handshakes) = attackSurface.finish(endpoints: endpoints, roles: decisions,
                                                          interfaces: Array(interfaces.values))
        bounds += attackSurface.boundsHit
        var model = TunnelModel(interfaces: decisions, endpoints: endpoints, hosts: hosts, fileNames: fileNames,
                                boundsHit: bounds, carrierAssumptions: carrierAssumptions)
        model.localNetworks = networks
        model.handshakes = handshakes
        return model
    }

    func description(_ key: InterfaceKey) -> InterfaceDescription {
        if let d = interfaces[key] { return d }
        let container = interfaces[InterfaceKey(fileIndex: key.fileIndex, interfaceID: key.interfaceID)]
        let name = key.interfaceIndex.flatMap { options.interfaceIndexNames[$0] }
        return InterfaceDescription(key: key, name: name, linkType: container?.linkType ?? .linuxSLL2)
    }

    func decide(_ key: InterfaceKey, ethernetFiles: Set<Int>) -> InterfaceDecision {
        let d = description(key)
        let hw = hardwareTypes[key]
        let path = fileNames[key.fileIndex] ?? ""
        let base = String(path.split(separator: "/").last ?? Substring(path))
        let stem = base.split(separator: ".").first.map(String.init) ?? base
        let display = d.name ?? key.interfaceIndex.map { "if\($0)" } ?? (d.classicPcap ? base : "if\(key.interfaceID)")
        func make(_ role: InterfaceRole, _ why: String) -> InterfaceDecision {
            InterfaceDecision(description: d, role: role, decidedBy: why, displayName: display, hardwareType: hw)
        }
        let nameSource = key.interfaceIndex != nil && d.name != nil ? " (name from --ifindex / name table)" : ""
        if let n = d.name {
            if options.tunnelNames.contains(n) { return make(.tunnel, "option --tunnel" + nameSource) }
            if options.physicalNames.contains(n) { return make(.physical, "option --physical" + nameSource) }
            if TunnelNames.isLoopback(n) { return make(.loopback, "name \(n)") }
            if options.tunnelNames.isEmpty, let why = TunnelNames.match(n) { return make(.tunnel, why + nameSource) }
        }
        if let hw {
            if hw == 772 { return make(.loopback, "SLL2 hardware type ARPHRD_LOOPBACK") }
            if options.tunnelNames.isEmpty && (hw == 65534 || hw == 512 || hw == 768 || hw == 769 || hw == 776 || hw == 778) {
                return make(.tunnel, "SLL2 hardware type \(hw) (no Ethernet header: tunnel device)")
            }
        }
        let raw: Set<LinkType> = [.raw, .rawOpenBSD, .rawBSDOS, .ipv4, .ipv6]
        if d.classicPcap && key.interfaceIndex == nil {
            // A classic pcap has no interface name: --tunnel/--physical may name the file instead.
            let aliases = [path, base, stem]
            if aliases.contains(where: options.tunnelNames.contains) { return make(.tunnel, "option --tunnel (file name)") }
            if aliases.contains(where: options.physicalNames.contains) { return make(.physical, "option --physical (file name)") }
            if options.classicInterfaceRoleGiven { return make(options.classicInterfaceRole, "option --interface-role") }
            if options.tunnelNames.isEmpty, raw.contains(d.linkType), !ethernetFiles.isEmpty {
                return make(.tunnel, "link type beside Ethernet")
            }
            return make(options.classicInterfaceRole, "default: classic pcap treated as physical")
        }
        // Raw IP beside Ethernet (in the same file or another input): a tunnel device captured with the physical one.
        if options.tunnelNames.isEmpty, raw.contains(d.linkType), !ethernetFiles.isEmpty {
            return make(.tunnel, "link type beside Ethernet")
        }
        if d.name == nil && (d.linkType == .null || d.linkType == .loop) && key.interfaceIndex == nil {
            return make(.loopback, "link type \(d.linkType.name) without a name (BSD loopback)")
        }
        if !options.physicalNames.isEmpty { return make(.ignored, "not named by --physical") }
        return make(.physical, options.tunnelNames.isEmpty ? "not a tunnel or loopback by name or link type"
                                                            : "not named by --tunnel")
    }
}

/// The frozen model pass 2 judges packets by.
public struct TunnelModel: Sendable {
    public var interfaces: [InterfaceKey: InterfaceDecision]
    public var endpoints: [Endpoint]
    public var hosts: [HostAddress]
    public var fileNames: [Int: String]
    public var boundsHit: Int
    /// The assumptions of the carrier rules that decided endpoints (CarrierRules), in rule order.
    public var carrierAssumptions: [String]
    /// Physical interfaces' own networks (LAN traffic; LocalNet when they hold global addresses).
    public var localNetworks: [InterfaceKey: [LocalNetwork]] = [:]
    /// Handshakes that start a session with a tunnel endpoint, by time (reconnects, endpoint switches).
    public var handshakes: [HandshakeEvent] = []
    let hostSet: Set<IPAddress>
    let hostV4Interfaces: Set<InterfaceKey>

    init(interfaces: [InterfaceKey: InterfaceDecision], endpoints: [Endpoint], hosts: [HostAddress],
         fileNames: [Int: String], boundsHit: Int, carrierAssumptions: [String] = []) {
        self.interfaces = interfaces; self.endpoints = endpoints; self.hosts = hosts
        self.fileNames = fileNames; self.boundsHit = boundsHit; self.carrierAssumptions = carrierAssumptions
        hostSet = Set(hosts.map(\.address))
        // Only addresses the capture states (pcapng options) are complete enough to call other traffic foreign.
        hostV4Interfaces = Set(hosts.filter { $0.address.isV4 && $0.decidedBy.hasPrefix("pcapng") }.map(\.interface))
    }

    public func role(_ key: InterfaceKey) -> InterfaceRole { interfaces[key]?.role ?? .physical }
    public func isHost(_ a: IPAddress) -> Bool { hostSet.contains(a) }
    public var hasTunnelInterface: Bool { interfaces.values.contains { $0.role == .tunnel } }
    public var hasPhysicalInterface: Bool { interfaces.values.contains { $0.role == .physical } }

    /// The endpoint a packet's remote side matches, if it is carrier traffic
    /// (`EndpointMatcher` is the same rule without copying an `Endpoint` per packet).
    public func carrierEndpoint(_ f: PacketFacts, remoteIsDestination: Bool) -> Endpoint? {
        guard let remote = remoteIsDestination ? f.destination : f.source else { return nil }
        let port = remoteIsDestination ? f.destinationPort : f.sourcePort
        for e in endpoints where e.address == remote {
            switch e.transport {
            case nil: if e.port == nil || (f.transport != .none && e.port == port) { return e }
            case "ipsec":
                if f.ipProtocol == 50 || f.ipProtocol == 51 { return e }
                if f.transport == .udp && (port == 500 || port == 4500) { return e }
            case "udp": if f.transport == .udp && e.port == port { return e }
            case "tcp": if f.transport == .tcp && e.port == port { return e }
            default: break
            }
        }
        return nil
    }
}

/// `TunnelModel.carrierEndpoint` as plain values, for the per-packet test in pass 2: the
/// endpoints' transports decided once (not a String comparison per packet), the index of the
/// first endpoint that matches returned instead of a copy of it (its Strings retained).
struct EndpointMatcher {
    enum Kind: UInt8 { case any, ipsec, udp, tcp, never }
    struct Entry {
        var address: IPAddress
        var port: UInt16?
        var kind: Kind
        var anotherVPN: Bool
    }
    let entries: [Entry]

    init(_ endpoints: [Endpoint]) {
        entries = endpoints.map { e in
            let kind: Kind = switch e.transport {
            case nil: .any
            case "ipsec": .ipsec
            case "udp": .udp
            case "tcp": .tcp
            default: .never
            }
            return Entry(address: e.address, port: e.port, kind: kind, anotherVPN: e.anotherVPN)
        }
    }

    /// The index in `endpoints` of the endpoint `carrierEndpoint(f, remoteIsDestination:)` returns.
    @inline(__always)
    func match(_ f: PacketFacts, remoteIsDestination: Bool) -> Int? {
        guard let remote = remoteIsDestination ? f.destination : f.source else { return nil }
        let port = remoteIsDestination ? f.destinationPort : f.sourcePort
        for i in entries.indices {
            let e = entries[i]
            guard e.address == remote else { continue }
            switch e.kind {
            case .any: if e.port == nil || (f.transport != .none && e.port == port) { return i }
            case .ipsec:
                if f.ipProtocol == 50 || f.ipProtocol == 51 { return i }
                if f.transport == .udp && (port == 500 || port == 4500) { return i }
            case .udp: if f.transport == .udp && e.port == port { return i }
            case .tcp: if f.transport == .tcp && e.port == port { return i }
            case .never: break
            }
        }
        return nil
    }
}
