extension IPAddress {
    /// Reads 4 or 16 bytes at `offset`; nil if they are not all there.
    @inlinable @inline(__always)
    public static func v4(_ bytes: ByteView, at offset: Int) -> IPAddress? {
        bytes.r32(offset).map { .v4($0) }
    }

    @inlinable @inline(__always)
    public static func v6(_ bytes: ByteView, at offset: Int) -> IPAddress? {
        guard let hi = bytes.r64(offset), let lo = bytes.r64(offset + 8) else { return nil }
        return .v6(hi, lo)
    }
}
