import Correlation
import Foundation
import Reports
import Testing

/// Leak windows and the attack classes through every renderer of the typed record: the text,
/// the HTML timeline and its table, Markdown, JSONL (an ECS event per window) and the record's
/// timeline spans, on the lab's reconnect and tunnelvision recordings.
@Suite(.enabled(if: TestSupport.hasLabCaptures, "needs captures/lab-*.pcapng"))
struct LeakWindowRendering {
    func record(_ name: String) throws -> AnalysisRecord {
        try TestSupport.record([TestSupport.repoRoot + "/captures/\(name).pcapng"])
    }

    @Test func aReconnectWindowInEveryRendering() throws {
        let r = try record("lab-reconnect")
        let w = try #require(r.analysis.leakWindows?.first)
        #expect(w.id == "W1" && w.event == "endpoint-switch" && w.findingId == "F2")

        // The timeline shades the window as the tunnel failure it is.
        #expect(r.provenance.timeline.spans == [TimelineSpan(finding: "F2", startNs: w.startNs, endNs: w.endNs,
                                                             window: "W1", event: "endpoint-switch", failure: true)])
        let svg = try #require(String(bytes: try r.rendered(as: .html), encoding: .utf8))
        #expect(svg.contains("<rect class=\"span\""))
        #expect(svg.contains("<title>W1 endpoint-switch: F2 tunnel failure "))
        #expect(svg.contains("<h3>Leak windows</h3>"))
        #expect(svg.contains("<td>W1</td><td><b>endpoint-switch</b><br>the carrier moved from 192.0.2.2:51820 to 192.0.2.3:51820"))
        #expect(svg.contains("<td class=\"n\">2138 ms</td><td class=\"n\">16 packets, 1351 bytes<br>frames 114, 115"))

        let text = TerminalReport.render(r)
        #expect(text.contains("Leak windows (tunnel events and what escaped meanwhile):\n  W1 endpoint-switch at 2026-12-02T02:32:28.478469793Z, 2138 ms: 16 packets (1351 bytes) escaped (dns, traffic); tunnel failure F2\n"))
        #expect(text.contains("    window: W1 (endpoint-switch: the carrier moved from 192.0.2.2:51820 to 192.0.2.3:51820"))

        let md = try #require(String(bytes: try r.rendered(as: .markdown), encoding: .utf8))
        #expect(md.contains("## Leak windows\n\n| Window | Event | Start | Duration | Escaped | Classes | Tunnel failure | Why |"))
        #expect(md.contains("| W1 | endpoint-switch: the carrier moved from 192.0.2.2:51820 to 192.0.2.3:51820"))

        // JSONL: the three findings' alerts, then one ECS event for the window.
        let lines = try #require(String(bytes: try r.rendered(as: .jsonl), encoding: .utf8)).split(separator: "\n")
        #expect(lines.count == 4)
        let event = try JSONSerialization.jsonObject(with: Data(lines[3].utf8)) as! [String: Any]
        let ev = event["event"] as! [String: Any]
        #expect(ev["kind"] as? String == "event" && ev["dataset"] as? String == "leakscope.leak_window")
        #expect(ev["duration"] as? Int == Int(w.endNs - w.startNs))
        #expect(((event["leakscope"] as! [String: Any])["window"] as! [String: Any])["finding_id"] as? String == "F2")
        #expect((event["observer"] as! [String: Any])["ingress"] != nil)
    }

    @Test func attackFindingsInTheTextAndJSONL() throws {
        let r = try record("lab-tunnelvision")
        let text = TerminalReport.render(r)
        #expect(text.contains("    pushed routes: 203.0.113.10/32 via 198.51.100.1 (DHCP option 121, DHCP ACK from 198.51.100.1, frames 7, 9)\n"))
        #expect(text.contains("  public-routes-pushed on eth0 of "))
        let lines = try #require(String(bytes: try r.rendered(as: .jsonl), encoding: .utf8)).split(separator: "\n")
        let alert = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as! [String: Any]
        #expect((alert["rule"] as! [String: Any])["name"] as? String == "route-injection")
        #expect((alert["destination"] as! [String: Any])["ip"] as? String == "203.0.113.10")

        let s = try record("lab-serverip")
        let serverip = try #require(String(bytes: try s.rendered(as: .jsonl), encoding: .utf8)).split(separator: "\n")
            .map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .first { ($0["rule"] as? [String: Any])?["name"] as? String == "serverip" }
        let dst = try #require(serverip?["destination"] as? [String: Any])
        #expect(dst["ip"] as? String == "203.0.113.80" && dst["port"] as? Int == 80)
        #expect((serverip?["network"] as? [String: Any])?["transport"] as? String == "tcp")
    }
}
