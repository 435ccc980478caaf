import OutputText

/// An OpenVPN packet: opcode in the high 5 bits and key ID in the low 3 bits
/// of the first byte; control packets then carry an 8-byte session ID,
/// P_DATA_V2 a 3-byte peer ID. Over TCP each packet follows a 2-byte length.
public struct OpenVPNPacket {
    /// The packet from its opcode byte (after the TCP length, if any).
    public let bytes: ByteView
    public let opcode: OpenVPNOpcode
    public let keyID: UInt8
    /// The TCP framing length when parsed with `overTCP`.
    public let tcpLength: UInt16?
    public var problem: WireError?

    public init(_ payload: ByteView, overTCP: Bool = false) throws(WireError) {
        var packet = payload
        var tcpLength: UInt16?
        if overTCP {
            guard let l = payload.integer(at: 0, as: UInt16.self), let rest = payload.suffix(from: 2) else {
                throw .truncated(layer: .openvpn, offset: 0, needed: 2, available: payload.count)
            }
            tcpLength = l
            packet = rest
        }
        let base = overTCP ? 2 : 0
        guard let b = packet.integer(at: 0, as: UInt8.self) else {
            throw .truncated(layer: .openvpn, offset: base, needed: 1, available: 0)
        }
        guard let op = OpenVPNOpcode(rawValue: b >> 3) else {
            throw .malformed(layer: .openvpn, offset: base, reason: .init("unknown opcode"))
        }
        self.bytes = packet
        self.opcode = op
        self.keyID = b & 0x07
        self.tcpLength = tcpLength
        if let l = tcpLength, Int(l) > packet.count {
            problem = .truncated(layer: .openvpn, offset: 2, needed: Int(l), available: packet.count)
        } else if op.isControl, packet.count < 9 {
            problem = .truncated(layer: .openvpn, offset: base + 1, needed: 8, available: packet.count - 1)
        } else if op == .dataV2, packet.count < 4 {
            problem = .truncated(layer: .openvpn, offset: base + 1, needed: 3, available: packet.count - 1)
        }
    }

    /// The sender's session ID (control and ACK packets).
    public var sessionID: UInt64? { opcode.isControl ? bytes.integer(at: 1, as: UInt64.self) : nil }

    /// P_DATA_V2 peer ID (24 bits).
    public var peerID: UInt32? {
        guard opcode == .dataV2, let w = bytes.integer(at: 0, as: UInt32.self) else { return nil }
        return w & 0x00FF_FFFF
    }

    /// Structural recognition without a port. Over TCP: a known opcode and a
    /// length field equal to the rest of the payload. Over UDP only the session
    /// start is distinctive: a hard-reset opcode with key ID 0, a session ID
    /// and room for at least a packet ID.
    public static func isLikely(_ bytes: ByteView, overTCP: Bool = false) -> Bool {
        if overTCP {
            guard let l = bytes.integer(at: 0, as: UInt16.self), Int(l) + 2 == bytes.count, let b = bytes.integer(at: 2, as: UInt8.self),
                  let op = OpenVPNOpcode(rawValue: b >> 3) else { return false }
            return op.isControl ? l >= 9 : l >= 1
        }
        guard let b = bytes.integer(at: 0, as: UInt8.self), let op = OpenVPNOpcode(rawValue: b >> 3), b & 7 == 0 else { return false }
        switch op {
        case .hardResetClientV1, .hardResetServerV1, .hardResetClientV2, .hardResetServerV2, .hardResetClientV3:
            return bytes.count >= 14 && bytes.count <= 1600
        default:
            return false
        }
    }

    public func summary() -> CarrierSummary {
        var s = CarrierSummary(protocol: "openvpn", message: opcode.name)
        s.opcode = Int(opcode.rawValue)
        s.keyID = Int(keyID)
        s.sessionID = sessionID.map { Hex.number($0) }
        s.peerID = peerID.map { Int($0) }
        s.length = bytes.count
        return s
    }
}

public enum OpenVPNOpcode: UInt8, Sendable {
    case hardResetClientV1 = 1, hardResetServerV1 = 2, softResetV1 = 3, controlV1 = 4, ackV1 = 5, dataV1 = 6
    case hardResetClientV2 = 7, hardResetServerV2 = 8, dataV2 = 9, hardResetClientV3 = 10, controlWKCV1 = 11

    /// Packets that carry a session ID (everything but data).
    public var isControl: Bool { self != .dataV1 && self != .dataV2 }

    public var name: String {
        switch self {
        case .hardResetClientV1: "P_CONTROL_HARD_RESET_CLIENT_V1"
        case .hardResetServerV1: "P_CONTROL_HARD_RESET_SERVER_V1"
        case .softResetV1: "P_CONTROL_SOFT_RESET_V1"
        case .controlV1: "P_CONTROL_V1"
        case .ackV1: "P_ACK_V1"
        case .dataV1: "P_DATA_V1"
        case .hardResetClientV2: "P_CONTROL_HARD_RESET_CLIENT_V2"
        case .hardResetServerV2: "P_CONTROL_HARD_RESET_SERVER_V2"
        case .dataV2: "P_DATA_V2"
        case .hardResetClientV3: "P_CONTROL_HARD_RESET_CLIENT_V3"
        case .controlWKCV1: "P_CONTROL_WKC_V1"
        }
    }
}
