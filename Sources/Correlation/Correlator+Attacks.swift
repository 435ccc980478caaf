import Dissectors

/// The known attacks on VPN clients, from packets (docs/leak-model.md,
/// "Attacks on the client"):
///
/// - TunnelVision (CVE-2024-3661), `route-injection`: a DHCPv4 OFFER/ACK with
///   classless static routes (options 121, 249) or an IPv6 Router Advertisement
///   with Route Information options (RFC 4191) pushes a route on a physical
///   interface; leaked traffic into that route while the tunnel is up.
/// - LocalNet (TunnelCrack), `localnet`: the physical interface's own network
///   holds globally routable addresses; leaked traffic to them.
/// - ServerIP (TunnelCrack), `serverip`: a DNS answer outside the tunnel gave the
///   VPN server's address; leaked (non-carrier) traffic to that address.
///
/// Each is a finding over the leaked packets that fit it: the packets keep their
/// own class (webrtc, dns, traffic, ...), the attack finding says why they left
/// and cites what made them leave (the DHCP/RA frame and routes, the network and
/// how it was learned, the DNS exchange). Pushes and answers are kept per event,
/// bounded; the per-packet check is a short bounded scan, done only when a push,
/// a global local network or a server answer exists.
struct AttackState {
    var pushes: [RoutePush] = []
    var pushesOmitted = 0
    /// Routes that steer traffic (prefix length 1 or more), by interface, for matching.
    var routes: [ActiveRoute] = []
    var routesOmitted = 0
    /// The tunnel's endpoint addresses (not another VPN's), for the DNS answers that name them.
    var endpointAddresses: Set<IPAddress> = []
    /// DNS answers seen outside the tunnel that gave a VPN endpoint's address.
    var serverAnswers: [IPAddress: ServerAnswer] = [:]
    /// Attack findings by class, interface and subject (route, network, server).
    var groups: [GroupKey: Int] = [:]

    static let maxPushes = 64
    static let maxRoutes = 64
    static let maxPushesPerRoute = 16
    static let maxServerAnswers = 16
}

/// One DHCP reply or RA that pushed routes.
struct RoutePush {
    var frame: Int
    var fileIndex: Int
    var interface: InterfaceKey
    var time: Int64
    var source: IPAddress?
    /// "DHCP ACK", "DHCP OFFER", "Router Advertisement".
    var how: String
    var notes: [String]
    var omitted: Int
}

/// A pushed route still in force.
struct ActiveRoute {
    var prefix: IPPrefix
    var router: IPAddress
    var via: String
    var interface: InterfaceKey
    /// The pushes that carried it (indices into `AttackState.pushes`), the first ones.
    var pushes: [Int]
    var withdrawn = false
}

/// A DNS answer outside the tunnel for a VPN endpoint's address.
struct ServerAnswer {
    var query: DNSQueryEvidence
    var resolver: String
    var fileIndex: Int
    var time: Int64
}

extension Correlator {
    // MARK: - Route pushes (TunnelVision)

    /// A DHCP OFFER/ACK with classless routes, or an RA with Route Information, on a physical interface.
    mutating func notePush(_ f: PacketFacts, _ d: PacketDetail) {
        guard !d.pushedRoutes.isEmpty || !d.routeNotes.isEmpty else { return }
        let how = f.app == .dhcp ? "DHCP \(f.dhcpMessageType == 2 ? "OFFER" : "ACK")" : "Router Advertisement"
        // Past the bound the push is still listed (the observation has its own caps) but not followed.
        let followed = attacks.pushes.count < AttackState.maxPushes
        if followed {
            attacks.pushes.append(RoutePush(frame: f.frame, fileIndex: f.fileIndex, interface: f.interfaceKey, time: f.time,
                                            source: f.source, how: how, notes: d.routeNotes, omitted: d.pushedRoutesOmitted))
        } else {
            attacks.pushesOmitted += 1
        }
        let push = attacks.pushes.count - 1
        var publicRoutes: [String] = []
        for r in d.pushedRoutes {
            // A default route steers nothing past a VPN's own routes; a reserved RA preference must be ignored (RFC 4191).
            guard r.prefix.length > 0, r.preference != 2 else { continue }
            if r.prefix.coversGlobal && r.lifetime != 0 { publicRoutes.append("\(r.prefix) via \(r.router) (\(r.via))") }
            guard followed else { continue }
            let existing = attacks.routes.firstIndex {
                $0.interface == f.interfaceKey && $0.prefix == r.prefix && $0.router == r.router && $0.via == r.via
            }
            if r.lifetime == 0 {
                if let i = existing { attacks.routes[i].withdrawn = true }
                continue
            }
            if let i = existing {
                attacks.routes[i].withdrawn = false
                if attacks.routes[i].pushes.count < AttackState.maxPushesPerRoute { attacks.routes[i].pushes.append(push) }
            } else if attacks.routes.count < AttackState.maxRoutes {
                attacks.routes.append(ActiveRoute(prefix: r.prefix, router: r.router, via: r.via, interface: f.interfaceKey, pushes: [push]))
            } else {
                attacks.routesOmitted += 1
            }
        }
        guard !publicRoutes.isEmpty || !d.routeNotes.isEmpty,
              let id = observation(.publicRoutes, f.interfaceKey), var o = observations.removeValue(forKey: id) else { return }
        o.packets += 1
        if o.frames.count < limits.maxFramesPerFinding { o.frames.append(f.frame) } else { o.framesOmitted += 1 }
        if let s = f.source, o.sources.count < 32 { o.sources.insert(s) }
        for r in publicRoutes { o.names.insert(r, cap: limits.maxEvidenceItems) }
        if d.pushedRoutesOmitted > 0 { o.problems.insert("frame \(f.frame): \(d.pushedRoutesOmitted) more routes not read (at most \(PacketDetail.maxPushedRoutes) per packet)", cap: 16) }
        for n in d.routeNotes { o.problems.insert("frame \(f.frame): \(n)", cap: 16) }
        observations[id] = o
    }

    /// The most specific route in force on `interface` that holds `a`.
    func pushedRoute(holding a: IPAddress, on interface: InterfaceKey) -> Int? {
        var best: Int?
        for (i, r) in attacks.routes.enumerated() where !r.withdrawn && r.interface == interface && r.prefix.contains(a) {
            if best.map({ attacks.routes[$0].prefix.length < r.prefix.length }) ?? true { best = i }
        }
        return best
    }

    // MARK: - VPN server names (ServerIP)

    /// A DNS response outside the tunnel: remember it when it gave a VPN endpoint's address.
    mutating func noteServerAnswer(_ q: DNSQueryEvidence, addresses: [IPAddress], resolver: Peer, _ f: PacketFacts) {
        for a in addresses where attacks.endpointAddresses.contains(a) && attacks.serverAnswers[a] == nil {
            guard attacks.serverAnswers.count < AttackState.maxServerAnswers else { return }
            attacks.serverAnswers[a] = ServerAnswer(query: q, resolver: resolver.description, fileIndex: f.fileIndex, time: f.time)
        }
    }

    // MARK: - Leaked packets

    /// A leaked packet while the tunnel is up (it had activity): does an attack explain it?
    mutating func attackTrack(_ f: PacketFacts, cls: LeakClass, key: FlowKey, outbound: Bool) {
        guard lastActivity != nil else { return }
        let remote = key.remote
        if !attacks.routes.isEmpty, let r = pushedRoute(holding: remote, on: key.interface) {
            let p = attacks.routes[r].prefix
            overlay(.routeInjection, f, key: key, cls: cls, outbound: outbound,
                    subject: Peer(address: p.address, port: UInt16(p.length))) { $0.attackRoute = r }
        }
        if !model.localNetworks.isEmpty, AddressScope(remote) == .global, !model.isHost(remote),
           let n = model.localNetworks[key.interface]?.first(where: { $0.prefix.contains(remote) }) {
            overlay(.localnet, f, key: key, cls: cls, outbound: outbound,
                    subject: Peer(address: n.prefix.address, port: UInt16(n.prefix.length))) { $0.attackNetwork = n }
        }
        if !attacks.serverAnswers.isEmpty, let s = attacks.serverAnswers[remote], s.time <= f.time {
            overlay(.serverip, f, key: key, cls: cls, outbound: outbound, subject: Peer(address: remote, port: 0)) {
                $0.attackServer = remote
            }
        }
    }

    /// Adds the packet to the attack finding of `subject` (the route's or network's prefix, with its
    /// length in the port slot; the server's address), opening it on first use.
    mutating func overlay(_ attack: LeakClass, _ f: PacketFacts, key: FlowKey, cls: LeakClass, outbound: Bool,
                          subject: Peer, _ configure: (inout FindingBuilder) -> Void) {
        let gk = GroupKey(cls: attack, interface: key.interface, subject: subject)
        let b: Int
        if let i = attacks.groups[gk] {
            b = i
        } else {
            guard builders.count < limits.maxFindings else { findingsDropped += 1; return }
            var fb = FindingBuilder(key: gk, time: f.time)
            configure(&fb)
            builders.append(fb)
            b = builders.count - 1
            attacks.groups[gk] = b
        }
        builders[b].count(frame: f.frame, time: f.time, length: f.length, cap: limits.maxFramesPerFinding)
        if outbound { builders[b].outboundPackets += 1 }
        builders[b].leakClasses.insert(cls.rawValue, cap: 8)
        let scope = AddressScope(key.remote)
        if scope == .global || (scope == .privateNetwork && builders[b].maxRemoteScope != .global) { builders[b].maxRemoteScope = scope }
        let destination: String
        if attack == .serverip {
            let proto = key.ipProtocol == 6 ? "tcp" : key.ipProtocol == 17 ? "udp" : "ip-\(key.ipProtocol)"
            destination = key.ipProtocol == 6 || key.ipProtocol == 17 ? "\(Peer(address: key.remote, port: key.remotePort))/\(proto)" : proto
        } else {
            destination = key.remote.description
        }
        builders[b].destinations.insert(destination, cap: limits.maxEvidenceItems)
    }

    // MARK: - Findings

    /// Title, severity and evidence of an attack finding.
    func attackFinding(_ b: FindingBuilder, _ e: inout Evidence) -> (title: String, severity: Severity, why: String) {
        e.destinations = b.destinations.items
        e.leakClasses = b.leakClasses.items
        let remote = b.maxRemoteScope == .global
        let packets = "\(b.packets) packet\(b.packets == 1 ? "" : "s")"
        let iface = interfaceName(b.key.interface)
        switch b.key.cls {
        case .routeInjection:
            guard let i = b.attackRoute else { break }
            let r = attacks.routes[i]
            let pushes = r.pushes.map { attacks.pushes[$0] }
            // The ACK (or RA) is what configures the host; an OFFER before it only proposes.
            let cited = pushes.first { $0.how != "DHCP OFFER" } ?? pushes.first
            e.pushedRoutes = [PushedRouteEvidence(
                prefix: r.prefix.description, router: r.router.description, via: r.via,
                frames: pushes.map(\.frame), pushedBy: cited?.source?.description, message: cited?.how)]
            let notes = pushes.flatMap { p in p.notes.map { "frame \(p.frame): \($0)" } }
            e.routeProblems = notes.isEmpty ? nil : Array(notes.prefix(16))
            let first = cited.map { "\($0.how), frame \($0.frame)" } ?? r.via
            let title = "Route \(r.prefix) via \(r.router) pushed by \(first) (\(r.via)) took \(packets) around the tunnel out of \(iface)"
            if remote {
                return (title, .high, "a route the local network pushed steered traffic to a global destination around the tunnel while it was up (TunnelVision, CVE-2024-3661): whoever answers DHCP or sends router advertisements on this link chooses what leaks")
            }
            return (title, .medium, "a route the local network pushed steered traffic around the tunnel while it was up (TunnelVision, CVE-2024-3661), to private-network destinations only")
        case .localnet:
            guard let net = b.attackNetwork else { break }
            e.localNetwork = LocalNetworkEvidence(prefix: net.prefix.description, decidedBy: net.decidedBy)
            let d = b.destinations.items
            let title = "Traffic to \(d.count == 1 ? d[0] : "\(d.count) addresses"), globally routable but inside \(iface)'s own network \(net.prefix), left as local traffic outside the tunnel (\(packets))"
            return (title, .high, "the local network's range holds globally routable addresses, so traffic meant for them goes to the LAN outside the tunnel (TunnelCrack LocalNet): whoever runs the LAN chose that range")
        case .serverip:
            guard let a = b.attackServer, let s = attacks.serverAnswers[a] else { break }
            e.serverDNS = s.query
            e.resolver = s.resolver
            let eps = model.endpoints.filter { $0.address == a && !$0.anotherVPN }
            e.vpnEndpoint = eps.first.map { "\(EndpointSpec(address: $0.address, port: $0.port)) (\($0.protocol))" }
            let frame = s.query.responseFrame.map { ", frame \($0)" } ?? ""
            let title = "Traffic to the VPN server's address \(a), which DNS outside the tunnel gave for \(s.query.name)\(frame), left outside the tunnel (\(packets))"
            return (title, .high, "the VPN server's address came from a DNS answer outside the tunnel, which an attacker can spoof to any address; traffic to that address bypasses the tunnel in the clear (TunnelCrack ServerIP)")
        default: break
        }
        return ("\(b.key.cls.rawValue): \(packets) outside the tunnel", .high, "")
    }

    /// Tunnel-failure evidence from the leak window (event, judgement).
    func windowEvidence(_ b: FindingBuilder, _ e: inout Evidence, windowIDs: [Int: String]) {
        e.window = b.window.flatMap { windowIDs[$0] }
        e.tunnelEvent = b.tunnelEvent?.kind.rawValue
        e.tunnelEventDetail = b.tunnelEvent?.detail
    }
}
