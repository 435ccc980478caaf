import CaptureFiles
import OutputFiles
import ProcessSpawning

/// What `leakscope capture` asks for.
public struct LiveCaptureOptions: Sendable {
    /// Interface names, in IDB order.
    public var interfaces: [String]
    /// The pcapng file to write (atomically).
    public var outputPath: String
    public var handle: HandleOptions
    /// Stop after this many seconds.
    public var duration: Double?
    /// Stop after this many packets (all interfaces together).
    public var count: Int?
    /// Keep capturing this long after the command exits, for trailing packets.
    public var grace: Double
    /// `-Z`: become this user after opening the handles, before the output.
    public var user: String?
    /// Run this command (argv) during the capture; stop when it exits.
    public var command: [String]
    /// Record the routing table (start, changes, stop) in the file (positive control; docs/live-capture.md).
    public var recordRoutes = true
    /// `--canary`: send canaries at start and stop (nil: none).
    public var canary: CanaryOptions?
    /// Cross-interface reorder window (seconds).
    public var reorderWindow: Double
    /// SHB options (tool, version, host, command line).
    public var section: PcapNGWriter.Section
    /// Seconds between flushes (write + fdatasync) of the partial file: what a
    /// SIGKILL or power cut may lose, plus the reorder window and the kernel's block timeout.
    public var flushInterval: Double = 0.5

    public init(
        interfaces: [String], outputPath: String, handle: HandleOptions = HandleOptions(), duration: Double? = nil,
        count: Int? = nil, grace: Double = 1, user: String? = nil, command: [String] = [],
        reorderWindow: Double = 0.2, section: PcapNGWriter.Section = PcapNGWriter.Section()
    ) {
        self.interfaces = interfaces
        self.outputPath = outputPath
        self.handle = handle
        self.duration = duration
        self.count = count
        self.grace = grace
        self.user = user
        self.command = command
        self.reorderWindow = reorderWindow
        self.section = section
    }
}

/// What a finished capture did, per interface and overall.
public struct LiveCaptureSummary: Sendable {
    public struct Interface: Sendable, Equatable {
        public var name: String
        public var linkType: LinkType
        /// Packets written to the file.
        public var written: UInt64
        /// libpcap `ps_recv` / `ps_drop` / `ps_ifdrop` (nil when unavailable).
        public var received: UInt64?
        public var droppedByKernel: UInt64?
        public var droppedByInterface: UInt64?
        /// Set when the interface stopped before the capture did.
        public var stopped: InterfaceEvent?
    }

    /// Route snapshots written after the start one (the table changed during the capture).
    public var routeChanges = 0
    /// The canaries sent (or refused by the kernel), in order.
    public var canaries: [CanaryRecord] = []

    public enum StopReason: Sendable, Equatable, CustomStringConvertible {
        case duration, count, signal(Int32), commandExited, interfacesFailed

        public var description: String {
            switch self {
            case .duration: "duration reached"
            case .count: "packet count reached"
            case let .signal(s): s == 2 ? "interrupted (SIGINT)" : s == 15 ? "terminated (SIGTERM)" : "signal \(s)"
            case .commandExited: "command exited"
            case .interfacesFailed: "every interface failed"
            }
        }
    }

    public var outputPath: String
    public var interfaces: [Interface]
    public var stopReason: StopReason
    /// How the command after `--` ended, when one was given.
    public var commandExit: ProcessExit?
    /// Non-fatal problems (activation warnings, an interface that went down).
    public var warnings: [String]
    /// Packets released from the reorder window early because it was full.
    public var reorderOverflows: Int
    /// An unfinished earlier capture's partial file that was moved aside to start this one.
    public var leftover: OutputFile.Leftover?
}

/// What the capture is about to do, reported once the handles are open and
/// the output exists (the CLI prints it; tests wait for it).
public struct LiveCaptureReady: Sendable {
    public var interfaces: [(name: String, linkType: LinkType)]
    public var outputPath: String
    public var commandPID: Int32?
    /// Where packets go until the capture stops (`NAME.partial`, or the output itself when direct).
    public var writingPath: String
    /// An unfinished earlier capture's partial file that was moved aside.
    public var leftover: OutputFile.Leftover?
}
