/// The positive control of an analysis (schema 1.3, docs/analysis-json.md):
/// whether the capture could have seen a leak, path by path, before the
/// analysis may say "no leak seen" (docs/leak-model.md, "Positive control").
public struct PositiveControl: Codable, Sendable, Equatable {
    /// `verified`: every path shows the sensor sees it; `blind`: `reasons` say why a leak could
    /// have gone unseen (the verdict is then "cannot tell" unless leaks were found anyway).
    public var status: Status
    /// What the canaries say about a kill switch on the physical paths.
    public var killSwitch: KillSwitch
    /// Why the sensor may be blind, one sentence each (empty when verified).
    public var reasons: [String]
    public var coverage: Coverage
    public var paths: [Path]
    public var canaries: [Canary]

    public enum Status: String, Codable, Sendable { case verified, blind }

    public enum KillSwitch: String, Codable, Sendable {
        /// Every physical canary was kept off the wire while the carrier shows the sensor sees that path.
        case verified
        /// A physical canary reached the wire: a socket bound to that interface gets around the tunnel.
        case notEnforced = "not-enforced"
        /// No canary was sent on a physical interface.
        case notTested = "not-tested"
        /// A physical canary was not seen, but nothing shows the sensor would have seen it.
        case cannotTell = "cannot-tell"
    }

    enum CodingKeys: String, CodingKey {
        case status, killSwitch = "kill_switch", reasons, coverage, paths, canaries
    }

    /// Coverage: whether every interface that holds a route was captured.
    public struct Coverage: Codable, Sendable, Equatable {
        /// At least one routing table was recorded in the captures.
        public var recorded: Bool
        /// The interfaces the captures recorded (IDB names, all files).
        public var captured: [String]
        public var snapshots: [Snapshot]
        /// Routes through an interface that was not captured (and is not loopback or a tunnel).
        public var gaps: [Gap]
        public var statement: String
    }

    public struct Snapshot: Codable, Sendable, Equatable {
        public var file: String
        /// start, change, stop
        public var moment: String
        public var timeNs: Int64
        public var time: String
        public var routes: Int
        public var routesOmitted: Int?
        public var changesOmitted: Int?
        public var namespace: String?
        /// The capture could not read the table: why.
        public var unavailable: String?
        enum CodingKeys: String, CodingKey {
            case file, moment, timeNs = "time_ns", time, routes, routesOmitted = "routes_omitted"
            case changesOmitted = "changes_omitted", namespace, unavailable
        }
    }

    public struct Gap: Codable, Sendable, Equatable {
        public var file: String
        /// The uncaptured interface (`unknown` when the route names none the capture could resolve).
        public var interface: String
        /// The routes through it (route lines as recorded), at most `max_evidence_items`.
        public var routes: [String]
        /// The snapshots that held them (start, change at TIME, stop).
        public var seen: [String]
    }

    /// One captured interface and what shows the sensor sees it.
    public struct Path: Codable, Sendable, Equatable {
        public var file: String
        public var interface: String
        /// physical or tunnel (the analysis' role).
        public var role: String
        /// canary-seen, kill-switch-verified, carrier-seen, no-route, dropped, blind (physical);
        /// canary-seen, canary-not-seen, not-tested (tunnel).
        public var evidence: String
        public var statement: String
        /// Carrier packets of a VPN on this interface, sent by the host / received by it.
        public var carrierSent: Int
        public var carrierReceived: Int
        public var firstCarrierFrame: Int?
        public var canariesSent: Int
        public var canariesSeen: Int
        /// Forwarding routes through this interface in the recorded tables (nil: not recorded).
        public var routes: Int?
        /// ISB `isb_osdrop` / `isb_ifdrop` (nil: the capture did not say).
        public var kernelDrops: UInt64?
        public var interfaceDrops: UInt64?
        enum CodingKeys: String, CodingKey {
            case file, interface, role, evidence, statement, carrierSent = "carrier_sent"
            case carrierReceived = "carrier_received", firstCarrierFrame = "first_carrier_frame"
            case canariesSent = "canaries_sent", canariesSeen = "canaries_seen", routes
            case kernelDrops = "kernel_drops", interfaceDrops = "interface_drops"
        }
    }

    /// One canary the capture recorded and where the analysis found it.
    public struct Canary: Codable, Sendable, Equatable {
        public var file: String
        public var token: String
        public var number: Int
        public var label: String
        public var interface: String
        /// The path the capture sent it on: physical or tunnel.
        public var path: String
        public var timeNs: Int64
        public var time: String
        public var source: String?
        public var destination: String
        /// sent (the kernel took it) or refused (`failure` says why).
        public var result: String
        public var failure: String?
        /// Frames showing it on the wire, and the interfaces they are on.
        public var seenFrames: [Int]
        public var seenOn: [String]
        /// ICMP errors quoting it (someone on the path answered it).
        public var icmpFrames: [Int]
        enum CodingKeys: String, CodingKey {
            case file, token, number, label, interface, path, timeNs = "time_ns", time, source, destination
            case result, failure, seenFrames = "seen_frames", seenOn = "seen_on", icmpFrames = "icmp_frames"
        }
    }
}
