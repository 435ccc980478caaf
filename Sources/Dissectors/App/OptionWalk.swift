/// A walk over the options of a message (DHCPv6, ICMPv6 Neighbor Discovery):
/// `Format` reads one option at an offset; the walk ends at the end of the
/// bytes or at the first bad option, whose error it keeps in `problem`.
public struct OptionWalk<Format: OptionFormat>: Sequence {
    let bytes: ByteView?
    /// Offset of `bytes` in the message, for the error offsets.
    let base: Int

    public func makeIterator() -> Iterator { Iterator(bytes: bytes, base: base) }

    public struct Iterator: IteratorProtocol {
        let bytes: ByteView?
        let base: Int
        var offset = 0
        public private(set) var problem: WireError?

        public mutating func next() -> Format.Option? {
            guard let b = bytes, offset < b.count else { return nil }
            do throws(WireError) {
                let (option, length) = try Format.read(b, at: offset, base: base)
                offset += length
                return option
            } catch {
                problem = error
                offset = b.count
                return nil
            }
        }
    }
}

/// How one kind of message lays out an option.
public protocol OptionFormat {
    associatedtype Option
    /// The option at `offset` and its whole length (> 0), or why it cannot be read;
    /// error offsets are `base + offset` based.
    static func read(_ bytes: ByteView, at offset: Int, base: Int) throws(WireError) -> (option: Option, length: Int)
}
