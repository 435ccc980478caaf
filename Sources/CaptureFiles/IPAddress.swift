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

    public var description: String {
        switch self {
        case .v4(let a):
            return "\(a >> 24).\((a >> 16) & 0xFF).\((a >> 8) & 0xFF).\(a & 0xFF)"
        case .v6(let hi, let lo):
            let g = groups
            // RFC 5952 4.2: the longest run (>= 2) of zero groups becomes "::", the first one on a tie.
            var bestStart = -1, bestLen = 0, i = 0
            while i < 8 {
                if g[i] == 0 {
                    var j = i
                    while j < 8 && g[j] == 0 { j += 1 }
                    if j - i > bestLen { bestStart = i; bestLen = j - i }
                    i = j
                } else { i += 1 }
            }
            if bestLen < 2 { bestStart = -1 }
            // RFC 5952 5: IPv4-mapped addresses end in dotted quad.
            if hi == 0, lo >> 32 == 0xFFFF {
                return "::ffff:" + IPAddress.v4(UInt32(truncatingIfNeeded: lo)).description
            }
            var s = ""
            var k = 0
            while k < 8 {
                if k == bestStart {
                    s += "::"
                    k += bestLen
                    continue
                }
                if !s.isEmpty && !s.hasSuffix(":") { s += ":" }
                s += String(g[k], radix: 16)
                k += 1
            }
            return s
        }
    }
}
