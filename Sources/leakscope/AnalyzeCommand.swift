import ArgumentParser
import CaptureFiles

#if canImport(Glibc)
import Glibc
#endif

/// `leakscope analyze FILE...`: for now a per-file, per-interface summary of
/// the captures (the correlator extends this with findings).
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyze pcap/pcapng captures.",
        discussion: """
            Prints, per file and interface: link type, packets, bytes and time span.
            Warnings and damage (file, byte offset, reason) go to stderr.

            Example:
              leakscope analyze capture.pcapng tunnel.pcap

            Exit codes: 0 ok, 3 a file is damaged (read up to the damage),
            4 a file cannot be opened or is not a capture.
            """
    )

    @Argument(help: "Capture files (pcap or pcapng).")
    var files: [String]

    func run() throws {
        var sawDamage = false
        var sawInputError = false
        for (index, path) in files.enumerated() {
            let summary: CaptureSummary
            do {
                summary = try CaptureSummary.read(path: path, fileIndex: index)
            } catch {
                printError("error: \(escapedForTerminal(error.description))")
                sawInputError = true
                continue
            }
            print(summary.table())
            for warning in summary.warnings { printError(escapedForTerminal(warning.description)) }
            if summary.droppedWarningCount > 0 {
                printError("\(escapedForTerminal(path)): \(summary.droppedWarningCount) more warnings not shown")
            }
            if let damage = summary.damage {
                printError("damaged: \(escapedForTerminal(damage.description))")
                sawDamage = true
            }
        }
        if sawInputError { throw ExitCode.inputError }
        if sawDamage { throw ExitCode.inputDamaged }
    }
}

/// One line to stderr (unbuffered, so it interleaves sanely with stdout).
private func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { buffer in
        var done = 0
        while done < buffer.count {
            let n = write(2, buffer.baseAddress! + done, buffer.count - done)
            if n <= 0 { break }
            done += n
        }
    }
}
