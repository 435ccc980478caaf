/// A UDP header and its payload view.
public struct UDPInfo {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// The length field (header + data).
    public var length: UInt16
    /// Payload bytes: clamped to the UDP length and to what was captured.
    /// A view into the packet (or the dissector's reassembly buffer): valid until the next `dissect`.
    public var payload: ByteView
    /// Offset of the UDP header in the frame (or in reassembled data when `reassembled`).
    public var offset: Int
    /// True when the datagram came from IP fragment reassembly.
    public var reassembled: Bool = false

    public init(sourcePort: UInt16, destinationPort: UInt16, length: UInt16, payload: ByteView, offset: Int) {
        self.sourcePort = sourcePort; self.destinationPort = destinationPort
        self.length = length; self.payload = payload; self.offset = offset
    }

    public func hasPort(_ p: UInt16) -> Bool { sourcePort == p || destinationPort == p }
}

/// TCP flag bits (low 9 bits of offset/flags word).
public struct TCPFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let fin = TCPFlags(rawValue: 0x001)
    public static let syn = TCPFlags(rawValue: 0x002)
    public static let rst = TCPFlags(rawValue: 0x004)
    public static let psh = TCPFlags(rawValue: 0x008)
    public static let ack = TCPFlags(rawValue: 0x010)
    public static let urg = TCPFlags(rawValue: 0x020)
    public static let ece = TCPFlags(rawValue: 0x040)
    public static let cwr = TCPFlags(rawValue: 0x080)
    public static let ae = TCPFlags(rawValue: 0x100)

    /// tshark-like short form, e.g. "SYN,ACK".
    public var names: [String] {
        var r: [String] = []
        let all: [(TCPFlags, String)] = [(.fin, "FIN"), (.syn, "SYN"), (.rst, "RST"), (.psh, "PSH"),
                                         (.ack, "ACK"), (.urg, "URG"), (.ece, "ECE"), (.cwr, "CWR"), (.ae, "AE")]
        for (f, n) in all where contains(f) { r.append(n) }
        return r
    }
}

/// A TCP header, its segment payload, and the reassembled message completed by this segment (if any).
public struct TCPInfo {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequence: UInt32
    public var acknowledgment: UInt32
    public var flags: TCPFlags
    public var window: UInt16
    /// Data offset * 4.
    public var headerLength: Int
    /// This segment's payload (view into the packet).
    public var payload: ByteView
    /// A length-prefixed message (DNS/TCP, STUN/TCP, ChannelData, TLS record, OpenVPN/TCP) completed
    /// by this segment, gathered from earlier segments of the flow. Lives in the dissector's flow
    /// buffer: valid until the next `dissect`. Nil when the message fit in this segment alone
    /// (then app layers were decoded from `payload`).
    public var reassembled: ByteView?
    /// Offset of the TCP header in the frame.
    public var offset: Int

    public init(sourcePort: UInt16, destinationPort: UInt16, sequence: UInt32, acknowledgment: UInt32,
                flags: TCPFlags, window: UInt16, headerLength: Int, payload: ByteView, offset: Int) {
        self.sourcePort = sourcePort; self.destinationPort = destinationPort
        self.sequence = sequence; self.acknowledgment = acknowledgment; self.flags = flags
        self.window = window; self.headerLength = headerLength; self.payload = payload; self.offset = offset
    }

    public func hasPort(_ p: UInt16) -> Bool { sourcePort == p || destinationPort == p }
}
