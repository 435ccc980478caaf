/// A DHCPv4/BOOTP message (RFC 2131/2132): fixed 236-byte header, magic
/// cookie, options. Options are read from the options field only (option 52
/// overload into sname/file is not followed).
public struct DHCPv4Message {
    public let bytes: ByteView
    public let op: UInt8
    public let transactionID: UInt32
    public var problem: WireError?

    public static let optionsOffset = 240
    public static let magicCookie: UInt32 = 0x6382_5363

    public init(_ bytes: ByteView) throws(WireError) {
        guard bytes.count >= 236, let op = bytes.u8(0), let xid = bytes.u32be(4) else {
            throw .truncated(layer: .dhcp, offset: 0, needed: 236, available: bytes.count)
        }
        self.bytes = bytes
        self.op = op
        self.transactionID = xid
        if bytes.count < Self.optionsOffset {
            problem = .truncated(layer: .dhcp, offset: 236, needed: 4, available: bytes.count - 236)
        } else if bytes.u32be(236) != Self.magicCookie {
            problem = .malformed(layer: .dhcp, offset: 236, reason: .init("no DHCP magic cookie"))
        } else {
            var it = options.makeIterator()
            while it.next() != nil {}
            problem = it.problem ?? Self.routeProblem(self)
        }
    }

    /// The first malformed or truncated classless route (options 121, 249): a note on the packet.
    static func routeProblem(_ m: DHCPv4Message) -> WireError? {
        for code: UInt8 in [121, 249] {
            var it = m.classlessRoutes(option: code).makeIterator()
            while it.next() != nil {}
            if let p = it.problem { return p }
        }
        return nil
    }

    public var clientIP: IPAddress? { IPAddress.v4(bytes, at: 12) }
    public var yourIP: IPAddress? { IPAddress.v4(bytes, at: 16) }
    public var serverIP: IPAddress? { IPAddress.v4(bytes, at: 20) }
    public var relayIP: IPAddress? { IPAddress.v4(bytes, at: 24) }
    /// Client hardware address, `hlen` bytes (at most 16).
    public var clientHardwareAddress: ByteView? {
        guard let hlen = bytes.u8(2) else { return nil }
        return bytes.slice(28, min(Int(hlen), 16))
    }

    public var options: DHCPv4Options {
        DHCPv4Options(bytes: bytes.u32be(236) == Self.magicCookie ? bytes.suffix(from: Self.optionsOffset) : nil)
    }

    public func option(_ code: UInt8) -> ByteView? {
        for o in options where o.code == code { return o.data }
        return nil
    }

    /// Option 53: 1 DISCOVER ... 8 INFORM.
    public var messageType: UInt8? { option(53)?.u8(0) }
    public var subnetMask: IPAddress? { option(1).flatMap { IPAddress.v4($0, at: 0) } }
    public var requestedIP: IPAddress? { option(50).flatMap { IPAddress.v4($0, at: 0) } }
    public var serverIdentifier: IPAddress? { option(54).flatMap { IPAddress.v4($0, at: 0) } }
    public var leaseTime: UInt32? { option(51)?.u32be(0) }
    public var hostname: ByteView? { option(12) }

    /// Classless static routes from option 121 (or 249, Microsoft's copy), every
    /// instance of the option concatenated (RFC 3396).
    public func classlessRoutes(option code: UInt8 = 121) -> ClasslessRoutes {
        ClasslessRoutes(self, code: code)
    }

    /// Option 81 (RFC 4702): flags, two rcodes, then the name in wire format
    /// when the E flag (0x04) is set, else ASCII.
    public var clientFQDN: String? {
        guard let o = option(81), let flags = o.u8(0), let name = o.suffix(from: 3) else { return nil }
        if flags & 0x04 != 0 {
            var it = DomainList(bytes: name).makeIterator()
            return it.next() ?? ""
        }
        return AppText.text(name)
    }

    public static func messageTypeName(_ t: UInt8) -> String {
        switch t {
        case 1: "DISCOVER"
        case 2: "OFFER"
        case 3: "REQUEST"
        case 4: "DECLINE"
        case 5: "ACK"
        case 6: "NAK"
        case 7: "RELEASE"
        case 8: "INFORM"
        case 9: "FORCERENEW"
        case 10: "LEASEQUERY"
        default: "\(t)"
        }
    }

    public func summary() -> DHCPv4Summary {
        func list(_ code: UInt8) -> [String]? {
            guard let d = option(code) else { return nil }
            var out: [String] = []
            var i = 0
            while i + 4 <= d.count, let a = IPAddress.v4(d, at: i) { out.append(a.description); i += 4 }
            return out
        }
        func routes(_ code: UInt8) -> [DHCPRouteSummary]? {
            guard option(code) != nil else { return nil }
            return classlessRoutes(option: code).map {
                DHCPRouteSummary(destination: "\($0.destination)/\($0.prefixLength)", router: $0.router.description)
            }
        }
        return DHCPv4Summary(
            op: Int(op), xid: AppText.hex(transactionID),
            messageType: messageType.map { Self.messageTypeName($0) },
            ciaddr: clientIP?.description, yiaddr: yourIP?.description, siaddr: serverIP?.description,
            giaddr: relayIP?.description, chaddr: clientHardwareAddress.map { AppText.mac($0) },
            subnetMask: subnetMask?.description, routers: list(3), dnsServers: list(6),
            hostname: hostname.map { AppText.text($0) }, requestedIP: requestedIP?.description,
            leaseTime: leaseTime, serverID: serverIdentifier?.description,
            classlessRoutes: routes(121), msClasslessRoutes: routes(249),
            domainName: option(15).map { AppText.text($0) }, wpad: option(252).map { AppText.text($0) },
            vendorClass: option(60).map { AppText.text($0) }, clientFQDN: clientFQDN,
            options: options.map { Int($0.code) })
    }
}

/// DHCPv4 options (pad 0 skipped, end 255 stops).
public struct DHCPv4Options: Sequence {
    let bytes: ByteView?
    public func makeIterator() -> Iterator { Iterator(bytes: bytes) }

    public struct Iterator: IteratorProtocol {
        let bytes: ByteView?
        var offset = 0
        public private(set) var problem: WireError?

        public mutating func next() -> (code: UInt8, data: ByteView)? {
            guard let b = bytes else { return nil }
            while let code = b.u8(offset) {
                if code == 0 { offset += 1; continue }
                if code == 255 { offset = b.count + 1; return nil }
                guard let len = b.u8(offset + 1), let data = b.slice(offset + 2, Int(len)) else {
                    problem = .malformed(layer: .dhcp, offset: DHCPv4Message.optionsOffset + offset,
                                         reason: .init("option length runs past the end"))
                    offset = b.count + 1
                    return nil
                }
                offset += 2 + Int(len)
                return (code, data)
            }
            // RFC 2131 4.1: the options end with option 255.
            if offset <= b.count, problem == nil {
                problem = .truncated(layer: .dhcp, offset: DHCPv4Message.optionsOffset + offset, needed: 1, available: 0)
                offset = b.count + 1
            }
            return nil
        }
    }
}

public struct DHCPRouteSummary: Encodable, Equatable, Sendable {
    public var destination: String
    public var router: String
}

public struct DHCPv4Summary: Encodable, Equatable, Sendable {
    public var op: Int
    public var xid: String
    public var messageType: String?
    public var ciaddr: String?
    public var yiaddr: String?
    public var siaddr: String?
    public var giaddr: String?
    public var chaddr: String?
    public var subnetMask: String?
    public var routers: [String]?
    public var dnsServers: [String]?
    public var hostname: String?
    public var requestedIP: String?
    public var leaseTime: UInt32?
    public var serverID: String?
    public var classlessRoutes: [DHCPRouteSummary]?
    public var msClasslessRoutes: [DHCPRouteSummary]?
    /// Option 15.
    public var domainName: String?
    /// Option 252: the proxy auto-config URL (WPAD).
    public var wpad: String?
    /// Option 60.
    public var vendorClass: String?
    /// Option 81.
    public var clientFQDN: String?
    public var options: [Int]

    enum CodingKeys: String, CodingKey {
        case op, xid, messageType = "message_type", ciaddr, yiaddr, siaddr, giaddr, chaddr
        case subnetMask = "subnet_mask", routers, dnsServers = "dns_servers", hostname, requestedIP = "requested_ip"
        case leaseTime = "lease_time", serverID = "server_id", classlessRoutes = "classless_routes"
        case msClasslessRoutes = "ms_classless_routes", domainName = "domain_name", wpad
        case vendorClass = "vendor_class", clientFQDN = "client_fqdn", options
    }
}
