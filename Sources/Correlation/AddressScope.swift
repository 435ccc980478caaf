import Dissectors

/// Where an address can be reached from: the policy question behind severities
/// ("does a remote host see this?") and behind what counts as link-local.
public enum AddressScope: String, Sendable, Codable {
    /// 0.0.0.0, ::
    case unspecified
    case loopback
    /// 169.254/16, fe80::/10
    case linkLocal = "link-local"
    /// Multicast confined to the link: 224.0.0.0/24, ff02::/16 (and ff01::/16).
    case linkMulticast = "link-multicast"
    /// Other multicast and the limited broadcast 255.255.255.255.
    case multicast
    /// RFC 1918, 100.64/10 (CGNAT), fc00::/7 (ULA), fec0::/10: reachable on a LAN or a provider network only.
    case privateNetwork = "private"
    /// Everything else, documentation ranges included (the lab uses them as "public").
    case global

    public init(_ a: IPAddress) {
        switch a {
        case .v4(let v):
            let o1 = v >> 24, o2 = (v >> 16) & 0xFF
            if v == 0 { self = .unspecified }
            else if o1 == 127 { self = .loopback }
            else if o1 == 169 && o2 == 254 { self = .linkLocal }
            else if v >> 8 == 0xE00000 { self = .linkMulticast }
            else if o1 >= 224 && o1 <= 239 { self = .multicast }
            else if v == 0xFFFF_FFFF { self = .multicast }
            else if o1 == 10 || (o1 == 172 && (o2 & 0xF0) == 16) || (o1 == 192 && o2 == 168)
                        || (o1 == 100 && (o2 & 0xC0) == 64) { self = .privateNetwork }
            else { self = .global }
        case .v6(let hi, let lo):
            let top16 = hi >> 48
            if hi == 0 && lo == 0 { self = .unspecified }
            else if hi == 0 && lo == 1 { self = .loopback }
            else if hi == 0 && lo >> 32 == 0xFFFF { self = AddressScope(.v4(UInt32(truncatingIfNeeded: lo))) }
            else if hi == 0 && lo >> 32 == 0 { self = .unspecified }  // ::/96 (deprecated IPv4-compatible): never routed
            else if top16 & 0xFFC0 == 0xFE80 { self = .linkLocal }
            else if top16 == 0xFF02 || top16 == 0xFF01 { self = .linkMulticast }
            else if top16 >> 8 == 0xFF { self = .multicast }
            else if top16 & 0xFE00 == 0xFC00 || top16 & 0xFFC0 == 0xFEC0 { self = .privateNetwork }
            else { self = .global }
        }
    }

    /// Traffic to such an address never leaves the link (not a tunnel leak by itself).
    public var staysOnLink: Bool {
        switch self {
        case .linkLocal, .linkMulticast, .multicast, .loopback, .unspecified: true
        case .privateNetwork, .global: false
        }
    }

    /// A host beyond the LAN (and so the world) sees traffic sent there.
    public var isRemote: Bool { self == .global }
}

/// What an IPv6 source address says about the host (RFC 4291 / 8981 heuristics).
public enum IPv6SourceKind: String, Sendable, Codable {
    /// Interface identifier built from the MAC (ff:fe in the middle): names the hardware.
    case eui64
    /// Random-looking interface identifier (RFC 8981 temporary / privacy address, or RFC 7217 stable-private).
    case temporary = "temporary-or-stable-private"
    /// Low interface identifier (::1 .. ::ffff): manually or DHCPv6 assigned.
    case lowInterfaceID = "low-interface-id"
    /// 2002::/16: 6to4, embeds the IPv4 address.
    case sixToFour = "6to4"
    /// 2001:0::/32: Teredo, embeds the server and the obfuscated public IPv4 address and port.
    case teredo
    case linkLocal = "link-local"
    case uniqueLocal = "unique-local"
    case other

    public init(_ a: IPAddress) {
        guard case .v6(let hi, let lo) = a else { self = .other; return }
        let scope = AddressScope(a)
        if hi >> 48 == 0x2002 { self = .sixToFour }
        else if hi >> 32 == 0x2001_0000 { self = .teredo }
        else if (lo >> 24) & 0xFFFF == 0xFFFE { self = .eui64 }
        else if scope == .linkLocal { self = .linkLocal }
        else if scope == .privateNetwork { self = .uniqueLocal }
        else if lo >> 16 == 0 { self = .lowInterfaceID }
        else if scope == .global { self = .temporary }
        else { self = .other }
    }
}

