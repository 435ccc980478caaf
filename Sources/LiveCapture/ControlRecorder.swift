#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CaptureFiles

/// `leakscope capture --canary`: where the canaries go (docs/live-capture.md).
public struct CanaryOptions: Sendable, Equatable {
    /// At most one address per family (`--canary-to`); the defaults otherwise.
    public var destinations: [IPAddress]
    public var port: UInt16

    /// Documentation addresses (RFC 5737, RFC 3849): routed nowhere on the Internet.
    public static let defaultDestinations: [IPAddress] = [.v4(0xC000_0263), .v6(0x2001_0DB8_0000_0000, 0x99)]
    /// The next choices when a default is on the interface's own network (a canary to an on-link
    /// address waits for a neighbour that never answers and never reaches the wire: it would
    /// look like a kill switch). 198.51.100.99, 203.0.113.99; 2001:db8:ffff::99.
    static let alternatives: [IPAddress] = [.v4(0xC633_6463), .v4(0xCB00_7163), .v6(0x2001_0DB8_FFFF_0000, 0x99)]

    public init(destinations: [IPAddress] = [], port: UInt16 = CanaryRecord.defaultPort) {
        self.destinations = destinations
        self.port = port
    }

    /// The address a canary of this family goes to: the user's; else the first default that is
    /// not on one of `onLink` (the interface's own networks).
    func destination(v4: Bool, onLink: [PcapNGWriter.Address] = []) -> IPAddress? {
        if !destinations.isEmpty { return destinations.first { $0.isV4 == v4 } }
        return (Self.defaultDestinations + Self.alternatives).first { a in
            a.isV4 == v4 && !onLink.contains { Self.covers($0, a) }
        }
    }

    /// True when `a` lies in the network of interface address `n`.
    static func covers(_ n: PcapNGWriter.Address, _ a: IPAddress) -> Bool {
        switch (n, a) {
        case let (.v4(net, mask), .v4(x)): return mask != 0 && net & mask == x & mask
        case let (.v6(hi, lo, len), .v6(xh, xl)):
            guard len > 0 else { return false }
            let l = Int(min(len, 128))
            let mh: UInt64 = l >= 64 ? .max : ~(UInt64.max >> l)
            let ml: UInt64 = l <= 64 ? 0 : ~(UInt64.max >> (l - 64))
            return hi & mh == xh & mh && lo & ml == xl & ml
        default: return false
        }
    }
}

/// The capture's positive-control records (docs/leak-model.md, "Positive control"):
/// the routing table at start, on every change and at stop, and with `--canary`
/// the canaries at start and at stop, each written as an ISB `opt_comment`
/// (`RouteSnapshot`, `CanaryRecord`). The sockets are opened in `init`, before
/// `-Z` drops privilege; `LiveCapture.run` calls `start`, `tick` every round of
/// its poll loop, `stopping` before the final drain (so the last canaries are
/// read) and `stop` before the ISBs are written.
final class ControlRecorder {
    private let captured: [String]
    private let looksLikeTunnel: (String) -> Bool
    private let sender: CanarySender?
    #if os(Linux)
    private let monitor: NetlinkSocket?
    #endif
    private let recordRoutes: Bool
    private var last: [RouteSnapshot.Route]?
    private var pendingSince: Int64?
    private var lastNotice: Int64 = 0
    private(set) var changesWritten = 0
    private var changesOmitted = 0
    /// Canaries sent (the summary counts them).
    private(set) var canaries: [CanaryRecord] = []
    /// Change snapshots per capture (a flapping route must not fill the file).
    static let maximumChanges = 1_000

    init(options: LiveCaptureOptions, handles: [PcapHandle], known: [LiveInterface]) {
        captured = handles.map(\.interface)
        recordRoutes = options.recordRoutes
        let linkTypes = Dictionary(handles.map { ($0.interface, $0.linkType) }, uniquingKeysWith: { a, _ in a })
        let info = Dictionary(known.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let guess: (String) -> Bool = { name in
            interfaceLooksLikeTunnel(name: name, linkType: linkTypes[name] ?? info[name]?.linkType,
                                     hasLinkLayerAddress: info[name]?.hasLinkLayerAddress,
                                     isLoopback: info[name]?.isLoopback ?? false)
        }
        looksLikeTunnel = guess
        #if os(Linux)
        monitor = options.recordRoutes
            ? (try? NetlinkSocket.open(groups: RTNL.groupIPv4Route | RTNL.groupIPv6Route | RTNL.groupLink
                                     | RTNL.groupIPv4Address | RTNL.groupIPv6Address).get()) : nil
        #endif
        if let c = options.canary {
            var targets: [CanaryTarget] = []
            for h in handles {
                let i = info[h.interface]
                let name = h.interface.lowercased()
                if i?.isLoopback == true || name == "lo" || name == "any" || h.linkType == .null || h.linkType == .loop {
                    continue
                }
                let path: CanaryRecord.Path = guess(h.interface) ? .tunnel : .physical
                let addresses = i?.addresses ?? []
                let hasV4 = addresses.contains { if case .v4 = $0 { true } else { false } }
                let hasV6 = addresses.contains {
                    if case let .v6(hi, _, _) = $0 { hi >> 54 != 0x3FA } else { false }  // not fe80::/10
                }
                // IPv4 whenever the interface has an IPv4 address or none at all (one attempt at least).
                if hasV4 || !hasV6, let d = c.destination(v4: true, onLink: addresses) {
                    targets.append(CanaryTarget(interface: h.interface, path: path, destination: d, port: c.port))
                }
                if hasV6, let d = c.destination(v4: false, onLink: addresses) {
                    targets.append(CanaryTarget(interface: h.interface, path: path, destination: d, port: c.port))
                }
            }
            sender = CanarySender(targets: targets)
        } else {
            sender = nil
        }
    }

    deinit {
        #if os(Linux)
        monitor?.close()
        #endif
    }

    /// The start snapshot and the first canaries (the handles are already capturing).
    func start(_ writer: PcapNGWriter, _ handles: [PcapHandle], startWall: Int64) throws(PcapNGWriterError) {
        if recordRoutes { try snapshot(.start, writer, handles, startWall: startWall) }
        try sendCanaries("start", writer, handles, startWall: startWall)
    }

    /// A route change the kernel announced is written once the table has been quiet for
    /// 100 ms (a tunnel going down removes several routes), at the latest after 1 s.
    func tick(_ writer: PcapNGWriter, _ handles: [PcapHandle], startWall: Int64) throws(PcapNGWriterError) {
        #if os(Linux)
        guard let monitor else { return }
        let now = Clock.monotonic()
        if monitor.changed() {
            lastNotice = now
            if pendingSince == nil { pendingSince = now }
        }
        guard let since = pendingSince, now - lastNotice >= 100_000_000 || now - since >= 1_000_000_000 else { return }
        pendingSince = nil
        if changesWritten >= Self.maximumChanges {
            changesOmitted += 1
            return
        }
        try snapshot(.change, writer, handles, startWall: startWall, onlyIfChanged: true)
        #endif
    }

    /// The last canaries, before the final drain reads them.
    func stopping(_ writer: PcapNGWriter, _ handles: [PcapHandle], startWall: Int64) throws(PcapNGWriterError) {
        try sendCanaries("stop", writer, handles, startWall: startWall)
    }

    /// The stop snapshot (after the drain, before the final ISBs).
    func stop(_ writer: PcapNGWriter, _ handles: [PcapHandle], startWall: Int64) throws(PcapNGWriterError) {
        if recordRoutes { try snapshot(.stop, writer, handles, startWall: startWall) }
        sender?.close()
    }

    private func snapshot(_ moment: RouteSnapshot.Moment, _ writer: PcapNGWriter, _ handles: [PcapHandle], startWall: Int64,
                          onlyIfChanged: Bool = false) throws(PcapNGWriterError) {
        var s = RouteSnapshot(moment: moment, timeNanoseconds: Clock.wall(), captured: captured,
                              namespace: RouteTable.namespaceID())
        switch RouteTable.read(looksLikeTunnel: looksLikeTunnel) {
        case .success(let routes):
            if onlyIfChanged, routes == last { return }
            s.routes = routes
            last = routes
        case .failure(let e):
            s.unavailable = e.description
        }
        if moment == .change { changesWritten += 1 }
        if moment == .stop { s.changesOmitted = changesOmitted }
        try write(comment: s.comment, interface: nil, writer, handles, startWall: startWall)
    }

    private func sendCanaries(_ moment: String, _ writer: PcapNGWriter, _ handles: [PcapHandle],
                              startWall: Int64) throws(PcapNGWriterError) {
        guard let sender else { return }
        for r in sender.send(moment: moment) {
            canaries.append(r)
            try write(comment: r.comment, interface: handles.firstIndex { $0.interface == r.interface }, writer, handles,
                      startWall: startWall)
        }
    }

    /// An ISB now: the interface's counters so far and the comment. Route snapshots go to the
    /// first interface, a canary record to its own; one that already has its final ISB (it
    /// stopped early) is passed over for the first that has not (the comments name their interface).
    private func write(comment: String, interface wanted: Int?, _ writer: PcapNGWriter, _ handles: [PcapHandle],
                       startWall: Int64) throws(PcapNGWriterError) {
        let open = handles.indices.filter { !writer.finished.contains(UInt32($0)) }
        guard let id = wanted.flatMap({ open.contains($0) ? $0 : nil }) ?? open.first else { return }
        let c = handles[id].statistics()
        try writer.writeStatistics(UInt32(id), statistics: PcapNGWriter.Statistics(
            startTimestampNanoseconds: startWall, endTimestampNanoseconds: Clock.wall(), received: c?.received,
            interfaceDropped: c?.interfaceDropped, osDropped: c?.dropped, comment: comment))
    }
}
