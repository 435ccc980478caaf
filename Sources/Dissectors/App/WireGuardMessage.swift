import OutputText

/// A WireGuard message (whitepaper 5.4): type byte 1-4, three reserved zero
/// bytes, then fixed layouts. Indices and the counter are little-endian.
public struct WireGuardMessage {
    public let bytes: ByteView
    public let type: WireGuardMessageType
    public var problem: WireError?

    public init(_ bytes: ByteView) throws(WireError) {
        guard let t = bytes.integer(at: 0, as: UInt8.self), let reserved = bytes.integer(at: 0, as: UInt32.self) else {
            throw .truncated(layer: .wireguard, offset: 0, needed: 4, available: bytes.count)
        }
        guard let type = WireGuardMessageType(rawValue: t) else {
            throw .malformed(layer: .wireguard, offset: 0, reason: .init("message type not 1-4"))
        }
        guard reserved & 0x00FF_FFFF == 0 else {
            throw .malformed(layer: .wireguard, offset: 1, reason: .init("reserved bytes are not zero"))
        }
        self.bytes = bytes
        self.type = type
        if type == .transportData {
            if bytes.count < type.size {
                problem = .truncated(layer: .wireguard, offset: 0, needed: type.size, available: bytes.count)
            }
        } else if bytes.count != type.size {
            problem = bytes.count < type.size
                ? .truncated(layer: .wireguard, offset: 0, needed: type.size, available: bytes.count)
                : .malformed(layer: .wireguard, offset: type.size, reason: .init("message longer than its type's fixed size"))
        }
    }

    /// Initiation and response: the sender's index.
    public var senderIndex: UInt32? {
        switch type {
        case .handshakeInitiation, .handshakeResponse: bytes.integer(at: 4, endianness: .little, as: UInt32.self)
        default: nil
        }
    }

    /// Response, cookie reply and data: the receiver's index.
    public var receiverIndex: UInt32? {
        switch type {
        case .handshakeResponse: bytes.integer(at: 8, endianness: .little, as: UInt32.self)
        case .cookieReply, .transportData: bytes.integer(at: 4, endianness: .little, as: UInt32.self)
        default: nil
        }
    }

    /// Transport data nonce counter.
    public var counter: UInt64? { type == .transportData ? bytes.integer(at: 8, endianness: .little, as: UInt64.self) : nil }

    /// Type 1-4, reserved zero, and the exact size (>= 32 for data).
    public static func isLikely(_ bytes: ByteView) -> Bool {
        guard let t = bytes.integer(at: 0, as: UInt8.self), let w = bytes.integer(at: 0, as: UInt32.self), w & 0x00FF_FFFF == 0,
              let type = WireGuardMessageType(rawValue: t) else { return false }
        return type == .transportData ? bytes.count >= type.size : bytes.count == type.size
    }

    public func summary() -> CarrierSummary {
        var s = CarrierSummary(protocol: "wireguard", message: type.name)
        s.senderIndex = senderIndex.map { Hex.number($0) }
        s.receiverIndex = receiverIndex.map { Hex.number($0) }
        s.counter = counter
        if type == .transportData { s.length = bytes.count }
        return s
    }
}

public enum WireGuardMessageType: UInt8, Sendable {
    case handshakeInitiation = 1, handshakeResponse = 2, cookieReply = 3, transportData = 4

    /// Fixed size (minimum for transport data: header + empty AEAD tag).
    public var size: Int {
        switch self {
        case .handshakeInitiation: 148
        case .handshakeResponse: 92
        case .cookieReply: 64
        case .transportData: 32
        }
    }

    public var name: String {
        switch self {
        case .handshakeInitiation: "handshake-initiation"
        case .handshakeResponse: "handshake-response"
        case .cookieReply: "cookie-reply"
        case .transportData: "transport-data"
        }
    }
}
