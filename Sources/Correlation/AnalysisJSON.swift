import JSONCoding

/// The analysis alone as JSON (the one deterministic encoding, JSONCoding's):
/// equal analyses give byte-identical text. `leakscope analyze --format json`
/// writes the whole record (Reports' `RecordJSON`), which holds these keys at
/// the same place.
public enum AnalysisJSON {
    public static func encode(_ a: Analysis) throws(JSONCodingError) -> String {
        String(decoding: try JSONCoding.encode(a), as: UTF8.self)
    }

    public static func decode(_ s: String) throws(JSONCodingError) -> Analysis {
        try JSONCoding.decode(Analysis.self, from: Array(s.utf8)).value
    }
}
