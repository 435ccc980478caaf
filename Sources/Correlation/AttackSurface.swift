import Dissectors

/// What pass 1 learns for the attack detectors and the leak windows
/// (docs/leak-model.md, "Attacks on the client" and "Leak windows"): the
/// physical interfaces' own networks (TunnelCrack LocalNet) and the tunnel
/// handshakes (reconnects and endpoint switches). Both are per event, never
/// per packet, and bounded.

/// A physical interface's own network: traffic to it is "local" to the host, so it
/// never enters the tunnel. When it holds globally routable addresses, that is
/// TunnelCrack's LocalNet; either way such traffic is no sign of a tunnel failure.
public struct LocalNetwork: Sendable, Equatable {
    public var prefix: IPPrefix
    public var interface: InterfaceKey
    /// How it was learned: "pcapng if_IPv4addr 198.51.100.2/24", "DHCP ACK, frame 4 of x.pcapng: ...".
    public var decidedBy: String
}

/// A handshake that starts a tunnel session (WireGuard initiation, IKE_SA_INIT or
/// IKEv1 phase 1 request, OpenVPN client hard reset), to or from a VPN endpoint.
public struct HandshakeEvent: Sendable, Equatable {
    public var time: Int64
    public var frame: Int
    public var fileIndex: Int
    public var interface: InterfaceKey
    /// The endpoint side: its address and port (0 for IPsec).
    public var endpoint: IPAddress
    public var endpointPort: UInt16
    public var `protocol`: String
}

/// Pass 1's collector for both.
struct AttackSurfaceBuilder {
    static let maxNetworksPerInterface = 8
    static let maxHandshakes = 1_024

    var networks: [LocalNetwork] = []
    /// Handshake candidates (both sides kept: which one is the endpoint is known only at the end of pass 1).
    var handshakes: [(event: HandshakeEvent, other: IPAddress, otherPort: UInt16)] = []
    var boundsHit = 0

    mutating func addNetwork(_ p: IPPrefix, _ key: InterfaceKey, _ why: String) {
        guard p.length < (p.address.isV4 ? 32 : 128) else { return }
        if let i = networks.firstIndex(where: { $0.prefix == p && $0.interface == key }) {
            if !networks[i].decidedBy.contains("; also ") { networks[i].decidedBy += "; also \(why)" }
            return
        }
        guard networks.count(where: { $0.interface == key }) < Self.maxNetworksPerInterface else { boundsHit += 1; return }
        networks.append(LocalNetwork(prefix: p, interface: key, decidedBy: why))
    }

    /// Every packet that may start a session; cheap (one switch on facts already extracted).
    @inline(__always) mutating func observe(_ f: PacketFacts, _ src: IPAddress, _ dst: IPAddress) {
        let proto: String
        switch f.app {
        case .wireguard where f.wireguardType == 1: proto = "wireguard"
        case .ike where !f.ikeIsResponse && ((f.ikeMajorVersion == 2 && f.ikeExchange == 34)
                                            || (f.ikeMajorVersion == 1 && (f.ikeExchange == 2 || f.ikeExchange == 4))): proto = "ipsec"
        case .openvpn where f.openvpnOpcode == 1 || f.openvpnOpcode == 7 || f.openvpnOpcode == 10: proto = "openvpn"
        default: return
        }
        guard handshakes.count < Self.maxHandshakes else { boundsHit += 1; return }
        let e = HandshakeEvent(time: f.time, frame: f.frame, fileIndex: f.fileIndex, interface: f.interfaceKey,
                               endpoint: dst, endpointPort: f.destinationPort, protocol: proto)
        handshakes.append((e, src, f.sourcePort))
    }

    /// The handshakes whose one side is a tunnel endpoint (not another VPN's), by time; the networks of
    /// physical interfaces, a DHCP lease's first (it says who handed the network out), then the pcapng ones.
    func finish(endpoints: [Endpoint], roles: [InterfaceKey: InterfaceDecision], interfaces: [InterfaceDescription])
        -> (networks: [InterfaceKey: [LocalNetwork]], handshakes: [HandshakeEvent]) {
        var nets: [InterfaceKey: [LocalNetwork]] = [:]
        var all = AttackSurfaceBuilder()
        for n in networks where roles[n.interface]?.role == .physical { all.addNetwork(n.prefix, n.interface, n.decidedBy) }
        for d in interfaces.sorted(by: { $0.key < $1.key }) where roles[d.key]?.role == .physical {
            for n in d.networks {
                let host = d.addresses.first { n.contains($0) }.map { "\($0)/\(n.length)" } ?? n.description
                all.addNetwork(n, d.key, "pcapng \(n.address.isV4 ? "if_IPv4addr" : "if_IPv6addr") \(host)")
            }
        }
        for n in all.networks { nets[n.interface, default: []].append(n) }
        let tunnel = endpoints.filter { !$0.anotherVPN }
        var events: [HandshakeEvent] = []
        for (e, other, otherPort) in handshakes where roles[e.interface]?.role == .physical {
            if let ep = tunnel.first(where: { $0.address == e.endpoint }) {
                var x = e
                x.endpointPort = ep.port ?? e.endpointPort
                events.append(x)
            } else if tunnel.contains(where: { $0.address == other }) {
                var x = e
                x.endpoint = other
                x.endpointPort = otherPort
                events.append(x)
            }
        }
        events.sort { ($0.time, $0.fileIndex, $0.frame) < ($1.time, $1.fileIndex, $1.frame) }
        return (nets, events)
    }
}
