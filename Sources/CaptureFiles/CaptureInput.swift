#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input capture, opened exactly once and held in memory for every pass
/// of an analysis (`CaptureReader(input:)`): a regular file is mapped
/// read-only (PROT_READ, MAP_PRIVATE); a pipe or other stream is read into
/// one buffer. Owns the memory; every `ByteView` into it is valid while this
/// lives. Immutable after `init`, so readers on several threads may share it.
public final class CaptureInput: @unchecked Sendable {
    /// Pipes are read into memory up to this many bytes (the rest is dropped
    /// with a warning) so a never-ending stream cannot exhaust memory.
    static let streamLimit = 1 << 30

    /// The path as given.
    public let path: String
    public let bytes: UnsafeRawBufferPointer
    /// Set when a stream was cut at `streamLimit`.
    private(set) var truncatedAtLimit = false
    private let mapped: Bool

    public var size: Int { bytes.count }

    /// The input for `path`, opened now.
    public static func open(path: String) throws(CaptureFileError) -> CaptureInput {
        try CaptureInput(opening: path)
    }

    /// Opens `path`.
    public init(opening path: String) throws(CaptureFileError) {
        self.path = path
        let fd = systemOpen(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .cannotOpen(path: path, errno: errno) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw .cannotOpen(path: path, errno: EISDIR) }
        if (st.st_mode & S_IFMT) == S_IFREG {
            let size = Int(st.st_size)
            mapped = true
            if size == 0 {
                bytes = UnsafeRawBufferPointer(start: nil, count: 0)
                return
            }
            guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
                throw .cannotOpen(path: path, errno: errno)
            }
            _ = madvise(p, size, MADV_SEQUENTIAL)
            bytes = UnsafeRawBufferPointer(start: p, count: size)
        } else {
            mapped = false
            var capacity = 1 << 16
            var count = 0
            var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            while true {
                if count == capacity {
                    if capacity >= Self.streamLimit { truncatedAtLimit = true; break }
                    let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                    bigger.copyMemory(from: buffer, byteCount: count)
                    buffer.deallocate()
                    buffer = bigger
                    capacity *= 2
                }
                let n = read(fd, buffer + count, capacity - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    let e = errno
                    buffer.deallocate()
                    throw .cannotOpen(path: path, errno: e)
                }
                if n == 0 { break }
                count += n
            }
            bytes = UnsafeRawBufferPointer(start: buffer, count: count)
        }
    }

    /// Drops the mapped pages before `offset` from memory (MADV_DONTNEED).
    /// For a read-only private file mapping this only frees page cache
    /// references: a later access re-reads the file, so views stay valid.
    /// Keeps the resident size of a long sequential read constant.
    func release(upTo offset: Int) {
        guard mapped, let base = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let end = min(offset, bytes.count) / page * page
        guard end > 0 else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), end, MADV_DONTNEED)
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}

/// open(2) (the name `open` is taken by `CaptureInput.open(path:)` inside the type).
private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
