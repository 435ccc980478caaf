import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streaming SHA-256 of a file (1 MiB reads; constant memory).
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

    public static func sha256(bytes: [UInt8]) -> String { Hex.string(Array(SHA256.hash(data: bytes))) }
}
