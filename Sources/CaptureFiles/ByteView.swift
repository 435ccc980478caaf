/// A bounds-checked, read-only view over bytes owned by someone else: a mapped
/// capture file, a libpcap buffer, a test's array.
///
/// Every read checks its bounds and returns `nil` past the end, so parsers of
/// hostile input can never read out of range. The view does not own or copy the
/// bytes: it is valid only while its owner keeps them alive (for a `Packet`,
/// until the reader moves to the next packet).
public struct ByteView {
    public let base: UnsafeRawBufferPointer

    @inlinable public init(_ base: UnsafeRawBufferPointer) { self.base = base }

    @inlinable public var count: Int { base.count }
    @inlinable public var isEmpty: Bool { base.isEmpty }

    @inlinable public func contains(_ offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= base.count && length <= base.count &- offset
    }

    @inlinable public func u8(_ offset: Int) -> UInt8? {
        guard offset >= 0, offset < base.count else { return nil }
        return base[offset]
    }

    @inlinable public func u16be(_ offset: Int) -> UInt16? {
        guard contains(offset, length: 2) else { return nil }
        return UInt16(base[offset]) << 8 | UInt16(base[offset + 1])
    }

    @inlinable public func u16le(_ offset: Int) -> UInt16? {
        guard contains(offset, length: 2) else { return nil }
        return UInt16(base[offset + 1]) << 8 | UInt16(base[offset])
    }

    @inlinable public func u32be(_ offset: Int) -> UInt32? {
        guard contains(offset, length: 4) else { return nil }
        return base.loadUnaligned(fromByteOffset: offset, as: UInt32.self).bigEndian
    }

    @inlinable public func u32le(_ offset: Int) -> UInt32? {
        guard contains(offset, length: 4) else { return nil }
        return base.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian
    }

    @inlinable public func u64be(_ offset: Int) -> UInt64? {
        guard contains(offset, length: 8) else { return nil }
        return base.loadUnaligned(fromByteOffset: offset, as: UInt64.self).bigEndian
    }

    @inlinable public func u64le(_ offset: Int) -> UInt64? {
        guard contains(offset, length: 8) else { return nil }
        return base.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
    }

    /// The `length` bytes at `offset`, or nil if they are not all there.
    @inlinable public func slice(_ offset: Int, _ length: Int) -> ByteView? {
        guard contains(offset, length: length) else { return nil }
        return ByteView(UnsafeRawBufferPointer(rebasing: base[offset ..< offset + length]))
    }

    /// The bytes from `offset` to the end, or nil if `offset` is past the end.
    @inlinable public func suffix(from offset: Int) -> ByteView? {
        guard offset >= 0, offset <= base.count else { return nil }
        return ByteView(UnsafeRawBufferPointer(rebasing: base[offset...]))
    }

    /// The first `length` bytes, clamped to what is there.
    @inlinable public func prefix(_ length: Int) -> ByteView {
        ByteView(UnsafeRawBufferPointer(rebasing: base[..<Swift.min(Swift.max(length, 0), base.count)]))
    }

    /// Copies bytes out (for outputs and tests, never on the hot path).
    public func toArray() -> [UInt8] { Array(base) }

    /// Lower-case hex of the whole view (for outputs, never on the hot path).
    public func hex() -> String {
        let digits: [Character] = Array("0123456789abcdef")
        var s = ""
        s.reserveCapacity(base.count * 2)
        for b in base { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 0xF)]) }
        return s
    }
}
