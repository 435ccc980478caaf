import CaptureFiles
import Correlation
import Dissectors
import Testing
import TestCaptures

/// The positive control's record formats (docs/live-capture.md, "Positive-control records"), exact.
@Suite struct PositiveControlRecordTests {
    static let token = CanaryToken(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210)

    @Test func routeSnapshotTextIsExactAndReadsBack() throws {
        let s = RouteSnapshot(
            moment: .start, timeNanoseconds: 1_796_000_000_123_456_789, captured: ["eth0", "wgc"], namespace: "net:[4026532281]",
            routes: [
                .init(family: .ipv4, destination: addr("0.0.0.0"), prefixLength: 1, device: "wgc", deviceLooksLikeTunnel: true),
                .init(family: .ipv4, destination: addr("0.0.0.0"), prefixLength: 0, gateway: addr("198.51.100.1"), device: "eth0",
                      metric: 1000),
                .init(family: .ipv6, type: "unreachable", destination: addr("::"), prefixLength: 1, device: "lo", metric: 1024),
                .init(family: .ipv4, destination: addr("10.99.0.0"), prefixLength: 24, device: "eth1", table: "51820", linkDown: true),
            ])
        let text = """
            leakscope routes 1: start at 2026-11-30T00:53:20.123456789Z; captured eth0 wgc; netns net:[4026532281]; 4 routes
            ipv4 unicast 0.0.0.0/1 dev wgc tunnel? table main
            ipv4 unicast 0.0.0.0/0 via 198.51.100.1 dev eth0 metric 1000 table main
            ipv6 unreachable ::/1 dev lo metric 1024 table main
            ipv4 unicast 10.99.0.0/24 dev eth1 table 51820 linkdown
            """
        #expect(s.comment == text)
        #expect(RouteSnapshot(comment: text) == s)
        let gone = RouteSnapshot(moment: .stop, timeNanoseconds: 0, captured: ["eth0"], changesOmitted: 3,
                                 unavailable: "socket(AF_NETLINK): x\ny")
        #expect(gone.comment == "leakscope routes 1: stop at 1970-01-01T00:00:00.000000000Z; captured eth0; unavailable: socket(AF_NETLINK): x y; 3 changes not recorded")
        #expect(RouteSnapshot(comment: gone.comment)?.unavailable == "socket(AF_NETLINK): x y")
        #expect(RouteSnapshot(comment: gone.comment)?.changesOmitted == 3)
        // Not ours: another tool's comment, the live capture's interface event, a later format version.
        #expect(RouteSnapshot(comment: "leakscope: interface vanished at 2026-12-01T07:33:20Z: gone") == nil)
        #expect(RouteSnapshot(comment: "leakscope routes 2: start at 2026-12-01T07:33:20Z") == nil)
        // Unknown tokens of a later version are skipped; a malformed line is no route.
        #expect(RouteSnapshot.Route(line: "ipv4 unicast 192.0.2.0/24 dev eth0 proto static table main")?.device == "eth0")
        #expect(RouteSnapshot.Route(line: "ipv4 unicast 192.0.2.0/33 dev eth0") == nil)
        #expect(RouteSnapshot.Route(line: "ipv6 unicast 192.0.2.0/24 dev eth0") == nil)
    }

    @Test func onlyUnicastRoutesBeyondTheLinkForward() {
        func r(_ t: String, _ d: String, _ len: Int, dev: String? = "eth1") -> Bool {
            RouteSnapshot.Route(family: d.contains(":") ? .ipv6 : .ipv4, type: t, destination: addr(d), prefixLength: len, device: dev).forwards
        }
        #expect(r("unicast", "10.99.0.0", 24))
        #expect(r("unicast", "0.0.0.0", 0))
        #expect(!r("unreachable", "0.0.0.0", 1))
        #expect(!r("blackhole", "10.0.0.0", 8))
        #expect(!r("unicast", "169.254.0.0", 16))
        #expect(!r("unicast", "224.0.0.0", 4))
        #expect(!r("unicast", "fe80::", 64))
        #expect(!r("unicast", "ff00::", 8))
        #expect(r("unicast", "2001:db8::", 32))
        #expect(!r("unicast", "10.99.0.0", 24, dev: nil))
    }

    @Test func canaryRecordTextIsExactAndReadsBack() throws {
        let c = CanaryRecord(token: Self.token, number: 2, label: "eth0/ipv4/stop", path: .physical, interface: "eth0",
                             timeNanoseconds: 1_796_000_000_000_000_001, source: addr("198.51.100.2"), sourcePort: 40001,
                             destination: addr("192.0.2.99"), destinationPort: 9)
        let text = "leakscope canary 1: token 0123456789abcdeffedcba9876543210; number 2; label eth0/ipv4/stop; path physical; interface eth0; sent at 2026-11-30T00:53:20.000000001Z; udp 198.51.100.2:40001 -> 192.0.2.99:9; result sent"
        #expect(c.comment == text)
        #expect(CanaryRecord(comment: text) == c)
        var refused = c
        refused.source = nil; refused.sourcePort = nil
        refused.destination = addr("2001:db8::99")
        refused.failure = "send: Operation not permitted (errno 1)"
        #expect(refused.comment.hasSuffix("udp ? -> [2001:db8::99]:9; result failed: send: Operation not permitted (errno 1)"))
        #expect(CanaryRecord(comment: refused.comment) == refused)
        #expect(CanaryRecord(comment: "leakscope canary 1: token 00; number 0") == nil)
        #expect(String(decoding: c.payload, as: UTF8.self) == "leakscope-canary 1 0123456789abcdeffedcba9876543210 2 eth0/ipv4/stop\n")
    }

    @Test func canaryPayloadIsFoundByItsTokenAndNothingElseIs() {
        func find(_ s: String) -> (CanaryToken, Int)? {
            let bytes = Array(s.utf8)
            return bytes.withUnsafeBytes { CanaryToken.inPayload(ByteView($0)).map { ($0.token, $0.number) } }
        }
        let good = "leakscope-canary 1 0123456789abcdeffedcba9876543210 17 eth0/ipv4/start\n"
        #expect(find(good).map { $0.0 } == Self.token)
        #expect(find(good).map { $0.1 } == 17)
        #expect(find("leakscope-canary 1 0123456789abcdeffedcba9876543210 0") != nil)
        #expect(find("leakscope-canary 2 0123456789abcdeffedcba9876543210 0 x") == nil)   // another format version
        #expect(find("leakscope-canary 1 0123456789ABCDEFFEDCBA9876543210 0 x") == nil)   // upper-case hex is not ours
        #expect(find("leakscope-canary 1 0123456789abcdeffedcba987654321 0 x") == nil)    // 31 digits
        #expect(find("leakscope-canary 1 0123456789abcdeffedcba9876543210 x") == nil)     // no number
        #expect(find("leakscope-canary 1 0123") == nil)                                    // too short
        #expect(find("") == nil)
    }
}

/// Each verdict rule of the positive control (docs/leak-model.md), on byte-built captures.
@Suite struct PositiveControlVerdictTests {
    static let t0: Int64 = 1_700_000_000_000_000_000
    static let token = PositiveControlRecordTests.token

    /// eth0 + wg0, a WireGuard session (frames 1-3), traffic on wg0 and carrier both ways (frames 4-6).
    static func session() -> (CaptureBuilder, eth: Int, wg: Int) {
        var (b, eth, wg) = wireGuardSession()
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("a.example", id: 7)))                        // 4
        b.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgData(receiver: 0x9999, counter: 0))))          // 5
        b.add(eth, Pkt.ether(Pkt.udp(endpoint, 51820, host, 40001, Pkt.wgData(receiver: 0x1234, counter: 0)), out: false)) // 6
        return (b, eth, wg)
    }

    static func canary(_ n: Int, on iface: String = "eth0", path: CanaryRecord.Path = .physical, port: UInt16 = 45000,
                       source: String = host, failure: String? = nil) -> CanaryRecord {
        CanaryRecord(token: token, number: n, label: "\(iface)/ipv4/start", path: path, interface: iface, timeNanoseconds: t0,
                     source: failure == nil ? addr(source) : nil, sourcePort: failure == nil ? port : nil,
                     destination: addr("203.0.113.99"), destinationPort: 9, failure: failure)
    }

    static func snapshot(_ moment: RouteSnapshot.Moment, _ lines: [String], captured: [String] = ["eth0", "wg0"]) -> RouteSnapshot {
        RouteSnapshot(moment: moment, timeNanoseconds: t0, captured: captured, routes: lines.compactMap { RouteSnapshot.Route(line: Substring($0)) })
    }

    static let fullTunnel = [
        "ipv4 unicast 0.0.0.0/1 dev wg0 table main", "ipv4 unicast 128.0.0.0/1 dev wg0 table main",
        "ipv4 unicast 203.0.113.1/32 via 192.0.2.1 dev eth0 table main", "ipv4 unicast 192.0.2.0/24 dev eth0 table main",
    ]

    @Test func carrierSeenWithoutRoutingTableIsNoLeakAndSaysCoverageWasNotRecorded() throws {
        let (b, _, _) = Self.session()
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.verdict.reason == "5 packets on physical interfaces: 4 carrier, 1 housekeeping, the rest link-local or unanswered inbound; nothing left outside the tunnel; the sensor sees every path (eth0: carrier seen); coverage not recorded: the capture holds no routing table (made by another tool, or with --no-routes); judged on drops and the traffic seen on each path alone")
        let pc = try #require(a.positiveControl)
        #expect(pc.status == .verified && pc.killSwitch == .notTested && pc.reasons.isEmpty && !pc.coverage.recorded)
        #expect(pc.paths.map { "\($0.interface) \($0.role) \($0.evidence) \($0.carrierSent)/\($0.carrierReceived) \($0.firstCarrierFrame ?? 0)" }
                == ["eth0 physical carrier-seen 2/2 2", "wg0 tunnel not-tested 0/0 0"])
    }

    @Test func noCarrierAndNoCanaryOnAPhysicalInterfaceIsCannotTell() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [host])
        let wg = b.interface("wg0", 101)
        b.add(eth, Pkt.arpRequest())
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("a.example", id: 7)))
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .cannotTell)
        #expect(a.verdict.reason == "1 packets on physical interfaces: 0 carrier, 1 housekeeping, the rest link-local or unanswered inbound; nothing left outside the tunnel, but a leak could have gone unseen: eth0: neither the tunnel's carrier nor a canary is seen on it: nothing shows the sensor would see a packet sent there")
        #expect(a.exitStatus(failOn: .low) == 2)
        #expect(a.positiveControl?.paths.first?.evidence == "blind")
    }

    @Test func onlyReceivedCarrierDoesNotShowSentPacketsAreSeen() throws {
        var (b, eth, _) = wireGuardSession()
        b.frames.remove(at: 1)  // the initiation the host sent
        b.add(eth, Pkt.ether(Pkt.udp(endpoint, 51820, host, 40001, Pkt.wgData(receiver: 0x1234, counter: 0)), out: false))
        let (a, _) = try analyze(b, options: { var o = AnalysisOptions(); o.vpnEndpoints = [EndpointSpec(parsing: "203.0.113.1:51820")!]; return o }())
        #expect(a.verdict.status == .cannotTell)
        #expect(a.verdict.reason.hasSuffix("eth0: only received carrier is seen (2 packets): nothing shows the capture sees packets sent there"))
    }

    @Test func kernelDropsOnAPhysicalInterfaceAreCannotTellButNotOnTheTunnel() throws {
        var (b, eth, wg) = Self.session()
        b.counters = [(wg, Self.t0 + 9_000_000_000, 0, 40)]
        let (tunnelOnly, _) = try analyze(b)
        #expect(tunnelOnly.verdict.status == .noLeakSeen)
        #expect(tunnelOnly.positiveControl?.paths.last?.kernelDrops == 40)
        b.counters += [(eth, Self.t0 + 5_000_000_000, 0, 1), (eth, Self.t0 + 9_000_000_000, 2, 3)]
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .cannotTell)
        #expect(a.verdict.reason.hasSuffix("but a leak could have gone unseen: eth0: 3 packets dropped by the kernel (isb_osdrop), 2 dropped by the interface (isb_ifdrop) during the capture: a dropped packet may have been the leak"))
        let eth0 = try #require(a.positiveControl?.paths.first)
        #expect(eth0.evidence == "dropped" && eth0.kernelDrops == 3 && eth0.interfaceDrops == 2)
    }

    @Test func aRouteThroughAnUncapturedInterfaceIsCannotTell() throws {
        var (b, eth, _) = Self.session()
        b.statistics = [(eth, Self.t0, Self.snapshot(.start, Self.fullTunnel + ["ipv4 unicast 10.99.0.0/24 dev eth1 table main"]).comment),
                        (eth, Self.t0 + 9_000_000_000, Self.snapshot(.stop, Self.fullTunnel).comment)]
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .cannotTell)
        #expect(a.verdict.reason.hasSuffix("but a leak could have gone unseen: 1 route through eth1, which was not captured (ipv4 unicast 10.99.0.0/24 dev eth1 table main), in the routing table at start: a leak could have left there unseen"))
        let pc = try #require(a.positiveControl)
        #expect(pc.coverage.recorded)
        #expect(pc.coverage.gaps.map { "\($0.interface) \($0.routes) \($0.seen)" }
                == ["eth1 [\"ipv4 unicast 10.99.0.0/24 dev eth1 table main\"] [\"start\"]"])
        #expect(pc.coverage.snapshots.map { "\($0.moment) \($0.routes)" } == ["start 5", "stop 4"])
        #expect(pc.paths.first?.routes == 4)  // eth0: the /32 and the link route, in both tables
    }

    @Test func loopbackTunnelsLinkLocalRejectAndLinkDownRoutesLeaveNoGap() throws {
        var (b, eth, _) = Self.session()
        let more = ["ipv6 unreachable ::/1 dev lo metric 1024 table main", "ipv4 unicast 127.0.0.0/8 dev lo table main",
                    "ipv4 unicast 0.0.0.0/0 dev wg1 table 51820", "ipv4 unicast 10.0.0.0/8 dev nordlynx table main",
                    "ipv4 unicast 10.8.0.0/24 dev odd0 tunnel? table main", "ipv6 unicast fe80::/64 dev docker0 metric 256 table main",
                    "ipv4 unicast 172.17.0.0/16 dev docker0 table main linkdown", "ipv4 blackhole 10.1.0.0/16 table main"]
        b.statistics = [(eth, Self.t0, Self.snapshot(.start, Self.fullTunnel + more).comment),
                        (eth, Self.t0 + 9_000_000_000, Self.snapshot(.stop, Self.fullTunnel).comment)]
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.verdict.reason.hasSuffix("the sensor sees every path (eth0: carrier seen); every route in the 2 recorded routing tables goes through a captured interface, loopback or a tunnel"))
    }

    @Test func aCapturedInterfaceWithoutRoutesIsNotAPath() throws {
        var (b, eth, _) = Self.session()
        _ = b.interface("eth1", 1)
        b.statistics = [(eth, Self.t0, Self.snapshot(.start, Self.fullTunnel, captured: ["eth0", "wg0", "eth1"]).comment)]
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.positiveControl?.paths.map(\.evidence) == ["carrier-seen", "not-tested", "no-route"])
        // Without a routing table, the idle interface is a path nothing shows the sensor sees.
        b.statistics = []
        let (blind, _) = try analyze(b)
        #expect(blind.verdict.status == .cannotTell)
        #expect(blind.verdict.reason.hasSuffix("eth1: no packet at all was captured on it (an unused interface, a filter, or a sensor that sees nothing there; if it carries no traffic, name the interfaces that do with --physical)"))
    }

    @Test func aPhysicalCanaryOnTheWireProvesThePathOpenAndIsNoLeak() throws {
        var (b, eth, _) = Self.session()
        let c = Self.canary(0)
        let frame = b.add(eth, Pkt.ether(Pkt.udp(host, 45000, "203.0.113.99", 9, c.payload)))  // 7
        b.statistics = [(eth, Self.t0, c.comment)]
        let (a, _) = try analyze(b)
        #expect(a.findings.isEmpty)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.verdict.reason == "6 packets on physical interfaces: 4 carrier, 1 housekeeping, 1 canary, the rest link-local or unanswered inbound; nothing left outside the tunnel; the sensor sees every path (eth0: canary seen, path open); coverage not recorded: the capture holds no routing table (made by another tool, or with --no-routes); judged on drops and the traffic seen on each path alone")
        #expect(a.packetVerdicts["canary"] == 1)
        let pc = try #require(a.positiveControl)
        #expect(pc.killSwitch == .notEnforced)
        #expect(pc.paths.first?.evidence == "canary-seen")
        #expect(pc.canaries.map { "\($0.label) \($0.result) \($0.seenFrames) \($0.seenOn) \($0.source ?? "-")" }
                == ["eth0/ipv4/start sent [\(frame)] [\"eth0\"] 192.0.2.2:45000"])
        let o = try #require(a.observations.first { $0.kind == "canary-path-open" })
        #expect(o.frames == [frame] && o.interface == "eth0" && o.names == ["eth0/ipv4/start"])
    }

    @Test func aCanaryLookalikeWhoseTokenTheCaptureDidNotRecordStaysALeak() throws {
        var (b, eth, _) = Self.session()
        b.add(eth, Pkt.ether(Pkt.udp(host, 45000, "203.0.113.99", 9, Self.canary(0).payload)))
        b.statistics = [(eth, Self.t0, Self.canary(1).comment)]   // another number: not this datagram
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .leaksFound)
        #expect(a.findings.map(\.class) == [.traffic])
        #expect(a.findings.first?.frames == [7])
    }

    @Test func aRefusedCanaryWithTheCarrierSeenVerifiesTheKillSwitch() throws {
        var (b, eth, _) = Self.session()
        b.statistics = [(eth, Self.t0, Self.canary(0, failure: "send: Operation not permitted (errno 1)").comment),
                        (eth, Self.t0, Self.canary(1).comment)]
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.verdict.reason.contains("the sensor sees every path (eth0: carrier seen, kill switch verified by 2 canaries)"))
        let pc = try #require(a.positiveControl)
        #expect(pc.killSwitch == .verified)
        #expect(pc.paths.first?.evidence == "kill-switch-verified")
        #expect(pc.paths.first?.statement == "eth0: carrier 2 sent, 2 received, first frame 2, so the sensor sees this path; 2 canaries bound to it sent or refused (send: Operation not permitted (errno 1)) and none reached the wire: kill switch verified")
        #expect(pc.canaries.map(\.result) == ["refused", "sent"])
    }

    @Test func aCanaryBoundToThePhysicalInterfaceButSeenOnTheTunnelVerifiesNothing() throws {
        // Its binding did not hold (on Linux, disconnecting a UDP socket clears SO_BINDTODEVICE):
        // it left through the tunnel and must not pass for one a kill switch blocked.
        var (b, eth, wg) = Self.session()
        let c = Self.canary(0, source: "10.66.0.2")
        let frame = b.add(wg, Pkt.udp("10.66.0.2", 45000, "203.0.113.99", 9, c.payload))
        b.statistics = [(eth, Self.t0, c.comment)]
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        let pc = try #require(a.positiveControl)
        #expect(pc.killSwitch == .notTested)
        #expect(pc.paths.first?.evidence == "carrier-seen")
        #expect(pc.paths.first?.statement.hasSuffix("; canary eth0/ipv4/start bound to eth0 left through wg0 instead: it tested nothing here") == true)
        #expect(pc.canaries.first?.seenFrames == [frame] && pc.canaries.first?.seenOn == ["wg0"])
    }

    @Test func aCanaryNotSeenWithoutTheCarrierIsCannotTell() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [host])
        b.add(eth, Pkt.arpRequest())
        b.statistics = [(eth, Self.t0, Self.canary(0).comment)]
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .cannotTell)
        #expect(a.positiveControl?.killSwitch == .cannotTell)
        #expect(a.verdict.reason.hasSuffix("eth0: neither the tunnel's carrier nor a canary is seen on it: nothing shows the sensor would see a packet sent there (1 canary sent, none seen)"))
    }

    @Test func anICMPErrorAboutAnUnseenCanaryShowsTheSensorMissesSentPackets() throws {
        var (b, eth, _) = Self.session()
        let c = Self.canary(0)
        let quoted = Array(Pkt.udp(host, 45000, "203.0.113.99", 9, c.payload).prefix(28))
        let icmp = b.add(eth, Pkt.ether(Pkt.ipPacket("192.0.2.1", host, proto: 1, [3, 1, 0, 0, 0, 0, 0, 0] + quoted), out: false))
        b.statistics = [(eth, Self.t0, c.comment)]
        let (a, _) = try analyze(b)
        #expect(a.findings.isEmpty)
        #expect(a.packetVerdicts["canary"] == 1)
        #expect(a.verdict.status == .cannotTell)
        #expect(a.verdict.reason.hasSuffix("eth0: canary eth0/ipv4/start left the host (ICMP error frame \(icmp) quotes it) but the capture did not see it: the sensor misses packets sent there"))
        #expect(a.positiveControl?.canaries.first?.icmpFrames == [icmp])
    }

    @Test func aTunnelCanaryIsSeenOnTheTunnel() throws {
        var (b, eth, wg) = Self.session()
        let c = Self.canary(0, on: "wg0", path: .tunnel, source: "10.66.0.2")
        let frame = b.add(wg, Pkt.udp("10.66.0.2", 45000, "203.0.113.99", 9, c.payload))
        b.statistics = [(eth, Self.t0, c.comment)]
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.positiveControl?.paths.last?.evidence == "canary-seen")
        #expect(a.positiveControl?.paths.last?.statement == "wg0: tunnel canary seen (frame \(frame)): the tunnel carried it and the sensor sees it")
        #expect(a.positiveControl?.killSwitch == .notTested)
        #expect(a.observations.allSatisfy { $0.kind != "canary-path-open" })
    }

    @Test func leaksSeenByABlindSensorAreStillLeaks() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [host])
        b.add(eth, Pkt.ether(Pkt.udp(host, 5000, resolver, 53, Pkt.dnsQuery("a.example", id: 1))))
        b.counters = [(eth, Self.t0, 0, 5)]
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .leaksFound)
        #expect(a.positiveControl?.status == .blind)
        #expect(a.exitStatus(failOn: .low) == 1)
    }
}

/// Hostile records: cut at every length, garbage, oversized: never a crash, bounded.
@Suite struct PositiveControlHostileRecordTests {
    @Test func truncatedAndGarbageRecordsParseOrAreRefused() {
        let snapshot = PositiveControlVerdictTests.snapshot(.start, PositiveControlVerdictTests.fullTunnel).comment
        let canary = PositiveControlVerdictTests.canary(0).comment
        for text in [snapshot, canary] {
            let u = Array(text.utf8)
            for n in 0...u.count {
                let cut = String(decoding: u.prefix(n), as: UTF8.self)
                _ = RouteSnapshot(comment: cut)
                _ = CanaryRecord(comment: cut)
            }
        }
        var g = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0..<200, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
            let s = "leakscope routes 1: start at " + String(decoding: bytes, as: UTF8.self)
            _ = RouteSnapshot(comment: s)
            _ = CanaryRecord(comment: "leakscope canary 1: " + String(decoding: bytes, as: UTF8.self))
            _ = bytes.withUnsafeBytes { CanaryToken.inPayload(ByteView($0)) }
        }
        let payload = PositiveControlVerdictTests.canary(3).payload
        for n in 0...payload.count {
            let found = payload.prefix(n).withUnsafeBytes { CanaryToken.inPayload(ByteView($0)) }
            #expect((found != nil) == (n >= 53), "\(n)")
        }
    }

    @Test func routeLinesAreBoundedOverAllSnapshots() throws {
        // 80 snapshots of 1,000 routes each (80,000 lines): the analysis keeps 65,536 and counts the
        // rest as a gap ("routes the records do not list"), never more memory.
        var (b, eth, _) = PositiveControlVerdictTests.session()
        let lines = (0..<1_000).map { "ipv4 unicast 10.\($0 / 250).\($0 % 250).0/24 dev wg0 table main" }
        let text = PositiveControlVerdictTests.snapshot(.change, lines).comment
        b.statistics = (0..<80).map { (eth, PositiveControlVerdictTests.t0 + Int64($0), text) }
        let (a, _) = try analyze(b)
        let pc = try #require(a.positiveControl)
        #expect(pc.coverage.snapshots.reduce(0) { $0 + $1.routes } == 65_536)
        #expect(pc.coverage.snapshots.reduce(0) { $0 + ($1.routesOmitted ?? 0) } == 80_000 - 65_536)
        #expect(pc.coverage.gaps.map(\.interface) == ["unknown"])
        #expect(a.verdict.status == .cannotTell)
    }
}
