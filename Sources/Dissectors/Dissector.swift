/// Decodes packets into a reused `Dissection`, keeping bounded reassembly
/// state (IP fragments, TCP length-prefixed messages) between packets.
///
/// A `Dissector` is a value that owns its buffers through a private class:
/// copies share that state, so keep one per stream of packets (one per file or
/// live capture, in capture order). Not thread-safe; use one per thread.
///
///     var dissector = Dissector()
///     var d = Dissection()
///     while let packet = reader.next() { dissector.dissect(packet, into: &d); use(d) }
public struct Dissector {
    public var limits: DissectorLimits { fragments.limits }
    @usableFromInline let fragments: FragmentReassembler
    @usableFromInline let streams: TCPReassembler
    /// UDP conversations followed as OpenVPN after a client hard reset (see `UDPConversations`).
    @usableFromInline let openvpnConversations: UDPConversations
    /// Capture time of the current packet (reassembly ages state by capture time, not wall time).
    @usableFromInline var now: Int64 = 0
    /// Addresses of the innermost IP header stored for this packet (see `storeIP`).
    @usableFromInline var flowSource: IPAddress = .v4(0)
    @usableFromInline var flowDestination: IPAddress = .v4(0)
    @usableFromInline var flowJumbogram = false

    public init(limits: DissectorLimits = .init()) {
        fragments = FragmentReassembler(limits: limits)
        streams = TCPReassembler(limits: limits)
        openvpnConversations = UDPConversations(capacity: limits.maxOpenVPNConversations)
    }

    /// Dissects one packet into a fresh `Dissection` (convenient; copies the struct out).
    public mutating func dissect(_ packet: Packet) -> Dissection {
        var d = Dissection()
        dissect(packet, into: &d)
        return d
    }

    /// Dissects one packet into `d`, reusing its storage (the hot path: no allocation).
    public mutating func dissect(_ packet: Packet, into d: inout Dissection) {
        d.reset(for: packet)
        now = packet.timestampNanoseconds
        // Views handed out for the previous packet die now.
        fragments.releaseCompleted()
        streams.releaseCompleted()
        decodeLink(packet.linkType, packet.bytes, into: &d)
    }

    /// What the bounds cost so far (for reports: "N fragmented datagrams dropped incomplete").
    public var statistics: DissectorStatistics {
        DissectorStatistics(fragmentsPending: fragments.pendingCount,
                            datagramsDroppedIncomplete: fragments.evictedIncomplete,
                            fragmentsRefused: fragments.droppedFragments,
                            tcpMessagesPending: streams.pendingCount,
                            tcpMessagesDropped: streams.droppedMessages)
    }

    /// Drops all reassembly state (e.g. between unrelated files).
    public mutating func resetState() {
        fragments.removeAll()
        streams.removeAll()
        openvpnConversations.removeAll()
    }
}

/// Counters of reassembly state and of what the bounds dropped.
public struct DissectorStatistics: Sendable, Hashable, Encodable {
    /// IP datagrams with fragments still waiting.
    public var fragmentsPending: Int
    /// Datagrams dropped before completion (timeout or table full): fragments missing.
    public var datagramsDroppedIncomplete: Int
    /// Fragments refused (too large, past the end, table bound).
    public var fragmentsRefused: Int
    /// TCP flows with a partial message waiting.
    public var tcpMessagesPending: Int
    /// Partial TCP messages dropped (gap, timeout, table full, FIN/RST, too large).
    public var tcpMessagesDropped: Int
}

/// The bounds the dissector keeps to stay in constant memory and time.
/// Documented in docs/dissect.md.
public struct DissectorLimits: Sendable {
    /// IP datagrams being reassembled at once (oldest evicted when full).
    public var maxFragmentedDatagrams = 32
    /// Largest reassembled IP payload (bytes).
    public var maxDatagramBytes = 65_535
    /// Fragments of a datagram older than this (capture time) are dropped.
    public var fragmentTimeoutNanoseconds: Int64 = 30_000_000_000
    /// TCP flows with a message being reassembled at once (least recently seen evicted).
    public var maxTCPFlows = 64
    /// Largest reassembled TCP message (bytes): DNS/OpenVPN 2+65535, STUN 20+65535.
    public var maxTCPMessageBytes = 65_560
    /// A partial TCP message not continued within this capture time is dropped.
    public var tcpTimeoutNanoseconds: Int64 = 60_000_000_000
    /// Extension headers walked per IPv6 header before giving up.
    public var maxExtensionHeaders = 16
    /// VLAN tags walked before giving up.
    public var maxVLANTags = 8
    /// IP headers nested (tunnels) decoded per frame.
    public var maxIPDepth = 3
    /// UDP conversations followed as OpenVPN after a client hard reset off port 1194 (oldest replaced).
    public var maxOpenVPNConversations = 16

    public init() {}
}

extension Dissection {
    @inlinable mutating func note(_ e: WireError) { notes.append(e) }
    @inlinable mutating func add(_ l: Layer) { protocols.append(l) }
}
