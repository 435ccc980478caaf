/// The analysis as data: what `leakscope analyze --format json` prints
/// (docs/analysis-json.md). Keys are snake_case and never renamed; new keys may be added.
public struct Analysis: Codable, Sendable, Equatable {
    public static let schemaVersion = "1.5"
    public var schemaVersion = Analysis.schemaVersion
    public var verdict: Verdict
    public var tunnel: TunnelReport
    public var findings: [Finding]
    public var observations: [Observation]
    public var exposedPublicAddresses: [ExposedAddress]
    /// What the analysis assumed (roles, endpoints, host addresses, direction), in plain words.
    public var assumptions: [String]
    /// Packets per verdict (tunnel, carrier, housekeeping, leak, inbound-only, local, other-host, loopback, ignored, undecodable).
    public var packetVerdicts: [String: Int]
    public var files: [FileReport]
    public var bounds: BoundsReport
    public var settings: Settings
    /// The browser's own candidate list joined with the packets (schema 1.1); nil without a sidecar.
    public var browser: BrowserReport? = nil
    /// Tunnel events and the leak window around each (schema 1.2); nil when there was none.
    public var leakWindows: [LeakWindow]? = nil
    /// Whether the capture could have seen a leak, path by path (schema 1.3; docs/leak-model.md, "Positive control").
    public var positiveControl: PositiveControl? = nil

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", verdict, tunnel, findings, observations
        case exposedPublicAddresses = "exposed_public_addresses", assumptions
        case packetVerdicts = "packet_verdicts", files, bounds, settings, browser
        case leakWindows = "leak_windows"
        case positiveControl = "positive_control"
    }

    /// One tunnel event and the span around it in which packets could escape (docs/leak-model.md,
    /// "Leak windows and tunnel failure"): from the tunnel's last activity before the event to its
    /// next activity (or the end of the capture), with what escaped meanwhile.
    public struct LeakWindow: Codable, Sendable, Equatable {
        public var id: String
        /// interface-vanished, interface-down, interface-failed, endpoint-switch, reconnect, carrier-gap, tunnel-quiet.
        public var event: String
        public var eventDetail: String
        /// Frames of the event itself (the handshake that reconnected or switched).
        public var eventFrames: [Int]?
        public var file: String
        public var fileIndex: Int
        /// Where the escaped packets left (absent when nothing escaped).
        public var interface: String?
        public var startNs: Int64
        public var endNs: Int64
        public var startTime: String
        public var endTime: String
        public var durationMs: Int
        /// The tunnel had not come back when the capture ended.
        public var openAtEnd: Bool
        /// Leaked packets (both directions) inside the window, their bytes, classes and frames.
        public var packets: Int
        public var bytes: Int
        public var classes: [String]
        public var frames: [Int]
        public var framesOmitted: Int
        /// The window is a tunnel failure (a `tunnel-failure` finding, `finding_id`), and why or why not.
        public var tunnelFailure: Bool
        public var judgement: String
        public var findingId: String?

        enum CodingKeys: String, CodingKey {
            case id, event, eventDetail = "event_detail", eventFrames = "event_frames", file, fileIndex = "file_index"
            case interface, startNs = "start_ns", endNs = "end_ns", startTime = "start_time", endTime = "end_time"
            case durationMs = "duration_ms", openAtEnd = "open_at_end", packets, bytes, classes, frames
            case framesOmitted = "frames_omitted", tunnelFailure = "tunnel_failure", judgement, findingId = "finding_id"
        }
    }

    public struct Verdict: Codable, Sendable, Equatable {
        public var status: Status
        public var reason: String
        public enum Status: String, Codable, Sendable { case leaksFound = "leaks-found", noLeakSeen = "no-leak-seen", cannotTell = "cannot-tell" }
    }

    public struct TunnelReport: Codable, Sendable, Equatable {
        public var interfaces: [InterfaceReport]
        public var vpnEndpoints: [EndpointReport]
        public var hostAddresses: [HostAddressReport]
        enum CodingKeys: String, CodingKey {
            case interfaces, vpnEndpoints = "vpn_endpoints", hostAddresses = "host_addresses"
        }
    }

    public struct InterfaceReport: Codable, Sendable, Equatable {
        public var file: String
        public var id: Int
        /// SLL2 interface index, for interfaces of a Linux `any` capture.
        public var ifindex: Int?
        public var name: String
        public var linkType: String
        public var role: InterfaceRole
        public var decidedBy: String
        public var packets: Int
        enum CodingKeys: String, CodingKey {
            case file, id, ifindex, name, linkType = "link_type", role, decidedBy = "decided_by", packets
        }
    }

    public struct EndpointReport: Codable, Sendable, Equatable {
        public var address: String
        public var port: Int?
        public var transport: String?
        public var `protocol`: String
        public var decidedBy: String
        enum CodingKeys: String, CodingKey { case address, port, transport, `protocol`, decidedBy = "decided_by" }
    }

    public struct HostAddressReport: Codable, Sendable, Equatable {
        public var address: String
        public var interface: String
        public var file: String
        public var decidedBy: String
        enum CodingKeys: String, CodingKey { case address, interface, file, decidedBy = "decided_by" }
    }

    public struct ExposedAddress: Codable, Sendable, Equatable {
        public var address: String
        public var how: String
        /// "physical": the real address, seen outside the tunnel; "tunnel": the VPN's exit address.
        public var path: String
        public var findingId: String?
        /// The STUN/TURN server that reported the address ("203.0.113.10:3478") and the response's frame
        /// (schema 1.4; absent for addresses seen as packet sources).
        public var server: String? = nil
        public var frame: Int? = nil
        enum CodingKeys: String, CodingKey { case address, how, path, findingId = "finding_id", server, frame }
    }

    public struct FileReport: Codable, Sendable, Equatable {
        public var file: String
        public var packets: Int
        /// The reader stopped at damage: what and where.
        public var damage: String?
        public var warnings: [String]
    }

    /// Bounds of docs/leak-model.md and how often each was hit (0 = never: the analysis is complete).
    public struct BoundsReport: Codable, Sendable, Equatable {
        public var maxFlows: Int
        public var flowsRefused: Int
        public var maxPendingTransactions: Int
        public var transactionsDropped: Int
        public var maxFindings: Int
        public var findingsDropped: Int
        public var packetsInDroppedFindings: Int
        public var maxFramesPerFinding: Int
        public var findingsWithFramesOmitted: Int
        public var maxEvidenceItems: Int
        public var evidenceItemsOmitted: Int
        public var modelBoundsHit: Int
        /// The dissector's IP reassembly table (schema 1.5; absent in older records): datagrams
        /// reassembled at once, datagrams dropped before they completed (timed out, or the oldest
        /// evicted when the table was full) and fragments refused (too large, past the end).
        public var maxFragmentedDatagrams: Int? = nil
        public var datagramsDroppedIncomplete: Int? = nil
        public var fragmentsRefused: Int? = nil
        enum CodingKeys: String, CodingKey {
            case maxFlows = "max_flows", flowsRefused = "flows_refused"
            case maxPendingTransactions = "max_pending_transactions", transactionsDropped = "transactions_dropped"
            case maxFindings = "max_findings", findingsDropped = "findings_dropped"
            case packetsInDroppedFindings = "packets_in_dropped_findings"
            case maxFramesPerFinding = "max_frames_per_finding", findingsWithFramesOmitted = "findings_with_frames_omitted"
            case maxEvidenceItems = "max_evidence_items", evidenceItemsOmitted = "evidence_items_omitted"
            case modelBoundsHit = "model_bounds_hit"
            case maxFragmentedDatagrams = "max_fragmented_datagrams"
            case datagramsDroppedIncomplete = "datagrams_dropped_incomplete", fragmentsRefused = "fragments_refused"
        }
        /// True when any bound was hit.
        public var anyHit: Bool {
            flowsRefused + transactionsDropped + findingsDropped + findingsWithFramesOmitted
                + evidenceItemsOmitted + modelBoundsHit + (datagramsDroppedIncomplete ?? 0) + (fragmentsRefused ?? 0) > 0
        }
    }

    public struct Settings: Codable, Sendable, Equatable {
        public var tunnelGapNs: Int64
        public var groupGapNs: Int64
        enum CodingKeys: String, CodingKey { case tunnelGapNs = "tunnel_gap_ns", groupGapNs = "group_gap_ns" }
    }
}

public enum LeakClass: String, Codable, Sendable, CaseIterable, Comparable {
    case webrtc, dns, ipv6, traffic
    case tunnelFailure = "tunnel-failure"
    /// Attacks on the client (schema 1.2): findings over leaked packets that keep their own class too.
    case routeInjection = "route-injection", localnet, serverip
    /// A class this version does not know, read from a newer minor version's record
    /// (`Finding.className` keeps its name). The correlator never makes one. Keep it last.
    case unrecognized

    /// An attack finding: its packets also belong to a finding of their own class.
    public var isAttack: Bool { self == .routeInjection || self == .localnet || self == .serverip }
    var order: Int { LeakClass.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Self, b: Self) -> Bool { a.order < b.order }
}

public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case low, medium, high
    var rank: Int { switch self { case .low: 1; case .medium: 2; case .high: 3 } }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

public struct Finding: Codable, Sendable, Equatable {
    public var id: String
    /// `.unrecognized` for a class a newer minor version added; `className` is its name.
    @RecordedLeakClass public var `class`: LeakClass
    public var severity: Severity
    /// Why this severity (the rule of docs/leak-model.md that applied).
    public var severityReason: String
    public var title: String
    public var file: String
    /// Index of `file` among the inputs (for the reports helper's evidence extraction).
    public var fileIndex: Int
    public var interface: String
    public var firstNs: Int64
    public var lastNs: Int64
    public var firstTime: String
    public var lastTime: String
    public var packets: Int
    public var bytes: Int
    /// Frame numbers (tshark's, in `file`), ascending, at most `max_frames_per_finding`.
    public var frames: [Int]
    /// Frames belonging to the finding but not listed (the bound was hit).
    public var framesOmitted: Int
    public var evidence: Evidence
    /// The flows the finding's packets belong to, with their Community IDs (schema 1.4), at most
    /// `bounds.max_evidence_items`; nil in records made before.
    public var citedFlows: [CitedFlow]? = nil
    /// Flows of the finding past that bound (absent when none).
    public var citedFlowsOmitted: Int? = nil

    /// The class as the record names it (a newer version's class keeps its own name).
    public var className: String { _class.name }

    enum CodingKeys: String, CodingKey {
        case id, `class`, severity, severityReason = "severity_reason", title, file, fileIndex = "file_index"
        case interface, firstNs = "first_ns", lastNs = "last_ns", firstTime = "first_time", lastTime = "last_time"
        case packets, bytes, frames, framesOmitted = "frames_omitted", evidence
        case citedFlows = "cited_flows", citedFlowsOmitted = "cited_flows_omitted"
    }
}

/// A leak class as a record names it: one this version knows, or
/// `.unrecognized` with the record's own name (a class a newer minor version
/// added), which is shown and written back unchanged instead of refusing the
/// record. `RecordJSON` still refuses an unknown class in a record of this
/// version or an older one (a corrupt record, not a newer one).
@propertyWrapper
public struct RecordedLeakClass: Codable, Sendable, Hashable {
    public var wrappedValue: LeakClass { didSet { unrecognizedName = nil } }
    /// The record's name for an `.unrecognized` class.
    public private(set) var unrecognizedName: String?

    public init(wrappedValue: LeakClass) { self.wrappedValue = wrappedValue }

    public init(name: String) {
        if let c = LeakClass(rawValue: name), c != .unrecognized { wrappedValue = c } else { wrappedValue = .unrecognized; unrecognizedName = name }
    }

    public var name: String { unrecognizedName ?? wrappedValue.rawValue }
    public var projectedValue: RecordedLeakClass { self }

    public init(from decoder: any Decoder) throws {
        self.init(name: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}

/// Class-specific evidence; only the keys of the finding's class are present.
public struct Evidence: Codable, Sendable, Equatable {
    // webrtc
    public var stunServer: String?
    public var transport: String?
    public var exposedAddresses: [String]?
    public var transactions: [STUNTransactionEvidence]?
    public var relayedAddresses: [String]?
    public var software: [String]?
    public var iceUfrags: [String]?
    public var iceChecks: Int?
    public var channelDataPackets: Int?
    public var icmpErrors: Int?
    public var alsoViaTunnel: Bool?
    /// A leaked DNS answer named this server (name and answer frame).
    public var serverName: String?
    // dns
    public var resolver: String?
    public var queries: [DNSQueryEvidence]?
    public var ecs: [String]?
    // ipv6
    public var source: String?
    public var sourceKind: String?
    public var eui64Mac: String?
    public var destinations: [String]?
    public var encapsulations: [String]?
    // traffic
    public var flows: [FlowEvidence]?
    public var looksLike: String?
    // tunnel-failure
    public var startNs: Int64?
    public var endNs: Int64?
    public var leakedFrames: [Int]?
    public var leakClasses: [String]?
    public var activitySignal: String?
    public var openAtEnd: Bool?
    /// The leak window (`leak_windows[].id`) and its tunnel event (schema 1.2).
    public var window: String?
    public var tunnelEvent: String?
    public var tunnelEventDetail: String?
    // route-injection
    public var pushedRoutes: [PushedRouteEvidence]?
    /// The dissector's notes on the pushing packets (a malformed or truncated route list).
    public var routeProblems: [String]?
    // localnet
    public var localNetwork: LocalNetworkEvidence?
    // serverip (and `resolver`)
    public var serverDNS: DNSQueryEvidence?
    public var vpnEndpoint: String?
    /// Entries left out of the lists above (bound `max_evidence_items`).
    public var itemsOmitted: Int?
    /// webrtc: what the browser said it learned from this exchange (`browser.statements`, schema 1.1).
    public var browserCandidates: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case stunServer = "stun_server", transport, exposedAddresses = "exposed_addresses", transactions
        case relayedAddresses = "relayed_addresses", software, iceUfrags = "ice_ufrags", iceChecks = "ice_checks"
        case channelDataPackets = "channel_data_packets", icmpErrors = "icmp_errors", alsoViaTunnel = "also_via_tunnel"
        case serverName = "server_name"
        case resolver, queries, ecs
        case source, sourceKind = "source_kind", eui64Mac = "eui64_mac", destinations, encapsulations
        case flows, looksLike = "looks_like"
        case startNs = "start_ns", endNs = "end_ns", leakedFrames = "leaked_frames", leakClasses = "leak_classes"
        case activitySignal = "activity_signal", openAtEnd = "open_at_end", itemsOmitted = "items_omitted"
        case browserCandidates = "browser_candidates"
        case window, tunnelEvent = "tunnel_event", tunnelEventDetail = "tunnel_event_detail"
        case pushedRoutes = "pushed_routes", routeProblems = "route_problems", localNetwork = "local_network"
        case serverDNS = "server_dns", vpnEndpoint = "vpn_endpoint"
    }
}

/// A route a DHCP server or router pushed (route-injection).
public struct PushedRouteEvidence: Codable, Sendable, Equatable {
    public var prefix: String
    public var router: String
    /// "DHCP option 121", "DHCP option 249", "RA route information".
    public var via: String
    /// The packets that pushed it (the first ones), and who sent the first.
    public var frames: [Int]
    public var pushedBy: String?
    /// "DHCP ACK", "DHCP OFFER", "Router Advertisement".
    public var message: String?
    public init(prefix: String, router: String, via: String, frames: [Int], pushedBy: String? = nil, message: String? = nil) {
        self.prefix = prefix; self.router = router; self.via = via; self.frames = frames
        self.pushedBy = pushedBy; self.message = message
    }
    enum CodingKeys: String, CodingKey { case prefix, router, via, frames, pushedBy = "pushed_by", message }
}

/// The physical interface's own network that holds globally routable addresses (localnet).
public struct LocalNetworkEvidence: Codable, Sendable, Equatable {
    public var prefix: String
    public var decidedBy: String
    public init(prefix: String, decidedBy: String) { self.prefix = prefix; self.decidedBy = decidedBy }
    enum CodingKeys: String, CodingKey { case prefix, decidedBy = "decided_by" }
}

public struct STUNTransactionEvidence: Codable, Sendable, Equatable {
    public var id: String
    public var method: String?
    public var requestFrame: Int?
    public var responseFrame: Int?
    public var mappedAddress: String?
    public var relayedAddress: String?
    public init(id: String, method: String? = nil, requestFrame: Int? = nil, responseFrame: Int? = nil,
                mappedAddress: String? = nil, relayedAddress: String? = nil) {
        self.id = id; self.method = method; self.requestFrame = requestFrame; self.responseFrame = responseFrame
        self.mappedAddress = mappedAddress; self.relayedAddress = relayedAddress
    }
    enum CodingKeys: String, CodingKey {
        case id, method, requestFrame = "request_frame", responseFrame = "response_frame"
        case mappedAddress = "mapped_address", relayedAddress = "relayed_address"
    }
}

public struct DNSQueryEvidence: Codable, Sendable, Equatable {
    public var name: String
    public var type: String
    public var frame: Int?
    public var responseFrame: Int?
    public var answers: [String]?
    public var rcode: String?
    public init(name: String, type: String, frame: Int? = nil, responseFrame: Int? = nil, answers: [String]? = nil,
                rcode: String? = nil) {
        self.name = name; self.type = type; self.frame = frame; self.responseFrame = responseFrame
        self.answers = answers; self.rcode = rcode
    }
    enum CodingKeys: String, CodingKey {
        case name, type, frame, responseFrame = "response_frame", answers, rcode
    }
}

public struct FlowEvidence: Codable, Sendable, Equatable {
    // Declared so that the small optionals share the words at the end (144 bytes, was 168 with
    // `Int?` ports): a hostile capture's record holds 256 per finding (CompactStateTests pins it).
    public var `protocol`: String
    public var src: String
    public var dst: String
    public var sni: String?
    public var host: String?
    /// The name a leaked DNS answer gave this destination, and that answer's frame.
    public var dnsName: String?
    public var packets: Int
    public var bytes: Int
    public var firstFrame: Int
    public var srcPort: UInt16?
    public var dstPort: UInt16?
    public var dnsResponseFrame: Int?
    public init(protocol p: String, src: String, srcPort: UInt16?, dst: String, dstPort: UInt16?, packets: Int, bytes: Int,
                firstFrame: Int, sni: String? = nil, host: String? = nil, dnsName: String? = nil, dnsResponseFrame: Int? = nil) {
        self.protocol = p; self.src = src; self.srcPort = srcPort; self.dst = dst; self.dstPort = dstPort
        self.packets = packets; self.bytes = bytes; self.firstFrame = firstFrame; self.sni = sni; self.host = host
        self.dnsName = dnsName; self.dnsResponseFrame = dnsResponseFrame
    }
    enum CodingKeys: String, CodingKey {
        case `protocol`, src, srcPort = "src_port", dst, dstPort = "dst_port", packets, bytes
        case firstFrame = "first_frame", sni, host, dnsName = "dns_name", dnsResponseFrame = "dns_response_frame"
    }
}

public struct Observation: Codable, Sendable, Equatable {
    /// mdns, llmnr, nbns, link-local, multicast, inbound-only
    public var kind: String
    public var file: String
    public var interface: String
    public var packets: Int
    public var frames: [Int]
    public var framesOmitted: Int
    /// Names announced or asked (mDNS / LLMNR / NBNS).
    public var names: [String]?
    /// Answers announced (e.g. a WebRTC `.local` candidate's real address).
    public var answers: [String]?
    public var sources: [String]?
    public var note: String
    /// The dissector's notes on these packets, "frame N: ..." (schema 1.2; a malformed route list).
    public var problems: [String]? = nil
    enum CodingKeys: String, CodingKey {
        case kind, file, interface, packets, frames, framesOmitted = "frames_omitted", names, answers, sources, note, problems
    }
}
