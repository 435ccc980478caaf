import OutputText

/// A QUIC long-header packet (RFC 9000 17.2): version and connection IDs,
/// and for Initial packets the token length. The ClientHello inside a client
/// Initial is AES-128-GCM protected with keys derived from the DCID;
/// `clientInitialSNI()` removes that protection (QUICInitialCrypto, on
/// swift-crypto) on demand.
public struct QUICLongHeader {
    public let bytes: ByteView
    public let firstByte: UInt8
    public let version: UInt32
    public let destinationConnectionID: ByteView
    public let sourceConnectionID: ByteView
    public var problem: WireError?

    public init(_ bytes: ByteView) throws(WireError) {
        guard let b = bytes.integer(at: 0, as: UInt8.self), let v = bytes.integer(at: 1, as: UInt32.self), let dl = bytes.integer(at: 5, as: UInt8.self) else {
            throw .truncated(layer: .quic, offset: 0, needed: 6, available: bytes.count)
        }
        guard b & 0x80 != 0 else {
            throw .malformed(layer: .quic, offset: 0, reason: .init("not a long header"))
        }
        guard dl <= 20 || v == 0 else {
            throw .malformed(layer: .quic, offset: 5, reason: .init("connection ID longer than 20 bytes"))
        }
        guard let dcid = bytes.slice(6, Int(dl)), let sl = bytes.integer(at: 6 + Int(dl), as: UInt8.self),
              let scid = bytes.slice(7 + Int(dl), Int(sl)) else {
            throw .truncated(layer: .quic, offset: 6, needed: Int(dl) + 1, available: bytes.count - 6)
        }
        self.bytes = bytes
        firstByte = b
        version = v
        destinationConnectionID = dcid
        sourceConnectionID = scid
    }

    /// 0 Initial, 1 0-RTT, 2 Handshake, 3 Retry (v1 numbering; v2 rotates them).
    public var packetTypeBits: UInt8 {
        let t = (firstByte >> 4) & 3
        return version == 0x6B33_43CF ? (t &+ 3) & 3 : t
    }

    public var packetType: String {
        if version == 0 { return "version-negotiation" }
        switch packetTypeBits {
        case 0: return "initial"
        case 1: return "0-rtt"
        case 2: return "handshake"
        default: return "retry"
        }
    }

    /// Token length of an Initial (a variable-length integer after the SCID).
    public var tokenLength: UInt64? {
        guard version != 0, packetTypeBits == 0 else { return nil }
        return Self.varint(bytes, at: 7 + destinationConnectionID.count + sourceConnectionID.count)?.value
    }

    static func varint(_ b: ByteView, at o: Int) -> (value: UInt64, length: Int)? {
        guard let first = b.integer(at: o, as: UInt8.self) else { return nil }
        let n = 1 << Int(first >> 6)
        var v = UInt64(first & 0x3F)
        for i in 1..<n {
            guard let x = b.integer(at: o + i, as: UInt8.self) else { return nil }
            v = v << 8 | UInt64(x)
        }
        return (v, n)
    }

    /// Long header with the fixed bit, QUIC v1/v2 or a draft version, connection
    /// IDs of at most 20 bytes that fit.
    public static func isLikely(_ bytes: ByteView) -> Bool {
        guard let b = bytes.integer(at: 0, as: UInt8.self), b & 0xC0 == 0xC0, let h = try? QUICLongHeader(bytes) else { return false }
        return h.version == 1 || h.version == 0x6B33_43CF || h.version >> 8 == 0xFF0000
    }

    /// For an Initial, also decrypts it to read the SNI (see `clientInitialSNI()`).
    public func summary() -> QUICSummary {
        var sni: String?
        var note: String?
        if packetTypeBits == 0 && version != 0 {
            switch clientInitialSNI() {
            case .found(let name): sni = name
            case let other: note = other.note
            }
        }
        return QUICSummary(version: Hex.number(version), packetType: packetType,
                           dcid: Hex.string(destinationConnectionID.base), scid: Hex.string(sourceConnectionID.base),
                           tokenLength: tokenLength.map { Int(truncatingIfNeeded: $0) }, sni: sni, note: note)
    }
}

