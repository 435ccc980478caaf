#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Starts headless Chromium in its own process group and stops that group.
/// Each launch gets a fresh --user-data-dir, removed when the browser stops.
public struct ChromiumLauncher: BrowserLauncher {
    public var kind: BrowserKind { .chromium }
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

    public static func find() -> String? { BrowserProfile.find(["chromium", "chromium-browser", "google-chrome", "chrome"]) }

    public func webRTCSettings(policy: WebRTCPolicy, mdns: Bool) -> [String] {
        var s: [String] = []
        if policy != .default { s.append("--webrtc-ip-handling-policy=\(policy.rawValue)") }
        if !mdns { s.append("--disable-features=WebRtcHideLocalIpsWithMdns") }
        return s
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
        args += webRTCSettings(policy: policy, mdns: mdns)
        args.append(url)
        return args
    }

    /// Launches Chromium on `url`; returns the running browser.
    public func launch(url: String, policy: WebRTCPolicy = .default, mdns: Bool = true) throws(LaunchError) -> RunningBrowser {
        guard policy.isSupported(by: .chromium) else { throw LaunchError("policy \(policy.rawValue) is not a Chromium policy") }
        let dir = try BrowserProfile.create(.chromium)
        if geteuid() == 0 {
            FileHandle.standardError.write(Data("leakscope: running Chromium as root with --no-sandbox (euid 0)\n".utf8))
        }
        return try BrowserProfile.spawn([executable] + arguments(url: url, userDataDir: dir, policy: policy, mdns: mdns),
                                        profile: dir, logPath: logPath)
    }
}
