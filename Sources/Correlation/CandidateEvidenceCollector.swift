import BrowserCandidates
import Dissectors

/// Watches pass 2 for the packets that back the browser's candidates: STUN
/// success responses carrying a candidate's address (XOR-MAPPED / XOR-RELAYED),
/// their requests, mDNS announcements of `.local` candidates, DNS answers for
/// the ICE servers' names, and packets sent from host candidates.
///
/// Only what the sidecars ask about is kept, so its state is bounded by the
/// number of candidates (`SidecarLimits`), not by the capture. Inactive (one
/// `isEmpty` test per packet) when no sidecar was found.
struct CandidateEvidenceCollector {
    struct Exchange {
        var fileIndex: Int
        var interface: InterfaceKey
        var requestFrame: Int?
        var responseFrame: Int
        var method: UInt16
        var server: SocketAddress
        var mapped: SocketAddress?
        var relayed: SocketAddress?
    }
    struct Sighting { var fileIndex: Int; var interface: InterfaceKey; var frame: Int }
    struct Announcement { var fileIndex: Int; var interface: InterfaceKey; var frame: Int; var address: IPAddress }
    struct RequestRef { var fileIndex: Int; var frame: Int }

    static let maxPendingRequests = 4_096
    static let perKey = 4

    private(set) var active = false
    var mappedWanted: Set<SocketAddress> = []
    var relayedWanted: Set<SocketAddress> = []
    var hostWanted: Set<SocketAddress> = []
    var hostAddressWanted: Set<IPAddress> = []
    var mdnsWanted: Set<String> = []
    var dnsWanted: Set<String> = []

    var requests: [STUNTransactionID: RequestRef] = [:]
    var exchanges: [Exchange] = []
    var hostSightings: [SocketAddress: Sighting] = [:]
    var hostAddressSightings: [IPAddress: Sighting] = [:]
    var announcements: [String: [Announcement]] = [:]
    /// ICE server names -> addresses seen in DNS answers.
    var resolved: [String: Set<IPAddress>] = [:]

    init(sidecars: [CandidateSidecar]) {
        for s in sidecars {
            for r in s.rounds {
                for c in r.candidates {
                    if let u = c.url.flatMap(ICEServerURL.init), u.address == nil { dnsWanted.insert(u.host) }
                    guard let port = UInt16(exactly: c.port) else { continue }
                    let type = c.type.lowercased()
                    guard let a = IPAddress(parsing: c.address) else {
                        if type == "host", c.address.lowercased().hasSuffix(".local") { mdnsWanted.insert(c.address.lowercased()) }
                        continue
                    }
                    let sa = SocketAddress(address: a, port: port)
                    switch type {
                    case "srflx", "prflx": mappedWanted.insert(sa)
                    case "relay": relayedWanted.insert(sa)
                    case "host": hostWanted.insert(sa); hostAddressWanted.insert(a)
                    default: break
                    }
                }
            }
        }
        active = !(mappedWanted.isEmpty && relayedWanted.isEmpty && hostWanted.isEmpty && mdnsWanted.isEmpty)
    }

    /// `inout` only so that the 3 KB dissection is passed by address (as `FactsExtractor.facts(reading:)`):
    /// most packets are none of STUN, mDNS, DNS, and a by-value argument was copied for every one.
    mutating func observe(_ f: PacketFacts, reading d: inout Dissection) {
        guard active else { return }
        observeAddresses(f)
        switch f.app {
        case .stun: if let m = d.app.stun { stun(f, m) }
        case .mdns: if !mdnsWanted.isEmpty, let m = d.app.dns { mdns(f, m) }
        case .dns: if f.dnsIsResponse && !dnsWanted.isEmpty, let m = d.app.dns { dns(m) }
        default: break
        }
    }

    /// `observe(f, reading:)` of a packet whose app is none of STUN, mDNS, DNS (the carrier fast path's
    /// WireGuard): the same without a dissection, which is then never read.
    mutating func observe(_ f: PacketFacts) {
        guard active else { return }
        observeAddresses(f)
    }

    private mutating func observeAddresses(_ f: PacketFacts) {
        if !hostAddressWanted.isEmpty, let src = f.source, hostAddressWanted.contains(src) {
            let s = Sighting(fileIndex: f.fileIndex, interface: f.interfaceKey, frame: f.frame)
            if hostAddressSightings[src] == nil { hostAddressSightings[src] = s }
            if f.transport != .none {
                let sa = SocketAddress(address: src, port: f.sourcePort)
                if hostWanted.contains(sa), hostSightings[sa] == nil { hostSightings[sa] = s }
            }
        }
    }

    mutating func stun(_ f: PacketFacts, _ m: STUNMessage) {
        guard let txn = f.stunTransaction, let src = f.source else { return }
        switch m.messageClass {
        case .request:
            if requests.count >= Self.maxPendingRequests { requests.removeAll(keepingCapacity: true) }
            requests[txn] = RequestRef(fileIndex: f.fileIndex, frame: f.frame)
        case .success:
            let mapped = m.reflexiveAddress.flatMap { mappedWanted.contains($0) || relayedWanted.contains($0) ? $0 : nil }
            let relayed = m.xorRelayedAddress.flatMap { relayedWanted.contains($0) ? $0 : nil }
            guard mapped != nil || relayed != nil else { return }
            let known = exchanges.filter { ($0.mapped != nil && $0.mapped == mapped) || ($0.relayed != nil && $0.relayed == relayed) }.count
            guard known < Self.perKey * 2, exchanges.count < SidecarLimits.maxCandidates * Self.perKey else { return }
            let req = requests[txn].flatMap { $0.fileIndex == f.fileIndex ? $0.frame : nil }
            exchanges.append(Exchange(fileIndex: f.fileIndex, interface: f.interfaceKey, requestFrame: req,
                                      responseFrame: f.frame, method: m.method,
                                      server: SocketAddress(address: src, port: f.sourcePort),
                                      mapped: mapped, relayed: relayed))
        default: break
        }
    }

    mutating func mdns(_ f: PacketFacts, _ m: DNSMessage) {
        guard m.isResponse else { return }
        for r in m.records {
            guard let a = r.address, a != .v4(0), a != .v6(0, 0) else { continue }
            for name in mdnsWanted where r.name == name {
                var list = announcements[name] ?? []
                guard list.count < Self.perKey, !list.contains(where: { $0.interface == f.interfaceKey && $0.address == a }) else { continue }
                list.append(Announcement(fileIndex: f.fileIndex, interface: f.interfaceKey, frame: f.frame, address: a))
                announcements[name] = list
            }
        }
    }

    mutating func dns(_ m: DNSMessage) {
        guard let q = m.firstQuestion else { return }
        for name in dnsWanted where q.name == name {
            var set = resolved[name] ?? []
            for r in m.answers where set.count < 16 { if let a = r.address { set.insert(a) } }
            resolved[name] = set
        }
    }
}
