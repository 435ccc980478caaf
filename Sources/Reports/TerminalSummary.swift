import CaptureFiles
import OutputText

/// A short terminal summary of a record: verdict, counts, one line per
/// finding. Colour only when asked (TTY and NO_COLOR unset: `wantsColor`);
/// every string is escaped so packet text cannot drive the terminal.
public enum TerminalSummary {
    /// The no-color.org rule plus "is a terminal".
    public static func wantsColor(isTTY: Bool, environment: [String: String]) -> Bool {
        guard isTTY else { return false }
        if let v = environment["NO_COLOR"], !v.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    public struct Style: Sendable {
        public var color: Bool
        public init(color: Bool) { self.color = color }
        public func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        public func bold(_ s: String) -> String { paint(s, "1") }
        /// Red for leaks-found, green for no-leak-seen, yellow otherwise.
        public func status(_ st: String, _ s: String) -> String {
            switch st {
            case "leaks-found": paint(s, "1;31")
            case "no-leak-seen": paint(s, "1;32")
            default: paint(s, "1;33")
            }
        }
        public func severity(_ sev: String) -> String {
            switch sev {
            case "high": paint(sev, "31")
            case "medium": paint(sev, "33")
            default: paint(sev, "36")
            }
        }
    }

    public static func render(_ r: AnalysisRecord, style: Style) -> String {
        let t = escapedForTerminal
        let st = r.verdict.status
        var s = style.status(st, "\(LeakClassText.headline(st).uppercased())") + ": " + t(r.verdict.reason) + "\n"
        let sev = RecordBuilder.severities.map { "\(r.totals.bySeverity[$0] ?? 0) \($0)" }.joined(separator: ", ")
        s += "\(r.totals.findings) finding\(r.totals.findings == 1 ? "" : "s") (\(sev))"
        if !r.inputs.isEmpty { s += " in " + r.inputs.map { t($0.name) }.joined(separator: ", ") }
        s += "\n"
        for f in r.findings {
            s += "  " + style.bold(t(f.id)) + " " + t(f.leakClass) + " " + style.severity(t(f.severity)) + "  " + t(f.title)
            let frames = f.frames.prefix(8).map(String.init).joined(separator: ",") + (f.frames.count > 8 ? ",…" : "")
            s += "  [" + t(f.file) + (f.interface.map { " " + t($0) } ?? "") + " frames " + frames + "]\n"
        }
        let exposed = ExposedAddressSections.split(r.analysis.exposedPublicAddresses) { $0.path }
        if !exposed.outside.isEmpty {
            s += style.paint(ExposedAddressSections.outsideHeading, "1;31") + ":\n"
            for a in exposed.outside { s += "  " + style.paint(t(a.address), "1") + " (" + t(a.how) + ")\n" }
        }
        if !exposed.tunnel.isEmpty {
            s += ExposedAddressSections.tunnelHeading + ":\n"
            for a in exposed.tunnel { s += "  " + t(a.address) + " (" + t(a.how) + ")\n" }
        }
        if let ev = r.evidenceCapture { s += "evidence: \(t(ev.name)) (\(ev.frames) frames, sha256 \(ev.sha256))\n" }
        return s
    }
}
