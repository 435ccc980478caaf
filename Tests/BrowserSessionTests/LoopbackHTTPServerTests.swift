#if canImport(Glibc)
import Glibc
#endif
import Foundation
import BrowserCandidates
import Testing
@testable import BrowserSession

/// Sends raw bytes to 127.0.0.1:port and returns everything the server answers.
func exchange(port: UInt16, _ request: [UInt8]) -> String {
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard s >= 0 else { return "" }
    defer { close(s) }
    var tv = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = port.bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else { return "" }
    _ = request.withUnsafeBytes { send(s, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buf.withUnsafeMutableBytes { recv(s, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        out += buf[0..<n]
    }
    return String(decoding: out, as: UTF8.self)
}

@Suite struct LoopbackHTTPServerTests {
    let config = ProbeConfiguration(stun: ["stun:203.0.113.10:3478"], turn: ["turn:203.0.113.10:3478"],
                                    turnUser: "lab", turnPass: "labpass", gatheringTimeout: 3)

    @Test func servesPageConfigAndCollectsAPost() throws {
        let box = ReportBox(token: "0123abcd")
        let cfg = config.pageConfig()
        let server = try LoopbackHTTPServer { ProbeSession.route($0, config: cfg, box: box) }
        defer { server.stop() }
        #expect(server.port != 0)
        #expect(server.baseURL == "http://127.0.0.1:\(server.port)")

        let page = exchange(port: server.port, Array("GET /?round=1 HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(page.hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"))
        #expect(page.contains("new RTCPeerConnection({iceServers: cfg.iceServers})"))
        #expect(page.contains("Connection: close\r\n"))

        // The config holds the TURN credential: without the run's token it is refused.
        let refused = exchange(port: server.port, Array("GET /config.json HTTP/1.1\r\n\r\n".utf8))
        #expect(refused.hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        #expect(!refused.contains("labpass"))
        let conf = exchange(port: server.port, Array("GET /config.json?round=1&token=0123abcd HTTP/1.1\r\n\r\n".utf8))
        let body = conf.components(separatedBy: "\r\n\r\n").last ?? ""
        #expect(body == #"{"iceServers":[{"urls":"stun:203.0.113.10:3478"},{"credential":"labpass","urls":"turn:203.0.113.10:3478","username":"lab"}],"timeoutMs":3000}"#)

        let report = #"{"round":1,"complete":true,"gathering_ms":812,"candidates":[{"line":"candidate:1 1 udp 1677729535 198.51.100.2 40000 typ srflx raddr 0.0.0.0 rport 0","url":"stun:203.0.113.10:3478"}],"errors":[]}"#
        let forged = "POST /candidates?round=1&token=guess HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"
        #expect(exchange(port: server.port, Array(forged.utf8)).hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        #expect(box.take(1) == nil)
        let post = "POST /candidates?round=1&token=0123abcd HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: \(report.utf8.count)\r\n\r\n\(report)"
        #expect(exchange(port: server.port, Array(post.utf8)).hasPrefix("HTTP/1.1 204 No Content\r\n"))
        let collected = box.take(1)
        #expect(collected == Array(report.utf8))

        var round = CandidateSidecar.Round(policy: "default", mdns: true, stun: "stun:203.0.113.10:3478", iceServers: [], startedNs: 0)
        var browser: String?
        ProbeSession.apply(collected ?? [], to: &round, browser: &browser)
        #expect(round.complete == true)
        #expect(round.gatheringMs == 812)
        #expect(round.candidates.count == 1)
        #expect(round.candidates.first?.type == "srflx")
        #expect(round.candidates.first?.address == "198.51.100.2")
        #expect(round.candidates.first?.port == 40000)
        #expect(round.candidates.first?.relatedAddress == "0.0.0.0")
        #expect(round.candidates.first?.url == "stun:203.0.113.10:3478")
    }

    @Test func rejectsOversizedAndUnknownRequests() throws {
        let box = ReportBox(token: "t")
        let server = try LoopbackHTTPServer(limits: HTTPLimits(maxHeaderBytes: 256, maxBodyBytes: 64)) {
            ProbeSession.route($0, config: [], box: box)
        }
        defer { server.stop() }
        let huge = "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 1000) + "\r\n\r\n"
        #expect(exchange(port: server.port, Array(huge.utf8)).hasPrefix("HTTP/1.1 431 "))
        let big = "POST /candidates?round=1&token=t HTTP/1.1\r\nContent-Length: 65\r\n\r\n"
        #expect(exchange(port: server.port, Array(big.utf8)).hasPrefix("HTTP/1.1 413 "))
        #expect(exchange(port: server.port, Array("GET /etc/passwd HTTP/1.1\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 404 "))
        #expect(exchange(port: server.port, Array("DELETE / HTTP/1.1\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 405 "))
        #expect(exchange(port: server.port, Array("POST /candidates?token=t HTTP/1.1\r\nContent-Length: 0\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 400 "))
        #expect(exchange(port: server.port, Array("POST /candidates?round=1 HTTP/1.1\r\nContent-Length: 0\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 403 "))
    }

    @Test func sidecarRoundTripsWithSnakeCaseKeys() throws {
        let c = try ICECandidate(parsing: "candidate:9 1 udp 41885695 203.0.113.10 49177 typ relay raddr 198.51.100.2 rport 60509")
        let record = CandidateSidecar(capture: "lab-webrtc-leak.pcapng", tool: "leakscope", browser: "HeadlessChrome/156.0.0.0",
                                 browserName: "chromium", browserVersion: "156.0.8078.114",
                                 rounds: [.init(policy: "default", mdns: false, stun: "stun:203.0.113.10:3478",
                                                iceServers: ["stun:203.0.113.10:3478"], startedNs: 5, gatheringMs: 900,
                                                complete: true, candidates: [.init(c, url: "turn:203.0.113.10:3478", line: "l")])])
        let data = try record.encoded()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""related_address" : "198.51.100.2""#))
        #expect(text.contains(#""related_port" : 60509"#))
        #expect(text.contains(#""protocol" : "udp""#))
        #expect(text.contains(#""capture" : "lab-webrtc-leak.pcapng""#))
        #expect(text.contains(#""browser_name" : "chromium""#))
        #expect(text.contains(#""browser_version" : "156.0.8078.114""#))
        #expect(!text.contains("null"))
        #expect(try JSONDecoder().decode(CandidateSidecar.self, from: data) == record)
        // The reader's path (limits applied) gives the same value.
        guard case .loaded(let loaded, let warnings) = CandidateSidecar.decode(data, name: "x") else {
            Issue.record("the written sidecar does not load")
            return
        }
        #expect(loaded == record && warnings.isEmpty)
    }

    @Test func resolverRulesAndServerHosts() {
        let cfg = ProbeConfiguration(stun: ["stun:stun.lab.test:3478", "stun:[2001:db8:3::10]:3478", "stun:203.0.113.10"],
                                     turn: ["turn:turn.lab.test:3478?transport=udp"])
        #expect(cfg.serverHosts == ["stun.lab.test", "turn.lab.test"])
        #expect(ChromiumLauncher.resolverRules(allowing: cfg.serverHosts)
                == "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost, EXCLUDE stun.lab.test, EXCLUDE stun.lab.test., EXCLUDE turn.lab.test, EXCLUDE turn.lab.test.")
        let args = ChromiumLauncher(executable: "/usr/bin/chromium", resolverRules: "MAP * ~NOTFOUND")
            .arguments(url: "http://127.0.0.1:1/", userDataDir: "/tmp/p", policy: .disableNonProxiedUDP, mdns: false)
        #expect(args.contains("--headless=new"))
        #expect(args.contains("--user-data-dir=/tmp/p"))
        #expect(args.contains("--webrtc-ip-handling-policy=disable_non_proxied_udp"))
        #expect(args.contains("--disable-features=WebRtcHideLocalIpsWithMdns"))
        #expect(args.contains("--host-resolver-rules=MAP * ~NOTFOUND"))
        #expect(args.last == "http://127.0.0.1:1/")
        #expect(args.contains("--no-sandbox") == (geteuid() == 0))
    }
}
