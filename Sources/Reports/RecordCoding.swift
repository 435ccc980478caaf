import Foundation

/// The record's one JSON form: sorted keys, two-space indentation, a final
/// newline (`CanonicalJSON`). The same record always gives the same bytes.
///
/// The contract part is kept as JSON trees and goes through `JSONParser` and
/// `CanonicalJSON` directly; only the typed provenance part uses Codable.
public enum RecordCoding {
    public static func encode(_ record: AnalysisRecord) throws -> [UInt8] {
        Array((CanonicalJSON.pretty(try tree(record)) + "\n").utf8)
    }

    public static func decode(_ bytes: [UInt8]) throws -> AnalysisRecord {
        guard case .object(let o) = try JSONParser.parse(bytes) else {
            throw ReportError.badRecord(path: "", reason: "not a JSON object")
        }
        var core = try AnalysisCore(json: o)
        var provenance: [String: JSONValue] = [:]
        for k in Provenance.keys {
            provenance[k] = core.extra.removeValue(forKey: k)
        }
        let p = try JSONDecoder().decode(Provenance.self, from: Data(CanonicalJSON.compact(.object(provenance)).utf8))
        return p.record(core)
    }

    /// The whole record as a JSON tree.
    public static func tree(_ r: AnalysisRecord) throws -> JSONValue {
        var o = r.analysis.json
        guard case .object(let p) = try value(Provenance(r)) else { return .object(o) }
        o.merge(p) { _, mine in mine }
        return .object(o)
    }

    /// The correlator's analysis, through its JSON encoding.
    public static func core<A: Encodable>(from analysis: A) throws -> AnalysisCore {
        guard case .object(let o) = try value(analysis) else {
            throw ReportError.encoding(reason: "the analysis is not a JSON object")
        }
        return try AnalysisCore(json: o)
    }

    /// Any encodable value as a `JSONValue` tree.
    static func value<T: Encodable>(_ v: T) throws -> JSONValue {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try JSONParser.parse([UInt8](try e.encode(v)))
    }

    /// One JSON value on one line (JSONL), keys sorted.
    static func line(_ value: JSONValue) -> String { CanonicalJSON.compact(value) }
}

/// The record's own keys, typed.
struct Provenance: Codable {
    var tool: ToolInfo
    var invocation: Invocation
    var analyzedAt: String?
    var inputs: [InputFile]
    var totals: Totals
    var timeline: Timeline
    var frameViews: [FrameView]?
    var evidenceCapture: OutputFileInfo?
    var captureNotes: [String]?

    static let keys = ["tool", "invocation", "analyzed_at", "inputs", "totals", "timeline", "frame_views",
                       "evidence_capture", "capture_notes"]

    enum CodingKeys: String, CodingKey {
        case tool, invocation, inputs, totals, timeline
        case analyzedAt = "analyzed_at", frameViews = "frame_views", evidenceCapture = "evidence_capture"
        case captureNotes = "capture_notes"
    }

    init(_ r: AnalysisRecord) {
        tool = r.tool; invocation = r.invocation; analyzedAt = r.analyzedAt; inputs = r.inputs; totals = r.totals
        timeline = r.timeline; frameViews = r.frameViews; evidenceCapture = r.evidenceCapture; captureNotes = r.captureNotes
    }

    func record(_ core: AnalysisCore) -> AnalysisRecord {
        AnalysisRecord(analysis: core, tool: tool, invocation: invocation, analyzedAt: analyzedAt, inputs: inputs,
                       totals: totals, timeline: timeline, frameViews: frameViews ?? [], evidenceCapture: evidenceCapture,
                       captureNotes: captureNotes ?? [])
    }
}
