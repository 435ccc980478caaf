import CaptureFiles
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
        // An input the command holds open (a pipe is read once) is hashed from memory.
        if let held = OpenCaptureInputs.held(path) {
            var hasher = SHA256()
            held.forEachChunk { hasher.update(bufferPointer: $0) }
            return Result(size: Int64(held.size), sha256: Hex.string(Array(hasher.finalize())))
        }
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

    /// SHA-256 of an open input, over its mapping chunk by chunk (pages
    /// dropped behind, so a large capture does not stay resident for it).
    public static func sha256(_ input: CaptureInput) -> String {
        var hasher = SHA256()
        input.forEachChunk { hasher.update(bufferPointer: $0) }
        return Hex.string(Array(hasher.finalize()))
    }
}

/// SHA-256 and size of bytes seen one chunk at a time (an output as it is written).
final class StreamingDigest: @unchecked Sendable {
    private var hasher = SHA256()
    private var size: Int64 = 0
    func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
        size += Int64(bytes.count)
    }
    var result: FileDigest.Result { FileDigest.Result(size: size, sha256: Hex.string(Array(hasher.finalize()))) }
}
