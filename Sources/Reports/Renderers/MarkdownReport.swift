import Correlation
import JSONCoding
import OutputText

/// The Markdown report, for tickets: verdict, summary table, findings with
/// evidence, provenance. Every string is escaped for Markdown.
public enum MarkdownReport {
    public static func render(_ r: AnalysisRecord) -> String {
        let a = r.analysis, p = r.provenance, t = p.totals
        var m = "# LeakScope report: \(e(LeakClassText.headline(a.verdict.status)))\n\n"
        m += "**Verdict:** \(e(a.verdict.status.rawValue))"
        if !a.verdict.reason.isEmpty { m += " — \(e(a.verdict.reason))" }
        m += "\n\n\(e(LeakClassText.meaning(a.verdict.status)))\n\n"
        let sev = Severity.allCases.reversed().map { "\(t.bySeverity[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        m += "\(t.findings) finding\(t.findings == 1 ? "" : "s") (\(sev))"
        if !p.inputs.isEmpty { m += " in " + p.inputs.map { e($0.name) }.joined(separator: ", ") }
        m += ".\n\n"
        m += scope(r)

        if !t.byClass.isEmpty {
            m += "| Class | High | Medium | Low | Findings | Packets | Bytes |\n|---|---:|---:|---:|---:|---:|---:|\n"
            for c in t.byClass {
                m += "| \(e(c.className)) | \(c.high) | \(c.medium) | \(c.low) | \(c.findings) | \(c.packets) | \(c.bytes) |\n"
            }
            m += "\n"
        }
        let exposed = ExposedAddressSections.split(a.exposedPublicAddresses) { $0.path }
        for (heading, list) in [(ExposedAddressSections.outsideHeading, exposed.outside), (ExposedAddressSections.tunnelHeading, exposed.tunnel)] where !list.isEmpty {
            // One row per address, its ports, servers and frames folded into it.
            m += "## \(e(heading))\n\n| Address | Exposures | Ports | How | Findings |\n|---|---:|---|---|---|\n"
            for g in ExposedAddressSections.groups(list) {
                m += "| \(e(g.address)) | \(g.count) | \(e(ExposedAddressSections.list(g.ports, max: 12))) | \(e(ExposedAddressSections.how(g))) | \(e(ExposedAddressSections.list(g.findings, max: 12))) |\n"
            }
            m += "\n"
        }
        var shown = Set<String>()
        for input in p.inputs {
            m += "## File \(e(input.name))\n\n"
            var facts = ["\(e(input.capture.format)), \(input.capture.packets) packets"]
            if let a = input.capture.firstTime, let b = input.capture.lastTime { facts.append("\(a) to \(b)") }
            if let t = input.capture.capturingTool { facts.append("captured with \(e(t))") }
            if let d = input.capture.droppedPackets { facts.append("\(d) dropped") }
            m += facts.joined(separator: "; ") + "\n\n"
            for d in input.capture.damage { m += "- Damaged at byte \(d.offset): \(e(d.what))\n" }
            let fs = a.findings.filter { $0.input(in: p.inputs)?.index == input.index }
            if fs.isEmpty { m += "No findings in this file.\n\n" }
            for f in fs { m += finding(f); shown.insert(f.id) }
        }
        let rest = a.findings.filter { !shown.contains($0.id) }
        if !rest.isEmpty {
            m += "## Findings\n\n"
            for f in rest { m += finding(f) }
        }
        if let ws = a.leakWindows, !ws.isEmpty {
            m += "## Leak windows\n\n| Window | Event | Start | Duration | Escaped | Classes | Tunnel failure | Why |\n|---|---|---|---:|---:|---|---|---|\n"
            for w in ws {
                let start = ISO8601Nanoseconds.format(w.startNs, fraction: .trimmed)
                m += "| \(e(w.id)) | \(e(w.event)): \(e(w.eventDetail)) | \(start) | \(w.durationMs) ms\(w.openAtEnd ? " (to the end)" : "") | \(w.packets) packets, \(w.bytes) bytes | \(e(w.classes.joined(separator: ", "))) | \(e(w.findingId ?? (w.tunnelFailure ? "yes" : "no"))) | \(e(w.judgement)) |\n"
            }
            m += "\n"
        }
        m += PositiveControlSection.markdown(a.positiveControl)
        m += BrowserSection.markdown(a.browser)
        if !a.observations.isEmpty {
            m += "## Observations (not leaks)\n\n"
            for o in a.observations {
                m += "- " + FieldValue(o).fields.map { "\(e($0.name)): \(e($0.value.plainText))" }.joined(separator: "; ") + "\n"
            }
            m += "\n"
        }
        m += "## Provenance\n\n"
        m += "- Tool: \(e(p.tool.name)) \(e(p.tool.version)), record schema \(e(a.schemaVersion))\n"
        m += "- Analysed at: \(e(p.analyzedAt ?? "not recorded (--deterministic)"))\n"
        m += "- Command line: `" + escapedForTerminal(p.invocation.arguments.map(CommandLineText.shellQuoted).joined(separator: " ")).replacing("`", with: "'") + "`\n"
        for i in p.inputs { m += "- Input \(e(i.name)): \(i.size) bytes, SHA-256 `\(i.sha256)`\n" }
        if let ev = p.evidenceCapture { m += "- Evidence capture \(e(ev.name)): \(ev.frames) frames, \(ev.size) bytes, SHA-256 `\(ev.sha256)`\n" }
        for x in a.assumptions { m += "- Assumption: \(e(x))\n" }
        for n in p.captureNotes { m += "- Capture note: \(e(n))\n" }
        return m
    }

    static func e(_ s: String) -> String { Escape.markdown(s) }

    static func finding(_ f: Finding) -> String {
        let time = { (ns: Int64) in ISO8601Nanoseconds.format(ns, fraction: .trimmed) }
        var m = "### \(e(f.id)) · \(e(f.className)) · \(e(f.severity.rawValue)): \(e(f.title))\n\n"
        m += "> \(e(LeakClassText.why(f.class)))\n\n"
        m += "- File \(e(f.file)), interface \(e(f.interface))\n"
        m += "- Time: \(time(f.firstNs)) to \(time(f.lastNs))\n"
        m += "- Packets: \(f.packets), bytes: \(f.bytes)\n"
        m += "- Frames: \(e(HTMLReport.frameList(f.frames)))\n"
        let evidence = FieldValue(f.evidence).fields
        if !evidence.isEmpty {
            m += "- Evidence:\n"
            for x in evidence { m += item(x.name, x.value, indent: "  ") }
        }
        m += CitedFlowsSection.markdown(f)
        return m + "\n"
    }

    /// Every field of a value as a nested bullet list.
    static func item(_ key: String, _ v: FieldValue, indent: String) -> String {
        switch v {
        case .fields(let fields):
            return "\(indent)- \(e(key)):\n" + fields.map { item($0.name, $0.value, indent: indent + "  ") }.joined()
        case .list(let a) where a.contains(where: { if case .fields = $0 { true } else { false } }):
            var m = "\(indent)- \(e(key)):\n"
            for x in a {
                if case .fields(let fields) = x {
                    m += "\(indent)  - " + fields.map { "\(e($0.name)): \(e($0.value.plainText))" }.joined(separator: "; ") + "\n"
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
