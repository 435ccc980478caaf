import OutputText

/// A NetBIOS name in first-level encoding (RFC 1001 14.1): a 32-byte label
/// of letters 'A'-'P', two per byte, giving a 15-character name plus a
/// suffix byte (the service type), optionally followed by scope labels.
public struct NetBIOSName {
    /// The 32 encoded bytes.
    public let encoded: ByteView
    /// The whole name (for the scope labels after the first).
    public let name: DNSName

    /// nil when the first label is not 32 letters 'A'-'P'.
    public init?(_ name: DNSName) {
        var it = name.labels.makeIterator()
        guard let first = it.next(), first.count == 32 else { return nil }
        for i in 0..<32 {
            guard let c = first.integer(at: i, as: UInt8.self), c >= 0x41, c <= 0x50 else { return nil }
        }
        self.encoded = first
        self.name = name
    }

    /// Decoded byte `i` (0...15).
    public func byte(_ i: Int) -> UInt8 {
        guard let hi = encoded.integer(at: 2 * i, as: UInt8.self), let lo = encoded.integer(at: 2 * i + 1, as: UInt8.self) else { return 0 }
        return (hi &- 0x41) << 4 | (lo &- 0x41)
    }

    /// The service suffix (byte 16: 0x00 workstation, 0x20 server, 0x1d master browser ...).
    public var suffix: UInt8 { byte(15) }

    /// `WORKGROUP<1d>` (trailing spaces trimmed, non-printables escaped),
    /// followed by `.scope` labels when present, as tshark prints it.
    public var text: String {
        var end = 15
        while end > 0, byte(end - 1) == 0x20 { end -= 1 }
        var s = ""
        for i in 0..<end { AppText.appendEscaped(byte(i), to: &s, escapeDots: false) }
        s += "<" + Hex.digits(suffix, count: 2) + ">"
        var it = name.labels.makeIterator()
        _ = it.next()
        while let label = it.next() { s += "." + AppText.escaped(label, escapeDots: true) }
        return s
    }
}
