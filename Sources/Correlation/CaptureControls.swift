import CaptureFiles

/// What one capture file recorded for the positive control, read from its
/// Interface Statistics Blocks after pass 1 (docs/leak-model.md, "Positive
/// control"): `leakscope capture`'s route snapshots and canary records (their
/// comments), every capture tool's drop counters, and the names of the
/// interfaces it captured.
public struct CaptureControls: Sendable {
    public var routeSnapshots: [RouteSnapshot] = []
    public var canaries: [CanaryRecord] = []
    /// Per capture interface id: the highest `isb_osdrop` / `isb_ifdrop` of its ISBs (counters are
    /// cumulative, so the highest is the capture's total); nil when no ISB gave the counter.
    public var drops: [Int: Drops] = [:]
    /// Names of the captured interfaces (IDB `if_name`), in file order.
    public var interfaceNames: [String] = []

    public struct Drops: Sendable, Equatable {
        public var kernel: UInt64?
        public var interface: UInt64?
        public init(kernel: UInt64? = nil, interface: UInt64? = nil) { self.kernel = kernel; self.interface = interface }
        public var total: UInt64 { (kernel ?? 0) &+ (interface ?? 0) }
    }

    public init() {}

    /// Bounds: a file holds at most this many records of each kind that are kept, and at most
    /// `maximumRoutes` route lines over all its snapshots (the rest count as omitted: a coverage gap).
    static let maximumRecords = 1_024
    static let maximumRoutes = 65_536

    /// The records of a reader that reached its end.
    public init(reader: CaptureReader) {
        interfaceNames = reader.interfaces.compactMap(\.name)
        var routes = 0
        for s in reader.statistics {
            if s.osDropped != nil || s.interfaceDropped != nil {
                var d = drops[s.interfaceID] ?? Drops()
                if let k = s.osDropped { d.kernel = max(d.kernel ?? 0, k) }
                if let i = s.interfaceDropped { d.interface = max(d.interface ?? 0, i) }
                drops[s.interfaceID] = d
            }
            for c in s.comments {
                if routeSnapshots.count < Self.maximumRecords,
                   var r = RouteSnapshot(comment: c, fallbackTime: s.endTimeNanoseconds ?? s.timestampNanoseconds) {
                    let room = max(0, Self.maximumRoutes - routes)
                    if r.routes.count > room {
                        r.routesOmitted += r.routes.count - room
                        r.routes.removeLast(r.routes.count - room)
                    }
                    routes += r.routes.count
                    routeSnapshots.append(r)
                } else if canaries.count < Self.maximumRecords, let k = CanaryRecord(comment: c) {
                    canaries.append(k)
                }
            }
        }
    }
}
