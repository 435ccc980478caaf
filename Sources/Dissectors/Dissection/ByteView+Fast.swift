/// Always-inlined big-endian readers for the per-packet decoders (the shared
/// `u16be`... were left as calls across the module boundary, a tenth of the
/// dissection time). Same bounds checks, nil past the end.
extension ByteView {
    @inlinable @inline(__always) func r8(_ o: Int) -> UInt8? {
        guard o >= 0, o < base.count else { return nil }
        return base.load(fromByteOffset: o, as: UInt8.self)
    }

    @inlinable @inline(__always) func r16(_ o: Int) -> UInt16? {
        guard o >= 0, o <= base.count &- 2 else { return nil }
        return UInt16(bigEndian: base.loadUnaligned(fromByteOffset: o, as: UInt16.self))
    }

    @inlinable @inline(__always) func r16le(_ o: Int) -> UInt16? {
        guard o >= 0, o <= base.count &- 2 else { return nil }
        return UInt16(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt16.self))
    }

    @inlinable @inline(__always) func r32(_ o: Int) -> UInt32? {
        guard o >= 0, o <= base.count &- 4 else { return nil }
        return UInt32(bigEndian: base.loadUnaligned(fromByteOffset: o, as: UInt32.self))
    }

    @inlinable @inline(__always) func r32le(_ o: Int) -> UInt32? {
        guard o >= 0, o <= base.count &- 4 else { return nil }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt32.self))
    }

    @inlinable @inline(__always) func r64(_ o: Int) -> UInt64? {
        guard o >= 0, o <= base.count &- 8 else { return nil }
        return UInt64(bigEndian: base.loadUnaligned(fromByteOffset: o, as: UInt64.self))
    }

    /// Bytes from `o` to the end, nil past the end.
    @inlinable @inline(__always) func from(_ o: Int) -> ByteView? {
        guard o >= 0, o <= base.count else { return nil }
        return ByteView(UnsafeRawBufferPointer(rebasing: base[o...]))
    }

    /// `n` bytes at `o`, nil unless all there.
    @inlinable @inline(__always) func part(_ o: Int, _ n: Int) -> ByteView? {
        guard o >= 0, n >= 0, o <= base.count, n <= base.count &- o else { return nil }
        return ByteView(UnsafeRawBufferPointer(rebasing: base[o ..< o &+ n]))
    }
}
