import OutputFiles
import OutputText

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why writing a pcapng file failed.
public enum PcapNGWriterError: Error, Equatable, Sendable, CustomStringConvertible {
    case file(OutputFileError)
    /// A packet named an interface id no IDB was written for.
    case unknownInterface(id: UInt32, path: String)

    public var description: String {
        switch self {
        case let .file(e): e.description
        case let .unknownInterface(id, path): "\(path): packet for interface \(id), which was never described"
        }
    }
}

/// Streams a pcapng file (one section): an SHB naming the tool, host and
/// command line, one IDB per interface (`if_tsresol` = 9: nanoseconds), EPBs,
/// and at `close` one ISB per interface (or earlier, with `finishInterface`,
/// when an interface stops during a live capture). Written through
/// `OutputFile`: atomically (the file appears at `path` complete or not at
/// all), as a visible `NAME.partial` that survives a SIGKILL (live capture),
/// or directly to a FIFO, device or standard output.
///
/// Per packet it copies the bytes once into a large buffer and allocates
/// nothing (a per-packet comment costs its UTF-8 bytes).
public final class PcapNGWriter {
    /// Section Header Block options.
    public struct Section: Sendable, Equatable {
        public var comment: String?
        public var hardware: String?
        public var os: String?
        public var userApplication: String?

        public init(comment: String? = nil, hardware: String? = nil, os: String? = nil, userApplication: String? = nil) {
            self.comment = comment
            self.hardware = hardware
            self.os = os
            self.userApplication = userApplication
        }

        /// Describes this process: `comment` = `comment(tool:version:host:commandLine:)`
        /// for this host, `hardware` = machine, `os` = kernel name and release,
        /// `userApplication` = "<tool> <version>". `commandLine` is the raw argv
        /// (argv[0] included); it is quoted and redacted here.
        public static func describingThisProcess(tool: String, version: String, commandLine: [String]) -> Section {
            let host = SystemInfo.hostName()
            let (machine, os) = SystemInfo.machineAndOS()
            return Section(
                comment: comment(tool: tool, version: version, host: host, commandLine: commandLine),
                hardware: machine, os: os, userApplication: "\(tool) \(version)")
        }

        /// "<tool> <version> on <host>: <command line>", the command line as
        /// `CommandLineText.forComment` gives it (argv[0] = tool, secret option
        /// values `***`, shell-quoted).
        public static func comment(tool: String, version: String, host: String, commandLine: [String]) -> String {
            "\(tool) \(version) on \(host): \(CommandLineText.forComment(tool: tool, argv: commandLine))"
        }
    }

    /// An address of an interface, as the IDB's `if_IPv4addr` / `if_IPv6addr`.
    public enum Address: Sendable, Hashable, CustomStringConvertible {
        /// Address and netmask, host integers (192.0.2.1 = 0xC000_0201).
        case v4(address: UInt32, mask: UInt32)
        /// Address (high and low 64 bits) and prefix length.
        case v6(hi: UInt64, lo: UInt64, prefixLength: UInt8)

        /// "192.0.2.1/24", "2001:db8::1/64" (addresses as `IPAddress` prints them).
        public var description: String {
            switch self {
            case let .v4(a, m): "\(IPAddress.v4(a))/\(m.nonzeroBitCount)"
            case let .v6(hi, lo, p): "\(IPAddress.v6(hi, lo))/\(p)"
            }
        }
    }

    /// Interface Description Block contents.
    public struct Interface: Sendable, Equatable {
        public var name: String
        public var description: String?
        public var linkType: LinkType
        public var snapLength: UInt32
        public var addresses: [Address]
        public var os: String?

        public init(
            name: String, description: String? = nil, linkType: LinkType, snapLength: UInt32 = 262_144,
            addresses: [Address] = [], os: String? = nil
        ) {
            self.name = name
            self.description = description
            self.linkType = linkType
            self.snapLength = snapLength
            self.addresses = addresses
            self.os = os
        }
    }

    /// Interface Statistics Block contents. Counters that are nil are left out.
    public struct Statistics: Sendable, Equatable {
        public var startTimestampNanoseconds: Int64
        public var endTimestampNanoseconds: Int64
        /// `isb_ifrecv`: packets the capture saw (libpcap `ps_recv`).
        public var received: UInt64?
        /// `isb_ifdrop`: dropped by the interface or driver (libpcap `ps_ifdrop`).
        public var interfaceDropped: UInt64?
        /// `isb_osdrop`: dropped by the OS for lack of buffer space (libpcap `ps_drop`).
        public var osDropped: UInt64?
        /// `isb_usrdeliv`: packets written to this file. Filled in by the
        /// writer when nil.
        public var delivered: UInt64?
        /// `opt_comment`: what happened to the interface (see `InterfaceEvent`).
        public var comment: String?

        public init(
            startTimestampNanoseconds: Int64, endTimestampNanoseconds: Int64, received: UInt64? = nil,
            interfaceDropped: UInt64? = nil, osDropped: UInt64? = nil, delivered: UInt64? = nil, comment: String? = nil
        ) {
            self.comment = comment
            self.startTimestampNanoseconds = startTimestampNanoseconds
            self.endTimestampNanoseconds = endTimestampNanoseconds
            self.received = received
            self.interfaceDropped = interfaceDropped
            self.osDropped = osDropped
            self.delivered = delivered
        }
    }

    public var path: String { file.path }
    /// Where the bytes go until `close`: the temporary or `.partial` file, or `path` itself when direct.
    public var writingPath: String { file.writingPath }
    /// An unfinished earlier capture's `.partial` that was moved aside (live capture only).
    public var leftover: OutputFile.Leftover? { file.leftover }
    /// True when the output is written in place (FIFO, device, standard output).
    public var isDirect: Bool { file.isDirect }
    /// Interfaces described so far, by id.
    public private(set) var interfaces: [Interface] = []
    /// Packets written per interface id.
    public private(set) var packetCounts: [UInt64] = []
    private var firstTimestamp: [Int64?] = []
    private var lastTimestamp: [Int64?] = []
    /// Interfaces whose ISB is already written (`finishInterface`).
    public private(set) var finished: Set<UInt32> = []
    private let file: OutputFile
    private var header: [UInt8] = []
    private var options = PcapNGOptionsEncoder()
    private var tail: [UInt8] = []

    /// Opens the output (`OutputFile`, in `style`) and writes the SHB.
    /// `observer` sees every byte of the file, the SHB included.
    public init(
        path: String, section: Section, bufferSize: Int = 4 << 20, style: OutputFile.Style = .atomic,
        observer: ((UnsafeRawBufferPointer) -> Void)? = nil
    ) throws(PcapNGWriterError) {
        do throws(OutputFileError) {
            file = try OutputFile(path: path, style: style, bufferSize: bufferSize)
            file.observer = observer
            try file.write(PcapNGEncoding.sectionHeader(section))
        } catch { throw .file(error) }
        header.reserveCapacity(32)
        tail.reserveCapacity(64)
    }

    /// Writes an IDB; returns its interface id (0, 1, ...).
    @discardableResult
    public func addInterface(_ interface: Interface) throws(PcapNGWriterError) -> UInt32 {
        do throws(OutputFileError) {
            try file.write(PcapNGEncoding.interfaceDescription(interface))
        } catch { throw .file(error) }
        interfaces.append(interface)
        packetCounts.append(0)
        firstTimestamp.append(nil)
        lastTimestamp.append(nil)
        return UInt32(interfaces.count - 1)
    }

    /// Writes one EPB. `bytes` is copied; `originalLength` below its count is raised to it.
    public func writePacket(
        interfaceID: UInt32, timestampNanoseconds: Int64, originalLength: Int, bytes: UnsafeRawBufferPointer,
        direction: PacketDirection = .unknown, comment: String? = nil
    ) throws(PcapNGWriterError) {
        let index = Int(interfaceID)
        guard index < interfaces.count else { throw .unknownInterface(id: interfaceID, path: file.path) }
        PcapNGEncoding.enhancedPacketOptions(into: &options, direction: direction, comment: comment)
        header.removeAll(keepingCapacity: true)
        let original = UInt32(clamping: max(originalLength, bytes.count))
        PcapNGEncoding.enhancedPacketHeader(
            into: &header, interfaceID: interfaceID, timestampNanoseconds: timestampNanoseconds,
            capturedLength: bytes.count, originalLength: original, optionsLength: options.bytes.count)
        // Tail: data padding, options, trailing total length.
        let pad = PcapNGEncoding.padding(bytes.count)
        tail.removeAll(keepingCapacity: true)
        tail.append(contentsOf: repeatElement(0, count: pad))
        tail.append(contentsOf: options.bytes)
        let total = UInt32(truncatingIfNeeded: 32 + bytes.count + pad + options.bytes.count)
        for shift in stride(from: 0, to: 32, by: 8) { tail.append(UInt8(truncatingIfNeeded: total >> shift)) }
        do throws(OutputFileError) {
            try file.write(header)
            try file.write(bytes)
            try file.write(tail)
        } catch { throw .file(error) }
        packetCounts[index] += 1
        if firstTimestamp[index] == nil { firstTimestamp[index] = timestampNanoseconds }
        lastTimestamp[index] = timestampNanoseconds
    }

    /// Writes a packet read from another capture (evidence extraction),
    /// keeping its timestamp, lengths and direction.
    public func writePacket(_ packet: Packet, interfaceID: UInt32, comment: String? = nil) throws(PcapNGWriterError) {
        try writePacket(
            interfaceID: interfaceID, timestampNanoseconds: packet.timestampNanoseconds,
            originalLength: packet.originalLength, bytes: packet.bytes.base, direction: packet.direction,
            comment: comment)
    }

    /// Writes bytes still buffered (write(2)); with `sync`, also fdatasync.
    /// After it a SIGKILL (with `sync`, a power cut) loses nothing written so far.
    public func flush(sync: Bool = false) throws(PcapNGWriterError) {
        do throws(OutputFileError) {
            if sync { try file.sync() } else { try file.flush() }
        } catch { throw .file(error) }
    }

    /// Writes the ISB of an interface that stopped before the others (it
    /// vanished or failed): its real end time and, in `opt_comment`, what
    /// happened. `close` then writes no second ISB for it.
    public func finishInterface(_ id: UInt32, statistics: Statistics) throws(PcapNGWriterError) {
        try writeStatistics(id, statistics: statistics)
        finished.insert(id)
    }

    /// Writes one ISB per interface not yet finished (from `statistics[id]`
    /// when given, else from the first and last packet times and the count
    /// written), then flushes, fsyncs and renames the file into place.
    public func close(statistics: [UInt32: Statistics] = [:]) throws(PcapNGWriterError) {
        do throws(OutputFileError) {
            // An interface without packets or statistics gets the file's span.
            let fileStart = firstTimestamp.compactMap { $0 }.min() ?? 0
            let fileEnd = lastTimestamp.compactMap { $0 }.max() ?? fileStart
            for index in interfaces.indices where !finished.contains(UInt32(index)) {
                let id = UInt32(index)
                var s = statistics[id] ?? Statistics(
                    startTimestampNanoseconds: firstTimestamp[index] ?? fileStart,
                    endTimestampNanoseconds: lastTimestamp[index] ?? fileEnd)
                if s.delivered == nil { s.delivered = packetCounts[index] }
                try file.write(PcapNGEncoding.interfaceStatistics(interfaceID: id, s))
            }
            try file.commit()
        } catch { throw .file(error) }
    }

    /// Removes the temporary (or partial) file; nothing appears at `path`.
    public func abandon() { file.abandon() }

    /// Stops writing and keeps what was written (a live capture's `.partial`
    /// after an error); returns where it is.
    @discardableResult
    public func keep() -> String { file.keep() }

    /// Writes an ISB now, mid-capture (the counters so far and a comment: a route snapshot
    /// or a canary record, docs/live-capture.md). `close` still writes the final ISB, so
    /// readers that take the last ISB per interface see the final counters.
    public func writeStatistics(_ id: UInt32, statistics: Statistics) throws(PcapNGWriterError) {
        let index = Int(id)
        guard index < interfaces.count else { throw .unknownInterface(id: id, path: file.path) }
        var s = statistics
        if s.delivered == nil { s.delivered = packetCounts[index] }
        do throws(OutputFileError) {
            try file.write(PcapNGEncoding.interfaceStatistics(interfaceID: id, s))
        } catch { throw .file(error) }
    }
}

/// Host facts for the SHB.
enum SystemInfo {
    static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "unknown-host" }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// (machine, "sysname release").
    static func machineAndOS() -> (String, String) {
        var u = utsname()
        guard uname(&u) == 0 else { return ("unknown", "unknown") }
        func text<T>(_ field: inout T) -> String {
            withUnsafeBytes(of: &field) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        return (text(&u.machine), "\(text(&u.sysname)) \(text(&u.release))")
    }
}
