/// One ICE candidate as an SDP `candidate:` attribute line carries it
/// (RFC 8839 section 5.1), e.g.
/// `candidate:842163049 1 udp 1677729535 198.51.100.2 40000 typ srflx raddr 0.0.0.0 rport 0 generation 0`.
public struct ICECandidate: Sendable, Equatable, Codable {
    public var foundation: String
    public var component: Int
    public var transport: String        // "udp" / "tcp", lower-cased
    public var priority: UInt32
    public var address: String          // IP literal or an mDNS name ("UUID.local")
    public var port: Int
    public var type: String             // host / srflx / prflx / relay
    public var relatedAddress: String?
    public var relatedPort: Int?
    public var tcpType: String?         // active / passive / so
    /// Extension attributes after the known ones, in order (generation, ufrag, network-id, ...).
    public var extensions: [Extension]

    public struct Extension: Sendable, Equatable, Codable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    public init(foundation: String, component: Int, transport: String, priority: UInt32,
                address: String, port: Int, type: String, relatedAddress: String? = nil,
                relatedPort: Int? = nil, tcpType: String? = nil, extensions: [Extension] = []) {
        self.foundation = foundation; self.component = component; self.transport = transport
        self.priority = priority; self.address = address; self.port = port; self.type = type
        self.relatedAddress = relatedAddress; self.relatedPort = relatedPort; self.tcpType = tcpType
        self.extensions = extensions
    }

    /// True when the address is an mDNS name rather than an IP literal.
    public var isMDNSName: Bool { address.lowercased().hasSuffix(".local") }

    public func extensionValue(_ name: String) -> String? {
        extensions.first { $0.name == name }?.value
    }
}

/// Why a candidate line could not be parsed: which field, at which token.
public struct CandidateParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var token: Int
    public var reason: String
    public var description: String { "candidate line: \(field) (token \(token)): \(reason)" }
}

extension ICECandidate {
    /// Longest line accepted; real ones are well under 300 bytes.
    public static let maxLineLength = 1024

    /// Parses `candidate:...` or `a=candidate:...` (the prefix is optional).
    public init(parsing line: String) throws(CandidateParseError) {
        var text = Substring(line)
        guard text.utf8.count <= Self.maxLineLength else {
            throw CandidateParseError(field: "line", token: 0, reason: "longer than \(Self.maxLineLength) bytes")
        }
        while let last = text.last, last == "\r" || last == "\n" || last == " " { text = text.dropLast() }
        if text.hasPrefix("a=") { text = text.dropFirst(2) }
        guard text.hasPrefix("candidate:") else {
            throw CandidateParseError(field: "prefix", token: 0, reason: "does not start with candidate:")
        }
        text = text.dropFirst("candidate:".count)
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true)
        guard tokens.count >= 8 else {
            throw CandidateParseError(field: "line", token: tokens.count, reason: "needs at least 8 fields, has \(tokens.count)")
        }
        func field(_ i: Int, _ name: String) -> Substring { tokens[i] }
        let foundation = String(tokens[0])
        guard (1...32).contains(foundation.utf8.count) else {
            throw CandidateParseError(field: "foundation", token: 0, reason: "must be 1 to 32 characters")
        }
        guard let component = Int(tokens[1]), (1...256).contains(component) else {
            throw CandidateParseError(field: "component-id", token: 1, reason: "not an integer 1...256")
        }
        let transport = tokens[2].lowercased()
        guard let priority = UInt32(tokens[3]) else {
            throw CandidateParseError(field: "priority", token: 3, reason: "not a 32-bit unsigned integer")
        }
        let address = String(tokens[4])
        guard let port = Int(tokens[5]), (0...65535).contains(port) else {
            throw CandidateParseError(field: "port", token: 5, reason: "not a port number")
        }
        guard tokens[6] == "typ" else {
            throw CandidateParseError(field: "typ", token: 6, reason: "expected the keyword typ")
        }
        let type = tokens[7].lowercased()
        self.init(foundation: foundation, component: component, transport: transport, priority: priority,
                  address: address, port: port, type: type)
        var i = 8
        while i < tokens.count {
            let name = tokens[i]
            guard i + 1 < tokens.count else {
                throw CandidateParseError(field: String(name), token: i, reason: "has no value")
            }
            let value = tokens[i + 1]
            switch name {
            case "raddr": relatedAddress = String(value)
            case "rport":
                guard let p = Int(value), (0...65535).contains(p) else {
                    throw CandidateParseError(field: "rport", token: i + 1, reason: "not a port number")
                }
                relatedPort = p
            case "tcptype": tcpType = String(value)
            default: extensions.append(Extension(name: String(name), value: String(value)))
            }
            i += 2
        }
    }
}
