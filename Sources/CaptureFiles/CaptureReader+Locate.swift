/// Finding frames again after a pass: the reports need a few frames the
/// analysis cited (their times, bytes and decoded views, the evidence
/// capture), and must not read the file a third time to get them.
///
/// While it reads, the reader keeps a sparse index: where the record of every
/// `frameIndexStride`-th frame starts, with the section state there (byte
/// order, which interfaces it describes, the previous timestamp). A frame is
/// found from the nearest index point before it, by stepping over at most
/// `frameIndexStride - 1` packet records (no dissection, no copy): one jump and a
/// short walk per frame, and one walk for frames close together. The index
/// costs 48 bytes per 1,024 frames.
extension CaptureReader {
    /// Frames between index points.
    public static let frameIndexStride = 1024

    struct Checkpoint {
        /// The first frame read from `offset`.
        var frame: Int
        var offset: Int
        var sectionFirst: Int
        var sectionCount: Int
        var bigEndian: Bool
        var lastTimestamp: Int64
    }

    /// Called with each new packet frame number before its record is read further.
    @inline(__always)
    func noteFrame(at record: Int) {
        if framesRead &- lastCheckpointFrame >= Self.frameIndexStride || structureChanged, !locating {
            addCheckpoint(at: record)
        }
    }

    @inline(never)
    func addCheckpoint(at record: Int) {
        structureChanged = false
        lastCheckpointFrame = framesRead
        checkpoints.append(Checkpoint(frame: framesRead, offset: record, sectionFirst: sectionFirst, sectionCount: sectionCount,
                                      bigEndian: order.bigEndian, lastTimestamp: lastTimestamp))
    }

    /// Calls `body` with the packet of each of `frames` (frame numbers of this
    /// file, ascending) that this reader has read; frames it never reached or
    /// skipped are passed over. Use after a pass has read the file (to its
    /// end or its damage); the reader's counters, warnings and position are as
    /// they were afterwards. Each packet's bytes are valid while the input lives
    /// (pages behind the walk are dropped as a pass drops them; a later read
    /// faults them in again).
    public func visit<S: Sequence<Int>>(frames: S, _ body: (Packet) throws -> Void) rethrows {
        let saved = (offset, framesRead, lastTimestamp, sectionFirst, sectionCount, order.bigEndian, damage, blockCounts)
        locating = true
        defer {
            (offset, framesRead, lastTimestamp, sectionFirst, sectionCount, order.bigEndian, damage, blockCounts) = saved
            locating = false
        }
        let lastFrame = saved.1
        releasedUpTo = 0
        var lookahead: Packet?
        for n in frames where n >= 1 && n <= lastFrame {
            if let p = lookahead {
                if p.frameNumber > n { continue }
                if p.frameNumber == n { lookahead = nil; try body(p); continue }
            }
            guard let cp = checkpoint(atOrBefore: n) else { continue }
            // Jump unless the walk already stands past the index point and before `n`
            // (a section or interface block lies just before an index point: never walk over it).
            if lookahead != nil || framesRead < cp.frame || framesRead >= n {
                offset = cp.offset
                framesRead = cp.frame - 1
                lastTimestamp = cp.lastTimestamp
                sectionFirst = cp.sectionFirst
                sectionCount = cp.sectionCount
                order.bigEndian = cp.bigEndian
                damage = nil
            }
            lookahead = nil
            // Frames come in file order: pages behind the walk are not needed again.
            if offset &- releasedUpTo >= Self.releaseStride { releaseBehind() }
            while let p = nextRecord() {
                locatedRecords += 1
                if p.frameNumber == n { try body(p); break }
                if p.frameNumber > n { lookahead = p; break }
            }
        }
    }

    func nextRecord() -> Packet? {
        if case .pcapng = format { return nextPcapNG() }
        return nextPcap()
    }

    /// The last index point at or before frame `n`.
    func checkpoint(atOrBefore n: Int) -> Checkpoint? {
        var lo = 0, hi = checkpoints.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if checkpoints[mid].frame <= n { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : checkpoints[lo - 1]
    }
}
