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
        var out: [UInt8] = []
        do { try write(record) { out += $0 } } catch let e as ReportError { throw e } catch { throw .encoding(reason: "\(error)") }
        return out
    }

    /// The same bytes, written to `write` in pieces as they are made (JSONCoding's streaming
    /// encoder: memory for one finding at a time, not for the document). Throws
    /// `ReportError.encoding`, or what `write` throws.
    public static func write(_ record: AnalysisRecord, to write: (UnsafeRawBufferPointer) throws -> Void) throws {
        do { try JSONCoding.encode(record, keeping: record.unknownKeys, to: write) } catch let e as JSONCodingError {
            throw ReportError.encoding(reason: e.description)
        }
    }

    /// The record as the tree encoder writes it (the whole document built in memory first): the
    /// reference the streaming writer is tested against.
    static func encodeAsTree(_ record: AnalysisRecord) throws(ReportError) -> [UInt8] {
        do { return try JSONCoding.encode(record, keeping: record.unknownKeys) } catch { throw .encoding(reason: error.description) }
    }

    /// A record read back, and what in it this version does not know.
    public struct Read: Sendable {
        public var record: AnalysisRecord
        /// The record's `schema_version`.
        public var schemaVersion: String
        /// Paths of the keys this version does not know (`findings[0].confidence`), in document order.
        public var newerKeys: [String] { record.unknownKeys.map(\.path.jsonPath) }
        /// Leak classes of a newer minor version that this version does not know, in finding order
        /// (their findings are kept and shown with the class's name).
        public var unrecognizedClasses: [String] {
            var seen: [String] = []
            for f in record.analysis.findings where f.class == .unrecognized && !seen.contains(f.className) { seen.append(f.className) }
            return seen
        }
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
        // A class this version does not know is a newer minor version's addition, kept as
        // unrecognized; in a record of this version or an older one it is damage.
        if theirs.minor <= ours.minor {
            if let i = record.analysis.findings.firstIndex(where: { $0.class == .unrecognized }) {
                throw .badRecord(path: path, reason: "findings[\(i)].class: \"\(record.analysis.findings[i].className)\" is not a leak class of schema \(version)")
            }
            if let i = record.provenance.totals.byClass.firstIndex(where: { $0.leakClass == .unrecognized }) {
                throw .badRecord(path: path, reason: "totals.by_class[\(i)].class: \"\(record.provenance.totals.byClass[i].className)\" is not a leak class of schema \(version)")
            }
        }
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
