#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an output could not be written, with the path and the OS error.
public enum OutputFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Something is at the path that an output must never replace or write into (a directory, a block device).
    case refused(path: String, reason: String)
    /// The directory the output would be created in does not exist (or is not a directory).
    case noDirectory(path: String, directory: String)
    /// The output is a file this command reads (`input` as the user named it).
    case isAnInput(output: String, input: String)
    /// Another capture is writing this partial file now.
    case busy(path: String, reason: String)
    /// Between the check and the write, the path came to name something else.
    case changed(path: String, reason: String)
    /// stat/readlink/realpath failed while looking at the path.
    case inspect(path: String, errno: Int32)
    /// The temporary or partial file could not be created next to the target.
    case createTemporary(path: String, errno: Int32)
    /// A device, FIFO, socket or descriptor could not be opened for writing.
    case open(path: String, errno: Int32)
    case write(path: String, errno: Int32)
    /// fsync of the file or of its directory failed: the data may not be on disk.
    case sync(path: String, errno: Int32)
    case rename(from: String, to: String, errno: Int32)
    /// The writer was already committed or abandoned.
    case closed(path: String)

    public var description: String {
        switch self {
        case let .refused(path, reason): "cannot write the output to \(path): \(reason)"
        case let .noDirectory(path, dir): "cannot write the output to \(path): directory \(dir) does not exist"
        case let .isAnInput(output, input):
            output == input ? "the output \(output) is also an input: writing it would destroy what is read"
                : "the output \(output) is the same file as the input \(input): writing it would destroy the input"
        case let .busy(path, reason): "\(path): \(reason)"
        case let .changed(path, reason): "\(path) changed while it was written: \(reason); nothing was replaced"
        case let .inspect(path, e): "cannot look at the output path \(path): \(Self.text(e))"
        case let .createTemporary(path, e): "cannot create \(path): \(Self.text(e))"
        case let .open(path, e): "cannot open \(path) for writing: \(Self.text(e))"
        case let .write(path, e): "cannot write \(path): \(Self.text(e))"
        case let .sync(path, e): "cannot sync \(path) to disk: \(Self.text(e))"
        case let .rename(from, to, e): "cannot rename \(from) to \(to): \(Self.text(e))"
        case let .closed(path): "output \(path) was already closed"
        }
    }

    /// True for the errors that are a problem of the command line (exit 64), not of the machine.
    public var isUsage: Bool {
        if case .isAnInput = self { return true }
        return false
    }

    static func text(_ e: Int32) -> String { String(cString: strerror(e)) }
}
