import CaptureFiles
import Dissectors

/// The few facts the correlator judges a packet by: plain values copied out of
/// a `Dissection` (no views, no heap), so the policy below never touches bytes.
/// Built by `PacketFacts(packet:dissection:)`; tests can build them directly.
public struct PacketFacts: Sendable {
    public var fileIndex = 0
    public var frame = 0
    public var interfaceID = 0
    /// SLL2 interface index (Linux `any` captures): part of the interface identity.
    public var interfaceIndex: UInt32?
    /// SLL/SLL2 ARPHRD type (65534 = none: a tunnel; 772 = loopback).
    public var hardwareType: UInt16?
    public var time: Int64 = 0
    /// Bytes on the wire.
    public var length = 0
    /// The outer IP header's length field (IPv4 total length, 40 + IPv6 payload length), 0 without IP:
    /// what a tunnel interface's packet weighs before the VPN encrypts it (carrier timing).
    public var ipTotalLength = 0
    /// From pcapng epb_flags or the SLL packet type.
    public var direction: PacketDirection = .unknown

    public var network: Network = .other
    /// Outer IP header.
    public var source: IPAddress?
    public var destination: IPAddress?
    public var ipProtocol: UInt8 = 0
    /// IPv6 carried in IPv4 (6in4 / Teredo): the inner header's addresses.
    public var innerSource: IPAddress?
    public var innerDestination: IPAddress?
    public var encapsulation: Encapsulation?
    /// Ports of the innermost UDP/TCP header (0 when none).
    public var transport: Transport = .none
    public var sourcePort: UInt16 = 0
    public var destinationPort: UInt16 = 0
    public var tcpFlags: UInt16 = 0
    /// Payload bytes of this TCP segment or UDP datagram.
    public var payloadLength = 0
    /// UDP: the datagram's payload length as its header states it (length field - 8), also when
    /// the capture cut the packet short (snap length). 0 for TCP.
    public var udpDeclaredPayload = 0
    /// A `leakscope capture --canary` datagram (UDP payload `leakscope-canary 1 TOKEN N ...`):
    /// its token and number. The correlator matches them against the canaries the capture recorded.
    public var canaryToken: CanaryToken?
    public var canaryNumber = 0

    public var app: AppKind = .none
    /// STUN: transaction id, class (0 request, 1 indication, 2 success, 3 error).
    public var stunTransaction: STUNTransactionID?
    public var stunClass: UInt8 = 0
    /// DNS: id and QR bit.
    public var dnsID: UInt16 = 0
    public var dnsIsResponse = false
    /// WireGuard: message type (1-4), sender index (types 1, 2), receiver index (types 2-4).
    public var wireguardType: UInt8 = 0
    public var wireguardSender: UInt32 = 0
    public var wireguardReceiver: UInt32 = 0
    /// WireGuard transport data (type 4): the nonce counter.
    public var wireguardCounter: UInt64 = 0
    /// OpenVPN opcode (7/10 client hard reset, 8 server hard reset, ...).
    public var openvpnOpcode: UInt8 = 0
    /// OpenVPN key id (low 3 bits of the first byte).
    public var openvpnKeyID: UInt8 = 0
    /// OpenVPN control and ACK packets: the sender's session id (0 when the packet has none).
    public var openvpnSessionID: UInt64 = 0
    /// OpenVPN P_DATA_V2: the 24-bit peer id (nil for other opcodes).
    public var openvpnPeerID: UInt32?
    /// A UDP payload no parser claimed, read as a mid-session OpenVPN packet (nil when byte 0 is no
    /// mid-session opcode): the carrier rule openvpn-structure judges whether its flow keeps the fields consistent.
    public var openvpnCandidate: OpenVPNCandidate?
    /// IKE: exchange type (34 IKE_SA_INIT; IKEv1 2 main mode, 4 aggressive), flags, version major.
    public var ikeExchange: UInt8 = 0
    public var ikeIsResponse = false
    public var ikeMajorVersion: UInt8 = 0
    /// IKE SPIs (RFC 7296 3.1) and the IKEv2 initiator flag (set by the original initiator).
    public var ikeInitiatorSPI: UInt64 = 0
    public var ikeResponderSPI: UInt64 = 0
    public var ikeFromInitiator = false
    /// ESP (IP protocol 50 or ESP-in-UDP): SPI and sequence number (SPI 0 when the header was not readable).
    public var espSPI: UInt32 = 0
    public var espSequence: UInt32 = 0
    /// A NAT-T keepalive (one 0xFF byte on UDP 4500, RFC 3948); `app` is `.esp`.
    public var natKeepalive = false
    /// ICMP/ICMPv6 type and code (errors quote a packet: see `quoted`).
    public var icmpType: UInt8 = 0
    public var icmpCode: UInt8 = 0
    /// The packet quoted inside an ICMP error.
    public var quoted: QuotedPacket?
    /// DHCPv4 ACK: the address given to the client (yiaddr); a host address.
    public var dhcpAssignedAddress: IPAddress?
    /// DHCPv4 carries classless static routes (option 121 or 249): the TunnelVision lever.
    public var dhcpClasslessRoutes = false
    /// A DHCPv4 server reply (op 2) that configures the host: OFFER or ACK; the message type (option 53).
    public var dhcpOfferOrAck = false
    public var dhcpMessageType: UInt8 = 0
    /// DHCPv4 ACK: the subnet mask (option 1) as a prefix length (nil: none, or a mask with holes).
    public var dhcpSubnetPrefixLength: UInt8?
    /// A Router Advertisement with Route Information options (RFC 4191), well formed or not: routes pushed over IPv6.
    public var raRouteInformation = false
    /// A Router Advertisement's first on-link (L flag) prefix: the link's own IPv6 network.
    public var raOnLinkPrefix: IPPrefix?
    /// Neighbour Solicitation from :: (duplicate address detection): the address the host is taking.
    public var duplicateAddressTarget: IPAddress?

    public init() {}

    public enum Network: UInt8, Sendable { case arp, ipv4, ipv6, other }
    public enum Transport: UInt8, Sendable { case none, udp, tcp }
    public enum Encapsulation: String, Sendable, Codable {
        case sixInFour = "6in4", teredo, ipInIP = "ip-in-ip", gre, ayiya
    }

    /// The innermost addresses: the inner header when IPv6 is tunnelled in IPv4.
    public var innermostSource: IPAddress? { innerSource ?? source }
    public var innermostDestination: IPAddress? { innerDestination ?? destination }
}

/// The header of a packet quoted inside an ICMP error.
public struct QuotedPacket: Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    public var ipProtocol: UInt8
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// The quoted payload is a STUN/TURN message.
    public var isSTUN: Bool
    public init(source: IPAddress, destination: IPAddress, ipProtocol: UInt8, sourcePort: UInt16,
                destinationPort: UInt16, isSTUN: Bool) {
        self.source = source; self.destination = destination; self.ipProtocol = ipProtocol
        self.sourcePort = sourcePort; self.destinationPort = destinationPort; self.isSTUN = isSTUN
    }
}

/// Decoded strings an auditor needs, produced only for packets that become
/// evidence (leaks, tunnel STUN answers), never on the hot path of clean traffic.
/// Makes a packet's `PacketDetail`, told which of its parts will be read.
public typealias DetailSource = (PacketDetail.Parts) -> PacketDetail

public struct PacketDetail: Sendable {
    /// What the caller of a `DetailSource` will read.
    public struct Parts: Sendable, Equatable {
        /// `dnsQuestions`, `dnsAnswers`, `dnsAnswerAddresses` and `dnsRcode`; without it a DNS
        /// message gives only `dnsQuestionCount` and `ecs`.
        public var dnsText: Bool
        public static let all = Parts(dnsText: true)
        /// Everything but the DNS text above.
        public static let counts = Parts(dnsText: false)
    }

    // STUN / TURN
    public var stunMethod: String?
    /// XOR-MAPPED-ADDRESS (or MAPPED-ADDRESS) and XOR-RELAYED-ADDRESS, typed: most STUN packets of
    /// a flood reach a finding whose lists are full, so the text is made only where it is kept.
    public var mappedSocket: SocketAddress?
    public var relayedSocket: SocketAddress?
    public var mappedAddress: String? { mappedSocket?.description }
    public var relayedAddress: String? { relayedSocket?.description }
    public var software: String?
    public var iceUfrag: String?
    public var isICECheck = false
    // DNS
    public var dnsQuestions: [(name: String, type: String)] = []
    /// The questions read (at most 32, as `dnsQuestions`), also when their text was not asked for.
    public var dnsQuestionCount = 0
    public var dnsAnswers: [String] = []
    /// A/AAAA answers as addresses (to tie later flows to the name).
    public var dnsAnswerAddresses: [IPAddress] = []
    public var dnsRcode: String?
    /// EDNS Client Subnet options, as "198.51.100.0/24".
    public var ecs: [String] = []
    // Flows
    public var sni: String?
    public var httpHost: String?
    /// Structure recognised (a WireGuard / OpenVPN message to an address not known as an endpoint).
    public var looksLike: String?
    /// DHCPv4 classless static routes (option 121/249) as "198.51.100.0/24 via 192.0.2.1".
    public var dhcpRoutes: [String] = []
    /// Routes a DHCPv4 OFFER/ACK (options 121, 249) or an RA (Route Information) pushes, at most
    /// `PacketDetail.maxPushedRoutes`; `pushedRoutesOmitted` counts the rest.
    public var pushedRoutes: [PushedRoute] = []
    public var pushedRoutesOmitted = 0
    /// The dissector's notes on the DHCP/ICMPv6 layer (a malformed or truncated route list).
    public var routeNotes: [String] = []
    public static let maxPushedRoutes = 64

    /// One route a DHCP server or router pushed.
    public struct PushedRoute: Sendable, Equatable {
        public var prefix: IPPrefix
        public var router: IPAddress
        /// "DHCP option 121", "DHCP option 249", "RA route information".
        public var via: String
        /// RA Route Information: the lifetime (0 withdraws the route) and the 2-bit preference (2 is reserved).
        public var lifetime: UInt32?
        public var preference: UInt8?
        public init(prefix: IPPrefix, router: IPAddress, via: String, lifetime: UInt32? = nil, preference: UInt8? = nil) {
            self.prefix = prefix; self.router = router; self.via = via; self.lifetime = lifetime; self.preference = preference
        }
    }

    public init() {}
}

extension PacketFacts {
    public var interfaceKey: InterfaceKey {
        InterfaceKey(fileIndex: fileIndex, interfaceID: interfaceID, interfaceIndex: interfaceIndex)
    }
}
