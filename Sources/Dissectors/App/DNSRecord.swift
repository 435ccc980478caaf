/// A resource record: fixed fields plus RDATA as a view; typed accessors
/// decode the common RDATA formats in place.
public struct DNSRecord {
    public let section: DNSSection
    public let name: DNSName
    public let type: DNSType
    /// The class field as on the wire (mDNS puts the cache-flush bit on top;
    /// for OPT it is the UDP payload size).
    public let rawClass: UInt16
    public let ttl: UInt32
    public let rdata: ByteView
    /// Where RDATA starts in the message (names in RDATA point into it).
    public let rdataOffset: Int
    public let message: ByteView
    public let layer: Layer

    public var rrclass: UInt16 { rawClass & 0x7FFF }
    /// mDNS cache-flush bit (RFC 6762 10.2).
    public var cacheFlush: Bool { rawClass & 0x8000 != 0 }

    /// A or AAAA address (nil for other types or a wrong RDATA length).
    public var address: IPAddress? {
        switch type {
        case .a where rdata.count == 4: IPAddress.v4(rdata, at: 0)
        case .aaaa where rdata.count == 16: IPAddress.v6(rdata, at: 0)
        default: nil
        }
    }

    /// A name inside RDATA at `relative`, checked to start inside RDATA.
    public func name(at relative: Int) -> DNSName? {
        guard relative >= 0, relative < rdata.count,
              let end = try? DNSName.skip(message, at: rdataOffset + relative, layer: layer),
              end <= rdataOffset + rdata.count else { return nil }
        return DNSName(message: message, offset: rdataOffset + relative)
    }

    /// The name a CNAME/NS/PTR/DNAME points to, an MX exchange, an SRV or
    /// SVCB/HTTPS target.
    public var targetName: DNSName? {
        switch type {
        case .cname, .ns, .ptr, .dname: name(at: 0)
        case .mx, .svcb, .https: name(at: 2)
        case .srv: name(at: 6)
        default: nil
        }
    }

    /// MX preference, SVCB/HTTPS priority, SRV priority.
    public var priority: UInt16? {
        switch type {
        case .mx, .svcb, .https, .srv: rdata.u16be(0)
        default: nil
        }
    }

    public var srvWeight: UInt16? { type == .srv ? rdata.u16be(2) : nil }
    public var srvPort: UInt16? { type == .srv ? rdata.u16be(4) : nil }

    /// TXT character-strings (also HINFO).
    public var characterStrings: DNSCharacterStrings { DNSCharacterStrings(bytes: rdata) }

    /// SVCB/HTTPS parameters, after priority and target name.
    public var svcParams: SVCParams? {
        guard type == .svcb || type == .https, name(at: 2) != nil,
              let end = try? DNSName.skip(message, at: rdataOffset + 2, layer: layer),
              let params = rdata.suffix(from: end - rdataOffset) else { return nil }
        return SVCParams(bytes: params)
    }

    /// SOA fields after the two names.
    public var soa: (mname: DNSName, rname: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32, minimum: UInt32)? {
        guard type == .soa, let m = name(at: 0),
              let mEnd = try? DNSName.skip(message, at: rdataOffset, layer: layer),
              let r = name(at: mEnd - rdataOffset),
              let rEnd = try? DNSName.skip(message, at: mEnd, layer: layer),
              let fixed = message.slice(rEnd, 20), rEnd + 20 <= rdataOffset + rdata.count,
              let serial = fixed.u32be(0), let refresh = fixed.u32be(4), let retry = fixed.u32be(8),
              let expire = fixed.u32be(12), let minimum = fixed.u32be(16) else { return nil }
        return (m, r, serial, refresh, retry, expire, minimum)
    }
}

/// Length-prefixed strings (TXT).
public struct DNSCharacterStrings: Sequence {
    let bytes: ByteView
    public func makeIterator() -> Iterator { Iterator(bytes: bytes) }
    public struct Iterator: IteratorProtocol {
        let bytes: ByteView
        var offset = 0
        public mutating func next() -> ByteView? {
            guard let len = bytes.u8(offset), let s = bytes.slice(offset + 1, Int(len)) else { return nil }
            offset += 1 + Int(len)
            return s
        }
    }
}

/// SVCB/HTTPS SvcParams (RFC 9460): key, value.
public struct SVCParams: Sequence {
    let bytes: ByteView
    public func makeIterator() -> Iterator { Iterator(bytes: bytes) }
    public struct Iterator: IteratorProtocol {
        let bytes: ByteView
        var offset = 0
        public mutating func next() -> (key: UInt16, value: ByteView)? {
            guard let key = bytes.u16be(offset), let len = bytes.u16be(offset + 2),
                  let value = bytes.slice(offset + 4, Int(len)) else { return nil }
            offset += 4 + Int(len)
            return (key, value)
        }
    }
}

/// A DNS RR type number with its mnemonic.
public struct DNSType: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    @inlinable public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = Self(1), ns = Self(2), cname = Self(5), soa = Self(6), ptr = Self(12)
    public static let hinfo = Self(13), mx = Self(15), txt = Self(16), aaaa = Self(28), srv = Self(33)
    public static let nb = Self(32), nbstat = Self(33)
    public static let dname = Self(39), opt = Self(41), ds = Self(43), rrsig = Self(46), nsec = Self(47)
    public static let dnskey = Self(48), svcb = Self(64), https = Self(65), any = Self(255), caa = Self(257)

    /// The mnemonic (`A`, `AAAA`, `HTTPS` ...) or `TYPE<n>` (RFC 3597).
    public var name: String {
        switch rawValue {
        case 1: "A"
        case 2: "NS"
        case 3: "MD"
        case 4: "MF"
        case 5: "CNAME"
        case 6: "SOA"
        case 7: "MB"
        case 8: "MG"
        case 9: "MR"
        case 10: "NULL"
        case 11: "WKS"
        case 12: "PTR"
        case 13: "HINFO"
        case 14: "MINFO"
        case 15: "MX"
        case 16: "TXT"
        case 17: "RP"
        case 18: "AFSDB"
        case 24: "SIG"
        case 25: "KEY"
        case 28: "AAAA"
        case 29: "LOC"
        case 33: "SRV"
        case 35: "NAPTR"
        case 36: "KX"
        case 37: "CERT"
        case 39: "DNAME"
        case 41: "OPT"
        case 42: "APL"
        case 43: "DS"
        case 44: "SSHFP"
        case 45: "IPSECKEY"
        case 46: "RRSIG"
        case 47: "NSEC"
        case 48: "DNSKEY"
        case 49: "DHCID"
        case 50: "NSEC3"
        case 51: "NSEC3PARAM"
        case 52: "TLSA"
        case 53: "SMIMEA"
        case 55: "HIP"
        case 59: "CDS"
        case 60: "CDNSKEY"
        case 61: "OPENPGPKEY"
        case 62: "CSYNC"
        case 63: "ZONEMD"
        case 64: "SVCB"
        case 65: "HTTPS"
        case 99: "SPF"
        case 249: "TKEY"
        case 250: "TSIG"
        case 251: "IXFR"
        case 252: "AXFR"
        case 253: "MAILB"
        case 254: "MAILA"
        case 255: "ANY"
        case 256: "URI"
        case 257: "CAA"
        default: "TYPE\(rawValue)"
        }
    }

    /// Names as NBNS uses the numbers (32 = NB, 33 = NBSTAT).
    public func name(for layer: Layer) -> String {
        if layer == .nbns {
            if rawValue == 32 { return "NB" }
            if rawValue == 33 { return "NBSTAT" }
        }
        return name
    }
}
