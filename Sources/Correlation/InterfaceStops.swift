import OutputText
import CaptureFiles

/// An interface a live capture saw stop before the capture did, as its
/// Interface Statistics Block records it (`InterfaceEvent`: vanished, went
/// down, failed; `isb_endtime` is when).
public struct InterfaceStop: Sendable, Equatable {
    public var interface: InterfaceKey
    public var event: InterfaceEvent
    public init(interface: InterfaceKey, event: InterfaceEvent) {
        self.interface = interface
        self.event = event
    }

    /// The stops recorded in a reader's statistics (read them after the reader reached its end).
    public static func recorded(in reader: CaptureReader) -> [InterfaceStop] {
        reader.statistics.compactMap { s in
            InterfaceEvent(statistics: s).map {
                InterfaceStop(interface: InterfaceKey(fileIndex: reader.fileIndex, interfaceID: s.interfaceID), event: $0)
            }
        }
    }
}

/// A tunnel interface that vanished is the kill-switch moment: from then on
/// nothing can go through the tunnel, so leaks after it form a tunnel-failure
/// span at once (no quiet gap to wait for, no new remote needed), and the
/// finding says when the tunnel went and how the capture knew.
extension Correlator {
    /// Before pass 2: the stops the inputs recorded (`InputSummary.interfaceStops`).
    public mutating func note(interfaceStops: [InterfaceStop]) {
        recordedStops = interfaceStops.sorted { $0.event.timeNanoseconds < $1.event.timeNanoseconds }
    }

    /// The first tunnel interface of file `file` that stopped at or before `time`.
    func tunnelStop(file: Int, atOrBefore time: Int64) -> InterfaceStop? {
        recordedStops.first {
            $0.interface.fileIndex == file && $0.event.timeNanoseconds <= time && model.role($0.interface) == .tunnel
        }
    }

    /// "tunnel interface wgc vanished at 2025-...Z (The interface disappeared), as the capture recorded"
    func stopText(_ s: InterfaceStop) -> String {
        let role = model.role(s.interface) == .tunnel ? "tunnel interface" : "interface"
        return "\(role) \(interfaceName(s.interface)) \(s.event.kind.rawValue) at \(ISO8601Nanoseconds.format(s.event.timeNanoseconds))"
            + (s.event.detail.isEmpty ? "" : " (\(s.event.detail))") + ", as the capture recorded"
    }

    /// The title of a tunnel-failure finding that began with a recorded stop.
    func tunnelStopTitle(_ s: InterfaceStop, packets: Int) -> String {
        "Tunnel interface \(interfaceName(s.interface)) \(s.event.kind.rawValue) at \(ISO8601Nanoseconds.format(s.event.timeNanoseconds)); "
            + "\(packets) packet\(packets == 1 ? "" : "s") left outside it afterwards"
    }

    /// One assumption line per recorded stop (a physical one means later packets on it were not captured).
    func interfaceStopAssumptions() -> [String] {
        recordedStops.map { s in
            let after = model.role(s.interface) == .tunnel
                ? "traffic outside it after that is a tunnel failure (the kill-switch moment)"
                : "packets on it after that were not captured"
            return "\(stopText(s)) in \(fileName(s.interface.fileIndex)): \(after)"
        }
    }
}
