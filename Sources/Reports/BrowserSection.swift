/// "What the browser saw" in the HTML and Markdown reports: the browser's
/// candidates (the `browser` key of the analysis, schema 1.1) joined with the
/// packets. Read from the record's JSON, so the reports need no Correlation
/// types. Candidate strings come from a web page: every one is escaped.
enum BrowserSection {
    struct Row {
        var round: Int
        var type: String, candidate: String, url: String
        var seen: Bool
        var frames: String, interface: String, path: String, finding: String?
        var statement: String
    }

    static func rows(_ b: JSONValue) -> [Row] {
        var out: [Row] = []
        for (n, r) in (b["rounds"]?.arrayValue ?? []).enumerated() {
            for c in r["candidates"]?.arrayValue ?? [] {
                let ev = c["evidence"]
                let req = ev?["request_frame"]?.intValue, resp = ev?["response_frame"]?.intValue, fr = ev?["frame"]?.intValue
                let frames = [req, resp, fr].compactMap { $0 }.map(String.init).joined(separator: "/")
                    + (ev?["matched"]?.stringValue == "address" ? " (address only)" : "")
                let address = c["address"]?.plainText ?? "", port = c["port"]?.plainText ?? ""
                out.append(Row(round: n + 1, type: c["type"]?.plainText ?? "",
                               candidate: address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)",
                               url: c["url"]?.stringValue ?? "", seen: c["seen_on_wire"] == .bool(true),
                               frames: frames, interface: ev?["interface"]?.stringValue ?? "", path: ev?["path"]?.stringValue ?? "",
                               finding: ev?["finding"]?.stringValue, statement: c["statement"]?.stringValue ?? ""))
            }
        }
        return out
    }

    static func sources(_ b: JSONValue) -> String {
        (b["sidecars"]?.arrayValue ?? []).map { "\($0["file"]?.plainText ?? ""), found by \($0["found_by"]?.plainText ?? "")" }
            .joined(separator: "; ")
    }

    static func html(_ r: AnalysisRecord) -> String {
        guard let b = r.analysis.extra["browser"] else { return "" }
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
        for w in b["warnings"]?.arrayValue ?? [] { h += "<p class=\"note\">\(e(w.plainText))</p>\n" }
        return h + "</section>\n"
    }

    static func markdown(_ r: AnalysisRecord) -> String {
        guard let b = r.analysis.extra["browser"] else { return "" }
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
        for w in b["warnings"]?.arrayValue ?? [] { m += "- Warning: \(e(w.plainText))\n" }
        return m
    }
}
