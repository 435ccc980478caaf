import OutputText

/// A canary `leakscope capture --canary` sent: one UDP datagram bound to one
/// captured interface (SO_BINDTODEVICE), to a documentation address (or one the
/// user named), carrying the capture's random token. The capture records each
/// one, sent or refused, as the `opt_comment` of an Interface Statistics Block
/// of the interface it was bound to, so the analysis knows a canary was sent
/// even when the wire never shows it (docs/live-capture.md, "Positive-control records"):
///
/// ```
/// leakscope canary 1: token 5f0c...e1 (32 hex digits); number 0; label eth0/ipv4/start; path physical; interface eth0; sent at 2026-12-02T10:00:00.123456789Z; udp 198.51.100.2:40001 -> 192.0.2.99:9; result sent
/// ```
public struct CanaryRecord: Sendable, Equatable {
    public enum Path: String, Sendable {
        /// Bound to an interface the capture took for physical: the canary tests the path around the tunnel.
        case physical
        /// Bound to an interface the capture took for the tunnel.
        case tunnel
    }

    public var token: CanaryToken
    /// The canary's number in this capture (0, 1, ...): in the payload too.
    public var number: Int
    /// `INTERFACE/FAMILY/MOMENT`, e.g. `eth0/ipv4/start`.
    public var label: String
    public var path: Path
    /// The interface the socket was bound to.
    public var interface: String
    public var timeNanoseconds: Int64
    /// The source the kernel chose (nil when the send failed before it chose one).
    public var source: IPAddress?
    public var sourcePort: UInt16?
    public var destination: IPAddress
    public var destinationPort: UInt16
    /// nil: the kernel took the datagram; else why it refused it (`send: Operation not permitted (errno 1)`).
    public var failure: String?

    public init(token: CanaryToken, number: Int, label: String, path: Path, interface: String, timeNanoseconds: Int64,
                source: IPAddress? = nil, sourcePort: UInt16? = nil, destination: IPAddress, destinationPort: UInt16,
                failure: String? = nil) {
        self.token = token; self.number = number; self.label = label; self.path = path; self.interface = interface
        self.timeNanoseconds = timeNanoseconds; self.source = source; self.sourcePort = sourcePort
        self.destination = destination; self.destinationPort = destinationPort; self.failure = failure
    }

    public static let prefix = "leakscope canary 1: "
    /// The UDP port canaries go to: discard (RFC 863), so a host that gets one anyway throws it away.
    public static let defaultPort: UInt16 = 9

    public var comment: String {
        let from = source.map { a in "\(a.isV4 ? a.description : "[\(a)]"):\(sourcePort.map(String.init) ?? "?")" } ?? "?"
        let to = "\(destination.isV4 ? destination.description : "[\(destination)]"):\(destinationPort)"
        return "\(Self.prefix)token \(token); number \(number); label \(ControlRecordText.oneLine(label)); path \(path.rawValue); "
            + "interface \(ControlRecordText.oneLine(interface)); sent at \(ISO8601Nanoseconds.format(timeNanoseconds)); "
            + "udp \(from) -> \(to); result \(failure.map { "failed: " + ControlRecordText.oneLine($0) } ?? "sent")"
    }

    /// Reads a comment written by `comment`; nil for any other comment.
    public init?(comment: String) {
        guard comment.hasPrefix(Self.prefix), comment.utf8.count < 4_096 else { return nil }
        var token: CanaryToken?, number: Int?, label = "", path = Path.physical, interface: String?
        var time: Int64?, source: (IPAddress, UInt16?)?, destination: (IPAddress, UInt16?)?, failure: String?
        for f in comment.dropFirst(Self.prefix.count).split(separator: "; ") {
            if f.hasPrefix("token ") { token = CanaryToken(hex: f.dropFirst(6)) }
            else if f.hasPrefix("number ") { number = Int(f.dropFirst(7)) }
            else if f.hasPrefix("label ") { label = String(f.dropFirst(6)) }
            else if f.hasPrefix("path ") { path = Path(rawValue: String(f.dropFirst(5))) ?? .physical }
            else if f.hasPrefix("interface ") { interface = String(f.dropFirst(10)) }
            else if f.hasPrefix("sent at ") { time = ControlRecordText.parseTime(f.dropFirst(8)) }
            else if f.hasPrefix("udp ") {
                let ends = f.dropFirst(4).split(separator: " -> ")
                if ends.count == 2 { source = Self.endpoint(ends[0]); destination = Self.endpoint(ends[1]) }
            } else if f.hasPrefix("result failed: ") { failure = String(f.dropFirst(15)) }
        }
        guard let token, let number, number >= 0, let interface, let time, let (d, dp) = destination, let dp else { return nil }
        self.init(token: token, number: number, label: label, path: path, interface: interface, timeNanoseconds: time,
                  source: source?.0, sourcePort: source?.1, destination: d, destinationPort: dp, failure: failure)
    }

    /// `192.0.2.1:9`, `[2001:db8::1]:9`, `?`.
    static func endpoint(_ s: Substring) -> (IPAddress, UInt16?)? {
        guard let colon = s.lastIndex(of: ":") else { return nil }
        var host = s[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard let a = IPAddress(parsing: String(host)) else { return nil }
        return (a, UInt16(s[s.index(after: colon)...]))
    }

    /// The datagram's payload: `leakscope-canary 1 TOKEN NUMBER LABEL\n` (ASCII).
    public var payload: [UInt8] {
        Array("\(CanaryToken.payloadPrefix)\(token) \(number) \(label)\n".utf8)
    }
}

/// 128 random bits naming one capture's canaries (printed as 32 lower-case hex digits).
public struct CanaryToken: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64
    public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

    /// A fresh token from the system's random source.
    public static func random() -> CanaryToken {
        var g = SystemRandomNumberGenerator()
        return CanaryToken(high: g.next(), low: g.next())
    }

    public var description: String {
        func hex(_ v: UInt64) -> String {
            let h = String(v, radix: 16)
            return String(repeating: "0", count: 16 - h.count) + h
        }
        return hex(high) + hex(low)
    }

    public init?(hex: Substring) {
        guard hex.utf8.count == 32, let h = UInt64(hex.prefix(16), radix: 16), let l = UInt64(hex.suffix(16), radix: 16)
        else { return nil }
        self.init(high: h, low: l)
    }

    /// What every canary payload starts with.
    public static let payloadPrefix = "leakscope-canary 1 "
    static let prefixBytes = Array(payloadPrefix.utf8)

    /// A canary's token and number when `payload` is one; nil for anything else. Cheap on the
    /// hot path: the first byte decides for almost every datagram; nothing is allocated.
    @inlinable
    public static func inPayload(_ payload: ByteView) -> (token: CanaryToken, number: Int)? {
        guard payload.count >= 53, payload.integer(at: 0, as: UInt8.self) == 0x6C else { return nil }  // "l"
        return parse(payload)
    }

    @usableFromInline
    static func parse(_ p: ByteView) -> (token: CanaryToken, number: Int)? {
        let n = prefixBytes.count
        for i in 0..<n where p.integer(at: i, as: UInt8.self) != prefixBytes[i] { return nil }
        func nibble(_ b: UInt8) -> UInt64? {
            switch b {
            case 48...57: UInt64(b - 48)
            case 97...102: UInt64(b - 87)
            default: nil
            }
        }
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<32 {
            guard let b = p.integer(at: n + i, as: UInt8.self), let v = nibble(b) else { return nil }
            if i < 16 { high = high << 4 | v } else { low = low << 4 | v }
        }
        guard p.integer(at: n + 32, as: UInt8.self) == 0x20 else { return nil }
        var number = 0, digits = 0, i = n + 33
        while let b = p.integer(at: i, as: UInt8.self), b >= 48, b <= 57, digits < 6 {
            number = number * 10 + Int(b - 48); digits += 1; i += 1
        }
        guard digits > 0 else { return nil }
        return (CanaryToken(high: high, low: low), number)
    }
}
