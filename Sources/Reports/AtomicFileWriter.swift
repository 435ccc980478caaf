#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see the old content or the whole new
/// content, never a part: a temporary file in the same directory, fsync, then
/// rename over the target. If the body fails, the temporary file is removed
/// and the old file stays as it was. (Reports' own small writer; the live
/// capture has its own for capture files.)
public enum AtomicFileWriter {
    /// Sink handed to the body; buffers and writes in large chunks.
    public struct Sink: ~Copyable {
        let fd: Int32
        let path: String
        var buffer: [UInt8] = []
        public private(set) var written: Int64 = 0

        init(fd: Int32, path: String) { self.fd = fd; self.path = path; buffer.reserveCapacity(1 << 16) }

        public mutating func write(_ bytes: some Sequence<UInt8>) throws(ReportError) {
            buffer.append(contentsOf: bytes)
            if buffer.count >= 1 << 16 { try flush() }
        }

        public mutating func write(_ text: String) throws(ReportError) { try write(text.utf8) }

        mutating func flush() throws(ReportError) {
            var off = 0
            while off < buffer.count {
                let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, $0.count - off) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .io(path: path, operation: "write", errno: errno)
                }
                off += n
            }
            written += Int64(buffer.count)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(ReportError) {
        try write(to: path) { (sink: inout Sink) throws(ReportError) in try sink.write(bytes) }
    }

    /// Runs `body` against a temporary file beside `path` and renames it into
    /// place only when `body` returns. Returns the number of bytes written.
    @discardableResult
    public static func write(
        to path: String, _ body: (inout Sink) throws(ReportError) -> Void
    ) throws(ReportError) -> Int64 {
        let (dir, base) = split(path)
        var template = Array("\(dir)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .io(path: path, operation: "create temporary file", errno: errno) }
        let tmp = String(cString: template.map { UInt8(bitPattern: $0) })
        var sink = Sink(fd: fd, path: tmp)
        do {
            try body(&sink)
            try sink.flush()
            // mkstemp makes 0600; an output is an ordinary file.
            _ = fchmod(fd, 0o644)
            if fsync(fd) != 0 { throw ReportError.io(path: tmp, operation: "fsync", errno: errno) }
            if close(fd) != 0 { unlink(tmp); throw ReportError.io(path: tmp, operation: "close", errno: errno) }
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        if rename(tmp, path) != 0 {
            let e = errno
            unlink(tmp)
            throw .io(path: path, operation: "rename", errno: e)
        }
        return sink.written
    }

    static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }
}
