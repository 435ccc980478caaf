#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CaptureFiles
import OutputText

/// How the command run during a capture ended.
public enum ChildExit: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    init(waitStatus s: Int32) {
        let signal = s & 0x7F
        self = signal == 0 ? .exited((s >> 8) & 0xFF) : .signaled(signal)
    }

    public var description: String {
        switch self {
        case let .exited(code): "exited with status \(code)"
        case let .signaled(signal): "killed by signal \(signal)"
        }
    }
}

/// The command given after `--`, started with posix_spawnp (PATH lookup) with
/// default signal dispositions and an empty signal mask.
final class ChildProcess {
    let pid: pid_t
    let commandLine: String
    private(set) var exit: ChildExit?

    init(_ argv: [String]) throws(LiveCaptureError) {
        // Only for error messages; the browser session's argv holds the TURN password.
        commandLine = CommandLineText.redacted(argv).joined(separator: " ")
        guard let file = argv.first else { throw .usage("empty command after --") }
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, s) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setsigmask(&attr, &mask)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var child: pid_t = 0
        let rc = posix_spawnp(&child, file, nil, &attr, &cArgs, environ)
        guard rc == 0 else { throw .spawn(command: commandLine, errno: rc) }
        pid = child
    }

    /// Reaps the child if it has ended (non-blocking).
    @discardableResult
    func poll() -> ChildExit? {
        if let exit { return exit }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exit = ChildExit(waitStatus: status) }
        return exit
    }

    /// SIGTERM, then SIGKILL after `timeout` seconds; waits for the end.
    func terminate(timeout: Double = 2) -> ChildExit {
        if let exit = poll() { return exit }
        kill(pid, SIGTERM)
        let deadline = Clock.monotonic() + Int64(timeout * 1e9)
        while Clock.monotonic() < deadline {
            if let exit = poll() { return exit }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        exit = ChildExit(waitStatus: status)
        return exit ?? .signaled(SIGKILL)
    }
}

enum Clock {
    static func monotonic() -> Int64 { read(CLOCK_MONOTONIC) }
    static func wall() -> Int64 { read(CLOCK_REALTIME) }
    private static func read(_ id: clockid_t) -> Int64 {
        var ts = timespec()
        clock_gettime(id, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
