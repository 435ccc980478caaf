import OutputText

/// Streams the packets of one classic pcap or pcapng file.
///
/// The file is memory-mapped; each `Packet` returned by `next()` views the
/// mapping (no copy, nothing allocated per packet). Reading stops at the first
/// damage: `next()` returns nil and `damage` says where and why; everything
/// before it has been returned. Problems that do not stop reading are in
/// `warnings`.
///
///     let reader = try CaptureReader(path: "capture.pcapng")
///     while let packet = reader.next() { ... }
///     if let damage = reader.damage { print(damage) }
public final class CaptureReader {
    /// Largest captured length accepted for one packet (libpcap's and
    /// wiretap's 262144-byte ceiling). A longer record is damage.
    public static let maximumCapturedLength = 262_144
    /// Interface Description Blocks kept per file; later ones are ignored.
    public static let maximumInterfaces = 65_536
    /// Interface Statistics Blocks kept per file; later ones are counted only.
    public static let maximumStatistics = 4_096
    /// Warnings kept per file; later ones are counted in `droppedWarningCount`.
    public static let maximumWarnings = 256

    public let path: String
    public let fileIndex: Int
    @exclusivity(unchecked) public internal(set) var format: CaptureFormat = .pcapng
    @exclusivity(unchecked) public internal(set) var interfaces: [CaptureInterface] = []
    @exclusivity(unchecked) public internal(set) var sections: [CaptureSection] = []
    @exclusivity(unchecked) public internal(set) var statistics: [InterfaceStatistics] = []
    @exclusivity(unchecked) public internal(set) var blockCounts = BlockCounts()
    @exclusivity(unchecked) public internal(set) var damage: CaptureDamage? { didSet { damaged = damage != nil } }
    /// `damage != nil`, read per packet (comparing the optional copied the whole `CaptureDamage`:
    /// perf, 2 % of a read).
    @exclusivity(unchecked) var damaged = false
    @exclusivity(unchecked) public internal(set) var warnings: [CaptureWarning] = []
    @exclusivity(unchecked) public internal(set) var droppedWarningCount = 0
    /// Interface Statistics Blocks beyond `maximumStatistics`.
    @exclusivity(unchecked) public internal(set) var droppedStatisticsCount = 0
    /// The last frame number used, as Wireshark counts frames: packets returned, packet
    /// records skipped, and the pcapng blocks Wireshark shows as frames (Custom, systemd Journal).
    @exclusivity(unchecked) public internal(set) var framesRead = 0
    /// Frame numbers taken by blocks that are not packets (pcapng Custom and systemd Journal blocks).
    @exclusivity(unchecked) public internal(set) var nonPacketFrames = 0
    /// Byte offset of the next record or block.
    @exclusivity(unchecked) public internal(set) var offset = 0
    public var fileSize: Int { data.count }
    /// The open input this reader reads (shared by every reader of the same input).
    public let input: CaptureInput

    /// The name (pcapng `if_name`) of the interface `packet` was captured on, or
    /// nil when the file gives none (classic pcap, an IDB without the option).
    /// `interfaces[i].id == i`: interface ids are positions in the file's IDB list.
    public func interfaceName(of packet: Packet) -> String? {
        packet.interfaceID >= 0 && packet.interfaceID < interfaces.count ? interfaces[packet.interfaceID].name : nil
    }
    // The mutable fields are `@exclusivity(unchecked)`: `next()` reads and writes them once per
    // packet, never inside another access to them, and the run-time check cost more than the reads
    // (perf: swift_beginAccess + AccessSet::insert, 6 % of analyze on the bench workload). The rare
    // ones too (counts, warnings, checkpoints): the optimiser hoists their checks out of the block
    // loop, so each one still cost a check per packet (callgrind: four per pcapng packet, 11 % of a
    // two-interface analysis).

    var file: CaptureInput { input }
    let data: ByteView
    @exclusivity(unchecked) var order: OrderedBytes
    /// Per-interface values needed per packet, indexed by interface id.
    @exclusivity(unchecked) var hot: [HotInterface] = []
    /// Interfaces of the current pcapng section: hot[sectionFirst ..< sectionFirst + sectionCount].
    @exclusivity(unchecked) var sectionFirst = 0
    @exclusivity(unchecked) var sectionCount = 0
    /// Timestamp of the previous packet (Simple Packet Blocks carry none).
    @exclusivity(unchecked) var lastTimestamp: Int64 = 0
    @exclusivity(unchecked) var releasedUpTo = 0
    /// Set while another thread consumes this reader's packets: pages are dropped only behind
    /// what it is done with.
    @exclusivity(unchecked) public var releaseGate: ReleaseGate?
    @exclusivity(unchecked) var pcapNanosecond = false
    @exclusivity(unchecked) var warnedSubsecond = false
    /// Where frames can be found again (`visit(frames:)`): every
    /// `frameIndexStride`-th frame, and the first frame after a section header
    /// or interface description, so a walk from one never crosses either.
    @exclusivity(unchecked) var checkpoints: [Checkpoint] = []
    @exclusivity(unchecked) var lastCheckpointFrame = 0
    @exclusivity(unchecked) var structureChanged = true
    /// Set while `visit(frames:)` re-reads records: nothing is counted, warned or indexed.
    @exclusivity(unchecked) var locating = false
    /// Records `visit(frames:)` has read (it reads only around the frames it is asked for).
    @exclusivity(unchecked) public internal(set) var locatedRecords = 0
    @exclusivity(unchecked) var endNoted = false

    struct HotInterface {
        var linkType: LinkType
        var snaplen: UInt32
        var converter: TimestampConverter
        var warnedSaturation = false
    }

    /// Opens `path` (or takes the input an `OpenCaptureInputs` holds for it)
    /// and reads its file header (the pcap header or the first pcapng Section
    /// Header Block).
    /// - Throws: `CaptureFileError` when the file cannot be opened, is empty,
    ///   is no capture, or its file header is damaged or unsupported.
    public convenience init(path: String, fileIndex: Int = 0) throws(CaptureFileError) {
        try self.init(input: CaptureInput.open(path: path), fileIndex: fileIndex)
    }

    /// Reads an input that is already open; several readers may read one input.
    public init(input: CaptureInput, fileIndex: Int = 0) throws(CaptureFileError) {
        self.input = input
        self.path = input.path
        self.fileIndex = fileIndex
        data = ByteView(input.bytes)
        order = OrderedBytes(view: data, bigEndian: false)
        if let e = input.spoolStoppedErrno {
            warn(.inputSpoolStopped(bytes: data.count, errno: e), at: data.count)
        }
        guard data.count > 0 else { throw .notACapture(path: path, reason: "empty file") }
        guard let magic = data.integer(at: 0, endianness: .little, as: UInt32.self) else {
            throw .notACapture(path: path, reason: "only \(data.count) bytes, too short for any capture header")
        }
        switch magic {
        case 0xA1B2_C3D4: try openPcap(bigEndian: false, nanosecond: false)
        case 0xD4C3_B2A1: try openPcap(bigEndian: true, nanosecond: false)
        case 0xA1B2_3C4D: try openPcap(bigEndian: false, nanosecond: true)
        case 0x4D3C_B2A1: try openPcap(bigEndian: true, nanosecond: true)
        case 0x0A0D_0D0A:
            format = .pcapng
            if let reason = readSectionHeader() {
                throw .unreadableHeader(path: path, offset: 0, reason: reason)
            }
        case 0xA1B2_CD34, 0x34CD_B2A1:
            throw .unreadableHeader(path: path, offset: 0, reason: "modified (Kuznetzov) pcap format is not supported")
        default:
            throw .notACapture(path: path, reason: "unknown magic number 0x\(Hex.digits(data.integer(at: 0, as: UInt32.self) ?? 0)) at byte offset 0")
        }
    }

    /// The next packet, or nil at the end of the file or at damage (see `damage`).
    /// The packet's bytes stay valid while this reader lives.
    @inline(__always)
    public func next() -> Packet? {
        guard !damaged else { return nil }
        if offset &- releasedUpTo >= Self.releaseStride { releaseBehind() }
        // Returned straight from the format's reader (a local Optional<Packet> costs a copy per packet).
        if case .pcapng = format {
            if let p = nextPcapNG() { return p }
        } else if let p = nextPcap() {
            return p
        }
        if !endNoted { noteEnd() }
        return nil
    }

    /// `interfaces.count` without handing out the array (per packet, to see new interfaces).
    /// Read from `hot` (one entry per interface, appended with it): `interfaces` is
    /// exclusivity-checked, and the check cost more than the rest of the read (callgrind).
    public var interfaceCount: Int { hot.count }

    /// At the end (or the damage): a leakscope live capture that never wrote
    /// its final statistics did not finish (killed, crashed, power cut, or
    /// still running), and a `.partial` name says the same; both are said.
    func noteEnd() {
        endNoted = true
        let isLiveCapture = sections.first.map { s in
            (s.userApplication?.hasPrefix("leakscope") ?? false) && s.comments.contains { $0.contains("leakscope capture ") }
        } ?? false
        let withStatistics = Set(statistics.map(\.interfaceID)).count
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if isLiveCapture && withStatistics < interfaces.count {
            warn(.unfinishedCapture(namedPartial: name.contains(".partial")), at: offset)
        } else if name.hasSuffix(".partial") || name.contains(".partial-") {
            warn(.unfinishedCapture(namedPartial: true), at: offset)
        }
    }

    // MARK: - Bookkeeping shared by both formats

    /// Pages behind the read position are dropped every this many bytes: a
    /// few madvise calls per megabyte would cost nothing, and each megabyte
    /// of stride is a megabyte of peak RSS (issue 11: 64 MB).
    static let releaseStride = 1 << 20

    func releaseBehind() {
        var end = offset
        if let gate = releaseGate {
            // Not past the consumer; and not a page at a time while it catches up (`next()` asks
            // again at every packet until a quarter stride can go).
            end = min(end, gate.doneUpTo)
            guard end &- releasedUpTo >= Self.releaseStride / 4 else { return }
        }
        guard end > releasedUpTo else { return }
        file.release(from: releasedUpTo, upTo: end)
        releasedUpTo = end
    }

    /// Drops every page behind the read position now (at the end of a pass: the last stride
    /// would otherwise stay resident until the input is closed).
    public func releaseRead() {
        releaseGate = nil
        releaseBehind()
    }

    func fail(_ reason: String, at offset: Int) -> Packet? {
        damage = CaptureDamage(path: path, fileIndex: fileIndex, offset: offset, frameNumber: framesRead + 1, reason: reason)
        return nil
    }

    func warn(_ kind: CaptureWarning.Kind, at offset: Int) {
        if locating { return }
        if warnings.count < Self.maximumWarnings {
            warnings.append(CaptureWarning(path: path, offset: offset, kind: kind))
        } else {
            droppedWarningCount += 1
        }
    }

    func checkSnaplen(_ snaplen: UInt32, zeroIsOdd: Bool, at offset: Int) {
        if snaplen > UInt32(Self.maximumCapturedLength) || (zeroIsOdd && snaplen == 0) {
            warn(.snaplenOutOfRange(snaplen: snaplen), at: offset)
        }
    }
}
