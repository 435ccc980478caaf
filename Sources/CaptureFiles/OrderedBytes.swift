/// Reads integers from a `ByteView` in the byte order of the current file
/// header or pcapng section. Every read is bounds-checked (nil past the end).
struct OrderedBytes {
    let view: ByteView
    var bigEndian: Bool

    @inline(__always) func integer<T: FixedWidthInteger>(at o: Int, as: T.Type = T.self) -> T? {
        view.integer(at: o, endianness: bigEndian ? .big : .little, as: T.self)
    }
    /// A pcapng timestamp: high 32 bits then low 32 bits, each in section order.
    @inline(__always) func timestamp(_ o: Int) -> UInt64? {
        guard let hi = integer(at: o, as: UInt32.self), let lo = integer(at: o + 4, as: UInt32.self) else { return nil }
        return UInt64(hi) << 32 | UInt64(lo)
    }
}

/// Walks the options of a pcapng block: code (2), length (2), value padded to 4.
struct OptionIterator {
    let bytes: OrderedBytes
    var offset: Int
    let end: Int
    /// An option ran past `end`.
    private(set) var malformed = false

    init(_ bytes: OrderedBytes, from offset: Int, to end: Int) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
    }

    mutating func next() -> (code: UInt16, value: ByteView)? {
        guard offset + 4 <= end, let code = bytes.integer(at: offset, as: UInt16.self), let length = bytes.integer(at: offset + 2, as: UInt16.self) else {
            return nil
        }
        if code == 0 { return nil }   // opt_endofopt
        let len = Int(length)
        guard offset + 4 + len <= end, let value = bytes.view.slice(offset + 4, len) else {
            malformed = true
            return nil
        }
        offset += 4 + ((len + 3) & ~3)
        return (code, value)
    }
}

extension ByteView {
    /// UTF-8 text of an option value, without trailing NULs (some writers add them).
    func optionString() -> String {
        var n = count
        while n > 0, integer(at: n - 1, as: UInt8.self) == 0 { n -= 1 }
        return String(decoding: prefix(n).base, as: UTF8.self)
    }
}
