import Correlation
import JSONCoding
import OutputText

/// The renderings of a `RecordDiff`: terminal text, JSON (`leakscope-diff/1`,
/// docs/reports.md "Comparing two records") and Markdown. Every string from a
/// record (titles, names, paths) is escaped by the rendering's own rules.
public struct DiffReport: Sendable {
    /// One record as the diff names it.
    public struct RecordInfo: Sendable, Equatable {
        /// The path as given on the command line.
        public var path: String
        public var schemaVersion: String
        public var verdict: Analysis.Verdict.Status
        public var findings: Int
        /// The captures the record was made from (their names).
        public var inputs: [String]
        public init(path: String, record: AnalysisRecord, schemaVersion: String) {
            self.path = path
            self.schemaVersion = schemaVersion
            verdict = record.analysis.verdict.status
            findings = record.analysis.findings.count
            inputs = record.provenance.inputs.isEmpty ? record.analysis.files.map(\.file) : record.provenance.inputs.map(\.name)
        }
    }

    public enum Format: String, Sendable, CaseIterable {
        case text, json, markdown
    }

    public var diff: RecordDiff
    public var old: RecordInfo
    public var new: RecordInfo
    /// The lowest severity that counts as a regression; nil for none.
    public var failOn: Severity?

    public init(diff: RecordDiff, old: RecordInfo, new: RecordInfo, failOn: Severity?) {
        self.diff = diff; self.old = old; self.new = new; self.failOn = failOn
    }

    public var regressions: [RecordDiff.Entry] { diff.regressions(failOn: failOn) }

    public func rendered(as format: Format, color: Bool = false) throws(ReportError) -> [UInt8] {
        switch format {
        case .text: Array(text(color: color).utf8)
        case .json: try json()
        case .markdown: Array(markdown().utf8)
        }
    }

    var failOnName: String { failOn?.rawValue ?? "none" }

    static func sides(_ xs: [RecordDiff.Side]) -> String {
        xs.map(\.id).joined(separator: ", ")
    }

    /// "high", "medium -> high" when it changed.
    static func severity(_ e: RecordDiff.Entry) -> String {
        switch (e.oldWorst, e.newWorst) {
        case let (o?, n?) where o != n: "\(o.rawValue) -> \(n.rawValue)"
        case let (_, n?): n.rawValue
        case let (o?, nil): o.rawValue
        default: ""
        }
    }

    // MARK: text

    public func text(color: Bool = false) -> String {
        let e = escapedForTerminal
        let style = TerminalReport.Style(color: color)
        func side(_ label: String, _ r: RecordInfo) -> String {
            "\(label) \(e(r.path)): schema \(e(r.schemaVersion)), \(LeakClassText.headline(r.verdict).lowercased()), \(r.findings) finding\(r.findings == 1 ? "" : "s")"
                + (r.inputs.isEmpty ? "" : " (\(r.inputs.prefix(4).map(e).joined(separator: ", "))\(r.inputs.count > 4 ? ", ..." : ""))")
        }
        var s = side("Old", old) + "\n" + side("New", new) + "\n"
        let regressing = Set(regressions.map(\.key))
        for (title, mark, list) in [("New findings", "+", diff.newFindings), ("Resolved", "-", diff.resolved), ("Unchanged", "=", diff.unchanged)] {
            s += "\n\(title) (\(list.count))\(list.isEmpty ? "" : ":")\n"
            guard !list.isEmpty else { continue }
            var rows: [[String]] = []
            for x in list {
                let ids: String = switch x.change {
                case .new: Self.sides(x.new)
                case .resolved: Self.sides(x.old)
                case .unchanged: "\(Self.sides(x.old)) -> \(Self.sides(x.new))"
                }
                let example = (x.new.first ?? x.old.first).map { e($0.title) } ?? ""
                rows.append([mark, e(x.key.leakClass), Self.severity(x), e(x.key.text), e(ids), example])
            }
            s += TerminalReport.table(rows.map { ["  " + $0[0]] + $0.dropFirst() }) { col, cell in
                col == 2 && color ? (Severity(rawValue: cell).map(style.severity) ?? cell) : cell
            }
            for x in list where x.change == .unchanged && regressing.contains(x.key) {
                s += "  (\(e(x.key.text)): worst severity rose to \(x.newWorst?.rawValue ?? "") at or above --fail-on \(failOnName))\n"
            }
        }
        let a = diff.addresses
        if !(a.new.isEmpty && a.resolved.isEmpty && a.unchanged.isEmpty) {
            s += "\n\(ExposedAddressSections.outsideHeading):\n"
            if !a.new.isEmpty { s += "  new: " + a.new.map(e).joined(separator: ", ") + "\n" }
            if !a.resolved.isEmpty { s += "  no longer exposed: " + a.resolved.map(e).joined(separator: ", ") + "\n" }
            if !a.unchanged.isEmpty { s += "  still exposed: " + a.unchanged.map(e).joined(separator: ", ") + "\n" }
        }
        let n = regressions.count
        let verdict = failOn == nil
            ? "--fail-on none: \(diff.newFindings.count) new, never failing"
            : n == 0 ? "no new finding at or above \(failOnName)" : "\(n) new finding\(n == 1 ? "" : "s") at or above \(failOnName)"
        s += "\n" + (n > 0 ? style.paint("REGRESSION", "1;31") : style.paint("NO REGRESSION", "1;32")) + ": \(verdict)\n"
        return s
    }

    // MARK: JSON

    struct Document: Encodable {
        var format = "leakscope-diff/1"
        var failOn: String
        var old: Record
        var new: Record
        var newFindings: [Item]
        var resolved: [Item]
        var unchanged: [Item]
        var exposedAddresses: Addresses
        var regressions: Int
        enum CodingKeys: String, CodingKey {
            case format, failOn = "fail_on", old, new, newFindings = "new_findings", resolved, unchanged
            case exposedAddresses = "exposed_addresses", regressions
        }

        struct Record: Encodable {
            var path: String
            var schemaVersion: String
            var verdict: String
            var findings: Int
            var inputs: [String]
            enum CodingKeys: String, CodingKey { case path, schemaVersion = "schema_version", verdict, findings, inputs }
        }

        struct Key: Encodable { var kind: String; var value: String }

        struct Finding: Encodable {
            var id: String
            var severity: String
            var title: String
            var file: String
            var interface: String
            var packets: Int
        }

        struct Item: Encodable {
            var `class`: String
            var key: Key
            var old: [Finding]
            var new: [Finding]
            var oldSeverity: String?
            var newSeverity: String?
            var regression: Bool
            enum CodingKeys: String, CodingKey {
                case `class`, key, old, new, oldSeverity = "old_severity", newSeverity = "new_severity", regression
            }
        }

        struct Addresses: Encodable {
            var new: [String]
            var resolved: [String]
            var unchanged: [String]
        }
    }

    var document: Document {
        func record(_ r: RecordInfo) -> Document.Record {
            .init(path: r.path, schemaVersion: r.schemaVersion, verdict: r.verdict.rawValue, findings: r.findings, inputs: r.inputs)
        }
        func finding(_ s: RecordDiff.Side) -> Document.Finding {
            .init(id: s.id, severity: s.severity.rawValue, title: s.title, file: s.file, interface: s.interface, packets: s.packets)
        }
        func item(_ x: RecordDiff.Entry) -> Document.Item {
            .init(class: x.key.leakClass, key: .init(kind: x.key.kind, value: x.key.value), old: x.old.map(finding), new: x.new.map(finding),
                  oldSeverity: x.oldWorst?.rawValue, newSeverity: x.newWorst?.rawValue, regression: x.regresses(failOn: failOn))
        }
        let a = diff.addresses
        return Document(failOn: failOnName, old: record(old), new: record(new), newFindings: diff.newFindings.map(item),
                        resolved: diff.resolved.map(item), unchanged: diff.unchanged.map(item),
                        exposedAddresses: .init(new: a.new, resolved: a.resolved, unchanged: a.unchanged),
                        regressions: regressions.count)
    }

    public func json() throws(ReportError) -> [UInt8] {
        do { return try JSONCoding.encode(document) } catch { throw .encoding(reason: error.description) }
    }

    // MARK: Markdown

    public func markdown() -> String {
        let e = Escape.markdown
        let n = regressions.count
        var m = "# LeakScope diff: \(n > 0 ? "regression" : "no regression")\n\n"
        m += "| | Record | Schema | Verdict | Findings | Captures |\n|---|---|---|---|---:|---|\n"
        for (label, r) in [("Old", old), ("New", new)] {
            m += "| \(label) | \(e(r.path)) | \(e(r.schemaVersion)) | \(e(r.verdict.rawValue)) | \(r.findings) | \(e(r.inputs.joined(separator: ", "))) |\n"
        }
        m += "\n"
        m += failOn == nil ? "`--fail-on none`: findings never fail.\n\n"
            : n == 0 ? "No new finding at or above \(failOnName).\n\n" : "**\(n) new finding\(n == 1 ? "" : "s") at or above \(failOnName).**\n\n"
        for (title, list) in [("New findings", diff.newFindings), ("Resolved", diff.resolved), ("Unchanged", diff.unchanged)] {
            m += "## \(title) (\(list.count))\n\n"
            guard !list.isEmpty else { m += "None.\n\n"; continue }
            m += "| Class | Severity | Key | Old | New | Title |\n|---|---|---|---|---|---|\n"
            for x in list {
                let example = (x.new.first ?? x.old.first)?.title ?? ""
                let sev = Self.severity(x).replacing("->", with: "→") + (x.regresses(failOn: failOn) ? " (regression)" : "")
                m += "| \(e(x.key.leakClass)) | \(e(sev)) | \(e(x.key.text)) | \(e(Self.sides(x.old))) | \(e(Self.sides(x.new))) | \(e(example)) |\n"
            }
            m += "\n"
        }
        let a = diff.addresses
        if !(a.new.isEmpty && a.resolved.isEmpty && a.unchanged.isEmpty) {
            m += "## \(e(ExposedAddressSections.outsideHeading))\n\n"
            if !a.new.isEmpty { m += "- New: " + a.new.map(e).joined(separator: ", ") + "\n" }
            if !a.resolved.isEmpty { m += "- No longer exposed: " + a.resolved.map(e).joined(separator: ", ") + "\n" }
            if !a.unchanged.isEmpty { m += "- Still exposed: " + a.unchanged.map(e).joined(separator: ", ") + "\n" }
            m += "\n"
        }
        return m
    }
}
