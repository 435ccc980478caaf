import Correlation

/// The analysis record: the single source of every report (JSON, HTML,
/// Markdown, JSONL, terminal). It is the correlator's analysis with every key
/// at the same place, plus provenance (tool, command line, inputs with
/// SHA-256 and capture metadata), totals, a timeline histogram, decoded and
/// hex views of the frames findings cite, and the evidence capture's hash.
/// Schema: schemas/analysis-record.schema.json; docs/reports.md.
public struct AnalysisRecord: Codable, Sendable, Hashable {
    /// The record keeps the correlator's schema version: one number for one contract.
    public static let currentSchemaVersion = Analysis.schemaVersion

    public var analysis: AnalysisCore
    public var tool: ToolInfo
    public var invocation: Invocation
    /// ISO 8601 UTC time of the analysis; nil (omitted) with `--deterministic`.
    public var analyzedAt: String?
    public var inputs: [InputFile]
    public var totals: Totals
    public var timeline: Timeline
    public var frameViews: [FrameView]
    public var evidenceCapture: OutputFileInfo?
    /// What the captures themselves say limits the evidence (kernel drops,
    /// damage), in words.
    public var captureNotes: [String]

    public init(
        analysis: AnalysisCore, tool: ToolInfo, invocation: Invocation, analyzedAt: String? = nil,
        inputs: [InputFile] = [], totals: Totals = Totals(), timeline: Timeline = Timeline(),
        frameViews: [FrameView] = [], evidenceCapture: OutputFileInfo? = nil, captureNotes: [String] = []
    ) {
        self.analysis = analysis
        self.tool = tool
        self.invocation = invocation
        self.analyzedAt = analyzedAt
        self.inputs = inputs
        self.totals = totals
        self.timeline = timeline
        self.frameViews = frameViews
        self.evidenceCapture = evidenceCapture
        self.captureNotes = captureNotes
    }

    // Convenience views of the contract part.
    public var verdict: RecordVerdict { analysis.verdict }
    public var findings: [RecordFinding] { analysis.findings }
    public var assumptions: [String] { analysis.assumptions }

    enum CodingKeys: String, CodingKey {
        case tool, invocation, inputs, totals, timeline, captureNotes = "capture_notes"
        case analyzedAt = "analyzed_at", frameViews = "frame_views", evidenceCapture = "evidence_capture"
    }

    public init(from decoder: any Decoder) throws {
        analysis = try AnalysisCore(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tool = try c.decode(ToolInfo.self, forKey: .tool)
        invocation = try c.decode(Invocation.self, forKey: .invocation)
        analyzedAt = try c.decodeIfPresent(String.self, forKey: .analyzedAt)
        inputs = try c.decode([InputFile].self, forKey: .inputs)
        totals = try c.decode(Totals.self, forKey: .totals)
        timeline = try c.decode(Timeline.self, forKey: .timeline)
        frameViews = try c.decodeIfPresent([FrameView].self, forKey: .frameViews) ?? []
        evidenceCapture = try c.decodeIfPresent(OutputFileInfo.self, forKey: .evidenceCapture)
        captureNotes = try c.decodeIfPresent([String].self, forKey: .captureNotes) ?? []
        // The record's own keys are not the correlator's extras.
        for k in CodingKeys.allKeys { analysis.extra[k] = nil }
    }

    public func encode(to encoder: any Encoder) throws {
        try analysis.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tool, forKey: .tool)
        try c.encode(invocation, forKey: .invocation)
        try c.encodeIfPresent(analyzedAt, forKey: .analyzedAt)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(totals, forKey: .totals)
        try c.encode(timeline, forKey: .timeline)
        try c.encode(frameViews, forKey: .frameViews)
        try c.encodeIfPresent(evidenceCapture, forKey: .evidenceCapture)
        try c.encode(captureNotes, forKey: .captureNotes)
    }
}

extension AnalysisRecord.CodingKeys {
    static let allKeys = ["tool", "invocation", "analyzed_at", "inputs", "totals", "timeline", "frame_views",
                          "evidence_capture", "capture_notes"]
}

public struct ToolInfo: Codable, Sendable, Hashable {
    public var name: String
    public var version: String
    public init(name: String = "leakscope", version: String) { self.name = name; self.version = version }
}

/// The command line as given and the options it resolved to.
public struct Invocation: Codable, Sendable, Hashable {
    public var arguments: [String]
    public var options: [String: JSONValue]
    public init(arguments: [String], options: [String: JSONValue] = [:]) {
        self.arguments = arguments
        self.options = options
    }
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
