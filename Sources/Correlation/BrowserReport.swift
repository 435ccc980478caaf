/// `browser` in the analysis JSON (schema 1.1, docs/analysis-json.md): the
/// candidates the browser reported (its sidecar) joined with the packets that
/// carried them. Absent when no sidecar was found or given.
public struct BrowserReport: Codable, Sendable, Equatable {
    public var sidecars: [Sidecar]
    public var rounds: [Round]
    /// One sentence per candidate, in round order: what the page learned and which frames show it.
    public var statements: [String]
    /// Sidecars that could not be used, and bounds hit (a sidecar never fails the analysis).
    public var warnings: [String]?

    public init(sidecars: [Sidecar] = [], rounds: [Round] = [], statements: [String] = [], warnings: [String]? = nil) {
        self.sidecars = sidecars; self.rounds = rounds; self.statements = statements; self.warnings = warnings
    }

    public struct Sidecar: Codable, Sendable, Equatable {
        public var file: String
        /// The input capture it belongs to (or the sidecar's own `capture` key when it matches no input).
        public var capture: String?
        /// "beside the capture", "section comment", "option --candidates".
        public var foundBy: String
        public init(file: String, capture: String?, foundBy: String) { self.file = file; self.capture = capture; self.foundBy = foundBy }
        enum CodingKeys: String, CodingKey { case file, capture, foundBy = "found_by" }
    }

    public struct Round: Codable, Sendable, Equatable {
        /// Index into `sidecars`.
        public var sidecar: Int
        public var policy: String?
        public var mdns: Bool?
        public var stun: String?
        public var complete: Bool?
        public var failure: String?
        public var candidates: [Candidate]
    }

    public struct Candidate: Codable, Sendable, Equatable {
        public var type: String
        public var address: String
        public var port: Int
        public var `protocol`: String?
        public var relatedAddress: String?
        public var relatedPort: Int?
        public var url: String?
        /// A packet in the capture carries exactly this candidate (address and port).
        public var seenOnWire: Bool
        public var evidence: CandidateEvidence?
        public var statement: String
        enum CodingKeys: String, CodingKey {
            case type, address, port, `protocol`, relatedAddress = "related_address", relatedPort = "related_port", url
            case seenOnWire = "seen_on_wire", evidence, statement
        }
    }

    public struct CandidateEvidence: Codable, Sendable, Equatable {
        /// The webrtc finding the exchange belongs to (it left outside the tunnel).
        public var finding: String?
        /// STUN/TURN exchange (srflx, prflx, relay).
        public var method: String?
        public var requestFrame: Int?
        public var responseFrame: Int?
        public var stunServer: String?
        /// Host candidates: the first frame sent from the candidate (or the mDNS announcement of its name).
        public var frame: Int?
        /// mDNS host candidates: the address the announcement gave the name.
        public var announcedAddress: String?
        /// "address:port", or "address" when only the host address (not the port) was seen.
        public var matched: String
        public var interface: String
        /// "physical" (outside the tunnel) or "tunnel".
        public var path: String
        public var file: String
        public init(finding: String? = nil, method: String? = nil, requestFrame: Int? = nil, responseFrame: Int? = nil,
                    stunServer: String? = nil, frame: Int? = nil, announcedAddress: String? = nil, matched: String,
                    interface: String, path: String, file: String) {
            self.finding = finding; self.method = method; self.requestFrame = requestFrame; self.responseFrame = responseFrame
            self.stunServer = stunServer; self.frame = frame; self.announcedAddress = announcedAddress; self.matched = matched
            self.interface = interface; self.path = path; self.file = file
        }
        enum CodingKeys: String, CodingKey {
            case finding, method, requestFrame = "request_frame", responseFrame = "response_frame"
            case stunServer = "stun_server", frame, announcedAddress = "announced_address", matched
            case interface, path, file
        }
    }
}
