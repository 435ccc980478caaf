/// A compact histogram of packets per interface over time, for the timeline
/// plot: one shared time axis over all inputs, `buckets` equal slices, and
/// per interface the count of all packets and of packets findings cite.
public struct Timeline: Codable, Sendable, Hashable {
    public var buckets: Int
    public var startNs: Int64
    public var endNs: Int64
    public var bucketNs: Int64
    public var series: [TimelineSeries]
    /// Leak windows (schema 1.2; tunnel-failure findings without one too), for shading.
    public var spans: [TimelineSpan]

    public init(buckets: Int = 0, startNs: Int64 = 0, endNs: Int64 = 0, bucketNs: Int64 = 0,
                series: [TimelineSeries] = [], spans: [TimelineSpan] = []) {
        self.buckets = buckets; self.startNs = startNs; self.endNs = endNs; self.bucketNs = bucketNs
        self.series = series; self.spans = spans
    }
    enum CodingKeys: String, CodingKey {
        case buckets, series, spans
        case startNs = "start_ns", endNs = "end_ns", bucketNs = "bucket_ns"
    }
}

public struct TimelineSeries: Codable, Sendable, Hashable {
    public var file: String
    public var interfaceId: Int
    public var interface: String
    public var role: String
    public var all: [Int]
    public var leaked: [Int]
    public init(file: String, interfaceId: Int, interface: String, role: String, all: [Int], leaked: [Int]) {
        self.file = file; self.interfaceId = interfaceId; self.interface = interface; self.role = role
        self.all = all; self.leaked = leaked
    }
    enum CodingKeys: String, CodingKey {
        case file, interface, role, all, leaked
        case interfaceId = "interface_id"
    }
}

public struct TimelineSpan: Codable, Sendable, Hashable {
    /// The tunnel-failure finding, else the window's id.
    public var finding: String
    public var startNs: Int64
    public var endNs: Int64
    /// Schema 1.2: the leak window and its tunnel event; `failure` false for a window that is no tunnel failure.
    public var window: String?
    public var event: String?
    public var failure: Bool?
    public init(finding: String, startNs: Int64, endNs: Int64, window: String? = nil, event: String? = nil, failure: Bool? = nil) {
        self.finding = finding; self.startNs = startNs; self.endNs = endNs
        self.window = window; self.event = event; self.failure = failure
    }
    enum CodingKeys: String, CodingKey {
        case finding, window, event, failure
        case startNs = "start_ns", endNs = "end_ns"
    }

    /// Shaded as a tunnel failure (the default for spans without a window).
    public var isFailure: Bool { failure ?? true }
}
