/// Summary shared by ICMPv4 and ICMPv6; keys are present only when they apply.
public struct ICMPSummary: Encodable, Equatable, Sendable {
    public var type: Int
    public var code: Int
    public var name: String
    public var id: Int?
    public var sequence: Int?
    public var gateway: String?
    public var quotedLength: Int?
    public var target: String?
    public var destination: String?
    public var sourceLinkLayer: String?
    public var targetLinkLayer: String?
    public var routerLifetime: Int?
    public var managed: Bool?
    public var otherConfig: Bool?
    public var mtu: Int?
    public var prefixes: [ICMPv6PrefixSummary]?
    public var rdnss: [String]?
    public var rdnssLifetime: Int?
    public var dnssl: [String]?
    public var routes: [ICMPv6RouteSummary]?

    public init(type: Int, code: Int, name: String) {
        self.type = type
        self.code = code
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case type, code, name, id, sequence, gateway, quotedLength = "quoted_length", target, destination
        case sourceLinkLayer = "source_lla", targetLinkLayer = "target_lla", routerLifetime = "router_lifetime"
        case managed, otherConfig = "other_config", mtu, prefixes, rdnss, rdnssLifetime = "rdnss_lifetime", dnssl, routes
    }
}

/// An RFC 4191 route: `::/0` from a rogue router steers all IPv6 traffic.
public struct ICMPv6RouteSummary: Encodable, Equatable, Sendable {
    public var prefix: String
    /// `high`, `medium`, `low` or `reserved`.
    public var preference: String
    public var lifetime: UInt32
}

public struct ICMPv6PrefixSummary: Encodable, Equatable, Sendable {
    public var prefix: String
    public var onLink: Bool
    public var autonomous: Bool
    public var validLifetime: UInt32
    public var preferredLifetime: UInt32

    enum CodingKeys: String, CodingKey {
        case prefix, onLink = "on_link", autonomous, validLifetime = "valid_lifetime", preferredLifetime = "preferred_lifetime"
    }
}
