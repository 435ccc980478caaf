/// The JSONL record of one frame for `leakscope dissect --format jsonl`
/// (schema in docs/dissect.md). Built from a `Dissection` for output only:
/// this allocates (strings, arrays) and is not the hot path. Encode with
/// `DissectionRecord.encoder` (sorted keys, snake_case).
public struct DissectionRecord: Encodable {
    public struct Link: Encodable {
        public var kind: String
        public var src: String?
        public var dst: String?
        public var vlan: [Int]?
        public var sllPkttype: Int?
        public var sllIfindex: UInt32?
        public var etherType: Int?
    }

    public struct Fragment: Encodable {
        public var id: UInt32
        public var offset: Int
        public var more: Bool
        public var reassembly: String
    }

    public struct IP: Encodable {
        public var version: Int
        public var src: String
        public var dst: String
        public var `protocol`: Int
        public var ttl: Int
        public var extHeaders: [String]?
        public var fragment: Fragment?
        public var jumbogram: Bool?
        public var srcKind: String
        public var dstKind: String
    }

    public struct Ports: Encodable {
        public var srcPort: Int
        public var dstPort: Int
        public var length: Int?
        public var flags: [String]?
        public var seq: UInt32?
        public var ack: UInt32?
        public var reassembledLength: Int?
    }

    public struct TLS: Encodable {
        public var contentType: Int
        public var handshakeType: Int?
    }

    /// The packet an ICMP error quotes (docs/dissect.md).
    public struct ICMPQuoted: Encodable {
        public var version: Int
        public var src: String
        public var dst: String
        public var `protocol`: Int
        public var app: QuotedApp?
        public var srcPort: Int?
        public var dstPort: Int?
        /// Present (true) when the quote is shorter than the quoted packet.
        public var truncated: Bool?
    }

    /// What the quoted UDP/TCP payload looks like, with its id when quoted.
    public struct QuotedApp: Encodable {
        /// A protocols token: stun, classicstun, turn-channel, dns, mdns, llmnr, nbns.
        public var `protocol`: String
        /// STUN transaction id (hex).
        public var transactionId: String?
        /// DNS message id.
        public var id: Int?
    }

    public var frame: Int
    /// Which input file (0-based, in the order given).
    public var fileIndex: Int
    /// Always present: the name, or JSON null when the capture has none.
    public var interface: JSONNullable<String>
    public var tsNs: Int64
    public var len: Int
    public var caplen: Int
    /// "in" / "out" when the capture or the SLL header says.
    public var direction: String?
    public var protocols: [String]
    public var link: Link?
    public var ip: IP?
    public var innerIp: IP?
    public var encapsulation: String?
    public var udp: Ports?
    public var tcp: Ports?
    public var stun: STUNSummary?
    public var channelData: TURNChannelDataSummary?
    public var dns: DNSSummary?
    /// DNS messages in this TCP segment, when more than one (only the first is in `dns`).
    public var dnsMessages: Int?
    public var tunnel: CarrierSummary?
    public var quic: QUICSummary?
    public var tlsRecord: TLS?
    public var tls: TLSSummary?
    public var http: HTTPSummary?
    public var icmp: ICMPSummary?
    public var icmpv6: ICMPSummary?
    public var icmpQuoted: ICMPQuoted?
    public var arp: ARPSummary?
    public var dhcp: DHCPv4Summary?
    public var dhcpv6: DHCPv6Summary?
    public var notes: [String]


    public init(_ d: Dissection, interfaceName: String?) {
        frame = d.frameNumber
        fileIndex = d.fileIndex
        interface = JSONNullable(interfaceName)
        tsNs = d.timestampNanoseconds
        len = d.originalLength
        caplen = d.capturedLength
        direction = d.direction == .inbound ? "in" : d.direction == .outbound ? "out" : nil
        protocols = d.protocols.map(\.name)
        if d.link.kind != .unknown {
            let l = d.link
            link = Link(kind: "\(l.kind)", src: l.source?.description, dst: l.destination?.description,
                        vlan: l.vlanTags.isEmpty ? nil : l.vlanTags.map { Int($0.id) },
                        sllPkttype: l.sllPacketType.map(Int.init), sllIfindex: l.sllInterfaceIndex,
                        etherType: l.etherType.map(Int.init))
        }
        ip = d.ip.map(Self.ip)
        innerIp = d.innerIP.map(Self.ip)
        encapsulation = d.tunnel?.name
        if let u = d.udp {
            udp = Ports(srcPort: Int(u.sourcePort), dstPort: Int(u.destinationPort), length: Int(u.length))
        }
        if let t = d.tcp {
            tcp = Ports(srcPort: Int(t.sourcePort), dstPort: Int(t.destinationPort), length: t.payload.count,
                        flags: t.flags.names, seq: t.sequence, ack: t.acknowledgment,
                        reassembledLength: t.reassembled?.count)
        }
        let a = d.app
        stun = a.stun?.summary()
        channelData = a.channelData?.summary()
        dns = a.dns?.summary()
        if a.dnsMessages > 1 { dnsMessages = a.dnsMessages }
        tunnel = a.wireguard?.summary() ?? a.openvpn?.summary() ?? a.ike?.summary() ?? a.esp?.summary()
            ?? a.l2tp?.summary() ?? (a.natKeepalive ? CarrierSummary(protocol: "nat-t", message: "keepalive") : nil)
        quic = a.quic?.summary()
        if let t = a.tlsRecord { tlsRecord = TLS(contentType: Int(t.contentType), handshakeType: t.handshakeType.map(Int.init)) }
        tls = a.tlsClientHello?.summary()
        http = a.http?.summary()
        icmp = a.icmp?.summary()
        icmpv6 = a.icmpv6?.summary()
        icmpQuoted = d.quoted.map(Self.quoted)
        arp = a.arp?.summary()
        dhcp = a.dhcp?.summary()
        dhcpv6 = a.dhcpv6?.summary()
        notes = d.notes.map(\.description)
        if d.notes.dropped > 0 { notes.append("\(d.notes.dropped) more notes not kept") }
        if d.protocols.dropped > 0 { notes.append("\(d.protocols.dropped) more layers not listed") }
    }

    static func quoted(_ q: ICMPQuote) -> ICMPQuoted {
        var app: QuotedApp?
        let token: Layer? = switch q.app {
        case .stun: .stun
        case .classicSTUN: .classicstun
        case .channelData: .turnChannel
        case .dns: .dns
        case .mdns: .mdns
        case .llmnr: .llmnr
        case .nbns: .nbns
        default: nil
        }
        if let token {
            app = QuotedApp(protocol: token.name, transactionId: q.stunTransactionID?.description, id: q.dnsID.map { Int($0) })
        }
        var r = ICMPQuoted(version: Int(q.version), src: q.source.description, dst: q.destination.description,
                           protocol: Int(q.protocol), app: app)
        r.srcPort = q.sourcePort.map { Int($0) }
        r.dstPort = q.destinationPort.map { Int($0) }
        if q.truncated { r.truncated = true }
        return r
    }

    static func ip(_ i: IPInfo) -> IP {
        var frag: Fragment?
        if let f = i.fragment {
            let r: String
            switch i.reassembly {
            case .none: r = "none"
            case .pending: r = "pending"
            case .completed: r = "completed"
            case .dropped: r = "dropped"
            }
            frag = Fragment(id: f.identification, offset: f.offset, more: f.moreFragments, reassembly: r)
        }
        return IP(version: Int(i.version), src: i.source.description, dst: i.destination.description,
                  protocol: Int(i.protocol), ttl: Int(i.ttl),
                  extHeaders: i.extensionHeaders.isEmpty ? nil : i.extensionHeaders.map(\.layer.name),
                  fragment: frag, jumbogram: i.jumbogram ? true : nil,
                  srcKind: i.source.kind.name, dstKind: i.destination.kind.name)
    }
}

/// An optional that encodes as JSON `null` instead of being left out.
public struct JSONNullable<Wrapped: Encodable>: Encodable {
    public var value: Wrapped?
    public init(_ value: Wrapped?) { self.value = value }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let value { try c.encode(value) } else { try c.encodeNil() }
    }
}
