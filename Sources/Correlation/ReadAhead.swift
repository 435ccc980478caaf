import CaptureFiles
import Dissectors
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The packets of one pass, in the merger's order, each with what the carrier
/// fast path reads of it (`CarrierDatagram`), read on a second thread ahead of
/// the pass when `threaded` (issue 11: a single file uses the second core).
///
/// Reading (the records, the merge, the page faults of the mapping) and the
/// fast path's fixed-offset loads take about half of each pass on the bench
/// workload; the other half judges the packet. The producer thread reads into a
/// bounded ring and the pass takes the packets from it, in the same order and
/// with the same values as a read on the pass's own thread: only who reads
/// changes, so the analysis is the same either way (tests compare them).
///
/// While threaded, the merger and its readers belong to the producer thread:
/// the pass sees them again after `finish()`. What a pass needs of a reader
/// while it runs (its interfaces, to register them before their packets) comes
/// through `interfaces(ofFile:)`.
final class ReadAhead: @unchecked Sendable {
    struct Slot {
        var packet: Packet
        /// `CarrierDatagram.read(packet)` when the fast path is on, else nil.
        var carrier: CarrierDatagram?
        /// The packet's reader's `interfaceCount` just after it returned the packet (as the pass
        /// would have seen it reading itself).
        var interfaceCount: Int
    }

    /// Ring size in packets (a power of two): about 200 KB of the file on the bench workload.
    static let capacity = 1024
    /// The producer reads at most about this many bytes of a file past what the pass is done
    /// with (whatever the packets' sizes): with the reader's release stride, what read-ahead
    /// adds to the resident size. Each reader drops pages only behind the pass (`ReleaseGate`).
    static let budget = 2 << 20
    /// Slots are handed over (and handed back) in batches: one atomic store per batch.
    static let batch = 64
    /// A side that sleeps is woken once this many slots are ready for it (or at the end): one
    /// wake-up per quarter ring, not per batch (a wake-up costs about as much as a batch).
    static let wakeBatch = 256
    /// Processors this process may run on (a second one is what the thread is for).
    static let processors = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    private let merger: CaptureMerger
    /// The readers and the merger, unretained (`merger` keeps them alive): a class reference read
    /// from a property is retained and released around each use, per packet (perf: swift_retain
    /// 15 % of a read-ahead analysis before this).
    private let readers: UnsafeMutablePointer<Unmanaged<CaptureReader>>
    private let merged: Unmanaged<CaptureMerger>
    private let single: Bool
    private let fast: Bool
    /// Set once in `init` (false again when no thread could be started); the producer never reads it.
    @exclusivity(unchecked) private(set) var threaded: Bool
    private let slots: UnsafeMutablePointer<Slot>
    @exclusivity(unchecked) private var ticker = ProgressTicker()

    // Threaded: the producer writes `published` (slots written), the pass `consumed` (slots it is
    // done with); `done` once the producer wrote its last slot; `stop` asks it to quit early.
    private let published = Atomic<Int>(0)
    private let consumed = Atomic<Int>(0)
    private let done = Atomic<Bool>(false)
    private let stop = Atomic<Bool>(false)
    private let snapshots: Mutex<[[CaptureInterface]]>
    /// The pass sleeps on `slotsReady` for `published`, the producer on `spaceReady` for `consumed`.
    private let slotsReady = Doorbell(), spaceReady = Doorbell()
    /// Set while the producer waits for the pass: the pass then takes what is published even
    /// when it is less than `wakeBatch` (else each would wait for the other).
    private let producerWaits = Atomic<Bool>(false)
    @exclusivity(unchecked) private var read = 0
    @exclusivity(unchecked) private var available = 0
    @exclusivity(unchecked) private var thread: pthread_t?
    /// Per file: what the pass is done with (handed to the reader's gate with each batch), and
    /// the record offset of the last packet it was given (its own, written per packet).
    private let gates: [ReleaseGate]
    private let lastOffsets: UnsafeMutablePointer<Int>

    /// Starts reading when `threaded` (falls back to reading on the pass's thread when no thread
    /// can be started).
    init(_ merger: CaptureMerger, carrierFastPath: Bool, threaded: Bool) {
        self.merger = merger
        single = merger.readers.count == 1
        readers = .allocate(capacity: max(1, merger.readers.count))
        for (i, r) in merger.readers.enumerated() { (readers + i).initialize(to: .passUnretained(r)) }
        merged = .passUnretained(merger)
        fast = carrierFastPath
        snapshots = Mutex(merger.readers.map(\.interfaces))
        slots = .allocate(capacity: threaded ? Self.capacity : 1)
        gates = threaded ? merger.readers.map { _ in ReleaseGate() } : []
        lastOffsets = .allocate(capacity: max(1, merger.readers.count))
        lastOffsets.initialize(repeating: 0, count: max(1, merger.readers.count))
        self.threaded = threaded
        if threaded {
            for (r, g) in zip(merger.readers, gates) { r.releaseGate = g }
            var t = pthread_t()
            let context = Unmanaged.passRetained(self)
            if pthread_create(&t, nil, { raw in
                Unmanaged<ReadAhead>.fromOpaque(raw!).takeRetainedValue().produce()
                return nil
            }, context.toOpaque()) == 0 {
                thread = t
            } else {
                context.release()
                for r in merger.readers { r.releaseGate = nil }
                self.threaded = false
            }
        }
    }

    deinit {
        finish()
        slots.deallocate()  // Slot is trivial: nothing to deinitialize
        lastOffsets.deallocate()
        readers.deallocate()
    }

    /// The next packet, valid until the next call; nil at the end of every input.
    @inline(__always)
    func next() -> UnsafePointer<Slot>? {
        if !threaded {
            guard let p = readPacket() else { return nil }
            ticker.count(p)
            fill(slots, p)
            return UnsafePointer(slots)
        }
        if read & (Self.batch - 1) == 0 { handBack() }  // every slot before `read` is done
        if read == available, !waitForSlots() { return nil }
        let s = slots + (read & (Self.capacity - 1))
        read &+= 1
        lastOffsets[s.pointee.packet.fileIndex] = s.pointee.packet.recordOffset
        return UnsafePointer(s)
    }

    /// The interfaces file `i`'s reader had found when it returned the packet last handed out (at
    /// least `Slot.interfaceCount` of them; later ones may follow: take that prefix).
    func interfaces(ofFile i: Int) -> [CaptureInterface] {
        threaded ? snapshots.withLock { $0[i] } : merger.readers[i].interfaces
    }

    /// Waits for the producer to finish (or stops it), hands the readers back and drops the pages
    /// they read. Idempotent.
    func finish() {
        if let t = thread {
            stop.store(true, ordering: .sequentiallyConsistent)
            spaceReady.wake()
            pthread_join(t, nil)
            thread = nil
        }
        for r in merger.readers { r.releaseRead() }
    }

    /// The slots before `read` and every file's records before its last packet handed out are done.
    private func handBack() {
        for (i, g) in gates.enumerated() { g.done(upTo: lastOffsets[i]) }
        consumed.store(read, ordering: .sequentiallyConsistent)
        spaceReady.ring(at: read)
    }

    /// The next packet of the inputs (one reader: its own `next()`, without the merger's call).
    @inline(__always)
    private func readPacket() -> Packet? {
        single ? readers[0]._withUnsafeGuaranteedRef { $0.next() } : merged._withUnsafeGuaranteedRef { $0.next() }
    }

    @inline(__always)
    private func fill(_ s: UnsafeMutablePointer<Slot>, _ p: Packet) {
        let count = readers[single ? 0 : p.fileIndex]._withUnsafeGuaranteedRef { $0.interfaceCount }
        s.initialize(to: Slot(packet: p, carrier: fast ? CarrierDatagram.read(p) : nil, interfaceCount: count))
    }

    private func waitForSlots() -> Bool {
        handBack()
        let mark = read &+ Self.wakeBatch
        while true {
            for _ in 0..<Self.spins {
                available = published.load(ordering: .acquiring)
                if available > read { return true }
                if done.load(ordering: .acquiring) {
                    available = published.load(ordering: .acquiring)
                    return available > read
                }
            }
            slotsReady.sleep(until: mark) {
                let p = published.load(ordering: .sequentiallyConsistent)
                return p >= mark || done.load(ordering: .sequentiallyConsistent)
                    || (p > read && producerWaits.load(ordering: .sequentiallyConsistent))
            }
        }
    }

    /// Checks of the other side's counter before sleeping (a batch is usually a few microseconds away).
    static let spins = 256

    /// The producer: hands over what it wrote, then sleeps until the pass has handed back up to
    /// `mark` (or asks it to stop). False when asked to stop.
    private func waitForPass(written: Int, until mark: Int) -> Bool {
        publish(written)
        producerWaits.store(true, ordering: .sequentiallyConsistent)
        slotsReady.wake()  // a pass asleep for a quarter ring takes what there is instead
        defer { producerWaits.store(false, ordering: .sequentiallyConsistent) }
        for _ in 0..<Self.spins where consumed.load(ordering: .acquiring) >= mark { return !stop.load(ordering: .acquiring) }
        spaceReady.sleep(until: mark) {
            consumed.load(ordering: .sequentiallyConsistent) >= mark || stop.load(ordering: .sequentiallyConsistent)
        }
        return !stop.load(ordering: .acquiring)
    }

    @inline(__always)
    private func publish(_ written: Int) {
        published.store(written, ordering: .sequentiallyConsistent)
        slotsReady.ring(at: written)
    }

    /// The producer thread: reads every packet into the ring.
    private func produce() {
        var ticker = ProgressTicker()
        var written = 0, freeUntil = Self.capacity, unchecked = 0
        var counts = merger.readers.map(\.interfaceCount)
        reading: while true {
            // Ahead of the pass by at most `budget` bytes of any file: checked before each read once
            // a quarter of it was read since the last check (the packet read then may add up to the
            // largest record), so a ring of large packets stays as small in memory as one of small
            // ones. Only while the pass has packets left: a file whose next packet waits in the
            // merger (or that skipped a long stretch of other blocks) must not stop both sides.
            if unchecked >= Self.budget / 4 {
                unchecked = 0
                while case let c = consumed.load(ordering: .acquiring), c < written,
                      zip(merger.readers, gates).contains(where: { $0.offset &- $1.doneUpTo > Self.budget }) {
                    guard waitForPass(written: written, until: min(written, c &+ Self.wakeBatch)) else { break reading }
                }
            }
            guard let p = readPacket() else { break }
            ticker.count(p)
            unchecked &+= p.capturedLength &+ 32
            if written == freeUntil {
                // Full: wait for a quarter ring back (not one batch: see `wakeBatch`).
                guard waitForPass(written: written, until: written &- Self.capacity &+ Self.wakeBatch) else { break reading }
                freeUntil = consumed.load(ordering: .acquiring) &+ Self.capacity
            }
            let s = slots + (written & (Self.capacity - 1))
            fill(s, p)
            if s.pointee.interfaceCount != counts[p.fileIndex] {
                // Before the slot is published: the pass finds at least this many.
                counts[p.fileIndex] = s.pointee.interfaceCount
                let list = merger.readers[p.fileIndex].interfaces
                snapshots.withLock { $0[p.fileIndex] = list }
            }
            written &+= 1
            if written & (Self.batch - 1) == 0 {
                publish(written)
                if stop.load(ordering: .relaxed) { break }
            }
        }
        published.store(written, ordering: .sequentiallyConsistent)
        done.store(true, ordering: .sequentiallyConsistent)
        slotsReady.wake()
    }
}

/// One side sleeping until a counter the other side advances reaches a mark, without a system
/// call per batch on either side: the sleeper publishes its mark and checks again under the lock;
/// the other side stores its counter and then reads the mark (both sequentially consistent, so
/// one of them sees the other's store), and takes the lock to signal only when the mark is reached.
final class Doorbell: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// What the sleeper waits for; Int.max while nobody sleeps.
    private let mark = Atomic<Int>(.max)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond); pthread_mutex_destroy(mutex)
        cond.deallocate(); mutex.deallocate()
    }

    /// Sleeps until `ready()` (which must hold once the counter reaches `mark`, or on whatever
    /// else `wake()` is called for).
    func sleep(until mark: Int, _ ready: () -> Bool) {
        pthread_mutex_lock(mutex)
        self.mark.store(mark, ordering: .sequentiallyConsistent)
        while !ready() { pthread_cond_wait(cond, mutex) }
        self.mark.store(.max, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
    }

    /// Called after storing the counter's new `value` (sequentially consistent).
    @inline(__always)
    func ring(at value: Int) {
        if value >= mark.load(ordering: .sequentiallyConsistent) { wake() }
    }

    /// Wakes the sleeper, if any, to check again.
    func wake() {
        pthread_mutex_lock(mutex)
        pthread_cond_signal(cond)
        pthread_mutex_unlock(mutex)
    }
}
