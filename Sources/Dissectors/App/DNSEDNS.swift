/// EDNS0 from an OPT pseudo-record (RFC 6891): payload size in the class,
/// extended RCODE, version and DO bit in the TTL, options in RDATA.
public struct DNSEDNS {
    public let record: DNSRecord

    public init(record: DNSRecord) { self.record = record }

    public var udpPayloadSize: UInt16 { record.rawClass }
    /// The upper 8 bits of the 12-bit RCODE.
    public var extendedRCodeHigh: UInt8 { UInt8(truncatingIfNeeded: record.ttl >> 24) }
    public var version: UInt8 { UInt8(truncatingIfNeeded: record.ttl >> 16) }
    public var dnssecOK: Bool { record.ttl & 0x8000 != 0 }

    public var options: Options { Options(bytes: record.rdata) }

    /// The Client Subnet option (code 8, RFC 7871), if present and well formed.
    public var clientSubnet: DNSClientSubnet? {
        for o in options where o.code == 8 { return DNSClientSubnet(o.data) }
        return nil
    }

    public struct Options: Sequence {
        let bytes: ByteView
        public func makeIterator() -> Iterator { Iterator(bytes: bytes) }
        public struct Iterator: IteratorProtocol {
            let bytes: ByteView
            var offset = 0
            public mutating func next() -> (code: UInt16, data: ByteView)? {
                guard let code = bytes.integer(at: offset, as: UInt16.self), let len = bytes.integer(at: offset + 2, as: UInt16.self),
                      let data = bytes.slice(offset + 4, Int(len)) else { return nil }
                offset += 4 + Int(len)
                return (code, data)
            }
        }
    }

    public static func optionName(_ code: UInt16) -> String {
        switch code {
        case 3: "NSID"
        case 5: "DAU"
        case 6: "DHU"
        case 7: "N3U"
        case 8: "CLIENT-SUBNET"
        case 9: "EXPIRE"
        case 10: "COOKIE"
        case 11: "TCP-KEEPALIVE"
        case 12: "PADDING"
        case 13: "CHAIN"
        case 14: "KEY-TAG"
        case 15: "EXTENDED-ERROR"
        default: "OPT\(code)"
        }
    }
}

/// EDNS Client Subnet: family 1/2, source and scope prefix lengths, and
/// the address bytes (only as many as the source prefix needs).
public struct DNSClientSubnet: Hashable, Sendable, CustomStringConvertible {
    public let family: UInt16
    public let sourcePrefix: UInt8
    public let scopePrefix: UInt8
    public let address: IPAddress

    public init(family: UInt16, sourcePrefix: UInt8, scopePrefix: UInt8, address: IPAddress) {
        self.family = family
        self.sourcePrefix = sourcePrefix
        self.scopePrefix = scopePrefix
        self.address = address
    }

    public init?(_ data: ByteView) {
        guard let family = data.integer(at: 0, as: UInt16.self), let source = data.integer(at: 2, as: UInt8.self), let scope = data.integer(at: 3, as: UInt8.self) else { return nil }
        let width = family == 1 ? 4 : family == 2 ? 16 : 0
        guard width > 0, Int(source) <= width * 8 else { return nil }
        let n = data.count - 4
        guard n >= 0, n <= width else { return nil }
        var hi: UInt64 = 0, lo: UInt64 = 0
        for i in 0..<n {
            guard let b = data.integer(at: 4 + i, as: UInt8.self) else { return nil }
            if i < 8 { hi |= UInt64(b) << (56 - 8 * i) } else { lo |= UInt64(b) << (56 - 8 * (i - 8)) }
        }
        self.family = family
        self.sourcePrefix = source
        self.scopePrefix = scope
        self.address = width == 4 ? .v4(UInt32(truncatingIfNeeded: hi >> 32)) : .v6(hi, lo)
    }

    /// `203.0.113.0/24`.
    public var description: String { "\(address)/\(sourcePrefix)" }
}
