import BrowserCandidates
import CaptureFiles
import OutputText

/// A terminal table of a candidate sidecar. Strings from the browser are escaped
/// (`escapedForTerminal`, as in every command) so a hostile page cannot drive the terminal.
extension CandidateSidecar {
    public func table() -> String {
        var rows: [[String]] = [["round", "policy", "mdns", "type", "proto", "address", "port", "related", "server"]]
        for (i, r) in rounds.enumerated() {
            let head = [String(i + 1), r.policy ?? "-", r.mdns.map { $0 ? "on" : "off" } ?? "-"]
            if let f = r.failure { rows.append(head + ["-", "-", "failed: \(f)", "", "", ""]) }
            if r.candidates.isEmpty && r.failure == nil { rows.append(head + ["-", "-", "(no candidates)", "", "", ""]) }
            for c in r.candidates {
                let related = c.relatedAddress.map { "\($0):\(c.relatedPort.map(String.init) ?? "-")" } ?? ""
                rows.append(head + [c.type, c.protocol ?? "", c.address, String(c.port), related, c.url ?? ""])
            }
            for e in r.errors {
                rows.append(head + ["error", "", "\(e.code.map(String.init) ?? "") \(e.text ?? "")", "", "", e.url ?? ""])
            }
        }
        let safe = rows.map { $0.map(escapedForTerminal) }
        var widths = [Int](repeating: 0, count: safe[0].count)
        for row in safe { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return safe.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

extension CandidateSidecar.Candidate {
    /// A candidate as the probe parsed its line (the page's own fields are not trusted).
    public init(_ c: ICECandidate, url: String?, line: String) {
        self.init(type: c.type, address: c.address, port: c.port, protocol: c.transport,
                  relatedAddress: c.relatedAddress, relatedPort: c.relatedPort, url: url, foundation: c.foundation,
                  component: c.component, priority: c.priority, tcpType: c.tcpType, line: line)
    }
}
