import Correlation
import Foundation
import Testing
@testable import Reports

/// The positive control in the terminal, HTML and Markdown reports: exact lines, and every string
/// that comes from the capture (interface names, the kernel's failure text) escaped.
@Suite struct PositiveControlSectionTests {
    /// A blind control with a hostile interface name, as the analysis JSON carries it.
    static let control: PositiveControl = {
        let json = #"""
        {"status": "blind", "kill_switch": "cannot-tell",
         "reasons": ["eth0<script>\u001b[31m: neither the tunnel's carrier nor a canary is seen on it"],
         "coverage": {"recorded": false, "captured": ["eth0<script>\u001b[31m"], "snapshots": [], "gaps": [],
                      "statement": "coverage not recorded"},
         "paths": [{"file": "s.pcapng", "interface": "eth0<script>\u001b[31m", "role": "physical", "evidence": "blind",
                    "statement": "eth0<script>\u001b[31m: neither the tunnel's carrier nor a canary is seen on it",
                    "carrier_sent": 0, "carrier_received": 0, "canaries_sent": 1, "canaries_seen": 0}],
         "canaries": [{"file": "s.pcapng", "token": "0123456789abcdeffedcba9876543210", "number": 0,
                       "label": "eth0<script>\u001b[31m/ipv4/start", "interface": "eth0<script>\u001b[31m", "path": "physical",
                       "time_ns": 0, "time": "1970-01-01T00:00:00.000000000Z", "destination": "192.0.2.99:9",
                       "result": "refused", "failure": "send: <b>no</b>", "seen_frames": [], "seen_on": [], "icmp_frames": [7]}]}
        """#
        return try! JSONDecoder().decode(PositiveControl.self, from: Data(json.utf8))
    }()

    @Test func terminalLinesAreExactAndEscaped() {
        let t = PositiveControlSection.terminal(Self.control)
        #expect(!t.contains("\u{1B}"))
        #expect(t == """

            Positive control (could the capture have seen a leak?): blind: a leak could have gone unseen
              kill switch: cannot tell (a canary was not seen, but nothing shows the sensor would have seen it)
              coverage: coverage not recorded
              - eth0<script>\\x1b[31m: neither the tunnel's carrier nor a canary is seen on it [physical, blind]
              canary eth0<script>\\x1b[31m/ipv4/start to 192.0.2.99:9: refused (send: <b>no</b>), ICMP error 7

            """)
    }

    @Test func htmlAndMarkdownEscapeWhatTheCaptureNamed() {
        let h = PositiveControlSection.html(Self.control)
        #expect(!h.contains("<script>") && !h.contains("<b>no</b>") && !h.contains("\u{1B}"))
        #expect(h.contains("<h2>Positive control: could the capture have seen a leak?</h2>"))
        #expect(h.contains("<td>blind</td><td class=\"n\">0 / 0</td><td class=\"n\">1 / 0</td>"))
        let m = PositiveControlSection.markdown(Self.control)
        #expect(!m.contains("<script>") && !m.contains("\u{1B}"))
        #expect(m.contains("| Interface | Role | Evidence | Carrier sent / received | Canaries sent / seen |"))
        #expect(PositiveControlSection.terminal(nil).isEmpty && PositiveControlSection.html(nil).isEmpty)
    }
}
