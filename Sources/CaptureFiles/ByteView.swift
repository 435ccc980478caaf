/// A bounds-checked, read-only view over bytes owned by someone else: a mapped
/// capture file, a libpcap buffer, a test's array.
///
/// Every read checks its bounds and returns `nil` past the end, so parsers of
/// hostile input can never read out of range. The view does not own or copy the
/// bytes: it is valid only while its owner keeps them alive (for a `Packet`,
/// until the reader moves to the next packet).
public struct ByteView: BitwiseCopyable {
    public let base: UnsafeRawBufferPointer

    @inlinable public init(_ base: UnsafeRawBufferPointer) { self.base = base }

    @inlinable public var count: Int { base.count }
    @inlinable public var isEmpty: Bool { base.isEmpty }

    @inlinable @inline(__always) public func contains(_ offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= base.count && length <= base.count &- offset
    }

    /// The integer of type `T` at `offset` in `endianness` (big, network
    /// order, unless told), or nil unless all its bytes are there. The one
    /// read every parser uses: generic, so each call site gets a
    /// specialised, inlined load behind one bounds check (swift-nio's
    /// `ByteBuffer.getInteger(at:endianness:as:)`).
    @inlinable @inline(__always)
    public func integer<T: FixedWidthInteger>(at offset: Int, endianness: Endianness = .big, as: T.Type = T.self) -> T? {
        guard offset >= 0, offset <= base.count &- MemoryLayout<T>.size else { return nil }
        let raw = base.loadUnaligned(fromByteOffset: offset, as: T.self)
        return endianness == .big ? T(bigEndian: raw) : T(littleEndian: raw)
    }

    /// The `length` bytes at `offset`, or nil if they are not all there.
    @inlinable @inline(__always) public func slice(_ offset: Int, _ length: Int) -> ByteView? {
        guard contains(offset, length: length) else { return nil }
        return ByteView(UnsafeRawBufferPointer(rebasing: base[offset ..< offset + length]))
    }

    /// The bytes from `offset` to the end, or nil if `offset` is past the end.
    @inlinable @inline(__always) public func suffix(from offset: Int) -> ByteView? {
        guard offset >= 0, offset <= base.count else { return nil }
        return ByteView(UnsafeRawBufferPointer(rebasing: base[offset...]))
    }

    /// The first `length` bytes, clamped to what is there.
    @inlinable public func prefix(_ length: Int) -> ByteView {
        ByteView(UnsafeRawBufferPointer(rebasing: base[..<Swift.min(Swift.max(length, 0), base.count)]))
    }

    /// Copies bytes out (for outputs and tests, never on the hot path).
    public func toArray() -> [UInt8] { Array(base) }
}

/// Byte order of an integer read from a `ByteView`.
public enum Endianness: Sendable, Hashable {
    /// Most significant byte first (network order).
    case big
    case little
}
