/// Which way a packet went, when the capture says so (pcapng `epb_flags` bits
/// 0-1, SLL packet type, or libpcap's direction).
public enum PacketDirection: UInt8, Sendable, Hashable, BitwiseCopyable {
    case unknown = 0
    case inbound = 1
    case outbound = 2
}

/// One captured packet: a view into the reader's memory plus its metadata.
///
/// `bytes` is valid only until the reader that produced it moves on; copy what
/// must outlive that (the dissectors decode in place, the correlator keeps
/// decoded values, never the view).
///
/// A plain value (no references: copying one is a copy of its bytes, with no
/// retain or release): the interface's name is the reader's
/// (`CaptureReader.interfaceName(of:)`), not the packet's.
public struct Packet: BitwiseCopyable {
    /// 1-based position in its file, as tshark counts (`frame.number`).
    public var frameNumber: Int
    /// Which input file (0-based, in the order given) the packet came from.
    public var fileIndex: Int
    /// Interface id within the file (the pcapng IDB index across all sections
    /// of the file, 0 for classic pcap).
    public var interfaceID: Int
    public var linkType: LinkType
    /// Capture time in nanoseconds since the Unix epoch (after `if_tsresol`
    /// and `if_tsoffset` are applied).
    public var timestampNanoseconds: Int64
    /// False when the record carries no time of its own (pcapng Simple Packet
    /// Block): `timestampNanoseconds` is then the previous packet's.
    public var hasTimestamp: Bool = true
    /// Length on the wire.
    public var originalLength: Int
    /// Bytes captured (`bytes.count`).
    public var capturedLength: Int
    public var direction: PacketDirection
    /// The captured bytes, starting at the link-layer header.
    public var bytes: ByteView
    /// Byte offset of the packet's record (pcap record header, pcapng block)
    /// in its file: with `fileIndex`, where the packet can be found again.
    public var recordOffset: Int = 0

    public init(
        frameNumber: Int, fileIndex: Int = 0, interfaceID: Int = 0,
        linkType: LinkType, timestampNanoseconds: Int64, originalLength: Int,
        direction: PacketDirection = .unknown, bytes: ByteView
    ) {
        self.frameNumber = frameNumber
        self.fileIndex = fileIndex
        self.interfaceID = interfaceID
        self.linkType = linkType
        self.timestampNanoseconds = timestampNanoseconds
        self.originalLength = originalLength
        self.capturedLength = bytes.count
        self.direction = direction
        self.bytes = bytes
    }
}
