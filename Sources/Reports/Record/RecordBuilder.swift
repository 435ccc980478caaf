import Correlation

/// Assembles the record from the correlator's analysis and what the passes
/// gathered about the captures. Computes only presentation facts (totals,
/// failure spans, capture notes in words); every leak decision is the
/// correlator's.
public enum RecordBuilder {
    public static func build(
        analysis: Analysis, tool: ToolInfo, invocation: Invocation, analyzedAt: String?,
        inputs: [InputFile], timeline: Timeline = Timeline(), frameViews: [FrameView] = [],
        evidenceCapture: OutputFileInfo? = nil
    ) -> AnalysisRecord {
        var timeline = timeline
        timeline.spans = failureSpans(analysis.findings, windows: analysis.leakWindows ?? [])
        return AnalysisRecord(analysis: analysis, provenance: Provenance(
            tool: tool, invocation: invocation, analyzedAt: analyzedAt, inputs: inputs,
            totals: totals(analysis, inputs: inputs), timeline: timeline, frameViews: frameViews,
            evidenceCapture: evidenceCapture, captureNotes: captureNotes(inputs)))
    }

    public static func totals(_ analysis: Analysis, inputs: [InputFile]) -> Totals {
        var t = Totals(findings: analysis.findings.count)
        for s in Severity.allCases { t.bySeverity[s.rawValue] = 0 }
        var byClass: [LeakClass: ClassTotal] = [:]
        for f in analysis.findings {
            t.bySeverity[f.severity.rawValue, default: 0] += 1
            var c = byClass[f.class] ?? ClassTotal(leakClass: f.class)
            c.findings += 1
            switch f.severity {
            case .high: c.high += 1
            case .medium: c.medium += 1
            case .low: c.low += 1
            }
            c.packets += Int64(f.packets)
            c.bytes += Int64(f.bytes)
            byClass[f.class] = c
        }
        // Classes in the leak model's order.
        t.byClass = LeakClass.allCases.compactMap { byClass[$0] }

        // One row per interface the tunnel model names, then per capture
        // interface not named there. Files compare through the inputs, since
        // a file may be named by its path or its base name.
        var rows: [InterfaceTotal] = []
        var seen = Set<String>()
        func fileKey(_ file: String) -> String {
            inputs.first { $0.isNamed(file) }.map { "#\($0.index)" } ?? file
        }
        func key(_ file: String, _ name: String) -> String { fileKey(file) + "\u{0}" + name }
        for r in analysis.tunnel.interfaces {
            guard seen.insert(key(r.file, r.name)).inserted else { continue }
            let capIf = inputs.first { $0.isNamed(r.file) }?.capture.interfaces.first {
                $0.id == r.id || ($0.name ?? "if\($0.id)") == r.name
            }
            rows.append(InterfaceTotal(file: r.file, interfaceId: r.id, interface: r.name, role: r.role.rawValue,
                                       packets: capIf?.packets ?? r.packets, leakedPackets: 0, findings: 0))
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
        var cited: [Int: FrameBits] = [:]
        for f in analysis.findings {
            let idx: Int
            if let i = rows.firstIndex(where: { key($0.file, $0.interface) == key(f.file, f.interface) }) {
                idx = i
            } else {
                rows.append(InterfaceTotal(file: f.file, interfaceId: nil, interface: f.interface, role: "unknown",
                                           packets: nil, leakedPackets: 0, findings: 0))
                idx = rows.count - 1
            }
            rows[idx].findings += 1
            cited[idx, default: FrameBits()].insert(contentsOf: f.frames)
        }
        for (idx, frames) in cited { rows[idx].leakedPackets = frames.count }
        t.byInterface = rows
        return t
    }

    /// The leak windows, then tunnel-failure findings without a window (past the window bound, or a
    /// record of schema 1.1), from their evidence (`start_ns`/`end_ns`, else first/last time).
    public static func failureSpans(_ findings: [Finding], windows: [Analysis.LeakWindow] = []) -> [TimelineSpan] {
        var spans = windows.map {
            TimelineSpan(finding: $0.findingId ?? $0.id, startNs: $0.startNs, endNs: max($0.startNs, $0.endNs),
                         window: $0.id, event: $0.event, failure: $0.tunnelFailure)
        }
        let covered = Set(windows.compactMap(\.findingId))
        spans += findings.compactMap { f in
            guard f.class == .tunnelFailure, !covered.contains(f.id) else { return nil }
            let s = f.evidence.startNs ?? f.firstNs, e = f.evidence.endNs ?? f.lastNs
            return TimelineSpan(finding: f.id, startNs: s, endNs: max(s, e))
        }
        return spans
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
}

extension Analysis.TunnelReport {
    /// The model's entry for interface `id` of `input`.
    public func interface(of input: InputFile, id: Int) -> Analysis.InterfaceReport? {
        interfaces.first { input.isNamed($0.file) && $0.id == id }
    }
}

extension Finding {
    /// The input this finding's frames are in.
    public func input(in inputs: [InputFile]) -> InputFile? {
        inputs.first { $0.index == fileIndex } ?? inputs.first { $0.isNamed(file) }
    }
}
