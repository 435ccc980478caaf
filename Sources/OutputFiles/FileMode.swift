import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Permission bits of a created output (no set-id or sticky bits).
public struct FileMode: Hashable, Sendable, CustomStringConvertible {
    public let bits: UInt32

    /// Captures, evidence, records, reports and sidecars hold what was on the
    /// wire (addresses, names, sometimes credentials): owner only.
    public static let privateDefault = FileMode(bits: 0o600)

    public init(bits: UInt32) { self.bits = bits & 0o777 }

    /// "600", "0600", "0o600": octal permission bits, 0 ... 0777.
    public init?(parsing text: String) {
        var digits = Substring(text)
        if digits.hasPrefix("0o") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.count <= 4, let v = UInt32(digits, radix: 8), v <= 0o777 else { return nil }
        bits = v
    }

    /// Four octal digits: "0600".
    public var description: String {
        let s = String(bits, radix: 8)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}

/// How this process creates outputs: the command's `--file-mode`, set once
/// before any output is written (like a umask, but exact).
public enum OutputPolicy {
    private struct State { var mode = FileMode.privateDefault; var given = false }
    private static let state = Mutex(State())

    /// `--file-mode MODE`: every output created (or replaced) gets exactly this mode.
    public static func setFileMode(_ mode: FileMode) {
        state.withLock { $0 = State(mode: mode, given: true) }
    }

    /// Back to the default: new files 0600, a replaced file keeps its mode.
    public static func reset() { state.withLock { $0 = State() } }

    /// The mode a new output gets.
    public static var creationMode: FileMode { state.withLock { $0.mode } }

    /// Whether `--file-mode` was given (then it also applies to replaced files).
    public static var modeGiven: Bool { state.withLock { $0.given } }

    /// The mode for an output replacing a file of `existing` mode (nil: nothing there).
    public static func mode(replacing existing: UInt32?) -> FileMode {
        let s = state.withLock { $0 }
        if let existing, !s.given { return FileMode(bits: existing) }
        return s.mode
    }
}
