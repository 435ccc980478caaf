import OutputText
import ArgumentParser
import BrowserCandidates
import BrowserSession
import CaptureFiles
import LiveCapture
import OutputFiles

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Capture on one or more interfaces into one pcapng file.",
        discussion: """
            Packets from all interfaces are merged in timestamp order (200 ms window) and written to FILE.partial, flushed to disk every 0.5 s (a SIGKILL or power cut loses at most about the last second), renamed to FILE when the capture stops. The file is private (0600) unless --file-mode says otherwise; -w - (or a FIFO) streams it instead. Needs root or CAP_NET_RAW. Stops on --duration, --count, SIGINT/SIGTERM, or when the command after -- exits (plus --grace). See docs/live-capture.md.

            Examples:
              sudo leakscope capture -i wg0 -i eth0 -w session.pcapng --duration 60
              sudo leakscope capture -i wg0 -i eth0 -w s.pcapng -Z $USER -- ./run.sh
            """)

    @Option(name: .shortAndLong, help: "Interface to capture on (repeat for several).")
    var interface: [String] = []

    @Option(name: [.customShort("w"), .customLong("write")], help: "The pcapng file to write.")
    var output: String

    @Option(name: [.customShort("f"), .customLong("filter")], help: "BPF filter applied on every interface.")
    var filter: String?

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Option(name: [.customShort("c"), .customLong("count")], help: "Stop after this many packets (all interfaces).")
    var count: Int?

    @Option(name: [.customShort("s"), .customLong("snaplen")], help: "Bytes kept per packet.")
    var snaplen: Int32 = 262_144

    @Option(help: "Seconds to keep capturing after the command exits.")
    var grace: Double = 1

    @Option(name: [.customShort("Z"), .customLong("user")], help: "Become this user once the interfaces are open.")
    var user: String?

    @Option(name: [.customShort("B"), .customLong("buffer-size")], help: "Kernel buffer per interface, in KiB.")
    var bufferSize: Int32?

    @Flag(help: "Put the interfaces in promiscuous mode.")
    var promiscuous = false

    @Option(help: "Seconds packets are held to merge interfaces in time order.")
    var reorderWindow: Double = 0.2

    @OptionGroup(title: "Browser session") var browserOptions: BrowserOptions

    @OptionGroup(title: "Positive control") var controlOptions: PositiveControlOptions

    @Argument(parsing: .postTerminator, help: "Command to run during the capture (after --); capture stops when it exits.")
    var command: [String] = []

    func validate() throws {
        if interface.isEmpty { throw ValidationError("give at least one interface with -i (see `leakscope interfaces`)") }
        if let d = duration, !(d > 0) { throw ValidationError("--duration must be positive") }
        if let c = count, c <= 0 { throw ValidationError("--count must be positive") }
        if !(grace >= 0) { throw ValidationError("--grace must be zero or more") }
        if snaplen <= 0 { throw ValidationError("--snaplen must be positive") }
        if let b = bufferSize, b <= 0 || b > Int32.max / 1024 { throw ValidationError("--buffer-size is in KiB, 1 or more") }
        if !(reorderWindow >= 0) { throw ValidationError("--reorder-window must be zero or more") }
        if Set(interface).count != interface.count { throw ValidationError("an interface is given twice") }
    }

    @OptionGroup var fileMode: FileModeOption

    func run() throws {
        fileMode.apply()
        // Before any interface is opened: the output (and the browser's sidecar) can be written as what they are.
        var outputs: [(option: String, path: String)] = [("-w", output)]
        if browserOptions.requested && browserOptions.url == nil {
            outputs.append(("--browser", CandidateSidecar.sidecarPath(forCapture: output)))
        }
        _ = try OutputSafety.inspect(outputs, command: "capture")
        var options = LiveCaptureOptions(
            interfaces: interface, outputPath: output,
            handle: HandleOptions(
                snapLength: snaplen, promiscuous: promiscuous, bufferSize: bufferSize.map { $0 * 1024 }, filter: filter),
            duration: duration, count: count, grace: grace, user: user, command: command,
            reorderWindow: reorderWindow,
            section: .describingThisProcess(
                tool: "leakscope", version: LeakScope.version, commandLine: CommandLine.arguments))
        try browserOptions.apply(to: &options, captureOutput: output, fileMode: fileMode.arguments)
        controlOptions.apply(to: &options)
        let summary: LiveCaptureSummary
        do {
            summary = try LiveCapture.run(options) { ready in
                if let l = ready.leftover { CaptureCLI.printError(CaptureReport.leftover(l)) }
                let names = ready.interfaces.map { "\($0.name) (\($0.linkType.name))" }.joined(separator: ", ")
                var line = "leakscope: capturing on \(names) into \(ready.outputPath)"
                if ready.writingPath != ready.outputPath { line += " (written as \(ready.writingPath) until the capture stops)" }
                if let pid = ready.commandPID { line += "; command pid \(pid)" }
                CaptureCLI.printError(line)
            }
        } catch {
            CaptureCLI.printError("leakscope capture: \(error)")
            if case .usage = error { throw ExitCode(64) }
            throw ExitCode.runtimeError
        }
        for w in summary.warnings { CaptureCLI.printError("leakscope: warning: \(w)") }
        CaptureCLI.printError(CaptureReport.text(summary))
        for line in CaptureReport.controls(summary, routes: options.recordRoutes) { CaptureCLI.printError(line) }
        if summary.stopReason == .interfacesFailed {
            // The file holds what was captured, but the capture did not do what was asked.
            CaptureCLI.printError("leakscope capture: error: every interface failed, so the capture stopped early; "
                + "\(summary.outputPath) holds the packets captured until then")
            throw ExitCode.runtimeError
        }
    }
}

/// The per-interface lines printed when a capture stops.
enum CaptureReport {
    static func text(_ s: LiveCaptureSummary) -> String {
        var lines = ["leakscope: stopped (\(s.stopReason)); wrote \(s.outputPath)"]
        func n(_ v: UInt64?) -> String { v.map(String.init) ?? "?" }
        for i in s.interfaces {
            var line = "  \(i.name): \(i.written) packets written, \(n(i.received)) received, "
                + "\(n(i.droppedByKernel)) dropped by kernel, \(n(i.droppedByInterface)) dropped by interface"
            if let e = i.stopped { line += "; \(e.kind.rawValue) at \(ISO8601Nanoseconds.format(e.timeNanoseconds))" }
            lines.append(line)
        }
        if s.reorderOverflows > 0 {
            lines.append("  \(s.reorderOverflows) packets left the reorder window early (it was full)")
        }
        if let exit = s.commandExit { lines.append("  command \(exit)") }
        return lines.joined(separator: "\n")
    }
}

extension CaptureReport {
    /// What the previous, unfinished capture into the same name left, and where it is now.
    static func leftover(_ l: OutputFile.Leftover) -> String {
        let when = ISO8601Nanoseconds.format(l.modifiedSeconds * 1_000_000_000, fraction: .trimmed)
        let what = "killed, crashed or power cut; \(l.size) bytes, last written \(when)"
        return "leakscope: warning: \(l.from) was left by a capture into the same name that did not stop cleanly (\(what)); "
            + "kept as \(l.movedTo), readable up to its last whole block (docs/live-capture.md, \"Recovering a partial capture\")"
    }
}

/// Small output helpers of the capture commands (named apart so other commands' helpers cannot clash).
enum CaptureCLI {
    /// One line to standard error, unbuffered.
    static func printError(_ text: String) { StandardStream.error.write(text + "\n") }
}
