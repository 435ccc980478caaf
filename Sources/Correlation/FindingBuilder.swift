import Dissectors

/// An address and port (ports 0 when the class groups by address only).
struct Peer: Hashable, Sendable, CustomStringConvertible {
    var address: IPAddress
    var port: UInt16
    var description: String {
        port == 0 ? address.description : (address.isV4 ? "\(address):\(port)" : "[\(address)]:\(port)")
    }
}

/// What groups leaked packets into one finding: class, file, interface and the flow subject
/// (STUN server, resolver, IPv6 source, destination).
struct GroupKey: Hashable {
    var cls: LeakClass
    var interface: InterfaceKey
    var subject: Peer
}

/// A set of strings with a cap: inserts past it are counted, never stored.
struct CappedStrings {
    /// In insertion order.
    private(set) var items: [String] = []
    var omitted = 0
    /// Past 16 items a hash index of them: a flood of distinct names or addresses past the
    /// cap costs one lookup per insert, not a scan of the whole list.
    private var index: Set<String>?
    mutating func insert(_ s: String, cap: Int) {
        if let index { if index.contains(s) { return } } else if items.contains(s) { return }
        if items.count >= cap { omitted += 1; return }
        items.append(s)
        if index != nil { index!.insert(s) } else if items.count > 16 { index = Set(items) }
    }

    /// Addresses known to be in `items`: inserting one again costs a hash, not formatting its
    /// text (a leaked flow's host and remote are noted per packet).
    private var knownAddresses: Set<IPAddress> = []
    mutating func insert(address a: IPAddress, cap: Int) {
        if knownAddresses.contains(a) { return }
        let s = a.description
        insert(s, cap: cap)
        if knownAddresses.count < cap, index?.contains(s) ?? items.contains(s) { knownAddresses.insert(a) }
    }

    /// Socket addresses known to be in `items`. When every item came in this way, a socket that is
    /// not one of them is counted past the cap without making its text (a flood of STUN answers).
    private var knownSockets: Set<SocketAddress> = []
    mutating func insert(socket a: SocketAddress, cap: Int) {
        if knownSockets.contains(a) { return }
        if items.count >= cap && knownSockets.count == items.count { omitted += 1; return }
        let s = a.description
        insert(s, cap: cap)
        if knownSockets.count < cap, index?.contains(s) ?? items.contains(s) { knownSockets.insert(a) }
    }
}

/// A finding under construction: counters, capped frame list, class evidence.
struct FindingBuilder {
    /// The record's form of `flows`, in order.
    var flowEvidence: [FlowEvidence] { flows.indices.map { flows[$0].evidence(flowNames[$0]) } }

    let key: GroupKey
    var first: Int64
    var last: Int64
    var packets = 0
    var bytes = 0
    var frames: [Int] = []
    var framesOmitted = 0
    var outboundPackets = 0
    var maxRemoteScope = AddressScope.linkLocal
    /// The host-side source addresses of outbound packets (for exposed addresses).
    var hostSources = CappedStrings()
    var omitted = 0
    /// The flows the finding's packets belong to (their Community IDs, `Finding.citedFlows`).
    var cited = CitedFlowList()

    // webrtc
    var transactions: [STUNTransactionEvidence] = []
    var exposed = CappedStrings()
    var relayed = CappedStrings()
    var software = CappedStrings()
    var ufrags = CappedStrings()
    var iceChecks = 0
    var channelData = 0
    var icmpErrors = 0
    var methods = CappedStrings()
    var serverName: String?
    // dns
    var queries: [DNSQueryEvidence] = []
    var ecs = CappedStrings()
    // ipv6
    var destinations = CappedStrings()
    var encapsulations = CappedStrings()
    // traffic
    var flows: [FlowTally] = []
    /// Names of `flows` by index, for the few flows that have any.
    var flowNames: [Int: FlowNames] = [:]
    var looksLike: String?
    /// Packets of a VPN protocol's shape (`looksLike`): it is said only when they are at least 90 % of
    /// the finding's packets (a QUIC short header can look like an OpenVPN opcode now and then).
    var carrierLookingPackets = 0
    // tunnel-failure
    var spanStart: Int64 = 0
    var spanEnd: Int64?
    var leakClasses = CappedStrings()
    var activitySignal = ""
    /// The leak window this tunnel failure is (index into `WindowState.windows`) and its event.
    var window: Int?
    var tunnelEvent: TunnelEvent?
    // route-injection (index into AttackState.routes), localnet, serverip (the server's address)
    var attackRoute: Int?
    var attackNetwork: LocalNetwork?
    var attackServer: IPAddress?
    /// The recorded stop of the tunnel interface that began the span, if any.
    var tunnelStop: InterfaceStop?

    init(key: GroupKey, time: Int64) { self.key = key; first = time; last = time }

    mutating func count(frame: Int, time: Int64, length: Int, cap: Int) {
        packets += 1
        bytes += length
        if time < first { first = time }
        if time > last { last = time }
        if frames.count < cap { frames.append(frame) } else { framesOmitted += 1 }
    }
}

/// An observation (not a finding) under construction.
struct ObservationBuilder {
    var kind: String
    var interface: InterfaceKey
    var packets = 0
    var frames: [Int] = []
    var framesOmitted = 0
    var names = CappedStrings()
    var answers = CappedStrings()
    var sources: Set<IPAddress> = []
    /// The dissector's notes on the packets (malformed route lists).
    var problems = CappedStrings()
}
