import CaptureFiles
@testable import Correlation
import Testing
@testable import Reports

/// The VPN's exit address seen through the tunnel is expected; every renderer
/// must keep it apart from real addresses exposed outside the tunnel.
@Suite struct ExposedAddressSectionsTests {
    static let tunnelAddress = Analysis.ExposedAddress(
        address: "192.0.2.2:43574", how: "XOR-MAPPED-ADDRESS from 203.0.113.10:3478 through the tunnel, frame 36", path: "tunnel")
    static let realAddress = Analysis.ExposedAddress(
        address: "198.51.100.2:35538", how: "XOR-MAPPED-ADDRESS from 203.0.113.10:3478, frame 32", path: "physical", findingId: "F1")

    static func record(_ exposed: [Analysis.ExposedAddress]) -> AnalysisRecord {
        var a = Fixtures.analysis
        a.exposedPublicAddresses = exposed
        return RecordBuilder.build(
            analysis: a, tool: ToolInfo(version: "0.1.0"),
            invocation: Invocation(arguments: ["leakscope", "analyze", "captures/s.pcapng"], options: .init(format: .text)),
            analyzedAt: nil, inputs: [Fixtures.input], timeline: Fixtures.timeline, frameViews: [], evidenceCapture: nil
        )
    }

    @Test func splitKeepsRecordOrderAndTreatsUnknownPathsAsOutside() {
        let odd = Analysis.ExposedAddress(address: "203.0.113.7", how: "x", path: "elsewhere")
        let s = ExposedAddressSections.split([Self.tunnelAddress, odd, Self.realAddress]) { $0.path }
        #expect(s.outside.map(\.address) == ["203.0.113.7", "198.51.100.2:35538"])
        #expect(s.tunnel.map(\.address) == ["192.0.2.2:43574"])
    }

    @Test func tunnelOnlyShowsNoRealExposureSection() {
        let r = Self.record([Self.tunnelAddress])
        let md = MarkdownReport.render(r)
        #expect(md.contains("""
        ## Addresses servers saw through the tunnel (the VPN's exit address, expected)

        | Address | How |
        |---|---|
        | 192.0.2.2:43574 | XOR-MAPPED-ADDRESS from 203.0.113.10:3478 through the tunnel, frame 36 |

        """))
        let html = HTMLReport.render(r)
        #expect(html.contains("<h3>Addresses servers saw through the tunnel (the VPN&#39;s exit address, expected)</h3>\n<table><thead><tr><th>Address</th><th>How it was revealed</th></tr></thead><tbody>\n<tr><td class=\"addr\"><code>192.0.2.2:43574</code></td><td>XOR-MAPPED-ADDRESS from 203.0.113.10:3478 through the tunnel, frame 36</td></tr>\n</tbody></table>"))
        let term = TerminalReport.render(r)
        #expect(term.contains("Addresses servers saw through the tunnel (the VPN's exit address, expected):\n  192.0.2.2:43574: XOR-MAPPED-ADDRESS from 203.0.113.10:3478 through the tunnel, frame 36\n"))
        for text in [md, html, term] {
            #expect(!text.contains("Real addresses exposed outside the tunnel"))
            #expect(!text.contains("Exposed public addresses"))
        }
    }

    @Test func realAddressesComeFirstUnderTheirOwnHeading() throws {
        let r = Self.record([Self.tunnelAddress, Self.realAddress])
        let md = MarkdownReport.render(r)
        let real = try #require(md.range(of: "## Real addresses exposed outside the tunnel\n\n| Address | How |\n|---|---|\n| 198.51.100.2:35538 | XOR-MAPPED-ADDRESS from 203.0.113.10:3478, frame 32 |\n"))
        let tunnel = try #require(md.range(of: "## Addresses servers saw through the tunnel"))
        #expect(real.upperBound < tunnel.lowerBound)
        let html = HTMLReport.render(r)
        #expect(html.contains("<h3>Real addresses exposed outside the tunnel</h3>\n<table><thead><tr><th>Address</th><th>How it was revealed</th></tr></thead><tbody>\n<tr><td class=\"addr\"><code>198.51.100.2:35538</code></td>"))
        let term = TerminalReport.render(r)
        #expect(term.contains("Real addresses exposed outside the tunnel:\n  198.51.100.2:35538: XOR-MAPPED-ADDRESS from 203.0.113.10:3478, frame 32\n\nAddresses servers saw through the tunnel (the VPN's exit address, expected):\n  192.0.2.2:43574: "))
    }

    @Test func analyzeTextSplitsToo() throws {
        let json = """
        {"schema_version":"1.1","verdict":{"status":"no-leak-seen","reason":"nothing left outside the tunnel"},
         "tunnel":{"interfaces":[],"vpn_endpoints":[],"host_addresses":[]},"findings":[],"observations":[],
         "exposed_public_addresses":[{"address":"192.0.2.2:43574","how":"XOR-MAPPED-ADDRESS from 203.0.113.10:3478 through the tunnel, frame 36","path":"tunnel"}],
         "assumptions":[],"packet_verdicts":{},"files":[],"settings":{"tunnel_gap_ns":2000000000,"group_gap_ns":60000000000},
         "bounds":{"max_flows":1,"flows_refused":0,"max_pending_transactions":1,"transactions_dropped":0,
           "max_findings":1,"findings_dropped":0,"packets_in_dropped_findings":0,"max_frames_per_finding":1,
           "findings_with_frames_omitted":0,"max_evidence_items":1,"evidence_items_omitted":0,"model_bounds_hit":0}}
        """
        let text = TestSupport.terminalText(try AnalysisJSON.decode(json), showAssumptions: false)
        #expect(text == """
        NO LEAK SEEN: nothing left outside the tunnel

        Addresses servers saw through the tunnel (the VPN's exit address, expected):
          192.0.2.2:43574: XOR-MAPPED-ADDRESS from 203.0.113.10:3478 through the tunnel, frame 36

        """)
    }

    @Test func jsonlRelatedIPsHaveNoPorts() {
        let r = Self.record([Self.tunnelAddress, Self.realAddress, Analysis.ExposedAddress(address: "[2001:db8:1::2]:54047", how: "x", path: "physical")])
        let doc = JSONLReport.document(r.analysis.findings[0], r)
        #expect(doc.related?.ip == ["192.0.2.2", "198.51.100.2", "2001:db8:1::2", "203.0.113.10"])
    }

    /// `--format jsonl` carries the browser join through `leakscope.evidence`.
    @Test func jsonlCarriesBrowserCandidates() throws {
        var a = Fixtures.analysis
        let statement = "the page learned srflx 198.51.100.2:40000 from STUN server 203.0.113.10:3478, from the Binding exchange in frames 5/6 that left on eth0 outside wg0 (finding F1)"
        a.findings[0].evidence.browserCandidates = [statement]
        let r = RecordBuilder.build(
            analysis: a, tool: ToolInfo(version: "0.1.0"), invocation: Invocation(arguments: ["leakscope"], options: .init(format: .jsonl)),
            analyzedAt: nil, inputs: [Fixtures.input], timeline: Fixtures.timeline, frameViews: [], evidenceCapture: nil
        )
        let doc = JSONLReport.document(r.analysis.findings[0], r)
        #expect(doc.leakscope.evidence.browserCandidates == [statement])
        let line = try #require(String(decoding: try JSONLReport.render(r), as: UTF8.self).split(separator: "\n").first)
        #expect(line.contains("\"browser_candidates\":[\"the page learned srflx 198.51.100.2:40000 from STUN server 203.0.113.10:3478,"))
    }
}
