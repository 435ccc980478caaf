import OutputText
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CaptureFiles
import OutputFiles
import ProcessSpawning

/// Captures on several interfaces at once into one pcapng file.
///
/// Order of work: handles open (needs privilege; fails fast, writes nothing),
/// `-Z` drops privilege, the output opens, the command starts, then a poll(2)
/// loop over the handles' selectable descriptors and a signal self-pipe reads
/// packets into a `ReorderBuffer` that releases them to the writer in
/// timestamp order, flushed (write + fdatasync) every `flushInterval` into a
/// visible `NAME.partial`. On stop: drain, write statistics (ISBs), rename
/// to NAME. An interface that stops early gets its ISB at once, with its end
/// time and an `InterfaceEvent` comment.
public enum LiveCapture {
    public static func run(
        _ options: LiveCaptureOptions, ready: (LiveCaptureReady) -> Void = { _ in }
    ) throws(LiveCaptureError) -> LiveCaptureSummary {
        guard !options.interfaces.isEmpty else { throw .usage("no interface given (-i NAME)") }
        guard Set(options.interfaces).count == options.interfaces.count else {
            throw .usage("an interface is given twice")
        }
        if let c = options.count, c <= 0 { throw .usage("--count must be positive") }

        let signals = try SignalPipe()
        defer { signals.restore() }
        let known = (try? LiveInterface.list()) ?? []

        var handles: [PcapHandle] = []
        for name in options.interfaces { handles.append(try PcapHandle(interface: name, options: options.handle)) }
        defer { for h in handles { h.close() } }
        let startWall = Clock.wall()
        // Positive control (routes, canaries): its sockets open before privilege is dropped.
        let controls = ControlRecorder(options: options, handles: handles, known: known)

        if let user = options.user { try PrivilegeDrop.switchTo(user: user) }

        let writer: PcapNGWriter
        do throws(PcapNGWriterError) {
            // A visible NAME.partial (renamed on a clean stop) that a SIGKILL leaves readable.
            writer = try PcapNGWriter(path: options.outputPath, section: options.section, style: .partial)
            for h in handles {
                let info = known.first { $0.name == h.interface }
                try writer.addInterface(PcapNGWriter.Interface(
                    name: h.interface, description: info?.description, linkType: h.linkType,
                    snapLength: UInt32(clamping: h.snapLength), addresses: info?.addresses ?? []))
            }
            try controls.start(writer, handles, startWall: startWall)
            try writer.flush(sync: true)  // a valid pcapng from the first moment
        } catch { throw .output(error) }

        var child: SpawnedProcess?
        if !options.command.isEmpty {
            do throws(LiveCaptureError) { child = try CaptureCommand.start(options.command) } catch {
                writer.abandon()
                throw error
            }
        }
        ready(LiveCaptureReady(
            interfaces: handles.map { ($0.interface, $0.linkType) }, outputPath: options.outputPath,
            commandPID: child?.pid, writingPath: writer.writingPath, leftover: writer.leftover))

        var loop = CaptureLoop(handles: handles, writer: writer, options: options, child: child, signals: signals,
                               startWall: startWall)
        loop.controls = controls
        let reason: LiveCaptureSummary.StopReason
        do throws(LiveCaptureError) { reason = try loop.run() } catch {
            _ = child?.terminate()
            throw keepOrAbandon(writer, error)
        }
        let endWall = Clock.wall()

        // Statistics after the drain, so they cover every packet written. An interface
        // that stopped early already has its ISB (with its real end time).
        var stats: [UInt32: PcapNGWriter.Statistics] = [:]
        var summaries: [LiveCaptureSummary.Interface] = []
        for (i, h) in handles.enumerated() {
            let c = loop.stopped[i]?.counters ?? h.statistics()
            if loop.stopped[i] == nil {
                stats[UInt32(i)] = PcapNGWriter.Statistics(
                    startTimestampNanoseconds: startWall, endTimestampNanoseconds: endWall, received: c?.received,
                    interfaceDropped: c?.interfaceDropped, osDropped: c?.dropped, delivered: writer.packetCounts[i])
            }
            summaries.append(.init(
                name: h.interface, linkType: h.linkType, written: writer.packetCounts[i], received: c?.received,
                droppedByKernel: c?.dropped, droppedByInterface: c?.interfaceDropped, stopped: loop.stopped[i]?.event))
        }
        do throws(PcapNGWriterError) {
            try controls.stop(writer, handles, startWall: startWall)
            try writer.close(statistics: stats)
        } catch {
            _ = child?.terminate()
            throw keepOrAbandon(writer, .output(error))
        }
        // A command still running when the capture stopped for another reason is ended.
        let exit = child.map { $0.poll() ?? $0.terminate() }
        var summary = LiveCaptureSummary(
            outputPath: options.outputPath, interfaces: summaries, stopReason: reason, commandExit: exit,
            warnings: handles.flatMap { h in h.warnings.map { "\(h.interface): \($0)" } } + loop.warnings,
            reorderOverflows: loop.reorder.forcedReleases, leftover: writer.leftover)
        summary.routeChanges = controls.changesWritten
        summary.canaries = controls.canaries
        return summary
    }

    /// After a failure mid-capture: packets already written are evidence, so the
    /// partial file stays (and the error names it); an empty one is removed.
    static func keepOrAbandon(_ writer: PcapNGWriter, _ error: LiveCaptureError) -> LiveCaptureError {
        guard writer.packetCounts.contains(where: { $0 > 0 }), !writer.isDirect else {
            writer.abandon()
            return error
        }
        return .keptPartial(path: writer.keep(), packets: writer.packetCounts.reduce(0, +), cause: error.description)
    }
}

/// The poll loop: read every handle, release ordered packets, check stop conditions.
struct CaptureLoop {
    let handles: [PcapHandle]
    let writer: PcapNGWriter
    let options: LiveCaptureOptions
    let child: SpawnedProcess?
    let signals: SignalPipe
    var reorder: ReorderBuffer
    var warnings: [String] = []
    /// Route snapshots and canaries (positive control), serviced every round.
    var controls: ControlRecorder?
    /// Interfaces that stopped before the capture did (by index): what happened, their last counters.
    var stopped: [Int: Stopped] = [:]
    private var alive: [Bool]
    private var packetsRead = 0
    private let startWall: Int64
    private var lastFlush: Int64

    struct Stopped {
        var event: InterfaceEvent
        var counters: PcapHandle.Counters?
        var isbWritten = false
    }

    init(handles: [PcapHandle], writer: PcapNGWriter, options: LiveCaptureOptions, child: SpawnedProcess?, signals: SignalPipe,
         startWall: Int64) {
        self.handles = handles
        self.writer = writer
        self.options = options
        self.child = child
        self.signals = signals
        self.startWall = startWall
        lastFlush = Clock.monotonic()
        reorder = ReorderBuffer(interfaces: handles.count, windowNanoseconds: Int64(options.reorderWindow * 1e9))
        alive = Array(repeating: true, count: handles.count)
    }

    mutating func run() throws(LiveCaptureError) -> LiveCaptureSummary.StopReason {
        let start = Clock.monotonic()
        let deadline = options.duration.map { start + Int64($0 * 1e9) }
        var graceEnd: Int64?
        var fds = [pollfd(fd: signals.readFD, events: Int16(POLLIN), revents: 0)]
        fds += handles.map { pollfd(fd: $0.selectableFD, events: Int16(POLLIN), revents: 0) }
        var reason: LiveCaptureSummary.StopReason?

        while reason == nil {
            let now = Clock.monotonic()
            var timeout: Int64 = 50_000_000
            if let d = deadline { timeout = min(timeout, max(d - now, 0)) }
            if let g = graceEnd { timeout = min(timeout, max(g - now, 0)) }
            for i in fds.indices { fds[i].revents = 0 }
            let rc = poll(&fds, nfds_t(fds.count), Int32((timeout + 999_999) / 1_000_000))
            if rc < 0, errno != EINTR { throw .system(call: "poll", errno: errno) }

            if let s = signals.take() { reason = .signal(s) }
            try readAll()
            if let limit = options.count, packetsRead >= limit { reason = .count }
            try release(all: false)

            let after = Clock.monotonic()
            if after - lastFlush >= Int64(options.flushInterval * 1e9) {
                // What a SIGKILL or power cut may lose is bounded by this interval.
                do throws(PcapNGWriterError) { try writer.flush(sync: true) } catch { throw .output(error) }
                lastFlush = after
            }
            if let d = deadline, after >= d { reason = reason ?? .duration }
            if let child, graceEnd == nil, child.poll() != nil {
                graceEnd = after + Int64(options.grace * 1e9)
            }
            if let g = graceEnd, after >= g { reason = reason ?? .commandExited }
            if !alive.contains(true) { reason = reason ?? .interfacesFailed }
            do throws(PcapNGWriterError) {
                // Route changes while running; the stop canaries once, before the final drain reads them.
                if reason == nil { try controls?.tick(writer, handles, startWall: startWall) }
                else { try controls?.stopping(writer, handles, startWall: startWall) }
            } catch { throw .output(error) }
        }
        // Drain what the kernel still holds (not past --count): without
        // immediate mode the last packets sit in a kernel block until its
        // timeout retires it, so keep reading for one timeout (+ margin).
        if reason != .count {
            let drainEnd = Clock.monotonic()
                + (options.handle.immediate ? 0 : Int64(options.handle.blockTimeoutMilliseconds) * 1_000_000 + 20_000_000)
            repeat {
                try readAll()
                if let limit = options.count, packetsRead >= limit { break }
                for i in fds.indices { fds[i].revents = 0 }
                _ = poll(&fds, nfds_t(fds.count), 10)
            } while Clock.monotonic() < drainEnd
            try readAll()
        }
        try release(all: true)
        return reason ?? .interfacesFailed
    }

    /// Reads every handle until it has nothing buffered (bounded per round).
    private mutating func readAll() throws(LiveCaptureError) {
        for (i, h) in handles.enumerated() where alive[i] {
            let arrival = Clock.monotonic()  // one clock read per batch, not per packet
            var n = 0
            reading: while n < 10_000 {
                if let limit = options.count, packetsRead >= limit { return }
                switch h.next() {
                case let .packet(ts, original, bytes):
                    reorder.append(
                        interface: i, timestampNanoseconds: ts, arrivalNanoseconds: arrival,
                        originalLength: original, bytes: bytes)
                    packetsRead += 1
                    n += 1
                case .none:
                    break reading
                case let .error(text):
                    let event = InterfaceEvent(libpcapError: text, timeNanoseconds: Clock.wall())
                    warnings.append("\(h.interface): capture stopped: \(event.kind.rawValue) at \(ISO8601Nanoseconds.format(event.timeNanoseconds)): \(text)")
                    stopped[i] = Stopped(event: event, counters: h.statistics())
                    alive[i] = false
                    break reading
                }
            }
        }
    }

    private mutating func release(all: Bool) throws(LiveCaptureError) {
        let writer = self.writer
        do throws(PcapNGWriterError) {
            try reorder.release(wallClockNanoseconds: Clock.wall(), monotonicNanoseconds: Clock.monotonic(), all: all) {
                (i, ts, original, bytes) throws(PcapNGWriterError) in
                try writer.writePacket(
                    interfaceID: UInt32(i), timestampNanoseconds: ts, originalLength: original, bytes: bytes)
            }
            try finishStoppedInterfaces()
        } catch { throw .output(error) }
    }

    /// An interface that stopped gets its ISB once every packet it delivered is written:
    /// end time = when it stopped, comment = what happened.
    private mutating func finishStoppedInterfaces() throws(PcapNGWriterError) {
        for (i, s) in stopped where !s.isbWritten && reorder.isEmpty(interface: i) {
            try writer.finishInterface(UInt32(i), statistics: PcapNGWriter.Statistics(
                startTimestampNanoseconds: startWall, endTimestampNanoseconds: s.event.timeNanoseconds,
                received: s.counters?.received, interfaceDropped: s.counters?.interfaceDropped,
                osDropped: s.counters?.dropped, delivered: writer.packetCounts[i], comment: s.event.comment))
            stopped[i]?.isbWritten = true
        }
    }
}
