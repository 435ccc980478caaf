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
    private var pending: [Packet?]
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
        pending = Array(repeating: nil, count: readers.count)
        only = readers.count == 1 ? readers[0] : nil
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

    private func merged() -> Packet? {
        if !primed {
            primed = true
            for i in readers.indices { pending[i] = readers[i].next() }
        }
        // Linear scan: the number of files is small; a strict `<` keeps the
        // lower file index on equal timestamps.
        var best = -1
        var bestTime = Int64.max
        for i in pending.indices {
            if let p = pending[i], best < 0 || p.timestampNanoseconds < bestTime {
                best = i
                bestTime = p.timestampNanoseconds
            }
        }
        guard best >= 0, let packet = pending[best] else { return nil }
        pending[best] = readers[best].next()
        return packet
    }
}
