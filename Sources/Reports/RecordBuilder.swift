/// Assembles the analysis record from the correlator's analysis and what the
/// capture scan found. Computes only presentation facts (totals, spans,
/// assumptions in words); every leak decision is the correlator's.
public enum RecordBuilder {
    public static let severities = ["high", "medium", "low"]
    public static let classes = ["webrtc", "dns", "ipv6", "traffic", "tunnel-failure"]

    public static func build(
        analysis: AnalysisCore, tool: ToolInfo, invocation: Invocation, analyzedAt: String?,
        inputs: [InputFile], timeline: Timeline = Timeline(), frameViews: [FrameView] = [],
        evidenceCapture: OutputFileInfo? = nil
    ) -> AnalysisRecord {
        var timeline = timeline
        timeline.spans = failureSpans(analysis.findings)
        var analysis = analysis
        // The correlator states its assumptions; a hand-made analysis may not.
        if analysis.assumptions.isEmpty { analysis.assumptions = assumptions(analysis) }
        return AnalysisRecord(
            analysis: analysis, tool: tool, invocation: invocation, analyzedAt: analyzedAt, inputs: inputs,
            totals: totals(analysis, inputs: inputs), timeline: timeline, frameViews: frameViews,
            evidenceCapture: evidenceCapture, captureNotes: captureNotes(inputs)
        )
    }

    public static func totals(_ analysis: AnalysisCore, inputs: [InputFile]) -> Totals {
        var t = Totals(findings: analysis.findings.count)
        for s in severities { t.bySeverity[s] = 0 }
        var byClass: [String: ClassTotal] = [:]
        for f in analysis.findings {
            t.bySeverity[f.severity, default: 0] += 1
            var c = byClass[f.leakClass] ?? ClassTotal(leakClass: f.leakClass)
            c.findings += 1
            switch f.severity {
            case "high": c.high += 1
            case "medium": c.medium += 1
            default: c.low += 1
            }
            c.packets += f.packets
            c.bytes += f.bytes
            byClass[f.leakClass] = c
        }
        // Known classes in the model's order, then any others by name.
        t.byClass = classes.compactMap { byClass[$0] } + byClass.keys.filter { !classes.contains($0) }.sorted().compactMap { byClass[$0] }

        // One row per interface the tunnel model names, then per capture
        // interface not named there. Files compare through the inputs, since
        // the analysis may name a file by its path or its base name.
        var rows: [InterfaceTotal] = []
        var seen = Set<String>()
        func fileKey(_ file: String) -> String {
            inputs.first { $0.isNamed(file) }.map { "#\($0.index)" } ?? file
        }
        func key(_ file: String, _ name: String) -> String { fileKey(file) + "\u{0}" + name }
        for r in analysis.tunnel.interfaces {
            let file = r.file ?? inputs.first?.path ?? ""
            let name = r.name ?? "if\(r.id ?? 0)"
            guard seen.insert(key(file, name)).inserted else { continue }
            let capIf = inputs.first { $0.isNamed(file) }?.capture.interfaces.first {
                (r.id != nil && Int64($0.id) == r.id) || ($0.name ?? "if\($0.id)") == name
            }
            rows.append(InterfaceTotal(file: file, interfaceId: r.id.map(Int.init) ?? capIf?.id, interface: name,
                                       role: r.role, packets: capIf?.packets ?? r.int("packets").map(Int.init),
                                       leakedPackets: 0, findings: 0))
        }
        for input in inputs {
            for i in input.capture.interfaces {
                let name = i.name ?? "if\(i.id)"
                guard analysis.tunnel.interface(of: input, id: i.id) == nil, seen.insert(key(input.path, name)).inserted else { continue }
                rows.append(InterfaceTotal(file: input.path, interfaceId: i.id, interface: name, role: "unknown",
                                           packets: i.packets, leakedPackets: 0, findings: 0))
            }
        }
        // Cited packets count once per interface even when several findings cite them.
        var cited: [Int: Set<Int64>] = [:]
        for f in analysis.findings {
            guard let name = f.interface else { continue }
            let idx: Int
            if let i = rows.firstIndex(where: { key($0.file, $0.interface) == key(f.file, name) }) {
                idx = i
            } else {
                rows.append(InterfaceTotal(file: f.file, interfaceId: nil, interface: name, role: "unknown",
                                           packets: nil, leakedPackets: 0, findings: 0))
                idx = rows.count - 1
            }
            rows[idx].findings += 1
            cited[idx, default: []].formUnion(f.frames)
        }
        for (idx, frames) in cited { rows[idx].leakedPackets = frames.count }
        t.byInterface = rows
        return t
    }

    /// Tunnel-failure spans from the findings' evidence (`start_ns`/`end_ns`,
    /// else the finding's own first/last time).
    public static func failureSpans(_ findings: [RecordFinding]) -> [TimelineSpan] {
        findings.compactMap { f in
            guard f.leakClass == "tunnel-failure" else { return nil }
            let ev = f.evidence
            guard let s = ev["start_ns"]?.intValue ?? f.firstNs, let e = ev["end_ns"]?.intValue ?? f.lastNs else { return nil }
            return TimelineSpan(finding: f.id, startNs: s, endNs: max(s, e))
        }
    }

    /// The analysis's premises in words, for the provenance section.
    public static func assumptions(_ analysis: AnalysisCore) -> [String] {
        var out: [String] = []
        for r in analysis.tunnel.interfaces {
            let where_ = r.file.map { " in \($0)" } ?? ""
            out.append("Interface \(r.name ?? "#\(r.id ?? 0)")\(where_) is \(r.role)" + (r.decidedBy.map { " (\($0))" } ?? "") + ".")
        }
        for e in analysis.tunnel.vpnEndpoints {
            guard let addr = e["address"].map(\.plainText) else { continue }
            let port = opt(e["port"]) { ":\($0)" }
            let proto = opt(e["protocol"]) { " \($0)" }
            let by = opt(e["decided_by"]) { " (\($0))" }
            out.append("VPN endpoint\(proto) \(addr)\(port)\(by).")
        }
        for h in analysis.tunnel.hostAddresses {
            guard let addr = h["address"].map(\.plainText) else { continue }
            let on = opt(h["interface"]) { " on \($0)" }
            let by = opt(h["decided_by"]) { " (\($0))" }
            out.append("Host address \(addr)\(on)\(by).")
        }
        if !analysis.tunnel.interfaces.contains(where: { $0.role == "physical" }) && !analysis.tunnel.interfaces.isEmpty {
            out.append("No physical interface was captured: a leak outside the tunnel could not be seen.")
        }
        return out
    }

    /// Drops and damage the captures report, in words.
    public static func captureNotes(_ inputs: [InputFile]) -> [String] {
        var out: [String] = []
        for input in inputs {
            if let d = input.capture.droppedPackets, d > 0 {
                out.append("\(input.name): the capturing system dropped \(d) packets; evidence may be incomplete.")
            }
            for dmg in input.capture.damage {
                out.append("\(input.name): damaged at byte \(dmg.offset) (\(dmg.what)); only packets before it were analysed.")
            }
        }
        return out
    }

    /// `format(value)` for a present, non-null value, else "".
    static func opt(_ v: JSONValue?, _ format: (String) -> String) -> String {
        guard let v, v != .null else { return "" }
        return format(v.plainText)
    }
}
