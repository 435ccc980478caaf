/// Per-interface totals of one capture file: what `leakscope analyze` prints
/// before any dissection, and a building block for later stages.
public struct CaptureSummary: Sendable {
    public struct InterfaceTotals: Equatable, Sendable {
        public var interfaceID: Int
        public var name: String?
        public var linkType: LinkType
        public var packets = 0
        /// Sum of captured lengths.
        public var capturedBytes = 0
        /// Sum of original (on-the-wire) lengths.
        public var originalBytes = 0
        /// Over packets that carry a timestamp (not Simple Packet Blocks).
        public var firstTimestampNanoseconds: Int64?
        public var lastTimestampNanoseconds: Int64?

        public init(interfaceID: Int, name: String?, linkType: LinkType) {
            self.interfaceID = interfaceID
            self.name = name
            self.linkType = linkType
        }
    }

    public var path: String
    public var fileIndex: Int
    public var format: CaptureFormat
    public var fileSize: Int
    /// Indexed by interface id.
    public var interfaces: [InterfaceTotals]
    public var sections: [CaptureSection] = []
    public var statistics: [InterfaceStatistics] = []
    public var blockCounts = BlockCounts()
    public var packets = 0
    public var frames = 0
    public var warnings: [CaptureWarning] = []
    public var droppedWarningCount = 0
    public var damage: CaptureDamage?

    /// An empty summary for the file `reader` reads (interfaces as known so far).
    public init(reader: CaptureReader) {
        path = reader.path
        fileIndex = reader.fileIndex
        format = reader.format
        fileSize = reader.fileSize
        interfaces = []
        absorbInterfaces(of: reader)
    }

    /// Counts one packet. Interfaces described after the summary was made are
    /// added with `finish(reader:)`; until then unseen ids are added here.
    public mutating func add(_ packet: Packet) {
        packets += 1
        let id = packet.interfaceID
        while interfaces.count <= id {
            interfaces.append(InterfaceTotals(interfaceID: interfaces.count, name: nil, linkType: packet.linkType))
        }
        // Names and link types come from the reader's interfaces (`finish`): no String copied per packet.
        interfaces[id].packets += 1
        interfaces[id].capturedBytes += packet.capturedLength
        interfaces[id].originalBytes += packet.originalLength
        guard packet.hasTimestamp else { return }
        let t = packet.timestampNanoseconds
        if let first = interfaces[id].firstTimestampNanoseconds { if t < first { interfaces[id].firstTimestampNanoseconds = t } }
        else { interfaces[id].firstTimestampNanoseconds = t }
        if let last = interfaces[id].lastTimestampNanoseconds { if t > last { interfaces[id].lastTimestampNanoseconds = t } }
        else { interfaces[id].lastTimestampNanoseconds = t }
    }

    /// Takes over what the reader learned by the end: all interfaces, sections,
    /// statistics, block counts, warnings and damage.
    public mutating func finish(reader: CaptureReader) {
        absorbInterfaces(of: reader)
        format = reader.format
        sections = reader.sections
        statistics = reader.statistics
        blockCounts = reader.blockCounts
        frames = reader.framesRead
        warnings = reader.warnings
        droppedWarningCount = reader.droppedWarningCount
        damage = reader.damage
    }

    private mutating func absorbInterfaces(of reader: CaptureReader) {
        for i in reader.interfaces {
            if i.id < interfaces.count {
                interfaces[i.id].name = i.name
                interfaces[i.id].linkType = i.linkType
            } else {
                while interfaces.count < i.id {
                    interfaces.append(InterfaceTotals(interfaceID: interfaces.count, name: nil, linkType: i.linkType))
                }
                interfaces.append(InterfaceTotals(interfaceID: i.id, name: i.name, linkType: i.linkType))
            }
        }
    }

    /// Reads a whole file and summarizes it.
    /// - Throws: when the file cannot be opened or is no capture.
    public static func read(path: String, fileIndex: Int = 0) throws(CaptureFileError) -> CaptureSummary {
        let reader = try CaptureReader(path: path, fileIndex: fileIndex)
        var summary = CaptureSummary(reader: reader)
        while let packet = reader.next() { summary.add(packet) }
        summary.finish(reader: reader)
        return summary
    }
}
