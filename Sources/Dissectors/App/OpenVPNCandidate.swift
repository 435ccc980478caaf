import CaptureFiles

/// A UDP payload the dispatcher did not decode, read as if it were a
/// mid-session OpenVPN packet (docs/protocols.md, "OpenVPN candidates"). It
/// decodes, never judges: one datagram's bytes fit these fields by chance
/// often (a first byte is a valid opcode 5 times in 32); only a flow that keeps
/// them consistent in both directions is OpenVPN, and that is the carrier rule
/// `openvpn-structure`'s call (Correlation/CarrierRules.swift).
///
/// Read, by opcode (high 5 bits of byte 0; key id the low 3 bits):
/// - P_DATA_V2 (9): the 24-bit peer id (bytes 1-3) and the AEAD packet id (bytes 4-7);
/// - P_DATA_V1 (6): the AEAD packet id (bytes 1-4);
/// - P_CONTROL_V1 (4), P_ACK_V1 (5), P_CONTROL_SOFT_RESET_V1 (3): the 8-byte session id
///   (bytes 1-8), then the replay packet id and time where tls-crypt (bytes 9-16) or
///   tls-auth with an HMAC of 16, 20, 28, 32, 48 or 64 bytes (after the HMAC) put them,
///   and whether the bytes fit the layout without either (an ACK array of at most 8
///   ids; a P_ACK_V1 of exactly that length; a TLS record after a P_CONTROL_V1's message id).
/// Hard resets are not candidates: the dispatcher decodes those itself (`OpenVPNPacket.isLikely`).
/// Plain values only: no view outlives the packet.
public struct OpenVPNCandidate: Sendable, Equatable {
    public var opcode: UInt8
    public var keyID: UInt8
    /// Payload bytes in the capture.
    public var captured: Int
    /// Control packets: the sender's session id.
    public var sessionID: UInt64 = 0
    /// P_DATA_V2: the peer id.
    public var peerID: UInt32 = 0
    /// Data packets: the 32-bit word where AEAD ciphers put the packet id (0 when not captured).
    public var dataPacketID: UInt32 = 0
    /// Control packets: packet id and time at each layout of `controlLayouts`; bit i of
    /// `readable` says layout i was captured. Lanes beyond the layouts stay 0.
    public var layoutPacketIDs = SIMD8<UInt32>()
    public var layoutTimes = SIMD8<UInt32>()
    public var readable: UInt8 = 0
    /// Control packets: the bytes fit the layout without tls-auth or tls-crypt.
    public var fitsPlain = false

    /// Offsets of the replay packet id for tls-crypt (right after the session id) and for
    /// tls-auth with each HMAC size OpenVPN's `auth` digests give (MD5 ... SHA512); the time follows it.
    public static let controlLayouts: [(name: String, packetIDOffset: Int)] = [
        ("tls-crypt", 9), ("tls-auth HMAC 20 bytes", 29), ("tls-auth HMAC 32 bytes", 41), ("tls-auth HMAC 64 bytes", 73),
        ("tls-auth HMAC 16 bytes", 25), ("tls-auth HMAC 28 bytes", 37), ("tls-auth HMAC 48 bytes", 57),
    ]

    public static let softReset: UInt8 = 3, control: UInt8 = 4, ack: UInt8 = 5, dataV1: UInt8 = 6, dataV2: UInt8 = 9

    /// Nil when byte 0 is no mid-session opcode or the packet is too short for its fixed fields.
    @inlinable public init?(_ p: ByteView) {
        guard let b = p.integer(at: 0, as: UInt8.self) else { return nil }
        let op = b >> 3
        opcode = op
        keyID = b & 7
        captured = p.count
        switch op {
        case Self.dataV2:
            guard let w = p.integer(at: 0, as: UInt32.self) else { return nil }
            peerID = w & 0x00FF_FFFF
            dataPacketID = p.integer(at: 4, as: UInt32.self) ?? 0
        case Self.dataV1:
            guard p.count >= 5 else { return nil }
            dataPacketID = p.integer(at: 1, as: UInt32.self) ?? 0
        case Self.softReset, Self.control, Self.ack:
            guard let s = p.integer(at: 1, as: UInt64.self) else { return nil }
            sessionID = s
            readControl(p)
        default:
            return nil
        }
    }

    @inlinable mutating func readControl(_ p: ByteView) {
        for (i, l) in Self.controlLayouts.enumerated() {
            guard let id = p.integer(at: l.packetIDOffset, as: UInt32.self), let t = p.integer(at: l.packetIDOffset + 4, as: UInt32.self) else { continue }
            layoutPacketIDs[i] = id
            layoutTimes[i] = t
            readable |= 1 << i
        }
        // Without tls-auth: ACK count (at most 8, OpenVPN's RELIABLE_ACK_SIZE), the ids, the peer's
        // session id when there are any, then (not for P_ACK_V1) the message packet id and TLS data.
        guard let n = p.integer(at: 9, as: UInt8.self), n <= 8 else { return }
        let end = 10 + 4 * Int(n) + (n > 0 ? 8 : 0)
        if opcode == Self.ack {
            fitsPlain = n > 0 && p.count == end
        } else if opcode == Self.control {
            // A TLS record: content type 20-23, version 3.x.
            guard let type = p.integer(at: end + 4, as: UInt8.self), let major = p.integer(at: end + 5, as: UInt8.self) else { return }
            fitsPlain = (20...23).contains(type) && major == 3
        } else {
            fitsPlain = p.count >= end + 4
        }
    }
}
