/// An ICMPv4 message (RFC 792): type, code, and for error messages the quoted
/// IP header + first bytes of the offending datagram, as a view the framework
/// can dissect again.
public struct ICMPv4Message {
    public let bytes: ByteView
    public let type: UInt8
    public let code: UInt8

    public init(_ bytes: ByteView) throws(WireError) {
        guard bytes.count >= 8, let t = bytes.integer(at: 0, as: UInt8.self), let c = bytes.integer(at: 1, as: UInt8.self) else {
            throw .truncated(layer: .icmp, offset: 0, needed: 8, available: bytes.count)
        }
        self.bytes = bytes
        type = t
        code = c
    }

    /// Destination unreachable, source quench, redirect, time exceeded, parameter problem.
    public var isError: Bool { [3, 4, 5, 11, 12].contains(type) }

    /// The quoted packet (IP header + 8 bytes or more) for error messages.
    public var quotedPacket: ByteView? { isError ? bytes.suffix(from: 8) : nil }

    /// Echo request/reply identifier and sequence.
    public var echoIdentifier: UInt16? { type == 0 || type == 8 ? bytes.integer(at: 4, as: UInt16.self) : nil }
    public var echoSequence: UInt16? { type == 0 || type == 8 ? bytes.integer(at: 6, as: UInt16.self) : nil }

    /// Redirect's gateway.
    public var gateway: IPAddress? { type == 5 ? IPAddress.v4(bytes, at: 4) : nil }

    public var name: String {
        switch type {
        case 0: "echo-reply"
        case 3: "destination-unreachable"
        case 4: "source-quench"
        case 5: "redirect"
        case 8: "echo-request"
        case 9: "router-advertisement"
        case 10: "router-solicitation"
        case 11: "time-exceeded"
        case 12: "parameter-problem"
        case 13: "timestamp"
        case 14: "timestamp-reply"
        default: "type-\(type)"
        }
    }

    public func summary() -> ICMPSummary {
        var s = ICMPSummary(type: Int(type), code: Int(code), name: name)
        s.id = echoIdentifier.map { Int($0) }
        s.sequence = echoSequence.map { Int($0) }
        s.gateway = gateway?.description
        s.quotedLength = quotedPacket.map { $0.count }
        return s
    }
}
