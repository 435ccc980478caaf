import CaptureFiles
import CommunityID

/// One flow a finding's frames belong to, named by its Community ID v1
/// (schema 1.4), the key Zeek, Suricata, Arkime and Elastic
/// (`network.community_id`) give the same flow. The flow is the packets' outer
/// IP header (addresses, IP protocol) and its TCP/UDP ports, or ICMP/ICMPv6
/// type and code; the hash is computed from those typed values
/// (`FlowTuple.communityID()`), never from the text below.
public struct CitedFlow: Codable, Sendable, Equatable {
    // Typed and declared so that the small optionals share one word at the end: 96 bytes a flow
    // (was 144 with `Int?` ports and types); a hostile capture's record holds 256 per finding.
    /// "1:" + base64 SHA-1, seed 0.
    public var communityId: String
    /// "udp", "tcp", "icmp", "icmpv6", else "ip-N" (N the IP protocol number).
    public var `protocol`: String
    /// The first packet's source and destination as captured (UDP/TCP: the host's side first).
    public var src: String
    public var dst: String
    /// The finding's first frame in this flow, and how many of its packets are in it.
    public var firstFrame: Int
    public var packets: Int
    public var srcPort: UInt16?
    public var dstPort: UInt16?
    /// ICMP/ICMPv6 flows: the first packet's message type and code (one-way types keep their direction).
    public var icmpType: UInt8?
    public var icmpCode: UInt8?

    public init(communityId: String, protocol p: String, src: String, srcPort: UInt16? = nil, dst: String, dstPort: UInt16? = nil,
                icmpType: UInt8? = nil, icmpCode: UInt8? = nil, firstFrame: Int, packets: Int) {
        self.communityId = communityId; self.protocol = p; self.src = src; self.srcPort = srcPort
        self.dst = dst; self.dstPort = dstPort; self.icmpType = icmpType; self.icmpCode = icmpCode
        self.firstFrame = firstFrame; self.packets = packets
    }

    enum CodingKeys: String, CodingKey {
        case communityId = "community_id", `protocol`, src, srcPort = "src_port", dst, dstPort = "dst_port"
        case icmpType = "icmp_type", icmpCode = "icmp_code", firstFrame = "first_frame", packets
    }

    /// The Community ID of the flow `facts` belongs to, by the same rule the findings use
    /// (nil without an IP header): for the evidence capture's packet comments.
    public static func communityID(of facts: PacketFacts) -> String? {
        CitedFlowKey(facts, outbound: true)?.tuple.communityID()
    }
}

/// A flow as the finding's packets show it, before it is hashed. UDP and TCP
/// are oriented host -> remote, so a request and its answer are one key; ICMP
/// keeps the packet's own direction and type (one-way types hash by direction).
///
/// The fields are declared so that the small ones fill the gaps an address
/// leaves (`IPAddress` is 17 bytes, aligned to 8): 48 bytes a key instead of 64,
/// and a finding keeps up to twice `maxEvidenceItems` keys (cited and omitted).
struct CitedFlowKey: Hashable {
    var source: IPAddress
    /// TCP/UDP ports, or ICMP type and code; nil for protocols hashed without them.
    var sourcePort: UInt16?
    var ipProtocol: UInt8
    var destination: IPAddress
    var destinationPort: UInt16?

    /// The flow of a packet the host sent (`outbound`) or received.
    init?(_ f: PacketFacts, outbound: Bool) {
        guard var src = f.source, var dst = f.destination else { return nil }
        ipProtocol = f.ipProtocol
        switch (f.ipProtocol, f.transport) {
        case (IPProtocolNumber.tcp, .tcp), (IPProtocolNumber.udp, .udp):
            var sp = f.sourcePort, dp = f.destinationPort
            if !outbound { swap(&src, &dst); swap(&sp, &dp) }
            sourcePort = sp; destinationPort = dp
        case (IPProtocolNumber.icmp, _), (IPProtocolNumber.icmpv6, _):
            sourcePort = UInt16(f.icmpType); destinationPort = UInt16(f.icmpCode)
        default:
            if !outbound { swap(&src, &dst) }
            sourcePort = nil; destinationPort = nil
        }
        source = src; destination = dst
    }

    /// The flow of packets held for `key` before they joined a finding (`Correlator.Pending`).
    init(held key: Correlator.FlowKey, icmp: UInt16?, firstOutbound: Bool) {
        ipProtocol = key.ipProtocol
        var src = key.host, dst = key.remote
        switch key.ipProtocol {
        case IPProtocolNumber.tcp, IPProtocolNumber.udp:
            sourcePort = key.hostPort; destinationPort = key.remotePort
        case IPProtocolNumber.icmp, IPProtocolNumber.icmpv6:
            if !firstOutbound { swap(&src, &dst) }
            sourcePort = icmp.map { $0 >> 8 } ?? 0; destinationPort = icmp.map { $0 & 0xFF } ?? 0
        default:
            sourcePort = nil; destinationPort = nil
        }
        source = src; destination = dst
    }

    init(ipProtocol: UInt8, source: IPAddress, sourcePort: UInt16?, destination: IPAddress, destinationPort: UInt16?) {
        self.ipProtocol = ipProtocol; self.source = source; self.sourcePort = sourcePort
        self.destination = destination; self.destinationPort = destinationPort
    }

    var isICMP: Bool { ipProtocol == IPProtocolNumber.icmp || ipProtocol == IPProtocolNumber.icmpv6 }

    /// The addresses, then protocol and ports (and whether each port is there) as one word: a
    /// key is hashed for every leaked packet of each finding it joins, and the synthesized hash
    /// combined the five fields and two optionals one by one. Equal keys give equal words.
    func hash(into h: inout Hasher) {
        h.combine(source)
        h.combine(destination)
        h.combine(UInt64(ipProtocol) << 40 | UInt64(sourcePort ?? 0) << 24 | UInt64(destinationPort ?? 0) << 8
                  | (sourcePort == nil ? 2 : 0) | (destinationPort == nil ? 1 : 0))
    }

    var tuple: FlowTuple {
        FlowTuple(source: source, sourcePort: sourcePort, destination: destination, destinationPort: destinationPort,
                  ipProtocol: ipProtocol)
    }

    var protocolName: String { Self.protocolName(ipProtocol) }

    /// The record's name of an IP protocol (cited flows and traffic findings' flows).
    static func protocolName(_ ipProtocol: UInt8) -> String {
        switch ipProtocol {
        case IPProtocolNumber.tcp: "tcp"
        case IPProtocolNumber.udp: "udp"
        case IPProtocolNumber.icmp: "icmp"
        case IPProtocolNumber.icmpv6: "icmpv6"
        default: "ip-\(ipProtocol)"
        }
    }
}

/// The flows of one finding while it is built: distinct keys in order of first
/// packet, at most `cap`; packets of further flows are counted as omitted.
/// Keys are looked up through `KeyIndex` (a scan of a short list, then 32-bit slots
/// into the key arrays), not a Dictionary and a Set of keys: 10,000 findings of 256
/// flows each keep one copy of each key (a hashed key table took about 3x the keys'
/// own size).
struct CitedFlowList {
    var keys: [CitedFlowKey] = []
    var firstFrames: [Int] = []
    var packets: [Int] = []
    var index = KeyIndex()
    /// Distinct flows past the cap.
    var omitted = 0
    /// Keys seen past the cap (bounded), so a flow is counted once.
    var omittedKeys: [CitedFlowKey] = []
    var omittedIndex = KeyIndex()

    mutating func add(_ key: CitedFlowKey, frame: Int, packets n: Int = 1, cap: Int) {
        let probe = index.find(key, in: keys)
        if let i = probe.position {
            packets[i] += n
            if frame < firstFrames[i] { firstFrames[i] = frame }
            return
        }
        guard keys.count < cap else {
            if omittedKeys.count < cap {
                let past = omittedIndex.find(key, in: omittedKeys, hash: probe.hash)
                if past.position == nil {
                    omittedIndex.insert(key, past, at: omittedKeys.count, in: omittedKeys)
                    omittedKeys.append(key)
                    omitted += 1
                }
            }
            return
        }
        index.insert(key, probe, at: keys.count, in: keys)
        keys.append(key)
        firstFrames.append(frame)
        packets.append(n)
    }

    /// The flows with their Community IDs, by first frame. Keys that hash alike
    /// (an ICMP echo request and its reply) are one flow.
    func flows() -> [CitedFlow] {
        var out: [CitedFlow] = []
        out.reserveCapacity(keys.count)
        var byID: [String: Int] = [:]
        byID.reserveCapacity(keys.count)
        for i in keys.indices {
            let k = keys[i]
            let id = k.tuple.communityID()
            if let j = byID[id] {
                out[j].packets += packets[i]
                out[j].firstFrame = min(out[j].firstFrame, firstFrames[i])
                continue
            }
            byID[id] = out.count
            let ports = !k.isICMP
            out.append(CitedFlow(communityId: id, protocol: k.protocolName, src: k.source.description,
                                 srcPort: ports ? k.sourcePort : nil, dst: k.destination.description,
                                 dstPort: ports ? k.destinationPort : nil,
                                 // ICMP keys hold the message's UInt8 type and code in their port words.
                                 icmpType: k.isICMP ? k.sourcePort.map { UInt8(truncatingIfNeeded: $0) } : nil,
                                 icmpCode: k.isICMP ? k.destinationPort.map { UInt8(truncatingIfNeeded: $0) } : nil,
                                 firstFrame: firstFrames[i], packets: packets[i]))
        }
        // In place: one array of the finding's flows, not a sorted copy beside it.
        out.sort { ($0.firstFrame, $0.communityId) < ($1.firstFrame, $1.communityId) }
        return out
    }
}

/// Where a key is in a list of distinct keys. Up to `linearLimit` keys the list is
/// scanned and nothing is hashed: most lists stay that short (a tunnel-failure
/// candidate opens per carrier gap and settles a few leaks later; a finding's first
/// flows), and hashing a key (SipHash over two addresses) cost more than comparing
/// a dozen. Past it, `KeySlots` finds the key with one hash.
struct KeyIndex {
    static let linearLimit = 16
    private var slots = KeySlots()

    /// A lookup's result; the key's hash, if it was computed (not while the list is scanned), is
    /// kept for `insert`.
    struct Probe {
        var position: Int?
        var hash: Int?
    }

    /// `hash`: the key's hash if the caller already has it.
    func find(_ key: CitedFlowKey, in keys: [CitedFlowKey], hash: Int? = nil) -> Probe {
        if slots.isEmpty { return Probe(position: keys.firstIndex(of: key), hash: hash) }
        let h = hash ?? key.hashValue
        return Probe(position: slots.find(key, hash: h, in: keys), hash: h)
    }

    /// Records that `key` (not found by `probe`) is about to be appended at `position`.
    mutating func insert(_ key: CitedFlowKey, _ probe: Probe, at position: Int, in keys: [CitedFlowKey]) {
        guard position >= Self.linearLimit else { return }
        slots.insert(hash: probe.hash ?? key.hashValue, at: position, in: keys)
    }
}

/// An open-addressing index into an array of keys: 32-bit slots (-1 empty),
/// linear probing, at most half full. Holds positions only, never keys.
struct KeySlots {
    private var slots: [Int32] = []
    var isEmpty: Bool { slots.isEmpty }

    func find(_ key: CitedFlowKey, hash: Int, in keys: [CitedFlowKey]) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var s = hash & mask
        while true {
            let i = Int(slots[s])
            if i < 0 { return nil }
            if keys[i] == key { return i }
            s = (s + 1) & mask
        }
    }

    /// Records that `keys[position]` (about to be appended, so `keys` holds the positions before it) hashes to `hash`.
    mutating func insert(hash: Int, at position: Int, in keys: [CitedFlowKey]) {
        if (position + 1) * 2 > slots.count {
            var grown = KeySlots()
            // At least twice the keys: a `KeyIndex` starts its slots with 16 keys already listed.
            var n = max(16, slots.count * 2)
            while n < (position + 1) * 2 { n *= 2 }
            grown.slots = [Int32](repeating: -1, count: n)
            for (i, k) in keys.enumerated() { grown.place(k.hashValue, i) }
            self = grown
        }
        place(hash, position)
    }

    private mutating func place(_ hash: Int, _ position: Int) {
        let mask = slots.count - 1
        var s = hash & mask
        while slots[s] >= 0 { s = (s + 1) & mask }
        slots[s] = Int32(position)
    }
}
