import Synchronization

/// How far a consumer on another thread is done with one reader's packets
/// (`CaptureReader.releaseGate`): the reader drops no page at or after that
/// offset, so the consumer never faults in a page the reader has dropped (a
/// page faulted in again would stay resident to the end).
public final class ReleaseGate: Sendable {
    private let offset = Atomic<Int>(0)

    public init() {}

    /// Every packet record before `offset` is done with (offsets only grow).
    public func done(upTo offset: Int) { self.offset.store(offset, ordering: .releasing) }

    public var doneUpTo: Int { offset.load(ordering: .acquiring) }
}
