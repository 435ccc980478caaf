import BrowserCandidates
import OutputText
import Testing
@testable import BrowserSession

/// The probe table escapes browser strings by the same rule as every other
/// terminal output (CaptureFiles' `escapedForTerminal`).
@Suite struct ProbeTableTests {
    @Test func hostileStringsAreEscaped() {
        let error = CandidateSidecar.CandidateError(url: "stun:evil\u{202E}moc.example:3478", code: 701,
                                               text: "bad\\x1b\u{1B}]0;title\u{7}", address: nil, port: nil)
        let rounds = [
            CandidateSidecar.Round(policy: "all", mdns: false, stun: nil, iceServers: [], startedNs: 0, errors: [error]),
            CandidateSidecar.Round(policy: "relay", mdns: true, stun: nil, iceServers: [], startedNs: 0, failure: "timeout\u{1B}[2J"),
        ]
        let lines = CandidateSidecar(capture: nil, tool: "test", browser: nil, rounds: rounds).table().split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[2] == "1      all     off   error         701 bad\\\\x1b\\x1b]0;title\\x07"
                + String(repeating: " ", count: 17) + "stun:evil\\u{202e}moc.example:3478")
        #expect(lines[3] == "2      relay   on    -      -      failed: timeout\\x1b[2J" + String(repeating: " ", count: 23))
    }
}
