import Dissectors

/// Pass 1's statistics of the flows that carry VPN-protocol messages (WireGuard,
/// OpenVPN, ESP, IKE, NAT-T keepalives), for the carrier rules (CarrierRules.swift)
/// to judge once pass 1 is over. A capture that starts after the tunnel came up
/// has no handshake to name the endpoint; the flow's own structure does.
///
/// Cheap and bounded by design: only packets the dissector recognised as a VPN
/// protocol reach `observe`; one dictionary lookup each, fixed-size counters,
/// no allocation once the table has its capacity. At most
/// `CorrelationLimits.maxCarrierFlows` flows are tracked; packets of further
/// flows are counted in `untrackedPackets` (those flows are then judged
/// without carrier rules: reported, never silently passed).
struct CarrierFlowTable {
    let capacity: Int
    private(set) var index: [CarrierFlowKey: Int] = [:]
    private(set) var flows: [CarrierFlow] = []
    private(set) var untrackedPackets = 0
    /// Flows opened by an OpenVPN candidate (a UDP payload no parser claimed that reads as
    /// mid-session OpenVPN), at most half the table: a swarm of unknown UDP flows (uTP, QUIC short
    /// headers) must not take the slots of the flows the dissector recognised. Candidate packets of
    /// further flows are counted in `untrackedCandidates` (those flows meet no carrier rule).
    private(set) var candidateFlows = 0
    private(set) var untrackedCandidates = 0
    var candidateCapacity: Int { capacity / 2 }
    private var lastSlot = -1

    init(capacity: Int) {
        self.capacity = capacity
        let reserve = Swift.min(capacity, 1_024)
        index.reserveCapacity(reserve)
        flows.reserveCapacity(reserve)
    }

    @inline(__always) static func key(_ f: PacketFacts, _ source: IPAddress, _ destination: IPAddress) -> (CarrierFlowKey, Bool) {
        let fromLow = (source, f.sourcePort) < (destination, f.destinationPort)
        let key = fromLow
            ? CarrierFlowKey(interface: f.interfaceKey, ipProtocol: f.ipProtocol, low: source, lowPort: f.sourcePort,
                             high: destination, highPort: f.destinationPort)
            : CarrierFlowKey(interface: f.interfaceKey, ipProtocol: f.ipProtocol, low: destination, lowPort: f.destinationPort,
                             high: source, highPort: f.sourcePort)
        return (key, fromLow)
    }

    @inline(__always) func find(_ key: CarrierFlowKey) -> Int? {
        // Consecutive packets mostly belong to one flow: comparing the key is cheaper than hashing it.
        if lastSlot >= 0, flows[lastSlot].key == key { return lastSlot }
        return index[key]
    }

    /// A UDP packet no parser claimed: counted on a flow an OpenVPN candidate opened (a packet that
    /// does not read as OpenVPN counts against it); a candidate opens its flow while there is room.
    /// Packets of flows the dissector recognised are left to `observe`.
    mutating func observeCandidate(_ f: PacketFacts, source: IPAddress, destination: IPAddress) {
        let (key, fromLow) = Self.key(f, source, destination)
        let slot: Int
        if let s = find(key) {
            guard flows[s].openedByCandidate else { return }
            slot = s
        } else {
            guard f.openvpnCandidate != nil else { return }
            guard flows.count < capacity, candidateFlows < candidateCapacity else { untrackedCandidates += 1; return }
            slot = flows.count
            index[key] = slot
            var flow = CarrierFlow(key: key, frame: f.frame, time: f.time, firstFromLow: fromLow)
            flow.openedByCandidate = true
            flows.append(flow)
            candidateFlows += 1
        }
        lastSlot = slot
        flows[slot].addCandidate(f, fromLow: fromLow)
    }

    /// Adds one VPN-protocol packet to its flow; returns the flow's slot and whether
    /// the packet went from the flow's `low` side (nil when the table was full).
    mutating func observe(_ f: PacketFacts, source: IPAddress, destination: IPAddress) -> (slot: Int, fromLow: Bool)? {
        let (key, fromLow) = Self.key(f, source, destination)
        let slot: Int
        if let s = find(key) {
            slot = s
        } else {
            guard flows.count < capacity else { untrackedPackets += 1; return nil }
            slot = flows.count
            index[key] = slot
            flows.append(CarrierFlow(key: key, frame: f.frame, time: f.time, firstFromLow: fromLow))
        }
        lastSlot = slot
        flows[slot].add(f, fromLow: fromLow)
        return (slot, fromLow)
    }

    /// `observe` for a packet whose flow `observe` already placed at `slot` (the same key: the caller
    /// compared the packet's interface and 5-tuple with the one it placed).
    @inline(__always) mutating func observe(_ f: PacketFacts, slot: Int, fromLow: Bool) {
        lastSlot = slot
        flows[slot].add(f, fromLow: fromLow)
    }

    /// A timing match (CarrierTiming) between a packet of this flow and a tunnel-interface packet.
    mutating func creditTiming(slot: Int, fromLow: Bool, tunnel: InterfaceKey, delay: Int64, outerAfterInner: Bool) {
        flows[slot].creditTiming(fromLow: fromLow, tunnel: tunnel, delay: delay, outerAfterInner: outerAfterInner)
    }
}

/// One flow: interface, IP protocol and both sides, in a fixed order.
struct CarrierFlowKey: Hashable {
    var interface: InterfaceKey
    var ipProtocol: UInt8
    var low: IPAddress
    var lowPort: UInt16
    var high: IPAddress
    var highPort: UInt16
}

/// What pass 1 counted on one flow, per direction.
struct CarrierFlow {
    var key: CarrierFlowKey
    var firstFrame: Int
    var lastFrame: Int
    var firstTime: Int64
    var lastTime: Int64
    /// The flow's first packet went from `low` to `high`.
    var firstFromLow: Bool
    var fromLow = CarrierDirection()
    var fromHigh = CarrierDirection()
    /// The tunnel interface whose packets matched this flow's in time and size (the first one that did).
    var timingInterface: InterfaceKey?
    /// An OpenVPN candidate opened the flow (CarrierFlowTable.observeCandidate).
    var openedByCandidate = false
    var delaySum: Int64 = 0
    var delayMax: Int64 = 0

    init(key: CarrierFlowKey, frame: Int, time: Int64, firstFromLow: Bool) {
        self.key = key
        firstFrame = frame; lastFrame = frame
        firstTime = time; lastTime = time
        self.firstFromLow = firstFromLow
    }

    mutating func add(_ f: PacketFacts, fromLow: Bool) {
        lastFrame = Swift.max(lastFrame, f.frame)
        firstFrame = Swift.min(firstFrame, f.frame)
        lastTime = Swift.max(lastTime, f.time)
        if fromLow { self.fromLow.add(f) } else { fromHigh.add(f) }
    }

    mutating func addCandidate(_ f: PacketFacts, fromLow: Bool) {
        lastFrame = Swift.max(lastFrame, f.frame)
        firstFrame = Swift.min(firstFrame, f.frame)
        lastTime = Swift.max(lastTime, f.time)
        if fromLow { self.fromLow.addCandidate(f) } else { fromHigh.addCandidate(f) }
    }

    mutating func creditTiming(fromLow: Bool, tunnel: InterfaceKey, delay: Int64, outerAfterInner: Bool) {
        if let t = timingInterface, t != tunnel { return }
        timingInterface = tunnel
        delaySum &+= delay
        if delay > delayMax { delayMax = delay }
        if fromLow { self.fromLow.credit(outerAfterInner) } else { fromHigh.credit(outerAfterInner) }
    }

    var packets: Int { fromLow.packets + fromHigh.packets }
    var timed: Int { fromLow.timed + fromHigh.timed }
    var timingEligible: Int { fromLow.timingEligible + fromHigh.timingEligible }
    var bothWays: Bool { fromLow.packets > 0 && fromHigh.packets > 0 }
}

/// Counters of one direction of a carrier flow (plain integers: updated in place per packet).
struct CarrierDirection {
    var packets = 0
    var bytes = 0
    /// Packets the capture marked as sent by this host (pcapng epb_flags, SLL packet type).
    var markedOutbound = 0
    var markedInbound = 0

    // WireGuard (type 4 = transport data; keepalives are empty type 4 messages).
    var wgData = 0, wgKeepalives = 0, wgHandshakes = 0
    var wgReceiver: UInt32 = 0
    /// The highest counter seen in the current session (receiver index).
    var wgCounter: UInt64 = 0
    /// Counter steps forward (1...65,536), reorders (at most 8,192 back), anything else, and
    /// receiver-index changes that restart the counter (a rekey).
    var wgSteps = 0, wgReordered = 0, wgBadSteps = 0, wgRekeys = 0
    /// Data messages whose length is not 32 + 16n (plaintext under 1,280 bytes: not an MTU cap).
    var wgBadLength = 0

    // OpenVPN
    var ovMessages = 0, ovControl = 0, ovResets = 0, ovDataV1 = 0, ovDataV2 = 0
    /// Client (1, 7, 10) and server (2, 8) hard resets, and the frame of the first of each.
    var ovClientResets = 0, ovServerResets = 0
    var ovClientResetFrame = 0, ovServerResetFrame = 0
    var ovSession: UInt64 = 0, ovSessionChanges = 0
    var ovPeer: UInt32 = 0, ovPeerChanges = 0
    var ovHavePeer = false
    /// Key ids in use (bit per key id 0-7).
    var ovKeyIDs: UInt8 = 0

    /// OpenVPN read by structure (OpenVPNCandidate) on a UDP flow the dissector did not decode.
    var oc = OpenVPNStructure()

    // ESP (IP protocol 50 or ESP-in-UDP)
    var esp = 0
    var espSPI: UInt32 = 0, espSPIChanges = 0
    var espSequence: UInt32 = 0
    var espSteps = 0, espReordered = 0, espBadSteps = 0

    // IKE and NAT-T keepalives
    var ike = 0, ikeFromInitiator = 0, ikeEstablished = 0
    var ikeSPI: UInt64 = 0, ikeSPIChanges = 0
    var natKeepalives = 0

    // Timing against a tunnel interface
    /// Packets that can carry a tunnel packet (WireGuard data beyond a keepalive, ESP, OpenVPN data).
    var timingEligible = 0
    /// Of those, packets matched with a tunnel-interface packet, and how many came after it (encrypted after it).
    var timed = 0, outerAfterInner = 0

    mutating func add(_ f: PacketFacts) {
        packets += 1
        bytes += f.length
        if f.direction == .outbound { markedOutbound += 1 } else if f.direction == .inbound { markedInbound += 1 }
        switch f.app {
        case .wireguard: addWireGuard(f)
        case .openvpn: addOpenVPN(f)
        case .esp:
            if f.natKeepalive { natKeepalives += 1 } else { addESP(f) }
        case .ike:
            ike += 1
            if f.ikeFromInitiator { ikeFromInitiator += 1 }
            if f.ikeInitiatorSPI != 0 && f.ikeResponderSPI != 0 {
                if ikeEstablished == 0 { ikeSPI = f.ikeInitiatorSPI } else if f.ikeInitiatorSPI != ikeSPI { ikeSPIChanges += 1; ikeSPI = f.ikeInitiatorSPI }
                ikeEstablished += 1
            }
        default: break
        }
    }

    mutating func addCandidate(_ f: PacketFacts) {
        packets += 1
        bytes += f.length
        if f.direction == .outbound { markedOutbound += 1 } else if f.direction == .inbound { markedInbound += 1 }
        if let c = f.openvpnCandidate {
            oc.add(c, length: f.udpDeclaredPayload > 0 ? f.udpDeclaredPayload : f.payloadLength)
        } else {
            oc.other += 1
        }
    }

    private mutating func addWireGuard(_ f: PacketFacts) {
        guard f.wireguardType == 4 else { wgHandshakes += 1; return }
        // The header's length: a short snap length must not fail the length rule.
        let len = f.udpDeclaredPayload > 0 ? f.udpDeclaredPayload : f.payloadLength
        if len == 32 { wgKeepalives += 1 } else { timingEligible += 1 }
        // WireGuard pads the plaintext to 16 bytes, but never beyond the MTU (>= 1,280 on real links).
        if len < 32 || ((len - 32) % 16 != 0 && len - 32 < 1_280) { wgBadLength += 1 }
        let r = f.wireguardReceiver, c = f.wireguardCounter
        if wgData == 0 {
            wgReceiver = r; wgCounter = c
        } else if r != wgReceiver {
            // A new session starts its counter at 0.
            if c < 1 << 16 { wgRekeys += 1 } else { wgBadSteps += 1 }
            wgReceiver = r; wgCounter = c
        } else if c > wgCounter {
            if c - wgCounter <= 1 << 16 { wgSteps += 1 } else { wgBadSteps += 1 }
            wgCounter = c
        } else if c < wgCounter && wgCounter - c <= 8_192 {
            wgReordered += 1
        } else {
            wgBadSteps += 1
        }
        wgData += 1
    }

    private mutating func addOpenVPN(_ f: PacketFacts) {
        ovMessages += 1
        if f.openvpnKeyID < 8 { ovKeyIDs |= 1 << f.openvpnKeyID }
        switch f.openvpnOpcode {
        case 1, 2, 7, 8, 10:
            // A hard reset starts a session: its id is the one later control packets must keep.
            // A reset that changes the session id on the same flow counts against it (retries keep theirs).
            if ovResets + ovControl > 0 && f.openvpnSessionID != ovSession { ovSessionChanges += 1 }
            ovResets += 1
            ovSession = f.openvpnSessionID
            if f.openvpnOpcode == 2 || f.openvpnOpcode == 8 {
                if ovServerResets == 0 { ovServerResetFrame = f.frame }
                ovServerResets += 1
            } else {
                if ovClientResets == 0 { ovClientResetFrame = f.frame }
                ovClientResets += 1
            }
        case 3, 4, 5, 11:
            if ovControl == 0 && ovResets == 0 { ovSession = f.openvpnSessionID }
            else if f.openvpnSessionID != ovSession { ovSessionChanges += 1; ovSession = f.openvpnSessionID }
            ovControl += 1
        case 6:
            ovDataV1 += 1
            timingEligible += 1
        case 9:
            ovDataV2 += 1
            timingEligible += 1
            if let p = f.openvpnPeerID {
                if !ovHavePeer { ovPeer = p; ovHavePeer = true } else if p != ovPeer { ovPeerChanges += 1; ovPeer = p }
            }
        default: break
        }
    }

    private mutating func addESP(_ f: PacketFacts) {
        esp += 1
        guard f.espSPI != 0 else { return }
        timingEligible += 1
        let s = f.espSPI, q = f.espSequence
        if espSPI == 0 {
            espSPI = s; espSequence = q
        } else if s != espSPI {
            espSPIChanges += 1
            espSPI = s; espSequence = q
        } else if q > espSequence {
            if q - espSequence <= 1 << 16 { espSteps += 1 } else { espBadSteps += 1 }
            espSequence = q
        } else if q < espSequence && espSequence - q <= 1_024 {
            espReordered += 1
        } else {
            espBadSteps += 1
        }
    }

    mutating func credit(_ outerAfterInner: Bool) {
        timed += 1
        if outerAfterInner { self.outerAfterInner += 1 }
    }
}

/// One direction of a UDP flow read as mid-session OpenVPN (OpenVPNCandidate): what the carrier
/// rule openvpn-structure needs, in fixed-size counters.
struct OpenVPNStructure {
    /// Packets that read as mid-session OpenVPN, and packets of the flow that did not.
    var packets = 0, other = 0
    var dataV1 = 0, dataV2 = 0, control = 0
    var data: Int { dataV1 + dataV2 }
    /// Data packets: UDP payload lengths, and (length - header) mod 16 (CBC: HMAC + IV + whole blocks).
    var minLength = Int.max, maxLength = 0
    var residue = -1, residueChanges = 0
    /// P_DATA_V2 peer id and its changes.
    var peer: UInt32 = 0, peerChanges = 0
    /// Data packets: the key id and how often it changed between consecutive packets (a renegotiation
    /// moves it to the next one); key ids seen (bit per id).
    var key: UInt8 = 0xFF, keyChanges = 0, keys: UInt8 = 0
    /// AEAD packet ids, per key id (a new key starts at 1): steps of 1-65,536 forward, reorders (up to
    /// 1,024 back), anything else.
    var lastID = SIMD8<UInt32>(), idSeen: UInt8 = 0
    var idSteps = 0, idReordered = 0, idBad = 0
    /// Control packets: the session id and its changes; the tls-crypt / tls-auth layouts (bit per
    /// OpenVPNCandidate.controlLayouts entry) whose time stayed the same and plausible (>= 10^9:
    /// September 2001) and whose packet id rose on every control packet; every control packet fit the
    /// layout without either.
    var session: UInt64 = 0, sessionChanges = 0
    var layoutTime = SIMD8<UInt32>(), layoutID = SIMD8<UInt32>(), layouts: UInt8 = 0
    var plain = true

    mutating func add(_ c: OpenVPNCandidate, length: Int) {
        packets += 1
        switch c.opcode {
        case OpenVPNCandidate.dataV1, OpenVPNCandidate.dataV2:
            let v2 = c.opcode == OpenVPNCandidate.dataV2
            if v2 {
                if dataV2 > 0 && c.peerID != peer { peerChanges += 1 }
                peer = c.peerID
                dataV2 += 1
            } else {
                dataV1 += 1
            }
            if key != 0xFF && c.keyID != key { keyChanges += 1 }
            key = c.keyID
            keys |= 1 << c.keyID
            minLength = Swift.min(minLength, length)
            maxLength = Swift.max(maxLength, length)
            let r = (length - (v2 ? 4 : 1)) & 15
            if residue < 0 { residue = r } else if r != residue { residueChanges += 1 }
            let k = Int(c.keyID), id = c.dataPacketID, last = lastID[k]
            if idSeen & (1 << k) == 0 {
                idSeen |= 1 << k
                lastID[k] = id
            } else if id > last {
                if id - last <= 1 << 16 { idSteps += 1 } else { idBad += 1 }
                lastID[k] = id
            } else if id < last && last - id <= 1_024 {
                idReordered += 1
            } else {
                idBad += 1
            }
        default:
            if control > 0 && c.sessionID != session { sessionChanges += 1 }
            session = c.sessionID
            if !c.fitsPlain { plain = false }
            if control == 0 {
                for i in 0..<OpenVPNCandidate.controlLayouts.count where c.readable & (1 << i) != 0 && c.layoutTimes[i] >= 1_000_000_000 {
                    layouts |= 1 << i
                }
            } else {
                for i in 0..<OpenVPNCandidate.controlLayouts.count where layouts & (1 << i) != 0 {
                    let id = c.layoutPacketIDs[i], last = layoutID[i]
                    // tls-auth and tls-crypt give every control packet (retransmissions too) a new packet id.
                    if c.readable & (1 << i) == 0 || c.layoutTimes[i] != layoutTime[i] || id <= last || id - last > 1 << 16 {
                        layouts &= ~(1 << i)
                    }
                }
            }
            layoutTime = c.layoutTimes
            layoutID = c.layoutPacketIDs
            control += 1
        }
    }
}

/// Timing correlation between a captured tunnel interface and the physical one:
/// an outbound packet crosses the tunnel interface, then leaves encrypted a little
/// later; an inbound one arrives encrypted, then crosses the tunnel interface. Two
/// rings keep the last few packets of each side; a packet is matched with the
/// closest unmatched one of the other side within `window` whose sizes fit the
/// carrier's size relation. Fixed memory (2 x `ringSize` entries), O(ringSize) per packet.
struct CarrierTiming {
    static let ringSize = 16
    let window: Int64

    struct Entry {
        var time: Int64 = .min
        var size = 0
        var interface = InterfaceKey(fileIndex: -1, interfaceID: -1)
        var slot = -1
        var fromLow = false
        var wireguard = false
        var used = true
    }

    private var tunnel = [Entry](repeating: Entry(), count: ringSize)
    private var outer = [Entry](repeating: Entry(), count: ringSize)
    private var tunnelNext = 0, outerNext = 0
    private var newestOuter: Int64 = .min, newestTunnel: Int64 = .min

    init(window: Int64) { self.window = window }

    /// |a - b| in capture time, saturating (timestamps come from files and may be anything).
    @inline(__always) func distance(_ a: Int64, _ b: Int64) -> Int64 {
        let (d, overflow) = a >= b ? a.subtractingReportingOverflow(b) : b.subtractingReportingOverflow(a)
        return overflow ? .max : d
    }

    struct Match { var slot: Int; var fromLow: Bool; var tunnel: InterfaceKey; var delay: Int64; var outerAfterInner: Bool }

    /// WireGuard pads the plaintext to 16 bytes (capped by the MTU) and adds 32 bytes
    /// (16 header, 16 tag); other carriers add a bounded overhead (ESP, OpenVPN: 16-200 bytes).
    @inline(__always) static func sizesMatch(outer: Int, inner: Int, wireguard: Bool) -> Bool {
        guard inner > 0 else { return false }
        if wireguard {
            let padded = (inner + 15) & ~15
            if outer == 32 + padded { return true }
            return inner >= 1_280 && outer >= 32 + inner && outer <= 32 + padded
        }
        let overhead = outer - inner
        return overhead >= 16 && overhead <= 200
    }

    /// A packet on a (provisional) tunnel interface: matched against recent outer packets.
    mutating func tunnelPacket(time: Int64, size: Int, interface: InterfaceKey) -> Match? {
        var match: Match?
        if distance(time, newestOuter) <= window || time < newestOuter {
            var best = -1
            var bestDelay = Int64.max
            for i in 0..<Self.ringSize {
                let e = outer[i]
                guard !e.used, e.interface != interface else { continue }
                let d = distance(time, e.time)
                guard d <= window, d < bestDelay, Self.sizesMatch(outer: e.size, inner: size, wireguard: e.wireguard) else { continue }
                best = i; bestDelay = d
            }
            if best >= 0 {
                outer[best].used = true
                let e = outer[best]
                match = Match(slot: e.slot, fromLow: e.fromLow, tunnel: interface, delay: bestDelay, outerAfterInner: e.time >= time)
            }
        }
        tunnel[tunnelNext] = Entry(time: time, size: size, interface: interface, slot: -1, fromLow: false,
                                   wireguard: false, used: match != nil)
        tunnelNext = (tunnelNext + 1) % Self.ringSize
        if time > newestTunnel { newestTunnel = time }
        return match
    }

    /// A carrier-flow packet on another interface: matched against recent tunnel packets.
    mutating func outerPacket(time: Int64, size: Int, wireguard: Bool, interface: InterfaceKey, slot: Int, fromLow: Bool) -> Match? {
        var match: Match?
        if distance(time, newestTunnel) <= window || time < newestTunnel {
            var best = -1
            var bestDelay = Int64.max
            for i in 0..<Self.ringSize {
                let e = tunnel[i]
                guard !e.used, e.interface != interface else { continue }
                let d = distance(time, e.time)
                guard d <= window, d < bestDelay, Self.sizesMatch(outer: size, inner: e.size, wireguard: wireguard) else { continue }
                best = i; bestDelay = d
            }
            if best >= 0 {
                tunnel[best].used = true
                match = Match(slot: slot, fromLow: fromLow, tunnel: tunnel[best].interface, delay: bestDelay,
                              outerAfterInner: time >= tunnel[best].time)
            }
        }
        outer[outerNext] = Entry(time: time, size: size, interface: interface, slot: slot, fromLow: fromLow,
                                 wireguard: wireguard, used: match != nil)
        outerNext = (outerNext + 1) % Self.ringSize
        if time > newestOuter { newestOuter = time }
        return match
    }
}
