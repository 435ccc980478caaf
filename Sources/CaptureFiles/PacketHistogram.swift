/// Packets per time bucket per interface, on one time axis shared by all
/// input files: the record's timeline. Filled while a pass reads the packets
/// (`add`) once the time range is known (the pass before finds it); packets
/// findings cite are marked afterwards (`addLeaked`). Memory: two counters
/// per bucket per interface; the per-packet step is two array lookups.
public struct PacketHistogram: Sendable {
    public let buckets: Int
    public let startNs: Int64
    public let endNs: Int64
    public let bucketNs: Int64

    /// Row of each (file, interface), -1 for none yet.
    var rowOf: [[Int]] = []
    var keys: [(file: Int, interface: Int)] = []
    var all: [Int] = []
    var leaked: [Int] = []

    public init(startNs: Int64, endNs: Int64, buckets: Int = 100) {
        self.buckets = max(1, buckets)
        self.startNs = startNs
        self.endNs = max(endNs, startNs)
        // Round the width up so the last packet falls in the last bucket.
        let span = self.endNs - startNs + 1
        self.bucketNs = max(1, (span + Int64(self.buckets) - 1) / Int64(self.buckets))
    }

    @inline(__always)
    func bucket(_ timestampNs: Int64) -> Int {
        Int(min(max((timestampNs &- startNs) / bucketNs, 0), Int64(buckets - 1)))
    }

    /// Counts one packet.
    @inline(__always)
    public mutating func add(fileIndex: Int, interfaceID: Int, timestampNs: Int64) {
        let row = declare(fileIndex: fileIndex, interfaceID: interfaceID)
        all[row &* buckets &+ bucket(timestampNs)] &+= 1
    }

    /// Counts one packet a finding cites (each cited packet once).
    public mutating func addLeaked(fileIndex: Int, interfaceID: Int, timestampNs: Int64) {
        let row = declare(fileIndex: fileIndex, interfaceID: interfaceID)
        leaked[row &* buckets &+ bucket(timestampNs)] &+= 1
    }

    /// Registers an interface so it gets a (possibly empty) row; returns the row.
    @inline(__always) @discardableResult
    public mutating func declare(fileIndex: Int, interfaceID: Int) -> Int {
        if fileIndex >= 0, fileIndex < rowOf.count, interfaceID >= 0, interfaceID < rowOf[fileIndex].count {
            let r = rowOf[fileIndex][interfaceID]
            if r >= 0 { return r }
        }
        return addRow(fileIndex: fileIndex, interfaceID: interfaceID)
    }

    @inline(never)
    mutating func addRow(fileIndex: Int, interfaceID: Int) -> Int {
        while rowOf.count <= fileIndex { rowOf.append([]) }
        while rowOf[fileIndex].count <= interfaceID { rowOf[fileIndex].append(-1) }
        let row = keys.count
        rowOf[fileIndex][interfaceID] = row
        keys.append((fileIndex, interfaceID))
        all += repeatElement(0, count: buckets)
        leaked += repeatElement(0, count: buckets)
        return row
    }

    public struct Row: Sendable, Hashable {
        public var fileIndex: Int
        public var interfaceID: Int
        public var all: [Int]
        public var leaked: [Int]
    }

    /// One row per interface, by file and then interface id.
    public var rows: [Row] {
        keys.indices.sorted { (keys[$0].file, keys[$0].interface) < (keys[$1].file, keys[$1].interface) }.map { r in
            Row(fileIndex: keys[r].file, interfaceID: keys[r].interface,
                all: Array(all[r * buckets ..< (r + 1) * buckets]), leaked: Array(leaked[r * buckets ..< (r + 1) * buckets]))
        }
    }
}
