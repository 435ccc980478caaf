import OutputText

/// The decoded, output-ready form of a STUN message (see docs/protocols.md).
public struct STUNSummary: Encodable, Equatable, Sendable {
    public var type: Int
    public var method: String
    public var messageClass: String
    public var transactionID: String
    public var classic: Bool
    public var attributes: [STUNAttributeSummary]

    enum CodingKeys: String, CodingKey {
        case type, method, messageClass = "class", transactionID = "transaction_id", classic, attributes
    }
}

public struct STUNAttributeSummary: Encodable, Equatable, Sendable {
    public var type: Int
    public var name: String
    public var address: String?
    public var port: Int?
    public var value: String?
    /// Only when true: the attribute's length ran past the message, the
    /// other keys show what the bytes present decode to.
    public var truncated: Bool?
}

extension STUNMessage {
    /// Method name for the 12-bit method, or `0x…` for an unknown one.
    public static func methodName(_ method: UInt16) -> String {
        switch method {
        case 0x001: "binding"
        case 0x002: "shared-secret"
        case 0x003: "allocate"
        case 0x004: "refresh"
        case 0x006: "send"
        case 0x007: "data"
        case 0x008: "create-permission"
        case 0x009: "channel-bind"
        case 0x00A: "connect"
        case 0x00B: "connection-bind"
        case 0x00C: "connection-attempt"
        case 0x080: "goog-ping"
        default: Hex.number(method, count: 3)
        }
    }

    public func summary() -> STUNSummary {
        STUNSummary(
            type: Int(messageType), method: Self.methodName(method), messageClass: messageClass.name,
            transactionID: transactionID.description, classic: isClassic,
            attributes: attributes.map { $0.summary() })
    }
}

extension STUNAttribute {
    /// Longest value shown as hex for opaque attributes.
    static let maxHexShown = 64

    public func summary() -> STUNAttributeSummary {
        var s = STUNAttributeSummary(type: Int(type.rawValue), name: type.name ?? Hex.number(type.rawValue))
        if isTruncated { s.truncated = true }
        if type.isAddress {
            if let a = address {
                s.address = a.address.description
                s.port = Int(a.port)
            } else {
                s.value = "malformed address"
            }
            return s
        }
        s.value = valueText
        return s
    }

    /// Text for a non-address attribute's value; nil when it has none.
    var valueText: String? {
        switch type {
        case .username, .software, .realm, .nonce, .password, .alternateDomain, .thirdPartyAuthorization:
            return AppText.text(value)
        case .errorCode:
            guard let code = errorCode else { return "malformed" }
            let reason = errorReason.map { AppText.text($0) } ?? ""
            return reason.isEmpty ? "\(code)" : "\(code) \(reason)"
        case .lifetime, .priority, .cacheTimeout:
            return u32.map { "\($0)" } ?? "malformed"
        case .requestedTransport:
            switch requestedTransport {
            case 17: return "UDP"
            case 6: return "TCP"
            case let p?: return "\(p)"
            case nil: return "malformed"
            }
        case .requestedAddressFamily, .additionalAddressFamily:
            switch value.integer(at: 0, as: UInt8.self) {
            case 1: return "IPv4"
            case 2: return "IPv6"
            case let f?: return "\(f)"
            case nil: return "malformed"
            }
        case .fingerprint:
            guard let v = u32, let ok = fingerprintValid else { return "malformed" }
            return Hex.number(v) + (ok ? " ok" : " bad")
        case .iceControlled, .iceControlling:
            return value.integer(at: 0, as: UInt64.self).map { Hex.number($0) } ?? "malformed"
        case .channelNumber:
            return channelNumber.map { Hex.number($0) } ?? "malformed"
        case .changeRequest:
            guard let f = value.integer(at: 0, as: UInt32.self) else { return "malformed" }
            var parts: [String] = []
            if f & 4 != 0 { parts.append("change-ip") }
            if f & 2 != 0 { parts.append("change-port") }
            return parts.isEmpty ? "none" : parts.joined(separator: " ")
        case .useCandidate, .dontFragment:
            return nil
        case .data, .padding:
            return "\(value.count) bytes"
        case .unknownAttributes:
            var parts: [String] = []
            var i = 0
            while let t = value.integer(at: i, as: UInt16.self), parts.count < 32 { parts.append(Hex.number(t)); i += 2 }
            return parts.joined(separator: " ")
        default:
            if value.count == 0 { return nil }
            let shown = Hex.string(value.prefix(Self.maxHexShown).base)
            return value.count > Self.maxHexShown ? shown + "…" : shown
        }
    }
}
