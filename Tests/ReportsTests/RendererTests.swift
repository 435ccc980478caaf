import OutputText
import CaptureFiles
import Foundation
import Testing
@testable import Reports

@Suite struct RendererTests {
    let record = Fixtures.record()

    @Test func htmlShowsVerdictSummaryTimelineFindingsAndProvenance() {
        let h = HTMLReport.render(record)
        #expect(h.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(h.contains("<header class=\"verdict status-leaks-found\" id=\"verdict\">\n<p class=\"kicker\">LeakScope verdict</p>\n<h1>Leaks found</h1>\n<p class=\"reason\">2 high findings on eth0 outside the tunnel</p>"))
        #expect(h.contains("<tr><td><span class=\"cls\">webrtc</span></td><td class=\"n sev-high\">1</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">1</td><td class=\"n\">2</td><td class=\"n\">200</td></tr>"))
        #expect(h.contains("<tr><td>VPN endpoint (wireguard)</td><td><code>203.0.113.1:51820</code></td><td>WireGuard handshake initiation/response, frames 1/2 of s.pcapng</td></tr>"))
        #expect(h.contains("<tr><td>Host address on eth0</td><td><code>192.0.2.2</code></td><td>source of the carrier flow</td></tr>"))
        #expect(h.contains("<svg class=\"timeline\""))
        #expect(h.contains("<rect class=\"leak\""))
        #expect(h.contains("<rect class=\"span\""))
        #expect(h.contains("<article class=\"finding sev-high\" id=\"finding-F1\">"))
        #expect(h.contains(Escape.html(LeakClassText.why(.webrtc))))
        #expect(h.contains("<dt>Frames</dt><dd>5, 6</dd>"))
        #expect(h.contains("<pre class=\"hex\">0000  02 00 00 00 00 01 02 00  00 00 00 02 08 00 45 00  ..............E.\n0010  3c 73 63 72                                       &lt;scr</pre>"))
        #expect(h.contains("<li><b>eth</b> src=<code>02:00:00:00:00:02</code> dst=<code>02:00:00:00:00:01</code></li>"))
        #expect(h.contains("<section id=\"provenance\">"))
        #expect(h.contains(record.provenance.inputs[0].sha256))
        #expect(h.contains("<dt>Analysed at</dt><dd>not recorded (--deterministic)</dd>"))
        #expect(h.contains("@media print"))
    }

    @Test func htmlIsSelfContained() {
        let h = HTMLReport.render(record)
        #expect(!h.lowercased().contains("<script"))
        for tag in ["<img", "<iframe", "<object", "<embed", "<link", "<audio", "<video", "<image", "<use"] {
            #expect(!h.contains(tag), "\(tag)")
        }
        #expect(!h.contains("src=\""))
        #expect(!h.contains("href="))
        #expect(!h.contains("@import"))
        #expect(!h.contains("url("))
        // The only URL is the SVG namespace, which is never fetched.
        let urls = h.components(separatedBy: "http").count - 1
        #expect(urls == 2) // SVG namespace + the CSP meta "http-equiv"
    }

    @Test func packetStringsAreEscapedInHTML() {
        let h = HTMLReport.render(record)
        #expect(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;.example"))
        #expect(!h.contains(Fixtures.hostileName))
        // The control characters of a STUN SOFTWARE value are shown, not sent.
        #expect(h.contains("\\u{1b}[31mevil\\u{7}"))
        #expect(!h.contains("\u{1B}"))
    }

    @Test func markdownMatchesGoldenAndEscapes() {
        let m = MarkdownReport.render(record)
        if m != Golden.markdown { try? m.write(toFile: "/tmp/leakscope-golden-report.md", atomically: true, encoding: .utf8) }
        #expect(m == Golden.markdown)
        #expect(m.contains("&lt;script&gt;alert(1)&lt;/script&gt;.example"))
        #expect(!m.contains("<script>"))
        #expect(!m.contains("\u{1B}"))
    }

    @Test func jsonlMatchesGoldenWithECSFields() throws {
        let l = String(decoding: try JSONLReport.render(record), as: UTF8.self)
        if l != Golden.jsonl { try? l.write(toFile: "/tmp/leakscope-golden-findings.jsonl", atomically: true, encoding: .utf8) }
        #expect(l == Golden.jsonl)
        let lines = l.split(separator: "\n")
        #expect(lines.count == 3)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(first["@timestamp"] as? String == "2023-11-14T22:13:22Z")
        let event = first["event"] as! [String: Any]
        #expect(event["kind"] as? String == "alert")
        #expect(event["category"] as? [String] == ["network"])
        #expect(event["dataset"] as? String == "leakscope.finding")
        #expect(event["severity"] as? Int == 73)
        #expect((first["rule"] as! [String: Any])["name"] as? String == "webrtc")
        #expect((first["destination"] as! [String: Any])["ip"] as? String == "203.0.113.10")
        #expect((first["destination"] as! [String: Any])["port"] as? Int == 3478)
        let second = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as! [String: Any]
        #expect(((second["dns"] as! [String: Any])["question"] as! [String: Any])["name"] as? String == Fixtures.hostileName)
        let obs = second["observer"] as! [String: Any]
        #expect(((obs["ingress"] as! [String: Any])["interface"] as! [String: Any])["name"] as? String == "eth0")
    }

    @Test func endpointsParseFromEvidenceText() {
        #expect(JSONLReport.parse("192.0.2.1:53").map { "\($0.ip) \($0.port ?? -1)" } == "192.0.2.1 53")
        #expect(JSONLReport.parse("[2001:db8::1]:443").map { "\($0.ip) \($0.port ?? -1)" } == "2001:db8::1 443")
        #expect(JSONLReport.parse("2001:db8::1").map { "\($0.ip) \($0.port ?? -1)" } == "2001:db8::1 -1")
    }

    @Test func terminalReportEscapesControlsAndColoursOnlyWhenAsked() {
        var r = record
        r.analysis.findings[0].title = "STUN \u{1B}]0;pwned\u{7} via \u{9B}31m"
        let plain = TerminalReport.render(r)
        #expect(!plain.contains("\u{1B}"))
        #expect(!plain.contains("\u{9B}"))
        #expect(plain.contains("STUN \\x1b]0;pwned\\x07 via \\u{9b}31m"))
        #expect(plain.hasPrefix("LEAKS FOUND: 2 high findings on eth0 outside the tunnel\n\nID  SEVERITY  CLASS           FILE      INTERFACE  PACKETS  FRAMES  TITLE\n"))
        #expect(plain.hasSuffix("\nEvidence: leaks.pcapng (3 frames, SHA-256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855)\n"))
        let coloured = TerminalReport.render(r, color: true)
        #expect(coloured.hasPrefix("\u{1B}[1;31mLEAKS FOUND\u{1B}[0m: "))
        #expect(coloured.contains("\u{1B}[31mhigh\u{1B}[0m"))
        #expect(TerminalReport.wantsColor(isTTY: true, environment: [:]))
        #expect(!TerminalReport.wantsColor(isTTY: false, environment: [:]))
        #expect(!TerminalReport.wantsColor(isTTY: true, environment: ["NO_COLOR": "1"]))
        #expect(TerminalReport.wantsColor(isTTY: true, environment: ["NO_COLOR": ""]))
    }

    /// `analyze` prints the record's text; `report --format text` prints the
    /// same text for the same record read back.
    @Test func theSameRecordPrintsTheSameTextInBothCommands() throws {
        let r = Fixtures.record()
        let back = try RecordJSON.decode(try RecordJSON.encode(r)).record
        #expect(TerminalReport.render(back) == TerminalReport.render(r))
        #expect(try back.rendered(as: .text) == Array(TerminalReport.render(r).utf8))
    }

    @Test func escapersFollowTheirOutputsRules() {
        #expect(Escape.html("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;")
        #expect(Escape.markdown("*x*|[l](u)\nnext") == "\\*x\\*\\|\\[l\\](u) next")
        #expect(escapedForTerminal("ok\u{1B}[2J\u{7F}\u{202E}") == "ok\\x1b[2J\\x7f\\u{202e}")
    }
}
