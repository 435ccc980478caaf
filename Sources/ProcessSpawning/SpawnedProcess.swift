#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One child process started with posix_spawn: the only place in LeakScope
/// that starts programs (the capture's command, the browsers, test helpers).
///
/// The child starts with default dispositions for the signals the parent may
/// catch or ignore (INT, TERM, HUP, PIPE, CHLD) and an empty signal mask:
/// capture threads and test threads run with signals blocked, and a child must
/// not inherit that.
public final class SpawnedProcess {
    public let pid: pid_t
    public let argv: [String]
    /// True when the child leads its own process group (`SpawnOptions.newProcessGroup`).
    public let ownsGroup: Bool
    public private(set) var exit: ProcessExit?

    public init(_ argv: [String], options: SpawnOptions = SpawnOptions()) throws(SpawnError) {
        guard let file = argv.first, !file.isEmpty else { throw SpawnError(executable: "", errno: EINVAL) }
        self.argv = argv
        ownsGroup = options.newProcessGroup

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
        var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        if options.newProcessGroup {
            flags |= POSIX_SPAWN_SETPGROUP
            posix_spawnattr_setpgroup(&attr, 0)
        }
        posix_spawnattr_setflags(&attr, Int16(flags))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        Self.redirect(&actions, fd: 0, options.stdin, readOnly: true)
        Self.redirect(&actions, fd: 1, options.stdout, readOnly: false)
        Self.redirect(&actions, fd: 2, options.stderr, readOnly: false)

        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var cEnv = Self.environment(adding: options.environment)
        defer { for p in cEnv { free(p) } }
        var child: pid_t = 0
        let rc = options.searchPath
            ? posix_spawnp(&child, file, &actions, &attr, &cArgs, &cEnv)
            : posix_spawn(&child, file, &actions, &attr, &cArgs, &cEnv)
        guard rc == 0 else { throw SpawnError(executable: file, errno: rc) }
        pid = child
    }

    /// Reaps the child if it has ended (non-blocking).
    @discardableResult
    public func poll() -> ProcessExit? {
        if let exit { return exit }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exit = ProcessExit(waitStatus: status) }
        return exit
    }

    public var isRunning: Bool { poll() == nil }

    /// Waits for the end (blocking).
    @discardableResult
    public func wait() -> ProcessExit {
        if let exit { return exit }
        var status: Int32 = 0
        var r: pid_t
        repeat { r = waitpid(pid, &status, 0) } while r < 0 && errno == EINTR
        let e = r == pid ? ProcessExit(waitStatus: status) : .signaled(SIGKILL)
        exit = e
        return e
    }

    /// SIGTERM to the child, up to `grace` seconds for it to end, then SIGKILL.
    /// With its own process group, the whole group gets SIGKILL afterwards either
    /// way (a browser's helpers may outlive its main process), and this waits
    /// briefly for the group to be gone.
    @discardableResult
    public func terminate(grace: Double = 2) -> ProcessExit {
        if poll() == nil {
            kill(pid, SIGTERM)
            let deadline = Self.monotonicNanoseconds() + Int64(grace * 1e9)
            while poll() == nil && Self.monotonicNanoseconds() < deadline { usleep(20_000) }
        }
        if ownsGroup { kill(-pid, SIGKILL) }
        if poll() == nil { kill(pid, SIGKILL) }
        let e = wait()
        if ownsGroup { for _ in 0..<40 where kill(-pid, 0) == 0 { usleep(50_000) } }
        return e
    }

    /// Runs `argv` to its end with stdout captured (at most `limit` bytes kept),
    /// stdin and stderr on /dev/null; killed after `timeout` seconds. For short
    /// queries such as `chromium --version`.
    public static func output(of argv: [String], environment: [String: String] = [:], timeout: Double = 10,
                              limit: Int = 64 << 10) throws(SpawnError)
        -> (exit: ProcessExit, stdout: [UInt8])
    {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SpawnError(executable: argv.first ?? "", errno: errno) }
        let readEnd = fds[0], writeEnd = fds[1]
        // Other children must not inherit the pipe (the reader would wait for their end too).
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        defer { close(readEnd) }
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess(argv, options: SpawnOptions(stdin: .null, stdout: .descriptor(writeEnd), stderr: .null, environment: environment))
        } catch {
            close(writeEnd)
            throw error
        }
        close(writeEnd)
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        let deadline = monotonicNanoseconds() + Int64(timeout * 1e9)
        while true {
            let left = deadline - monotonicNanoseconds()
            if left <= 0 { break }
            var p = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let r = pollDescriptor(&p, min(left / 1_000_000, 1000))
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { continue }
            let n = buf.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            if out.count < limit { out += buf[0..<min(n, limit - out.count)] }
        }
        let exit = process.poll() ?? process.terminate(grace: 0.5)
        return (exit, out)
    }

    // MARK: - helpers

    private static func redirect(_ actions: inout posix_spawn_file_actions_t, fd: Int32, _ stream: SpawnOptions.Stream, readOnly: Bool) {
        switch stream {
        case .inherit: break
        case .null: posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", readOnly ? O_RDONLY : O_WRONLY, 0)
        case .append(let path): posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        case .stdout: posix_spawn_file_actions_adddup2(&actions, 1, fd)
        case .descriptor(let source): posix_spawn_file_actions_adddup2(&actions, source, fd)
        }
    }

    /// The parent's environment with `extra` set on top (malloc'd, nil-terminated).
    private static func environment(adding extra: [String: String]) -> [UnsafeMutablePointer<CChar>?] {
        var entries: [UnsafeMutablePointer<CChar>?] = []
        var i = 0
        while let p = environ[i] {
            let entry = String(cString: p)
            let name = entry.split(separator: "=", maxSplits: 1).first.map(String.init) ?? entry
            if extra[name] == nil { entries.append(strdup(p)) }
            i += 1
        }
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) { entries.append(strdup("\(k)=\(v)")) }
        return entries + [nil]
    }

    static func monotonicNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    private static func pollDescriptor(_ p: inout pollfd, _ milliseconds: Int64) -> Int32 {
        #if canImport(Glibc)
        Glibc.poll(&p, 1, Int32(milliseconds))
        #else
        Darwin.poll(&p, 1, Int32(milliseconds))
        #endif
    }

    static func errorText(_ e: Int32) -> String { String(cString: strerror(e)) }
}
