/// Text from packets, as every output shows it (docs/protocols.md): outputs
/// only, never on the hot path.
public enum AppText {
    /// Bytes as text: printable ASCII kept, everything else as `\DDD`
    /// (RFC 1035 presentation style), so that packet strings can never
    /// carry control characters or invalid UTF-8 into an output.
    static func escaped(_ bytes: ByteView, escapeDots: Bool = false, also extra: UInt8 = 0) -> String {
        // Each byte becomes at most 4 (`\DDD`): escaped into one buffer, made a String once
        // (appending to a String byte by byte cost more than the rest of the work).
        String(unsafeUninitializedCapacity: bytes.count * 4) { out in
            var n = 0
            for i in 0..<bytes.count {
                guard let b = bytes.integer(at: i, as: UInt8.self) else { break }
                writeEscaped(b, to: out, at: &n, escapeDots: escapeDots, also: extra)
            }
            return n
        }
    }

    /// Writes what `appendEscaped` appends for `b` (1 to 4 ASCII bytes) at `out[n...]`,
    /// advancing `n`. `out` has room for 4 more bytes; the caller checks that.
    @inline(__always)
    static func writeEscaped(_ b: UInt8, to out: UnsafeMutableBufferPointer<UInt8>, at n: inout Int,
                             escapeDots: Bool, also extra: UInt8 = 0) {
        if b == UInt8(ascii: "\\") || (escapeDots && b == UInt8(ascii: ".")) || (extra != 0 && b == extra) {
            out[n] = UInt8(ascii: "\\"); out[n + 1] = b; n += 2
        } else if b >= 0x20 && b < 0x7F {
            out[n] = b; n += 1
        } else {
            out[n] = UInt8(ascii: "\\")
            out[n + 1] = 48 + b / 100; out[n + 2] = 48 + (b / 10) % 10; out[n + 3] = 48 + b % 10
            n += 4
        }
    }

    /// `also` is one more byte to backslash-escape (a quote or comma), 0 for none.
    static func appendEscaped(_ b: UInt8, to s: inout String, escapeDots: Bool, also extra: UInt8 = 0) {
        if b == UInt8(ascii: "\\") || (escapeDots && b == UInt8(ascii: ".")) || (extra != 0 && b == extra) {
            s.append("\\")
            s.unicodeScalars.append(Unicode.Scalar(b))
        } else if b >= 0x20 && b < 0x7F {
            s.unicodeScalars.append(Unicode.Scalar(b))
        } else {
            s.append("\\")
            let d = Int(b)
            s.append(Character(Unicode.Scalar(UInt8(48 + d / 100))))
            s.append(Character(Unicode.Scalar(UInt8(48 + (d / 10) % 10))))
            s.append(Character(Unicode.Scalar(UInt8(48 + d % 10))))
        }
    }

    /// Text attributes (STUN SOFTWARE/USERNAME, SNI, hostnames): valid UTF-8
    /// is kept except control characters and backslash, which become `\DDD`
    /// / `\\`; invalid UTF-8 is escaped byte by byte, so no byte of the
    /// packet is lost to a replacement character.
    public static func text(_ bytes: ByteView) -> String {
        guard let decoded = String(validating: bytes.base, as: UTF8.self) else { return escaped(bytes) }
        var needsEscape = false
        for u in decoded.unicodeScalars where u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) || u.value == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape { return decoded }
        var s = ""
        for u in decoded.unicodeScalars {
            if u.value < 0xA0 && (u.value < 0x20 || u.value >= 0x7F || u.value == 0x5C) {
                appendEscaped(UInt8(u.value), to: &s, escapeDots: false)
            } else {
                s.unicodeScalars.append(u)
            }
        }
        return s
    }
}

extension Layer {
    /// NAT traversal UDP encapsulation (RFC 3948), tshark's `udpencap`.
    public static let udpencap = Layer(rawValue: "udpencap")
}
