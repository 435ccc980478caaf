import ArgumentParser
import CaptureFiles
import Correlation
import OutputFiles
import OutputText
import Reports

#if canImport(Glibc)
import Glibc
#endif

/// `analyze`'s output options: the format, where to write it, the evidence
/// capture, and byte-identical output. Shared wiring for `analyze` and `report`.
struct OutputOptions: ParsableArguments {
    @Option(help: "text (terminal summary), json (the analysis record), html, markdown, jsonl (one ECS alert per finding).")
    var format: ReportFormat = .text

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the output to FILE (a file is replaced atomically; a device, FIFO or - is written directly) instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Write the frames findings cite, with a comment naming each finding, to this pcapng file.", valueName: "file"))
    var evidence: String?

    @Flag(help: "Leave the time of analysis out of the record, so equal inputs give byte-identical output.")
    var deterministic = false

    @OptionGroup var fileMode: FileModeOption

    /// The outputs named on the command line, for `OutputSafety`.
    var outputPaths: [(option: String, path: String)] {
        // Without -o the output goes to standard output: --evidence - would mix with it.
        [(option: "-o", path: output ?? "-"), evidence.map { ("--evidence", $0) }].compactMap { $0 }
    }

    /// The record the format needs, from inputs the command holds open. With
    /// the terminal text and no evidence only the analysis and each input's
    /// scope are made (no hashes, timeline or frame visits); else the whole
    /// record, gathered in the same passes.
    /// `beforeWriting` runs once the inputs (and the sidecars they name) are
    /// read and before any output is written. Throws an `ExitCode` (4 input
    /// error, 5 cannot write the evidence).
    func record(inputs: [CaptureInput], options: AnalysisOptions, beforeWriting: (Analysis) throws -> Void) throws -> AnalysisRecord {
        if format == .text && evidence == nil {
            let record = try orExit { () throws(ReportError) in
                try AnalysisPipeline.summaryRecord(inputs: inputs, analysis: options, settings: settings)
            }
            try beforeWriting(record.analysis)
            return record
        }
        let passes = try orExit { () throws(ReportError) in
            try AnalysisPipeline.analyze(inputs: inputs, analysis: options, settings: settings)
        }
        try beforeWriting(passes.analysis)
        return try orExit { () throws(ReportError) in try passes.record() }
    }

    /// Renders `record` in the chosen format and writes it as it is rendered.
    func emit(_ record: AnalysisRecord) throws {
        let color = format == .text && output == nil && TerminalReport.wantsColor(isTTY: isatty(1) == 1, environment: environment())
        try write { sink in try record.render(as: format, color: color, to: sink) }
    }

    var invocation: Invocation {
        // argv[0] is the binary's path on this machine; the record names the tool.
        Invocation(arguments: ["leakscope"] + CommandLine.arguments.dropFirst(),
                   options: .init(format: format, output: output, evidence: evidence, deterministic: deterministic))
    }

    var settings: AnalysisPipeline.Settings {
        AnalysisPipeline.Settings(toolVersion: LeakScope.version, arguments: invocation.arguments, options: invocation.options)
    }

    /// To `--output` (atomically when it is a file; directly to a device, FIFO or `-`), else to standard output.
    func write(_ bytes: [UInt8]) throws {
        try write { sink in try bytes.withUnsafeBytes { try sink($0) } }
    }

    /// Runs `produce` with a sink to `--output` (a file is committed when `produce` returns and
    /// removed, the target untouched, when it throws) or to standard output, so an output is
    /// written as it is rendered and never held whole. A `ReportError` or `OutputFileError`
    /// becomes a message on stderr and its exit code.
    func write(_ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        do {
            if let output {
                let file = try OutputFile(path: output)
                do {
                    try produce { try file.write($0) }
                    try file.commit()
                } catch {
                    file.abandon()
                    throw error
                }
            } else {
                try produce { StandardStream.output.write($0) }
            }
        } catch let error as OutputFileError {
            StandardStream.error.write("error: \(escapedForTerminal(error.description))\n")
            throw error.isUsage ? ExitCode(64) : ExitCode.runtimeError
        } catch let error as ReportError {
            try orExit { () throws(ReportError) in throw error }
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}

/// Runs `body`; a `ReportError` becomes a message on stderr and the exit code
/// for its kind (4: the input cannot be used, 5: the output cannot be written).
func orExit<T>(_ body: () throws(ReportError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        StandardStream.error.write("error: \(escapedForTerminal(error.description))\n")
        switch error {
        // `.io` is a failed read of an input (a missing record, an unreadable capture).
        case .capture, .badRecord, .input, .io: throw ExitCode.inputError
        case .output, .encoding: throw ExitCode.runtimeError
        }
    }
}

func environment() -> [String: String] {
    var env: [String: String] = [:]
    for key in ["NO_COLOR", "TERM"] {
        if let v = getenv(key) { env[key] = String(cString: v) }
    }
    return env
}
