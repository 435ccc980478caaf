#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a spawned process ended.
public enum ProcessExit: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Decodes a waitpid(2) status word.
    public init(waitStatus s: Int32) {
        let signal = s & 0x7F
        self = signal == 0 ? .exited((s >> 8) & 0xFF) : .signaled(signal)
    }

    public var description: String {
        switch self {
        case let .exited(code): "exited with status \(code)"
        case let .signaled(signal): "killed by signal \(signal)"
        }
    }
}
