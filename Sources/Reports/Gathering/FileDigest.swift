import OutputText
import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 of the inputs (over their mappings) and of the outputs the tool
/// wrote (the evidence capture), and reading a record to render.
public enum FileDigest {
    public struct Result: Sendable, Hashable {
        public var size: Int64
        public var sha256: String
    }

    public static func sha256(path: String) throws(ReportError) -> Result {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var hasher = SHA256()
        var size: Int64 = 0
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            size += Int64(n)
        }
        return Result(size: size, sha256: Hex.string(Array(hasher.finalize())))
    }

    /// A whole (small) file, e.g. a record to render. Capped at 1 GiB.
    public static func contents(path: String) throws(ReportError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[..<n])
            if out.count > 1 << 30 { throw .badRecord(path: path, reason: "larger than 1 GiB") }
        }
    }

    public static func sha256(bytes: [UInt8]) -> String { Hex.string(Array(SHA256.hash(data: bytes))) }

    /// SHA-256 of memory already there (an input's mapping), in 1 MiB steps.
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        var at = 0
        while at < bytes.count {
            let n = min(1 << 20, bytes.count - at)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[at ..< at + n]))
            at += n
        }
        return Hex.string(Array(hasher.finalize()))
    }
}
