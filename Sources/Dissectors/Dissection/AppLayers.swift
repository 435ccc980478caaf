/// Application-layer slots. Each holds the app parser's view (offsets into the
/// payload, valid until the next `dissect`) and is set only when that protocol
/// was found. `layer` says what the payload was dispatched as.
public struct AppLayers {
    /// The layer the app payload was dispatched as (nil when none was recognized).
    public var layer: Layer?
    /// The app payload that was dissected (UDP payload, or the whole TCP message with its framing).
    public var payload: ByteView?

    /// STUN or classic STUN (RFC 3489) message (`stun.isClassic`).
    public var stun: STUNMessage?
    /// TURN ChannelData.
    public var channelData: TURNChannelData?
    /// DNS family message; `dns.layer` is .dns, .mdns, .llmnr or .nbns.
    public var dns: DNSMessage?
    /// VPN carriers.
    public var wireguard: WireGuardMessage?
    public var openvpn: OpenVPNPacket?
    public var ike: IKEHeader?
    /// ESP (IP protocol 50, or ESP-in-UDP on 4500).
    public var esp: ESPPacket?
    public var l2tp: L2TPHeader?
    /// A NAT-T keepalive (one 0xff byte on UDP 4500).
    public var natKeepalive: Bool = false
    /// QUIC long header (version, connection ids) on UDP 443 (SNI needs decryption: not available).
    public var quic: QUICLongHeader?
    /// A TLS record header was seen (content type, version); the handshake type when it is a handshake.
    public var tlsRecord: TLSRecordHeader?
    /// TLS ClientHello (SNI, ALPN) on TCP, any port.
    public var tlsClientHello: TLSClientHello?
    /// HTTP/1 request head (Host) on TCP.
    public var http: HTTPRequest?
    /// Link housekeeping and control.
    public var icmp: ICMPv4Message?
    public var icmpv6: ICMPv6Message?
    public var arp: ARPPacket?
    public var dhcp: DHCPv4Message?
    public var dhcpv6: DHCPv6Message?

    public init() {}

    @inlinable public mutating func reset() {
        layer = nil
        payload = nil
        stun = nil
        channelData = nil
        dns = nil
        wireguard = nil
        openvpn = nil
        ike = nil
        esp = nil
        l2tp = nil
        natKeepalive = false
        quic = nil
        tlsRecord = nil
        tlsClientHello = nil
        http = nil
        icmp = nil
        icmpv6 = nil
        arp = nil
        dhcp = nil
        dhcpv6 = nil
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
        guard let ct = p.u8(0), (20...24).contains(ct), let v = p.u16be(1), v >> 8 == 3, let l = p.u16be(3) else { return nil }
        contentType = ct
        version = v
        length = l
        handshakeType = ct == 22 ? p.u8(5) : nil
    }

    public var isClientHello: Bool { contentType == 22 && handshakeType == 1 }
}
