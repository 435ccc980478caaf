import Correlation
import Testing

/// The lab's positive-control recordings (`Scripts/lab run clean|killswitch --canary`, `blind`,
/// `uncaptured`; ground truth in captures/MANIFEST.md from Scripts/lab-truth): the canaries the
/// analysis finds are exactly the frames tshark selects, and each verdict is the scenario's.
@Suite struct LabPositiveControl {
    func run(_ name: String) throws -> Analysis {
        try Correlation.analyze(paths: [LabCaptures.dir + "/" + name + ".pcapng"], options: AnalysisOptions())
    }

    /// label: seen frames / ICMP frames / result
    func canaries(_ a: Analysis) -> [String] {
        (a.positiveControl?.canaries ?? []).map { "\($0.label): \($0.seenFrames) \($0.icmpFrames) \($0.result)" }
    }

    func evidence(_ a: Analysis) -> [String] {
        (a.positiveControl?.paths ?? []).map { "\($0.interface) \($0.evidence)" }
    }

    @Test func cleanWithCanariesHasEveryPathVerifiedAndOpen() throws {
        let a = try run("lab-clean-canary")
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        #expect(a.verdict.reason.hasSuffix("the sensor sees every path (eth0: canary seen, path open); every route in the 2 recorded routing tables goes through a captured interface, loopback or a tunnel"))
        #expect(canaries(a) == ["eth0/ipv4/start: [1] [68] sent", "eth0/ipv6/start: [4] [5] sent", "wgc/ipv4/start: [6] [] sent",
                                "eth0/ipv4/stop: [150] [] sent", "eth0/ipv6/stop: [151] [152] sent", "wgc/ipv4/stop: [153] [] sent"])
        #expect(a.packetVerdicts["canary"] == 7)  // 4 datagrams and 3 ICMP errors on eth0
        #expect(evidence(a) == ["eth0 canary-seen", "wgc canary-seen"])
        #expect(a.positiveControl?.killSwitch == .notEnforced)
        #expect(a.observations.filter { $0.kind == "canary-path-open" }.map(\.frames) == [[1], [4], [150], [151]])
    }

    @Test func killswitchWithCanariesIsNoLeakWithTheKillSwitchVerified() throws {
        let a = try run("lab-killswitch-canary")
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        #expect(a.verdict.reason.hasSuffix("the sensor sees every path (eth0: carrier seen, kill switch verified by 4 canaries); every route in the 3 recorded routing tables goes through a captured interface, loopback or a tunnel"))
        #expect(canaries(a) == ["eth0/ipv4/start: [] [] refused", "eth0/ipv6/start: [] [] refused", "wgc/ipv4/start: [2] [] sent",
                                "eth0/ipv4/stop: [] [] refused", "eth0/ipv6/stop: [] [] refused", "wgc/ipv4/stop: [] [] refused"])
        #expect(a.positiveControl?.canaries.compactMap(\.failure) == Array(repeating: "send: Operation not permitted (errno 1)", count: 4)
                + ["connect: Network is unreachable (errno 101)"])
        #expect(evidence(a) == ["eth0 kill-switch-verified", "wgc canary-seen"])
        #expect(a.positiveControl?.killSwitch == .verified)
        // The tunnel going down removed its routes: a change snapshot between start and stop.
        #expect(a.positiveControl?.coverage.snapshots.map { "\($0.moment) \($0.routes)" } == ["start 11", "change 8", "stop 8"])
    }

    @Test func aFilterThatHidesCarrierAndCanariesIsCannotTell() throws {
        let a = try run("lab-blind")
        #expect(a.verdict.status == .cannotTell)
        #expect(a.findings.isEmpty)
        #expect(a.verdict.reason.hasSuffix("but a leak could have gone unseen: eth0: canaries eth0/ipv4/start, eth0/ipv6/start, eth0/ipv6/stop left the host (ICMP error frames 3, 8, 20 quote them) but the capture did not see them: the sensor misses packets sent there"))
        #expect(canaries(a) == ["eth0/ipv4/start: [] [8] sent", "eth0/ipv6/start: [] [3] sent", "wgc/ipv4/start: [] [] sent",
                                "eth0/ipv4/stop: [] [] sent", "eth0/ipv6/stop: [] [20] sent", "wgc/ipv4/stop: [] [] sent"])
        #expect(evidence(a) == ["eth0 blind", "wgc canary-not-seen"])
        #expect(a.exitStatus(failOn: .low) == 2)
    }

    @Test func anUncapturedLinkWithARouteIsCannotTell() throws {
        let a = try run("lab-uncaptured")
        #expect(a.verdict.status == .cannotTell)
        #expect(a.findings.isEmpty)
        #expect(a.verdict.reason.hasSuffix("but a leak could have gone unseen: 1 route through eth1, which was not captured (ipv4 unicast 10.99.0.0/24 dev eth1 table main), in the routing table at start, stop: a leak could have left there unseen"))
        #expect(a.positiveControl?.coverage.gaps.map(\.interface) == ["eth1"])
        #expect(evidence(a) == ["eth0 canary-seen", "wgc canary-seen"])
    }

    /// The recordings made before the positive control keep their verdicts: the carrier on eth0
    /// shows the sensor sees it, and the report says coverage was not recorded.
    @Test(arguments: ["lab-clean", "lab-killswitch", "lab-clean-established", "lab-killswitch-established",
                      "lab-clean-firefox", "lab-killswitch-firefox"])
    func olderRecordingsAreJudgedOnDropsAndCarrier(name: String) throws {
        let a = try run(name)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.verdict.reason.hasSuffix("the sensor sees every path (eth0: carrier seen); coverage not recorded: the capture holds no routing table (made by another tool, or with --no-routes); judged on drops and the traffic seen on each path alone"))
        #expect(a.positiveControl?.killSwitch == .notTested)
    }
}
