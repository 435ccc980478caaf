import OutputText

/// The leaves of the JSON form written straight into the output buffer: a record of hostile
/// input has millions of them, so neither a `String` per integer nor an append per byte.
extension JSONWriter {
    /// Decimal digits of `v` (a `-` first when negative), the bytes `String(v)` has.
    @inline(__always) static func integer<T: BinaryInteger>(_ v: T, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumDecimalLength) { digits in
            let n = writeDecimal(v, at: digits.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[..<n]))
        }
    }

    /// Room `writeDecimal` needs: UInt64.max has 20 digits, Int64.min a `-` and 19.
    static var maximumDecimalLength: Int { 20 }

    /// `integer(_:into:)`'s bytes written at `p` (room for `maximumDecimalLength`); returns their count.
    @inline(__always) static func writeDecimal<T: BinaryInteger>(_ v: T, at p: UnsafeMutablePointer<UInt8>) -> Int {
        var sign = 0
        if v < 0 { p[0] = 0x2D; sign = 1 }
        var m = UInt64(v.magnitude)
        var digits = 1
        var t = m
        while t >= 10 { t /= 10; digits += 1 }
        var i = sign + digits
        repeat {
            i -= 1
            p[i] = 0x30 + UInt8(truncatingIfNeeded: m % 10)
            m /= 10
        } while m > 0
        return sign + digits
    }

    /// A byte a JSON string carries as it is: printable ASCII other than `"` and `\`.
    @inline(__always) static func isPlain(_ b: UInt8) -> Bool { b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C }

    /// A JSON string: `"` and `\` escaped, `\n \r \t` by name, every other
    /// character of `isDisplayControl` (C0, DEL, C1, bidirectional controls)
    /// and U+2028/9 (they end JavaScript string literals) as `\uXXXX`.
    /// Runs of bytes that need no escape are copied in one go; a multi-byte character is
    /// decoded only to tell whether it is to be escaped, else its bytes are copied as they are
    /// (a `String`'s UTF-8 is valid, so they are what `UTF8.encode` of the scalar gives).
    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { escaped($0, into: &out) }
        out.append(0x22)
    }

    static func escaped(_ u: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let n = u.count
        var run = 0  // where the bytes not yet copied begin
        var i = 0
        @inline(__always) func copyRun(_ upTo: Int, _ out: inout [UInt8]) {
            if upTo > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<upTo])) }
        }
        while i < n {
            let b = u[i]
            if isPlain(b) { i += 1; continue }
            if b >= 0x80 {
                let len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                guard i + len <= n else { i = n; break }  // cannot happen: valid UTF-8
                var v = UInt32(b) & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07)
                for k in 1..<len { v = v << 6 | UInt32(u[i + k] & 0x3F) }
                if v == 0x2028 || v == 0x2029 || Unicode.Scalar(v).map(isDisplayControl) == true {
                    copyRun(i, &out)
                    unicodeEscape(UInt16(truncatingIfNeeded: v), into: &out)
                    run = i + len
                }
                i += len
                continue
            }
            copyRun(i, &out)
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            default: unicodeEscape(UInt16(b), into: &out)  // the other C0 controls and DEL
            }
            i += 1
            run = i
        }
        copyRun(n, &out)
    }

    /// `\u` and four lower-case hex digits (OutputText's `Hex`, two per byte).
    @inline(__always) static func unicodeEscape(_ v: UInt16, into out: inout [UInt8]) {
        out.append(0x5C)
        out.append(UInt8(ascii: "u"))
        Hex.append(UInt8(truncatingIfNeeded: v >> 8), to: &out)
        Hex.append(UInt8(truncatingIfNeeded: v), to: &out)
    }
}
