import Foundation

/// The record's one JSON form: sorted keys, two-space indentation, no escaped
/// slashes, a final newline. The same record always gives the same bytes.
public enum RecordCoding {
    public static func encode(_ record: AnalysisRecord) throws -> [UInt8] {
        Array((CanonicalJSON.pretty(try value(record)) + "\n").utf8)
    }

    /// Any encodable value as a `JSONValue` tree.
    static func value<T: Encodable>(_ v: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: try encoder(pretty: false).encode(v))
    }

    public static func decode(_ bytes: [UInt8]) throws -> AnalysisRecord {
        try JSONDecoder().decode(AnalysisRecord.self, from: Data(bytes))
    }

    /// The correlator's analysis, through its JSON encoding.
    public static func core<A: Encodable>(from analysis: A) throws -> AnalysisCore {
        try JSONDecoder().decode(AnalysisCore.self, from: try encoder(pretty: false).encode(analysis))
    }

    /// One JSON value on one line (JSONL), keys sorted.
    static func line(_ value: JSONValue) -> String { CanonicalJSON.compact(value) }

    static func encoder(pretty: Bool) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
