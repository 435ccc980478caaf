import Correlation
import Foundation
import Testing
@testable import Reports

/// `leakscope diff` (issue 15, item 2) on records made from the lab captures.
@Suite(.enabled(if: TestSupport.hasLabCaptures, "needs the lab captures in captures/"))
struct RecordDiffTests {
    static func record(_ name: String) throws -> AnalysisRecord {
        try TestSupport.record(["\(TestSupport.repoRoot)/captures/lab-\(name).pcapng"])
    }

    static func keys(_ xs: [RecordDiff.Entry]) -> [String] { xs.map { "\($0.key.leakClass) \($0.key.text)" } }

    @Test func aLeakThatAppearsIsNewAndOneThatGoesIsResolved() throws {
        let clean = try Self.record("clean"), leak = try Self.record("webrtc-leak")
        let d = RecordDiff(old: clean, new: leak)
        #expect(Self.keys(d.newFindings) == ["webrtc stun server 203.0.113.10:3478"])
        #expect(d.newFindings[0].new.map(\.id) == ["F1"])
        #expect(d.resolved.isEmpty && d.unchanged.isEmpty)
        #expect(d.addresses == .init(new: ["198.51.100.2"], resolved: [], unchanged: []))
        #expect(Self.keys(d.regressions(failOn: .low)) == ["webrtc stun server 203.0.113.10:3478"])
        #expect(d.regressions(failOn: nil).isEmpty)

        let back = RecordDiff(old: leak, new: clean)
        #expect(Self.keys(back.resolved) == ["webrtc stun server 203.0.113.10:3478"])
        #expect(back.newFindings.isEmpty && back.unchanged.isEmpty)
        #expect(back.addresses == .init(new: [], resolved: ["198.51.100.2"], unchanged: []))
        #expect(back.regressions(failOn: .low).isEmpty)
    }

    @Test func findingsMatchByClassAndStableKeyNotByIdOrFrame() throws {
        let dns = try Self.record("dns-leak"), everything = try Self.record("everything")
        let d = RecordDiff(old: dns, new: everything)
        // The resolver leaked in both (F1 in each, other frames, ports and times): unchanged.
        #expect(Self.keys(d.unchanged) == ["dns resolver 203.0.113.53:53"])
        #expect(Self.keys(d.newFindings) == [
            "webrtc stun server 203.0.113.10:3478", "webrtc stun server [2001:db8:3::10]:3478",
            "ipv6 source 2001:db8:1::2", "tunnel-failure interface eth0",
        ])
        #expect(d.resolved.isEmpty)
        #expect(d.addresses == .init(new: ["2001:db8:1::2"], resolved: [], unchanged: ["198.51.100.2"]))

        // Everything then tunnel-down: some stay (with other ids), some go, one traffic leak is new by its name.
        let t = RecordDiff(old: everything, new: try Self.record("tunnel-down"))
        #expect(Self.keys(t.unchanged) == ["webrtc stun server 203.0.113.10:3478", "dns resolver 203.0.113.53:53", "tunnel-failure interface eth0"])
        #expect(t.unchanged.map { "\(DiffReport.sides($0.old)) -> \(DiffReport.sides($0.new))" } == ["F3 -> F3", "F1 -> F1", "F4 -> F2"])
        #expect(Self.keys(t.resolved) == ["webrtc stun server [2001:db8:3::10]:3478", "ipv6 source 2001:db8:1::2"])
        #expect(Self.keys(t.newFindings) == ["traffic name probe.lab.test"])
        // A record compared with itself: all unchanged, nothing to fail on.
        let same = RecordDiff(old: everything, new: everything)
        #expect(same.newFindings.isEmpty && same.resolved.isEmpty && same.unchanged.count == 5)
        #expect(same.regressions(failOn: .low).isEmpty)
    }

    /// Exit 1 needs a finding at or above --fail-on that OLD did not have: a new key, or a key whose
    /// worst severity rose to the threshold; a new finding below it does not fail.
    @Test func regressionsFollowTheFailOnThreshold() throws {
        var old = try Self.record("dns-leak"), new = try Self.record("dns-leak")
        old.analysis.findings[0].severity = .low
        #expect(RecordDiff(old: old, new: new).unchanged.count == 1)
        #expect(Self.keys(RecordDiff(old: old, new: new).regressions(failOn: .high)) == ["dns resolver 203.0.113.53:53"])
        #expect(RecordDiff(old: old, new: new).regressions(failOn: .low).isEmpty)  // OLD had it at low already
        #expect(RecordDiff(old: new, new: old).regressions(failOn: .low).isEmpty)  // it got better
        new.analysis.findings[0].severity = .medium
        let clean = try Self.record("clean")
        #expect(RecordDiff(old: clean, new: new).regressions(failOn: .high).isEmpty)
        #expect(RecordDiff(old: clean, new: new).regressions(failOn: .medium).count == 1)
    }

    /// A newer minor version's record (keys this version does not know, a leak class it does not
    /// know) is diffed through the typed record like any other.
    @Test func recordsOfAnotherMinorVersionDiff() throws {
        var text = String(decoding: try RecordJSON.encode(try Self.record("everything")), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"schema_version\": \"\(AnalysisRecord.schemaVersion)\"", with: "\"schema_version\": \"1.99\",\n  \"zz_future\": [1]")
        text = text.replacingOccurrences(of: "\"class\": \"ipv6\"", with: "\"class\": \"ipv7\"")
        let newer = try RecordJSON.decode(Array(text.utf8))
        #expect(newer.newerKeys == ["zz_future"])
        let d = RecordDiff(old: try Self.record("dns-leak"), new: newer.record)
        #expect(Self.keys(d.unchanged) == ["dns resolver 203.0.113.53:53"])
        #expect(d.newFindings.map(\.key.leakClass).contains("ipv7"))
        #expect(d.newFindings.count == 4)

        // An older minor version (1.1: no cited flows, no server/frame on exposed addresses).
        var older = try Self.record("dns-leak")
        for i in older.analysis.findings.indices { older.analysis.findings[i].citedFlows = nil }
        for i in older.analysis.exposedPublicAddresses.indices {
            older.analysis.exposedPublicAddresses[i].server = nil
            older.analysis.exposedPublicAddresses[i].frame = nil
        }
        let oldText = String(decoding: try RecordJSON.encode(older), as: UTF8.self)
            .replacingOccurrences(of: "\"schema_version\": \"\(AnalysisRecord.schemaVersion)\"", with: "\"schema_version\": \"1.1\"")
        #expect(!oldText.contains("cited_flows"))
        let read = try RecordJSON.decode(Array(oldText.utf8))
        #expect(read.schemaVersion == "1.1")
        let o = RecordDiff(old: read.record, new: try Self.record("everything"))
        #expect(Self.keys(o.unchanged) == ["dns resolver 203.0.113.53:53"])
        #expect(o.newFindings.count == 4)
    }

    @Test func textJSONAndMarkdown() throws {
        let d = RecordDiff(old: try Self.record("dns-leak"), new: try Self.record("everything"))
        let report = DiffReport(diff: d, old: .init(path: "old.json", record: try Self.record("dns-leak"), schemaVersion: "1.2"),
                                new: .init(path: "new.json", record: try Self.record("everything"), schemaVersion: "1.2"), failOn: .high)
        let text = report.text()
        #expect(text.hasPrefix("Old old.json: schema 1.2, leaks found, 1 finding (lab-dns-leak.pcapng)\nNew new.json: schema 1.2, leaks found, 5 findings (lab-everything.pcapng)\n\nNew findings (4):\n"))
        #expect(text.contains("\nUnchanged (1):\n  =  dns  high  resolver 203.0.113.53:53  F1 -> F1  DNS to 203.0.113.53:53 outside the tunnel: probe.lab.test, stun.lab.test, turn.lab.test\n"))
        #expect(text.contains("\nResolved (0)\n"))
        #expect(text.hasSuffix("Real addresses exposed outside the tunnel:\n  new: 2001:db8:1::2\n  still exposed: 198.51.100.2\n\nREGRESSION: 4 new findings at or above high\n"))

        let json = try JSONSerialization.jsonObject(with: Data(try report.json())) as! [String: Any]
        #expect(json["format"] as? String == "leakscope-diff/1")
        #expect(json["fail_on"] as? String == "high")
        #expect(json["regressions"] as? Int == 4)
        let unchanged = try #require(json["unchanged"] as? [[String: Any]])
        #expect(unchanged.count == 1)
        #expect(unchanged[0]["class"] as? String == "dns")
        #expect(unchanged[0]["key"] as? [String: String] == ["kind": "resolver", "value": "203.0.113.53:53"])
        #expect((unchanged[0]["old"] as? [[String: Any]])?.first?["id"] as? String == "F1")
        #expect(unchanged[0]["regression"] as? Bool == false)
        #expect((json["new_findings"] as? [[String: Any]])?.count == 4)
        #expect((json["exposed_addresses"] as? [String: [String]])?["new"] == ["2001:db8:1::2"])
        #expect(try report.json() == (try report.json()))

        let md = report.markdown()
        #expect(md.hasPrefix("# LeakScope diff: regression\n\n| | Record | Schema | Verdict | Findings | Captures |\n"))
        #expect(md.contains("**4 new findings at or above high.**"))
        #expect(md.contains("## Unchanged (1)\n\n| Class | Severity | Key | Old | New | Title |\n|---|---|---|---|---|---|\n| dns | high | resolver 203.0.113.53:53 | F1 | F1 | DNS to 203.0.113.53:53 outside the tunnel: probe.lab.test, stun.lab.test, turn.lab.test |\n"))
        #expect(md.contains("## Resolved (0)\n\nNone.\n"))
        #expect(md.contains("| webrtc | high (regression) | stun server \\[2001:db8:3::10\\]:3478 | "))
    }

    /// A record is input: every string a diff or a flow list shows from it is escaped.
    @Test func stringsFromARecordAreEscaped() throws {
        var r = try Self.record("webrtc-leak")
        r.analysis.findings[0].id = "F1\u{1B}[31m"
        r.analysis.findings[0].title = "evil \u{1B}]0;x\u{7} <b>|</b>"
        r.analysis.findings[0].evidence.stunServer = "<i>\u{9B}31m"
        r.analysis.findings[0].citedFlows?[0].communityId = "1:`\u{1B}[2J|<x>"
        let report = DiffReport(diff: RecordDiff(old: try Self.record("clean"), new: r),
                                old: .init(path: "old\u{1B}.json", record: try Self.record("clean"), schemaVersion: "1.3"),
                                new: .init(path: "new.json", record: r, schemaVersion: "1.3"), failOn: .low)
        let text = report.text()
        #expect(!text.contains("\u{1B}") && !text.contains("\u{9B}") && !text.contains("\u{7}"))
        #expect(text.contains("stun server <i>\\u{9b}31m"))
        let md = report.markdown()
        #expect(!md.contains("<b>") && !md.contains("<i>") && !md.contains("\u{1B}"))
        #expect(md.contains("evil \\u{1b}\\]0;x\\u{7} &lt;b&gt;\\|&lt;/b&gt;"))
        let json = String(decoding: try report.json(), as: UTF8.self)
        #expect(!json.contains("\u{1B}") && json.contains("\\u001b"))
        let term = TerminalReport.render(r)
        #expect(!term.contains("\u{1B}"))
        #expect(term.contains("community id: 1:`\\x1b[2J|<x> (udp "))
        let flows = MarkdownReport.render(r)
        #expect(flows.contains("  - 1:\\`\\u{1b}\\[2J\\|&lt;x&gt; udp 198.51.100.2:35538 → 203.0.113.10:3478"))
        #expect(flows.contains("  - `1:akVY1LIIWxC1jCL+EVnsBXKQTe0=` icmp "))
        #expect(!HTMLReport.render(r).contains("<x>"))
    }
}
