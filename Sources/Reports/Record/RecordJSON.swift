import Correlation
import JSONCoding

/// The record's JSON form (JSONCoding's pretty layout, a final newline) and
/// reading it back. The same record always gives the same bytes.
///
/// Reading checks the schema version: another major version is refused (its
/// keys may mean something else); a newer minor version is read, and the keys
/// it added are kept (`AnalysisRecord.unknownKeys`, written back by `encode`)
/// and named by `RecordJSON.Read.newerKeys` so the caller can say what the
/// renderings leave out.
public enum RecordJSON {
    public static func encode(_ record: AnalysisRecord) throws(ReportError) -> [UInt8] {
        do { return try JSONCoding.encode(record, keeping: record.unknownKeys) } catch { throw .encoding(reason: error.description) }
    }

    /// A record read back, and what in it this version does not know.
    public struct Read: Sendable {
        public var record: AnalysisRecord
        /// The record's `schema_version`.
        public var schemaVersion: String
        /// Paths of the keys this version does not know (`findings[0].confidence`), in document order.
        public var newerKeys: [String] { record.unknownKeys.map(\.path.jsonPath) }
    }

    /// - Parameter path: names the record in errors.
    public static func decode(_ bytes: [UInt8], path: String = "") throws(ReportError) -> Read {
        let document: JSONDocument
        do { document = try JSONDocument(parsing: bytes) } catch { throw .badRecord(path: path, reason: error.description) }
        guard let version = document.topLevelString("schema_version") else {
            throw .badRecord(path: path, reason: "no schema_version")
        }
        guard let theirs = SchemaVersion(version), let ours = SchemaVersion(AnalysisRecord.schemaVersion), theirs.major == ours.major else {
            throw .badRecord(path: path, reason: "schema version \(version) is not \(SchemaVersion(AnalysisRecord.schemaVersion)?.major ?? 1).x, which this leakscope reads")
        }
        var record: AnalysisRecord
        do { record = try document.decode(AnalysisRecord.self) } catch { throw .badRecord(path: path, reason: error.description) }
        record.unknownKeys = document.unknownKeys()
        return Read(record: record, schemaVersion: version)
    }

    /// Reads a record written by `--format json`.
    public static func read(path: String) throws(ReportError) -> Read {
        try decode(try FileDigest.contents(path: path), path: path)
    }

    /// `MAJOR.MINOR`.
    struct SchemaVersion {
        var major: Int
        var minor: Int
        init?(_ s: String) {
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 0, b >= 0 else { return nil }
            major = a; minor = b
        }
    }
}
