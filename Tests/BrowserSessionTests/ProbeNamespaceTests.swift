#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing
@testable import BrowserSession

/// Real browser, real STUN server: two network namespaces joined by a veth,
/// coturn in one, the probe (loopback server + headless Chromium) in the other.
/// Needs root, iproute2, coturn and chromium (CI installs them via Scripts/setup).
enum ProbeLab {
    static func has(_ tool: String) -> Bool {
        ["/usr/bin", "/usr/sbin", "/bin", "/sbin"].contains { access("\($0)/\(tool)", X_OK) == 0 }
    }
    static var available: Bool {
        getuid() == 0 && has("ip") && has("turnserver") && ChromiumLauncher.find() != nil
    }

    /// Starts argv (via env, so PATH applies) with stdin/stdout/stderr on /dev/null.
    static func spawn(_ args: [String]) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_RDWR, 0) }
        let argv = ["/usr/bin/env"] + args
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        // Test threads run with signals blocked; the child must not inherit that mask.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var empty = sigset_t(); sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t(); sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM); sigaddset(&defaults, SIGINT); sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/env", &actions, &attr, &cArgs, environ) == 0 else { return nil }
        return pid
    }

    /// Runs argv to the end; its exit status (-1 when it could not start or was killed).
    @discardableResult
    static func sh(_ args: [String]) -> Int32 {
        guard let pid = spawn(args) else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
    }

    /// setns(2) is not in Swift's Glibc module (it needs _GNU_SOURCE): look it up at run time.
    static func joinNetworkNamespace(_ fd: Int32) -> Bool {
        typealias SetNS = @convention(c) (Int32, Int32) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, "setns") else { return false }
        let setns = unsafeBitCast(sym, to: SetNS.self)
        return setns(fd, 0x4000_0000 /* CLONE_NEWNET */) == 0
    }

    /// Runs `body` on a fresh thread that has joined network namespace `ns`
    /// (setns affects only the calling thread; the browser it spawns inherits it).
    static func inNamespace<T: Sendable>(_ ns: String, _ body: @escaping @Sendable () -> T) -> T? {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            let fd = open("/run/netns/\(ns)", O_RDONLY)
            guard fd >= 0 else { return }
            defer { close(fd) }
            guard joinNetworkNamespace(fd) else { return }
            let value = body()
            result.withLock { $0 = value }
        }
        thread.start()
        done.wait()
        return result.withLock { $0 }
    }
}

@Suite(.serialized) struct ProbeNamespaceTests {
    // Root + chromium + coturn only: builds namespaces and starts real processes.
    @Test(.enabled(if: ProbeLab.available, "needs root, iproute2, coturn and chromium"))
    func probeSeesItsPublicAddressAsSrflx() throws {
        // Unique per process (two test runs at once, e.g. from two worktrees, must not
        // share or delete each other's namespaces); interface names within 15 characters.
        let pid = Int(getpid())
        let c = "lsl-tpc\(pid)", s = "lsl-tps\(pid)"
        let vc = "lsl-tc\(pid % 100_000)", vs = "lsl-ts\(pid % 100_000)"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lsl-probe-test-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var turn: pid_t?
        defer {
            if let pid = turn {
                kill(pid, SIGTERM)
                var status: Int32 = 0
                var reaped = false
                for _ in 0..<40 where !reaped {
                    reaped = waitpid(pid, &status, WNOHANG) == pid
                    if !reaped { usleep(50_000) }
                }
                if !reaped { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
            }
            ProbeLab.sh(["ip", "netns", "del", c])
            ProbeLab.sh(["ip", "netns", "del", s])
            try? FileManager.default.removeItem(at: dir)
        }
        ProbeLab.sh(["ip", "netns", "del", c]); ProbeLab.sh(["ip", "netns", "del", s])
        for cmd in [
            ["ip", "netns", "add", c], ["ip", "netns", "add", s],
            // Made inside the namespaces (never in the host's), so deleting them removes it.
            ["ip", "link", "add", vc, "netns", c, "type", "veth", "peer", "name", vs, "netns", s],
            ["ip", "-n", c, "addr", "add", "198.51.100.2/24", "dev", vc],
            ["ip", "-n", s, "addr", "add", "198.51.100.10/24", "dev", vs],
            ["ip", "-n", c, "link", "set", vc, "up"], ["ip", "-n", s, "link", "set", vs, "up"],
            ["ip", "-n", c, "link", "set", "lo", "up"], ["ip", "-n", s, "link", "set", "lo", "up"],
            // Chromium's default policy gathers on the interface of the default route.
            ["ip", "-n", c, "route", "add", "default", "via", "198.51.100.10"],
        ] {
            try #require(ProbeLab.sh(cmd) == 0, "\(cmd.joined(separator: " ")) failed")
        }
        let conf = """
            listening-ip=198.51.100.10
            relay-ip=198.51.100.10
            listening-port=3478
            min-port=49160
            max-port=49170
            realm=lab.test
            lt-cred-mech
            user=lab:labpass
            fingerprint
            no-tls
            no-dtls
            no-cli
            userdb=\(dir.path)/turndb
            pidfile=\(dir.path)/turn.pid
            log-file=\(dir.path)/turn.log
            """
        let confURL = dir.appendingPathComponent("turnserver.conf")
        try conf.write(to: confURL, atomically: true, encoding: .utf8)
        let turnPID = try #require(ProbeLab.spawn(["ip", "netns", "exec", s, "turnserver", "-c", confURL.path]))
        turn = turnPID
        var listening = false
        for _ in 0..<100 where !listening {
            listening = ProbeLab.sh(["ip", "netns", "exec", s, "sh", "-c", "ss -Hlun | grep -q 198.51.100.10:3478"]) == 0
            if !listening { usleep(50_000) }
        }
        try #require(listening, "coturn did not listen on 198.51.100.10:3478")

        let config = ProbeConfiguration(
            stun: ["stun:198.51.100.10:3478"], turn: ["turn:198.51.100.10:3478?transport=udp"],
            turnUser: "lab", turnPass: "labpass", mdns: [false], gatheringTimeout: 5,
            launcher: ChromiumLauncher(resolverRules: ChromiumLauncher.resolverRules(allowing: [])))
        let outcome: Result<ProbeRecord, ProbeError>? = ProbeLab.inNamespace(c) {
            do throws(ProbeError) { return .success(try ProbeSession.run(config)) } catch { return .failure(error) }
        }
        let result = try #require(outcome, "could not enter namespace \(c)")
        let record = try result.get()
        let round = try #require(record.rounds.first)
        #expect(round.failure == nil)
        #expect(round.mdns == false)
        let srflx = round.candidates.filter { $0.type == "srflx" }
        let all = round.candidates.map { "\($0.type) \($0.address) raddr \($0.relatedAddress ?? "-")" }
        let seen = srflx.map { "\($0.address) \($0.url ?? "-") \($0.protocol_)" }
        #expect(seen.contains("198.51.100.2 stun:198.51.100.10:3478 udp"))
        // mDNS off: the host candidate shows the raw address, and the srflx names it as related address.
        #expect(all.contains("host 198.51.100.2 raddr -"), "\(all)")
        #expect(srflx.contains { $0.relatedAddress == "198.51.100.2" }, "\(all)")
        #expect(round.candidates.contains { $0.type == "relay" && $0.address == "198.51.100.10" })
        // The sidecar names the TURN server but never its password.
        let sidecar = String(decoding: try record.encoded(), as: UTF8.self)
        #expect(sidecar.contains("turn:198.51.100.10:3478?transport=udp"))
        #expect(!sidecar.contains("labpass"))
    }
}
