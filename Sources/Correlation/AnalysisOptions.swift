import Dissectors

/// What the user told the analysis (CLI options), plus the bounds it keeps.
public struct AnalysisOptions: Sendable {
    /// Interface names that are tunnels (`--tunnel`); when non-empty, name patterns are not used.
    public var tunnelNames: [String] = []
    /// Interface names that are physical (`--physical`); when non-empty, other non-tunnel interfaces are ignored.
    public var physicalNames: [String] = []
    /// VPN endpoints (`--vpn-endpoint ADDR[:PORT]`); when non-empty, no endpoint is inferred.
    public var vpnEndpoints: [EndpointSpec] = []
    /// SLL2 interface index -> name (`--ifindex 3=wg0`), merged with any name table found beside the capture.
    public var interfaceIndexNames: [UInt32: String] = [:]
    /// Role of a classic pcap's single unnamed interface (`--interface-role`).
    public var classicInterfaceRole: InterfaceRole = .physical
    /// Was `classicInterfaceRole` given explicitly (changes the `decided_by` text).
    public var classicInterfaceRoleGiven = false
    /// Tunnel quiet this long (capture time) while a leak appears opens a tunnel-failure span.
    public var tunnelGapNanoseconds: Int64 = 2_000_000_000
    /// Leaked packets of one group further apart than this start a new finding.
    public var groupGapNanoseconds: Int64 = 60_000_000_000
    public var limits = CorrelationLimits()
    /// Candidates sidecars given with `--candidates` (docs/browser-sessions.md).
    public var candidateFiles: [String] = []
    /// Look for sidecars beside the captures and in their section comments.
    public var discoverCandidates = true
    /// Read WireGuard transport-data packets through the carrier fast path (`CarrierDatagram`)
    /// instead of a full dissection. The analysis is the same either way (tests compare them);
    /// `leakscope analyze --no-fast-path` turns it off to check that on any capture.
    public var carrierFastPath = true
    /// Each pass reads its packets on a second thread ahead of it (`ReadAhead`) when the inputs
    /// hold at least this many bytes together and the machine has a second processor; nil never.
    /// The analysis is the same either way; only the time and the CPU it takes change.
    public var readAheadMinimumBytes: Int? = AnalysisOptions.defaultReadAheadMinimumBytes
    public static let defaultReadAheadMinimumBytes = 8 << 20

    public init() {}
}

/// A VPN endpoint the user named: an address and optionally a port (any port when nil).
public struct EndpointSpec: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16?
    public init(address: IPAddress, port: UInt16?) { self.address = address; self.port = port }

    /// Parses `192.0.2.1`, `192.0.2.1:51820`, `2001:db8::1`, `[2001:db8::1]:51820`.
    public init?(parsing s: String) {
        var host = Substring(s), port: UInt16?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let p = UInt16(rest.dropFirst()) else { return nil }
                port = p
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            guard let p = UInt16(host[host.index(after: colon)...]) else { return nil }
            port = p
            host = host[..<colon]
        }
        guard let a = IPAddress(parsing: String(host)) else { return nil }
        self.init(address: a, port: port)
    }

    public var description: String {
        guard let port else { return address.description }
        return address.isV4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }
}

/// Bounds on the correlator's state (docs/leak-model.md, "Bounds"). Hitting one is counted in the output.
public struct CorrelationLimits: Sendable {
    /// Flows tracked at once (direction, class, pending packets).
    public var maxFlows = 65_536
    /// A flow idle this long (capture time) is forgotten.
    public var flowIdleNanoseconds: Int64 = 300_000_000_000
    /// STUN and DNS transactions waiting for a response, each.
    public var maxPendingTransactions = 4_096
    /// A request unanswered this long is forgotten.
    public var transactionTimeoutNanoseconds: Int64 = 30_000_000_000
    /// Findings kept; leaks that would open more are counted, not listed.
    public var maxFindings = 10_000
    /// Frame numbers kept per finding / observation; the rest are counted.
    public var maxFramesPerFinding = 1_000
    /// Entries kept per evidence list (transactions, queries, flows, destinations, names).
    public var maxEvidenceItems = 256
    /// Leaked DNS answers remembered to name later flows.
    public var maxRememberedAnswers = 4_096
    /// STUN servers / destinations seen through the tunnel, remembered for `also_via_tunnel`.
    public var maxTunnelPeers = 4_096
    /// Frames a flow holds while its class is undecided (TCP before payload, inbound before an answer).
    public var maxPendingFramesPerFlow = 8
    /// Host addresses kept per interface.
    public var maxHostAddresses = 64
    /// Flows whose VPN-protocol packets pass 1 counts for the carrier rules (docs/leak-model.md).
    public var maxCarrierFlows = 1_024

    public init() {}
}
