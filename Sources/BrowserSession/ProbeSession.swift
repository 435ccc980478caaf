#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BrowserCandidates
import Foundation
import Synchronization

/// What one probe run asks for: ICE servers, and the rounds (policy x mDNS).
public struct ProbeConfiguration: Sendable {
    public var stun: [String]
    public var turn: [String]
    public var turnUser: String?
    public var turnPass: String?
    public var policies: [WebRTCPolicy]
    public var mdns: [Bool]
    /// Seconds the page waits for ICE gathering to complete in one round.
    public var gatheringTimeout: Double
    /// Seconds allowed for the browser to start and load the page, on top of the gathering timeout.
    public var startupTimeout: Double
    public var captureName: String?
    /// The browser each round starts (Chromium or Firefox).
    public var launcher: any BrowserLauncher

    public init(stun: [String], turn: [String] = [], turnUser: String? = nil, turnPass: String? = nil,
                policies: [WebRTCPolicy] = [.default], mdns: [Bool] = [true], gatheringTimeout: Double = 10,
                startupTimeout: Double = 15, captureName: String? = nil, launcher: any BrowserLauncher = ChromiumLauncher()) {
        self.stun = stun; self.turn = turn; self.turnUser = turnUser; self.turnPass = turnPass
        self.policies = policies; self.mdns = mdns; self.gatheringTimeout = gatheringTimeout
        self.startupTimeout = startupTimeout; self.captureName = captureName; self.launcher = launcher
    }

    /// Host names in the ICE server URLs (so resolver rules can let them through).
    public var serverHosts: [String] { (stun + turn).compactMap { ICEServerURL($0)?.hostName } }

    /// The JSON the page fetches from /config.json.
    func pageConfig() -> [UInt8] {
        var servers: [[String: String]] = stun.map { ["urls": $0] }
        for t in turn {
            var s = ["urls": t]
            if let u = turnUser { s["username"] = u }
            if let p = turnPass { s["credential"] = p }
            servers.append(s)
        }
        struct Config: Encodable { var iceServers: [[String: String]]; var timeoutMs: Int }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let data = (try? e.encode(Config(iceServers: servers, timeoutMs: Int(gatheringTimeout * 1000)))) ?? Data("{}".utf8)
        return Array(data)
    }
}

/// The page's report for one round (what it POSTs to /candidates).
struct PageReport: Decodable {
    var round: Int?
    var complete: Bool?
    var gathering_ms: Int?
    var candidates: [PageCandidate]?
    var errors: [CandidateSidecar.CandidateError]?
    var user_agent: String?
    var failure: String?
    struct PageCandidate: Decodable { var line: String; var url: String? }
}

/// Collects the page's POSTs, keyed by round. Only POSTs carrying this run's
/// random token count: other local processes can reach the loopback port too.
final class ReportBox: Sendable {
    let token: String
    private let reports = Mutex<[Int: [UInt8]]>([:])
    init(token: String = ReportBox.randomToken()) { self.token = token }
    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }
    func put(_ round: Int, _ body: [UInt8]) { reports.withLock { if $0[round] == nil { $0[round] = body } } }
    func take(_ round: Int) -> [UInt8]? { reports.withLock { $0.removeValue(forKey: round) } }
}

public struct ProbeError: Error, CustomStringConvertible {
    public var description: String
}

/// Runs the probe: one loopback server, one fresh browser per round.
public enum ProbeSession {
    public static func run(_ config: ProbeConfiguration, progress: @escaping @Sendable (String) -> Void = { _ in })
        throws(ProbeError) -> CandidateSidecar
    {
        let box = ReportBox()
        let configJSON = config.pageConfig()
        let server: LoopbackHTTPServer
        do {
            server = try LoopbackHTTPServer { request in route(request, config: configJSON, box: box) }
        } catch { throw ProbeError(description: error.description) }
        defer { server.stop() }
        progress("probe page on \(server.baseURL)/")

        let launcher = config.launcher
        for policy in config.policies where !policy.isSupported(by: launcher.kind) {
            throw ProbeError(description: "policy \(policy.rawValue) is not a \(launcher.kind.rawValue) policy")
        }
        let version = launcher.version()
        progress("\(launcher.kind.rawValue) \(version ?? "(version unknown)") at \(launcher.executable)")
        var rounds: [CandidateSidecar.Round] = []
        var browserName: String?
        var index = 0
        for policy in config.policies {
            for mdns in config.mdns {
                index += 1
                var round = CandidateSidecar.Round(
                    policy: policy.rawValue, mdns: mdns, settings: launcher.webRTCSettings(policy: policy, mdns: mdns),
                    stun: config.stun.first, iceServers: config.stun + config.turn, startedNs: nowNs(), complete: false)
                let url = "\(server.baseURL)/?round=\(index)&token=\(box.token)"
                progress("round \(index): policy \(policy.rawValue), mDNS \(mdns ? "on" : "off")")
                let browser: RunningBrowser
                do { browser = try launcher.launch(url: url, policy: policy, mdns: mdns) } catch {
                    throw ProbeError(description: error.description)
                }
                let deadline = Date().addingTimeInterval(config.gatheringTimeout + config.startupTimeout)
                var body: [UInt8]?
                var exited = false
                while Date() < deadline {
                    if let b = box.take(index) { body = b; break }
                    if !browser.isRunning() { exited = true; break }
                    usleep(20_000)
                }
                browser.stop()
                if let body {
                    apply(body, to: &round, browser: &browserName)
                } else {
                    round.failure = exited ? "the browser exited before the page reported"
                        : "no report from the page within \(Int(config.gatheringTimeout + config.startupTimeout)) s"
                }
                rounds.append(round)
            }
        }
        return CandidateSidecar(capture: config.captureName, tool: "leakscope", browser: browserName,
                                browserName: launcher.kind.rawValue, browserVersion: version, rounds: rounds)
    }

    static func route(_ r: HTTPRequest, config: [UInt8], box: ReportBox) -> HTTPResponse {
        switch (r.method, r.path) {
        case ("GET", "/"):
            return HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: Array(ProbePage.html.utf8))
        case ("GET", "/config.json"):
            // The config carries the TURN credential: only the page this run launched may read it.
            guard r.query["token"] == box.token else { return HTTPResponse(status: 403, text: "wrong token\n") }
            return HTTPResponse(status: 200, contentType: "application/json", body: config)
        case ("POST", "/candidates"):
            guard r.query["token"] == box.token else { return HTTPResponse(status: 403, text: "wrong token\n") }
            guard let round = r.query["round"].flatMap({ Int($0) }) else {
                return HTTPResponse(status: 400, text: "round missing\n")
            }
            box.put(round, r.body)
            return HTTPResponse(status: 204, body: [])
        case (_, "/"), (_, "/config.json"), (_, "/candidates"):
            return HTTPResponse(status: 405, text: "method not allowed\n")
        default:
            return HTTPResponse(status: 404, text: "not found\n")
        }
    }

    /// Fills a round from the page's JSON report; candidate lines are parsed here, not trusted from JS.
    static func apply(_ body: [UInt8], to round: inout CandidateSidecar.Round, browser: inout String?) {
        guard let report = try? JSONDecoder().decode(PageReport.self, from: Data(body)) else {
            round.failure = "the page's report is not valid JSON"
            return
        }
        round.complete = report.complete ?? false
        round.gatheringMs = report.gathering_ms
        round.errors = report.errors ?? []
        if let f = report.failure { round.failure = f }
        if browser == nil, let ua = report.user_agent { browser = ProbeSession.browserName(fromUserAgent: ua) }
        for c in report.candidates ?? [] {
            do {
                let parsed = try ICECandidate(parsing: c.line)
                round.candidates.append(CandidateSidecar.Candidate(parsed, url: c.url, line: c.line))
            } catch {
                round.errors.append(CandidateSidecar.CandidateError(url: c.url, text: error.description))
            }
        }
    }

    /// "Mozilla/5.0 ... HeadlessChrome/156.0.8078.108 Safari/537.36" -> "HeadlessChrome/156.0.8078.108";
    /// "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0" -> "Firefox/153.0".
    static func browserName(fromUserAgent ua: String) -> String {
        let tokens = ua.split(separator: " ")
        for prefix in ["HeadlessChrome/", "Chrome/", "Firefox/"] {
            if let token = tokens.first(where: { $0.hasPrefix(prefix) }) { return String(token.prefix(200)) }
        }
        return String(ua.prefix(200))
    }

    static func nowNs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
