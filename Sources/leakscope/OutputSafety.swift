import OutputText
import ArgumentParser
import CaptureFiles
import OutputFiles

#if canImport(Glibc)
import Glibc
#endif

/// `--file-mode MODE`, shared by every command that writes files.
struct FileModeOption: ParsableArguments {
    @Option(name: .customLong("file-mode"), help: ArgumentHelp(
        "Permission bits of every file written, octal (default: 0600 for a new file; a replaced file keeps its mode).",
        valueName: "mode"))
    var fileMode: String?

    func validate() throws {
        if let fileMode, FileMode(parsing: fileMode) == nil {
            throw ValidationError("--file-mode \(fileMode): expected octal permission bits such as 0600 or 640")
        }
    }

    /// Sets the process's output mode before anything is written.
    func apply() {
        if let fileMode, let mode = FileMode(parsing: fileMode) { OutputPolicy.setFileMode(mode) }
    }

    /// The option as argv for a child leakscope (the probe a capture runs).
    var arguments: [String] { fileMode.map { ["--file-mode", $0] } ?? [] }
}

/// The checks every command makes on its outputs before doing any work:
/// nothing that must not be written (a directory, a block device, a missing
/// directory) and no output that is one of the inputs.
enum OutputSafety {
    struct Output {
        /// How the command line named it ("-o", "--evidence", "-w").
        var option: String
        var target: OutputTarget
    }

    /// Looks at each output path; a refused one is a message and exit 5.
    static func inspect(_ outputs: [(option: String, path: String)], command: String) throws -> [Output] {
        var result: [Output] = []
        for (option, path) in outputs {
            do {
                result.append(Output(option: option, target: try OutputTarget.inspect(path)))
            } catch {
                fail(command, "\(option): \(error.description)")
                throw error.isUsage ? ExitCode(64) : ExitCode.runtimeError
            }
        }
        // Two outputs into one file: the second would replace the first (or, into one pipe or
        // standard output, mix with it). A character device (/dev/null, a terminal) may take both.
        for (i, a) in result.enumerated() {
            for b in result[(i + 1)...] where sameFile(a.target, b.target) && a.target.kind != .characterDevice {
                if a.target.kind == .descriptor(1) && b.target.kind == .descriptor(1) {
                    fail(command, "\(a.option == "-o" ? "the output" : a.option) and \(b.option) would both go to standard output")
                } else {
                    fail(command, "\(a.option) \(a.target.path) and \(b.option) \(b.target.path) are the same file")
                }
                throw ExitCode(64)
            }
        }
        return result
    }

    /// Refuses (exit 64, naming both) an output that is the same file as one of `inputs`
    /// (device + inode, links followed, hard links included). Run before reading anything.
    static func refuse(_ outputs: [Output], overwriting inputs: [String], command: String) throws {
        for o in outputs {
            guard let out = o.target.identity else { continue }
            for input in inputs {
                let id = input == "-" ? FileIdentity(descriptor: 0) : FileIdentity(path: input)
                if id == out { try usage(command, o, input: input) }
            }
        }
    }

    /// The same against everything this process has read so far (sidecars found while reading).
    static func refuseOpened(_ outputs: [Output], command: String) throws {
        for o in outputs {
            guard let out = o.target.identity, let input = OpenedInputs.path(of: out) else { continue }
            try usage(command, o, input: input)
        }
    }

    private static func usage(_ command: String, _ o: Output, input: String) throws -> Never {
        let same = o.target.path == input ? "is also an input" : "is the same file as the input \(input)"
        fail(command, "the output \(o.target.path) (\(o.option)) \(same): writing it would destroy what is read")
        throw ExitCode(64)
    }

    static func sameFile(_ a: OutputTarget, _ b: OutputTarget) -> Bool {
        if let x = a.identity, let y = b.identity { return x == y }
        return a.resolvedPath == b.resolvedPath
    }

    /// "leakscope analyze: error: ..." on stderr.
    static func fail(_ command: String, _ text: String) {
        StandardStream.error.write("leakscope \(command): error: \(escapedForTerminal(text))\n")
    }
}
