/// How a child is started: where its standard streams go, whether it leads a
/// process group of its own, and whether the executable is looked up in PATH.
public struct SpawnOptions: Sendable {
    public enum Stream: Sendable, Equatable {
        /// The parent's descriptor.
        case inherit
        /// /dev/null.
        case null
        /// Appended to this file (created 0600 if missing: a log can hold what a browser saw).
        case append(String)
        /// Only for stderr: wherever stdout goes.
        case stdout
        /// A descriptor of the parent's (for a pipe), duplicated onto the stream.
        case descriptor(Int32)
    }

    public var stdin: Stream
    public var stdout: Stream
    public var stderr: Stream
    /// The child leads a new process group (pgid = its pid), so everything it
    /// starts can be signalled at once (a browser and its helpers).
    public var newProcessGroup: Bool
    /// posix_spawnp: a bare name is looked up in PATH.
    public var searchPath: Bool
    /// Extra `NAME=value` entries on top of the parent's environment.
    public var environment: [String: String]

    public init(stdin: Stream = .inherit, stdout: Stream = .inherit, stderr: Stream = .inherit,
                newProcessGroup: Bool = false, searchPath: Bool = true, environment: [String: String] = [:]) {
        self.stdin = stdin; self.stdout = stdout; self.stderr = stderr
        self.newProcessGroup = newProcessGroup; self.searchPath = searchPath; self.environment = environment
    }

    /// All three streams on /dev/null.
    public static func quiet(newProcessGroup: Bool = false) -> SpawnOptions {
        SpawnOptions(stdin: .null, stdout: .null, stderr: .null, newProcessGroup: newProcessGroup)
    }
}

/// posix_spawn failed; nothing was started.
public struct SpawnError: Error, Equatable, CustomStringConvertible {
    public var executable: String
    public var errno: Int32
    public init(executable: String, errno: Int32) { self.executable = executable; self.errno = errno }
    public var description: String { "cannot start \(executable): \(SpawnedProcess.errorText(errno))" }
}
