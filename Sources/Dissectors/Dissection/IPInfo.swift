/// IPv6 extension headers (and IPv4 AH) seen in a chain, in order.
public enum ExtensionHeader: UInt8, Sendable, Hashable {
    case hopByHop = 0, routing = 43, fragment = 44, destinationOptions = 60
    case authentication = 51, mobility = 135, hip = 139, shim6 = 140, experimental253 = 253, experimental254 = 254

    /// The tshark protocols token.
    public var layer: Layer {
        switch self {
        case .hopByHop: .ipv6HopOpts
        case .routing: .ipv6Routing
        case .fragment: .ipv6FragHdr
        case .destinationOptions: .ipv6DstOpts
        case .authentication: .ah
        case .mobility: .mipv6
        case .hip: .hip
        case .shim6: .shim6
        case .experimental253, .experimental254: .ipv6Experimental
        }
    }
}

/// Fragment facts of an IPv4 header or an IPv6 Fragment header.
public struct FragmentInfo: Sendable, Hashable {
    /// IPv4 identification, or IPv6 fragment identification.
    public var identification: UInt32
    /// Offset of this fragment's data in bytes.
    public var offset: Int
    public var moreFragments: Bool
    public init(identification: UInt32, offset: Int, moreFragments: Bool) {
        self.identification = identification; self.offset = offset; self.moreFragments = moreFragments
    }
    /// IPv6 "atomic fragment" (RFC 6946) or an IPv4 header with MF=0 and offset 0: not really fragmented.
    public var isAtomic: Bool { offset == 0 && !moreFragments }
}

/// What happened to a fragment on this frame.
public enum ReassemblyState: UInt8, Sendable, Hashable {
    /// Not a fragment (or an atomic one).
    case none
    /// Stored; the datagram is not complete yet (upper layers not decoded on this frame).
    case pending
    /// This frame completed the datagram; the upper layers were decoded from the reassembled bytes.
    case completed
    /// Could not be stored (a bound was hit or the fragment was bad); see notes.
    case dropped
}

/// One IP header (v4 or v6), with the IPv6 extension chain walked.
public struct IPInfo: Sendable {
    public var version: UInt8
    public var source: IPAddress
    public var destination: IPAddress
    /// Upper-layer protocol: after the IPv6 extension chain (59 = no next header).
    public var `protocol`: UInt8
    /// TTL (IPv4) or hop limit (IPv6).
    public var ttl: UInt8
    /// DSCP+ECN (IPv4 TOS / IPv6 traffic class).
    public var trafficClass: UInt8 = 0
    /// IPv6 flow label (0 for IPv4).
    public var flowLabel: UInt32 = 0
    /// IPv4: IHL*4 (options included). IPv6: 40 + every extension header.
    public var headerLength: Int
    /// IPv4 total length, or 40 + IPv6 payload length (as the header says).
    public var totalLength: Int
    /// IPv4 DF bit.
    public var dontFragment: Bool = false
    /// IPv4 identification (0 for IPv6).
    public var identification: UInt16 = 0
    /// Fragment facts, when the header says this is a fragment (also atomic IPv6 fragments).
    public var fragment: FragmentInfo?
    public var reassembly: ReassemblyState = .none
    /// IPv4 options length in bytes.
    public var optionsLength: Int = 0
    /// Extension headers in order (IPv6; IPv4 AH too). At most 8 kept.
    public var extensionHeaders = FixedList<8, ExtensionHeader>(filler: .hopByHop)
    /// IPv6 Jumbo Payload option seen (payload length 0 + option).
    public var jumbogram: Bool = false
    /// Byte offset of this header in the frame (for tunnelled headers inside reassembled data: in that data).
    public var offset: Int

    public init(version: UInt8, source: IPAddress, destination: IPAddress, protocol: UInt8, ttl: UInt8,
                headerLength: Int, totalLength: Int, offset: Int) {
        self.version = version; self.source = source; self.destination = destination
        self.protocol = `protocol`; self.ttl = ttl; self.headerLength = headerLength
        self.totalLength = totalLength; self.offset = offset
    }

    public var layer: Layer { version == 4 ? .ip : .ipv6 }
}

/// How an inner IP packet was carried.
public enum TunnelKind: UInt8, Sendable, Hashable {
    /// IP protocol 41 (6in4, 6to4, ISATAP) or 4 (IP in IP).
    case ipInIP
    /// Teredo (RFC 4380): IPv6 in UDP, port 3544.
    case teredo
    /// GRE (IP protocol 47) with an IPv4/IPv6 protocol type.
    case gre
    /// AYIYA (UDP 5072).
    case ayiya
    /// GTPv1-U G-PDU (UDP 2152).
    case gtp

    public var name: String {
        switch self {
        case .ipInIP: "ip-in-ip"
        case .teredo: "teredo"
        case .gre: "gre"
        case .ayiya: "ayiya"
        case .gtp: "gtp"
        }
    }
}
