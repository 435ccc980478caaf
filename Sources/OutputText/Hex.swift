/// Lower-case hexadecimal, the one encoder every output uses: frame dumps in
/// the record, STUN transaction ids, MAC addresses, DNS/STUN rdata shown as
/// hex, `\u` escapes in JSON, offsets in error messages.
public enum Hex {
    @usableFromInline static let alphabet: [UInt8] = Array("0123456789abcdef".utf8)

    /// Two digits per byte, no separator ("0a1b").
    public static func string<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { append(b, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Two digits per byte, `separator` between bytes ("02:00:5e:00:00:01").
    public static func string<C: Collection>(_ bytes: C, separator: Character) -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 3)
        let sep = Array(String(separator).utf8)
        for (i, b) in bytes.enumerated() {
            if i > 0 { out += sep }
            append(b, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The low `count` hex digits of `value`, zero-padded ("000c" for 12, count 4).
    public static func digits<T: FixedWidthInteger>(_ value: T, count: Int = MemoryLayout<T>.size * 2) -> String {
        var out = [UInt8](repeating: 0x30, count: max(0, count))
        var v = value
        var i = out.count - 1
        while i >= 0 {
            out[i] = alphabet[Int(truncatingIfNeeded: v & 0xF)]
            v >>= 4
            i -= 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `0x` and `count` digits ("0x2112a442").
    public static func number<T: FixedWidthInteger>(_ value: T, count: Int = MemoryLayout<T>.size * 2) -> String {
        "0x" + digits(value, count: count)
    }

    /// The two digits of `byte` appended to `out`.
    @inlinable public static func append(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(alphabet[Int(byte >> 4)])
        out.append(alphabet[Int(byte & 0xF)])
    }

    /// Bytes back from lower- or upper-case hex; stops at the first pair that is not hex.
    public static func bytes(_ hex: String) -> [UInt8] {
        var out = [UInt8]()
        var hi: UInt8?
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 97...102: v = c - 87
            case 65...70: v = c - 55
            default: return out
            }
            if let h = hi { out.append(h << 4 | v); hi = nil } else { hi = v }
        }
        return out
    }
}
