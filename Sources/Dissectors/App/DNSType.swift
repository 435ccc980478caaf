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
