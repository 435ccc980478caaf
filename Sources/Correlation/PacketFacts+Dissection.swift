import CaptureFiles
import Dissectors

/// Copies the correlator's facts out of a `Dissection`. Reads no bytes itself:
/// the packet an ICMP error quotes comes from the dissector's `quoted` slot, and
/// the application layer from `app.kind` (comparing `Layer`s compares strings).
/// The canary token is read by its format's owner (`CanaryToken.inPayload`, CaptureFiles)
/// from the UDP payload view: a first-byte check for nearly every datagram; so is the OpenVPN
/// candidate reading of a datagram no parser claimed (`OpenVPNCandidate`, Dissectors).
public struct FactsExtractor {
    public init() {}

    public func facts(_ d: Dissection) -> PacketFacts {
        var d = d
        return facts(reading: &d)
    }

    /// `facts(_:)` of a dissection the caller holds in a variable, read in place: `inout` only so
    /// that the 3 KB value is passed by address. A by-value argument was copied at every call
    /// (callgrind: two 3,192-byte memcpys per fully dissected packet in pass 2, one in pass 1).
    /// Nothing in `d` is changed.
    public func facts(reading d: inout Dissection) -> PacketFacts {
        var f = PacketFacts()
        f.fileIndex = d.fileIndex
        f.frame = d.frameNumber
        f.interfaceID = d.interfaceID
        f.time = d.timestampNanoseconds
        f.length = d.originalLength
        f.direction = d.direction
        if d.link.kind == .linuxSLL2 { f.interfaceIndex = d.link.sllInterfaceIndex }
        f.hardwareType = d.link.sllHardwareType
        if f.direction == .unknown, let t = d.link.sllPacketType {
            // SLL packet types: 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us.
            f.direction = t == 4 ? .outbound : t <= 2 ? .inbound : .unknown
        }
        if d.app.arp != nil || d.link.etherType == 0x0806 { f.network = .arp }
        if let ip = d.ip {
            f.network = ip.version == 4 ? .ipv4 : .ipv6
            f.source = ip.source
            f.destination = ip.destination
            f.ipProtocol = ip.protocol
            f.ipTotalLength = ip.totalLength
        }
        // The app layers are read in place: `let a = d.app` copied all of them (a kilobyte) per packet.
        if let inner = d.innerIP, let t = d.tunnel {
            f.innerSource = inner.source
            f.innerDestination = inner.destination
            switch t {
            case .ipInIP: f.encapsulation = inner.version == 6 && d.ip?.version == 4 ? .sixInFour : .ipInIP
            case .teredo: f.encapsulation = .teredo
            case .gre: f.encapsulation = .gre
            case .ayiya: f.encapsulation = .ayiya
            default: f.encapsulation = .ipInIP
            }
        }
        if let u = d.udp {
            f.transport = .udp
            f.sourcePort = u.sourcePort
            f.destinationPort = u.destinationPort
            f.payloadLength = u.payload.count
            f.udpDeclaredPayload = max(0, Int(u.length) - 8)
            if let c = CanaryToken.inPayload(u.payload) { f.canaryToken = c.token; f.canaryNumber = c.number }
        } else if let t = d.tcp {
            f.transport = .tcp
            f.sourcePort = t.sourcePort
            f.destinationPort = t.destinationPort
            f.tcpFlags = t.flags.rawValue
            f.payloadLength = t.payload.count
        }
        if let m = d.app.stun {
            f.app = .stun
            f.stunTransaction = m.transactionID
            f.stunClass = m.messageClass.rawValue
        } else if d.app.channelData != nil || d.app.kind == .channelData {
            f.app = .channelData
        } else if d.app.kind == .dns || d.app.kind == .mdns || d.app.kind == .llmnr || d.app.kind == .nbns {
            f.app = d.app.kind == .dns ? .dns : d.app.kind == .mdns ? .mdns : d.app.kind == .llmnr ? .llmnr : .nbns
            if let m = d.app.dns { f.dnsID = m.id; f.dnsIsResponse = m.isResponse }
        } else if let w = d.app.wireguard {
            f.app = .wireguard
            f.wireguardType = w.type.rawValue
            f.wireguardSender = w.senderIndex ?? 0
            f.wireguardReceiver = w.receiverIndex ?? 0
            f.wireguardCounter = w.counter ?? 0
        } else if let o = d.app.openvpn {
            f.app = .openvpn
            f.openvpnOpcode = o.opcode.rawValue
            f.openvpnKeyID = o.keyID
            f.openvpnSessionID = o.sessionID ?? 0
            f.openvpnPeerID = o.peerID
        } else if let i = d.app.ike {
            f.app = .ike
            f.ikeExchange = i.exchangeType
            f.ikeMajorVersion = i.majorVersion
            // IKEv1 has no response flag: a zero responder cookie marks the first message.
            f.ikeIsResponse = i.majorVersion == 2 ? i.isResponse : i.responderSPI != 0
            f.ikeInitiatorSPI = i.initiatorSPI
            f.ikeResponderSPI = i.responderSPI
            f.ikeFromInitiator = i.isInitiator
        } else if d.app.esp != nil || d.app.natKeepalive || d.ip?.protocol == 50 {
            f.app = .esp
            if let e = d.app.esp { f.espSPI = e.spi; f.espSequence = e.sequence }
            f.natKeepalive = d.app.natKeepalive
        } else if d.app.l2tp != nil {
            f.app = .l2tp
        } else if let m = d.app.dhcp {
            f.app = .dhcp
            if m.messageType == 5, let y = m.yourIP, y != .v4(0) {
                f.dhcpAssignedAddress = y
                if case .v4(let mask)? = m.subnetMask { f.dhcpSubnetPrefixLength = IPPrefix.length(ofMask: mask) }
            }
            f.dhcpClasslessRoutes = m.option(121) != nil || m.option(249) != nil
            f.dhcpMessageType = m.messageType ?? 0
            f.dhcpOfferOrAck = m.op == 2 && (f.dhcpMessageType == 2 || f.dhcpMessageType == 5)
        } else if d.app.dhcpv6 != nil || d.app.kind == .dhcpv6 {
            f.app = .dhcpv6
        } else if d.app.kind == .dhcp {
            f.app = .dhcp
        } else if let m = d.app.icmpv6 {
            switch m.type {
            case 133...137:
                f.app = .neighborDiscovery
                if m.type == 135, d.ip?.source == .v6(0, 0), let t = m.target { f.duplicateAddressTarget = t }
                if m.type == 134 { Self.routerAdvertisement(m, into: &f) }
            case 130...132, 143: f.app = .multicastListener
            default: f.app = .icmp
            }
            f.icmpType = m.type
            f.icmpCode = m.code
            if let q = d.quoted { f.quoted = QuotedPacket(q) }
        } else if let m = d.app.icmp {
            f.app = .icmp
            f.icmpType = m.type
            f.icmpCode = m.code
            if let q = d.quoted { f.quoted = QuotedPacket(q) }
        } else if d.ip?.protocol == 2 {
            f.app = .igmp
        } else if d.app.tlsClientHello != nil || d.app.tlsRecord != nil || d.app.kind == .tls {
            f.app = .tls
        } else if d.app.http != nil || d.app.kind == .http {
            f.app = .http
        } else if d.app.quic != nil {
            f.app = .quic
        } else if d.ip?.protocol == 47 {
            f.app = .gre
        } else if d.ip?.protocol == 1 || d.ip?.protocol == 58 {
            f.app = .icmp
        }
        // Read by its format's owner, from the UDP payload view: a first-byte check for most datagrams.
        // A datagram on a DNS port that is no well-formed DNS message too: VPNs use 53 to pass firewalls.
        if let u = d.udp, f.app == .none || (f.app == .dns && (d.app.dns == nil || d.app.dns?.problem != nil)) {
            f.openvpnCandidate = OpenVPNCandidate(u.payload)
        }
        return f
    }
}

extension FactsExtractor {
    /// The facts `facts(_:)` gives for the dissection of a packet the carrier fast path read
    /// (`CarrierDatagram`: Ethernet, IPv4, UDP, WireGuard transport data); field for field the same.
    @inline(__always)
    public func facts(_ p: Packet, _ c: CarrierDatagram) -> PacketFacts {
        var f = PacketFacts()
        fill(&f, p, c)
        return f
    }

    /// `facts(p, c)` written into `f` in place (no 400-byte value built and copied per packet).
    /// `f` must be a value only `fill` ever wrote to: it writes the same fields every time, so every
    /// other field keeps its default, as in `facts(p, c)`.
    @inline(__always)
    public func fill(_ f: inout PacketFacts, _ p: Packet, _ c: CarrierDatagram) {
        f.fileIndex = p.fileIndex
        f.frame = p.frameNumber
        f.interfaceID = p.interfaceID
        f.time = p.timestampNanoseconds
        f.length = p.originalLength
        f.direction = p.direction
        f.network = .ipv4
        f.source = .v4(c.source)
        f.destination = .v4(c.destination)
        f.ipProtocol = 17
        f.ipTotalLength = c.ipTotalLength
        f.transport = .udp
        f.sourcePort = c.sourcePort
        f.destinationPort = c.destinationPort
        f.payloadLength = c.payloadLength
        f.udpDeclaredPayload = Int(c.udpLength) - 8
        f.app = .wireguard
        f.wireguardType = 4
        f.wireguardReceiver = c.receiverIndex
        f.wireguardCounter = c.counter
    }

    /// An RA's Route Information options and its first on-link prefix (RAs are rare: the walk is cheap).
    static func routerAdvertisement(_ m: ICMPv6Message, into f: inout PacketFacts) {
        for o in m.options {
            // Malformed ones too: the analysis notes them instead of passing them by.
            if o.type == 24 { f.raRouteInformation = true }
            if o.type == 3, f.raOnLinkPrefix == nil, let p = o.prefixInformation, p.onLink, p.length <= 128, p.validLifetime > 0 {
                f.raOnLinkPrefix = IPPrefix(p.prefix, length: p.length)
            }
        }
    }
}

extension QuotedPacket {
    /// The correlator's view of the dissector's quote: STUN, classic STUN and
    /// ChannelData all make the ICMP error part of a WebRTC flow.
    init(_ q: ICMPQuote) {
        let stun = q.app == .stun || q.app == .classicSTUN || q.app == .channelData
        self.init(source: q.source, destination: q.destination, ipProtocol: q.protocol,
                  sourcePort: q.sourcePort ?? 0, destinationPort: q.destinationPort ?? 0, isSTUN: stun)
    }
}

extension PacketDetail {
    /// Decodes the strings a finding needs (outputs only: allocates).
    public init(_ d: Dissection) {
        var d = d
        self.init(reading: &d)
    }

    /// `init(_:)` of a dissection the caller holds in a variable, read in place (`inout` only to
    /// pass the 3 KB value by address, as `FactsExtractor.facts(reading:)`); nothing in `d` changes.
    public init(reading d: inout Dissection) {
        self.init(reading: &d, parts: .all)
    }

    /// `init(reading:)` with only `parts` decoded.
    public init(reading d: inout Dissection, parts: Parts) {
        if let m = d.app.stun {
            stunMethod = STUNMessage.methodName(m.method)
            mappedSocket = m.reflexiveAddress
            relayedSocket = m.xorRelayedAddress
            software = m.software.map(Self.text)
            iceUfrag = m.iceUfrag.map(Self.text)
            isICECheck = m.isICECheck
        }
        if let m = d.app.dns {
            for q in m.questions where dnsQuestionCount < 32 {
                dnsQuestionCount += 1
                if parts.dnsText { dnsQuestions.append((q.name.text, q.type.name(for: m.layer))) }
            }
            if let e = m.edns?.clientSubnet { ecs.append(e.description) }
        }
        if parts.dnsText, let m = d.app.dns {
            var n = 0
            for r in m.answers where n < 32 {
                n += 1
                if let addr = r.address {
                    dnsAnswers.append(addr.description)
                    dnsAnswerAddresses.append(addr)
                } else if let t = r.targetName {
                    dnsAnswers.append("\(r.type.name(for: m.layer)) \(t.text)")
                } else {
                    dnsAnswers.append(r.type.name(for: m.layer))
                }
            }
            if m.isResponse { dnsRcode = Self.rcodeName(m.rcode) }
        }
        if let m = d.app.dhcp {
            for code: UInt8 in [121, 249] {
                for r in m.classlessRoutes(option: code) {
                    if dhcpRoutes.count < 64 { dhcpRoutes.append("\(r.destination)/\(r.prefixLength) via \(r.router) (option \(code))") }
                    addPushed(PushedRoute(prefix: IPPrefix(r.destination, length: r.prefixLength), router: r.router,
                                          via: "DHCP option \(code)"))
                }
            }
            routeNotes = d.notes.filter { $0.layer == .dhcp }.map(\.description)
        }
        if let m = d.app.icmpv6, m.type == 134, let router = d.ip?.source {
            for o in m.options {
                guard let r = o.routeInformation else { continue }
                addPushed(PushedRoute(prefix: IPPrefix(r.prefix, length: r.length), router: router,
                                      via: "RA route information", lifetime: r.lifetime, preference: r.preference))
            }
            routeNotes = d.notes.filter { $0.layer == .icmpv6 }.map(\.description)
        }
        if let h = d.app.tlsClientHello, let s = h.serverName { sni = Self.text(s) }
        if let h = d.app.http, let host = h.host { httpHost = Self.text(host) }
    }

    mutating func addPushed(_ r: PushedRoute) {
        if pushedRoutes.count < Self.maxPushedRoutes { pushedRoutes.append(r) } else { pushedRoutesOmitted += 1 }
    }

    /// Packet bytes as text by the dissector's rule (docs/protocols.md):
    /// controls and `\` as `\DDD`/`\\`, invalid UTF-8 byte by byte (never
    /// U+FFFD, which would hide what was sent); renderers escape for their format.
    static func text(_ v: ByteView) -> String { AppText.text(v.prefix(512)) }

    static func rcodeName(_ r: UInt8) -> String {
        switch r {
        case 0: "NOERROR"
        case 1: "FORMERR"
        case 2: "SERVFAIL"
        case 3: "NXDOMAIN"
        case 4: "NOTIMP"
        case 5: "REFUSED"
        default: "RCODE\(r)"
        }
    }
}
