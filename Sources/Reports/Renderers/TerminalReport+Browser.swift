import CaptureFiles
import Correlation
import OutputText

extension TerminalReport {
    /// "What the browser saw": the browser's candidates (its sidecar) joined with the packets,
    /// one statement per candidate. Candidate strings come from a web page: all escaped.
    static func browser(_ b: BrowserReport) -> String {
        // escapedForTerminal also neutralises bidirectional overrides a page could put in a candidate.
        let e = escapedForTerminal
        var s = "\nWhat the browser saw"
        if b.sidecars.isEmpty {
            s += " (no usable candidates sidecar):\n"
        } else {
            s += " (" + b.sidecars.map { "\(e($0.file)), \(how($0.foundBy))" }.joined(separator: "; ") + "):\n"
        }
        for (n, r) in b.rounds.enumerated() {
            var head = "round \(n + 1)"
            var facts: [String] = []
            if let p = r.policy { facts.append("policy \(e(p))") }
            if let m = r.mdns { facts.append("mDNS \(m ? "on" : "off")") }
            if let f = r.failure { facts.append("failed: \(e(f))") }
            if !facts.isEmpty { head += " (" + facts.joined(separator: ", ") + ")" }
            s += "  \(head):\(r.candidates.isEmpty ? " no candidates" : "")\n"
            for c in r.candidates { s += "    - \(e(c.statement))\n" }
        }
        let all = b.rounds.flatMap(\.candidates)
        let unseen = all.filter { !$0.seenOnWire }.count
        if unseen > 0 {
            s += "  \(unseen) of \(all.count) candidate\(all.count == 1 ? "" : "s") not seen on the wire (the capture missed \(unseen == 1 ? "it" : "them"), or \(unseen == 1 ? "it" : "they") never left the host).\n"
        }
        for w in b.warnings ?? [] { s += "  warning: \(e(w))\n" }
        return s
    }

    static func how(_ foundBy: String) -> String {
        switch foundBy {
        case "beside the capture": "found beside the capture"
        case "section comment": "named in the capture's section comment"
        case "option --candidates": "given with --candidates"
        default: escapedForTerminal(foundBy)
        }
    }
}
