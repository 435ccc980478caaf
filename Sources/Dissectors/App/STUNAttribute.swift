/// STUN attribute type numbers (RFC 5389/8489, 5766/8656, 8445, 3489).
public struct STUNAttributeType: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    @inlinable public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let mappedAddress = Self(0x0001)
    public static let responseAddress = Self(0x0002)
    public static let changeRequest = Self(0x0003)
    public static let sourceAddress = Self(0x0004)
    public static let changedAddress = Self(0x0005)
    public static let username = Self(0x0006)
    public static let password = Self(0x0007)
    public static let messageIntegrity = Self(0x0008)
    public static let errorCode = Self(0x0009)
    public static let unknownAttributes = Self(0x000A)
    public static let reflectedFrom = Self(0x000B)
    public static let channelNumber = Self(0x000C)
    public static let lifetime = Self(0x000D)
    public static let xorPeerAddress = Self(0x0012)
    public static let data = Self(0x0013)
    public static let realm = Self(0x0014)
    public static let nonce = Self(0x0015)
    public static let xorRelayedAddress = Self(0x0016)
    public static let requestedAddressFamily = Self(0x0017)
    public static let evenPort = Self(0x0018)
    public static let requestedTransport = Self(0x0019)
    public static let dontFragment = Self(0x001A)
    public static let messageIntegritySHA256 = Self(0x001C)
    public static let passwordAlgorithm = Self(0x001D)
    public static let userhash = Self(0x001E)
    public static let xorMappedAddress = Self(0x0020)
    public static let reservationToken = Self(0x0022)
    public static let priority = Self(0x0024)
    public static let useCandidate = Self(0x0025)
    public static let padding = Self(0x0026)
    public static let responsePort = Self(0x0027)
    public static let connectionID = Self(0x002A)
    public static let additionalAddressFamily = Self(0x8000)
    public static let addressErrorCode = Self(0x8001)
    public static let passwordAlgorithms = Self(0x8002)
    public static let alternateDomain = Self(0x8003)
    public static let icmp = Self(0x8004)
    /// Pre-RFC drafts (and some classic servers) used 0x8020 for XOR-MAPPED-ADDRESS.
    public static let xorMappedAddressDraft = Self(0x8020)
    public static let software = Self(0x8022)
    public static let alternateServer = Self(0x8023)
    public static let transactionTransmitCounter = Self(0x8025)
    public static let cacheTimeout = Self(0x8027)
    public static let fingerprint = Self(0x8028)
    public static let iceControlled = Self(0x8029)
    public static let iceControlling = Self(0x802A)
    public static let responseOrigin = Self(0x802B)
    public static let otherAddress = Self(0x802C)
    public static let ecnCheck = Self(0x802D)
    public static let thirdPartyAuthorization = Self(0x802E)
    public static let mobilityTicket = Self(0x8030)
    public static let googNetworkInfo = Self(0xC057)

    /// Upper-case RFC name, or nil for a type this parser does not know.
    public var name: String? {
        switch rawValue {
        case 0x0001: "MAPPED-ADDRESS"
        case 0x0002: "RESPONSE-ADDRESS"
        case 0x0003: "CHANGE-REQUEST"
        case 0x0004: "SOURCE-ADDRESS"
        case 0x0005: "CHANGED-ADDRESS"
        case 0x0006: "USERNAME"
        case 0x0007: "PASSWORD"
        case 0x0008: "MESSAGE-INTEGRITY"
        case 0x0009: "ERROR-CODE"
        case 0x000A: "UNKNOWN-ATTRIBUTES"
        case 0x000B: "REFLECTED-FROM"
        case 0x000C: "CHANNEL-NUMBER"
        case 0x000D: "LIFETIME"
        case 0x0012: "XOR-PEER-ADDRESS"
        case 0x0013: "DATA"
        case 0x0014: "REALM"
        case 0x0015: "NONCE"
        case 0x0016: "XOR-RELAYED-ADDRESS"
        case 0x0017: "REQUESTED-ADDRESS-FAMILY"
        case 0x0018: "EVEN-PORT"
        case 0x0019: "REQUESTED-TRANSPORT"
        case 0x001A: "DONT-FRAGMENT"
        case 0x001C: "MESSAGE-INTEGRITY-SHA256"
        case 0x001D: "PASSWORD-ALGORITHM"
        case 0x001E: "USERHASH"
        case 0x0020: "XOR-MAPPED-ADDRESS"
        case 0x0022: "RESERVATION-TOKEN"
        case 0x0024: "PRIORITY"
        case 0x0025: "USE-CANDIDATE"
        case 0x0026: "PADDING"
        case 0x0027: "RESPONSE-PORT"
        case 0x002A: "CONNECTION-ID"
        case 0x8000: "ADDITIONAL-ADDRESS-FAMILY"
        case 0x8001: "ADDRESS-ERROR-CODE"
        case 0x8002: "PASSWORD-ALGORITHMS"
        case 0x8003: "ALTERNATE-DOMAIN"
        case 0x8004: "ICMP"
        case 0x8020: "XOR-MAPPED-ADDRESS"
        case 0x8022: "SOFTWARE"
        case 0x8023: "ALTERNATE-SERVER"
        case 0x8025: "TRANSACTION-TRANSMIT-COUNTER"
        case 0x8027: "CACHE-TIMEOUT"
        case 0x8028: "FINGERPRINT"
        case 0x8029: "ICE-CONTROLLED"
        case 0x802A: "ICE-CONTROLLING"
        case 0x802B: "RESPONSE-ORIGIN"
        case 0x802C: "OTHER-ADDRESS"
        case 0x802D: "ECN-CHECK"
        case 0x802E: "THIRD-PARTY-AUTHORIZATION"
        case 0x8030: "MOBILITY-TICKET"
        case 0xC057: "GOOG-NETWORK-INFO"
        default: nil
        }
    }

    /// Attributes whose value is an address (plain or XOR-ed).
    public var isAddress: Bool {
        switch rawValue {
        case 0x0001, 0x0002, 0x0004, 0x0005, 0x000B, 0x8023, 0x802B, 0x802C: true
        default: isXORAddress
        }
    }

    /// Attributes whose address is XOR-ed with the cookie and transaction ID.
    public var isXORAddress: Bool {
        switch rawValue {
        case 0x0012, 0x0016, 0x0020, 0x8020: true
        default: false
        }
    }
}

/// One attribute: its type, its value (without padding) and where it sits.
public struct STUNAttribute {
    public let type: STUNAttributeType
    /// The value bytes, `length` long (padding excluded).
    public let value: ByteView
    /// Offset of the attribute's 4-byte header from the start of the message.
    public let offset: Int
    /// The message the attribute belongs to (for FINGERPRINT/INTEGRITY coverage).
    public let message: ByteView
    /// The XOR key (header bytes 4..<20).
    public let key: STUNTransactionID
    /// True for a last attribute whose length ran past the message: `value`
    /// holds only the bytes present (the message's `problem` says so too).
    public var isTruncated: Bool = false

    /// The decoded address of an address attribute, XOR undone for XOR-*
    /// types; nil for other types or a malformed value.
    public var address: SocketAddress? {
        guard type.isAddress else { return nil }
        return STUNAttribute.decodeAddress(value, xor: type.isXORAddress ? key : nil)
    }

    /// Family byte 1 = IPv4 (8-byte value), 2 = IPv6 (20-byte value).
    static func decodeAddress(_ v: ByteView, xor: STUNTransactionID?) -> SocketAddress? {
        guard let family = v.integer(at: 1, as: UInt8.self), var port = v.integer(at: 2, as: UInt16.self) else { return nil }
        if xor != nil { port ^= 0x2112 }
        switch family {
        case 1:
            guard var a = v.integer(at: 4, as: UInt32.self) else { return nil }
            if let k = xor { a ^= UInt32(truncatingIfNeeded: k.hi >> 32) }
            return SocketAddress(address: .v4(a), port: port)
        case 2:
            guard var hi = v.integer(at: 4, as: UInt64.self), var lo = v.integer(at: 12, as: UInt64.self) else { return nil }
            if let k = xor { hi ^= k.hi; lo ^= k.lo }
            return SocketAddress(address: .v6(hi, lo), port: port)
        default:
            return nil
        }
    }

    /// 32-bit big-endian value (PRIORITY, LIFETIME, FINGERPRINT...).
    public var u32: UInt32? { value.integer(at: 0, as: UInt32.self) }

    /// ERROR-CODE: class * 100 + number.
    public var errorCode: Int? {
        guard type == .errorCode || type == .addressErrorCode,
              let cls = value.integer(at: 2, as: UInt8.self), let num = value.integer(at: 3, as: UInt8.self) else { return nil }
        return Int(cls & 0x07) * 100 + Int(num)
    }

    /// ERROR-CODE reason phrase bytes.
    public var errorReason: ByteView? {
        guard type == .errorCode else { return nil }
        return value.suffix(from: 4)
    }

    /// CHANNEL-NUMBER's channel.
    public var channelNumber: UInt16? { type == .channelNumber ? value.integer(at: 0, as: UInt16.self) : nil }

    /// REQUESTED-TRANSPORT's IP protocol number (17 = UDP).
    public var requestedTransport: UInt8? { type == .requestedTransport ? value.integer(at: 0, as: UInt8.self) : nil }

    /// For FINGERPRINT: CRC-32 of the message before this attribute, XOR
    /// 0x5354554e, against the carried value. nil for other attributes.
    public var fingerprintValid: Bool? {
        guard type == .fingerprint, !isTruncated, let carried = value.integer(at: 0, as: UInt32.self),
              let covered = message.slice(0, offset) else { return nil }
        return CRC32.checksum(covered) ^ 0x5354_554E == carried
    }

    /// The fingerprint this message should carry.
    public var expectedFingerprint: UInt32? {
        guard let covered = message.slice(0, offset) else { return nil }
        return CRC32.checksum(covered) ^ 0x5354_554E
    }
}

/// The attribute list of a message as a sequence (no allocation).
public struct STUNAttributes: Sequence {
    let bytes: ByteView
    let end: Int
    let key: STUNTransactionID
    let layer: Layer

    public func makeIterator() -> Iterator { Iterator(list: self, offset: STUNMessage.headerLength) }

    public struct Iterator: IteratorProtocol {
        let list: STUNAttributes
        var offset: Int
        /// Set when the walk stopped early on a bad length.
        public private(set) var problem: WireError?
        /// Bounds the walk even for odd inputs (each step advances >= 4 bytes anyway).
        var steps = 0

        init(list: STUNAttributes, offset: Int) {
            self.list = list
            self.offset = offset
        }

        public mutating func next() -> STUNAttribute? {
            guard offset < list.end else { return nil }
            steps += 1
            guard let t = list.bytes.integer(at: offset, as: UInt16.self), let l = list.bytes.integer(at: offset + 2, as: UInt16.self), offset + 4 <= list.end else {
                problem = .truncated(layer: list.layer, offset: offset, needed: 4, available: list.end - offset)
                offset = list.end
                return nil
            }
            let length = Int(l)
            guard offset + 4 + length <= list.end, let value = list.bytes.slice(offset + 4, length) else {
                // Keep what is there (a snap length may cut a response right in
                // its XOR-MAPPED-ADDRESS), marked truncated, and stop the walk.
                problem = .malformed(layer: list.layer, offset: offset + 2, reason: .init("attribute length runs past the end of the message"))
                let start = offset
                offset = list.end
                guard let partial = list.bytes.slice(start + 4, list.end - start - 4) else { return nil }
                return STUNAttribute(type: STUNAttributeType(t), value: partial, offset: start, message: list.bytes,
                                     key: list.key, isTruncated: true)
            }
            let attr = STUNAttribute(type: STUNAttributeType(t), value: value, offset: offset, message: list.bytes, key: list.key)
            offset += 4 + ((length + 3) & ~3)
            return attr
        }
    }
}
