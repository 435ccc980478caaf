import OutputText

/// An L2TP header over UDP: version 2 (RFC 2661: flags, optional length,
/// 16-bit tunnel and session IDs, optional Ns/Nr and offset) or version 3
/// (RFC 3931 over UDP: control messages with a 32-bit control connection ID,
/// data messages with a 32-bit session ID after 4 bytes of flags/reserved).
public struct L2TPHeader {
    public let bytes: ByteView
    public let flags: UInt16
    public let version: UInt8
    public var problem: WireError?

    public init(_ bytes: ByteView) throws(WireError) {
        guard let f = bytes.integer(at: 0, as: UInt16.self) else {
            throw .truncated(layer: .l2tp, offset: 0, needed: 2, available: bytes.count)
        }
        let v = UInt8(f & 0xF)
        guard v == 2 || v == 3 else {
            throw .malformed(layer: .l2tp, offset: 1, reason: .init("version is not 2 or 3"))
        }
        self.bytes = bytes
        self.flags = f
        self.version = v
        if bytes.count < headerLength {
            problem = .truncated(layer: .l2tp, offset: 0, needed: headerLength, available: bytes.count)
        }
    }

    /// T bit: a control message.
    public var isControl: Bool { flags & 0x8000 != 0 }
    var hasLength: Bool { flags & 0x4000 != 0 }
    var hasSequence: Bool { flags & 0x0800 != 0 }

    /// Bytes of the fixed part this header's flags call for.
    public var headerLength: Int {
        if version == 3 { return isControl ? 12 : 8 }
        var n = 6 + (hasLength ? 2 : 0) + (hasSequence ? 4 : 0)
        if flags & 0x0200 != 0 { n += 2 + Int(bytes.integer(at: n, as: UInt16.self) ?? 0) }
        return n
    }

    /// The length field (v2 with L, v3 control).
    public var length: UInt16? {
        if version == 3 { return isControl ? bytes.integer(at: 2, as: UInt16.self) : nil }
        return hasLength ? bytes.integer(at: 2, as: UInt16.self) : nil
    }

    public var tunnelID: UInt16? { version == 2 ? bytes.integer(at: hasLength ? 4 : 2, as: UInt16.self) : nil }
    /// v2: 16-bit session ID; v3 data: 32-bit session ID.
    public var sessionID: UInt32? {
        if version == 2 { return bytes.integer(at: hasLength ? 6 : 4, as: UInt16.self).map { UInt32($0) } }
        return isControl ? nil : bytes.integer(at: 4, as: UInt32.self)
    }
    public var controlConnectionID: UInt32? { version == 3 && isControl ? bytes.integer(at: 4, as: UInt32.self) : nil }

    public func summary() -> CarrierSummary {
        var s = CarrierSummary(protocol: "l2tp", message: isControl ? "control" : "data")
        s.version = "\(version)"
        s.tunnelID = tunnelID.map { Int($0) }
        s.sessionID = sessionID.map { Hex.number($0) }
        s.controlConnectionID = controlConnectionID.map { Hex.number($0) }
        s.length = length.map { Int($0) }
        return s
    }
}
