import ArgumentParser
import BrowserCandidates
import BrowserSession
import LiveCapture

#if canImport(Glibc)
import Glibc
#endif

/// `leakscope capture --browser chromium|firefox (--url URL | --probe-stun stun:HOST:PORT ...)`:
/// a browser session recorded by the capture. The session runs as the capture's
/// command (`leakscope probe ...`), so the capture starts before the browser and
/// stops (after --grace) when the browser has been closed; the probe's candidates
/// land next to the capture as CAPTURE.candidates.json.
struct BrowserOptions: ParsableArguments {
    @Option(name: .customLong("browser"), help: "Run this browser during the capture: chromium or firefox.")
    var browser: BrowserKind?

    @Option(name: .customLong("url"), help: "Page the browser opens (kept open for --browser-duration seconds).")
    var url: String?

    @Option(name: .customLong("probe-stun"), help: "Open the WebRTC probe page with this STUN server (repeatable).")
    var probeStun: [String] = []

    @Option(name: .customLong("probe-turn"), help: "TURN server for the probe page (repeatable).")
    var probeTurn: [String] = []

    @Option(name: .customLong("probe-turn-user"), help: "TURN username for the probe page.")
    var probeTurnUser: String?

    @Option(name: .customLong("probe-turn-pass"), help: "TURN password for the probe page.")
    var probeTurnPass: String?

    @Option(name: .customLong("probe-policy"), help: "WebRTC policy per probe round (repeatable; see leakscope probe --help).")
    var probePolicy: [WebRTCPolicy] = []

    @Option(name: .customLong("probe-mdns"), help: "mDNS host candidates on/off per probe round (repeatable).")
    var probeMdns: [OnOff] = []

    @Option(name: .customLong("browser-duration"), help: "Seconds a --url page stays open; for the probe, the ICE gathering timeout per round.")
    var browserDuration: Double = 10

    var requested: Bool { browser != nil || url != nil || !probeStun.isEmpty || !probeTurn.isEmpty }

    func validate() throws {
        guard requested else { return }
        guard let browser else { throw ValidationError("--url/--probe-stun need --browser chromium or --browser firefox") }
        for p in probePolicy where !p.isSupported(by: browser) {
            throw ValidationError("--probe-policy \(p.rawValue) is not a \(browser.rawValue) policy")
        }
        guard (url != nil) != (!probeStun.isEmpty || !probeTurn.isEmpty) else {
            throw ValidationError("--browser needs exactly one of --url URL or --probe-stun stun:HOST:PORT")
        }
        if !probeTurn.isEmpty && (probeTurnUser == nil || probeTurnPass == nil) {
            throw ValidationError("--probe-turn needs --probe-turn-user and --probe-turn-pass")
        }
        guard browserDuration > 0 && browserDuration <= 3600 else {
            throw ValidationError("--browser-duration must be in (0, 3600] seconds")
        }
    }

    /// The argv the capture runs while it records (nil when no browser was asked for).
    func sessionCommand(captureOutput: String, fileMode: [String] = []) -> [String]? {
        guard requested else { return nil }
        var argv = [Self.selfExecutable(), "probe", "--browser", (browser ?? .chromium).rawValue] + fileMode
        if let url {
            argv += ["--url", url, "--duration", String(browserDuration)]
        } else {
            for s in probeStun { argv += ["--stun", s] }
            for t in probeTurn { argv += ["--turn", t] }
            if let u = probeTurnUser { argv += ["--turn-user", u] }
            if let p = probeTurnPass { argv += ["--turn-pass", p] }
            for p in probePolicy { argv += ["--policy", p.rawValue] }
            for m in probeMdns { argv += ["--mdns", m.rawValue] }
            argv += ["--timeout", String(browserDuration)]
            argv += ["--capture-name", Self.fileName(captureOutput),
                     "--out", CandidateSidecar.sidecarPath(forCapture: captureOutput)]
        }
        return argv
    }

    /// The hook `leakscope capture` calls: runs the browser session as the capture's command
    /// and names the candidate sidecar in the pcapng section comment.
    func apply(to options: inout LiveCaptureOptions, captureOutput: String, fileMode: [String] = []) throws {
        guard let argv = sessionCommand(captureOutput: captureOutput, fileMode: fileMode) else { return }
        guard options.command.isEmpty else { throw ValidationError("--browser and a command after -- exclude each other") }
        options.command = argv
        if url == nil {
            let note = "browser candidates: \(Self.fileName(CandidateSidecar.sidecarPath(forCapture: captureOutput)))"
            options.section.comment = [options.section.comment, note].compactMap { $0 }.joined(separator: "\n")
        }
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    static func selfExecutable() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return CommandLine.arguments.first ?? "leakscope" }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
