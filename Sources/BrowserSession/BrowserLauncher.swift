#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ProcessSpawning

/// The browsers the probe can drive.
public enum BrowserKind: String, CaseIterable, Sendable, Codable {
    case chromium, firefox
}

public struct LaunchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Starts one headless browser on a URL with one round's WebRTC settings, in a
/// process group of its own and with a fresh profile, removed when it stops.
public protocol BrowserLauncher: Sendable {
    var kind: BrowserKind { get }
    var executable: String { get }
    /// The exact WebRTC switches (Chromium) or preferences (Firefox) a round runs
    /// with, as the sidecar records them.
    func webRTCSettings(policy: WebRTCPolicy, mdns: Bool) -> [String]
    func launch(url: String, policy: WebRTCPolicy, mdns: Bool) throws(LaunchError) -> RunningBrowser
}

extension BrowserLauncher {
    /// The browser's own version from `EXECUTABLE --version` ("Chromium 156.0.8078.114 built on
    /// Debian ..." -> "156.0.8078.114", "Mozilla Firefox 153.8.0esr" -> "153.8.0esr"); nil when it
    /// does not answer within 20 s.
    public func version() -> String? {
        guard let r = try? SpawnedProcess.output(of: [executable, "--version"], timeout: 20, limit: 4096),
              r.exit == .exited(0) else { return nil }
        return BrowserVersion.parse(String(decoding: r.stdout, as: UTF8.self))
    }
}

enum BrowserVersion {
    /// The first word that starts with a digit, from the first line that has one.
    static func parse(_ text: String) -> String? {
        for line in text.split(separator: "\n") {
            if let word = line.split(separator: " ").first(where: { $0.first?.isNumber == true }) {
                return String(word.prefix(64))
            }
        }
        return nil
    }
}

/// A launched browser: its process group (= its pid) and its profile directory.
public final class RunningBrowser {
    public let process: SpawnedProcess
    public let profileDirectory: String

    init(process: SpawnedProcess, profileDirectory: String) {
        self.process = process; self.profileDirectory = profileDirectory
    }

    public var pid: pid_t { process.pid }

    /// True while the main browser process has not exited.
    public func isRunning() -> Bool { process.isRunning }

    /// SIGTERM to the main process (it shuts down and reaps its helpers), up to `grace`
    /// seconds, then SIGKILL to the whole group; then the profile directory is removed.
    public func stop(grace: Double = 3) {
        process.terminate(grace: grace)
        _ = try? FileManager.default.removeItem(atPath: profileDirectory)
    }
}

enum BrowserProfile {
    /// A new private (0700) directory for one launch.
    static func create(_ browser: BrowserKind) throws(LaunchError) -> String {
        let dir = "/tmp/leakscope-\(browser.rawValue)-\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw LaunchError("cannot create a profile directory \(dir): \(error)")
        }
        return dir
    }

    /// Starts `argv` in its own process group, output appended to `logPath`; removes `dir` on failure.
    static func spawn(_ argv: [String], profile dir: String, logPath: String, environment: [String: String] = [:])
        throws(LaunchError) -> RunningBrowser
    {
        do {
            let p = try SpawnedProcess(argv, options: SpawnOptions(
                stdin: .null, stdout: .append(logPath), stderr: .stdout, newProcessGroup: true,
                searchPath: false, environment: environment))
            return RunningBrowser(process: p, profileDirectory: dir)
        } catch {
            _ = try? FileManager.default.removeItem(atPath: dir)
            throw LaunchError(error.description)
        }
    }

    /// The first of `names` found executable on PATH.
    static func find(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for dir in path.split(separator: ":") where access("\(dir)/\(name)", X_OK) == 0 {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }
}
