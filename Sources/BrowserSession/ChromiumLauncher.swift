#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Starts headless Chromium in its own process group and stops that group.
/// Each launch gets a fresh --user-data-dir, removed when the browser stops.
public struct ChromiumLauncher: Sendable {
    public var executable: String
    /// `--host-resolver-rules`; nil passes none. The default keeps Chromium's own
    /// Google lookups off the wire (see docs/browser-sessions.md).
    public var resolverRules: String?
    /// Where Chromium's stdout/stderr go; /dev/null by default.
    public var logPath: String

    public init(executable: String? = nil, resolverRules: String? = nil, logPath: String? = nil) {
        self.executable = executable ?? ChromiumLauncher.find() ?? "chromium"
        self.resolverRules = resolverRules
        self.logPath = logPath ?? "/dev/null"
    }

    /// Rules that send every name to NOTFOUND except the listed hosts and loopback.
    /// Chromium's WebRTC stack resolves ICE server names fully qualified ("stun.lab.test."),
    /// so each host is excluded with and without the trailing dot.
    public static func resolverRules(allowing hosts: [String]) -> String {
        var rules = ["MAP * ~NOTFOUND", "EXCLUDE 127.0.0.1", "EXCLUDE localhost"]
        var seen = Set<String>()
        for h in hosts where !h.isEmpty && seen.insert(h).inserted {
            let bare = h.hasSuffix(".") ? String(h.dropLast()) : h
            rules.append("EXCLUDE \(bare)")
            rules.append("EXCLUDE \(bare).")
        }
        return rules.joined(separator: ", ")
    }

    public static func find() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "chrome"] {
            for dir in path.split(separator: ":") where access("\(dir)/\(name)", X_OK) == 0 {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    public struct LaunchError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The arguments for one launch (exposed for tests and for the log).
    public func arguments(url: String, userDataDir: String, policy: WebRTCPolicy, mdns: Bool) -> [String] {
        var args = [
            "--headless=new", "--disable-gpu", "--user-data-dir=\(userDataDir)",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
            "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--metrics-recording-only",
            "--password-store=basic", "--use-mock-keychain", "--mute-audio",
        ]
        if geteuid() == 0 { args.append("--no-sandbox") }
        if let rules = resolverRules { args.append("--host-resolver-rules=\(rules)") }
        if policy != .default { args.append("--webrtc-ip-handling-policy=\(policy.rawValue)") }
        if !mdns { args.append("--disable-features=WebRtcHideLocalIpsWithMdns") }
        args.append(url)
        return args
    }

    /// Launches Chromium on `url`; returns the running browser.
    public func launch(url: String, policy: WebRTCPolicy = .default, mdns: Bool = true) throws(LaunchError) -> RunningBrowser {
        let dir = "/tmp/leakscope-chromium-\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw LaunchError(description: "cannot create a user-data-dir \(dir): \(error)")
        }
        if geteuid() == 0 {
            FileHandle.standardError.write(Data("leakscope: running Chromium as root with --no-sandbox (euid 0)\n".utf8))
        }
        let argv = [executable] + arguments(url: url, userDataDir: dir, policy: policy, mdns: mdns)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attr, 0)
        var noSignals = sigset_t(); sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attr, &noSignals)
        var defaults = sigset_t(); sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT); sigaddset(&defaults, SIGTERM); sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attr, &cArgs, environ)
        guard rc == 0 else {
            _ = try? FileManager.default.removeItem(atPath: dir)
            throw LaunchError(description: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        return RunningBrowser(pid: pid, userDataDir: dir)
    }
}

/// A launched browser: its process group (= its pid) and its profile directory.
public struct RunningBrowser: Sendable {
    public let pid: pid_t
    public let userDataDir: String

    /// True while the main browser process has not exited.
    public func isRunning() -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    /// SIGTERM to the main process (it shuts down and reaps its helpers), up to `grace`
    /// seconds, then SIGKILL to the whole group; reaps the main process and removes the
    /// profile directory.
    public func stop(grace: Double = 3) {
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        var status: Int32 = 0
        var reaped = false
        while Date() < deadline {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || r < 0 { reaped = true; break }
            usleep(50_000)
        }
        // Helpers may outlive the main process: the group gets SIGKILL either way.
        kill(-pid, SIGKILL)
        if !reaped { _ = waitpid(pid, &status, 0) }
        // Give killed helpers a moment to release the profile before removing it.
        for _ in 0..<20 where kill(-pid, 0) == 0 { usleep(50_000) }
        _ = try? FileManager.default.removeItem(atPath: userDataDir)
    }
}

/// Chromium's --webrtc-ip-handling-policy values.
public enum WebRTCPolicy: String, Sendable, CaseIterable, Codable {
    case `default` = "default"
    case defaultPublicInterfaceOnly = "default_public_interface_only"
    case defaultPublicAndPrivateInterfaces = "default_public_and_private_interfaces"
    case disableNonProxiedUDP = "disable_non_proxied_udp"
}
