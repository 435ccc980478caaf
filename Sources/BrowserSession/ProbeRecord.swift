import Foundation

/// The candidate sidecar (`CAPTURE.candidates.json`): what the browser itself
/// said it gathered, round by round. Schema in docs/browser-sessions.md; keep it
/// simple, other stages read it.
public struct ProbeRecord: Sendable, Codable, Equatable {
    public var schema: String = "leakscope-candidates/1"
    /// File name (no directory) of the capture recorded during the session, if any.
    public var capture: String?
    public var tool: String
    public var browser: String?
    public var rounds: [Round]

    public init(capture: String?, tool: String, browser: String?, rounds: [Round]) {
        self.capture = capture; self.tool = tool; self.browser = browser; self.rounds = rounds
    }

    public struct Round: Sendable, Codable, Equatable {
        public var policy: String
        public var mdns: Bool
        /// The first STUN URL of the round (the key most readers want); all servers are in `iceServers`.
        public var stun: String?
        public var iceServers: [String]
        public var startedNs: Int64
        public var gatheringMs: Int?
        /// True when the page saw iceGatheringState == "complete" before its timeout.
        public var complete: Bool
        public var candidates: [Candidate]
        public var errors: [CandidateError]
        /// Set when the round produced no report (browser did not start, page timed out, ...).
        public var failure: String?

        enum CodingKeys: String, CodingKey {
            case policy, mdns, stun, iceServers = "ice_servers", startedNs = "started_ns"
            case gatheringMs = "gathering_ms", complete, candidates, errors, failure
        }

        public init(policy: String, mdns: Bool, stun: String?, iceServers: [String], startedNs: Int64,
                    gatheringMs: Int? = nil, complete: Bool = false, candidates: [Candidate] = [],
                    errors: [CandidateError] = [], failure: String? = nil) {
            self.policy = policy; self.mdns = mdns; self.stun = stun; self.iceServers = iceServers
            self.startedNs = startedNs; self.gatheringMs = gatheringMs; self.complete = complete
            self.candidates = candidates; self.errors = errors; self.failure = failure
        }
    }

    public struct Candidate: Sendable, Codable, Equatable {
        public var type: String
        public var address: String
        public var port: Int
        public var protocol_: String
        public var relatedAddress: String?
        public var relatedPort: Int?
        /// The ICE server URL the candidate came from (RTCPeerConnectionIceEvent.url); nil for host candidates.
        public var url: String?
        public var foundation: String
        public var component: Int
        public var priority: UInt32
        public var tcpType: String?
        /// The `candidate:` line as the browser wrote it.
        public var line: String

        enum CodingKeys: String, CodingKey {
            case type, address, port, protocol_ = "protocol", relatedAddress = "related_address"
            case relatedPort = "related_port", url, foundation, component, priority, tcpType = "tcp_type", line
        }

        public init(_ c: ICECandidate, url: String?, line: String) {
            type = c.type; address = c.address; port = c.port; protocol_ = c.transport
            relatedAddress = c.relatedAddress; relatedPort = c.relatedPort; self.url = url
            foundation = c.foundation; component = c.component; priority = c.priority
            tcpType = c.tcpType; self.line = line
        }
    }

    /// An icecandidateerror event (e.g. 701: STUN server unreachable).
    public struct CandidateError: Sendable, Codable, Equatable {
        public var url: String?
        public var code: Int?
        public var text: String?
        public var address: String?
        public var port: Int?
    }

    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var d = try e.encode(self)
        d.append(0x0A)
        return d
    }

    public static func decode(_ data: Data) throws -> ProbeRecord {
        try JSONDecoder().decode(ProbeRecord.self, from: data)
    }
}

extension ProbeRecord {
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
