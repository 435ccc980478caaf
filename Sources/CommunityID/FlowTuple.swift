import CaptureFiles

/// The endpoints of one flow as Community ID v1 hashes them: addresses, IP
/// protocol number, and ports (for ICMP and ICMPv6: message type and code).
public struct FlowTuple: Hashable, Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    /// IP protocol number (6 TCP, 17 UDP, 132 SCTP, 1 ICMP, 58 ICMPv6, ...).
    public var ipProtocol: UInt8
    /// TCP/UDP/SCTP source port; ICMP/ICMPv6 message type. nil for protocols without ports.
    public var sourcePort: UInt16?
    /// TCP/UDP/SCTP destination port; ICMP/ICMPv6 message code.
    public var destinationPort: UInt16?

    public init(source: IPAddress, sourcePort: UInt16?, destination: IPAddress, destinationPort: UInt16?, ipProtocol: UInt8) {
        self.source = source; self.sourcePort = sourcePort
        self.destination = destination; self.destinationPort = destinationPort
        self.ipProtocol = ipProtocol
    }

    /// An ICMP (IPv4 source) or ICMPv6 (IPv6 source) message.
    public static func icmp(source: IPAddress, destination: IPAddress, type: UInt8, code: UInt8) -> FlowTuple {
        FlowTuple(source: source, sourcePort: UInt16(type), destination: destination, destinationPort: UInt16(code),
                  ipProtocol: source.isV4 ? IPProtocolNumber.icmp : IPProtocolNumber.icmpv6)
    }
}

/// The protocol numbers Community ID v1 treats specially.
public enum IPProtocolNumber {
    public static let icmp: UInt8 = 1
    public static let tcp: UInt8 = 6
    public static let udp: UInt8 = 17
    public static let icmpv6: UInt8 = 58
    public static let sctp: UInt8 = 132
}
