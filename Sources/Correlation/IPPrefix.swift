import Dissectors

/// An address prefix ("198.51.100.0/24", "2001:db8::/32"): a pushed route or an
/// interface's own network. The address is stored with the host bits cleared.
public struct IPPrefix: Hashable, Sendable, CustomStringConvertible {
    public let address: IPAddress
    public let length: UInt8

    /// `length` is clamped to the family's width (32 or 128); host bits are cleared.
    public init(_ address: IPAddress, length: UInt8) {
        switch address {
        case .v4(let a):
            let l = min(length, 32)
            self.length = l
            self.address = .v4(l == 0 ? 0 : a & ~UInt32(0) << (32 - UInt32(l)))
        case .v6(let hi, let lo):
            let l = min(length, 128)
            self.length = l
            let (mh, ml) = Self.mask6(l)
            self.address = .v6(hi & mh, lo & ml)
        }
    }

    /// A contiguous netmask as a prefix length (nil for a mask with holes).
    public static func length(ofMask mask: UInt32) -> UInt8? {
        let ones = mask.leadingZeroBitCount == 0 ? (~mask).leadingZeroBitCount : 0
        return (ones == 32 ? UInt32.max : ~(UInt32.max >> UInt32(ones))) == mask ? UInt8(ones) : nil
    }

    static func mask6(_ l: UInt8) -> (UInt64, UInt64) {
        if l == 0 { return (0, 0) }
        if l <= 64 { return (l == 64 ? .max : ~(UInt64.max >> UInt64(l)), 0) }
        return (.max, l == 128 ? .max : ~(UInt64.max >> UInt64(l - 64)))
    }

    public func contains(_ a: IPAddress) -> Bool {
        switch (address, a) {
        case (.v4(let p), .v4(let x)):
            return length == 0 || p == x & ~UInt32(0) << (32 - UInt32(length))
        case (.v6(let ph, let pl), .v6(let xh, let xl)):
            let (mh, ml) = Self.mask6(length)
            return ph == xh & mh && pl == xl & ml
        default:
            return false
        }
    }

    /// This prefix lies inside `other` (or is it).
    public func isInside(_ other: IPPrefix) -> Bool { length >= other.length && other.contains(address) }

    /// The prefix holds globally routable addresses: it is not inside a block that never is
    /// (RFC 1918, CGNAT, loopback, link-local, multicast, ULA, ...). Documentation ranges
    /// count as global, as everywhere in the analysis (the lab uses them as the Internet).
    public var coversGlobal: Bool { !Self.nonGlobal.contains { isInside($0) } }

    static let nonGlobal: [IPPrefix] = [
        ("0.0.0.0", 8), ("10.0.0.0", 8), ("100.64.0.0", 10), ("127.0.0.0", 8), ("169.254.0.0", 16),
        ("172.16.0.0", 12), ("192.168.0.0", 16), ("224.0.0.0", 4), ("255.255.255.255", 32),
        ("::", 128), ("::1", 128), ("::ffff:0:0", 96), ("fc00::", 7), ("fe80::", 10), ("fec0::", 10), ("ff00::", 8),
    ].map { IPPrefix(IPAddress(parsing: $0.0)!, length: $0.1) }

    public var description: String { "\(address)/\(length)" }
}
