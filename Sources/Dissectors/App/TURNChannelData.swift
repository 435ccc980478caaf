/// TURN ChannelData (RFC 8656 12.4): 2-byte channel number (0x4000-0x7FFF),
/// 2-byte length, application data; over TCP padded to a multiple of 4.
public struct TURNChannelData {
    public let bytes: ByteView
    public let channel: UInt16
    public let length: UInt16
    public var problem: WireError?

    public init(_ bytes: ByteView) throws(WireError) {
        guard let channel = bytes.integer(at: 0, as: UInt16.self), let length = bytes.integer(at: 2, as: UInt16.self) else {
            throw .truncated(layer: .turnChannel, offset: 0, needed: 4, available: bytes.count)
        }
        guard (0x4000...0x7FFF).contains(channel) else {
            throw .malformed(layer: .turnChannel, offset: 0, reason: .init("channel number outside 0x4000-0x7FFF"))
        }
        self.bytes = bytes
        self.channel = channel
        self.length = length
        if 4 + Int(length) > bytes.count {
            problem = .truncated(layer: .turnChannel, offset: 4, needed: Int(length), available: bytes.count - 4)
        }
    }

    /// The application data (clamped to what is present).
    public var data: ByteView { (bytes.suffix(from: 4) ?? bytes).prefix(Int(length)) }

    /// Bytes one ChannelData message takes in a TCP stream (padded to 4).
    public var paddedLength: Int { 4 + ((Int(length) + 3) & ~3) }

    /// Channel in range and the length fits: over UDP the datagram is the
    /// message (up to 3 padding bytes tolerated); over TCP it starts a chunk.
    public static func isLikely(_ bytes: ByteView, overTCP: Bool = false) -> Bool {
        guard let channel = bytes.integer(at: 0, as: UInt16.self), let length = bytes.integer(at: 2, as: UInt16.self),
              (0x4000...0x7FFF).contains(channel) else { return false }
        let needed = 4 + Int(length)
        if overTCP { return needed <= bytes.count }
        return needed <= bytes.count && bytes.count - needed <= 3
    }

    public func summary() -> TURNChannelDataSummary {
        TURNChannelDataSummary(channel: Int(channel), length: Int(length))
    }
}

