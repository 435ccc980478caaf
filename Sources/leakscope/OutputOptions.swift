import ArgumentParser
import CaptureFiles
import Correlation
import OutputFiles
import Reports

#if canImport(Glibc)
import Glibc
#endif

/// `analyze`'s output options: the format, where to write it, the evidence
/// capture, and byte-identical output. Shared wiring for `analyze` and `report`.
struct OutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, html, markdown, jsonl
        var pipeline: ReportPipeline.Format { ReportPipeline.Format(rawValue: rawValue)! }
    }

    @Option(help: "text (terminal summary), json (the analysis record), html, markdown, jsonl (one ECS alert per finding).")
    var format: Format = .text

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

    /// Builds what the format needs and writes it. Returns normally or throws
    /// an `ExitCode` (4 input error, 5 cannot write).
    func emit(_ analysis: Analysis, files: [String]) throws {
        let color = output == nil && TerminalSummary.wantsColor(isTTY: isatty(1) == 1, environment: environment())
        var text: [UInt8]
        if format == .text && evidence == nil {
            text = Array(AnalysisText.render(analysis, color: color).utf8)
        } else {
            let record = try orExit { () throws(ReportError) in
                try ReportPipeline.record(analysis: analysis, paths: files, settings: settings(files: files))
            }
            if format == .text {
                text = Array(AnalysisText.render(analysis, color: color).utf8)
                if let ev = record.evidenceCapture {
                    text += Array("\nEvidence: \(escapedForTerminal(evidence ?? ev.name)) (\(ev.frames) frames, SHA-256 \(ev.sha256))\n".utf8)
                }
            } else {
                text = try orExit { () throws(ReportError) in try ReportPipeline.render(record, format: format.pipeline) }
            }
        }
        try write(text)
    }

    func settings(files: [String]) -> ReportPipeline.Settings {
        var options: [String: JSONValue] = ["format": .string(format.rawValue), "deterministic": .bool(deterministic)]
        if let output { options["output"] = .string(output) }
        if let evidence { options["evidence"] = .string(evidence) }
        // argv[0] is the binary's path on this machine; the record names the tool.
        let arguments = ["leakscope"] + CommandLine.arguments.dropFirst()
        return ReportPipeline.Settings(toolVersion: LeakScope.version, arguments: arguments, options: options,
                                       deterministic: deterministic, evidencePath: evidence)
    }

    /// To `--output` (atomically when it is a file; directly to a device, FIFO or `-`), else to standard output.
    func write(_ bytes: [UInt8]) throws {
        if let output {
            do { try OutputFile.write(bytes, to: output) } catch {
                FileHandleStderr.write("error: \(escapedForTerminal(error.description))\n")
                throw error.isUsage ? ExitCode(64) : ExitCode.runtimeError
            }
        } else {
            bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                var done = 0
                while done < raw.count {
                    let n = Glibc.write(1, base + done, raw.count - done)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    done += n
                }
            }
        }
    }
}

/// Runs `body`; a `ReportError` becomes a message on stderr and the exit code
/// for its kind (4: the input cannot be used, 5: the output cannot be written).
func orExit<T>(_ body: () throws(ReportError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        let line = "error: \(escapedForTerminal(error.description))\n"
        FileHandleStderr.write(line)
        switch error {
        case .capture, .badRecord: throw ExitCode.inputError
        case .io, .output, .encoding: throw ExitCode.runtimeError
        }
    }
}

enum FileHandleStderr {
    static func write(_ s: String) {
        var text = s
        text.withUTF8 { b in
            guard let base = b.baseAddress else { return }
            var done = 0
            while done < b.count {
                let n = Glibc.write(2, base + done, b.count - done)
                if n <= 0 { break }
                done += n
            }
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
