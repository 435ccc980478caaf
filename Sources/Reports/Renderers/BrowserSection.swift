import CaptureFiles
import Correlation

/// "What the browser saw" in the HTML and Markdown reports: the browser's
/// candidates (the analysis's `browser`, schema 1.1) joined with the
/// packets. Candidate strings come from a web page: every one is escaped.
enum BrowserSection {
    struct Row {
        var round: Int
        var type: String, candidate: String, url: String
        var seen: Bool
        var frames: String, interface: String, path: String, finding: String?
        var statement: String
    }

    static func rows(_ b: BrowserReport) -> [Row] {
        var out: [Row] = []
        for (n, r) in b.rounds.enumerated() {
            for c in r.candidates {
                let ev = c.evidence
                let frames = [ev?.requestFrame, ev?.responseFrame, ev?.frame].compactMap { $0 }.map(String.init).joined(separator: "/")
                    + (ev?.matched == "address" ? " (address only)" : "")
                // An IPv6 address gets brackets; an IPv4 address or an mDNS name does not.
                let v6 = IPAddress(parsing: c.address).map { !$0.isV4 } ?? false
                out.append(Row(round: n + 1, type: c.type, candidate: v6 ? "[\(c.address)]:\(c.port)" : "\(c.address):\(c.port)",
                               url: c.url ?? "", seen: c.seenOnWire, frames: frames, interface: ev?.interface ?? "",
                               path: ev?.path ?? "", finding: ev?.finding, statement: c.statement))
            }
        }
        return out
    }

    static func sources(_ b: BrowserReport) -> String {
        b.sidecars.map { "\($0.file), found by \($0.foundBy)" }.joined(separator: "; ")
    }

    static func html(_ browser: BrowserReport?) -> String {
        guard let b = browser else { return "" }
        let e = HTMLReport.e
        var h = "<section id=\"browser\">\n<h2>What the browser saw</h2>\n"
        let src = sources(b)
        h += "<p>The candidates the browser itself reported\(src.isEmpty ? "" : " (\(e(src)))"), each joined with the packets that carried it. A candidate not seen on the wire was learned in a way this capture does not show.</p>\n"
        let rows = rows(b)
        if !rows.isEmpty {
            h += "<table class=\"browser\"><thead><tr><th>Round</th><th>Type</th><th>Candidate</th><th>Server URL</th><th>On the wire</th><th>Frames</th><th>Interface</th><th>Path</th><th>Finding</th></tr></thead><tbody>\n"
            for x in rows {
                let finding = x.finding.map { "<a href=\"#finding-\(e($0))\">\(e($0))</a>" } ?? ""
                h += "<tr><td class=\"n\">\(x.round)</td><td>\(e(x.type))</td><td class=\"addr\"><code>\(e(x.candidate))</code></td><td><code>\(e(x.url))</code></td><td>\(x.seen ? "yes" : "<b>not seen</b>")</td><td>\(e(x.frames))</td><td><code>\(e(x.interface))</code></td><td class=\"role-\(e(x.path))\">\(e(x.path))</td><td>\(finding)</td></tr>\n"
            }
            h += "</tbody></table>\n<ul class=\"statements\">" + rows.map { "<li>\(e($0.statement))</li>" }.joined() + "</ul>\n"
        }
        for w in b.warnings ?? [] { h += "<p class=\"note\">\(e(w))</p>\n" }
        return h + "</section>\n"
    }

    static func markdown(_ browser: BrowserReport?) -> String {
        guard let b = browser else { return "" }
        let e = MarkdownReport.e
        var m = "## What the browser saw\n\n"
        let src = sources(b)
        m += "The candidates the browser itself reported\(src.isEmpty ? "" : " (\(e(src)))"), each joined with the packets that carried it.\n\n"
        let rows = rows(b)
        if !rows.isEmpty {
            m += "| Round | Type | Candidate | On the wire | Frames | Interface | Path | Finding |\n|---:|---|---|---|---|---|---|---|\n"
            for x in rows {
                m += "| \(x.round) | \(e(x.type)) | \(e(x.candidate)) | \(x.seen ? "yes" : "**not seen**") | \(e(x.frames)) | \(e(x.interface)) | \(e(x.path)) | \(e(x.finding ?? "")) |\n"
            }
            m += "\n" + rows.map { "- \(e($0.statement))\n" }.joined() + "\n"
        }
        for w in b.warnings ?? [] { m += "- Warning: \(e(w))\n" }
        return m
    }
}
