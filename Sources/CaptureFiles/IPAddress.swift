/// An IPv4 or IPv6 address as a plain value (no allocation), printed in its
/// standard text form: dotted quad, or RFC 5952 for IPv6. It lives in
/// CaptureFiles so the pcapng writer and every later stage print addresses
/// one way; the readers from packet bytes are in Dissectors.
public enum IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    case v4(UInt32)
    /// High and low 64 bits, network order.
    case v6(UInt64, UInt64)

    public var isV4: Bool { if case .v4 = self { true } else { false } }

    /// The address family's byte count.
    public var byteCount: Int { isV4 ? 4 : 16 }

    /// Network-order bytes (outputs and writers; not for the hot path).
    public var bytes: [UInt8] {
        switch self {
        case .v4(let a): return (0..<4).map { UInt8(truncatingIfNeeded: a >> (24 - 8 * $0)) }
        case .v6(let hi, let lo):
            return (0..<8).map { UInt8(truncatingIfNeeded: hi >> (56 - 8 * $0)) }
                + (0..<8).map { UInt8(truncatingIfNeeded: lo >> (56 - 8 * $0)) }
        }
    }

    /// The eight 16-bit groups of an IPv6 address.
    public var groups: [UInt16] {
        guard case .v6(let hi, let lo) = self else { return [] }
        return (0..<4).map { UInt16(truncatingIfNeeded: hi >> (48 - 16 * $0)) }
            + (0..<4).map { UInt16(truncatingIfNeeded: lo >> (48 - 16 * $0)) }
    }

    /// The standard text form, made in one stack buffer: findings and records print hundreds
    /// of thousands of addresses, and interpolating four octets (or eight groups) allocated
    /// and appended a String per part.
    public var description: String {
        // Through a stack buffer, not `String(unsafeUninitializedCapacity:)`: a String made with
        // room for 39 bytes is a heap String even when the text would fit a small (inline) one,
        // and findings keep hundreds of thousands of these.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maximumTextLength) { b in
            String(decoding: UnsafeBufferPointer(rebasing: b[..<write(into: b)]), as: UTF8.self)
        }
    }

    /// "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" (39 bytes) is the longest.
    public static let maximumTextLength = 39

    /// Writes the text form at the start of `b` (at least `maximumTextLength` bytes) and returns
    /// its length.
    public func write(into b: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(b.count >= Self.maximumTextLength)
        var n = 0
        switch self {
        case .v4(let a):
            Self.dottedQuad(a, b, &n)
        case .v6(let hi, let lo):
            // RFC 5952 5: IPv4-mapped addresses end in dotted quad.
            if hi == 0, lo >> 32 == 0xFFFF {
                for c in "::ffff:".utf8 { b[n] = c; n += 1 }
                Self.dottedQuad(UInt32(truncatingIfNeeded: lo), b, &n)
                return n
            }
            @inline(__always) func group(_ k: Int) -> UInt16 {
                k < 4 ? UInt16(truncatingIfNeeded: hi >> (48 - 16 * k)) : UInt16(truncatingIfNeeded: lo >> (48 - 16 * (k - 4)))
            }
            // RFC 5952 4.2: the longest run (>= 2) of zero groups becomes "::", the first one on a tie.
            var bestStart = -1, bestLen = 0, i = 0
            while i < 8 {
                if group(i) == 0 {
                    var j = i
                    while j < 8 && group(j) == 0 { j += 1 }
                    if j - i > bestLen { bestStart = i; bestLen = j - i }
                    i = j
                } else { i += 1 }
            }
            if bestLen < 2 { bestStart = -1 }
            var k = 0
            while k < 8 {
                if k == bestStart {
                    b[n] = UInt8(ascii: ":"); b[n + 1] = UInt8(ascii: ":"); n += 2
                    k += bestLen
                    continue
                }
                if n > 0 && b[n - 1] != UInt8(ascii: ":") { b[n] = UInt8(ascii: ":"); n += 1 }
                // RFC 5952 4.1 and 4.3: lowercase, no leading zeros.
                let g = group(k)
                var shift = 12
                while shift > 0 && (g >> UInt16(shift)) == 0 { shift -= 4 }
                while shift >= 0 {
                    let d = UInt8(truncatingIfNeeded: (g >> UInt16(shift)) & 0xF)
                    b[n] = d < 10 ? 0x30 + d : 0x57 + d
                    n += 1
                    shift -= 4
                }
                k += 1
            }
        }
        return n
    }

    private static func dottedQuad(_ a: UInt32, _ b: UnsafeMutableBufferPointer<UInt8>, _ n: inout Int) {
        var shift: UInt32 = 24
        while true {
            let v = UInt8(truncatingIfNeeded: a >> shift)
            if v >= 100 { b[n] = 0x30 + v / 100; n += 1 }
            if v >= 10 { b[n] = 0x30 + v / 10 % 10; n += 1 }
            b[n] = 0x30 + v % 10; n += 1
            if shift == 0 { return }
            b[n] = UInt8(ascii: "."); n += 1
            shift -= 8
        }
    }
}
