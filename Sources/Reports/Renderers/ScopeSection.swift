import Correlation
import OutputText

/// What was analysed, beside the verdict in every rendering (issue 15: a
/// verdict means little without it): the files, their packets, the
/// interfaces with the roles the analysis gave them, the time span, what the
/// capturing system dropped and where a file was damaged. Read from the
/// record only: `provenance.inputs` (what pass 1 read), the tunnel model's
/// interfaces and the analysis's files; never from the captures.
struct Scope: Sendable, Equatable {
    struct Interface: Sendable, Equatable {
        var name: String
        /// The analysis's role (physical, tunnel, loopback, ignored), or "unknown" for an interface it did not judge.
        var role: String
        var packets: Int?
    }

    struct File: Sendable, Equatable {
        /// The path as given.
        var name: String
        var format: String?
        var packets: Int
        var firstNs: Int64?
        var lastNs: Int64?
        var interfaces: [Interface]
        /// Sum of the statistics blocks' drop counters; nil when no statistics block says.
        var dropped: Int64?
        /// The reader's words for where it stopped (nil when the file is whole).
        var damage: String?
    }

    var files: [File]

    var packets: Int { files.reduce(0) { $0 + $1.packets } }
    var firstNs: Int64? { files.compactMap(\.firstNs).min() }
    var lastNs: Int64? { files.compactMap(\.lastNs).max() }

    init(_ r: AnalysisRecord) {
        let a = r.analysis
        if r.provenance.inputs.isEmpty {
            // A record without capture facts (a hand-made analysis): what the analysis itself says.
            files = a.files.map { f in
                File(name: f.file, format: nil, packets: f.packets, firstNs: nil, lastNs: nil,
                     interfaces: a.tunnel.interfaces.filter { $0.file == f.file }.map { Interface(name: $0.name, role: $0.role.rawValue, packets: $0.packets) },
                     dropped: nil, damage: f.damage)
            }
            return
        }
        files = r.provenance.inputs.map { input in
            let c = input.capture
            var ifaces = a.tunnel.interfaces.filter { input.isNamed($0.file) }.map { t in
                Interface(name: t.name, role: t.role.rawValue,
                          packets: c.interfaces.first { $0.id == t.id }?.packets ?? t.packets)
            }
            for i in c.interfaces where a.tunnel.interface(of: input, id: i.id) == nil {
                ifaces.append(Interface(name: i.name ?? "if\(i.id)", role: "unknown", packets: i.packets))
            }
            let report = a.files.first { input.isNamed($0.file) }
            // The reader's words name the file first; the line already does.
            var damage = report?.damage ?? c.damage.first.map { "damaged at byte offset \($0.offset): \($0.what)" }
            if let d = damage, d.hasPrefix(input.path + ": ") { damage = String(d.dropFirst(input.path.count + 2)) }
            return File(name: input.path, format: c.format, packets: c.packets, firstNs: c.firstNs, lastNs: c.lastNs,
                        interfaces: ifaces, dropped: c.droppedPackets, damage: damage)
        }
    }

    // MARK: words shared by the renderings

    /// To the millisecond (cut, not rounded): the span is for orientation, the findings carry exact times.
    static func time(_ ns: Int64) -> String {
        let ms = ns >= 0 ? ns / 1_000_000 : (ns - 999_999) / 1_000_000
        return ISO8601Nanoseconds.format(ms * 1_000_000, fraction: .trimmed)
    }

    /// "9.753 s"
    static func duration(_ first: Int64, _ last: Int64) -> String {
        let ms = max(0, last - first) / 1_000_000
        let frac = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac) s"
    }

    /// "2026-11-28T09:12:01.5Z to 2026-11-28T09:12:11.253Z (9.753 s)", or nil without times.
    static func span(_ first: Int64?, _ last: Int64?) -> String? {
        guard let first, let last else { return nil }
        return "\(time(first)) to \(time(last)) (\(duration(first, last)))"
    }

    static func drops(_ d: Int64?) -> String {
        guard let d else { return "drops not recorded" }
        return d == 0 ? "no drops" : "\(d) packet\(d == 1 ? "" : "s") dropped by the capturing system"
    }

    static func interfaces(_ xs: [Interface]) -> String {
        xs.map { "\($0.name) \($0.role)" + ($0.packets.map { " (\($0) packet\($0 == 1 ? "" : "s"))" } ?? "") }.joined(separator: ", ")
    }

    /// "1 file, 187 packets, <span>, no drops, no damage"
    var headline: String {
        var parts = ["\(files.count) file\(files.count == 1 ? "" : "s")", "\(packets) packet\(packets == 1 ? "" : "s")"]
        if let s = Self.span(firstNs, lastNs) { parts.append(s) }
        let known = files.compactMap(\.dropped)
        if known.count == files.count { parts.append(Self.drops(known.reduce(0, +))) }
        else if known.isEmpty { parts.append(Self.drops(nil)) }
        else { parts.append("\(known.reduce(0, +)) dropped where recorded (\(files.count - known.count) file\(files.count - known.count == 1 ? "" : "s") without drop counts)") }
        let damaged = files.filter { $0.damage != nil }.count
        parts.append(damaged == 0 ? "no damage" : "\(damaged) damaged file\(damaged == 1 ? "" : "s")")
        return parts.joined(separator: ", ")
    }

    /// One file in words, after its name: " (pcapng): 187 packets, <span>; interfaces eth0 physical (120 packets), ...; no drops; no damage".
    static func describe(_ f: File) -> String {
        var parts: [String] = []
        parts.append("\(f.packets) packet\(f.packets == 1 ? "" : "s")" + (span(f.firstNs, f.lastNs).map { ", \($0)" } ?? ""))
        if !f.interfaces.isEmpty { parts.append("interfaces " + interfaces(f.interfaces)) }
        parts.append(drops(f.dropped))
        parts.append(f.damage ?? "no damage")
        return (f.format.map { " (\($0))" } ?? "") + ": " + parts.joined(separator: "; ")
    }

    /// Files listed one by one; beyond this many the rest are counted.
    static let maxFilesListed = 8
}

extension TerminalReport {
    /// The first lines of the text: what was analysed.
    static func scope(_ r: AnalysisRecord) -> String {
        let scope = Scope(r)
        guard !scope.files.isEmpty else { return "" }
        let e = escapedForTerminal
        if scope.files.count == 1, let f = scope.files.first { return "Analysed \(e(f.name))\(e(Scope.describe(f)))\n" }
        var s = "Analysed \(scope.headline):\n"
        for f in scope.files.prefix(Scope.maxFilesListed) { s += "  \(e(f.name))\(e(Scope.describe(f)))\n" }
        if scope.files.count > Scope.maxFilesListed { s += "  ... \(scope.files.count - Scope.maxFilesListed) more files\n" }
        return s
    }
}

extension HTMLReport {
    /// "What was analysed", inside the verdict header.
    static func scope(_ r: AnalysisRecord) -> String {
        let scope = Scope(r)
        guard !scope.files.isEmpty else { return "" }
        var h = "<div class=\"scope\" id=\"scope\">\n<p class=\"scope-head\"><b>What was analysed:</b> \(e(scope.headline)).</p>\n"
        h += "<table class=\"scope\"><thead><tr><th>File</th><th>Packets</th><th>Time span</th><th>Interfaces (role)</th><th>Drops</th><th>Damage</th></tr></thead><tbody>\n"
        for f in scope.files {
            h += "<tr><td><code>\(e(f.name))</code>\(f.format.map { " \(e($0))" } ?? "")</td><td class=\"n\">\(f.packets)</td>"
            h += "<td>\(e(Scope.span(f.firstNs, f.lastNs) ?? "unknown"))</td><td>\(e(Scope.interfaces(f.interfaces)))</td>"
            h += "<td>\(e(f.dropped.map(String.init) ?? "not recorded"))</td><td>\(e(f.damage ?? "none"))</td></tr>\n"
        }
        return h + "</tbody></table>\n</div>\n"
    }
}

extension MarkdownReport {
    /// "What was analysed", right after the verdict.
    static func scope(_ r: AnalysisRecord) -> String {
        let scope = Scope(r)
        guard !scope.files.isEmpty else { return "" }
        var m = "**What was analysed:** \(e(scope.headline)).\n\n"
        m += "| File | Packets | Time span | Interfaces (role) | Drops | Damage |\n|---|---:|---|---|---:|---|\n"
        for f in scope.files {
            m += "| \(e(f.name))\(f.format.map { " (\(e($0)))" } ?? "") | \(f.packets) | \(e(Scope.span(f.firstNs, f.lastNs) ?? "unknown")) | \(e(Scope.interfaces(f.interfaces))) | \(e(f.dropped.map(String.init) ?? "not recorded")) | \(e(f.damage ?? "none")) |\n"
        }
        return m + "\n"
    }
}
