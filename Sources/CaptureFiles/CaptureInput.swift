import OutputFiles
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input capture, opened exactly once and held in memory for every pass:
///
/// - a regular file is memory-mapped read-only (PROT_READ, MAP_PRIVATE);
/// - anything else (a pipe, `-` for standard input, `/dev/stdin`, a FIFO, a
///   process substitution, a character device) is read once, in 1 MiB
///   chunks, into a private temporary file (mode 0600, unlinked at once, in
///   `$TMPDIR`, else /var/tmp, else /tmp) which is then mapped the same way.
///   The first bytes are checked for a pcap/pcapng magic before more is
///   read, so `analyze /dev/zero` stops after one chunk.
///
/// Owns the memory; every `ByteView` into it is valid while this lives.
/// Immutable after `init`, so readers on several threads may share it.
public final class CaptureInput: @unchecked Sendable {
    /// How the bytes came to be in memory.
    public enum Source: Sendable, Equatable {
        /// A regular file, mapped in place.
        case mapped
        /// A stream read into a private temporary file (what kind of file it was).
        case spooled(kind: String)
    }

    /// Chunk size for reading a stream.
    public static let spoolChunk = 1 << 20

    /// The path as given (`-` is standard input).
    public let path: String
    public let source: Source
    /// What was opened (device + inode): no output may replace it.
    public let identity: FileIdentity?
    public let bytes: UnsafeRawBufferPointer
    /// Set when a stream could not be spooled to its end (errno of the failed write or read).
    public let spoolStoppedErrno: Int32?

    public var size: Int { bytes.count }
    /// False for an anonymous copy: dropping its pages would zero them.
    private let fileBacked: Bool

    /// The input for `path`: the one a live `OpenCaptureInputs` holds for that path, else opened now.
    public static func open(path: String) throws(CaptureFileError) -> CaptureInput {
        if let held = OpenCaptureInputs.held(path) { return held }
        return try CaptureInput(opening: path)
    }

    /// Opens `path` (never a cached input).
    public init(opening path: String) throws(CaptureFileError) {
        self.path = path
        fileBacked = true
        let fd: Int32 = path == "-" ? fcntl(0, F_DUPFD_CLOEXEC, 0) : systemOpen(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .cannotOpen(path: path, errno: errno) }
        let kind = st.st_mode & S_IFMT
        if kind == S_IFDIR { throw .cannotOpen(path: path, errno: EISDIR) }
        identity = FileIdentity(descriptor: fd)
        if let identity { OpenedInputs.record(identity, path: path) }
        if kind == S_IFREG {
            source = .mapped
            spoolStoppedErrno = nil
            bytes = try Self.map(fd, size: Int(st.st_size), path: path)
        } else {
            source = .spooled(kind: Self.kindName(kind))
            let spool = try Self.spool(fd, path: path)
            defer { close(spool.fd) }
            spoolStoppedErrno = spool.stopped
            bytes = try Self.map(spool.fd, size: spool.size, path: path)
        }
    }

    /// An input from bytes already in memory (a test, a fuzzer), copied into a private mapping.
    public init(copying memory: UnsafeRawBufferPointer, path: String) {
        self.path = path
        source = .mapped
        fileBacked = false
        identity = nil
        spoolStoppedErrno = nil
        if memory.isEmpty {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let p = mmap(nil, memory.count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            fatalError("mmap of \(memory.count) anonymous bytes failed")
        }
        p.copyMemory(from: memory.baseAddress!, byteCount: memory.count)
        bytes = UnsafeRawBufferPointer(start: p, count: memory.count)
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
    }

    /// Hands the bytes to `body` in order, `chunk` at a time, dropping each
    /// chunk's pages after it (a hash over a large file stays small in memory).
    public func forEachChunk(_ chunk: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) -> Void) {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + max(chunk, 4096), bytes.count)
            body(UnsafeRawBufferPointer(rebasing: bytes[offset ..< end]))
            release(from: offset, upTo: end)
            offset = end
        }
    }

    /// Drops the mapped pages between `start` and `offset` from memory
    /// (MADV_DONTNEED; whole pages only, so the page `offset` is in stays).
    /// For a read-only private file mapping this only frees page cache
    /// references: a later access re-reads the file, so views stay valid.
    /// Keeps the resident size of a long sequential read constant; each
    /// caller drops only what it read since its last call (a window, not
    /// the whole prefix again: the kernel walks every page table entry of
    /// the range it is given).
    func release(from start: Int = 0, upTo offset: Int) {
        guard fileBacked, let base = bytes.baseAddress else { return }
        let first = max(0, start) / Self.pageSize * Self.pageSize
        let end = min(offset, bytes.count) / Self.pageSize * Self.pageSize
        guard end > first else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + first), end - first, MADV_DONTNEED)
    }

    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    static func map(_ fd: Int32, size: Int, path: String) throws(CaptureFileError) -> UnsafeRawBufferPointer {
        guard size > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw .cannotOpen(path: path, errno: errno)
        }
        _ = madvise(p, size, MADV_SEQUENTIAL)
        return UnsafeRawBufferPointer(start: p, count: size)
    }

    /// Copies the stream `fd` into an unlinked private temporary file, chunk by chunk.
    /// Stops after the first chunk when it does not start like a capture.
    static func spool(_ fd: Int32, path: String) throws(CaptureFileError) -> (fd: Int32, size: Int, stopped: Int32?) {
        let out = try temporaryFile(path: path)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: spoolChunk, alignment: 16)
        defer { chunk.deallocate() }
        var total = 0
        var checked = false
        var stopped: Int32?
        reading: while true {
            // Fill the chunk (short reads are normal on pipes) so each write is large.
            var filled = 0
            while filled < chunk.count {
                let n = read(fd, chunk.baseAddress! + filled, chunk.count - filled)
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    if total == 0 && filled == 0 { let e = errno; close(out); throw .cannotOpen(path: path, errno: e) }
                    stopped = errno
                    break
                }
                if n == 0 { break }
                filled += n
                if !checked && filled >= 12 { break }  // check the magic before reading further
            }
            if filled == 0 { break }
            var written = 0
            while written < filled {
                let n = write(out, chunk.baseAddress! + written, filled - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    stopped = errno
                    break reading
                }
                written += n
            }
            total += filled
            if stopped != nil { break }
            if !checked {
                checked = true
                // Not a capture: the reader says why from what is here; read no more.
                if !startsLikeCapture(UnsafeRawBufferPointer(rebasing: chunk[..<filled])) { break }
            }
        }
        return (out, total, stopped)
    }

    /// True unless the first bytes are surely no pcap or pcapng file.
    static func startsLikeCapture(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.count >= 4 else { return true }
        let magic = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
        switch magic {
        case 0xD4C3_B2A1, 0xA1B2_C3D4, 0x4D3C_B2A1, 0xA1B2_3C4D, 0x34CD_B2A1, 0xA1B2_CD34: return true
        case 0x0A0D_0D0A:
            guard b.count >= 12 else { return true }
            let bom = UInt32(b[8]) << 24 | UInt32(b[9]) << 16 | UInt32(b[10]) << 8 | UInt32(b[11])
            return bom == 0x4D3C_2B1A || bom == 0x1A2B_3C4D
        default: return false
        }
    }

    /// A new private file that no other process can open by name.
    static func temporaryFile(path: String) throws(CaptureFileError) -> Int32 {
        var dirs: [String] = []
        if let t = getenv("TMPDIR"), t.pointee != 0 { dirs.append(String(cString: t)) }
        dirs += ["/var/tmp", "/tmp"]
        var lastError: Int32 = ENOENT
        for dir in dirs {
            var template = Array("\(dir)/leakscope-input-XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
                _ = fchmod(fd, 0o600)
                return fd
            }
            lastError = errno
        }
        throw .cannotOpen(path: path, errno: lastError)
    }

    static func kindName(_ kind: mode_t) -> String {
        switch kind {
        case S_IFIFO: "pipe or FIFO"
        case S_IFCHR: "character device"
        case S_IFSOCK: "socket"
        case S_IFBLK: "block device"
        default: "stream"
        }
    }
}

/// The command's input captures, each opened once (`CaptureInput`). While
/// this lives, `CaptureInput.open(path:)` (and so `CaptureReader(path:)`)
/// with one of these paths returns the open input instead of opening the
/// path again, so every pass of an analysis reads the same bytes: a pipe is
/// read once, a file that changes meanwhile does not change the analysis.
public final class OpenCaptureInputs {
    private static let table = Mutex<[String: [CaptureInput]]>([:])

    public let inputs: [CaptureInput]

    /// Opens every path once (the same path given twice is opened once).
    /// - Throws: the first path that cannot be opened.
    public init(paths: [String]) throws(CaptureFileError) {
        var opened: [String: CaptureInput] = [:]
        var list: [CaptureInput] = []
        for p in paths {
            if let o = opened[p] { list.append(o); continue }
            let input = try CaptureInput(opening: p)
            opened[p] = input
            list.append(input)
        }
        inputs = list
        Self.table.withLock { t in for (p, i) in opened { t[p, default: []].append(i) } }
    }

    deinit {
        let mine = inputs
        Self.table.withLock { t in
            for i in mine {
                t[i.path]?.removeAll { $0 === i }
                if t[i.path]?.isEmpty == true { t[i.path] = nil }
            }
        }
    }

    /// The held input for `path`, if any (the most recently held).
    public static func held(_ path: String) -> CaptureInput? {
        table.withLock { $0[path]?.last }
    }
}

/// open(2) (the name `open` is taken by `CaptureInput.open(path:)` inside the type).
private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
