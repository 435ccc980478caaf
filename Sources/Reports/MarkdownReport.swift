import CaptureFiles
import OutputText

/// The Markdown report, for tickets: verdict, summary table, findings with
/// evidence, provenance. Every string is escaped for Markdown.
public enum MarkdownReport {
    public static func render(_ r: AnalysisRecord) -> String {
        var m = "# LeakScope report: \(e(LeakClassText.headline(r.verdict.status)))\n\n"
        m += "**Verdict:** \(e(r.verdict.status))"
        if !r.verdict.reason.isEmpty { m += " — \(e(r.verdict.reason))" }
        m += "\n\n\(e(LeakClassText.meaning(r.verdict.status)))\n\n"
        let sev = RecordBuilder.severities.map { "\(r.totals.bySeverity[$0] ?? 0) \($0)" }.joined(separator: ", ")
        m += "\(r.totals.findings) finding\(r.totals.findings == 1 ? "" : "s") (\(sev))"
        if !r.inputs.isEmpty { m += " in " + r.inputs.map { e($0.name) }.joined(separator: ", ") }
        m += ".\n\n"

        if !r.totals.byClass.isEmpty {
            m += "| Class | High | Medium | Low | Findings | Packets | Bytes |\n|---|---:|---:|---:|---:|---:|---:|\n"
            for c in r.totals.byClass {
                m += "| \(e(c.leakClass)) | \(c.high) | \(c.medium) | \(c.low) | \(c.findings) | \(c.packets) | \(c.bytes) |\n"
            }
            m += "\n"
        }
        let exposed = ExposedAddressSections.split(r.analysis.exposedPublicAddresses) { $0.path }
        for (heading, list) in [(ExposedAddressSections.outsideHeading, exposed.outside), (ExposedAddressSections.tunnelHeading, exposed.tunnel)] where !list.isEmpty {
            m += "## \(e(heading))\n\n| Address | How |\n|---|---|\n"
            for a in list {
                m += "| \(e(a.address)) | \(e(a.how)) |\n"
            }
            m += "\n"
        }
        var shown = Set<String>()
        for input in r.inputs {
            m += "## File \(e(input.name))\n\n"
            var facts = ["\(e(input.capture.format)), \(input.capture.packets) packets"]
            if let a = input.capture.firstTime, let b = input.capture.lastTime { facts.append("\(a) to \(b)") }
            if let t = input.capture.capturingTool { facts.append("captured with \(e(t))") }
            if let d = input.capture.droppedPackets { facts.append("\(d) dropped") }
            m += facts.joined(separator: "; ") + "\n\n"
            for d in input.capture.damage { m += "- Damaged at byte \(d.offset): \(e(d.what))\n" }
            let fs = r.findings.filter { $0.input(in: r.inputs)?.index == input.index }
            if fs.isEmpty { m += "No findings in this file.\n\n" }
            for f in fs { m += finding(f); shown.insert(f.id) }
        }
        let rest = r.findings.filter { !shown.contains($0.id) }
        if !rest.isEmpty {
            m += "## Findings\n\n"
            for f in rest { m += finding(f) }
        }
        m += BrowserSection.markdown(r)
        if !r.analysis.observations.isEmpty {
            m += "## Observations (not leaks)\n\n"
            for o in r.analysis.observations {
                m += "- " + o.fields.keys.sorted().map { "\(e($0)): \(e(o.fields[$0]!.plainText))" }.joined(separator: "; ") + "\n"
            }
            m += "\n"
        }
        m += "## Provenance\n\n"
        m += "- Tool: \(e(r.tool.name)) \(e(r.tool.version)), record schema \(e(r.analysis.schemaVersion))\n"
        m += "- Analysed at: \(e(r.analyzedAt ?? "not recorded (--deterministic)"))\n"
        m += "- Command line: `" + escapedForTerminal(r.invocation.arguments.map(HTMLReport.shellQuote).joined(separator: " ")).replacing("`", with: "'") + "`\n"
        for i in r.inputs { m += "- Input \(e(i.name)): \(i.size) bytes, SHA-256 `\(i.sha256)`\n" }
        if let ev = r.evidenceCapture { m += "- Evidence capture \(e(ev.name)): \(ev.frames) frames, \(ev.size) bytes, SHA-256 `\(ev.sha256)`\n" }
        for a in r.assumptions { m += "- Assumption: \(e(a))\n" }
        for n in r.captureNotes { m += "- Capture note: \(e(n))\n" }
        return m
    }

    static func e(_ s: String) -> String { Escape.markdown(s) }

    static func finding(_ f: RecordFinding) -> String {
        var m = "### \(e(f.id)) · \(e(f.leakClass)) · \(e(f.severity)): \(e(f.title))\n\n"
        m += "> \(e(LeakClassText.why(f.leakClass)))\n\n"
        var where_ = "- File \(e(f.file))"
        if let i = f.interface { where_ += ", interface \(e(i))" }
        m += where_ + "\n"
        if let a = f.firstNs, let b = f.lastNs { m += "- Time: \(ISO8601Nanoseconds.format(a, fraction: .trimmed)) to \(ISO8601Nanoseconds.format(b, fraction: .trimmed))\n" }
        m += "- Packets: \(f.packets), bytes: \(f.bytes)\n"
        m += "- Frames: \(e(HTMLReport.frameList(f.frames)))\n"
        if !f.evidence.isEmpty {
            m += "- Evidence:\n"
            for k in f.evidence.keys.sorted() { m += item(k, f.evidence[k]!, indent: "  ") }
        }
        return m + "\n"
    }

    /// Evidence as a nested bullet list.
    static func item(_ key: String, _ v: JSONValue, indent: String) -> String {
        switch v {
        case .object(let o):
            return "\(indent)- \(e(key)):\n" + o.keys.sorted().map { item($0, o[$0]!, indent: indent + "  ") }.joined()
        case .array(let a) where a.contains(where: { $0.objectValue != nil }):
            var m = "\(indent)- \(e(key)):\n"
            for x in a {
                if let o = x.objectValue {
                    m += "\(indent)  - " + o.keys.sorted().map { "\(e($0)): \(e(o[$0]!.plainText))" }.joined(separator: "; ") + "\n"
                } else {
                    m += "\(indent)  - \(e(x.plainText))\n"
                }
            }
            return m
        default:
            return "\(indent)- \(e(key)): \(e(v.plainText))\n"
        }
    }
}
