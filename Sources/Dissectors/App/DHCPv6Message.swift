import OutputText

/// A DHCPv6 message (RFC 8415): message type, 24-bit transaction ID and
/// options (client/server DUID, IA_NA addresses, DNS servers 23, domain
/// list 24). Relay-forward/reply (12/13) have a 34-byte header; their inner
/// message (option 9) is exposed as `relayedMessage`.
public struct DHCPv6Message {
    public let bytes: ByteView
    public let messageType: UInt8
    public var problem: WireError?

    public init(_ bytes: ByteView) throws(WireError) {
        guard let t = bytes.integer(at: 0, as: UInt8.self), bytes.count >= 4 else {
            throw .truncated(layer: .dhcpv6, offset: 0, needed: 4, available: bytes.count)
        }
        self.bytes = bytes
        self.messageType = t
        if bytes.count < optionsOffset {
            problem = .truncated(layer: .dhcpv6, offset: 0, needed: optionsOffset, available: bytes.count)
        } else {
            var it = options.makeIterator()
            while it.next() != nil {}
            problem = it.problem
        }
    }

    public var isRelay: Bool { messageType == 12 || messageType == 13 }
    var optionsOffset: Int { isRelay ? 34 : 4 }

    /// 24-bit transaction ID (nil for relay messages).
    public var transactionID: UInt32? {
        guard !isRelay, let w = bytes.integer(at: 0, as: UInt32.self) else { return nil }
        return w & 0x00FF_FFFF
    }

    public var options: DHCPv6Options { DHCPv6Options(bytes: bytes.suffix(from: optionsOffset), base: optionsOffset) }

    public func option(_ code: UInt16) -> ByteView? {
        for o in options where o.code == code { return o.data }
        return nil
    }

    public var clientID: ByteView? { option(1) }
    public var serverID: ByteView? { option(2) }
    public var relayedMessage: ByteView? { isRelay ? option(9) : nil }

    /// Addresses from IA_NA (3) → IAADDR (5) suboptions.
    public var assignedAddresses: [IPAddress] {
        var out: [IPAddress] = []
        for o in options where o.code == 3 {
            guard let sub = o.data.suffix(from: 12) else { continue }
            for s in DHCPv6Options(bytes: sub, base: 0) where s.code == 5 {
                if let a = IPAddress.v6(s.data, at: 0) { out.append(a) }
            }
        }
        return out
    }

    public var dnsServers: [IPAddress] {
        guard let d = option(23) else { return [] }
        var out: [IPAddress] = []
        var i = 0
        while let a = IPAddress.v6(d, at: i) { out.append(a); i += 16 }
        return out
    }

    /// Option 39 (RFC 4704): flags byte, then the name in DNS wire format.
    public var clientFQDN: String? {
        guard let o = option(39), let name = o.suffix(from: 1) else { return nil }
        var it = DomainList(bytes: name).makeIterator()
        return it.next() ?? ""
    }

    public static func messageTypeName(_ t: UInt8) -> String {
        switch t {
        case 1: "SOLICIT"
        case 2: "ADVERTISE"
        case 3: "REQUEST"
        case 4: "CONFIRM"
        case 5: "RENEW"
        case 6: "REBIND"
        case 7: "REPLY"
        case 8: "RELEASE"
        case 9: "DECLINE"
        case 10: "RECONFIGURE"
        case 11: "INFORMATION-REQUEST"
        case 12: "RELAY-FORW"
        case 13: "RELAY-REPL"
        default: "\(t)"
        }
    }

    public func summary() -> DHCPv6Summary {
        let domains = option(24).map { DomainList(bytes: $0).map { $0 } }
        let dns = dnsServers
        let addrs = assignedAddresses
        return DHCPv6Summary(
            messageType: Self.messageTypeName(messageType),
            transactionID: transactionID.map { Hex.number($0, count: 6) },
            clientID: clientID.map { Hex.string($0.base) }, serverID: serverID.map { Hex.string($0.base) },
            addresses: addrs.isEmpty ? nil : addrs.map { $0.description },
            dnsServers: dns.isEmpty ? nil : dns.map { $0.description },
            domains: domains, clientFQDN: clientFQDN, options: options.map { Int($0.code) })
    }
}

/// DHCPv6 options: 2-byte code, 2-byte length, then the data.
public typealias DHCPv6Options = OptionWalk<DHCPv6OptionFormat>

public enum DHCPv6OptionFormat: OptionFormat {
    public static func read(_ b: ByteView, at offset: Int, base: Int) throws(WireError) -> (option: (code: UInt16, data: ByteView), length: Int) {
        guard let code = b.integer(at: offset, as: UInt16.self), let len = b.integer(at: offset + 2, as: UInt16.self), let data = b.slice(offset + 4, Int(len)) else {
            throw .malformed(layer: .dhcpv6, offset: base + offset, reason: .init("option length runs past the end"))
        }
        return ((code, data), 4 + Int(len))
    }
}

