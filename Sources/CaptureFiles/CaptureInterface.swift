/// One capture interface: a pcapng Interface Description Block, or the single
/// implicit interface of a classic pcap file.
public struct CaptureInterface: Equatable, Sendable {
    /// Index in the file across all sections (tshark's `frame.interface_id`);
    /// equals `Packet.interfaceID`.
    public var id: Int
    /// Index of the section (0-based) that described it, and its id there.
    public var section: Int
    public var idInSection: Int
    public var linkType: LinkType
    /// As written; 0 means "no limit" in pcapng.
    public var snaplen: UInt32
    public var name: String?
    public var description: String?
    public var os: String?
    public var hardware: String?
    public var filter: String?
    public var comments: [String]
    public var ipv4Addresses: [InterfaceIPv4Address]
    public var ipv6Addresses: [InterfaceIPv6Address]
    /// if_MACaddr, 6 bytes.
    public var macAddress: [UInt8]?
    public var timestampResolution: TimestampResolution
    /// if_tsoffset, seconds added to every timestamp.
    public var timestampOffsetSeconds: Int64
    /// Frame check sequence length in bytes when the file says (pcap link type
    /// FCS bits, pcapng if_fcslen).
    public var fcsLength: Int?

    public init(
        id: Int, section: Int = 0, idInSection: Int = 0, linkType: LinkType, snaplen: UInt32,
        name: String? = nil, timestampResolution: TimestampResolution = .microseconds
    ) {
        self.id = id
        self.section = section
        self.idInSection = idInSection
        self.linkType = linkType
        self.snaplen = snaplen
        self.name = name
        self.description = nil
        self.os = nil
        self.hardware = nil
        self.filter = nil
        self.comments = []
        self.ipv4Addresses = []
        self.ipv6Addresses = []
        self.macAddress = nil
        self.timestampResolution = timestampResolution
        self.timestampOffsetSeconds = 0
        self.fcsLength = nil
    }
}

/// if_IPv4addr: address and netmask, host byte order (a.b.c.d = a<<24 | ...).
public struct InterfaceIPv4Address: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var address: UInt32
    public var netmask: UInt32
    public init(address: UInt32, netmask: UInt32) { self.address = address; self.netmask = netmask }
    public var description: String { "\(dotted(address))/\(dotted(netmask))" }
}

/// if_IPv6addr: 128-bit address (two big-endian halves) and prefix length.
public struct InterfaceIPv6Address: Equatable, Hashable, Sendable {
    public var high: UInt64
    public var low: UInt64
    public var prefixLength: UInt8
    public init(high: UInt64, low: UInt64, prefixLength: UInt8) {
        self.high = high; self.low = low; self.prefixLength = prefixLength
    }
}

func dotted(_ v: UInt32) -> String { "\(v >> 24).\(v >> 16 & 0xFF).\(v >> 8 & 0xFF).\(v & 0xFF)" }

/// A pcapng Section Header Block (classic pcap files have one implicit section).
public struct CaptureSection: Equatable, Sendable {
    public var offset: Int
    public var byteOrder: ByteOrder
    public var majorVersion: UInt16
    public var minorVersion: UInt16
    /// -1 (unspecified) or the section's byte length as written.
    public var sectionLength: Int64
    public var hardware: String?
    public var os: String?
    public var userApplication: String?
    public var comments: [String]
    /// Global id of this section's first interface.
    public var firstInterfaceID: Int

    public init(offset: Int, byteOrder: ByteOrder, majorVersion: UInt16, minorVersion: UInt16,
                sectionLength: Int64 = -1, firstInterfaceID: Int = 0) {
        self.offset = offset
        self.byteOrder = byteOrder
        self.majorVersion = majorVersion
        self.minorVersion = minorVersion
        self.sectionLength = sectionLength
        self.hardware = nil
        self.os = nil
        self.userApplication = nil
        self.comments = []
        self.firstInterfaceID = firstInterfaceID
    }
}

/// A pcapng Interface Statistics Block. Counters are nil when absent.
public struct InterfaceStatistics: Equatable, Sendable {
    public var interfaceID: Int
    public var offset: Int
    /// The block's own timestamp, nanoseconds since the epoch.
    public var timestampNanoseconds: Int64
    public var startTimeNanoseconds: Int64?
    public var endTimeNanoseconds: Int64?
    public var interfaceReceived: UInt64?
    public var interfaceDropped: UInt64?
    public var filterAccepted: UInt64?
    public var osDropped: UInt64?
    public var userDelivered: UInt64?
    public var comments: [String]

    public init(interfaceID: Int, offset: Int, timestampNanoseconds: Int64) {
        self.interfaceID = interfaceID
        self.offset = offset
        self.timestampNanoseconds = timestampNanoseconds
        self.comments = []
    }
}

/// How many pcapng blocks of each kind were seen (packets are frames, not here).
public struct BlockCounts: Equatable, Sendable {
    public var sectionHeaders = 0
    public var interfaceDescriptions = 0
    public var interfaceStatistics = 0
    public var nameResolution = 0
    public var decryptionSecrets = 0
    /// Custom blocks 0x00000BAD / 0x40000BAD (tshark shows them as frames; we do not).
    public var custom = 0
    public var systemdJournal = 0
    public var unknown = 0
    public init() {}
}
