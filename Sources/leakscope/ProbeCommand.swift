import ArgumentParser
import BrowserCandidates
import BrowserSession
import CaptureFiles
import Foundation
import OutputFiles

/// `leakscope probe`: ask a real browser which ICE candidates it gathers.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Run the WebRTC probe page in headless Chromium or Firefox and list the ICE candidates it gathered.",
        discussion: """
            Serves a small page on 127.0.0.1 (ephemeral port), opens it in a fresh headless
            browser once per round (each --policy x each --mdns setting), waits for ICE
            gathering to complete, and writes the candidates as JSON (--out; schema in
            docs/browser-sessions.md) and a table.

            Policies: default (both browsers); Chromium's --webrtc-ip-handling-policy values
            default_public_interface_only, default_public_and_private_interfaces,
            disable_non_proxied_udp; Firefox's preferences default_address_only, no_host,
            proxy_only (media.peerconnection.ice.*) and disabled (media.peerconnection.enabled
            false). --mdns sets Chromium's WebRtcHideLocalIpsWithMdns feature or Firefox's
            media.peerconnection.ice.obfuscate_host_addresses.

            Example:
              leakscope probe --stun stun:203.0.113.10:3478 \\
                  --turn turn:203.0.113.10:3478 --turn-user lab --turn-pass labpass \\
                  --policy default --policy disable_non_proxied_udp --mdns on --mdns off \\
                  --out session.candidates.json
              leakscope probe --browser firefox --stun stun:203.0.113.10:3478 \\
                  --policy default --policy no_host --mdns on --mdns off
              leakscope probe --url http://probe.lab.test/ --duration 5
            """
    )

    @Option(name: .customLong("browser"), help: "Browser to run: chromium or firefox.")
    var browser: BrowserKind = .chromium

    @Option(name: .customLong("url"), help: "Open this page instead of the probe page, for --duration seconds (no candidates collected).")
    var url: String?

    @Option(name: .customLong("duration"), help: "Seconds a --url page stays open.")
    var duration: Double = 10

    @Option(name: .customLong("stun"), help: "STUN server URL (repeatable), e.g. stun:203.0.113.10:3478.")
    var stun: [String] = []

    @Option(name: .customLong("turn"), help: "TURN server URL (repeatable), e.g. turn:203.0.113.10:3478?transport=udp.")
    var turn: [String] = []

    @Option(name: .customLong("turn-user"), help: "TURN username.")
    var turnUser: String?

    @Option(name: .customLong("turn-pass"), help: "TURN password.")
    var turnPass: String?

    @Option(name: .customLong("policy"), help: "WebRTC policy per round (repeatable). Chromium: \(WebRTCPolicy.all(for: .chromium).map(\.rawValue).joined(separator: ", ")); Firefox: \(WebRTCPolicy.all(for: .firefox).map(\.rawValue).joined(separator: ", ")).")
    var policy: [WebRTCPolicy] = []

    @Option(name: .customLong("mdns"), help: "Hide host addresses behind mDNS names: on or off (repeatable, one round each).")
    var mdns: [OnOff] = []

    @Option(name: .customLong("out"), help: "Write the candidate list (JSON) here.")
    var out: String?

    @Option(name: .customLong("capture-name"), help: "Capture file name to record in the JSON's \"capture\" key.")
    var captureName: String?

    @Option(name: .customLong("timeout"), help: "Seconds to wait for ICE gathering per round.")
    var timeout: Double = 10

    @Option(name: .customLong("chromium"), help: "Chromium executable (default: chromium on PATH).")
    var chromium: String?

    @Option(name: .customLong("firefox"), help: "Firefox executable (default: firefox-esr or firefox on PATH).")
    var firefox: String?

    @Option(name: .customLong("resolver-rules"), help: "Chromium --host-resolver-rules (default: only the ICE server names and loopback resolve; \"\" for none).")
    var resolverRules: String?

    @Option(name: .customLong("browser-log"), help: "Append the browser's own output to this file.")
    var browserLog: String?

    func validate() throws {
        if browser != .chromium && (chromium != nil || resolverRules != nil) {
            throw ValidationError("--chromium and --resolver-rules are for --browser chromium")
        }
        if browser != .firefox && firefox != nil { throw ValidationError("--firefox is for --browser firefox") }
        for p in policy where !p.isSupported(by: browser) {
            throw ValidationError("--policy \(p.rawValue) is not a \(browser.rawValue) policy (\(WebRTCPolicy.all(for: browser).map(\.rawValue).joined(separator: ", ")))")
        }
        if url != nil {
            guard stun.isEmpty && turn.isEmpty else { throw ValidationError("--url excludes --stun/--turn") }
            guard duration > 0 && duration <= 3600 else { throw ValidationError("--duration must be in (0, 3600] seconds") }
            return
        }
        guard !stun.isEmpty || !turn.isEmpty else { throw ValidationError("give at least one --stun or --turn server") }
        for s in stun where !s.hasPrefix("stun:") && !s.hasPrefix("stuns:") {
            throw ValidationError("--stun \(s): expected stun:HOST:PORT")
        }
        for t in turn where !t.hasPrefix("turn:") && !t.hasPrefix("turns:") {
            throw ValidationError("--turn \(t): expected turn:HOST:PORT")
        }
        if !turn.isEmpty && (turnUser == nil || turnPass == nil) {
            throw ValidationError("--turn needs --turn-user and --turn-pass")
        }
        guard timeout > 0 && timeout <= 300 else { throw ValidationError("--timeout must be in (0, 300] seconds") }
    }

    @OptionGroup var fileMode: FileModeOption

    func run() throws {
        fileMode.apply()
        let outputs = [out.map { (option: "--out", path: $0) }, browserLog.map { (option: "--browser-log", path: $0) }]
        _ = try OutputSafety.inspect(outputs.compactMap { $0 }, command: "probe")
        if let url {
            let launcher = launcher(allowing: PageVisit.host(of: url).map { [$0] } ?? [])
            do { try PageVisit.run(url: url, duration: duration, launcher: launcher) } catch {
                StandardStream.error.write("leakscope probe: \(error.description)\n")
                throw ExitCode.runtimeError
            }
            return
        }
        var config = ProbeConfiguration(stun: stun, turn: turn, turnUser: turnUser, turnPass: turnPass,
                                        policies: policy.isEmpty ? [.default] : policy,
                                        mdns: mdns.isEmpty ? [true] : mdns.map { $0 == .on },
                                        gatheringTimeout: timeout, captureName: captureName)
        config.launcher = launcher(allowing: config.serverHosts)
        let record: CandidateSidecar
        do {
            record = try ProbeSession.run(config) { line in
                StandardStream.error.write("leakscope probe: \(line)\n")
            }
        } catch {
            StandardStream.error.write("leakscope probe: \(error.description)\n")
            throw ExitCode.runtimeError
        }
        if let out {
            do { try OutputFile.write(Array(try record.encoded()), to: out) } catch {
                StandardStream.error.write("leakscope probe: \(error)\n")
                throw ExitCode.runtimeError
            }
        }
        print(record.table(), terminator: "")
        if record.rounds.contains(where: { $0.failure != nil }) { throw ExitCode.runtimeError }
    }
}

extension ProbeCommand {
    /// The chosen browser's launcher; for Chromium, resolver rules that let only `hosts` resolve.
    func launcher(allowing hosts: [String]) -> any BrowserLauncher {
        switch browser {
        case .chromium:
            let rules = resolverRules.map { $0.isEmpty ? nil : $0 } ?? ChromiumLauncher.resolverRules(allowing: hosts)
            return ChromiumLauncher(executable: chromium, resolverRules: rules, logPath: browserLog)
        case .firefox:
            return FirefoxLauncher(executable: firefox, logPath: browserLog)
        }
    }
}

enum OnOff: String, ExpressibleByArgument, CaseIterable { case on, off }
extension WebRTCPolicy: ExpressibleByArgument {}
extension BrowserKind: ExpressibleByArgument {}
