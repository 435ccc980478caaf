/// A QUIC long header (RFC 9000 17.2) as far as it is readable without
/// decryption: version and connection ids; `isInitial` for v1/v2 Initial packets.
public struct QUICLongHeader: Sendable, Hashable {
    public var version: UInt32
    /// Long packet type bits (v1: 0 Initial, 1 0-RTT, 2 Handshake, 3 Retry).
    public var packetType: UInt8
    public var destinationConnectionID: ByteRange
    public var sourceConnectionID: ByteRange

    public var isInitial: Bool {
        switch version {
        case 1: packetType == 0
        case 0x6B33_43CF: packetType == 1  // QUIC v2 (RFC 9369) Initial
        default: false
        }
    }

    /// Nil unless the bytes carry a long header with the fixed bit and sane connection id lengths.
    public init?(_ p: ByteView) {
        guard let b0 = p.u8(0), b0 & 0xC0 == 0xC0, let v = p.u32be(1), v != 0,
              let dl = p.u8(5), dl <= 20, let sl = p.u8(6 + Int(dl)), sl <= 20,
              p.count >= 7 + Int(dl) + Int(sl) + 1 else { return nil }
        version = v
        packetType = (b0 >> 4) & 3
        destinationConnectionID = ByteRange(offset: 6, count: Int(dl))
        sourceConnectionID = ByteRange(offset: 7 + Int(dl), count: Int(sl))
    }
}

/// Offset and length of a field inside a layer's bytes (no copy).
public struct ByteRange: Sendable, Hashable {
    public var offset: Int
    public var count: Int
    public init(offset: Int, count: Int) { self.offset = offset; self.count = count }
}
