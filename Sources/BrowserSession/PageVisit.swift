#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Opens one page in a fresh browser, keeps it open for `duration` seconds
/// (or until the browser exits), then stops the browser's process group.
public enum PageVisit {
    public static func run(url: String, duration: Double, launcher: any BrowserLauncher) throws(ProbeError) {
        let browser: RunningBrowser
        do { browser = try launcher.launch(url: url, policy: .default, mdns: true) } catch { throw ProbeError(description: error.description) }
        let deadline = Date().addingTimeInterval(duration)
        while Date() < deadline && browser.isRunning() { usleep(50_000) }
        browser.stop()
    }

    /// "http://probe.lab.test:8080/x" -> "probe.lab.test" (nil for IP literals).
    public static func host(of url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.split(separator: "/", maxSplits: 1).first ?? ""
        let hostPort = authority.split(separator: "@").last ?? ""
        if hostPort.hasPrefix("[") { return nil }
        let host = String(hostPort.split(separator: ":").first ?? "")
        if host.isEmpty || host.allSatisfy({ $0.isNumber || $0 == "." }) { return nil }
        return host
    }
}
