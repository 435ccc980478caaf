/// How a TCP byte stream is cut into messages.
public enum TCPFraming: UInt8, Sendable {
    /// 2-byte big-endian length prefix (DNS over TCP, RFC 1035 4.2.2; OpenVPN over TCP).
    case u16Length
    /// STUN/TURN message: 20-byte header, length at offset 2 (RFC 8489 / RFC 6544 framing).
    case stun
    /// TURN ChannelData over TCP: 4-byte header, data padded to 4 bytes (RFC 8656 12.5).
    case channelData
    /// TLS record: 5-byte header, length at offset 3.
    case tlsRecord

    /// Bytes the message starting at `offset` needs in total, or nil when its header is not all there.
    @inlinable func messageLength(_ b: ByteView, at offset: Int) -> Int? {
        switch self {
        case .u16Length: return b.integer(at: offset, as: UInt16.self).map { 2 + Int($0) }
        case .stun: return b.integer(at: offset + 2, as: UInt16.self).map { 20 + Int($0) }
        case .channelData: return b.integer(at: offset + 2, as: UInt16.self).map { 4 + ((Int($0) + 3) & ~3) }
        case .tlsRecord: return b.integer(at: offset + 3, as: UInt16.self).map { 5 + Int($0) }
        }
    }

    @inlinable var headerLength: Int {
        switch self {
        case .u16Length: 2
        case .stun: 20
        case .channelData: 4
        case .tlsRecord: 5
        }
    }
}

/// One direction of a TCP connection.
public struct TCPFlowKey: Hashable, Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    public var sourcePort: UInt16
    public var destinationPort: UInt16
}

/// Bounded in-order reassembly of length-prefixed messages per TCP flow
/// direction: at most `maxTCPFlows` flows with a partial message, each at most
/// `maxTCPMessageBytes`, dropped when not continued within `tcpTimeoutNanoseconds`
/// of capture time. A gap (missing segment) drops the partial message with a
/// note. Buffers are allocated on first use of a slot and reused.
public final class TCPReassembler {
    struct Flow {
        var inUse = false
        var awaitingRelease = false
        var key = TCPFlowKey(source: .v4(0), destination: .v4(0), sourcePort: 0, destinationPort: 0)
        var lastSeen: Int64 = 0
        var nextSeq: UInt32 = 0
        var expected = 0
        var have = 0
        var framing = TCPFraming.u16Length
        var buffer: UnsafeMutableRawBufferPointer?
    }

    struct Counters {
        var inUse = 0
        var awaitingRelease = 0
        var droppedMessages = 0
    }

    let limits: DissectorLimits
    /// Behind pointers: per-packet checks must not pay for dynamic exclusivity enforcement.
    let flows: UnsafeMutableBufferPointer<Flow>
    let counters: UnsafeMutablePointer<Counters>
    /// Partial messages dropped (gap, timeout, table full, FIN/RST).
    public var droppedMessages: Int { counters.pointee.droppedMessages }
    /// Flows holding a partial message now.
    public var pendingCount: Int { counters.pointee.inUse - counters.pointee.awaitingRelease }

    init(limits: DissectorLimits) {
        self.limits = limits
        flows = .allocate(capacity: max(1, limits.maxTCPFlows))
        _ = flows.initialize(repeating: Flow())
        counters = .allocate(capacity: 1)
        counters.initialize(to: Counters())
    }

    deinit {
        for f in flows { f.buffer?.deallocate() }
        flows.deallocate()
        counters.deallocate()
    }

    @inline(__always) @usableFromInline func releaseCompleted() {
        guard counters.pointee.awaitingRelease > 0 else { return }
        for i in flows.indices where flows[i].awaitingRelease {
            flows[i].awaitingRelease = false
            flows[i].inUse = false
            counters.pointee.inUse -= 1
        }
        counters.pointee.awaitingRelease = 0
    }

    func removeAll() {
        for i in flows.indices { flows[i].inUse = false; flows[i].awaitingRelease = false }
        counters.pointee.inUse = 0
        counters.pointee.awaitingRelease = 0
    }

    /// Index of the flow with a partial message, if any (expiring old ones).
    @inline(__always) func find(_ key: TCPFlowKey, now: Int64) -> Int? {
        guard counters.pointee.inUse > counters.pointee.awaitingRelease else { return nil }
        return findSlow(key, now: now)
    }

    func findSlow(_ key: TCPFlowKey, now: Int64) -> Int? {
        for i in flows.indices where flows[i].inUse && !flows[i].awaitingRelease {
            if now &- flows[i].lastSeen > limits.tcpTimeoutNanoseconds {
                flows[i].inUse = false
                counters.pointee.inUse -= 1
                counters.pointee.droppedMessages += 1
                continue
            }
            if flows[i].key == key { return i }
        }
        return nil
    }

    func drop(_ i: Int) {
        flows[i].inUse = false
        counters.pointee.inUse -= 1
        counters.pointee.droppedMessages += 1
    }

    /// Appends in-order bytes to flow `i`; returns the whole message when complete.
    func append(_ i: Int, _ data: ByteView) -> ByteView? {
        guard let buffer = flows[i].buffer else { return nil }
        let take = min(data.count, flows[i].expected - flows[i].have)
        if take > 0, let src = data.base.baseAddress, let dst = buffer.baseAddress {
            (dst + flows[i].have).copyMemory(from: src, byteCount: take)
        }
        flows[i].have += take
        flows[i].nextSeq &+= UInt32(take)
        if flows[i].have >= flows[i].expected {
            flows[i].awaitingRelease = true
            counters.pointee.awaitingRelease += 1
            return ByteView(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<flows[i].expected]))
        }
        return nil
    }

    /// Starts buffering a message of `expected` bytes whose first bytes are `data`.
    /// Returns false when the bounds refuse it (a note is added).
    func start(_ key: TCPFlowKey, framing: TCPFraming, expected: Int, data: ByteView, nextSeq: UInt32,
               now: Int64, frameOffset: Int, into d: inout Dissection) -> Bool {
        guard expected <= limits.maxTCPMessageBytes else {
            d.notes.append(.limitReached(layer: .tcp, offset: frameOffset, limit: .init("reassembled TCP message size")))
            counters.pointee.droppedMessages += 1
            return false
        }
        var slot = -1, oldest = -1
        for i in flows.indices {
            if !flows[i].inUse { slot = i; break }
            if !flows[i].awaitingRelease && (oldest < 0 || flows[i].lastSeen < flows[oldest].lastSeen) { oldest = i }
        }
        if slot < 0 {
            guard oldest >= 0 else { return false }
            d.notes.append(.limitReached(layer: .tcp, offset: frameOffset, limit: .init("TCP flows reassembling at once; oldest dropped")))
            counters.pointee.droppedMessages += 1
            counters.pointee.inUse -= 1
            slot = oldest
        }
        if flows[slot].buffer == nil {
            flows[slot].buffer = .allocate(byteCount: limits.maxTCPMessageBytes, alignment: 8)
        }
        flows[slot].inUse = true
        counters.pointee.inUse += 1
        flows[slot].awaitingRelease = false
        flows[slot].key = key
        flows[slot].lastSeen = now
        flows[slot].framing = framing
        flows[slot].expected = expected
        flows[slot].have = 0
        flows[slot].nextSeq = nextSeq  // seq of data[0]; append advances it
        _ = append(slot, data)
        return true
    }
}
