/// Merges packets from several interfaces into one timestamp-ordered stream.
///
/// Each interface's packets arrive in its own time order, but a packet read
/// from one handle now may be older than one already read from another. So
/// packets are held in per-interface FIFOs and released by a k-way merge
/// (smallest timestamp first, ties by interface id) once they are *safe*: the
/// head's timestamp is at least `window` behind the wall clock, or it was read
/// at least `window` ago (either way, any older packet still in a kernel
/// buffer would have waited longer than the window). When more than
/// `maxPackets` or `maxBytes` are held, the oldest are released early.
///
/// Bytes are copied once into a per-interface arena that is reused; nothing
/// is allocated per packet once the arenas have grown.
struct ReorderBuffer {
    struct Entry {
        var timestampNanoseconds: Int64
        var arrivalNanoseconds: Int64
        var originalLength: Int
        var offset: Int
        var length: Int
    }

    struct Queue {
        var arena: [UInt8] = []
        var entries: [Entry] = []
        var head = 0
        var arenaHead = 0
        var isEmpty: Bool { head == entries.count }
        var first: Entry? { head < entries.count ? entries[head] : nil }
    }

    let window: Int64
    let maxPackets: Int
    let maxBytes: Int
    private(set) var queues: [Queue]
    private(set) var heldPackets = 0
    private(set) var heldBytes = 0
    /// Packets released early because a limit was hit (documented, reported).
    private(set) var forcedReleases = 0

    init(interfaces: Int, windowNanoseconds: Int64 = 200_000_000, maxPackets: Int = 100_000, maxBytes: Int = 64 << 20) {
        queues = Array(repeating: Queue(), count: interfaces)
        window = windowNanoseconds
        self.maxPackets = maxPackets
        self.maxBytes = maxBytes
    }

    mutating func append(
        interface: Int, timestampNanoseconds: Int64, arrivalNanoseconds: Int64, originalLength: Int,
        bytes: UnsafeRawBufferPointer
    ) {
        queues[interface].entries.append(
            Entry(
                timestampNanoseconds: timestampNanoseconds, arrivalNanoseconds: arrivalNanoseconds,
                originalLength: originalLength, offset: queues[interface].arena.count, length: bytes.count))
        queues[interface].arena.append(contentsOf: bytes)
        heldPackets += 1
        heldBytes += bytes.count
    }

    /// True when nothing of `interface` is held.
    func isEmpty(interface: Int) -> Bool { queues[interface].isEmpty }

    /// Releases, in timestamp order, every packet that is safe at
    /// (`wallClock`, `monotonic`), or all of them when `all`.
    mutating func release<E: Error>(
        wallClockNanoseconds: Int64, monotonicNanoseconds: Int64, all: Bool = false,
        _ body: (_ interface: Int, _ timestamp: Int64, _ originalLength: Int, _ bytes: UnsafeRawBufferPointer) throws(E) -> Void
    ) throws(E) {
        while let i = oldestQueue() {
            guard let e = queues[i].first else { break }
            let overLimit = heldPackets > maxPackets || heldBytes > maxBytes
            let safe = e.timestampNanoseconds <= wallClockNanoseconds - window
                || e.arrivalNanoseconds <= monotonicNanoseconds - window
            guard all || safe || overLimit else { break }
            if !all && !safe { forcedReleases += 1 }
            var failure: E?
            queues[i].arena.withUnsafeBytes { arena in
                do throws(E) {
                    try body(i, e.timestampNanoseconds, e.originalLength,
                             UnsafeRawBufferPointer(rebasing: arena[e.offset ..< e.offset + e.length]))
                } catch { failure = error }
            }
            pop(i, e)
            if let failure { throw failure }
        }
    }

    /// Index of the queue whose head has the smallest timestamp.
    private func oldestQueue() -> Int? {
        var best: Int?
        var bestTS = Int64.max
        for i in queues.indices {
            if let e = queues[i].first, best == nil || e.timestampNanoseconds < bestTS {
                best = i
                bestTS = e.timestampNanoseconds
            }
        }
        return best
    }

    private mutating func pop(_ i: Int, _ e: Entry) {
        heldPackets -= 1
        heldBytes -= e.length
        queues[i].head += 1
        queues[i].arenaHead = e.offset + e.length
        if queues[i].isEmpty {
            queues[i].entries.removeAll(keepingCapacity: true)
            queues[i].arena.removeAll(keepingCapacity: true)
            queues[i].head = 0
            queues[i].arenaHead = 0
        } else if queues[i].arenaHead > 1 << 20, queues[i].arenaHead * 2 > queues[i].arena.count {
            // Compact: drop the consumed prefix (amortised O(1) per byte).
            let cut = queues[i].arenaHead
            queues[i].arena.removeSubrange(0 ..< cut)
            queues[i].entries.removeSubrange(0 ..< queues[i].head)
            for k in queues[i].entries.indices { queues[i].entries[k].offset -= cut }
            queues[i].head = 0
            queues[i].arenaHead = 0
        }
    }
}
