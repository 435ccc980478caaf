#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Starts headless Firefox (Debian's firefox-esr) in its own process group with a
/// fresh profile whose user.js holds the round's WebRTC preferences, all five
/// written explicitly so a round never depends on the browser's defaults, and
/// preferences that keep Firefox's own background traffic (updates, telemetry,
/// remote settings, captive-portal checks, DNS over HTTPS, prefetching) off the wire.
public struct FirefoxLauncher: BrowserLauncher {
    public var kind: BrowserKind { .firefox }
    public var executable: String
    /// Where Firefox's stdout/stderr go; /dev/null by default.
    public var logPath: String

    public init(executable: String? = nil, logPath: String? = nil) {
        self.executable = executable ?? FirefoxLauncher.find() ?? "firefox-esr"
        self.logPath = logPath ?? "/dev/null"
    }

    public static func find() -> String? { BrowserProfile.find(["firefox-esr", "firefox"]) }

    /// A user.js value.
    public enum Preference: Equatable, Sendable, CustomStringConvertible {
        case bool(Bool), int(Int), string(String)
        public var description: String {
            switch self {
            case .bool(let b): b ? "true" : "false"
            case .int(let i): String(i)
            case .string(let s): "\"" + s.unicodeScalars.map { c in
                c == "\"" || c == "\\" ? "\\\(c)" : c.value < 0x20 ? String(format: "\\u%04x", c.value) : String(c)
            }.joined() + "\""
            }
        }
    }

    /// The five WebRTC preferences of a round, in a fixed order.
    public static func webRTCPreferences(policy: WebRTCPolicy, mdns: Bool) -> [(String, Preference)] {
        [
            ("media.peerconnection.enabled", .bool(policy != .disabled)),
            ("media.peerconnection.ice.default_address_only", .bool(policy == .defaultAddressOnly)),
            ("media.peerconnection.ice.no_host", .bool(policy == .noHost)),
            ("media.peerconnection.ice.proxy_only", .bool(policy == .proxyOnly)),
            ("media.peerconnection.ice.obfuscate_host_addresses", .bool(mdns)),
        ]
    }

    /// Firefox's own network activity, switched off: only the probe page and the ICE servers remain.
    public static let quietPreferences: [(String, Preference)] = [
        ("app.normandy.enabled", .bool(false)),
        ("app.shield.optoutstudies.enabled", .bool(false)),
        ("app.update.auto", .bool(false)),
        ("app.update.disabledForTesting", .bool(true)),
        ("browser.aboutwelcome.enabled", .bool(false)),
        ("browser.contentblocking.database.enabled", .bool(false)),
        ("browser.discovery.enabled", .bool(false)),
        ("browser.newtabpage.activity-stream.feeds.section.topstories", .bool(false)),
        ("browser.newtabpage.activity-stream.feeds.system.topsites", .bool(false)),
        ("browser.newtabpage.activity-stream.feeds.system.topstories", .bool(false)),
        ("browser.newtabpage.activity-stream.feeds.topsites", .bool(false)),
        ("browser.newtabpage.activity-stream.telemetry", .bool(false)),
        ("browser.newtabpage.enabled", .bool(false)),
        ("browser.ping-centre.telemetry", .bool(false)),
        ("browser.places.speculativeConnect.enabled", .bool(false)),
        ("browser.region.network.url", .string("")),
        ("browser.region.update.enabled", .bool(false)),
        ("browser.safebrowsing.blockedURIs.enabled", .bool(false)),
        ("browser.safebrowsing.downloads.enabled", .bool(false)),
        ("browser.safebrowsing.downloads.remote.enabled", .bool(false)),
        ("browser.safebrowsing.malware.enabled", .bool(false)),
        ("browser.safebrowsing.phishing.enabled", .bool(false)),
        ("browser.safebrowsing.provider.google4.updateURL", .string("")),
        ("browser.safebrowsing.provider.mozilla.updateURL", .string("")),
        ("browser.search.geoip.url", .string("")),
        ("browser.search.update", .bool(false)),
        ("browser.sessionstore.resume_from_crash", .bool(false)),
        ("browser.shell.checkDefaultBrowser", .bool(false)),
        ("browser.startup.homepage_override.mstone", .string("ignore")),
        ("browser.startup.page", .int(0)),
        ("browser.tabs.warnOnClose", .bool(false)),
        ("browser.topsites.contile.enabled", .bool(false)),
        ("browser.urlbar.speculativeConnect.enabled", .bool(false)),
        ("browser.urlbar.suggest.quicksuggest.sponsored", .bool(false)),
        ("captivedetect.canonicalURL", .string("")),
        ("datareporting.healthreport.uploadEnabled", .bool(false)),
        ("datareporting.policy.dataSubmissionEnabled", .bool(false)),
        ("datareporting.policy.firstRunURL", .string("")),
        ("dom.push.connection.enabled", .bool(false)),
        ("dom.push.serverURL", .string("")),
        ("extensions.blocklist.enabled", .bool(false)),
        ("extensions.getAddons.cache.enabled", .bool(false)),
        ("extensions.update.enabled", .bool(false)),
        ("geo.provider.network.url", .string("")),
        ("media.gmp-gmpopenh264.enabled", .bool(false)),
        ("media.gmp-manager.url", .string("")),
        ("media.gmp-provider.enabled", .bool(false)),
        ("network.captive-portal-service.enabled", .bool(false)),
        ("network.connectivity-service.enabled", .bool(false)),
        ("network.dns.disablePrefetch", .bool(true)),
        ("network.http.speculative-parallel-limit", .int(0)),
        ("network.predictor.enabled", .bool(false)),
        ("network.prefetch-next", .bool(false)),
        // Plain connections only: no system proxy (so no WPAD lookup) and no DNS over HTTPS (mode 5: off by choice).
        ("network.proxy.type", .int(0)),
        ("network.trr.mode", .int(5)),
        ("security.OCSP.enabled", .int(0)),
        ("services.settings.server", .string("data:,#remote-settings-dummy/v1")),
        ("services.sync.engine.addons", .bool(false)),
        ("toolkit.coverage.opt-out", .bool(true)),
        ("toolkit.telemetry.archive.enabled", .bool(false)),
        ("toolkit.telemetry.bhrPing.enabled", .bool(false)),
        ("toolkit.telemetry.coverage.opt-out", .bool(true)),
        ("toolkit.telemetry.firstShutdownPing.enabled", .bool(false)),
        ("toolkit.telemetry.newProfilePing.enabled", .bool(false)),
        ("toolkit.telemetry.shutdownPingSender.enabled", .bool(false)),
        ("toolkit.telemetry.updatePing.enabled", .bool(false)),
        ("toolkit.telemetry.enabled", .bool(false)),
        ("toolkit.telemetry.server", .string("")),
        ("toolkit.telemetry.unified", .bool(false)),
    ]

    /// Mozilla service hosts seen in the lab's captures despite the preferences above.
    public static let mozillaHosts = [
        "firefox.settings.services.mozilla.com", "firefox-settings-attachments.cdn.mozilla.net",
        "incoming.telemetry.mozilla.org", "content-signature-2.cdn.mozilla.net",
    ]

    public func webRTCSettings(policy: WebRTCPolicy, mdns: Bool) -> [String] {
        Self.webRTCPreferences(policy: policy, mdns: mdns).map { "\($0.0)=\($0.1)" }
    }

    /// Names Firefox 153 still looks up through its own resolver with all of the above (Remote
    /// Settings, Glean pings): answered as localhost inside the browser (`network.dns.localDomains`),
    /// so they never reach the wire. (Its profile lock also resolves the machine's own name, through
    /// the system resolver: /etc/hosts normally has it; the lab's namespaces list it.)
    public static var localDomains: String { mozillaHosts.joined(separator: ",") }

    /// The profile's user.js for one round.
    public static func userJS(policy: WebRTCPolicy, mdns: Bool) -> String {
        (quietPreferences + [("network.dns.localDomains", .string(localDomains))]
            + webRTCPreferences(policy: policy, mdns: mdns))
            .map { "user_pref(\(Preference.string($0.0)), \($0.1));\n" }.joined()
    }

    public static let environment = ["MOZ_CRASHREPORTER_DISABLE": "1", "MOZ_REMOTE_SETTINGS_DEVTOOLS": "1"]

    /// The arguments for one launch (exposed for tests and for the log).
    public func arguments(url: String, profileDirectory: String) -> [String] {
        ["--headless", "--no-remote", "--new-instance", "--profile", profileDirectory, url]
    }

    /// Launches Firefox on `url` with the round's preferences; returns the running browser.
    public func launch(url: String, policy: WebRTCPolicy = .default, mdns: Bool = true) throws(LaunchError) -> RunningBrowser {
        guard policy.isSupported(by: .firefox) else { throw LaunchError("policy \(policy.rawValue) is not a Firefox policy") }
        let dir = try BrowserProfile.create(.firefox)
        do {
            try Data(Self.userJS(policy: policy, mdns: mdns).utf8).write(to: URL(fileURLWithPath: dir + "/user.js"))
        } catch {
            _ = try? FileManager.default.removeItem(atPath: dir)
            throw LaunchError("cannot write \(dir)/user.js: \(error)")
        }
        // No crash reporter (it would write under $HOME and offer to send reports); let
        // services.settings.server apply outside automation (release builds ignore it otherwise).
        return try BrowserProfile.spawn([executable] + arguments(url: url, profileDirectory: dir), profile: dir,
                                        logPath: logPath, environment: Self.environment)
    }
}
