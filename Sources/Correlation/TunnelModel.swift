import Dissectors

/// Which interface a packet was seen on: file, capture interface, and for
/// Linux `any` (SLL2) captures the kernel interface index inside it.
public struct InterfaceKey: Hashable, Sendable, Comparable {
    public var fileIndex: Int
    public var interfaceID: Int
    public var interfaceIndex: UInt32?
    public init(fileIndex: Int, interfaceID: Int, interfaceIndex: UInt32? = nil) {
        self.fileIndex = fileIndex; self.interfaceID = interfaceID; self.interfaceIndex = interfaceIndex
    }
    public static func < (a: Self, b: Self) -> Bool {
        (a.fileIndex, a.interfaceID, a.interfaceIndex.map(Int.init) ?? -1)
            < (b.fileIndex, b.interfaceID, b.interfaceIndex.map(Int.init) ?? -1)
    }
}

public enum InterfaceRole: String, Sendable, Codable, CaseIterable {
    case tunnel, physical, loopback
    /// `--physical` was given and did not name it, and it is not a tunnel.
    case ignored
}

/// What the capture says about one interface (filled by the driver from the reader).
public struct InterfaceDescription: Sendable {
    public var key: InterfaceKey
    public var name: String?
    public var linkType: LinkType
    /// Addresses from pcapng if_IPv4addr / if_IPv6addr.
    public var addresses: [IPAddress]
    /// The networks those options give (address and netmask / prefix length): the interface's own LAN.
    public var networks: [IPPrefix]
    /// The file holds a classic pcap (one unnamed interface).
    public var classicPcap: Bool
    public init(key: InterfaceKey, name: String?, linkType: LinkType, addresses: [IPAddress] = [], networks: [IPPrefix] = [],
                classicPcap: Bool = false) {
        self.key = key; self.name = name; self.linkType = linkType; self.addresses = addresses; self.networks = networks
        self.classicPcap = classicPcap
    }
}

/// One interface with the role the analysis gave it and why.
public struct InterfaceDecision: Sendable {
    public var description: InterfaceDescription
    public var role: InterfaceRole
    public var decidedBy: String
    /// The name shown in output (`if_name`, the `--ifindex` name, or "if3").
    public var displayName: String
    /// SLL2 ARPHRD type when the interface came from an `any` capture.
    public var hardwareType: UInt16?
    public var packets = 0
}

/// A VPN endpoint the carrier goes to, and how it was decided.
public struct Endpoint: Sendable, Hashable {
    public var address: IPAddress
    /// nil: every port and protocol to the address (user gave no port, or IPsec: IKE + ESP).
    public var port: UInt16?
    public var transport: String?
    public var `protocol`: String
    public var decidedBy: String
    /// A carrier to a second server besides the tunnel's own (another VPN): carrier, not a leak of
    /// content, reported as an `another-vpn` observation; not the tunnel's activity.
    public var anotherVPN = false
}

/// A host address (this machine's own), per interface, and how it was decided.
public struct HostAddress: Sendable, Hashable {
    public var address: IPAddress
    public var interface: InterfaceKey
    public var decidedBy: String
}

/// Tunnel-interface name patterns (case-insensitive prefixes) and the rule text for `decided_by`.
enum TunnelNames {
    static let prefixes = ["wg", "tun", "utun", "ppp", "ipsec", "tap", "nordlynx", "nordtun", "proton", "mullvad",
                           "tailscale", "zt", "vti", "ip_vti", "xfrm", "gpd", "cscotun", "wintun", "openvpn",
                           "wireguard", "pvpn", "expressvpn", "surfshark", "nord", "ovpn", "l2tp", "gre"]
    static func match(_ name: String) -> String? {
        let n = name.lowercased()
        for p in prefixes where n.hasPrefix(p) {
            return p == n ? "name \(p)" : "name pattern \(p)*"
        }
        return nil
    }
    static func isLoopback(_ name: String) -> Bool {
        let n = name.lowercased()
        return n == "lo" || n.hasPrefix("lo0") || n == "loopback" || n.hasPrefix("npcap loopback") || n == "\\device\\npf_loopback"
    }
}
