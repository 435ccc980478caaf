#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CaptureFiles

/// Why a live capture could not start or finish. Every case names the
/// interface, file, user or command it is about.
public enum LiveCaptureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// pcap_activate said PCAP_ERROR_PERM (or promiscuous mode was refused).
    case permissionDenied(interface: String, detail: String)
    /// No interface of that name (PCAP_ERROR_NO_SUCH_DEVICE).
    case noSuchInterface(interface: String, detail: String)
    /// Any other libpcap failure while opening or configuring a handle.
    case pcap(interface: String, step: String, detail: String)
    /// The BPF expression did not compile for this interface's link type.
    case filter(interface: String, expression: String, detail: String)
    case listInterfaces(detail: String)
    /// `-Z user` failed: unknown user or the set*id calls failed.
    case privilegeDrop(user: String, detail: String)
    /// The command after `--` could not be started.
    case spawn(command: String, errno: Int32)
    case output(PcapNGWriterError)
    /// The capture failed after writing packets: they are kept in the partial file at `path`.
    case keptPartial(path: String, packets: UInt64, cause: String)
    case system(call: String, errno: Int32)
    case usage(String)

    public var description: String {
        switch self {
        case let .permissionDenied(interface, detail):
            """
            no permission to capture on \(interface): \(detail)
            capturing needs root or the capture capabilities: run with sudo, or grant CAP_NET_RAW once with
              sudo setcap cap_net_raw,cap_net_admin=eip "$(which leakscope)"
            """
        case let .noSuchInterface(interface, detail):
            "no interface named '\(interface)' (\(detail)); `leakscope interfaces` lists what can be captured"
        case let .pcap(interface, step, detail): "\(interface): \(step) failed: \(detail)"
        case let .filter(interface, expression, detail): "\(interface): bad capture filter '\(expression)': \(detail)"
        case let .listInterfaces(detail): "cannot list interfaces: \(detail)"
        case let .privilegeDrop(user, detail): "cannot switch to user '\(user)': \(detail)"
        case let .spawn(command, e): "cannot start '\(command)': \(String(cString: strerror(e)))"
        case let .output(e): e.description
        case let .keptPartial(path, packets, cause):
            "\(cause)\nthe \(packets) packets captured before that are kept in \(path) (docs/live-capture.md, \"Recovering a partial capture\")"
        case let .system(call, e): "\(call) failed: \(String(cString: strerror(e)))"
        case let .usage(text): text
        }
    }
}
