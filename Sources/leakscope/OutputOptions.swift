import OutputText
import ArgumentParser
import CaptureFiles
import Correlation
import Reports

#if canImport(Glibc)
import Glibc
#endif

/// `analyze`'s output options: the format, where to write it, the evidence
/// capture, and byte-identical output. Shared wiring for `analyze` and `report`.
struct OutputOptions: ParsableArguments {
    @Option(help: "text (terminal summary), json (the analysis record), html, markdown, jsonl (one ECS alert per finding).")
    var format: ReportFormat = .text

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the output to FILE (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Write the frames findings cite, with a comment naming each finding, to this pcapng file.", valueName: "file"))
    var evidence: String?

    @Flag(help: "Leave the time of analysis out of the record, so equal inputs give byte-identical output.")
    var deterministic = false

    /// The record the format needs: with the terminal text and no evidence
    /// only the analysis (no capture facts to gather), else the whole record.
    /// Throws an `ExitCode` (4 input error, 5 cannot write evidence).
    func record(files: [String], options: AnalysisOptions) throws -> AnalysisRecord {
        if format == .text && evidence == nil {
            let analysis: Analysis
            do { analysis = try Correlation.analyze(paths: files, options: options) } catch {
                StandardStream.error.write("error: \(escapedForTerminal(error.description))\n")
                throw ExitCode.inputError
            }
            return AnalysisRecord(analysis: analysis, provenance: Provenance(tool: ToolInfo(version: LeakScope.version), invocation: invocation))
        }
        return try orExit { () throws(ReportError) in
            try AnalysisPipeline.record(paths: files, analysis: options, settings: settings)
        }
    }

    /// Renders `record` in the chosen format and writes it.
    func emit(_ record: AnalysisRecord) throws {
        let color = format == .text && output == nil && TerminalReport.wantsColor(isTTY: isatty(1) == 1, environment: environment())
        try write(try orExit { () throws(ReportError) in try record.rendered(as: format, color: color) })
    }

    var invocation: Invocation {
        // argv[0] is the binary's path on this machine; the record names the tool.
        Invocation(arguments: ["leakscope"] + CommandLine.arguments.dropFirst(),
                   options: .init(format: format, output: output, evidence: evidence, deterministic: deterministic))
    }

    var settings: AnalysisPipeline.Settings {
        AnalysisPipeline.Settings(toolVersion: LeakScope.version, arguments: invocation.arguments, options: invocation.options)
    }

    /// To `--output` atomically, else to standard output.
    func write(_ bytes: [UInt8]) throws {
        if let output {
            try orExit { () throws(ReportError) in try OutputFile.write(bytes, to: output) }
        } else {
            StandardStream.output.write(bytes)
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
        case .capture, .badRecord, .input: throw ExitCode.inputError
        case .io, .output, .encoding: throw ExitCode.runtimeError
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
