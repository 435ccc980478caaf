/// A link-layer header type as written in capture files (the LINKTYPE_ values
/// of https://www.tcpdump.org/linktypes.html; a few OS-specific DLT values that
/// appear in files are kept as they are so dissectors can map them).
public struct LinkType: RawRepresentable, Hashable, Sendable, BitwiseCopyable, CustomStringConvertible {
    public var rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    public static let null = LinkType(0)            // BSD loopback, host-order AF
    public static let ethernet = LinkType(1)
    public static let ppp = LinkType(9)
    public static let rawOpenBSD = LinkType(12)     // DLT_RAW on OpenBSD (LINKTYPE_ATM_RFC1483 elsewhere)
    public static let rawBSDOS = LinkType(14)       // DLT_RAW on BSD/OS
    public static let raw = LinkType(101)           // LINKTYPE_RAW: raw IPv4/IPv6
    public static let loop = LinkType(108)          // OpenBSD loopback, network-order AF
    public static let linuxSLL = LinkType(113)
    public static let nflog = LinkType(239)
    public static let ipv4 = LinkType(228)
    public static let ipv6 = LinkType(229)
    public static let linuxSLL2 = LinkType(276)

    /// A short lower-case name in the spirit of tshark's encapsulation names.
    public var name: String {
        switch rawValue {
        case 0: "null"
        case 1: "ether"
        case 9: "ppp"
        case 12, 14, 101: "rawip"
        case 108: "loop"
        case 113: "linux-sll"
        case 228: "rawip4"
        case 229: "rawip6"
        case 239: "nflog"
        case 276: "linux-sll2"
        default: "linktype-\(rawValue)"
        }
    }

    public var description: String { "\(name) (\(rawValue))" }
}
