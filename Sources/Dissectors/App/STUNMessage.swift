import OutputText

/// A STUN message (RFC 5389/8489, and classic RFC 3489 without the magic
/// cookie), read in place. `bytes` starts at the STUN header; bytes after
/// the message (`messageLength`) are ignored, so a TCP stream chunk works.
///
/// Only a header that cannot be read throws; an attribute area that is cut
/// short or has a length running past the end is recorded in `problem` and
/// the attributes before it stay readable.
public struct STUNMessage {
    public let bytes: ByteView
    /// The 16-bit message type as on the wire.
    public let messageType: UInt16
    /// The header's length field (attribute bytes, not counting the header).
    public let length: UInt16
    /// True when the magic cookie is absent (RFC 3489).
    public let isClassic: Bool
    public let transactionID: STUNTransactionID
    /// The first thing found wrong after the header, if any.
    public var problem: WireError?

    public static let magicCookie: UInt32 = 0x2112_A442
    public static let headerLength = 20

    /// Parses the header and walks the attributes once to find problems.
    /// Errors name `.classicstun` when the cookie is absent, else `.stun`.
    public init(_ bytes: ByteView) throws(WireError) {
        guard let type = bytes.integer(at: 0, as: UInt16.self), let length = bytes.integer(at: 2, as: UInt16.self),
              let hi = bytes.integer(at: 4, as: UInt64.self), let lo = bytes.integer(at: 12, as: UInt64.self)
        else {
            throw .truncated(layer: .stun, offset: 0, needed: Self.headerLength, available: bytes.count)
        }
        let classic = UInt32(truncatingIfNeeded: hi >> 32) != Self.magicCookie
        let layer: Layer = classic ? .classicstun : .stun
        guard type & 0xC000 == 0 else {
            throw .malformed(layer: layer, offset: 0, reason: .init("first two bits of the message type are not zero"))
        }
        self.bytes = bytes
        self.messageType = type
        self.length = length
        self.isClassic = classic
        self.transactionID = STUNTransactionID(hi: hi, lo: lo, classic: classic)
        self.problem = nil
        if Self.headerLength + Int(length) > bytes.count {
            problem = .truncated(layer: layer, offset: Self.headerLength,
                                 needed: Int(length), available: bytes.count - Self.headerLength)
        } else if !classic && length % 4 != 0 {
            problem = .malformed(layer: layer, offset: 2, reason: .init("message length is not a multiple of 4"))
        }
        var it = attributes.makeIterator()
        while it.next() != nil {}
        if let p = it.problem, problem == nil { problem = p }
    }

    /// The layer this message belongs to (`stun` or `classicstun`).
    public var layer: Layer { isClassic ? .classicstun : .stun }

    /// Header plus attributes, as the length field says.
    public var messageLength: Int { Self.headerLength + Int(length) }

    /// The 12-bit method (binding = 0x001 ...).
    public var method: UInt16 {
        (messageType & 0x000F) | ((messageType & 0x00E0) >> 1) | ((messageType & 0x3E00) >> 2)
    }

    public var messageClass: STUNClass {
        STUNClass(rawValue: UInt8(((messageType >> 7) & 2) | ((messageType >> 4) & 1))) ?? .request
    }

    /// The attributes, in order, up to the first one that does not fit.
    public var attributes: STUNAttributes {
        let end = min(messageLength, bytes.count)
        return STUNAttributes(bytes: bytes, end: end, key: transactionID, layer: layer)
    }

    /// The first attribute of a type, if present.
    public func attribute(_ type: STUNAttributeType) -> STUNAttribute? {
        for a in attributes where a.type == type { return a }
        return nil
    }

    public var xorMappedAddress: SocketAddress? {
        attribute(.xorMappedAddress)?.address ?? attribute(.xorMappedAddressDraft)?.address
    }
    public var mappedAddress: SocketAddress? { attribute(.mappedAddress)?.address }
    public var xorRelayedAddress: SocketAddress? { attribute(.xorRelayedAddress)?.address }
    public var xorPeerAddress: SocketAddress? { attribute(.xorPeerAddress)?.address }
    public var username: ByteView? { attribute(.username)?.value }
    public var software: ByteView? { attribute(.software)?.value }

    /// The address the server saw: XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS.
    public var reflexiveAddress: SocketAddress? { xorMappedAddress ?? mappedAddress }

    /// ICE checks carry USERNAME "remote-ufrag:local-ufrag"; this is the part before ':'.
    public var iceUfrag: ByteView? {
        guard let u = username else { return nil }
        for i in 0..<u.count where u.integer(at: i, as: UInt8.self) == UInt8(ascii: ":") { return u.prefix(i) }
        return nil
    }

    /// True when an ICE attribute (PRIORITY, USE-CANDIDATE, ICE-CONTROLLED/CONTROLLING) is present.
    public var isICECheck: Bool {
        for a in attributes {
            switch a.type {
            case .priority, .useCandidate, .iceControlled, .iceControlling: return true
            default: continue
            }
        }
        return false
    }

    /// nil without a FINGERPRINT attribute; else whether its CRC-32 matches.
    public var fingerprintValid: Bool? { attribute(.fingerprint)?.fingerprintValid }

    /// A plain RFC 5389 check usable without a port: first two bits zero,
    /// length a multiple of 4 and equal to the payload after the header, cookie.
    /// Over TCP the message starts a stream chunk, so the length only has to fit.
    public static func isLikely(_ bytes: ByteView, overTCP: Bool = false) -> Bool {
        guard let type = bytes.integer(at: 0, as: UInt16.self), let length = bytes.integer(at: 2, as: UInt16.self), let cookie = bytes.integer(at: 4, as: UInt32.self) else { return false }
        let fits = overTCP ? Int(length) + headerLength <= bytes.count : Int(length) + headerLength == bytes.count
        return type & 0xC000 == 0 && length % 4 == 0 && fits && cookie == magicCookie
    }

    /// RFC 3489 (no cookie) needs more: a known message type, exact length,
    /// and attributes of known types that walk exactly to the end.
    public static func isLikelyClassic(_ bytes: ByteView) -> Bool {
        guard let type = bytes.integer(at: 0, as: UInt16.self), let length = bytes.integer(at: 2, as: UInt16.self), bytes.integer(at: 4, as: UInt32.self) != magicCookie else { return false }
        switch type {
        case 0x0001, 0x0101, 0x0111, 0x0002, 0x0102, 0x0112: break
        default: return false
        }
        guard Int(length) + headerLength == bytes.count else { return false }
        var off = headerLength
        while off < bytes.count {
            guard let t = bytes.integer(at: off, as: UInt16.self), let l = bytes.integer(at: off + 2, as: UInt16.self) else { return false }
            switch t {
            case 0x0001...0x000B, 0x0020, 0x8020, 0x8022, 0x8023, 0x8028: break
            default: return false
            }
            off += 4 + Int(l)
        }
        return off == bytes.count
    }

    /// ICE-TCP (RFC 6544) frames STUN and media with RFC 4571's 2-byte length.
    /// Returns the framed message when the length fits and what follows is
    /// RFC 5389 STUN (or ChannelData); nil otherwise.
    public static func rfc4571Framed(_ bytes: ByteView) -> ByteView? {
        guard let length = bytes.integer(at: 0, as: UInt16.self), let inner = bytes.slice(2, Int(length)),
              isLikely(inner) || TURNChannelData.isLikely(inner) else { return nil }
        return inner
    }

    /// Either form of STUN.
    public static func isLikelyAny(_ bytes: ByteView) -> Bool { isLikely(bytes) || isLikelyClassic(bytes) }
}

/// The two class bits of a STUN message type.
public enum STUNClass: UInt8, Sendable {
    case request = 0, indication = 1, success = 2, error = 3

    public var name: String {
        switch self {
        case .request: "request"
        case .indication: "indication"
        case .success: "success"
        case .error: "error"
        }
    }
}

/// The 16 bytes after type and length: cookie + 96-bit ID (RFC 5389) or the
/// 128-bit ID (RFC 3489). Requests and responses pair by it; it is also the
/// XOR key of XOR-*-ADDRESS attributes.
public struct STUNTransactionID: Hashable, Sendable, CustomStringConvertible {
    /// Header bytes 4..<12 (cookie and the first 4 ID bytes for RFC 5389).
    public let hi: UInt64
    /// Header bytes 12..<20.
    public let lo: UInt64
    public let classic: Bool

    @inlinable public init(hi: UInt64, lo: UInt64, classic: Bool) {
        self.hi = hi
        self.lo = lo
        self.classic = classic
    }

    /// Hex of the ID: 24 digits (12 bytes) after the cookie, or 32 for classic.
    public var description: String {
        let all = Hex.digits(hi) + Hex.digits(lo)
        return classic ? all : String(all.dropFirst(8))
    }
}
