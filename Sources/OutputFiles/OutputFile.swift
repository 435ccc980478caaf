#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one output, the way its path allows (`OutputTarget`):
///
/// - absent or a regular file, `.atomic`: bytes go, buffered, to a hidden
///   `.<name>.<pid>.<random>.tmp` beside the target; `commit()` flushes,
///   fsyncs, checks the target is still absent or a regular file (and no
///   input), renames over it and fsyncs the directory. A reader never sees
///   half an output; a failure leaves the old file as it was.
/// - absent or a regular file, `.partial` (live captures): bytes go to the
///   visible `<name>.partial`, locked while written, flushed by `sync()`, and
///   renamed to `<name>` on `commit()`. A capture killed with SIGKILL leaves
///   that file, readable up to its last whole block (docs/live-capture.md).
/// - a descriptor, character device, FIFO or socket: written directly.
///
/// New files get `OutputPolicy.mode(replacing:)`: 0600, or the mode of the
/// file they replace, or exactly `--file-mode`. The owner is whoever writes
/// (after `capture -Z user`, that user). Not thread-safe: one owner writes.
public final class OutputFile {
    public enum Style: Sendable, Equatable {
        /// A hidden temporary file renamed over the target when complete.
        case atomic
        /// A visible `NAME.partial`, kept when the process dies, renamed to `NAME` on commit.
        case partial
    }

    /// A partial file left by an earlier capture that did not finish, moved aside.
    public struct Leftover: Sendable, Equatable {
        public var from: String
        public var movedTo: String
        public var size: Int64
        public var modifiedSeconds: Int64
    }

    /// The path as the user gave it.
    public var path: String { target.path }
    public let target: OutputTarget
    public let style: Style
    /// The file written until `commit()`: the temporary or partial file, or the target itself when direct.
    public let writingPath: String
    /// Set when `.partial` found and moved aside an unfinished earlier capture.
    public let leftover: Leftover?
    /// The mode the file was created with (nil when written directly).
    public let mode: FileMode?
    /// Bytes accepted so far (buffered or written).
    public private(set) var bytesWritten: UInt64 = 0
    /// Sees every byte written, in order (e.g. to hash an output that cannot be read back: a FIFO, `-`).
    public var observer: ((UnsafeRawBufferPointer) -> Void)?

    private var fd: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var used = 0

    public var isOpen: Bool { fd >= 0 }
    public var isDirect: Bool { target.isDirect }

    /// Inspects `path` and opens it for writing (see the type's description).
    public convenience init(path: String, style: Style = .atomic, bufferSize: Int = 1 << 20) throws(OutputFileError) {
        try self.init(target: OutputTarget.inspect(path), style: style, bufferSize: bufferSize)
    }

    public init(target: OutputTarget, style: Style = .atomic, bufferSize: Int = 1 << 20) throws(OutputFileError) {
        self.target = target
        self.style = style
        try Self.refuseInput(target)
        var leftover: Leftover?
        switch target.kind {
        case .absent, .regular(mode: _):
            let existing: UInt32? = if case .regular(let m) = target.kind { m } else { nil }
            let mode = OutputPolicy.mode(replacing: existing)
            self.mode = mode
            switch style {
            case .atomic:
                (fd, writingPath) = try Self.createTemporary(beside: target.resolvedPath, mode: mode)
            case .partial:
                let partial = target.resolvedPath + ".partial"
                leftover = try Self.moveAsideLeftover(partial)
                fd = try Self.createPartial(partial, mode: mode)
                writingPath = partial
            }
        default:
            mode = nil
            writingPath = target.resolvedPath
            fd = try Self.openDirect(target)
        }
        self.leftover = leftover
        buffer = .allocate(byteCount: max(bufferSize, 4096), alignment: 16)
    }

    deinit {
        if fd >= 0 { abandon() }
        buffer.deallocate()
    }

    // MARK: Writing

    /// Appends bytes; they reach the file when the buffer fills, on `flush()` or on `commit()`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(OutputFileError) {
        guard fd >= 0 else { throw .closed(path: path) }
        bytesWritten += UInt64(bytes.count)
        observer?(bytes)
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

    public func write(_ bytes: [UInt8]) throws(OutputFileError) {
        let result: Result<Void, OutputFileError> = bytes.withUnsafeBytes { raw in
            do throws(OutputFileError) { try write(raw); return .success(()) } catch { return .failure(error) }
        }
        try result.get()
    }

    public func write(_ string: String) throws(OutputFileError) {
        var s = string
        let result: Result<Void, OutputFileError> = s.withUTF8 { utf8 in
            do throws(OutputFileError) { try write(UnsafeRawBufferPointer(utf8)); return .success(()) } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Writes the buffer out (write(2), no fsync): after this a SIGKILL loses nothing written so far.
    public func flush() throws(OutputFileError) {
        guard fd >= 0 else { throw .closed(path: path) }
        guard used > 0 else { return }
        let pending = UnsafeRawBufferPointer(rebasing: buffer[..<used])
        used = 0
        try writeAll(pending)
    }

    /// Flushes and, for a file on disk, fdatasyncs: after this a power cut loses nothing written so far.
    public func sync() throws(OutputFileError) {
        try flush()
        guard !isDirect else { return }
        if fdatasync(fd) != 0 && errno != EINVAL { throw .sync(path: writingPath, errno: errno) }
    }

    // MARK: Finishing

    /// Flushes; for a file on disk fsyncs, renames into place and fsyncs the
    /// directory. On failure the temporary file is removed (a partial file is
    /// kept: it holds a capture) and the target is untouched.
    public func commit() throws(OutputFileError) {
        guard fd >= 0 else { throw .closed(path: path) }
        if isDirect {
            defer { closeDescriptor() }
            try flush()
            return
        }
        do throws(OutputFileError) {
            try flush()
            if fsync(fd) != 0 { throw .sync(path: writingPath, errno: errno) }
            try Self.checkStillReplaceable(target)
            if rename(writingPath, target.resolvedPath) != 0 {
                throw .rename(from: writingPath, to: target.resolvedPath, errno: errno)
            }
        } catch {
            if style == .atomic { unlink(writingPath) }
            closeDescriptor()
            throw error
        }
        closeDescriptor()  // after the rename: a partial file stays locked until it has its final name
        syncDirectory()
    }

    /// Stops writing and removes what was written (the temporary or partial
    /// file); the target is untouched. A direct output is just closed.
    public func abandon() {
        guard fd >= 0 else { return }
        if !isDirect { unlink(writingPath) }
        closeDescriptor()
    }

    /// Stops writing and keeps what was written under `writingPath` (a partial
    /// capture after an error): flushed and fsynced as far as possible.
    @discardableResult
    public func keep() -> String {
        guard fd >= 0 else { return writingPath }
        try? flush()
        if !isDirect { _ = fsync(fd) }
        closeDescriptor()
        return writingPath
    }

    // MARK: One-call writes

    /// Writes `bytes` to `path` (atomically when it is a file) in one call.
    public static func write(_ bytes: [UInt8], to path: String) throws(OutputFileError) {
        let out = try OutputFile(path: path, bufferSize: bytes.count + 1)
        try out.write(bytes)
        try out.commit()
    }

    public static func write(_ text: String, to path: String) throws(OutputFileError) {
        try write(Array(text.utf8), to: path)
    }

    /// Runs `body` against a writer for `path`; commits when it returns,
    /// abandons (removing the temporary file) when it throws, and rethrows.
    public static func write(to path: String, _ body: (OutputFile) throws -> Void) throws {
        let out = try OutputFile(path: path)
        do {
            try body(out)
            try out.commit()
        } catch {
            out.abandon()
            throw error
        }
    }

    // MARK: Private

    private func closeDescriptor() {
        if fd >= 0 { close(fd) }
        fd = -1
        used = 0
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(OutputFileError) {
        if let e = OutputFiles.writeAll(fd, bytes) { throw .write(path: writingPath, errno: e) }
    }

    /// Makes the rename durable; failure here cannot be undone, so it is ignored.
    private func syncDirectory() {
        let (dir, _) = OutputTarget.split(target.resolvedPath)
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    static func refuseInput(_ target: OutputTarget) throws(OutputFileError) {
        if let id = target.identity, let input = OpenedInputs.path(of: id) {
            throw .isAnInput(output: target.path, input: input)
        }
    }

    /// Right before the rename: the target must still be absent or a regular file that is no input.
    static func checkStillReplaceable(_ target: OutputTarget) throws(OutputFileError) {
        var st = stat()
        if lstat(target.resolvedPath, &st) != 0 {
            if errno == ENOENT { return }
            throw .inspect(path: target.resolvedPath, errno: errno)
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw .changed(path: target.path, reason: "it is no longer a regular file")
        }
        if let input = OpenedInputs.path(of: FileIdentity(st)) { throw .isAnInput(output: target.path, input: input) }
    }

    static func createTemporary(beside path: String, mode: FileMode) throws(OutputFileError) -> (Int32, String) {
        let (dir, base) = OutputTarget.split(path)
        let prefix = dir == "/" ? "/" : dir + "/"
        var candidate = ""
        for _ in 0 ..< 16 {
            candidate = "\(prefix).\(base).\(getpid()).\(UInt32.random(in: 0 ... .max)).tmp"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if fd >= 0 {
                if fchmod(fd, mode_t(mode.bits)) != 0 {
                    let e = errno
                    close(fd); unlink(candidate)
                    throw .createTemporary(path: candidate, errno: e)
                }
                return (fd, candidate)
            }
            if errno != EEXIST { break }
        }
        throw .createTemporary(path: candidate, errno: errno)
    }

    static func createPartial(_ partial: String, mode: FileMode) throws(OutputFileError) -> Int32 {
        let fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw .busy(path: partial, reason: "another capture into the same file started at the same time") }
            throw .createTemporary(path: partial, errno: errno)
        }
        // Held until the final rename: a second capture into the same name sees it is live.
        if flock(fd, LOCK_EX | LOCK_NB) != 0 || fchmod(fd, mode_t(mode.bits)) != 0 {
            let e = errno
            close(fd); unlink(partial)
            throw .createTemporary(path: partial, errno: e)
        }
        return fd
    }

    /// An existing `NAME.partial`: live (locked by a running capture) is refused; left by a
    /// capture that did not finish, it is renamed to `NAME.partial-<UTC time of its last write>`.
    static func moveAsideLeftover(_ partial: String) throws(OutputFileError) -> Leftover? {
        var st = stat()
        if lstat(partial, &st) != 0 {
            if errno == ENOENT { return nil }
            throw .inspect(path: partial, errno: errno)
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw .refused(path: partial, reason: "it exists and is not a regular file, so it is no capture's partial file")
        }
        let fd = open(partial, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { throw .inspect(path: partial, errno: errno) }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK {
                throw .busy(path: partial, reason: "another capture is writing into the same file now; choose another -w name")
            }
            throw .inspect(path: partial, errno: errno)
        }
        let stamp = utcStamp(Int64(st.st_mtim.tv_sec))
        var destination = "\(partial)-\(stamp)"
        var n = 1
        while access(destination, F_OK) == 0 { n += 1; destination = "\(partial)-\(stamp)-\(n)" }
        guard rename(partial, destination) == 0 else { throw .rename(from: partial, to: destination, errno: errno) }
        return Leftover(from: partial, movedTo: destination, size: Int64(st.st_size), modifiedSeconds: Int64(st.st_mtim.tv_sec))
    }

    /// "20250102T030405Z"
    static func utcStamp(_ seconds: Int64) -> String {
        var t = time_t(seconds)
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(tm.tm_year + 1900)\(two(tm.tm_mon + 1))\(two(tm.tm_mday))T\(two(tm.tm_hour))\(two(tm.tm_min))\(two(tm.tm_sec))Z"
    }

    static func openDirect(_ target: OutputTarget) throws(OutputFileError) -> Int32 {
        switch target.kind {
        case .descriptor(let n):
            let fd = fcntl(n, F_DUPFD_CLOEXEC, 0)
            guard fd >= 0 else { throw .open(path: target.path, errno: errno) }
            return fd
        case .socket:
            return try connectSocket(target)
        case .characterDevice, .fifo, .foreignDescriptor:
            // Never O_CREAT or O_TRUNC: this opens what is there or fails.
            let fd = open(target.resolvedPath, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else { throw .open(path: target.path, errno: errno) }
            var st = stat()
            if target.kind != .foreignDescriptor {
                guard fstat(fd, &st) == 0, FileIdentity(st) == target.identity,
                      st.st_mode & S_IFMT == S_IFCHR || st.st_mode & S_IFMT == S_IFIFO else {
                    close(fd)
                    throw .changed(path: target.path, reason: "it is no longer the device or FIFO it was")
                }
            }
            return fd
        case .absent, .regular:
            throw .open(path: target.path, errno: EINVAL)
        }
    }

    static func connectSocket(_ target: OutputTarget) throws(OutputFileError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(target.resolvedPath.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw .open(path: target.path, errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        #if canImport(Glibc)
        let stream = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let stream = SOCK_STREAM
        #endif
        let fd = socket(AF_UNIX, stream, 0)
        guard fd >= 0 else { throw .open(path: target.path, errno: errno) }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw .open(path: target.path, errno: e)
        }
        return fd
    }
}
