import Synchronization

/// Every file this process opened for reading (captures, analysis records,
/// sidecars), by identity. An output is checked against it before it is
/// created and again before it replaces anything, so no command can write
/// over what it read, whatever path spelling reaches it.
public enum OpenedInputs {
    private static let table = Mutex<[FileIdentity: String]>([:])

    /// Notes that `path` (as the user gave it) was opened for reading and is `identity`.
    public static func record(_ identity: FileIdentity, path: String) {
        table.withLock { t in
            if t[identity] == nil { t[identity] = path }
        }
    }

    /// The path under which `identity` was read, when it was and that path still
    /// names it (a file deleted since could have passed its inode on).
    public static func path(of identity: FileIdentity) -> String? {
        guard let path = table.withLock({ $0[identity] }) else { return nil }
        let now = path == "-" ? FileIdentity(descriptor: 0) : FileIdentity(path: path)
        return now == identity ? path : nil
    }

    /// Everything read so far, sorted by path.
    public static var all: [(identity: FileIdentity, path: String)] {
        table.withLock { t in t.map { ($0.key, $0.value) } }.sorted { $0.path < $1.path }
    }
}
