import Synchronization

/// How far the packet loops of this process have come, for the progress line
/// (`--progress`). One process-wide pair of counters: concurrent analyses
/// (`analyze --each`) add to the same totals. The loops do not touch them per
/// packet: each loop counts into its own `ProgressTicker` and hands the counts
/// over every 4,096 packets, so the shared cache line is written rarely.
public enum WorkProgress {
    static let packetCount = Atomic<Int>(0)
    static let byteCount = Atomic<Int>(0)

    /// Packets and bytes done so far (bytes: each packet's captured bytes and an
    /// estimated 16-byte record header, the classic pcap record's).
    public static var done: (packets: Int, bytes: Int) {
        (packetCount.load(ordering: .relaxed), byteCount.load(ordering: .relaxed))
    }

    public static func add(packets: Int, bytes: Int) {
        packetCount.add(packets, ordering: .relaxed)
        byteCount.add(bytes, ordering: .relaxed)
    }
}

/// A loop's own count, handed to `WorkProgress` every 4,096 packets and when
/// the loop's scope ends (`deinit`). Costs an add and a compare per packet.
public struct ProgressTicker: ~Copyable {
    @usableFromInline var packets = 0
    @usableFromInline var bytes = 0

    public init() {}

    @inlinable @inline(__always)
    public mutating func count(_ packet: borrowing Packet) {
        packets &+= 1
        bytes &+= packet.capturedLength &+ 16
        if packets == 4096 { flush() }
    }

    @usableFromInline mutating func flush() {
        WorkProgress.add(packets: packets, bytes: bytes)
        packets = 0
        bytes = 0
    }

    deinit { if packets > 0 { WorkProgress.add(packets: packets, bytes: bytes) } }
}
