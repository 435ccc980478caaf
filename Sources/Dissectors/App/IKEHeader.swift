import OutputText

/// The ISAKMP/IKE header shared by IKEv1 (RFC 2408) and IKEv2 (RFC 7296):
/// initiator and responder SPIs, next payload, version, exchange type,
/// flags, message ID and total length (28 bytes).
public struct IKEHeader {
    public let bytes: ByteView
    public let initiatorSPI: UInt64
    public let responderSPI: UInt64
    public let nextPayload: UInt8
    public let majorVersion: UInt8
    public let minorVersion: UInt8
    public let exchangeType: UInt8
    public let flags: UInt8
    public let messageID: UInt32
    public let length: UInt32
    public var problem: WireError?

    public static let headerLength = 28

    public init(_ bytes: ByteView) throws(WireError) {
        guard let ispi = bytes.integer(at: 0, as: UInt64.self), let rspi = bytes.integer(at: 8, as: UInt64.self), let np = bytes.integer(at: 16, as: UInt8.self), let v = bytes.integer(at: 17, as: UInt8.self),
              let x = bytes.integer(at: 18, as: UInt8.self), let f = bytes.integer(at: 19, as: UInt8.self), let mid = bytes.integer(at: 20, as: UInt32.self), let len = bytes.integer(at: 24, as: UInt32.self)
        else {
            throw .truncated(layer: .isakmp, offset: 0, needed: Self.headerLength, available: bytes.count)
        }
        guard v >> 4 == 1 || v >> 4 == 2 else {
            throw .malformed(layer: .isakmp, offset: 17, reason: .init("major version is not 1 or 2"))
        }
        self.bytes = bytes
        initiatorSPI = ispi
        responderSPI = rspi
        nextPayload = np
        majorVersion = v >> 4
        minorVersion = v & 0xF
        exchangeType = x
        flags = f
        messageID = mid
        length = len
        if Int(len) > bytes.count {
            problem = .truncated(layer: .isakmp, offset: 24, needed: Int(len), available: bytes.count)
        } else if Int(len) < Self.headerLength {
            problem = .malformed(layer: .isakmp, offset: 24, reason: .init("length shorter than the header"))
        }
    }

    /// IKEv2 I flag (0x08): sent by the original initiator.
    public var isInitiator: Bool { majorVersion == 2 && flags & 0x08 != 0 }
    /// IKEv2 R flag (0x20): a response.
    public var isResponse: Bool { majorVersion == 2 && flags & 0x20 != 0 }

    /// `IKE_SA_INIT request`, `IKE_AUTH response`, `Identity Protection (Main Mode)` ...
    public var messageName: String {
        if majorVersion == 2 {
            let x: String
            switch exchangeType {
            case 34: x = "IKE_SA_INIT"
            case 35: x = "IKE_AUTH"
            case 36: x = "CREATE_CHILD_SA"
            case 37: x = "INFORMATIONAL"
            case 38: x = "IKE_SESSION_RESUME"
            case 43: x = "IKE_INTERMEDIATE"
            case 44: x = "IKE_FOLLOWUP_KE"
            default: x = "exchange \(exchangeType)"
            }
            return x + (isResponse ? " response" : " request")
        }
        switch exchangeType {
        case 1: return "Base"
        case 2: return "Identity Protection (Main Mode)"
        case 3: return "Authentication Only"
        case 4: return "Aggressive"
        case 5: return "Informational"
        case 32: return "Quick Mode"
        case 33: return "New Group Mode"
        default: return "exchange \(exchangeType)"
        }
    }

    /// Version 1 or 2, a non-zero initiator SPI, an exchange type in use and
    /// a length equal to the payload.
    public static func isLikely(_ bytes: ByteView) -> Bool {
        guard let h = try? IKEHeader(bytes), h.problem == nil, Int(h.length) == bytes.count,
              h.initiatorSPI != 0 else { return false }
        if h.majorVersion == 2 { return (34...44).contains(h.exchangeType) && h.minorVersion == 0 }
        return (1...5).contains(h.exchangeType) || h.exchangeType == 32 || h.exchangeType == 33
    }

    public func summary() -> CarrierSummary {
        var s = CarrierSummary(protocol: "ike", message: messageName)
        s.version = "\(majorVersion).\(minorVersion)"
        s.exchangeType = Int(exchangeType)
        s.initiatorSPI = Hex.number(initiatorSPI)
        s.responderSPI = Hex.number(responderSPI)
        s.messageID = messageID
        s.length = Int(length)
        return s
    }
}
