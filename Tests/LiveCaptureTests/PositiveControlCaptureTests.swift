import Foundation
import Testing
@testable import CaptureFiles
@testable import LiveCapture

/// Where canaries go when the user names no address: never onto the interface's own network
/// (an on-link canary waits for a neighbour that never answers and would look blocked).
@Suite struct CanaryDestinationTests {
    @Test func defaultsAvoidTheInterfacesOwnNetworks() {
        let c = CanaryOptions()
        #expect(c.destination(v4: true) == IPAddress(parsing: "192.0.2.99"))
        #expect(c.destination(v4: false) == IPAddress(parsing: "2001:db8::99"))
        let lab: [PcapNGWriter.Address] = [.v4(address: 0xC000_0201, mask: 0xFFFF_FF00),
                                           .v6(hi: 0x2001_0DB8_0000_0000, lo: 1, prefixLength: 64)]
        #expect(c.destination(v4: true, onLink: lab) == IPAddress(parsing: "198.51.100.99"))
        #expect(c.destination(v4: false, onLink: lab) == IPAddress(parsing: "2001:db8:ffff::99"))
        // What the user names is used as given.
        let mine = CanaryOptions(destinations: [IPAddress(parsing: "192.0.2.7")!])
        #expect(mine.destination(v4: true, onLink: lab) == IPAddress(parsing: "192.0.2.7"))
        #expect(mine.destination(v4: false) == nil)
        #expect(CanaryOptions.covers(.v6(hi: 0x2001_0DB8_0000_0000, lo: 0, prefixLength: 32), IPAddress(parsing: "2001:db8:ffff::99")!))
        #expect(!CanaryOptions.covers(.v6(hi: 0x2001_0DB8_0000_0000, lo: 0, prefixLength: 48), IPAddress(parsing: "2001:db8:ffff::99")!))
    }
}

/// `leakscope capture --canary` in network namespaces: the routing table recorded at start, on a
/// change and at stop; the canaries sent out of the captured interface, recorded and found by the
/// analysis; a firewall's refusal recorded; `--no-routes`.
@Suite(.enabled(if: TestSupport.canUseNamespaces, "needs root, `ip` and permission to create network namespaces"),
       .enabled(if: TestSupport.leakscopeBinary != nil, "leakscope binary not built next to the tests (swift build --build-tests)"))
struct PositiveControlCaptureTests {
    let binary = TestSupport.leakscopeBinary ?? "leakscope"

    /// The ISB comments of a capture, as records.
    static func records(_ path: String) throws -> (routes: [RouteSnapshot], canaries: [CanaryRecord], reader: CaptureReader,
                                                     udp: [String]) {
        let (_, payloads, _, reader) = try udpPayloads(path)
        let comments = reader.statistics.flatMap(\.comments)
        return (comments.compactMap { RouteSnapshot(comment: $0) }, comments.compactMap { CanaryRecord(comment: $0) }, reader, payloads)
    }

    static func analysis(_ binary: String, _ path: String) throws -> [String: Any] {
        let r = try TestSupport.run([binary, "analyze", path, "--format", "json", "--no-candidates"])
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test func routesAndCanariesAreRecordedAndFound() throws {
        let net = try VethPair(11)
        defer { net.destroy() }
        let side = TestNames.interface("-xa", 11), peer = TestNames.interface("-xb", 11)
        // The canaries' network through the captured veth; the default route through a second link the
        // capture does not record: a canary whose binding did not hold would leave there, unseen.
        for cmd in [["ip", "-n", net.a, "route", "add", "198.51.100.0/24", "via", "192.0.2.2"],
                    ["ip", "-n", net.a, "link", "add", side, "type", "veth", "peer", "name", peer],
                    ["ip", "-n", net.a, "addr", "add", "10.99.11.1/24", "dev", side],
                    ["ip", "-n", net.a, "link", "set", side, "up"], ["ip", "-n", net.a, "link", "set", peer, "up"],
                    ["ip", "-n", net.a, "route", "add", "default", "via", "10.99.11.2"]] {
            let r = try TestSupport.run(cmd)
            #expect(r.status == 0, "\(cmd): \(r.stderr)")
        }
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let path = dir + "/canary.pcapng"
        let capture = try TestSupport.start(["ip", "netns", "exec", net.a, binary, "capture", "-i", net.vethA, "-w", path,
                                             "--canary", "--duration", "1.5"])
        _ = capture.waitForStderr(containing: "capturing on")
        usleep(300_000)
        try TestSupport.run(["ip", "-n", net.a, "route", "add", "203.0.113.0/24", "via", "192.0.2.2"])
        usleep(400_000)
        // A link going down: IPv4 drops its routes without a route notification (RTM_NEWLINK only).
        try TestSupport.run(["ip", "-n", net.a, "link", "set", side, "down"])
        let r = capture.finish()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("routing table recorded at start and stop and 2 times when it changed"), "\(r.stderr)")
        #expect(r.stderr.contains("canary \(net.vethA)/ipv4/start (physical) to 198.51.100.99:9: sent"), "\(r.stderr)")
        #expect(r.stderr.contains("canary \(net.vethA)/ipv4/stop (physical) to 198.51.100.99:9: sent"), "\(r.stderr)")

        let (routes, canaries, reader, udp) = try Self.records(path)
        #expect(routes.map(\.moment) == [.start, .change, .change, .stop])
        #expect(routes.allSatisfy { $0.captured == [net.vethA] && ($0.namespace ?? "").hasPrefix("net:[") })
        let v4 = routes.map { $0.routes.filter { $0.family == .ipv4 }.map(\.line) }
        let base = ["ipv4 unicast 0.0.0.0/0 via 10.99.11.2 dev \(side) table main",
                    "ipv4 unicast 10.99.11.0/24 dev \(side) table main",
                    "ipv4 unicast 192.0.2.0/24 dev \(net.vethA) table main",
                    "ipv4 unicast 198.51.100.0/24 via 192.0.2.2 dev \(net.vethA) table main"]
        let changed = base[..<3] + ["ipv4 unicast 198.51.100.0/24 via 192.0.2.2 dev \(net.vethA) table main",
                                    "ipv4 unicast 203.0.113.0/24 via 192.0.2.2 dev \(net.vethA) table main"]
        let down = Array(changed.dropFirst(2))
        #expect(v4 == [base, Array(changed), down, down])
        #expect(routes[0].routes.contains { $0.line == "ipv6 unicast fe80::/64 dev \(side) metric 256 table main" })

        #expect(canaries.map(\.label) == ["\(net.vethA)/ipv4/start", "\(net.vethA)/ipv4/stop"])
        #expect(canaries.map(\.number) == [0, 1])
        #expect(Set(canaries.map(\.token)).count == 1)
        #expect(canaries.allSatisfy { $0.failure == nil && $0.source == IPAddress(parsing: "192.0.2.1") && $0.destinationPort == 9
                                       && $0.destination == IPAddress(parsing: "198.51.100.99") && $0.path == .physical })
        // Both datagrams are on the wire of the interface they were bound to, each exactly as recorded
        // (the main routes would have taken them out of the other link).
        for c in canaries { #expect(udp.contains(String(decoding: c.payload, as: UTF8.self)), "\(c.label)") }
        // One final ISB per interface after the records; tshark reads the file and counts the same frames.
        #expect(reader.finalStatistics.count == 1)
        #expect(reader.finalStatistics[0].comments.isEmpty)
        if TestSupport.hasTshark {
            let frames = try TestSupport.tsharkFields(path, ["frame.number"])
            #expect(frames.count == udp.count)
        }

        let a = try Self.analysis(binary, path)
        let verdict = a["verdict"] as? [String: Any]
        #expect(verdict?["status"] as? String == "cannot-tell")
        #expect((verdict?["reason"] as? String)?.contains("2 routes through \(side), which was not captured (ipv4 unicast 0.0.0.0/0 via 10.99.11.2 dev \(side) table main; ipv4 unicast 10.99.11.0/24 dev \(side) table main), in the routing table at start, change at ") == true, "\(verdict ?? [:])")
        let pc = a["positive_control"] as? [String: Any] ?? [:]
        #expect(pc["kill_switch"] as? String == "not-enforced")
        let seen = (pc["canaries"] as? [[String: Any]] ?? []).map { ($0["seen_frames"] as? [Int] ?? []).count }
        #expect(seen == [1, 1])
        #expect((a["packet_verdicts"] as? [String: Int])?["canary"] == 2)
        #expect((a["findings"] as? [Any])?.isEmpty == true)
    }

    @Test(.enabled(if: TestSupport.which("nft") != nil, "needs nft"))
    func aFirewallRefusalIsRecordedAndNoRoutesMeansNone() throws {
        let net = try VethPair(12)
        defer { net.destroy() }
        try TestSupport.run(["ip", "-n", net.a, "route", "add", "default", "via", "192.0.2.2"])
        let nft = try TestSupport.run(["ip", "netns", "exec", net.a, "nft",
                                       "add table inet lcapks; add chain inet lcapks out { type filter hook output priority 0; policy accept; }; add rule inet lcapks out udp dport 9 drop"])
        #expect(nft.status == 0, "\(nft.stderr)")
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let path = dir + "/refused.pcapng"
        let r = try TestSupport.run(["ip", "netns", "exec", net.a, binary, "capture", "-i", net.vethA, "-w", path,
                                     "--canary", "--canary-to", "203.0.113.9", "--no-routes", "--duration", "0.5"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("canary \(net.vethA)/ipv4/start (physical) to 203.0.113.9:9: refused, send: Operation not permitted (errno 1)"),
                "\(r.stderr)")
        #expect(!r.stderr.contains("routing table recorded"))
        let (routes, canaries, _, udp) = try Self.records(path)
        #expect(routes.isEmpty)
        #expect(canaries.map { $0.failure ?? "sent" } == Array(repeating: "send: Operation not permitted (errno 1)", count: 2))
        #expect(!udp.contains { $0.hasPrefix("leakscope-canary") })

        let a = try Self.analysis(binary, path)
        #expect((a["verdict"] as? [String: Any])?["status"] as? String == "cannot-tell")
        let pc = a["positive_control"] as? [String: Any] ?? [:]
        #expect(pc["kill_switch"] as? String == "cannot-tell")
        #expect((pc["coverage"] as? [String: Any])?["recorded"] as? Bool == false)
    }
}
