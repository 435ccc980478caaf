import CaptureFiles
import Foundation

/// What the browser itself reported: a `leakscope-candidates/1` sidecar
/// (docs/browser-sessions.md), written by `leakscope probe` / `capture --browser`.
///
/// Mirrors only the keys the join needs; unknown keys are ignored (the schema
/// may add keys). Defined here rather than shared with BrowserSession so the
/// policy module does not depend on the browser driver.
public struct CandidateSidecar: Decodable, Sendable, Equatable {
    public var schema: String
    public var capture: String?
    public var browser: String?
    public var rounds: [Round]

    public struct Round: Decodable, Sendable, Equatable {
        public var policy: String?
        public var mdns: Bool?
        public var stun: String?
        public var startedNs: Int64?
        public var complete: Bool?
        public var failure: String?
        public var candidates: [Candidate]
        enum CodingKeys: String, CodingKey {
            case policy, mdns, stun, startedNs = "started_ns", complete, failure, candidates
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            policy = try c.decodeIfPresent(String.self, forKey: .policy)
            mdns = try c.decodeIfPresent(Bool.self, forKey: .mdns)
            stun = try c.decodeIfPresent(String.self, forKey: .stun)
            startedNs = try c.decodeIfPresent(Int64.self, forKey: .startedNs)
            complete = try c.decodeIfPresent(Bool.self, forKey: .complete)
            failure = try c.decodeIfPresent(String.self, forKey: .failure)
            candidates = try c.decodeIfPresent([Candidate].self, forKey: .candidates) ?? []
        }
        public init(policy: String? = nil, mdns: Bool? = nil, stun: String? = nil, candidates: [Candidate]) {
            self.policy = policy; self.mdns = mdns; self.stun = stun; self.candidates = candidates
        }
    }

    public struct Candidate: Decodable, Sendable, Equatable {
        public var type: String
        public var address: String
        public var port: Int
        public var `protocol`: String?
        public var relatedAddress: String?
        public var relatedPort: Int?
        public var url: String?
        enum CodingKeys: String, CodingKey {
            case type, address, port, `protocol`, relatedAddress = "related_address", relatedPort = "related_port", url
        }
        public init(type: String, address: String, port: Int, protocol p: String? = "udp", relatedAddress: String? = nil,
                    relatedPort: Int? = nil, url: String? = nil) {
            self.type = type; self.address = address; self.port = port; self.protocol = p
            self.relatedAddress = relatedAddress; self.relatedPort = relatedPort; self.url = url
        }
    }

    public init(schema: String = "leakscope-candidates/1", capture: String? = nil, rounds: [Round]) {
        self.schema = schema; self.capture = capture; self.rounds = rounds
    }

    enum CodingKeys: String, CodingKey { case schema, capture, browser, rounds }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decode(String.self, forKey: .schema)
        capture = try c.decodeIfPresent(String.self, forKey: .capture)
        browser = try c.decodeIfPresent(String.self, forKey: .browser)
        rounds = try c.decodeIfPresent([Round].self, forKey: .rounds) ?? []
    }
}

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
        guard s.schema == "leakscope-candidates/1" || s.schema.hasPrefix("leakscope-candidates/1.") else {
            return .failed("\(name): schema \(s.schema.prefix(64)) is not leakscope-candidates/1, ignored")
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
