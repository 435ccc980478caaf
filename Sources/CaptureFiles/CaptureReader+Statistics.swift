extension CaptureReader {
    /// The last Interface Statistics Block of each interface, in interface order: the
    /// capture's final counters. A file may hold several ISBs per interface (pcapng allows
    /// them anywhere): `leakscope capture` writes its route snapshots and canary records as
    /// ISBs during the capture (docs/live-capture.md) before the final ones.
    public var finalStatistics: [InterfaceStatistics] {
        var last: [Int: InterfaceStatistics] = [:]
        for s in statistics { last[s.interfaceID] = s }
        return last.keys.sorted().compactMap { last[$0] }
    }
}
