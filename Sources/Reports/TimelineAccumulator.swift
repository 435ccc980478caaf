import CaptureFiles

/// Builds the timeline histogram in one pass over the packets once the time
/// range is known (the metadata pass gives it). Memory: `buckets` counters
/// per interface.
public struct TimelineAccumulator {
    public let buckets: Int
    public let startNs: Int64
    public let bucketNs: Int64
    public let endNs: Int64
    // Rows by key, counters in flat arrays mutated in place (no copy per packet).
    var rowIndex: [SeriesKey: Int] = [:]
    var all: [[Int]] = []
    var leaked: [[Int]] = []

    struct SeriesKey: Hashable, Comparable {
        var file: Int
        var interface: Int
        static func < (a: Self, b: Self) -> Bool { (a.file, a.interface) < (b.file, b.interface) }
    }

    public init(startNs: Int64, endNs: Int64, buckets: Int = 100) {
        self.buckets = max(1, buckets)
        self.startNs = startNs
        self.endNs = max(endNs, startNs)
        // Round the width up so the last packet falls in the last bucket.
        let span = self.endNs - startNs + 1
        self.bucketNs = max(1, (span + Int64(self.buckets) - 1) / Int64(self.buckets))
    }

    public mutating func add(fileIndex: Int, interfaceID: Int, timestampNs: Int64, leaked isLeaked: Bool) {
        let row = declare(fileIndex: fileIndex, interfaceID: interfaceID)
        let i = Int(min(max((timestampNs - startNs) / bucketNs, 0), Int64(buckets - 1)))
        all[row][i] += 1
        if isLeaked { leaked[row][i] += 1 }
    }

    /// Registers an interface so it gets a (possibly empty) row; returns the row.
    @discardableResult
    public mutating func declare(fileIndex: Int, interfaceID: Int) -> Int {
        let key = SeriesKey(file: fileIndex, interface: interfaceID)
        if let row = rowIndex[key] { return row }
        rowIndex[key] = all.count
        all.append(Array(repeating: 0, count: buckets))
        leaked.append(Array(repeating: 0, count: buckets))
        return all.count - 1
    }

    /// The histogram; `inputs` names the files and interfaces, `tunnel` gives roles.
    public func timeline(inputs: [InputFile], tunnel: RecordTunnel) -> Timeline {
        let rows = rowIndex.keys.sorted().map { key -> TimelineSeries in
            let input = inputs.first { $0.index == key.file }
            let file = input?.name ?? "file\(key.file)"
            let capIf = input?.capture.interfaces.first { $0.id == key.interface }
            let model = input.flatMap { tunnel.interface(of: $0, id: key.interface) }
            let name = capIf?.name ?? model?.name ?? "if\(key.interface)"
            let role = model?.role ?? "unknown"
            let row = rowIndex[key]!
            return TimelineSeries(file: file, interfaceId: key.interface, interface: name, role: role, all: all[row], leaked: leaked[row])
        }
        return Timeline(buckets: buckets, startNs: startNs, endNs: endNs, bucketNs: bucketNs, series: rows)
    }
}
