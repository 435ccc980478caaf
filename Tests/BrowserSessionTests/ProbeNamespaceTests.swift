#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing
import BrowserCandidates
import ProcessSpawning
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

    /// Starts argv (PATH applies) with stdin/stdout/stderr on /dev/null.
    static func spawn(_ args: [String]) -> SpawnedProcess? { try? SpawnedProcess(args, options: .quiet()) }

    /// Runs argv to the end; its exit status (-1 when it could not start or was killed).
    @discardableResult
    static func sh(_ args: [String]) -> Int32 {
        guard let p = spawn(args) else { return -1 }
        if case .exited(let code) = p.wait() { return code }
        return -1
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

extension ProbeLab {
    /// Builds two namespaces joined by a veth (client 198.51.100.2, server 198.51.100.10 with
    /// coturn as STUN and TURN), runs one mDNS-off probe round with `launcher` in the client
    /// namespace, and tears everything down.
    static func probeAgainstCoturn(_ launcher: any BrowserLauncher, tag: String) throws -> CandidateSidecar {
        // Unique per process and browser (two test runs at once, e.g. from two worktrees, must not
        // share or delete each other's namespaces); interface names within 15 characters.
        let pid = Int(getpid())
        let c = "lsl-t\(tag)c\(pid)", s = "lsl-t\(tag)s\(pid)"
        let vc = "lsl-\(tag)c\(pid % 100_000)", vs = "lsl-\(tag)s\(pid % 100_000)"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lsl-probe-test-\(tag)-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var turn: SpawnedProcess?
        defer {
            turn?.terminate(grace: 2)
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
            // Both browsers gather on the interface of the default route.
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
        turn = try #require(ProbeLab.spawn(["ip", "netns", "exec", s, "turnserver", "-c", confURL.path]))
        var listening = false
        for _ in 0..<100 where !listening {
            listening = ProbeLab.sh(["ip", "netns", "exec", s, "sh", "-c", "ss -Hlun | grep -q 198.51.100.10:3478"]) == 0
            if !listening { usleep(50_000) }
        }
        try #require(listening, "coturn did not listen on 198.51.100.10:3478")

        let config = ProbeConfiguration(
            stun: ["stun:198.51.100.10:3478"], turn: ["turn:198.51.100.10:3478?transport=udp"],
            turnUser: "lab", turnPass: "labpass", mdns: [false], gatheringTimeout: 5, startupTimeout: 30,
            launcher: launcher)
        let outcome: Result<CandidateSidecar, ProbeError>? = ProbeLab.inNamespace(c) {
            do throws(ProbeError) { return .success(try ProbeSession.run(config)) } catch { return .failure(error) }
        }
        let result = try #require(outcome, "could not enter namespace \(c)")
        return try result.get()
    }
}

@Suite(.serialized) struct ProbeNamespaceTests {
    // Root + chromium + coturn only: builds namespaces and starts real processes.
    @Test(.enabled(if: ProbeLab.available, "needs root, iproute2, coturn and chromium"))
    func probeSeesItsPublicAddressAsSrflx() throws {
        let record = try ProbeLab.probeAgainstCoturn(
            ChromiumLauncher(resolverRules: ChromiumLauncher.resolverRules(allowing: [])), tag: "p")
        #expect(record.browserName == "chromium")
        #expect(record.browserVersion?.first?.isNumber == true, "\(record.browserVersion ?? "nil")")
        let round = try #require(record.rounds.first)
        #expect(round.failure == nil)
        #expect(round.mdns == false)
        #expect(round.settings == ["--disable-features=WebRtcHideLocalIpsWithMdns"])
        let srflx = round.candidates.filter { $0.type == "srflx" }
        let all = round.candidates.map { "\($0.type) \($0.address) raddr \($0.relatedAddress ?? "-")" }
        let seen = srflx.map { "\($0.address) \($0.url ?? "-") \($0.protocol ?? "-")" }
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

@Suite(.serialized) struct FirefoxProbeNamespaceTests {
    static var available: Bool {
        getuid() == 0 && ProbeLab.has("ip") && ProbeLab.has("turnserver") && FirefoxLauncher.find() != nil
    }

    // Root + firefox-esr + coturn only (Scripts/setup installs firefox-esr).
    @Test(.enabled(if: available, "needs root, iproute2, coturn and firefox-esr (Scripts/setup installs them)"))
    func firefoxProbeSeesItsPublicAddressAsSrflx() throws {
        let record = try ProbeLab.probeAgainstCoturn(FirefoxLauncher(), tag: "f")
        #expect(record.browserName == "firefox")
        #expect(record.browserVersion?.first?.isNumber == true, "\(record.browserVersion ?? "nil")")
        #expect(record.browser?.hasPrefix("Firefox/") == true, "\(record.browser ?? "nil")")
        let round = try #require(record.rounds.first)
        #expect(round.failure == nil)
        #expect(round.complete == true)
        #expect(round.mdns == false)
        #expect(round.settings?.contains("media.peerconnection.ice.obfuscate_host_addresses=false") == true)
        let all = round.candidates.map { "\($0.type) \($0.protocol ?? "-") \($0.address) raddr \($0.relatedAddress ?? "-")" }
        // mDNS off: the raw host address. Without NAT the STUN server's answer (198.51.100.2) equals
        // the host candidate, and Firefox drops such a redundant srflx (RFC 8445 5.1.3) where Chromium
        // reports it: the exposure is in the STUN packets, not in Firefox's candidate list.
        #expect(all.contains("host udp 198.51.100.2 raddr -"), "\(all)")
        #expect(round.candidates.allSatisfy { $0.type != "srflx" || $0.address == "198.51.100.2" }, "\(all)")
        #expect(round.candidates.contains { $0.type == "relay" && $0.address == "198.51.100.10" }, "\(all)")
        let sidecar = String(decoding: try record.encoded(), as: UTF8.self)
        #expect(!sidecar.contains("labpass"))
    }
}
