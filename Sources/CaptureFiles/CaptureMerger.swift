/// Reads several capture files as one stream in time order.
///
/// A k-way merge over one `CaptureReader` per file: each call returns the
/// pending packet with the smallest timestamp; ties go to the lower file
/// index, then the lower frame number (a file's own order is kept even when
/// its timestamps go backwards). Frame numbers stay per file and
/// `Packet.fileIndex` says which file. Memory is one pending packet per file.
///
/// A returned packet's bytes stay valid while the merger (and its readers) live.
public final class CaptureMerger {
    public let readers: [CaptureReader]
    // Per packet: the scan reads `times` only (one word per file), and a packet is copied once in
    // and once out. Scanning a `[Packet?]` copied each pending packet, and Array's uniqueness and
    // exclusivity checks and the readers' retains cost as much again (callgrind: memmove 16 % and
    // swift_beginAccess 10 % of `analyze A B`). The storage is the merger's own, sized once, and
    // only `merged()` and `refill(_:)` touch it.
    private let count: Int
    private let pending: UnsafeMutablePointer<Packet>
    /// The pending packet's timestamp per file; meaningless where `live[i]` is false.
    private let times: UnsafeMutablePointer<Int64>
    /// Whether file i has a pending packet.
    private let live: UnsafeMutablePointer<Bool>
    /// The readers, unretained: `readers` keeps them alive.
    private let sources: UnsafeMutablePointer<Unmanaged<CaptureReader>>
    private var primed = false
    /// The one reader when there is one: `next()` is then that reader's (nothing to merge).
    private let only: CaptureReader?

    /// Opens every path (file index = position in `paths`).
    /// - Throws: the first file that cannot be opened or is no capture.
    public convenience init(paths: [String]) throws(CaptureFileError) {
        var readers: [CaptureReader] = []
        readers.reserveCapacity(paths.count)
        for (i, path) in paths.enumerated() { readers.append(try CaptureReader(path: path, fileIndex: i)) }
        self.init(readers: readers)
    }

    /// Merges readers that were already opened (their `fileIndex` is kept).
    public init(readers: [CaptureReader]) {
        self.readers = readers
        count = readers.count
        let slots = max(1, count)  // no zero-capacity allocations for a merger of no readers
        let empty = Packet(frameNumber: 0, linkType: .ethernet, timestampNanoseconds: 0, originalLength: 0,
                           bytes: ByteView(UnsafeRawBufferPointer(start: nil, count: 0)))
        pending = .allocate(capacity: slots)
        pending.initialize(repeating: empty, count: slots)
        times = .allocate(capacity: slots)
        times.initialize(repeating: .max, count: slots)
        live = .allocate(capacity: slots)
        live.initialize(repeating: false, count: slots)
        sources = .allocate(capacity: slots)
        for (i, r) in readers.enumerated() { (sources + i).initialize(to: .passUnretained(r)) }
        only = readers.count == 1 ? readers[0] : nil
    }

    deinit {
        pending.deinitialize(count: max(1, count)); pending.deallocate()  // the `slots` of init
        times.deallocate(); live.deallocate(); sources.deallocate()
    }

    /// Damage from every file, in file order.
    public var damages: [CaptureDamage] { readers.compactMap(\.damage) }
    /// Warnings from every file, in file order.
    public var warnings: [CaptureWarning] { readers.flatMap(\.warnings) }

    @inline(__always)
    public func next() -> Packet? {
        if let only { return only.next() }
        return merged()
    }

    @inline(__always)
    private func refill(_ i: Int) {
        // Guaranteed: `readers` holds every reader for the merger's lifetime (no retain per packet).
        if let p = sources[i]._withUnsafeGuaranteedRef({ $0.next() }) {
            pending[i] = p
            times[i] = p.timestampNanoseconds
            live[i] = true
        } else {
            live[i] = false
        }
    }

    private func merged() -> Packet? {
        if !primed {
            primed = true
            for i in 0..<count { refill(i) }
        }
        // Linear scan: the number of files is small; a strict `<` keeps the lower file index on equal
        // timestamps (a packet stamped `Int64.max` still comes before the end of the files).
        var best = -1
        var bestTime = Int64.max
        for i in 0..<count where live[i] {
            if best < 0 || times[i] < bestTime {
                best = i
                bestTime = times[i]
            }
        }
        guard best >= 0 else { return nil }
        let packet = pending[best]
        refill(best)
        return packet
    }
}
