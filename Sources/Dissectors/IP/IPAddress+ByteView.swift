extension IPAddress {
    /// Reads 4 or 16 bytes at `offset`; nil if they are not all there.
    @inlinable @inline(__always)
    public static func v4(_ bytes: ByteView, at offset: Int) -> IPAddress? {
        bytes.integer(at: offset, as: UInt32.self).map { .v4($0) }
    }

    @inlinable @inline(__always)
    public static func v6(_ bytes: ByteView, at offset: Int) -> IPAddress? {
        guard let hi = bytes.integer(at: offset, as: UInt64.self), let lo = bytes.integer(at: offset + 8, as: UInt64.self) else { return nil }
        return .v6(hi, lo)
    }
}
