#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What went wrong making a report, and where.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call on `path` failed.
    case io(path: String, operation: String, errno: Int32)
    /// The analysis record could not be read (`path`: what the decoder said).
    case badRecord(path: String, reason: String)
    /// A capture could not be read while building the record.
    case capture(path: String, reason: String)
    /// An input could not be opened or analysed (what the analysis said, with the path).
    case input(String)
    /// Writing an output failed (what the writer said, with the path).
    case output(String)
    /// Encoding an output failed.
    case encoding(reason: String)

    public var description: String {
        switch self {
        case .io(let path, let op, let e): "\(path): \(op) failed: \(String(cString: strerror(e)))"
        case .badRecord(let path, let reason): "\(path): not an analysis record: \(reason)"
        case .capture(let path, let reason): "\(path): \(reason)"
        case .input(let what): what
        case .output(let what): what
        case .encoding(let reason): "cannot encode output: \(reason)"
        }
    }
}
