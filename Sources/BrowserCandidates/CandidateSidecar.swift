import CaptureFiles
import Foundation

/// The candidate sidecar (`CAPTURE.candidates.json`, schema `leakscope-candidates/1`):
/// what the browser itself said it gathered, round by round. Written by
/// `leakscope probe` / `capture --browser` (module BrowserSession), read by the
/// analysis (module Correlation); one type for both, schema in docs/browser-sessions.md.
///
/// Reading is lenient: every key but `schema` and a candidate's type, address and
/// port may be missing, unknown keys are ignored (the schema may add keys), and
/// `decode(_:name:)` applies `SidecarLimits` because a sidecar is input like a capture.
/// Writing omits nil keys, never writes null, and sorts keys.
public struct CandidateSidecar: Codable, Sendable, Equatable {
    public static let schemaName = "leakscope-candidates/1"

    public var schema: String
    /// File name (no directory) of the capture recorded during the session, if any.
    public var capture: String?
    public var tool: String?
    /// The browser's product token from its user agent ("HeadlessChrome/156.0.0.0", "Firefox/153.0").
    public var browser: String?
    /// Which browser ran the rounds: "chromium" or "firefox".
    public var browserName: String?
    /// The browser's own version (`--version`: "156.0.8078.114", "153.8.0esr").
    public var browserVersion: String?
    public var rounds: [Round]

    public init(schema: String = CandidateSidecar.schemaName, capture: String? = nil, tool: String? = nil,
                browser: String? = nil, browserName: String? = nil, browserVersion: String? = nil, rounds: [Round]) {
        self.schema = schema; self.capture = capture; self.tool = tool; self.browser = browser
        self.browserName = browserName; self.browserVersion = browserVersion; self.rounds = rounds
    }

    enum CodingKeys: String, CodingKey {
        case schema, capture, tool, browser, browserName = "browser_name", browserVersion = "browser_version", rounds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decode(String.self, forKey: .schema)
        capture = try c.decodeIfPresent(String.self, forKey: .capture)
        tool = try c.decodeIfPresent(String.self, forKey: .tool)
        browser = try c.decodeIfPresent(String.self, forKey: .browser)
        browserName = try c.decodeIfPresent(String.self, forKey: .browserName)
        browserVersion = try c.decodeIfPresent(String.self, forKey: .browserVersion)
        rounds = try c.decodeIfPresent([Round].self, forKey: .rounds) ?? []
    }

    /// One browser launch: its WebRTC settings and what it gathered.
    public struct Round: Codable, Sendable, Equatable {
        /// The round's policy name (docs/browser-sessions.md, per browser).
        public var policy: String?
        /// Host addresses hidden behind mDNS names.
        public var mdns: Bool?
        /// The exact WebRTC switches or preferences the round's browser was started with.
        public var settings: [String]?
        /// The first STUN URL of the round (the key most readers want); all servers are in `iceServers`.
        public var stun: String?
        public var iceServers: [String]
        /// Wall clock (ns since the epoch) when the round's browser was launched.
        public var startedNs: Int64?
        public var gatheringMs: Int?
        /// True when the page saw iceGatheringState == "complete" before its timeout.
        public var complete: Bool?
        public var candidates: [Candidate]
        public var errors: [CandidateError]
        /// Set when the round produced no report (browser did not start, page timed out, ...).
        public var failure: String?

        enum CodingKeys: String, CodingKey {
            case policy, mdns, settings, stun, iceServers = "ice_servers", startedNs = "started_ns"
            case gatheringMs = "gathering_ms", complete, candidates, errors, failure
        }

        public init(policy: String? = nil, mdns: Bool? = nil, settings: [String]? = nil, stun: String? = nil,
                    iceServers: [String] = [], startedNs: Int64? = nil, gatheringMs: Int? = nil,
                    complete: Bool? = nil, candidates: [Candidate] = [], errors: [CandidateError] = [],
                    failure: String? = nil) {
            self.policy = policy; self.mdns = mdns; self.settings = settings; self.stun = stun
            self.iceServers = iceServers; self.startedNs = startedNs; self.gatheringMs = gatheringMs
            self.complete = complete; self.candidates = candidates; self.errors = errors; self.failure = failure
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            policy = try c.decodeIfPresent(String.self, forKey: .policy)
            mdns = try c.decodeIfPresent(Bool.self, forKey: .mdns)
            settings = try c.decodeIfPresent([String].self, forKey: .settings)
            stun = try c.decodeIfPresent(String.self, forKey: .stun)
            iceServers = try c.decodeIfPresent([String].self, forKey: .iceServers) ?? []
            startedNs = try c.decodeIfPresent(Int64.self, forKey: .startedNs)
            gatheringMs = try c.decodeIfPresent(Int.self, forKey: .gatheringMs)
            complete = try c.decodeIfPresent(Bool.self, forKey: .complete)
            candidates = try c.decodeIfPresent([Candidate].self, forKey: .candidates) ?? []
            errors = try c.decodeIfPresent([CandidateError].self, forKey: .errors) ?? []
            failure = try c.decodeIfPresent(String.self, forKey: .failure)
        }
    }

    /// One `candidate:` line, as the probe parsed it (RFC 8839).
    public struct Candidate: Codable, Sendable, Equatable {
        /// host / srflx / prflx / relay.
        public var type: String
        /// An IP literal or an mDNS name (`UUID.local`).
        public var address: String
        public var port: Int
        public var `protocol`: String?
        public var relatedAddress: String?
        public var relatedPort: Int?
        /// The ICE server URL the candidate came from (RTCPeerConnectionIceEvent.url); nil for host candidates.
        public var url: String?
        public var foundation: String?
        public var component: Int?
        public var priority: UInt32?
        public var tcpType: String?
        /// The `candidate:` line as the browser wrote it.
        public var line: String?

        enum CodingKeys: String, CodingKey {
            case type, address, port, `protocol`, relatedAddress = "related_address", relatedPort = "related_port"
            case url, foundation, component, priority, tcpType = "tcp_type", line
        }

        public init(type: String, address: String, port: Int, protocol p: String? = "udp", relatedAddress: String? = nil,
                    relatedPort: Int? = nil, url: String? = nil, foundation: String? = nil, component: Int? = nil,
                    priority: UInt32? = nil, tcpType: String? = nil, line: String? = nil) {
            self.type = type; self.address = address; self.port = port; self.protocol = p
            self.relatedAddress = relatedAddress; self.relatedPort = relatedPort; self.url = url
            self.foundation = foundation; self.component = component; self.priority = priority
            self.tcpType = tcpType; self.line = line
        }
    }

    /// An icecandidateerror event (e.g. 701: STUN server unreachable).
    public struct CandidateError: Codable, Sendable, Equatable {
        public var url: String?
        public var code: Int?
        public var text: String?
        public var address: String?
        public var port: Int?
        public init(url: String? = nil, code: Int? = nil, text: String? = nil, address: String? = nil, port: Int? = nil) {
            self.url = url; self.code = code; self.text = text; self.address = address; self.port = port
        }
    }
}

// MARK: - writing

extension CandidateSidecar {
    /// Pretty, sorted keys, slashes unescaped, a final newline.
    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var d = try e.encode(self)
        d.append(0x0A)
        return d
    }

    /// `dir/x.pcapng` -> `dir/x.candidates.json` (the sidecar sits next to its capture).
    public static func sidecarPath(forCapture path: String) -> String {
        var base = path
        for ext in [".pcapng", ".pcap", ".cap"] where base.lowercased().hasSuffix(ext) {
            base.removeLast(ext.count)
            break
        }
        return base + ".candidates.json"
    }
}

// MARK: - reading

/// Bounds on what a sidecar may cost: it is input like a capture.
public enum SidecarLimits {
    /// Larger files are refused (a real sidecar is a few KiB).
    public static let maxBytes = 16 << 20
    public static let maxSidecars = 16
    public static let maxRounds = 64
    /// Candidates kept per sidecar (over all rounds); the rest are counted in a warning.
    public static let maxCandidates = 1_024
    /// Longer strings (address, url, policy) are cut: they come from a web page.
    public static let maxStringLength = 256
}

/// A sidecar read from disk, or why not.
public enum SidecarLoad: Sendable {
    case loaded(CandidateSidecar, warnings: [String])
    case failed(String)
}

extension CandidateSidecar {
    /// Reads and checks a sidecar; never throws: a problem is a warning naming the file.
    public static func load(path: String) -> SidecarLoad {
        // Only a regular file is opened: a name from a capture could point at a FIFO or a device.
        switch SidecarFile.read(path, limit: SidecarLimits.maxBytes) {
        case .contents(let bytes): return decode(Data(bytes), name: path)
        case .absent: return .failed("\(path): cannot open candidates sidecar: no such file")
        case .notRegular(let what): return .failed("\(path): candidates sidecar is \(what), not a regular file; not opened")
        case .tooLarge: return .failed("\(path): candidates sidecar larger than \(SidecarLimits.maxBytes >> 20) MiB, ignored")
        case .failed(let e): return .failed("\(path): cannot read candidates sidecar (\(String(cString: strerror(e))))")
        }
    }

    /// Decodes sidecar bytes (`name` for messages), applying `SidecarLimits`.
    public static func decode(_ data: Data, name: String) -> SidecarLoad {
        var s: CandidateSidecar
        do {
            s = try JSONDecoder().decode(CandidateSidecar.self, from: data)
        } catch {
            return .failed("\(name): malformed candidates sidecar (\(Self.describe(error))), ignored")
        }
        guard s.schema == schemaName || s.schema.hasPrefix(schemaName + ".") else {
            return .failed("\(name): schema \(s.schema.prefix(64)) is not \(schemaName), ignored")
        }
        var warnings: [String] = []
        if s.rounds.count > SidecarLimits.maxRounds {
            warnings.append("\(name): \(s.rounds.count) rounds, only the first \(SidecarLimits.maxRounds) kept")
            s.rounds = Array(s.rounds.prefix(SidecarLimits.maxRounds))
        }
        var budget = SidecarLimits.maxCandidates, dropped = 0
        for i in s.rounds.indices {
            let keep = min(budget, s.rounds[i].candidates.count)
            dropped += s.rounds[i].candidates.count - keep
            s.rounds[i].candidates = s.rounds[i].candidates.prefix(keep).map(\.bounded)
            budget -= keep
            s.rounds[i].policy = s.rounds[i].policy.map(cut)
            s.rounds[i].stun = s.rounds[i].stun.map(cut)
            s.rounds[i].failure = s.rounds[i].failure.map(cut)
        }
        if dropped > 0 { warnings.append("\(name): \(dropped) candidates beyond \(SidecarLimits.maxCandidates) not joined") }
        s.capture = s.capture.map(cut)
        s.browser = s.browser.map(cut)
        s.browserName = s.browserName.map(cut)
        s.browserVersion = s.browserVersion.map(cut)
        return .loaded(s, warnings: warnings)
    }

    static func cut(_ s: String) -> String {
        s.count <= SidecarLimits.maxStringLength ? s : String(s.prefix(SidecarLimits.maxStringLength)) + "…"
    }

    static func describe(_ e: any Error) -> String {
        switch e as? DecodingError {
        case .dataCorrupted(let c)?: "not JSON: \(c.debugDescription.prefix(120))"
        case .keyNotFound(let k, let c)?: "missing key \(path(c.codingPath + [k]))"
        case .typeMismatch(_, let c)?: "wrong type at \(path(c.codingPath))"
        case .valueNotFound(_, let c)?: "null at \(path(c.codingPath))"
        default: "cannot decode"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}

extension CandidateSidecar.Candidate {
    var bounded: Self {
        var c = self
        c.type = CandidateSidecar.cut(type)
        c.address = CandidateSidecar.cut(address)
        c.protocol = self.protocol.map(CandidateSidecar.cut)
        c.relatedAddress = relatedAddress.map(CandidateSidecar.cut)
        c.url = url.map(CandidateSidecar.cut)
        return c
    }
}
