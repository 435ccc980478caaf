import OutputText
/// One input capture: identity (name, size, SHA-256) and what the file says
/// about itself.
public struct InputFile: Codable, Sendable, Hashable {
    /// 0-based position on the command line (`Packet.fileIndex`).
    public var index: Int
    /// The file's base name, as findings cite it.
    public var name: String
    /// The path as given on the command line.
    public var path: String
    public var size: Int64
    /// Lower-case hex SHA-256 of the whole file.
    public var sha256: String
    public var capture: CaptureInfo

    /// Whether a `file` value of the analysis (the correlator names files by
    /// the path as given; hand-made analyses may use the base name) is this file.
    public func isNamed(_ file: String) -> Bool { file == path || file == name }

    public init(index: Int, name: String, path: String, size: Int64, sha256: String, capture: CaptureInfo) {
        self.index = index; self.name = name; self.path = path; self.size = size; self.sha256 = sha256
        self.capture = capture
    }
}

/// Capture metadata: format, sections, interfaces, time range, drops, damage.
public struct CaptureInfo: Codable, Sendable, Hashable {
    /// "pcapng" or "pcap".
    public var format: String
    /// Distinct link types, by tshark-like name, in order of first appearance.
    public var linkTypes: [String]
    public var sections: [InputSection]
    public var interfaces: [InputInterface]
    /// The capturing application of the first section that names one (`shb_userappl`).
    public var capturingTool: String?
    public var firstNs: Int64?
    public var lastNs: Int64?
    public var firstTime: String?
    public var lastTime: String?
    public var packets: Int
    /// Sum of the interfaces' kernel drop counts (`isb_ifdrop` + `isb_osdrop`), when any is known.
    public var droppedPackets: Int64?
    /// Where the file stopped making sense; packets before it were analysed.
    public var damage: [DamagedRegion]

    public init(
        format: String, linkTypes: [String] = [], sections: [InputSection] = [], interfaces: [InputInterface] = [],
        capturingTool: String? = nil, firstNs: Int64? = nil, lastNs: Int64? = nil, packets: Int = 0,
        droppedPackets: Int64? = nil, damage: [DamagedRegion] = []
    ) {
        self.format = format; self.linkTypes = linkTypes; self.sections = sections; self.interfaces = interfaces
        self.capturingTool = capturingTool; self.firstNs = firstNs; self.lastNs = lastNs
        self.firstTime = firstNs.map { ISO8601Nanoseconds.format($0, fraction: .trimmed) }
        self.lastTime = lastNs.map { ISO8601Nanoseconds.format($0, fraction: .trimmed) }
        self.packets = packets; self.droppedPackets = droppedPackets; self.damage = damage
    }

    enum CodingKeys: String, CodingKey {
        case format, sections, interfaces, packets, damage
        case linkTypes = "link_types", capturingTool = "capturing_tool", firstNs = "first_ns", lastNs = "last_ns"
        case firstTime = "first_time", lastTime = "last_time", droppedPackets = "dropped_packets"
    }
}

/// A pcapng Section Header Block's descriptive options.
public struct InputSection: Codable, Sendable, Hashable {
    public var index: Int
    public var userApplication: String?
    public var hardware: String?
    public var os: String?
    public var comment: String?
    public init(index: Int, userApplication: String? = nil, hardware: String? = nil, os: String? = nil, comment: String? = nil) {
        self.index = index; self.userApplication = userApplication; self.hardware = hardware; self.os = os
        self.comment = comment
    }
    enum CodingKeys: String, CodingKey {
        case index, hardware, os, comment
        case userApplication = "user_application"
    }
}

/// One interface of a capture file (a pcapng IDB, or the one of a classic pcap).
public struct InputInterface: Codable, Sendable, Hashable {
    public var id: Int
    public var name: String?
    public var description: String?
    public var linkType: String
    public var linkTypeCode: UInt32
    public var snaplen: Int?
    /// `if_IPv4addr` / `if_IPv6addr` values, as text.
    public var addresses: [String]
    /// Packets of this interface in the file.
    public var packets: Int
    /// Kernel/interface counters from the last Interface Statistics Block.
    public var statistics: InputInterfaceStatistics?

    public init(
        id: Int, name: String? = nil, description: String? = nil, linkType: String, linkTypeCode: UInt32,
        snaplen: Int? = nil, addresses: [String] = [], packets: Int = 0, statistics: InputInterfaceStatistics? = nil
    ) {
        self.id = id; self.name = name; self.description = description; self.linkType = linkType
        self.linkTypeCode = linkTypeCode; self.snaplen = snaplen; self.addresses = addresses; self.packets = packets
        self.statistics = statistics
    }
    enum CodingKeys: String, CodingKey {
        case id, name, description, snaplen, addresses, packets, statistics
        case linkType = "link_type", linkTypeCode = "link_type_code"
    }
}

/// Interface Statistics Block counters (RFC pcapng isb_*), each when present.
public struct InputInterfaceStatistics: Codable, Sendable, Hashable {
    public var received: Int64?
    public var ifDrop: Int64?
    public var filterAccept: Int64?
    public var osDrop: Int64?
    public var userDelivered: Int64?
    public init(received: Int64? = nil, ifDrop: Int64? = nil, filterAccept: Int64? = nil, osDrop: Int64? = nil,
                userDelivered: Int64? = nil) {
        self.received = received; self.ifDrop = ifDrop; self.filterAccept = filterAccept; self.osDrop = osDrop
        self.userDelivered = userDelivered
    }
    /// ifdrop + osdrop, when either is known.
    public var dropped: Int64? {
        if ifDrop == nil && osDrop == nil { return nil }
        return (ifDrop ?? 0) + (osDrop ?? 0)
    }
    enum CodingKeys: String, CodingKey {
        case received = "isb_ifrecv", ifDrop = "isb_ifdrop", filterAccept = "isb_filteraccept"
        case osDrop = "isb_osdrop", userDelivered = "isb_usrdeliv"
    }
}

/// A region of a file that could not be read.
public struct DamagedRegion: Codable, Sendable, Hashable {
    public var offset: Int64
    public var what: String
    public init(offset: Int64, what: String) { self.offset = offset; self.what = what }
}
