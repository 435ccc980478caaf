import Correlation
import JSONCoding

/// The analysis record: the single source of every report (JSON, HTML,
/// Markdown, JSONL, terminal). The correlator's typed `Analysis` with every
/// key at the same place, plus `Provenance`: tool, command line, inputs with
/// SHA-256 and capture metadata, totals, a timeline histogram, decoded and
/// hex views of the frames findings cite, and the evidence capture's hash.
/// Renderers read these typed values; JSON is one rendering (`RecordJSON`),
/// and `leakscope report` decodes it back into the same types.
/// Schema: schemas/analysis-record.schema.json; docs/reports.md.
public struct AnalysisRecord: Sendable, Equatable {
    /// The record keeps the correlator's schema version: one number for one contract.
    public static let schemaVersion = Analysis.schemaVersion

    public var analysis: Analysis
    public var provenance: Provenance
    /// Keys of a newer minor version that this build does not know, with their
    /// values, as the record that was read had them. Renderers do not show them;
    /// `RecordJSON.encode` writes them back where they were.
    public var unknownKeys: [UnknownKey]

    public init(analysis: Analysis, provenance: Provenance, unknownKeys: [UnknownKey] = []) {
        self.analysis = analysis
        self.provenance = provenance
        self.unknownKeys = unknownKeys
    }
}

/// The analysis and its provenance side by side at the top level of one JSON object.
extension AnalysisRecord: Codable {
    public init(from decoder: any Decoder) throws {
        analysis = try Analysis(from: decoder)
        provenance = try Provenance(from: decoder)
        unknownKeys = []
    }

    public func encode(to encoder: any Encoder) throws {
        try analysis.encode(to: encoder)
        try provenance.encode(to: encoder)
    }
}

/// What the record adds to the analysis: where it came from and what the
/// captures themselves say.
public struct Provenance: Codable, Sendable, Equatable {
    public var tool: ToolInfo
    public var invocation: Invocation
    /// ISO 8601 UTC time of the analysis; nil (omitted) with `--deterministic`.
    public var analyzedAt: String?
    public var inputs: [InputFile]
    public var totals: Totals
    public var timeline: Timeline
    public var frameViews: [FrameView]
    public var evidenceCapture: OutputFileInfo?
    /// What the captures themselves say limits the evidence (kernel drops, damage), in words.
    public var captureNotes: [String]

    public init(
        tool: ToolInfo, invocation: Invocation, analyzedAt: String? = nil, inputs: [InputFile] = [],
        totals: Totals = Totals(), timeline: Timeline = Timeline(), frameViews: [FrameView] = [],
        evidenceCapture: OutputFileInfo? = nil, captureNotes: [String] = []
    ) {
        self.tool = tool; self.invocation = invocation; self.analyzedAt = analyzedAt; self.inputs = inputs
        self.totals = totals; self.timeline = timeline; self.frameViews = frameViews
        self.evidenceCapture = evidenceCapture; self.captureNotes = captureNotes
    }

    enum CodingKeys: String, CodingKey {
        case tool, invocation, inputs, totals, timeline, captureNotes = "capture_notes"
        case analyzedAt = "analyzed_at", frameViews = "frame_views", evidenceCapture = "evidence_capture"
    }
}

public struct ToolInfo: Codable, Sendable, Hashable {
    public var name: String
    public var version: String
    public init(name: String = "leakscope", version: String) { self.name = name; self.version = version }
}

/// The command line as given and the options it resolved to.
public struct Invocation: Codable, Sendable, Hashable {
    /// argv with argv[0] replaced by `leakscope`.
    public var arguments: [String]
    public var options: Options

    public struct Options: Codable, Sendable, Hashable {
        public var format: ReportFormat
        /// `-o` as given.
        public var output: String?
        /// `--evidence` as given.
        public var evidence: String?
        public var deterministic: Bool
        public init(format: ReportFormat, output: String? = nil, evidence: String? = nil, deterministic: Bool = false) {
            self.format = format; self.output = output; self.evidence = evidence; self.deterministic = deterministic
        }
    }

    public init(arguments: [String], options: Options) {
        self.arguments = arguments
        self.options = options
    }
}

/// The output formats of `analyze` and `report`: renderings of one record.
public enum ReportFormat: String, Codable, Sendable, CaseIterable {
    /// The terminal summary (`TerminalReport`).
    case text
    /// The record itself.
    case json
    case html, markdown
    /// One ECS alert per finding.
    case jsonl
}

/// A file the tool wrote beside the record (the evidence capture).
public struct OutputFileInfo: Codable, Sendable, Hashable {
    public var name: String
    public var size: Int64
    public var sha256: String
    public var format: String
    public var frames: Int
    public init(name: String, size: Int64, sha256: String, format: String = "pcapng", frames: Int) {
        self.name = name; self.size = size; self.sha256 = sha256; self.format = format; self.frames = frames
    }
}
