#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why writing an output file failed, with the path and the OS error.
public enum AtomicFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The temporary file could not be created next to the target.
    case createTemporary(path: String, errno: Int32)
    case write(path: String, errno: Int32)
    /// fsync of the file or of its directory failed: the data may not be on disk.
    case sync(path: String, errno: Int32)
    case rename(from: String, to: String, errno: Int32)
    /// The writer was already committed or abandoned.
    case closed(path: String)

    public var description: String {
        switch self {
        case let .createTemporary(path, e): "cannot create temporary file \(path): \(Self.text(e))"
        case let .write(path, e): "cannot write \(path): \(Self.text(e))"
        case let .sync(path, e): "cannot sync \(path) to disk: \(Self.text(e))"
        case let .rename(from, to, e): "cannot rename \(from) to \(to): \(Self.text(e))"
        case let .closed(path): "output \(path) was already closed"
        }
    }

    static func text(_ e: Int32) -> String { String(cString: strerror(e)) }
}

/// Writes a file atomically: bytes go, buffered, to a temporary file in the
/// target's directory; `commit()` flushes, fsyncs and renames it over the
/// target (then fsyncs the directory), `abandon()` removes it. A reader never
/// sees a half-written output, and a crash leaves at most a hidden `.tmp`.
///
/// Reusable for any output (reports, evidence, captures). Not thread-safe:
/// one owner writes.
public final class AtomicFileWriter {
    /// The final path.
    public let path: String
    /// The temporary path written until `commit()`.
    public let temporaryPath: String
    private var fd: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var used = 0
    /// Bytes accepted so far (buffered or written).
    public private(set) var bytesWritten: UInt64 = 0

    /// Creates the temporary file (mode 0666 minus umask, like any new file).
    /// - Parameter bufferSize: bytes gathered before each write(2).
    public init(path: String, bufferSize: Int = 1 << 20) throws(AtomicFileError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var descriptor: Int32 = -1
        var candidate = ""
        for _ in 0 ..< 16 {
            candidate = "\(directory).\(base).\(getpid()).\(UInt32.random(in: 0 ... .max)).tmp"
            descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw .createTemporary(path: candidate, errno: errno) }
        fd = descriptor
        temporaryPath = candidate
        buffer = .allocate(byteCount: max(bufferSize, 4096), alignment: 16)
    }

    deinit {
        if fd >= 0 { abandon() }
        buffer.deallocate()
    }

    public var isOpen: Bool { fd >= 0 }

    /// Appends bytes; they reach the file when the buffer fills or on `commit()`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(AtomicFileError) {
        guard fd >= 0 else { throw .closed(path: path) }
        bytesWritten += UInt64(bytes.count)
        if bytes.count > buffer.count - used {
            try flush()
            if bytes.count >= buffer.count {  // large: skip the copy
                try writeAll(bytes)
                return
            }
        }
        guard let src = bytes.baseAddress, !bytes.isEmpty, let dst = buffer.baseAddress else { return }
        (dst + used).copyMemory(from: src, byteCount: bytes.count)
        used += bytes.count
    }

    public func write(_ bytes: [UInt8]) throws(AtomicFileError) {
        let result: Result<Void, AtomicFileError> = bytes.withUnsafeBytes { raw in
            do throws(AtomicFileError) { try write(raw); return .success(()) } catch { return .failure(error) }
        }
        try result.get()
    }

    public func write(_ string: String) throws(AtomicFileError) {
        var s = string
        let result: Result<Void, AtomicFileError> = s.withUTF8 { utf8 in
            do throws(AtomicFileError) { try write(UnsafeRawBufferPointer(utf8)); return .success(()) } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Writes the buffer out (no fsync).
    public func flush() throws(AtomicFileError) {
        guard fd >= 0 else { throw .closed(path: path) }
        guard used > 0 else { return }
        let pending = UnsafeRawBufferPointer(rebasing: buffer[..<used])
        used = 0
        try writeAll(pending)
    }

    /// Flushes, fsyncs, renames into place and fsyncs the directory. On
    /// failure the temporary file is removed and nothing is at `path`
    /// (unless a previous file was there: it is left untouched).
    public func commit() throws(AtomicFileError) {
        guard fd >= 0 else { throw .closed(path: path) }
        do throws(AtomicFileError) {
            try flush()
            if fsync(fd) != 0 { throw .sync(path: temporaryPath, errno: errno) }
            let descriptor = fd
            fd = -1
            if close(descriptor) != 0 { throw .write(path: temporaryPath, errno: errno) }
            if rename(temporaryPath, path) != 0 { throw .rename(from: temporaryPath, to: path, errno: errno) }
        } catch {
            if fd >= 0 { close(fd); fd = -1 }
            unlink(temporaryPath)
            throw error
        }
        syncDirectory()
    }

    /// Closes and removes the temporary file; the target is untouched.
    public func abandon() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        used = 0
        unlink(temporaryPath)
    }

    /// Writes `text` to `path` atomically in one call.
    public static func write(_ text: String, to path: String) throws(AtomicFileError) {
        let writer = try AtomicFileWriter(path: path, bufferSize: text.utf8.count + 1)
        try writer.write(text)
        try writer.commit()
    }

    /// Writes `bytes` to `path` atomically in one call.
    public static func write(_ bytes: [UInt8], to path: String) throws(AtomicFileError) {
        let writer = try AtomicFileWriter(path: path, bufferSize: bytes.count + 1)
        try writer.write(bytes)
        try writer.commit()
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(AtomicFileError) {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            #if canImport(Glibc)
            let n = Glibc.write(fd, p, left)
            #else
            let n = Darwin.write(fd, p, left)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                throw .write(path: temporaryPath, errno: errno)
            }
            p += n
            left -= n
        }
    }

    /// Makes the rename durable; failure here cannot be undone, so it is ignored.
    private func syncDirectory() {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }
}
