import OutputFiles

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small file read beside a capture (`.ifindex`, `.interfaces`,
/// `.candidates.json`, a name from a section comment). Such names come from
/// the input, so only a regular file is opened: a FIFO would hang the
/// analysis, a device could act on being opened. The file is recorded in
/// `OpenedInputs` so no output replaces it.
public enum SidecarFile {
    public enum Read: Sendable, Equatable {
        case contents([UInt8])
        /// Nothing at the path.
        case absent
        /// Something that is not a regular file (what it is); never opened.
        case notRegular(String)
        /// Larger than the limit; not read.
        case tooLarge(limit: Int)
        case failed(errno: Int32)
    }

    /// Reads `path` when it is a regular file of at most `limit` bytes.
    public static func read(_ path: String, limit: Int) -> Read { readRegular(path, limit: limit) }

    private static func readRegular(_ path: String, limit: Int) -> Read {
        var st = stat()
        guard stat(path, &st) == 0 else { return errno == ENOENT || errno == ENOTDIR ? .absent : .failed(errno: errno) }
        guard st.st_mode & S_IFMT == S_IFREG else { return .notRegular(kindName(st.st_mode & S_IFMT)) }
        // O_NONBLOCK: should the path be swapped for a FIFO after the stat, opening it cannot hang.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else { return .failed(errno: errno) }
        defer { close(fd) }
        var now = stat()
        guard fstat(fd, &now) == 0, now.st_mode & S_IFMT == S_IFREG else { return .notRegular(kindName(now.st_mode & S_IFMT)) }
        OpenedInputs.record(FileIdentity(device: UInt64(now.st_dev), inode: UInt64(now.st_ino)), path: path)
        guard Int(now.st_size) <= limit else { return .tooLarge(limit: limit) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while out.count <= limit {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .failed(errno: errno)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[..<n])
        }
        return out.count > limit ? .tooLarge(limit: limit) : .contents(out)
    }

    /// True when `path` names a regular file now (with `followLinks: false`, a link is not one).
    public static func isRegular(_ path: String, followLinks: Bool = true) -> Bool {
        var st = stat()
        let rc = followLinks ? stat(path, &st) : lstat(path, &st)
        return rc == 0 && st.st_mode & S_IFMT == S_IFREG
    }

    static func kindName(_ kind: mode_t) -> String {
        switch kind {
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFDIR: "a directory"
        default: "not a regular file"
        }
    }
}

private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { read(fd, p, n) }
