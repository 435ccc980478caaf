import OutputText

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
        guard bytes.count >= 236, let op = bytes.integer(at: 0, as: UInt8.self), let xid = bytes.integer(at: 4, as: UInt32.self) else {
            throw .truncated(layer: .dhcp, offset: 0, needed: 236, available: bytes.count)
        }
        self.bytes = bytes
        self.op = op
        self.transactionID = xid
        if bytes.count < Self.optionsOffset {
            problem = .truncated(layer: .dhcp, offset: 236, needed: 4, available: bytes.count - 236)
        } else if bytes.integer(at: 236, as: UInt32.self) != Self.magicCookie {
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
        guard let hlen = bytes.integer(at: 2, as: UInt8.self) else { return nil }
        return bytes.slice(28, min(Int(hlen), 16))
    }

    public var options: DHCPv4Options {
        DHCPv4Options(bytes: bytes.integer(at: 236, as: UInt32.self) == Self.magicCookie ? bytes.suffix(from: Self.optionsOffset) : nil)
    }

    public func option(_ code: UInt8) -> ByteView? {
        for o in options where o.code == code { return o.data }
        return nil
    }

    /// Option 53: 1 DISCOVER ... 8 INFORM.
    public var messageType: UInt8? { option(53)?.integer(at: 0, as: UInt8.self) }
    public var subnetMask: IPAddress? { option(1).flatMap { IPAddress.v4($0, at: 0) } }
    public var requestedIP: IPAddress? { option(50).flatMap { IPAddress.v4($0, at: 0) } }
    public var serverIdentifier: IPAddress? { option(54).flatMap { IPAddress.v4($0, at: 0) } }
    public var leaseTime: UInt32? { option(51)?.integer(at: 0, as: UInt32.self) }
    public var hostname: ByteView? { option(12) }

    /// Classless static routes from option 121 (or 249, Microsoft's copy), every
    /// instance of the option concatenated (RFC 3396).
    public func classlessRoutes(option code: UInt8 = 121) -> ClasslessRoutes {
        ClasslessRoutes(self, code: code)
    }

    /// Option 81 (RFC 4702): flags, two rcodes, then the name in wire format
    /// when the E flag (0x04) is set, else ASCII.
    public var clientFQDN: String? {
        guard let o = option(81), let flags = o.integer(at: 0, as: UInt8.self), let name = o.suffix(from: 3) else { return nil }
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
            op: Int(op), xid: Hex.number(transactionID),
            messageType: messageType.map { Self.messageTypeName($0) },
            ciaddr: clientIP?.description, yiaddr: yourIP?.description, siaddr: serverIP?.description,
            giaddr: relayIP?.description, chaddr: clientHardwareAddress.map { Hex.string($0.base, separator: ":") },
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
            while let code = b.integer(at: offset, as: UInt8.self) {
                if code == 0 { offset += 1; continue }
                if code == 255 { offset = b.count + 1; return nil }
                guard let len = b.integer(at: offset + 1, as: UInt8.self), let data = b.slice(offset + 2, Int(len)) else {
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

