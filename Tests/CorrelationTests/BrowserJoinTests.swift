import BrowserCandidates
import Correlation
import Foundation
import Testing
import TestCaptures

/// The browser's candidates sidecar joined with the packets (`browser` key, schema 1.1).
@Suite struct BrowserCandidateJoin {
    func lab(_ name: String) throws -> Analysis {
        try Correlation.analyze(paths: [LabCaptures.dir + "/" + name], options: AnalysisOptions())
    }

    func candidate(_ a: Analysis, round: Int, _ type: String) throws -> BrowserReport.Candidate {
        let b = try #require(a.browser)
        return try #require(b.rounds[round].candidates.first { $0.type == type })
    }

    @Test func labWebRTCLeakJoinsSrflxToTheLeakedBindingExchange() throws {
        let a = try lab("lab-webrtc-leak.pcapng")
        let b = try #require(a.browser)
        // The section comment and the file beside the capture name the same sidecar: used once.
        #expect(b.sidecars == [.init(file: LabCaptures.dir + "/lab-webrtc-leak.candidates.json",
                                     capture: LabCaptures.dir + "/lab-webrtc-leak.pcapng", foundBy: "section comment")])
        #expect(b.warnings == nil)
        #expect(b.rounds.map(\.mdns) == [true, false])
        #expect(b.rounds.map { $0.candidates.count } == [3, 3])
        let webrtc = try #require(a.findings.first { $0.class == .webrtc })
        #expect(webrtc.id == "F1")

        let s1 = try candidate(a, round: 0, "srflx")
        #expect(s1.address == "198.51.100.2" && s1.port == 35538 && s1.url == "stun:stun.lab.test:3478")
        #expect(s1.seenOnWire)
        #expect(s1.evidence == .init(finding: "F1", method: "binding", requestFrame: 31, responseFrame: 32,
                                     stunServer: "203.0.113.10:3478", matched: "address:port", interface: "eth0",
                                     path: "physical", file: LabCaptures.dir + "/lab-webrtc-leak.pcapng"))
        #expect(s1.statement == "the page learned srflx 198.51.100.2:35538 from STUN server 203.0.113.10:3478, from the Binding exchange in frames 31/32 that left on eth0 outside wgc (finding F1)")

        let s2 = try candidate(a, round: 1, "srflx")
        #expect([s2.evidence?.requestFrame, s2.evidence?.responseFrame] == [102, 103])
        #expect(s2.evidence?.finding == "F1" && s2.evidence?.path == "physical" && s2.evidence?.interface == "eth0")

        let r1 = try candidate(a, round: 0, "relay")
        #expect(r1.evidence?.method == "allocate")
        #expect([r1.evidence?.requestFrame, r1.evidence?.responseFrame] == [49, 50])
        #expect(r1.statement == "the page learned relay 203.0.113.10:49163 from TURN server 203.0.113.10:3478, from the Allocate exchange in frames 49/50 that left on eth0 outside wgc (finding F1)")

        // mDNS on: the .local host candidate is tied to its announcement (eth0 first, then the tunnel).
        let h1 = try candidate(a, round: 0, "host")
        #expect(h1.seenOnWire)
        #expect(h1.evidence?.frame == 12 && h1.evidence?.announcedAddress == "10.66.0.2" && h1.evidence?.interface == "eth0")
        #expect(h1.statement == "the page gathered host b4a98d4b-d82e-4512-9fab-93218402b3c9.local:35538; mDNS announced it as 10.66.0.2 in frame 12 on eth0 (also frame 10 on wgc)")
        // mDNS off: 10.66.0.2:59304 never sent (the split route took port 59304 out of eth0 from 198.51.100.2).
        let h2 = try candidate(a, round: 1, "host")
        #expect(!h2.seenOnWire)
        #expect(h2.evidence?.matched == "address" && h2.evidence?.frame == 8 && h2.evidence?.interface == "wgc")

        #expect(b.statements.count == 6)
        #expect(b.statements[1] == s1.statement)
        #expect(webrtc.evidence.browserCandidates == [s1.statement, r1.statement, s2.statement,
                                                      try candidate(a, round: 1, "relay").statement])
        // The leak verdict is the packets' alone.
        #expect(a.verdict.status == .leaksFound)
    }

    @Test func labCleanJoinsSrflxThroughTheTunnel() throws {
        let a = try lab("lab-clean.pcapng")
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        let s1 = try candidate(a, round: 0, "srflx")
        #expect(s1.address == "192.0.2.2" && s1.port == 43574)
        #expect(s1.evidence == .init(method: "binding", requestFrame: 28, responseFrame: 36, stunServer: "203.0.113.10:3478",
                                     matched: "address:port", interface: "wgc", path: "tunnel",
                                     file: LabCaptures.dir + "/lab-clean.pcapng"))
        #expect(s1.statement == "the page learned srflx 192.0.2.2:43574 from STUN server 203.0.113.10:3478, from the Binding exchange in frames 28/36 that went through the tunnel wgc")
        let s2 = try candidate(a, round: 1, "srflx")
        #expect([s2.evidence?.requestFrame, s2.evidence?.responseFrame] == [92, 99])
        #expect(s2.evidence?.path == "tunnel" && s2.evidence?.finding == nil)
        let h2 = try candidate(a, round: 1, "host")
        #expect(h2.seenOnWire && h2.evidence?.frame == 92 && h2.evidence?.path == "tunnel")
        #expect(a.browser?.rounds.flatMap(\.candidates).allSatisfy(\.seenOnWire) == true)
    }

    @Test func noSidecarNoBrowserKey() throws {
        var options = AnalysisOptions()
        options.discoverCandidates = false
        let a = try Correlation.analyze(paths: [LabCaptures.dir + "/lab-clean.pcapng"], options: options)
        #expect(a.browser == nil)
        #expect(try !AnalysisJSON.encode(a).contains("\"browser\""))
    }

    /// A STUN leak on eth0: 198.51.100.2:40000 from 203.0.113.10:3478 in frames 4/5.
    func stunLeak() -> CaptureBuilder {
        var (b, eth, _) = wireGuardSession()
        b.add(eth, Pkt.ether(Pkt.udp(host, 40000, stunServer, 3478, Pkt.bindingRequest(Pkt.txn(2)))))                       // 4
        b.add(eth, Pkt.ether(Pkt.udp(stunServer, 3478, host, 40000, Pkt.bindingSuccess(Pkt.txn(2), mapped: publicAddr, 40000)), out: false)) // 5
        return b
    }

    func write(_ text: String, beside capture: String, name: String) throws -> String {
        let dir = String(capture[..<(capture.lastIndex(of: "/") ?? capture.startIndex)])
        let path = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func malformedSidecarIsAWarningAndTheAnalysisCompletes() throws {
        let path = CaptureBuilder.write(stunLeak().pcapng(), name: "m.pcapng")
        let sidecar = try write("{\"schema\": \"leakscope-candidates/1\", \"rounds\": [ {\"candidates\": [ {\"type\": 5", beside: path,
                                name: "m.candidates.json")
        let a = try Correlation.analyze(paths: [path], options: AnalysisOptions())
        #expect(a.verdict.status == .leaksFound)
        #expect(a.findings.map(\.class) == [.webrtc])
        let b = try #require(a.browser)
        #expect(b.sidecars.isEmpty && b.rounds.isEmpty && b.statements.isEmpty)
        #expect(b.warnings?.count == 1)
        #expect(b.warnings?.first?.hasPrefix("\(sidecar): malformed candidates sidecar (") == true)
        #expect(b.warnings?.first?.hasSuffix("), ignored") == true)
        #expect(a.findings[0].evidence.browserCandidates == nil)
    }

    @Test func wrongSchemaAndOversizeAreRefused() throws {
        let path = CaptureBuilder.write(stunLeak().pcapng(), name: "w.pcapng")
        let wrong = try write("{\"schema\": \"other/2\", \"rounds\": []}", beside: path, name: "w.candidates.json")
        let big = try write(String(repeating: " ", count: SidecarLimits.maxBytes + 1), beside: path, name: "big.json")
        var options = AnalysisOptions()
        options.candidateFiles = [big]
        let a = try Correlation.analyze(paths: [path], options: options)
        #expect(a.browser?.warnings == ["\(big): candidates sidecar larger than 16 MiB, ignored",
                                        "\(wrong): schema other/2 is not leakscope-candidates/1, ignored"])
        #expect(a.browser?.sidecars.isEmpty == true)
    }

    @Test func candidateNotOnTheWireIsListedAsSuch() throws {
        let path = CaptureBuilder.write(stunLeak().pcapng(), name: "n.pcapng")
        // Given with --candidates under another name; its `capture` key ties it to the input. Extra keys are ignored.
        let sidecar = try write("""
            {"schema": "leakscope-candidates/1", "capture": "n.pcapng", "future_key": [1, 2],
             "rounds": [ {"policy": "default", "mdns": false, "stun": "stun:203.0.113.10:3478", "unknown": {},
               "candidates": [
                 {"type": "srflx", "address": "198.51.100.2", "port": 40000, "protocol": "udp", "url": "stun:203.0.113.10:3478"},
                 {"type": "srflx", "address": "198.51.100.2", "port": 40001, "protocol": "udp", "url": "stun:203.0.113.10:3478"},
                 {"type": "host", "address": "0c0ffee0-0000-4000-8000-000000000000.local", "port": 40000, "protocol": "udp"},
                 {"type": "relay", "address": "203.0.113.10", "port": 49999, "protocol": "udp", "url": "turn:203.0.113.10:3478?transport=udp"}
               ] } ] }
            """, beside: path, name: "probe-run.json")
        var options = AnalysisOptions()
        options.candidateFiles = [sidecar]
        let a = try Correlation.analyze(paths: [path], options: options)
        let b = try #require(a.browser)
        #expect(b.sidecars == [.init(file: sidecar, capture: path, foundBy: "option --candidates")])
        #expect(b.rounds.first?.policy == "default" && b.rounds.first?.stun == "stun:203.0.113.10:3478")
        #expect(b.rounds.first?.candidates.map(\.seenOnWire) == [true, false, false, false])
        #expect(b.statements == [
            "the page learned srflx 198.51.100.2:40000 from STUN server 203.0.113.10:3478, from the Binding exchange in frames 4/5 that left on eth0 outside wg0 (finding F1)",
            "the page learned srflx 198.51.100.2:40001 from stun:203.0.113.10:3478, not seen on the wire: no STUN success response in the capture carries this address (the capture may have missed the exchange)",
            "the page gathered host 0c0ffee0-0000-4000-8000-000000000000.local:40000, not seen on the wire: no mDNS announcement of this name in the capture",
            "the page learned relay 203.0.113.10:49999 from turn:203.0.113.10:3478?transport=udp, not seen on the wire: no Allocate success response in the capture carries this address (the capture may have missed the exchange)",
        ])
        #expect(b.rounds.first?.candidates[1].evidence == nil)
        #expect(a.findings.first?.evidence.browserCandidates == [b.statements[0]])
        // JSON: the new key round-trips, and the old keys are untouched.
        let j = try AnalysisJSON.encode(a)
        #expect(try AnalysisJSON.decode(j) == a)
        #expect(j.contains("\"seen_on_wire\": false"))
        #expect(j.contains("\"found_by\": \"option --candidates\""))
    }

    @Test func sectionCommentIsFollowedOnlyInsideTheCaptureDirectory() throws {
        var b = stunLeak()
        b.sectionComment = "leakscope capture -i eth0 -i wg0\nbrowser candidates: run.json\nbrowser candidates: ../../etc/x.json"
        let path = CaptureBuilder.write(b.pcapng(), name: "c.pcapng")
        let sidecar = try write(#"{"schema": "leakscope-candidates/1", "rounds": [{"candidates": [{"type": "srflx", "address": "198.51.100.2", "port": 40000}]}]}"#,
                                beside: path, name: "run.json")
        let a = try Correlation.analyze(paths: [path], options: AnalysisOptions())
        let br = try #require(a.browser)
        #expect(br.sidecars == [.init(file: sidecar, capture: path, foundBy: "section comment")])
        #expect(br.warnings == ["\(path): section comment names candidates sidecar ../../etc/x.json outside the capture's directory, not followed"])
        #expect(br.statements == ["the page learned srflx 198.51.100.2:40000 from STUN/TURN server 203.0.113.10:3478, from the Binding exchange in frames 4/5 that left on eth0 outside wg0 (finding F1)"])
    }

    @Test func candidateCountIsBounded() throws {
        let one = #"{"type": "host", "address": "10.0.0.1", "port": 1}"#
        let text = #"{"schema": "leakscope-candidates/1", "rounds": [ {"candidates": ["#
            + Array(repeating: one, count: SidecarLimits.maxCandidates + 6).joined(separator: ",") + "]}]}"
        guard case .loaded(let s, let warnings) = CandidateSidecar.decode(Data(text.utf8), name: "x.json") else {
            Issue.record("not loaded"); return
        }
        #expect(s.rounds[0].candidates.count == SidecarLimits.maxCandidates)
        #expect(warnings == ["x.json: 6 candidates beyond 1024 not joined"])
    }
}
