import Foundation

/// `--format json`: the analysis with sorted keys, so equal analyses print byte-identical JSON.
public enum AnalysisJSON {
    public static func encode(_ a: Analysis) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try enc.encode(a), as: UTF8.self)
    }

    public static func decode(_ s: String) throws -> Analysis {
        try JSONDecoder().decode(Analysis.self, from: Data(s.utf8))
    }
}
