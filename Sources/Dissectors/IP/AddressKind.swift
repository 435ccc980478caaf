/// What an address is, by the IANA special-purpose registries (RFC 6890 and
/// successors). Dissectors classify; the correlator decides what it means.
public enum AddressKind: UInt8, Sendable, Hashable, CaseIterable {
    case unspecified          // 0.0.0.0, ::
    case thisNetwork          // 0.0.0.0/8 other than 0.0.0.0
    case loopback             // 127/8, ::1
    case linkLocal            // 169.254/16, fe80::/10
    case privateUse           // RFC 1918: 10/8, 172.16/12, 192.168/16
    case sharedCGNAT          // 100.64/10 (RFC 6598)
    case uniqueLocal          // fc00::/7
    case multicastLinkLocal   // 224.0.0/24, ff02::/16 (and interface-local ff01::/16)
    case multicast            // other multicast (wider scope)
    case broadcast            // 255.255.255.255
    case documentation        // 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20
    case teredo               // 2001::/32
    case sixToFour            // 2002::/16
    case ipv4Mapped           // ::ffff:0:0/96
    case nat64                // 64:ff9b::/96
    case reserved             // 240/4 (except broadcast)
    case global

    /// The token used in outputs (lower-case, hyphenated).
    public var name: String { staticName.description }

    /// `name` as a literal, for writers that copy bytes without building a String.
    public var staticName: StaticString {
        switch self {
        case .unspecified: "unspecified"
        case .thisNetwork: "this-network"
        case .loopback: "loopback"
        case .linkLocal: "link-local"
        case .privateUse: "private"
        case .sharedCGNAT: "cgnat"
        case .uniqueLocal: "unique-local"
        case .multicastLinkLocal: "multicast-link-local"
        case .multicast: "multicast"
        case .broadcast: "broadcast"
        case .documentation: "documentation"
        case .teredo: "teredo"
        case .sixToFour: "6to4"
        case .ipv4Mapped: "ipv4-mapped"
        case .nat64: "nat64"
        case .reserved: "reserved"
        case .global: "global"
        }
    }

    /// Traffic to/from this kind never leaves the link (loopback, link-local, link-local multicast, broadcast).
    public var isLinkScoped: Bool {
        switch self {
        case .unspecified, .loopback, .linkLocal, .multicastLinkLocal, .broadcast: true
        default: false
        }
    }
}

extension IPAddress {
    /// The address's special-purpose class (or `.global`).
    public var kind: AddressKind {
        switch self {
        case .v4(let a):
            if a == 0 { return .unspecified }
            if a == 0xFFFF_FFFF { return .broadcast }
            switch a >> 24 {
            case 0: return .thisNetwork
            case 10: return .privateUse
            case 127: return .loopback
            case 224...239: return a >> 8 == 0xE00000 ? .multicastLinkLocal : .multicast
            case 240...255: return .reserved
            default: break
            }
            if a >> 16 == 0xA9FE { return .linkLocal }
            if a >> 20 == 0xAC1 { return .privateUse }
            if a >> 16 == 0xC0A8 { return .privateUse }
            if a >> 22 == 0x64 << 2 | 1 { return .sharedCGNAT }   // 100.64.0.0/10
            if a >> 8 == 0xC00002 || a >> 8 == 0xC63364 || a >> 8 == 0xCB0071 { return .documentation }
            return .global
        case .v6(let hi, let lo):
            if hi == 0 {
                if lo == 0 { return .unspecified }
                if lo == 1 { return .loopback }
                if lo >> 32 == 0xFFFF { return .ipv4Mapped }
            }
            if hi == 0x0064_FF9B_0000_0000 && lo >> 32 == 0 { return .nat64 }
            let top16 = hi >> 48
            if top16 >> 8 == 0xFF {
                let scope = top16 & 0xF
                return scope <= 2 ? .multicastLinkLocal : .multicast
            }
            if top16 & 0xFFC0 == 0xFE80 { return .linkLocal }
            if top16 & 0xFE00 == 0xFC00 { return .uniqueLocal }
            if hi >> 32 == 0x2001_0DB8 || hi >> 44 == 0x3FFF0 { return .documentation }
            if hi >> 32 == 0x2001_0000 { return .teredo }
            if top16 == 0x2002 { return .sixToFour }
            return .global
        }
    }

    /// The MAC address an EUI-64-derived IPv6 interface id encodes (RFC 4291
    /// appendix A: ff:fe in the middle, universal/local bit flipped); nil otherwise.
    public var eui64MAC: MACAddress? {
        guard case .v6(_, let lo) = self, (lo >> 24) & 0xFFFF == 0xFFFE else { return nil }
        let high24 = (lo >> 40) ^ 0x02_0000
        return MACAddress(rawValue: high24 << 24 | lo & 0xFF_FFFF)
    }

    /// The IPv4 address embedded in a 6to4 (2002:V4::/48), IPv4-mapped, NAT64 or
    /// Teredo address (for Teredo: the client's public address, de-obfuscated).
    public var embeddedIPv4: IPAddress? {
        guard case .v6(let hi, let lo) = self else { return nil }
        switch kind {
        case .sixToFour: return .v4(UInt32(truncatingIfNeeded: hi >> 16))
        case .ipv4Mapped, .nat64: return .v4(UInt32(truncatingIfNeeded: lo))
        case .teredo: return .v4(~UInt32(truncatingIfNeeded: lo))
        default: return nil
        }
    }

    /// Teredo: the server address (bits 32-63) and the client's public UDP port (de-obfuscated).
    public var teredoServer: IPAddress? {
        guard case .v6(let hi, _) = self, kind == .teredo else { return nil }
        return .v4(UInt32(truncatingIfNeeded: hi))
    }

    public var teredoClientPort: UInt16? {
        guard case .v6(_, let lo) = self, kind == .teredo else { return nil }
        return ~UInt16(truncatingIfNeeded: lo >> 32)
    }
}
