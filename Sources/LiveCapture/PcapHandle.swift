#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPcap
import CaptureFiles

/// Settings every handle of a capture shares.
public struct HandleOptions: Sendable, Equatable {
    /// Bytes kept per packet; 262144 keeps whole packets (as tcpdump -s 0).
    public var snapLength: Int32 = 262_144
    public var promiscuous = false
    /// Kernel buffer size in bytes (nil: libpcap's default, 2 MiB on Linux).
    public var bufferSize: Int32?
    /// BPF expression applied to every handle.
    public var filter: String?
    /// Deliver each packet at once instead of in kernel blocks. Off by
    /// default: on Linux it forces TPACKET_V2, whose ring has fixed-size
    /// slots of about the snaplen, so a 2 MiB buffer holds ~8 packets of a
    /// raw-IP tunnel at snaplen 262144 and bursts are dropped. Without it
    /// (TPACKET_V3) packets arrive at most `blockTimeoutMilliseconds` late,
    /// which the reorder window absorbs.
    public var immediate: Bool
    /// Longest a packet waits in a kernel block before delivery (pcap_set_timeout).
    public var blockTimeoutMilliseconds: Int32

    public init(
        snapLength: Int32 = 262_144, promiscuous: Bool = false, bufferSize: Int32? = nil, filter: String? = nil,
        immediate: Bool = false, blockTimeoutMilliseconds: Int32 = 50
    ) {
        self.snapLength = snapLength
        self.promiscuous = promiscuous
        self.bufferSize = bufferSize
        self.filter = filter
        self.immediate = immediate
        self.blockTimeoutMilliseconds = blockTimeoutMilliseconds
    }
}

/// One activated, non-blocking libpcap handle on one interface.
final class PcapHandle {
    let interface: String
    let linkType: LinkType
    let snapLength: Int32
    /// For poll(2).
    let selectableFD: Int32
    /// True when timestamps are nanoseconds (else microseconds).
    let nanosecondTimestamps: Bool
    /// Warnings from pcap_activate (> 0 results), e.g. promiscuous not supported.
    let warnings: [String]
    private var pcap: OpaquePointer?

    /// pcap_create, snaplen, promisc, immediate mode or block timeout, buffer size, ns
    /// timestamps, pcap_activate, filter, non-blocking, selectable fd.
    init(interface: String, options: HandleOptions) throws(LiveCaptureError) {
        self.interface = interface
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let p = pcap_create(interface, &errbuf) else {
            throw .pcap(interface: interface, step: "pcap_create", detail: cString(errbuf))
        }
        var ok = false
        defer { if !ok { pcap_close(p) } }
        _ = pcap_set_snaplen(p, options.snapLength)
        _ = pcap_set_promisc(p, options.promiscuous ? 1 : 0)
        _ = pcap_set_immediate_mode(p, options.immediate ? 1 : 0)
        _ = pcap_set_timeout(p, options.blockTimeoutMilliseconds)
        if let size = options.bufferSize { _ = pcap_set_buffer_size(p, size) }
        _ = pcap_set_tstamp_precision(p, Int32(PCAP_TSTAMP_PRECISION_NANO))
        let status = pcap_activate(p)
        var warnings: [String] = []
        if status < 0 {
            let detail = Self.statusText(p, status)
            switch status {
            case PcapStatus.permission, PcapStatus.promiscPermissionDenied:
                throw .permissionDenied(interface: interface, detail: detail)
            case PcapStatus.noSuchDevice:
                throw .noSuchInterface(interface: interface, detail: detail)
            default:
                throw .pcap(interface: interface, step: "pcap_activate", detail: detail)
            }
        } else if status > 0 {
            warnings.append(Self.statusText(p, status))
        }
        linkType = LinkType(dataLinkType: pcap_datalink(p))
        snapLength = pcap_snapshot(p)
        nanosecondTimestamps = pcap_get_tstamp_precision(p) == Int32(PCAP_TSTAMP_PRECISION_NANO)
        if let expression = options.filter {
            var program = bpf_program()
            guard pcap_compile(p, &program, expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
                throw .filter(interface: interface, expression: expression, detail: String(cString: pcap_geterr(p)))
            }
            defer { pcap_freecode(&program) }
            guard pcap_setfilter(p, &program) == 0 else {
                throw .filter(interface: interface, expression: expression, detail: String(cString: pcap_geterr(p)))
            }
        }
        guard pcap_setnonblock(p, 1, &errbuf) == 0 else {
            throw .pcap(interface: interface, step: "pcap_setnonblock", detail: cString(errbuf))
        }
        let fd = pcap_get_selectable_fd(p)
        guard fd >= 0 else {
            throw .pcap(interface: interface, step: "pcap_get_selectable_fd", detail: "no selectable descriptor")
        }
        // The command after `--` must not inherit the capture socket.
        _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
        selectableFD = fd
        self.warnings = warnings
        pcap = p
        ok = true
    }

    deinit { close() }

    func close() {
        if let p = pcap { pcap_close(p) }
        pcap = nil
    }

    enum Next {
        case packet(timestampNanoseconds: Int64, originalLength: Int, bytes: UnsafeRawBufferPointer)
        /// Nothing buffered right now (non-blocking).
        case none
        case error(String)
    }

    /// The next packet; its bytes are valid until the next call.
    func next() -> Next {
        guard let p = pcap else { return .error("handle closed") }
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        switch pcap_next_ex(p, &header, &data) {
        case 1:
            guard let h = header, let d = data else { return .none }
            let ts = h.pointee.ts
            let fraction = Int64(ts.tv_usec) * (nanosecondTimestamps ? 1 : 1000)
            let length = Int(h.pointee.caplen)
            return .packet(
                timestampNanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + fraction,
                originalLength: Int(h.pointee.len),
                bytes: UnsafeRawBufferPointer(start: d, count: length))
        case 0, PcapStatus.breakLoop:
            return .none
        default:
            return .error(String(cString: pcap_geterr(p)))
        }
    }

    struct Counters: Sendable, Equatable {
        var received: UInt64
        var dropped: UInt64
        var interfaceDropped: UInt64
    }

    /// pcap_stats, or nil when the platform cannot say.
    func statistics() -> Counters? {
        guard let p = pcap else { return nil }
        var s = pcap_stat()
        guard pcap_stats(p, &s) == 0 else { return nil }
        return Counters(received: UInt64(s.ps_recv), dropped: UInt64(s.ps_drop), interfaceDropped: UInt64(s.ps_ifdrop))
    }

    private static func statusText(_ p: OpaquePointer, _ status: Int32) -> String {
        let generic = String(cString: pcap_statustostr(status))
        let specific = String(cString: pcap_geterr(p))
        return specific.isEmpty ? generic : "\(generic): \(specific)"
    }
}

/// libpcap status codes (pcap/pcap.h); negative macros are not imported into Swift.
enum PcapStatus {
    static let breakLoop: Int32 = -2
    static let noSuchDevice: Int32 = -5
    static let permission: Int32 = -8
    static let promiscPermissionDenied: Int32 = -11
}
