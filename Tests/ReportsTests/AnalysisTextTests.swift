import OutputText
import CaptureFiles
import Correlation
import Reports
import Testing

@Suite struct TerminalReportTests {
    @Test func controlCharactersAreEscaped() {
        #expect(escapedForTerminal("a\u{1b}[31mb\u{7f}\u{85}\\") == "a\\x1b[31mb\\x7f\\u{85}\\\\")
        #expect(escapedForTerminal("plain.example") == "plain.example")
    }

    @Test func verdictLineAndTable() throws {
        let json = """
        {"schema_version":"1.0","verdict":{"status":"leaks-found","reason":"1 finding: 1 dns (worst high)"},
         "tunnel":{"interfaces":[],"vpn_endpoints":[],"host_addresses":[]},
         "findings":[{"id":"F1","class":"dns","severity":"high","severity_reason":"names","title":"DNS to 198.51.100.53:53 outside the tunnel: evil\\u001b]0;x\\u0007.example",
           "file":"s.pcapng","file_index":0,"interface":"eth0","first_ns":0,"last_ns":0,"first_time":"1970-01-01T00:00:00.000000000Z",
           "last_time":"1970-01-01T00:00:00.000000000Z","packets":2,"bytes":200,"frames":[5,6],"frames_omitted":0,
           "evidence":{"resolver":"198.51.100.53:53"}}],
         "observations":[],"exposed_public_addresses":[],"assumptions":["interface eth0 is physical"],
         "packet_verdicts":{"leak":2},"files":[],"settings":{"tunnel_gap_ns":2000000000,"group_gap_ns":60000000000},
         "bounds":{"max_flows":1,"flows_refused":0,"max_pending_transactions":1,"transactions_dropped":0,
           "max_findings":1,"findings_dropped":0,"packets_in_dropped_findings":0,"max_frames_per_finding":1,
           "findings_with_frames_omitted":0,"max_evidence_items":1,"evidence_items_omitted":0,"model_bounds_hit":0}}
        """
        let a = try AnalysisJSON.decode(json)
        let text = TestSupport.terminalText(a)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "LEAKS FOUND: 1 finding: 1 dns (worst high)")
        #expect(lines[2] == "ID  SEVERITY  CLASS  FILE      INTERFACE  PACKETS  FRAMES  TITLE")
        #expect(lines[3] == "F1  high      dns    s.pcapng  eth0       2        5,6     DNS to 198.51.100.53:53 outside the tunnel: evil\\x1b]0;x\\x07.example")
        #expect(!text.contains("\u{1b}"))
        #expect(text.contains("Assumed:\n  - interface eth0 is physical\n"))
    }
}
