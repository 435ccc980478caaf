import ArgumentParser
import Correlation
import OutputFiles
import OutputText
import Reports

#if canImport(Glibc)
import Glibc
#endif

/// `leakscope diff OLD.json NEW.json`: what changed between two analysis
/// records, for a CI job that compares a VPN build's capture with the last
/// release's. The matching is `RecordDiff`'s; this command reads, renders and
/// sets the exit code.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two analysis records: new, resolved and unchanged findings.",
        discussion: """
            Findings are matched by class and a key that stays the same between runs:
            the STUN/TURN server (webrtc), the resolver (dns), the name or else the
            destination (traffic), the exposed source address (ipv6), the interface
            (tunnel-failure). Real addresses exposed outside the tunnel are compared
            by address. Records of other minor schema versions are read as `report`
            reads them (docs/reports.md, "Comparing two records").

            Examples:
              leakscope analyze release.pcapng --format json -o old.json
              leakscope analyze candidate.pcapng --format json -o new.json
              leakscope diff old.json new.json
              leakscope diff old.json new.json --fail-on high --format markdown -o diff.md

            Exit codes: 0 no new finding at or above --fail-on, 1 NEW has a finding at
            or above --fail-on that OLD did not (a new key, or a key whose worst severity
            rose to it), 4 a record cannot be read, 5 the output cannot be written,
            64 usage.
            """
    )

    @Argument(help: "The earlier record (JSON from analyze --format json); - reads standard input.")
    var old: String

    @Argument(help: "The later record; - reads standard input.")
    var new: String

    @Option(help: "text (default), json (leakscope-diff/1) or markdown.")
    var format: DiffReport.Format = .text

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to FILE (a file is replaced atomically; a device, FIFO or - is written directly) instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("fail-on"), help: "Lowest severity of a new finding that makes the exit code 1 (none: never).")
    var failOn: AnalyzeCommand.FailOn = .low

    @OptionGroup var fileMode: FileModeOption

    func validate() throws {
        if old == "-" && new == "-" { throw ValidationError("only one of OLD and NEW can be standard input") }
    }

    func run() throws {
        fileMode.apply()
        let outputs = try OutputSafety.inspect(output.map { [(option: "-o", path: $0)] } ?? [], command: "diff")
        try OutputSafety.refuse(outputs, overwriting: [old, new], command: "diff")
        let a = try read(old), b = try read(new)
        let threshold: Severity? = switch failOn {
        case .none: nil
        case .low: .low
        case .medium: .medium
        case .high: .high
        }
        let report = DiffReport(
            diff: RecordDiff(old: a.record, new: b.record),
            old: .init(path: old, record: a.record, schemaVersion: a.schemaVersion),
            new: .init(path: new, record: b.record, schemaVersion: b.schemaVersion), failOn: threshold)
        let color = format == .text && output == nil && TerminalReport.wantsColor(isTTY: isatty(1) == 1, environment: environment())
        var out = OutputOptions()
        out.output = output
        try out.write(try orExit { () throws(ReportError) in try report.rendered(as: format, color: color) })
        if !report.regressions.isEmpty { throw ExitCode.leaksFound }
    }

    /// One record, decoded through the typed record (a newer minor version's keys kept and named).
    func read(_ path: String) throws -> RecordJSON.Read {
        if path != "-", let id = FileIdentity(path: path) { OpenedInputs.record(id, path: path) }
        let r = try orExit { () throws(ReportError) in try RecordJSON.read(path: path) }
        if !r.newerKeys.isEmpty || !r.unrecognizedClasses.isEmpty {
            var what: [String] = []
            if !r.newerKeys.isEmpty { what.append("\(r.newerKeys.count) key\(r.newerKeys.count == 1 ? "" : "s") this leakscope does not compare") }
            if !r.unrecognizedClasses.isEmpty { what.append("leak classes it does not know (\(r.unrecognizedClasses.joined(separator: ", ")); matched by title)") }
            StandardStream.error.write(escapedForTerminal(
                "note: \(path) (schema \(r.schemaVersion), this leakscope \(AnalysisRecord.schemaVersion)) has " + what.joined(separator: " and ")) + "\n")
        }
        return r
    }
}

extension DiffReport.Format: ExpressibleByArgument {}
