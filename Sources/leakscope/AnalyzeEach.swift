import ArgumentParser
import CaptureFiles
import Correlation
import Dispatch
import OutputFiles
import OutputText
import Reports
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `leakscope analyze --each FILE...`: every capture analysed on its own, as
/// `leakscope analyze FILE` would, up to `--jobs` at once (one thread each; the
/// analyses share nothing but the process-wide output mode and progress counters).
///
/// Outputs: with `-o DIR`, `DIR/NAME.EXT` per capture (NAME: the capture's file
/// name without .pcap/.pcapng/.cap, EXT: the format's: txt, json, html, md,
/// jsonl); all paths are checked before any work (two captures with one NAME, an
/// output that is an input or a sidecar: exit 64). Without `-o`, each capture's
/// output goes to standard output once it is done, in the order given.
/// Exit code: the worst file's, worst first 64, 5, 4, 1, 3, 2, 0 (docs/exit-codes.md).
extension AnalyzeCommand {
    /// Worst first: what `--each` exits with when files end differently.
    static let exitSeverity: [Int32] = [64, 5, 4, 1, 3, 2, 0]

    static func worst(_ codes: [Int32]) -> Int32 {
        codes.min { a, b in (exitSeverity.firstIndex(of: a) ?? 0) < (exitSeverity.firstIndex(of: b) ?? 0) } ?? 0
    }

    static func fileExtension(_ f: ReportFormat) -> String {
        switch f {
        case .text: "txt"
        case .json: "json"
        case .html: "html"
        case .markdown: "md"
        case .jsonl: "jsonl"
        }
    }

    /// `out/a.json` for `a.pcapng` (`stdin` for `-`).
    static func outputName(for input: String, format: ReportFormat) -> String {
        var name = input == "-" ? "stdin" : String(input.split(separator: "/").last ?? "capture")
        for ext in [".pcapng", ".pcap", ".cap"] where name.hasSuffix(ext) && name.count > ext.count {
            name = String(name.dropLast(ext.count))
            break
        }
        return name + "." + fileExtension(format)
    }

    func runEach() throws {
        output.fileMode.apply()
        let format = output.format
        // Where each capture's output goes (nil: standard output), all checked before any work.
        var destinations: [String?] = files.map { _ in nil }
        if let dir = output.output, dir != "-" {
            var st = stat()
            guard stat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
                OutputSafety.fail("analyze", "-o \(dir): with --each, -o names an existing directory")
                throw ExitCode(64)
            }
            var seen: [String: String] = [:]
            for (i, f) in files.enumerated() {
                let name = Self.outputName(for: f, format: format)
                if let other = seen[name] {
                    OutputSafety.fail("analyze", "\(other) and \(f) would both be written to \(dir)/\(name)")
                    throw ExitCode(64)
                }
                seen[name] = f
                destinations[i] = (dir.hasSuffix("/") ? dir : dir + "/") + name
            }
        }
        let outputs = try OutputSafety.inspect(destinations.compactMap { $0.map { (option: "-o", path: $0) } }, command: "analyze")
        try OutputSafety.refuse(outputs, overwriting: files + Self.sidecarPaths(files), command: "analyze")

        let meter = progress.start(command: "analyze", inputBytes: DissectCommand.sizes(files), passes: 2)
        defer { meter?.stop() }
        let jobs = min(self.jobs ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), files.count)
        let results = Mutex<[FileResult?]>(files.map { _ in nil })
        let next = Atomic<Int>(0)
        let work = UncheckedSendable(value: (command: self, destinations: destinations, readAhead: jobs < 2))
        // One worker per job, each taking the next file until none is left.
        DispatchQueue.concurrentPerform(iterations: max(jobs, 1)) { _ in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < work.value.command.files.count else { return }
                let r = work.value.command.analyzeOne(i, to: work.value.destinations[i], readAhead: work.value.readAhead)
                results.withLock { $0[i] = r }
            }
        }
        meter?.stop()
        let done = results.withLock { $0 }.map { $0 ?? FileResult(code: 5, stdout: nil) }
        for (i, r) in done.enumerated() {
            if let bytes = r.stdout { StandardStream.output.write(bytes) }
            let to = r.written ? destinations[i].map { " -> \(escapedForTerminal($0))" } ?? "" : ""
            StandardStream.error.write("leakscope analyze: \(escapedForTerminal(files[i]))\(to): exit \(r.code)\n")
        }
        throw ExitCode(Self.worst(done.map(\.code)))
    }

    struct FileResult: Sendable {
        var code: Int32
        /// The rendered output, when it goes to standard output.
        var stdout: [UInt8]?
        /// The output file was written.
        var written = false
    }

    /// `leakscope analyze FILE` for one of the files: its exit code, and its output
    /// when it goes to standard output (written in order by the caller).
    func analyzeOne(_ i: Int, to destination: String?, readAhead: Bool) -> FileResult {
        let path = files[i]
        var options = analysisOptions()
        // With a job per core the cores are taken: a read-ahead thread per job only adds switches
        // (two 1 M files on 2 cores: 0.56 s without, 0.68 s with).
        if !readAhead { options.readAheadMinimumBytes = nil }
        do {
            let held: OpenCaptureInputs
            do { held = try OpenCaptureInputs(paths: [path]) } catch {
                StandardStream.error.write("error: \(escapedForTerminal(error.description))\n")
                return FileResult(code: ExitCode.inputError.rawValue, stdout: nil)
            }
            defer { withExtendedLifetime(held) {} }
            let record = try output.record(inputs: held.inputs, options: options) { analysis in
                let outputs = try OutputSafety.inspect(destination.map { [(option: "-o", path: $0)] } ?? [], command: "analyze")
                try OutputSafety.refuseOpened(outputs, command: "analyze")
                Self.reportDamage(analysis)
            }
            let bytes = try orExit { () throws(ReportError) in try record.rendered(as: output.format, color: false) }
            let code = Self.exitCode(record.analysis, failOn: failOn).rawValue
            guard let destination else { return FileResult(code: code, stdout: bytes) }
            do { try OutputFile.write(bytes, to: destination) } catch {
                StandardStream.error.write("error: \(escapedForTerminal(error.description))\n")
                return FileResult(code: error.isUsage ? 64 : ExitCode.runtimeError.rawValue, stdout: nil)
            }
            return FileResult(code: code, stdout: nil, written: true)
        } catch let e as ExitCode {
            return FileResult(code: e.rawValue, stdout: nil)
        } catch {
            StandardStream.error.write("error: \(escapedForTerminal("\(error)"))\n")
            return FileResult(code: ExitCode.runtimeError.rawValue, stdout: nil)
        }
    }
}

/// A value handed to worker threads that only read it (the parsed command).
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
}
