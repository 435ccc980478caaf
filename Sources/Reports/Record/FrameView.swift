import OutputText

/// A decoded and hex view of one frame a finding cites, made when the record
/// is built (renderers never decode packets).
public struct FrameView: Codable, Sendable, Hashable {
    public var finding: String
    public var file: String
    public var frame: Int
    public var timeNs: Int64
    public var time: String
    public var interface: String?
    public var linkType: String
    public var originalLength: Int
    public var capturedLength: Int
    /// The protocol layers found, outermost first, with their fields.
    public var layers: [DecodedLayer]
    /// What the dissector found malformed or truncated.
    public var notes: [String]
    /// Lower-case hex of the first `FrameView.hexLimit` captured bytes.
    public var hex: String
    public var hexTruncated: Bool

    /// Bytes of each frame kept as hex in the record.
    public static let hexLimit = 512

    public init(finding: String, file: String, frame: Int, timeNs: Int64, interface: String?, linkType: String,
                originalLength: Int, bytes: [UInt8], layers: [DecodedLayer] = [], notes: [String] = []) {
        self.finding = finding; self.file = file; self.frame = frame; self.timeNs = timeNs
        self.time = ISO8601Nanoseconds.format(timeNs, fraction: .trimmed); self.interface = interface; self.linkType = linkType
        self.originalLength = originalLength; self.capturedLength = bytes.count; self.layers = layers
        self.notes = notes
        self.hex = Hex.string(bytes.prefix(Self.hexLimit))
        self.hexTruncated = bytes.count > Self.hexLimit
    }
    enum CodingKeys: String, CodingKey {
        case finding, file, frame, time, interface, layers, notes, hex
        case timeNs = "time_ns", linkType = "link_type", originalLength = "original_length"
        case capturedLength = "captured_length", hexTruncated = "hex_truncated"
    }
}

public struct DecodedLayer: Codable, Sendable, Hashable {
    /// The protocol's lower-case token (tshark's `frame.protocols` names).
    public var name: String
    public var fields: [DecodedField]
    public init(name: String, fields: [DecodedField] = []) { self.name = name; self.fields = fields }
}

public struct DecodedField: Codable, Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}
