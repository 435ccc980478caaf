/// Application-layer slots. Each holds the app parser's view (offsets into the
/// payload, valid until the next `dissect`) and is non-nil only when that
/// protocol was found. `layer` says what the payload was dispatched as.
///
/// Storage is private with a bit per slot so that `reset()` clears only the
/// slots the previous packet set (clearing all of them cost a quarter of the
/// dissection time).
public struct AppLayers {
    /// The layer the app payload was dispatched as (nil when none was recognized).
    public var layer: Layer?
    /// The app payload that was dissected (UDP payload, or the whole TCP message with its framing).
    public var payload: ByteView?
    /// A NAT-T keepalive (one 0xff byte on UDP 4500).
    public var natKeepalive: Bool = false
    /// What `layer` is, as a cheap enum to switch on (comparing `Layer`s compares strings).
    public var kind: AppKind = .none
    /// Whole DNS messages after the first in this TCP segment (DNS over TCP
    /// pipelining, RFC 7766 6.2.1.1): counted, not dissected; `dns` holds the first.
    public var dnsExtraMessages: UInt16 = 0

    /// DNS messages this frame carried (0 when the payload is not DNS).
    @inlinable public var dnsMessages: Int {
        switch kind {
        case .dns, .mdns, .llmnr, .nbns: 1 + Int(dnsExtraMessages)
        default: 0
        }
    }

    @usableFromInline var setMask: UInt32 = 0

    @usableFromInline var _stun: STUNMessage?
    /// STUN or classic STUN (RFC 3489) message (`stun.isClassic`).
    @inlinable public var stun: STUNMessage? {
        get { _stun }
        set { _stun = newValue; setMask |= 1 }
    }

    @usableFromInline var _channelData: TURNChannelData?
    /// TURN ChannelData.
    @inlinable public var channelData: TURNChannelData? {
        get { _channelData }
        set { _channelData = newValue; setMask |= 2 }
    }

    @usableFromInline var _dns: DNSMessage?
    /// DNS family message; `dns.layer` is .dns, .mdns, .llmnr or .nbns.
    @inlinable public var dns: DNSMessage? {
        get { _dns }
        set { _dns = newValue; setMask |= 4 }
    }

    @usableFromInline var _wireguard: WireGuardMessage?
    /// WireGuard message (types 1-4).
    @inlinable public var wireguard: WireGuardMessage? {
        get { _wireguard }
        set { _wireguard = newValue; setMask |= 8 }
    }

    @usableFromInline var _openvpn: OpenVPNPacket?
    /// OpenVPN packet (UDP, or one TCP message with its length).
    @inlinable public var openvpn: OpenVPNPacket? {
        get { _openvpn }
        set { _openvpn = newValue; setMask |= 16 }
    }

    @usableFromInline var _ike: IKEHeader?
    /// IKE/ISAKMP header (UDP 500, 4500 after the non-ESP marker).
    @inlinable public var ike: IKEHeader? {
        get { _ike }
        set { _ike = newValue; setMask |= 32 }
    }

    @usableFromInline var _esp: ESPPacket?
    /// ESP (IP protocol 50, or ESP-in-UDP on 4500).
    @inlinable public var esp: ESPPacket? {
        get { _esp }
        set { _esp = newValue; setMask |= 64 }
    }

    @usableFromInline var _l2tp: L2TPHeader?
    /// L2TP header (UDP 1701).
    @inlinable public var l2tp: L2TPHeader? {
        get { _l2tp }
        set { _l2tp = newValue; setMask |= 128 }
    }

    @usableFromInline var _quic: QUICLongHeader?
    /// QUIC long header on UDP 443 (the Initial is not decrypted: no SNI).
    @inlinable public var quic: QUICLongHeader? {
        get { _quic }
        set { _quic = newValue; setMask |= 256 }
    }

    @usableFromInline var _tlsRecord: TLSRecordHeader?
    /// A TLS record header (content type, version, handshake type).
    @inlinable public var tlsRecord: TLSRecordHeader? {
        get { _tlsRecord }
        set { _tlsRecord = newValue; setMask |= 512 }
    }

    @usableFromInline var _tlsClientHello: TLSClientHello?
    /// TLS ClientHello (SNI, ALPN) on TCP, any port.
    @inlinable public var tlsClientHello: TLSClientHello? {
        get { _tlsClientHello }
        set { _tlsClientHello = newValue; setMask |= 1024 }
    }

    @usableFromInline var _http: HTTPRequest?
    /// HTTP/1 request head (method, target, Host) on TCP.
    @inlinable public var http: HTTPRequest? {
        get { _http }
        set { _http = newValue; setMask |= 2048 }
    }

    @usableFromInline var _icmp: ICMPv4Message?
    /// ICMPv4 message.
    @inlinable public var icmp: ICMPv4Message? {
        get { _icmp }
        set { _icmp = newValue; setMask |= 4096 }
    }

    @usableFromInline var _icmpv6: ICMPv6Message?
    /// ICMPv6 message (ND, RA prefixes, RDNSS).
    @inlinable public var icmpv6: ICMPv6Message? {
        get { _icmpv6 }
        set { _icmpv6 = newValue; setMask |= 8192 }
    }

    @usableFromInline var _arp: ARPPacket?
    /// ARP packet.
    @inlinable public var arp: ARPPacket? {
        get { _arp }
        set { _arp = newValue; setMask |= 16384 }
    }

    @usableFromInline var _dhcp: DHCPv4Message?
    /// DHCPv4 message (UDP 67/68).
    @inlinable public var dhcp: DHCPv4Message? {
        get { _dhcp }
        set { _dhcp = newValue; setMask |= 32768 }
    }

    @usableFromInline var _dhcpv6: DHCPv6Message?
    /// DHCPv6 message (UDP 546/547).
    @inlinable public var dhcpv6: DHCPv6Message? {
        get { _dhcpv6 }
        set { _dhcpv6 = newValue; setMask |= 65536 }
    }

    public init() {}

    @inlinable public mutating func reset() {
        layer = nil
        payload = nil
        natKeepalive = false
        kind = .none
        dnsExtraMessages = 0
        let m = setMask
        guard m != 0 else { return }
        setMask = 0
        if m & 1 != 0 { _stun = nil }
        if m & 2 != 0 { _channelData = nil }
        if m & 4 != 0 { _dns = nil }
        if m & 8 != 0 { _wireguard = nil }
        if m & 16 != 0 { _openvpn = nil }
        if m & 32 != 0 { _ike = nil }
        if m & 64 != 0 { _esp = nil }
        if m & 128 != 0 { _l2tp = nil }
        if m & 256 != 0 { _quic = nil }
        if m & 512 != 0 { _tlsRecord = nil }
        if m & 1024 != 0 { _tlsClientHello = nil }
        if m & 2048 != 0 { _http = nil }
        if m & 4096 != 0 { _icmp = nil }
        if m & 8192 != 0 { _icmpv6 = nil }
        if m & 16384 != 0 { _arp = nil }
        if m & 32768 != 0 { _dhcp = nil }
        if m & 65536 != 0 { _dhcpv6 = nil }
    }
}

/// The 5-byte TLS record header (and the handshake message type when present).
public struct TLSRecordHeader: Sendable, Hashable {
    public var contentType: UInt8
    public var version: UInt16
    public var length: UInt16
    /// First handshake message type (1 = ClientHello) when contentType is 22 and it is there.
    public var handshakeType: UInt8?

    public init?(_ p: ByteView) {
        guard let ct = p.integer(at: 0, as: UInt8.self), (20...24).contains(ct), let v = p.integer(at: 1, as: UInt16.self), v >> 8 == 3, let l = p.integer(at: 3, as: UInt16.self) else { return nil }
        contentType = ct
        version = v
        length = l
        handshakeType = ct == 22 ? p.integer(at: 5, as: UInt8.self) : nil
    }

    public var isClientHello: Bool { contentType == 22 && handshakeType == 1 }
}

/// The application protocol of a packet: what the dispatcher decoded the
/// payload as (`AppLayers.kind`, mirroring `AppLayers.layer`), and what the
/// correlator's facts classify it as (`PacketFacts.app`, innermost layer wins).
/// The last group is set only by that classification, from the IP protocol
/// (GRE, IGMP) and the ICMPv6 type (neighbour discovery 133-137, multicast
/// listener 130-132 and 143); the dispatcher never sets them.
public enum AppKind: UInt8, Sendable, Hashable {
    case none, stun, classicSTUN, channelData, dns, mdns, llmnr, nbns, wireguard, openvpn, ike, esp
    case natKeepalive, l2tp, quic, tls, http, icmp, icmpv6, arp, dhcp, dhcpv6
    case gre, igmp, neighborDiscovery, multicastListener

    /// The DNS-family kind for a DNS layer token.
    @inlinable static func dns(_ layer: Layer) -> AppKind {
        // First byte of the token: d(ns), m(dns), l(lmnr), n(bns); no string built.
        guard layer.rawValue.hasPointerRepresentation, layer.rawValue.utf8CodeUnitCount > 0 else { return .dns }
        switch layer.rawValue.utf8Start.pointee {
        case UInt8(ascii: "m"): return .mdns
        case UInt8(ascii: "l"): return .llmnr
        case UInt8(ascii: "n"): return .nbns
        default: return .dns
        }
    }
}
