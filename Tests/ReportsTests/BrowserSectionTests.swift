@testable import Correlation
import Foundation
import Reports
import Testing

/// "What the browser saw": the analysis's `browser` key (schema 1.1) in text, HTML and Markdown.
/// Candidate strings come from a web page, so the fixture carries hostile ones.
@Suite struct BrowserSectionTests {
    static let hostile = "<script>x</script>\u{1b}[2J\u{202e}.local"

    static var browser: BrowserReport {
        let evidence = BrowserReport.CandidateEvidence(finding: "F1", requestFrame: 4, responseFrame: 5, matched: "address:port",
                                                       interface: "eth0", path: "physical", file: "s.pcapng")
        return BrowserReport(
            sidecars: [.init(file: "s.candidates.json", capture: "s.pcapng", foundBy: "beside the capture")],
            rounds: [BrowserReport.Round(sidecar: 0, policy: "default", mdns: false, candidates: [
                BrowserReport.Candidate(type: "srflx", address: "198.51.100.2", port: 40000, url: "stun:203.0.113.10:3478",
                                        seenOnWire: true, evidence: evidence,
                                        statement: "the page learned srflx 198.51.100.2:40000 from STUN server 203.0.113.10:3478, from the Binding exchange in frames 4/5 that left on eth0 outside wg0 (finding F1)"),
                BrowserReport.Candidate(type: "host", address: hostile, port: 1, seenOnWire: false,
                                        statement: "the page gathered host \(hostile):1, not seen on the wire: no mDNS announcement of this name in the capture"),
            ])],
            statements: [])
    }

    @Test func textSectionEscapesPageStrings() throws {
        var a = try AnalysisJSON.decode("""
        {"schema_version":"1.1","verdict":{"status":"no-leak-seen","reason":"r"},
         "tunnel":{"interfaces":[],"vpn_endpoints":[],"host_addresses":[]},"findings":[],
         "observations":[],"exposed_public_addresses":[],"assumptions":[],
         "packet_verdicts":{},"files":[],"settings":{"tunnel_gap_ns":2000000000,"group_gap_ns":60000000000},
         "bounds":{"max_flows":1,"flows_refused":0,"max_pending_transactions":1,"transactions_dropped":0,
           "max_findings":1,"findings_dropped":0,"packets_in_dropped_findings":0,"max_frames_per_finding":1,
           "findings_with_frames_omitted":0,"max_evidence_items":1,"evidence_items_omitted":0,"model_bounds_hit":0}}
        """)
        a.browser = Self.browser
        a.browser?.warnings = ["bad\u{7}.json: malformed candidates sidecar (not JSON), ignored"]
        let text = TestSupport.terminalText(a, showAssumptions: false)
        let section = try #require(text.range(of: "\nWhat the browser saw").map { String(text[$0.lowerBound...]) })
        #expect(section == """

            What the browser saw (s.candidates.json, found beside the capture):
              round 1 (policy default, mDNS off):
                - the page learned srflx 198.51.100.2:40000 from STUN server 203.0.113.10:3478, from the Binding exchange in frames 4/5 that left on eth0 outside wg0 (finding F1)
                - the page gathered host <script>x</script>\\x1b[2J\\u{202e}.local:1, not seen on the wire: no mDNS announcement of this name in the capture
              1 of 2 candidates not seen on the wire (the capture missed it, or it never left the host).
              warning: bad\\x07.json: malformed candidates sidecar (not JSON), ignored

            """)
    }

    @Test func htmlAndMarkdownRenderTheSectionEscaped() {
        var r = Fixtures.record()
        r.analysis.browser = Self.browser
        let h = HTMLReport.render(r)
        #expect(h.contains("<section id=\"browser\">\n<h2>What the browser saw</h2>"))
        #expect(h.contains("<td>4/5</td><td><code>eth0</code></td><td class=\"role-physical\">physical</td><td><a href=\"#finding-F1\">F1</a></td>"))
        #expect(h.contains("&lt;script&gt;x&lt;/script&gt;"))
        #expect(!h.contains("<script>x"))
        #expect(h.contains("<b>not seen</b>"))
        let m = MarkdownReport.render(r)
        #expect(m.contains("## What the browser saw\n"))
        #expect(m.contains("| 1 | srflx | 198.51.100.2:40000 | yes | 4/5 | eth0 | physical | F1 |"))
        #expect(m.contains("**not seen**"))
        #expect(!m.contains("<script>"))
        // Without the key the reports are as before.
        let plain = Fixtures.record()
        #expect(!HTMLReport.render(plain).contains("id=\"browser\""))
        #expect(!MarkdownReport.render(plain).contains("What the browser saw"))
    }
}
