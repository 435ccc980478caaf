import CaptureFiles
import Correlation
import OutputText

/// The one entry point the CLI calls: correlator analysis in, record and
/// rendered outputs out. Everything renders from the record.
public enum ReportPipeline {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, html, markdown, jsonl
    }

    public struct Settings: Sendable {
        public var toolVersion: String
        public var arguments: [String]
        public var options: [String: JSONValue]
        /// Omit `analyzed_at` so equal inputs give byte-identical records.
        public var deterministic: Bool
        /// Where to write the evidence capture, if wanted.
        public var evidencePath: String?
        public var buckets: Int
        public var framesPerFinding: Int
        public init(toolVersion: String, arguments: [String], options: [String: JSONValue] = [:], deterministic: Bool = false,
                    evidencePath: String? = nil, buckets: Int = 100, framesPerFinding: Int = 3) {
            self.toolVersion = toolVersion; self.arguments = arguments; self.options = options
            self.deterministic = deterministic; self.evidencePath = evidencePath; self.buckets = buckets
            self.framesPerFinding = framesPerFinding
        }
    }

    /// Builds the record: reads the captures (hashes, metadata, timeline,
    /// frame views) and writes the evidence capture when asked.
    public static func record(analysis: Analysis, paths: [String], settings: Settings) throws(ReportError) -> AnalysisRecord {
        let core: AnalysisCore
        do { core = try RecordCoding.core(from: analysis) } catch { throw .encoding(reason: "\(error)") }
        return try record(core: core, paths: paths, settings: settings)
    }

    public static func record(core: AnalysisCore, paths: [String], settings: Settings) throws(ReportError) -> AnalysisRecord {
        let scan = try CaptureScan.scan(paths: paths, findings: core.findings, tunnel: core.tunnel,
                                        buckets: settings.buckets, framesPerFinding: settings.framesPerFinding)
        var evidence: OutputFileInfo?
        if let path = settings.evidencePath {
            let section = PcapNGWriter.Section(
                comment: "Evidence extracted by leakscope \(settings.toolVersion): only the frames findings cite; each packet's comment names its findings.",
                userApplication: "leakscope \(settings.toolVersion)")
            evidence = try EvidenceWriter.write(findings: core.findings, inputs: scan.inputs, tunnel: core.tunnel, to: path, section: section)
        }
        return RecordBuilder.build(
            analysis: core, tool: ToolInfo(version: settings.toolVersion),
            invocation: Invocation(arguments: settings.arguments, options: settings.options),
            analyzedAt: settings.deterministic ? nil : ISO8601Nanoseconds.format(WallClock.nanoseconds(), fraction: .trimmed),
            inputs: scan.inputs, timeline: scan.timeline, frameViews: scan.frameViews, evidenceCapture: evidence)
    }

    /// The bytes of one output format.
    public static func render(_ record: AnalysisRecord, format: Format, color: Bool = false) throws(ReportError) -> [UInt8] {
        switch format {
        case .json:
            do { return try RecordCoding.encode(record) } catch { throw .encoding(reason: "\(error)") }
        case .html: return Array(HTMLReport.render(record).utf8)
        case .markdown: return Array(MarkdownReport.render(record).utf8)
        case .jsonl: return Array(JSONLReport.render(record).utf8)
        case .text: return Array(TerminalSummary.render(record, style: .init(color: color)).utf8)
        }
    }

    /// Reads a record written by `--format json`.
    public static func readRecord(path: String) throws(ReportError) -> AnalysisRecord {
        let bytes = try FileDigest.contents(path: path)
        do { return try RecordCoding.decode(bytes) } catch { throw .badRecord(path: path, reason: "\(error)") }
    }
}
