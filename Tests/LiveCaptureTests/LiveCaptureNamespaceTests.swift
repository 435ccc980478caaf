import Foundation
import Testing
@testable import CaptureFiles

/// Names of what these tests create: this test target's prefix (`lcap-`; the
/// lab uses `lsl-`), this process's id (two test runs at once, e.g. from two
/// worktrees, must not share or delete each other's namespaces) and a per-test
/// number (parallel tests in one run). Interface names stay within Linux's 15
/// characters: the pid is taken modulo 100000 there ("lcap-va12345x5" is 14).
enum TestNames {
    static let pid = Int(getpid())
    /// Namespace names have no short length limit: the whole pid.
    static func namespace(_ role: String, _ n: Int) -> String { "lcap-\(role)\(pid)x\(n)" }
    /// An interface name of at most 15 characters for a role of up to 3 letters.
    static func interface(_ role: String, _ n: Int) -> String { "lcap\(role)\(pid % 100_000)x\(n)" }
}

/// Two network namespaces (lcap-a<pid>x<N>, lcap-b<pid>x<N>) joined by a veth pair (see `TestNames`).
/// ns A: lcap-va<pid>x<N> 192.0.2.1/24 and lo; ns B: lcap-vb<pid>x<N> 192.0.2.2/24.
/// Deleting the namespaces also removes every interface made inside them.
struct VethPair {
    let a: String, b: String, vethA: String, vethB: String

    init(_ n: Int) throws {
        a = TestNames.namespace("a", n); b = TestNames.namespace("b", n)
        vethA = TestNames.interface("-va", n); vethB = TestNames.interface("-vb", n)
        destroy()  // left over by an earlier run that had the same pid and was killed
        for cmd in [
            ["ip", "netns", "add", a], ["ip", "netns", "add", b],
            ["ip", "link", "add", vethA, "netns", a, "type", "veth", "peer", "name", vethB, "netns", b],
            ["ip", "-n", a, "addr", "add", "192.0.2.1/24", "dev", vethA],
            ["ip", "-n", b, "addr", "add", "192.0.2.2/24", "dev", vethB],
            ["ip", "-n", a, "link", "set", vethA, "up"], ["ip", "-n", b, "link", "set", vethB, "up"],
            ["ip", "-n", a, "link", "set", "lo", "up"], ["ip", "-n", b, "link", "set", "lo", "up"],
        ] {
            let r = try TestSupport.run(cmd)
            guard r.status == 0 else { destroy(); throw SetupError(text: "\(cmd.joined(separator: " ")): \(r.stderr)") }
        }
    }

    func destroy() {
        _ = try? TestSupport.run(["ip", "netns", "del", a])
        _ = try? TestSupport.run(["ip", "netns", "del", b])
    }

    struct SetupError: Error, CustomStringConvertible { var text: String; var description: String { text } }
}

/// A Python one-liner that sends UDP datagrams "<tag><i>" alternately to each
/// (tag, address) target, `gap` seconds apart, then optionally sleeps.
func udpSender(_ targets: [(String, String)], count: Int, gap: Double = 0.02, sleepAfter: Double = 0) -> [String] {
    let list = targets.map { "('\($0.0)','\($0.1)')" }.joined(separator: ",")
    let script = """
        import socket,time
        s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
        for i in range(1,\(count + 1)):
            for tag,addr in [\(list)]:
                s.sendto((tag+str(i)).encode(),(addr,9999)); time.sleep(\(gap))
        time.sleep(\(sleepAfter))
        """
    return ["/usr/bin/python3", "-c", script]
}

/// UDP payloads of the frames in a capture (Ethernet + IPv4 + UDP, as on veth and lo).
func udpPayloads(_ path: String) throws -> (names: [String], payloads: [String], times: [Int64], reader: CaptureReader) {
    let reader = try CaptureReader(path: path)
    var names: [String] = [], payloads: [String] = [], times: [Int64] = []
    while let p = reader.next() {
        names.append(reader.interfaceName(of: p) ?? "?")
        times.append(p.timestampNanoseconds)
        payloads.append(String(decoding: p.bytes.suffix(from: 42)?.toArray() ?? [], as: UTF8.self))
    }
    return (names, payloads, times, reader)
}

// Needs root and iproute2 to create network namespaces; CI runs as root.
@Suite(.enabled(if: TestSupport.canUseNamespaces, "needs root, `ip` and permission to create network namespaces"),
       .enabled(if: TestSupport.leakscopeBinary != nil, "leakscope binary not built next to the tests (swift build --build-tests)"))
struct LiveCaptureNamespaceTests {
    let binary = TestSupport.leakscopeBinary ?? "leakscope"

    /// veth + lo in one file, stopped by the command after `--` exiting.
    @Test func capturesTwoInterfacesIntoOneOrderedFile() throws {
        let net = try VethPair(1)
        defer { net.destroy() }
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let path = dir + "/multi.pcapng"
        let r = try TestSupport.run(
            ["ip", "netns", "exec", net.a, binary, "capture", "-i", net.vethA, "-i", "lo", "-w", path, "-f", "udp",
             "--grace", "0.3", "--"] + udpSender([("veth", "192.0.2.2"), ("lo", "127.0.0.1")], count: 5))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("stopped (command exited)"))
        #expect(r.stderr.contains("\(net.vethA): 5 packets written"))
        #expect(r.stderr.contains("lo: 5 packets written"))
        #expect(r.stderr.contains("command exited with status 0"))

        let (names, payloads, times, reader) = try udpPayloads(path)
        #expect(payloads == ["veth1", "lo1", "veth2", "lo2", "veth3", "lo3", "veth4", "lo4", "veth5", "lo5"])
        #expect(names == Array(repeating: [net.vethA, "lo"], count: 5).flatMap { $0 })
        #expect(times == times.sorted())
        #expect(reader.damage == nil)
        #expect(reader.interfaces.map(\.name) == [net.vethA, "lo"])
        #expect(reader.interfaces.map(\.linkType) == [.ethernet, .ethernet])
        #expect(reader.interfaces[0].ipv4Addresses.contains(InterfaceIPv4Address(address: 0xC000_0201, netmask: 0xFFFF_FF00)))
        #expect(reader.interfaces[1].ipv4Addresses.contains(InterfaceIPv4Address(address: 0x7F00_0001, netmask: 0xFF00_0000)))
        #expect(reader.interfaces.allSatisfy { $0.snaplen == 262_144 })
        #expect(reader.finalStatistics.count == 2)
        for s in reader.finalStatistics {
            #expect(s.userDelivered == 5)
            #expect((s.interfaceReceived ?? 0) >= 5)
            #expect(s.osDropped == 0)
            #expect(s.interfaceDropped == 0)
            #expect((s.startTimeNanoseconds ?? .max) <= times[0])
            #expect((s.endTimeNanoseconds ?? 0) >= times[times.count - 1])
        }
        #expect(reader.sections.first?.comments.first?.contains("capture -i \(net.vethA) -i lo -w \(path) -f udp") == true)

        if TestSupport.hasTshark {
            let rows = try TestSupport.tsharkFields(path, ["frame.interface_name", "frame.len", "udp.dstport"])
            #expect(rows.map { $0[0] } == names)
            #expect(rows.map { $0[1] } == payloads.map { String(42 + $0.utf8.count) })
            #expect(rows.allSatisfy { $0[2] == "9999" })
        }
    }

    /// A tunnel (tun, raw IP, LINKTYPE_RAW 101) and a physical interface in one
    /// file, as in a VPN session; `interfaces` marks the tun as a tunnel.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/net/tun"), "no /dev/net/tun"))
    func capturesATunnelAndAPhysicalInterfaceTogether() throws {
        let net = try VethPair(5)
        defer { net.destroy() }
        let tun = TestNames.interface("tun", 5)
        for cmd in [["ip", "-n", net.a, "tuntap", "add", tun, "mode", "tun"],
                    ["ip", "-n", net.a, "addr", "add", "10.9.0.2/24", "dev", tun],
                    ["ip", "-n", net.a, "link", "set", tun, "up"]] {
            let r = try TestSupport.run(cmd)
            try #require(r.status == 0, "\(cmd): \(r.stderr)")
        }
        let listing = try TestSupport.run(["ip", "netns", "exec", net.a, binary, "interfaces"])
        #expect(listing.status == 0)
        let tunLine = listing.stdout.split(separator: "\n").first { $0.hasPrefix(tun + " ") }.map(String.init) ?? ""
        #expect(tunLine.contains("rawip(101)"))
        #expect(tunLine.contains("tunnel?"))
        #expect(tunLine.contains("10.9.0.2/24"))

        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let path = dir + "/vpn.pcapng"
        // The command attaches to the tun (so it has a carrier), waits until the
        // kernel has brought it up (before that sends are dropped unseen), then sends
        // through it (10.9.0.1) and around it (192.0.2.2, the veth).
        let attachAndSend = udpSender([("tun", "10.9.0.1"), ("eth", "192.0.2.2")], count: 3)
        let script = """
            import fcntl,os,struct
            fd=os.open('/dev/net/tun',os.O_RDWR)
            fcntl.ioctl(fd,0x400454ca,struct.pack('16sH22x',b'\(tun)',0x1001))
            import time
            for _ in range(200):
                if open('/sys/class/net/\(tun)/operstate').read().strip()=='up': break
                time.sleep(0.01)
            time.sleep(0.05)  # the kernel attaches the queue right after operstate (linkwatch)
            """ + "\n" + attachAndSend[2]
        let r = try TestSupport.run(
            ["ip", "netns", "exec", net.a, binary, "capture", "-i", tun, "-i", net.vethA, "-w", path, "-f", "udp",
             "--grace", "0.3", "--", "/usr/bin/python3", "-c", script])
        #expect(r.status == 0, "\(r.stderr)")
        let reader = try CaptureReader(path: path)
        var rows: [String] = []
        while let p = reader.next() {
            let offset = p.linkType == .raw ? 28 : 42  // IPv4 + UDP, behind Ethernet on the veth
            rows.append("\(reader.interfaceName(of: p) ?? "?") \(String(decoding: p.bytes.suffix(from: offset)?.toArray() ?? [], as: UTF8.self))")
        }
        #expect(rows == ["\(tun) tun1", "\(net.vethA) eth1", "\(tun) tun2", "\(net.vethA) eth2", "\(tun) tun3", "\(net.vethA) eth3"])
        #expect(reader.interfaces.map(\.linkType) == [.raw, .ethernet])
        if TestSupport.hasTshark {
            let fields = try TestSupport.tsharkFields(path, ["frame.interface_name", "ip.dst"])
            #expect(fields.map { $0.joined(separator: " ") } == [
                "\(tun) 10.9.0.1", "\(net.vethA) 192.0.2.2", "\(tun) 10.9.0.1", "\(net.vethA) 192.0.2.2",
                "\(tun) 10.9.0.1", "\(net.vethA) 192.0.2.2",
            ])
        }
    }

    /// SIGTERM stops a capture with no other stop condition: file complete, statistics written.
    @Test func sigtermFinishesTheFile() throws {
        let net = try VethPair(2)
        defer { net.destroy() }
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let path = dir + "/term.pcapng"
        let capture = try TestSupport.start(
            ["/usr/sbin/ip", "netns", "exec", net.a, binary, "capture", "-i", net.vethA, "-w", path, "-f", "udp"])
        // It has no stop condition of its own: if the test fails before the SIGTERM below, end it here.
        defer { if capture.process.isRunning { kill(capture.process.processIdentifier, SIGKILL); capture.process.waitUntilExit() } }
        let banner = capture.waitForStderr(containing: "capturing on")
        #expect(banner.contains("capturing on \(net.vethA) (ether)"))
        try TestSupport.run(["ip", "netns", "exec", net.a] + udpSender([("t", "192.0.2.2")], count: 3))
        usleep(5_000)  // the last packets are still in an open kernel block: the stop must drain it
        #expect(!FileManager.default.fileExists(atPath: path))  // not before the rename
        kill(capture.process.processIdentifier, SIGTERM)
        let r = capture.finish()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("stopped (terminated (SIGTERM))"))
        #expect(r.stderr.contains("\(net.vethA): 3 packets written"))
        let (_, payloads, _, reader) = try udpPayloads(path)
        #expect(payloads == ["t1", "t2", "t3"])
        #expect(reader.damage == nil)
        #expect(reader.finalStatistics.count == 1)
        #expect(reader.finalStatistics.first?.userDelivered == 3)
        #expect(reader.finalStatistics.first?.interfaceReceived == 3)
        #expect(reader.finalStatistics.first?.osDropped == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["term.pcapng"])  // no temporary left
    }

    /// --count stops at exactly N packets and ends the still-running command.
    @Test func countStopsAtExactlyNPackets() throws {
        let net = try VethPair(3)
        defer { net.destroy() }
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let path = dir + "/count.pcapng"
        let r = try TestSupport.run(
            ["ip", "netns", "exec", net.a, binary, "capture", "-i", "lo", "-w", path, "-f", "udp", "-c", "3", "--"]
                + udpSender([("c", "127.0.0.1")], count: 6, sleepAfter: 30))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("stopped (packet count reached)"))
        #expect(r.stderr.contains("command killed by signal 15"))
        let (_, payloads, _, _) = try udpPayloads(path)
        #expect(payloads == ["c1", "c2", "c3"])
    }

    /// --duration stops on time, and an interface with no traffic still gets its IDB and ISB.
    @Test func durationStopsAndQuietInterfacesAreDescribed() throws {
        let net = try VethPair(4)
        defer { net.destroy() }
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let path = dir + "/quiet.pcapng"
        let started = Date()
        let r = try TestSupport.run(
            ["ip", "netns", "exec", net.a, binary, "capture", "-i", "lo", "-i", net.vethA, "-w", path, "--duration", "0.5"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("stopped (duration reached)"))
        #expect(elapsed >= 0.5 && elapsed < 5)
        let reader = try CaptureReader(path: path)
        while reader.next() != nil {}
        #expect(reader.interfaces.map(\.name) == ["lo", net.vethA])
        #expect(reader.finalStatistics.count == 2)
    }

    @Test func unknownInterfaceFailsAndWritesNothing() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let r = try TestSupport.run([binary, "capture", "-i", "lcap-nosuch0", "-w", dir + "/x.pcapng", "--duration", "1"])
        #expect(r.status == 5)
        #expect(r.stderr.contains("no interface named 'lcap-nosuch0'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }

    /// Without privilege: fail fast with the sudo / CAP_NET_RAW advice, write nothing, exit 5.
    @Test(.enabled(if: TestSupport.which("setpriv") != nil, "setpriv (util-linux) not installed"))
    func withoutPrivilegeFailsFastWithAdvice() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        chmod(dir, 0o777)
        let r = try TestSupport.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
             binary, "capture", "-i", "lo", "-w", dir + "/x.pcapng", "--duration", "1"])
        #expect(r.status == 5)
        #expect(r.stderr.contains("no permission to capture on lo"))
        #expect(r.stderr.contains("sudo"))
        #expect(r.stderr.contains("setcap cap_net_raw,cap_net_admin=eip"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }

    /// -Z: the output file and the command belong to the user.
    @Test func dropsPrivilegeBeforeOpeningTheOutput() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        chmod(dir, 0o777)
        let path = dir + "/z.pcapng"
        let r = try TestSupport.run(
            [binary, "capture", "-i", "lo", "-w", path, "-Z", "nobody", "--grace", "0", "--", "id", "-u"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "65534\n")
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(st.st_uid == 65534)
    }
}
