import ArgumentParser
import OutputFiles
import OutputText
import Reports

#if canImport(Glibc)
import Glibc
#endif

/// `leakscope report analysis.json -o report.html`: renders a saved analysis
/// record (from `analyze --format json`) without reading the captures again.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render an analysis record as HTML, Markdown, JSONL or a terminal summary.",
        discussion: """
            The record is what `leakscope analyze --format json` writes; every
            report is a rendering of it (docs/reports.md). Without --format the
            format follows the output's extension (.html, .md, .jsonl, .json),
            else html.

            Examples:
              leakscope analyze s.pcapng --format json --evidence leaks.pcapng -o analysis.json
              leakscope report analysis.json -o report.html
              leakscope report analysis.json --format markdown > ticket.md
              leakscope analyze s.pcapng --format json | leakscope report - --format text

            Exit codes: 0 written, 4 the record cannot be read (missing, unreadable, not a
            record, another major schema version), 5 the output cannot be written,
            64 usage (e.g. -o names the record itself).
            """
    )

    @Argument(help: "An analysis record (JSON); - reads it from standard input.")
    var record: String

    @Option(help: "html, markdown, jsonl, json (the record, re-encoded), text.")
    var format: ReportFormat?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to FILE (a file is replaced atomically; a device, FIFO or - is written directly) instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var fileMode: FileModeOption

    func run() throws {
        fileMode.apply()
        // The record is the input: the output must not replace it.
        let outputs = try OutputSafety.inspect(output.map { [(option: "-o", path: $0)] } ?? [], command: "report")
        try OutputSafety.refuse(outputs, overwriting: [record], command: "report")
        if let id = record == "-" ? FileIdentity(descriptor: 0) : FileIdentity(path: record) { OpenedInputs.record(id, path: record) }
        let read = try orExit { () throws(ReportError) in try RecordJSON.read(path: record) }
        let chosen = format ?? Self.format(forOutput: output)
        if !read.newerKeys.isEmpty && chosen != .json {
            // Kept in a re-encoded record; no other rendering knows them.
            let keys = read.newerKeys.prefix(8).joined(separator: ", ") + (read.newerKeys.count > 8 ? ", ..." : "")
            StandardStream.error.write(escapedForTerminal(
                "note: \(record) (schema \(read.schemaVersion)) has \(read.newerKeys.count) key\(read.newerKeys.count == 1 ? "" : "s") this leakscope (schema \(AnalysisRecord.schemaVersion)) does not show: \(keys)") + "\n")
        }
        if !read.unrecognizedClasses.isEmpty {
            StandardStream.error.write(escapedForTerminal(
                "note: \(record) (schema \(read.schemaVersion)) has findings of leak classes this leakscope (schema \(AnalysisRecord.schemaVersion)) does not know: \(read.unrecognizedClasses.joined(separator: ", ")); they are shown as recorded") + "\n")
        }
        let color = chosen == .text && output == nil && TerminalReport.wantsColor(isTTY: isatty(1) == 1, environment: environment())
        var out = OutputOptions()
        out.output = output
        try out.write { sink in try read.record.render(as: chosen, color: color, to: sink) }
    }

    static func format(forOutput path: String?) -> ReportFormat {
        guard let path, let dot = path.lastIndex(of: ".") else { return .html }
        switch path[path.index(after: dot)...].lowercased() {
        case "md", "markdown": return .markdown
        case "jsonl", "ndjson": return .jsonl
        case "json": return .json
        case "txt": return .text
        default: return .html
        }
    }
}
