import CaptureFiles

/// An ICE server URL (RFC 7064/7065) as the probe is given it and as a candidate's
/// `url` names it: `stun:host[:port]`, `turn:host[:port]?transport=udp`,
/// `stuns:`/`turns:`; IPv6 in brackets. One parser for the probe (which names it
/// lets through the browser's resolver) and the join (which server a candidate came from).
public struct ICEServerURL: Equatable, Sendable {
    public var scheme: String
    /// Lower-case host name or address text, without brackets.
    public var host: String
    public var port: UInt16
    /// The host is an address literal.
    public var address: IPAddress?

    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        scheme = text[..<colon].lowercased()
        guard ["stun", "stuns", "turn", "turns"].contains(scheme) else { return nil }
        var rest = text[text.index(after: colon)...]
        if let q = rest.firstIndex(of: "?") { rest = rest[..<q] }
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let c = rest.lastIndex(of: ":") {
            host = String(rest[..<c])
            portText = rest[rest.index(after: c)...]
        } else {
            host = String(rest)
        }
        host = host.lowercased()
        guard !host.isEmpty else { return nil }
        if let portText {
            guard let p = UInt16(portText) else { return nil }
            port = p
        } else {
            port = scheme.hasSuffix("s") ? 5349 : 3478
        }
        address = IPAddress(parsing: host)
    }

    public var isTURN: Bool { scheme.hasPrefix("turn") }
    /// The host when it is a name to resolve (nil for address literals).
    public var hostName: String? { address == nil ? host : nil }
    public var hostPort: String { address.map { $0.isV4 ? "\(host):\(port)" : "[\(host)]:\(port)" } ?? "\(host):\(port)" }
}
