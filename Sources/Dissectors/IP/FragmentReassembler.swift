/// Identifies one fragmented datagram (RFC 791: src, dst, protocol, id; RFC 8200: src, dst, id).
public struct FragmentKey: Hashable, Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    public var identification: UInt32
    /// IPv4 protocol; 0 for IPv6 (not part of its key).
    public var `protocol`: UInt8
}

/// What adding a fragment did.
public enum FragmentResult: Equatable {
    /// Stored, the datagram is still incomplete.
    case pending
    /// Not stored (bad fragment or bound hit); a note says why.
    case dropped
    /// The datagram is complete: its payload (valid until the next `dissect`) and,
    /// for IPv6, the Next Header of the first fragment's Fragment header.
    case completed(ByteView, UInt8)

    public static func == (a: FragmentResult, b: FragmentResult) -> Bool {
        switch (a, b) {
        case (.pending, .pending), (.dropped, .dropped): true
        case (.completed(let x, let p), .completed(let y, let q)): x.count == y.count && p == q
        default: false
        }
    }
}

/// Bounded IP fragment reassembly: at most `maxFragmentedDatagrams` datagrams of
/// at most `maxDatagramBytes` each, aged out by capture time. Buffers are
/// allocated on first use of a slot and reused afterwards (no allocation per
/// packet in steady state). Overlapping fragments are noted; later data wins.
public final class FragmentReassembler {
    struct Slot {
        var inUse = false
        var awaitingRelease = false
        var key = FragmentKey(source: .v4(0), destination: .v4(0), identification: 0, protocol: 0)
        var firstSeen: Int64 = 0
        var totalLength = -1
        var blocksSet = 0
        var nextHeader: UInt8 = 0
        var buffer: UnsafeMutableRawBufferPointer?
        var bitmap: UnsafeMutablePointer<UInt64>?
    }

    struct Counters {
        var inUse = 0
        var awaitingRelease = 0
        var evictedIncomplete = 0
        var droppedFragments = 0
    }

    public let limits: DissectorLimits
    /// Slot table and counters behind pointers: the per-packet checks must not
    /// pay for dynamic exclusivity enforcement on class properties.
    let slots: UnsafeMutableBufferPointer<Slot>
    let counters: UnsafeMutablePointer<Counters>
    let bitmapWords: Int
    /// Datagrams dropped incomplete because they timed out or the table was full.
    public var evictedIncomplete: Int { counters.pointee.evictedIncomplete }
    /// Fragments refused (bad offsets, too large, table bounds).
    public var droppedFragments: Int { counters.pointee.droppedFragments }

    init(limits: DissectorLimits) {
        self.limits = limits
        slots = .allocate(capacity: max(1, limits.maxFragmentedDatagrams))
        _ = slots.initialize(repeating: Slot())
        counters = .allocate(capacity: 1)
        counters.initialize(to: Counters())
        bitmapWords = (limits.maxDatagramBytes + 7) / 8 / 64 + 1
    }

    deinit {
        for s in slots {
            s.buffer?.deallocate()
            s.bitmap?.deallocate()
        }
        slots.deallocate()
        counters.deallocate()
    }

    /// Frees slots whose reassembled bytes were handed out for the previous packet.
    @inline(__always) @usableFromInline func releaseCompleted() {
        guard counters.pointee.awaitingRelease > 0 else { return }
        for i in slots.indices where slots[i].awaitingRelease {
            slots[i].awaitingRelease = false
            slots[i].inUse = false
            counters.pointee.inUse -= 1
        }
        counters.pointee.awaitingRelease = 0
    }

    func removeAll() {
        for i in slots.indices { slots[i].inUse = false; slots[i].awaitingRelease = false }
        counters.pointee.inUse = 0
        counters.pointee.awaitingRelease = 0
    }

    /// Number of datagrams currently pending.
    public var pendingCount: Int { counters.pointee.inUse - counters.pointee.awaitingRelease }

    func add(key: FragmentKey, offset: Int, more: Bool, data: ByteView, nextHeader: UInt8,
             now: Int64, layer: Layer, frameOffset: Int, into d: inout Dissection) -> FragmentResult {
        let end = offset + data.count
        guard end <= limits.maxDatagramBytes else {
            counters.pointee.droppedFragments += 1
            d.notes.append(.limitReached(layer: layer, offset: frameOffset, limit: .init("reassembled datagram size (65535)")))
            return .dropped
        }
        if more && data.count % 8 != 0 {
            d.notes.append(.malformed(layer: layer, offset: frameOffset, reason: .init("non-final fragment length not a multiple of 8")))
        }
        // Find the datagram, expiring old ones on the way. Every fragment scans the whole table
        // (a flood of fragments that never complete keeps it full), so the scan reads fields in
        // place rather than copying each slot, and compares the identification before the key.
        var found = -1, free = -1, oldest = -1
        var oldestSeen: Int64 = 0
        let timeout = limits.fragmentTimeoutNanoseconds
        for i in slots.indices {
            guard slots[i].inUse else {
                if free < 0 { free = i }
                continue
            }
            if slots[i].awaitingRelease { continue }
            let seen = slots[i].firstSeen
            if now &- seen > timeout {
                slots[i].inUse = false
                counters.pointee.inUse -= 1
                counters.pointee.evictedIncomplete += 1
                if free < 0 { free = i }
                continue
            }
            // At most one slot not awaiting release holds a key (a new one is made only when none does).
            if found < 0 && slots[i].key.identification == key.identification && slots[i].key == key { found = i }
            if oldest < 0 || seen < oldestSeen { oldest = i; oldestSeen = seen }
        }
        if found < 0 {
            if free < 0 {
                guard oldest >= 0 else {
                    counters.pointee.droppedFragments += 1
                    d.notes.append(.limitReached(layer: layer, offset: frameOffset, limit: .init("fragmented datagrams in progress")))
                    return .dropped
                }
                d.notes.append(.limitReached(layer: layer, offset: frameOffset, limit: .init("fragmented datagrams in progress; oldest dropped")))
                counters.pointee.evictedIncomplete += 1
                counters.pointee.inUse -= 1
                free = oldest
            }
            found = free
            if slots[found].buffer == nil {
                slots[found].buffer = .allocate(byteCount: limits.maxDatagramBytes, alignment: 8)
                slots[found].bitmap = .allocate(capacity: bitmapWords)
            }
            slots[found].bitmap?.update(repeating: 0, count: bitmapWords)
            slots[found].inUse = true
            counters.pointee.inUse += 1
            slots[found].key = key
            slots[found].firstSeen = now
            slots[found].totalLength = -1
            slots[found].blocksSet = 0
            slots[found].nextHeader = nextHeader
        }
        let i = found
        guard let buffer = slots[i].buffer, let bitmap = slots[i].bitmap else { return .dropped }
        if !more {
            if slots[i].totalLength >= 0 && slots[i].totalLength != end {
                d.notes.append(.malformed(layer: layer, offset: frameOffset, reason: .init("two last fragments disagree on datagram length")))
            }
            slots[i].totalLength = end
        } else if slots[i].totalLength >= 0 && end > slots[i].totalLength {
            counters.pointee.droppedFragments += 1
            d.notes.append(.malformed(layer: layer, offset: frameOffset, reason: .init("fragment past the datagram end")))
            return .dropped
        }
        if offset == 0 { slots[i].nextHeader = nextHeader }
        // Copy (later data wins), then mark the 8-byte blocks it covers.
        if data.count > 0, let src = data.base.baseAddress, let dst = buffer.baseAddress {
            (dst + offset).copyMemory(from: src, byteCount: data.count)
        }
        let firstBlock = offset / 8
        let lastBlock = more ? end / 8 : (end + 7) / 8
        var overlap = false
        var blk = firstBlock
        while blk < lastBlock {
            let w = blk >> 6, bit = UInt64(1) << UInt64(blk & 63)
            if bitmap[w] & bit != 0 { overlap = true } else { bitmap[w] |= bit; slots[i].blocksSet += 1 }
            blk += 1
        }
        if overlap {
            d.notes.append(.malformed(layer: layer, offset: frameOffset, reason: .init("overlapping fragment (later data kept)")))
        }
        let total = slots[i].totalLength
        if total >= 0 && slots[i].blocksSet >= (total + 7) / 8 {
            slots[i].awaitingRelease = true
            counters.pointee.awaitingRelease += 1
            return .completed(ByteView(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<total])), slots[i].nextHeader)
        }
        return .pending
    }
}
