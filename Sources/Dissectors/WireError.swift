/// What went wrong while decoding a layer, and where. Offsets are from the
/// start of the captured frame when the dissector knows it, else from the start
/// of the layer (the field `layer` says which protocol).
public enum WireError: Error, Hashable, Sendable {
    /// Fewer bytes than the layer needs: `needed` at `offset`, `available` present.
    case truncated(layer: Layer, offset: Int, needed: Int, available: Int)
    /// A field that contradicts the format (a length past the end, a bad version, a loop).
    case malformed(layer: Layer, offset: Int, reason: Reason)
    /// A bound this dissector keeps to stay in constant time and memory was hit.
    case limitReached(layer: Layer, offset: Int, limit: Limit)

    public var layer: Layer {
        switch self {
        case .truncated(let l, _, _, _), .malformed(let l, _, _), .limitReached(let l, _, _): l
        }
    }
}

extension WireError {
    /// Why a field is malformed. Static so that notes never allocate.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        public let text: StaticString
        public init(_ text: StaticString) { self.text = text }
        public var description: String { text.description }
        public static func == (a: Reason, b: Reason) -> Bool { a.description == b.description }
        public func hash(into h: inout Hasher) { h.combine(description) }
    }

    /// Which bound was hit.
    public struct Limit: Hashable, Sendable, CustomStringConvertible {
        public let text: StaticString
        public init(_ text: StaticString) { self.text = text }
        public var description: String { text.description }
        public static func == (a: Limit, b: Limit) -> Bool { a.description == b.description }
        public func hash(into h: inout Hasher) { h.combine(description) }
    }
}

/// Protocol layers LeakScope decodes. `name` is the lower-case token used in
/// `protocols` lists (like tshark's `frame.protocols`).
public struct Layer: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: StaticString
    public init(rawValue: StaticString) { self.rawValue = rawValue }
    public var name: String { rawValue.description }
    public var description: String { name }
    public static func == (a: Layer, b: Layer) -> Bool { a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }

    public static let frame = Layer(rawValue: "frame")
    public static let eth = Layer(rawValue: "eth")
    public static let vlan = Layer(rawValue: "vlan")
    public static let sll = Layer(rawValue: "sll")
    public static let null = Layer(rawValue: "null")
    public static let ppp = Layer(rawValue: "ppp")
    public static let arp = Layer(rawValue: "arp")
    public static let ip = Layer(rawValue: "ip")
    public static let ipv6 = Layer(rawValue: "ipv6")
    public static let icmp = Layer(rawValue: "icmp")
    public static let icmpv6 = Layer(rawValue: "icmpv6")
    public static let igmp = Layer(rawValue: "igmp")
    public static let udp = Layer(rawValue: "udp")
    public static let tcp = Layer(rawValue: "tcp")
    public static let gre = Layer(rawValue: "gre")
    public static let esp = Layer(rawValue: "esp")
    public static let ah = Layer(rawValue: "ah")
    public static let teredo = Layer(rawValue: "teredo")
    public static let stun = Layer(rawValue: "stun")
    public static let classicstun = Layer(rawValue: "classicstun")
    public static let turnChannel = Layer(rawValue: "turn-channel")
    public static let dns = Layer(rawValue: "dns")
    public static let mdns = Layer(rawValue: "mdns")
    public static let llmnr = Layer(rawValue: "llmnr")
    public static let nbns = Layer(rawValue: "nbns")
    public static let dot = Layer(rawValue: "dot")
    public static let wireguard = Layer(rawValue: "wg")
    public static let openvpn = Layer(rawValue: "openvpn")
    public static let isakmp = Layer(rawValue: "isakmp")
    public static let l2tp = Layer(rawValue: "l2tp")
    public static let dhcp = Layer(rawValue: "dhcp")
    public static let dhcpv6 = Layer(rawValue: "dhcpv6")
    public static let tls = Layer(rawValue: "tls")
    public static let quic = Layer(rawValue: "quic")
    public static let http = Layer(rawValue: "http")
}
