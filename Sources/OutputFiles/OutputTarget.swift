#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is at an output path, and so how it may be written:
///
/// - nothing, or a regular file: a new file is written beside it and renamed
///   over it when complete (the path's symbolic links are followed, so a link
///   stays a link and the file it names is replaced);
/// - `-`, `/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`: this process's
///   descriptor, written directly (what a shell redirection expects);
/// - a character device (`/dev/null`, a terminal), a FIFO, a socket: opened
///   and written directly, never created, truncated or replaced;
/// - anything else (a directory, a block device): refused, before any work.
public struct OutputTarget: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Nothing there: created.
        case absent
        /// A regular file with these permission bits: replaced atomically.
        case regular(mode: UInt32)
        /// One of this process's open descriptors (`-` is 1).
        case descriptor(Int32)
        /// `/proc/PID/fd/N` of another process: opened through the link.
        case foreignDescriptor
        case characterDevice
        case fifo
        case socket
    }

    /// The path as the user gave it.
    public let path: String
    /// Where the file is, after following links (the directory the temporary file goes to).
    public let resolvedPath: String
    public let kind: Kind
    /// What is there now (nil when nothing is).
    public let identity: FileIdentity?

    /// True when the output is written in place (no temporary file, no rename).
    public var isDirect: Bool {
        switch kind {
        case .absent, .regular: false
        default: true
        }
    }

    /// Looks at `path` (without creating anything) and says how it will be written,
    /// or why it must not be.
    public static func inspect(_ path: String) throws(OutputFileError) -> OutputTarget {
        if path == "-" {
            return OutputTarget(path: path, resolvedPath: "-", kind: .descriptor(1), identity: FileIdentity(descriptor: 1))
        }
        guard !path.isEmpty else { throw .refused(path: path, reason: "the path is empty") }
        if path.hasSuffix("/") { throw .refused(path: path, reason: "it names a directory (give a file name)") }
        var current = path
        for _ in 0 ..< 40 {
            let (dir, base) = split(current)
            let realDir = try directory(dir, of: path)
            if let n = descriptorNumber(directory: realDir, name: base) {
                guard let id = FileIdentity(descriptor: n) else { throw .open(path: path, errno: EBADF) }
                return OutputTarget(path: path, resolvedPath: current, kind: .descriptor(n), identity: id)
            }
            let full = realDir == "/" ? "/" + base : realDir + "/" + base
            if isForeignDescriptorDirectory(realDir) {
                return OutputTarget(path: path, resolvedPath: full, kind: .foreignDescriptor, identity: FileIdentity(path: full))
            }
            var st = stat()
            if lstat(full, &st) != 0 {
                if errno == ENOENT { return OutputTarget(path: path, resolvedPath: full, kind: .absent, identity: nil) }
                throw .inspect(path: path, errno: errno)
            }
            let id = FileIdentity(st)
            switch st.st_mode & S_IFMT {
            case S_IFLNK:
                guard let target = readLink(full) else { throw .inspect(path: path, errno: errno) }
                current = target.hasPrefix("/") ? target : (realDir == "/" ? "/" : realDir + "/") + target
            case S_IFREG:
                return OutputTarget(path: path, resolvedPath: full, kind: .regular(mode: UInt32(st.st_mode) & 0o7777), identity: id)
            case S_IFCHR: return OutputTarget(path: path, resolvedPath: full, kind: .characterDevice, identity: id)
            case S_IFIFO: return OutputTarget(path: path, resolvedPath: full, kind: .fifo, identity: id)
            case S_IFSOCK: return OutputTarget(path: path, resolvedPath: full, kind: .socket, identity: id)
            case S_IFDIR: throw .refused(path: path, reason: "it is a directory (give a file name)")
            case S_IFBLK: throw .refused(path: path, reason: "it is a block device (a disk or partition); an output never writes to one")
            default: throw .refused(path: path, reason: "it is not a regular file, a character device, a FIFO or a socket")
            }
        }
        throw .inspect(path: path, errno: ELOOP)
    }

    /// (directory, last component); "" directory means the current one.
    static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = slash == path.startIndex ? "/" : String(path[..<slash])
        return (dir, String(path[path.index(after: slash)...]))
    }

    /// The canonical directory (links resolved); it must exist.
    static func directory(_ dir: String, of path: String) throws(OutputFileError) -> String {
        guard let p = realpath(dir, nil) else {
            if errno == ENOENT || errno == ENOTDIR { throw .noDirectory(path: path, directory: dir) }
            throw .inspect(path: path, errno: errno)
        }
        defer { free(p) }
        let real = String(cString: p)
        var st = stat()
        guard stat(real, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { throw .noDirectory(path: path, directory: dir) }
        return real
    }

    /// N when `directory/name` is this process's descriptor N (/proc/self/fd/N, /dev/fd/N).
    static func descriptorNumber(directory: String, name: String) -> Int32? {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int32(name) else { return nil }
        let me = String(getpid())
        let parts = directory.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts == ["dev", "fd"] { return n }
        guard parts.count >= 3, parts[0] == "proc", parts.last == "fd" else { return nil }
        if parts.count == 3, parts[1] == me || parts[1] == "self" { return n }
        if parts.count == 5, parts[1] == me, parts[2] == "task" { return n }
        return nil
    }

    /// /proc/PID/fd of another process: its entries are links to descriptors, not to paths.
    static func isForeignDescriptorDirectory(_ directory: String) -> Bool {
        let parts = directory.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 3, parts[0] == "proc", parts.last == "fd" else { return false }
        return parts[1].allSatisfy(\.isNumber)
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0 ..< n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
