import OutputText
import ArgumentParser
import CaptureFiles
import Correlation
import Dissectors
import OutputFiles
import Reports

#if canImport(Glibc)
import Glibc
#endif

/// `leakscope analyze FILE...`: finds traffic that left outside the VPN tunnel.
/// The work happens in `Correlation.analyze`; this command parses options,
/// prints the result and sets the exit code.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find traffic that left outside the VPN tunnel in pcap/pcapng captures.",
        discussion: """
            Reads the captures twice (pass 1: interface roles, VPN endpoints, host
            addresses; pass 2: per-packet verdicts and findings), in constant memory.

            Examples:
              leakscope analyze session.pcapng
              leakscope analyze eth0.pcap --vpn-endpoint 203.0.113.1:51820 --format json
              leakscope analyze any.pcap --ifindex 2=eth0 --ifindex 5=wg0 --fail-on high
              leakscope analyze capture.pcapng --summary
              leakscope analyze session.pcapng --candidates probe.candidates.json

            Exit codes (docs/exit-codes.md): 0 no finding at or above --fail-on,
            1 leaks found, 2 cannot tell (only the tunnel captured, a route through an
            uncaptured interface, drops, or neither carrier nor canary on a physical path),
            3 input damaged, 4 input error, 5 cannot write an output, 64 usage
            (e.g. an output that is one of the inputs).

            A capture may be a pipe, FIFO or process substitution: `-` and
            /dev/stdin read standard input (as tcpdump -r -); it is read once.
            Outputs are private (0600) unless --file-mode says otherwise.
            """
    )

    enum FailOn: String, ExpressibleByArgument, CaseIterable { case none, low, medium, high }
    enum RoleArgument: String, ExpressibleByArgument, CaseIterable { case physical, tunnel }

    @Argument(help: "Capture files (pcap or pcapng); several files are merged in time order (with --each: analysed one by one).")
    var files: [String]

    @Option(name: .customLong("tunnel"), help: ArgumentHelp("A tunnel interface name, or a classic pcap's file name (repeatable); replaces name patterns.", valueName: "name"))
    var tunnels: [String] = []

    @Option(name: .customLong("physical"), help: ArgumentHelp("A physical interface name, or a classic pcap's file name (repeatable); other non-tunnel interfaces are ignored.", valueName: "name"))
    var physicals: [String] = []

    @Option(name: .customLong("vpn-endpoint"), help: ArgumentHelp("VPN server: ADDR, ADDR:PORT or [IPv6]:PORT (repeatable); replaces inference from handshakes.", valueName: "addr[:port]"))
    var endpoints: [EndpointSpec] = []

    @Option(name: .customLong("ifindex"), help: ArgumentHelp("Name an SLL2 (Linux 'any') interface index: INDEX=NAME, e.g. 3=wg0 (repeatable).", valueName: "index=name"))
    var ifindex: [InterfaceIndexNames] = []

    @Option(name: .customLong("interface-role"), help: "Role of a classic pcap's single interface (default: physical).")
    var interfaceRole: RoleArgument?

    @OptionGroup(title: "Output")
    var output: OutputOptions

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the exit code 1 (none: findings never fail).")
    var failOn: FailOn = .low

    @Option(name: .customLong("gap"), help: ArgumentHelp("Seconds the tunnel must stay quiet for the leaks after its last activity to form a tunnel-failure span.", valueName: "seconds"))
    var gap: Double = 2

    @Option(name: .customLong("group-gap"), help: ArgumentHelp("Seconds between leaked packets that split one finding into two.", valueName: "seconds"))
    var groupGap: Double = 60

    @Option(name: .customLong("candidates"), help: ArgumentHelp("The browser's candidates sidecar (leakscope-candidates/1, repeatable); by default X.candidates.json beside capture X or the one its section comment names is used.", valueName: "file"))
    var candidates: [String] = []

    @Flag(name: .customLong("no-candidates"), help: "Do not look for candidates sidecars beside the captures.")
    var noCandidates = false

    /// Hidden: the analysis without the carrier fast path (the same result, slower; docs/benchmarks.md).
    @Flag(name: .customLong("no-fast-path"), help: .hidden)
    var noFastPath = false

    /// Hidden: read each pass's packets on a second thread once the inputs hold this many bytes
    /// (0: always; the same result either way; docs/benchmarks.md).
    @Option(name: .customLong("read-ahead-from"), help: .hidden)
    var readAheadFrom: Int = AnalysisOptions.defaultReadAheadMinimumBytes

    @Flag(name: .customLong("no-read-ahead"),
          help: "Read each pass's packets on its own thread, not on a second one (the same result; for machines whose other cores are busy).")
    var noReadAhead = false

    @Flag(help: "Print the per-file, per-interface capture summary (link type, packets, bytes, time span) instead.")
    var summary = false

    @Flag(name: .customLong("each"), help: "Analyse each capture on its own, several at once (--jobs): one output per file, into the directory -o names (FILE's name with the format's extension), else one after another on standard output in the order given. The exit code is the worst file's.")
    var each = false

    @Option(name: .customLong("jobs"), help: ArgumentHelp("With --each: files analysed at once (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @OptionGroup(title: "Progress")
    var progress: ProgressOptions

    func validate() throws {
        guard gap.isFinite, gap >= 0, groupGap.isFinite, groupGap >= 0, gap < 1e9, groupGap < 1e9 else {
            throw ValidationError("--gap and --group-gap take seconds >= 0")
        }
        if let jobs, jobs < 1 || jobs > 1024 { throw ValidationError("--jobs takes a number of files from 1 to 1024") }
        if jobs != nil && !each { throw ValidationError("--jobs needs --each") }
        if each && output.evidence != nil { throw ValidationError("--evidence cannot be used with --each (one evidence file per run)") }
        if each && !candidates.isEmpty { throw ValidationError("--candidates cannot be used with --each (each capture's sidecar is found beside it)") }
        if each && summary { throw ValidationError("--summary cannot be used with --each") }
    }

    func run() throws {
        if summary { return try runSummary() }
        if each { return try runEach() }
        output.fileMode.apply()
        // Before reading anything: every output writable as what it is, and none of them an input.
        let outputs = try OutputSafety.inspect(output.outputPaths, command: "analyze")
        try OutputSafety.refuse(outputs, overwriting: files + Self.sidecarPaths(files) + candidates, command: "analyze")
        // Each capture opened once (a pipe is read once, into a private temporary file); every pass reads that.
        let held: OpenCaptureInputs
        do { held = try OpenCaptureInputs(paths: files) } catch {
            printError("error: \(escapedForTerminal(error.description))")
            throw ExitCode.inputError
        }
        defer { withExtendedLifetime(held) {} }
        let options = analysisOptions()
        let meter = progress.start(command: "analyze", inputBytes: DissectCommand.sizes(files), passes: 2)
        defer { meter?.stop() }
        let record = try output.record(inputs: held.inputs, options: options) { analysis in
            // Sidecars named inside the captures were read too: no output may replace them either.
            try OutputSafety.refuseOpened(outputs, command: "analyze")
            Self.reportDamage(analysis)
        }
        meter?.stop()
        try output.emit(record)
        throw Self.exitCode(record.analysis, failOn: failOn)
    }

    /// The analysis options the command line gives (the same for every file with --each).
    func analysisOptions() -> AnalysisOptions {
        var options = AnalysisOptions()
        options.tunnelNames = tunnels
        options.physicalNames = physicals
        options.vpnEndpoints = endpoints
        for m in ifindex { options.interfaceIndexNames.merge(m.names) { _, b in b } }
        if let r = interfaceRole {
            options.classicInterfaceRole = r == .tunnel ? .tunnel : .physical
            options.classicInterfaceRoleGiven = true
        }
        options.tunnelGapNanoseconds = Int64(gap * 1e9)
        options.groupGapNanoseconds = Int64(groupGap * 1e9)
        options.candidateFiles = candidates
        options.discoverCandidates = !noCandidates
        options.carrierFastPath = !noFastPath
        options.readAheadMinimumBytes = noReadAhead ? nil : max(0, readAheadFrom)
        return options
    }

    /// One line on stderr per damaged input (whatever the format and output), and the
    /// note that an input is an unfinished live capture.
    static func reportDamage(_ a: Analysis) {
        for f in a.files {
            if let d = f.damage { printError("leakscope analyze: damaged input: \(escapedForTerminal(d))") }
            for w in f.warnings where w.contains("did not stop cleanly") {
                printError("leakscope analyze: \(escapedForTerminal(w))")
            }
        }
    }

    /// Files the analysis may read beside each capture (their identity is checked against the outputs).
    static func sidecarPaths(_ files: [String]) -> [String] {
        files.filter { $0 != "-" }.flatMap { f in
            var r = [f + ".ifindex", f + ".interfaces", f + ".candidates.json"]
            for ext in [".pcapng", ".pcap", ".cap"] where f.hasSuffix(ext) {
                r.append(String(f.dropLast(ext.count)) + ".candidates.json")
            }
            return r
        }
    }

    static func exitCode(_ a: Analysis, failOn: FailOn) -> ExitCode {
        let threshold: Severity? = switch failOn {
        case .none: nil
        case .low: .low
        case .medium: .medium
        case .high: .high
        }
        return ExitCode(a.exitStatus(failOn: threshold))
    }

    /// The files helper's per-interface summary (kept reachable as --summary).
    func runSummary() throws {
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

/// `--ifindex 3=wg0`, parsed once with the arguments (the sidecar's line syntax).
struct InterfaceIndexNames: ExpressibleByArgument {
    var names: [UInt32: String]
    init?(argument: String) {
        names = InterfaceNameTable.parse(argument)
        if names.isEmpty { return nil }
    }
}

/// `--vpn-endpoint 203.0.113.1:51820`, `[2001:db8::1]:51820`, `198.51.100.7`.
extension EndpointSpec: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// One line to stderr.
private func printError(_ line: String) { StandardStream.error.write(line + "\n") }
