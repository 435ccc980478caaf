#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CaptureFiles
import Dissectors

/// Why an analysis could not run at all.
public enum AnalysisError: Error, Sendable, CustomStringConvertible {
    case input(CaptureFileError)
    case noInput
    public var description: String {
        switch self {
        case .input(let e): e.description
        case .noInput: "no capture file given"
        }
    }
}

/// The library entry point behind `leakscope analyze`.
public enum Correlation {
    /// What the passes gather beside the analysis (for the analysis record):
    /// nothing is read again for it.
    public struct Gathering: Sendable {
        /// Pass 1: per input, per-interface totals (packets, bytes, first and
        /// last time), sections, statistics, damage and warnings.
        public var summaries: Bool
        /// Pass 2: packets per time bucket per interface, over the time range
        /// pass 1 found (implies `summaries`); nil for none.
        public var timelineBuckets: Int?
        /// The caller keeps the second core busy during pass 1 (the inputs' SHA-256): pass 1 then
        /// reads on its own thread, and only pass 2 reads ahead; a third thread on two cores slowed
        /// the producer (1 M packets, json, 11 rotations: 0.388 s read ahead in both passes, 0.375 s
        /// in pass 2 only, 0.401 s in neither).
        public var busyDuringPass1: Bool
        public init(summaries: Bool = false, timelineBuckets: Int? = nil, busyDuringPass1: Bool = false) {
            self.summaries = summaries || timelineBuckets != nil
            self.timelineBuckets = timelineBuckets
            self.busyDuringPass1 = busyDuringPass1
        }
    }

    /// An analysis and what its passes gathered.
    public struct Run {
        public var analysis: Analysis
        /// Per input (in input order) when gathered, else empty.
        public var summaries: [CaptureSummary]
        public var histogram: PacketHistogram?
        /// Pass 2's readers, at the end of their inputs: `visit(frames:)`
        /// finds the frames findings cite in the same mappings.
        public var readers: [CaptureReader]
    }

    /// Opens each path once and analyses it; see `analyze(inputs:options:gathering:)`.
    public static func analyze(paths: [String], options: AnalysisOptions) throws(AnalysisError) -> Analysis {
        try analyze(inputs: open(paths), options: options).analysis
    }

    /// Each path opened once (a pipe is read once), in order.
    public static func open(_ paths: [String]) throws(AnalysisError) -> [CaptureInput] {
        guard !paths.isEmpty else { throw .noInput }
        var inputs: [CaptureInput] = []
        for p in paths {
            do { inputs.append(try CaptureInput.open(path: p)) } catch { throw .input(error) }
        }
        return inputs
    }

    /// Analyses open inputs in two streaming passes over the same mappings,
    /// merged in time order: pass 1 learns interface roles, VPN endpoints and
    /// host addresses (cheap facts only); pass 2 judges every packet and builds
    /// findings. Memory is bounded by `options.limits`, not by the length of
    /// the files; what `gathering` asks for is counted in the same passes.
    public static func analyze(inputs: [CaptureInput], options: AnalysisOptions, gathering: Gathering = Gathering()) throws(AnalysisError) -> Run {
        guard !inputs.isEmpty else { throw .noInput }
        var options = options
        // Interface-index names recorded beside the capture fill what the command line left out.
        for p in inputs.map(\.path) {
            for (k, v) in InterfaceNameTable.read(besideCapture: p) where options.interfaceIndexNames[k] == nil {
                options.interfaceIndexNames[k] = v
            }
        }

        let readAhead = readsAhead(inputs, options: options)
        let (model, summaries, histogram, files) = try pass1(inputs: inputs, options: &options, gathering: gathering,
                                                             readAhead: readAhead && !gathering.busyDuringPass1)
        // The browser's own candidate list, if any, is joined with what pass 2 sees.
        let (sidecars, sidecarWarnings) = SidecarLocator.locate(inputs: files, explicit: options.candidateFiles,
                                                                discover: options.discoverCandidates)
        var collector = CandidateEvidenceCollector(sidecars: sidecars.map(\.sidecar))
        var run = try pass2(inputs: inputs, model: model, options: options, files: files, collector: &collector,
                            histogram: histogram, readAhead: readAhead)
        run.summaries = summaries
        if !sidecars.isEmpty || !sidecarWarnings.isEmpty {
            let join = BrowserJoin(model: model, evidence: collector, findings: run.analysis.findings, multipleFiles: inputs.count > 1)
            let report = join.report(sidecars, warnings: sidecarWarnings)
            BrowserJoin.annotate(&run.analysis.findings, with: report, cap: options.limits.maxEvidenceItems)
            run.analysis.browser = report
        }
        return run
    }

    /// Whether the passes over `inputs` read their packets on a second thread (`ReadAhead`): from
    /// `options.readAheadMinimumBytes` of input (reading on a second thread pays once the inputs
    /// are more than a few megabytes), on a machine with a second processor.
    static func readsAhead(_ inputs: [CaptureInput], options: AnalysisOptions) -> Bool {
        guard let minimum = options.readAheadMinimumBytes, ReadAhead.processors > 1 else { return false }
        return inputs.reduce(0) { $0 + $1.size } >= minimum
    }

    static func readers(_ inputs: [CaptureInput]) throws(AnalysisError) -> [CaptureReader] {
        var readers: [CaptureReader] = []
        for (i, input) in inputs.enumerated() {
            do { readers.append(try CaptureReader(input: input, fileIndex: i)) } catch { throw .input(error) }
        }
        return readers
    }

    /// Pass 1: roles, endpoints, host addresses; and, when asked, the per-input
    /// summaries and the empty timeline over the time range they give.
    static func pass1(inputs: [CaptureInput], options: inout AnalysisOptions, gathering: Gathering, readAhead: Bool) throws(AnalysisError)
        -> (TunnelModel, [CaptureSummary], PacketHistogram?, [InputSummary])
    {
        var builder = TunnelModelBuilder(options: options)
        let first = CaptureMerger(readers: try readers(inputs))
        for (i, input) in inputs.enumerated() { builder.setFileName(input.path, index: i) }
        let extractor = FactsExtractor()
        var dissectors = inputs.map { _ in Dissector() }
        var d = Dissection()
        var registered = inputs.map { _ in 0 }
        var summaries = gathering.summaries ? first.readers.map(CaptureSummary.init(reader:)) : []
        let classic: [Bool] = first.readers.map { if case .pcap = $0.format { true } else { false } }
        // Interfaces are described before their packets: register them as the readers find them,
        // so that pcapng addresses are host addresses while pass 1 runs.
        func register(file: Int, _ interfaces: ArraySlice<CaptureInterface>) {
            for i in interfaces.dropFirst(registered[file]) {
                var addrs: [IPAddress] = i.ipv4Addresses.map { .v4($0.address) }
                addrs += i.ipv6Addresses.map { .v6($0.high, $0.low) }
                var nets: [IPPrefix] = i.ipv4Addresses.compactMap { a in
                    IPPrefix.length(ofMask: a.netmask).map { IPPrefix(.v4(a.address), length: $0) }
                }
                nets += i.ipv6Addresses.map { IPPrefix(.v6($0.high, $0.low), length: $0.prefixLength) }
                builder.add(InterfaceDescription(key: InterfaceKey(fileIndex: file, interfaceID: i.id), name: i.name,
                                                 linkType: i.linkType, addresses: addrs, networks: nets, classicPcap: classic[file]))
            }
            registered[file] = max(registered[file], interfaces.count)
        }
        var carrier = PacketFacts()  // written only by `fill`
        var run = CarrierRun<TunnelModelBuilder.CarrierMemo>(), otherRun = run  // a flow's two directions alternate
        let feed = ReadAhead(first, carrierFastPath: options.carrierFastPath, threaded: readAhead)
        while let slot = feed.next() {
            let packet = slot.pointee.packet
            if slot.pointee.interfaceCount != registered[packet.fileIndex] {
                register(file: packet.fileIndex, feed.interfaces(ofFile: packet.fileIndex).prefix(slot.pointee.interfaceCount))
            }
            if gathering.summaries { summaries[packet.fileIndex].add(packet) }
            if let c = slot.pointee.carrier {
                // Carrier fast path: the same facts without a dissection (CarrierDatagram), and for a
                // flow direction of the last two observed, without finding interface and flow again.
                extractor.fill(&carrier, packet, c)
                if let m = run.memo, run.matches(packet, c) {
                    builder.repeatCarrier(carrier, m)
                } else if let m = otherRun.memo, otherRun.matches(packet, c) {
                    builder.repeatCarrier(carrier, m)
                    swap(&run, &otherRun)
                } else {
                    builder.observe(carrier)
                    if let m = builder.carrierMemo { otherRun = run; run = CarrierRun(packet, c, m) }
                }
                continue
            }
            dissectors[packet.fileIndex].dissect(packet, into: &d)
            builder.observe(extractor.facts(reading: &d))
        }
        feed.finish()  // the readers are this thread's again
        for (i, r) in first.readers.enumerated() {
            register(file: i, r.interfaces[...])
            if gathering.summaries { summaries[i].finish(reader: r) }
            for (k, v) in InterfaceNameTable.parse(comments: r.sections.flatMap(\.comments)) where options.interfaceIndexNames[k] == nil {
                options.interfaceIndexNames[k] = v
            }
        }
        builder.setInterfaceIndexNames(options.interfaceIndexNames)
        let files = first.readers.map {
            var s = InputSummary(file: $0.path, packets: $0.framesRead - $0.nonPacketFrames, damage: $0.damage?.description,
                                 warnings: $0.warnings.prefix(32).map(\.description))
            s.sectionComments = Array($0.sections.flatMap(\.comments).prefix(16))
            s.interfaceStops = InterfaceStop.recorded(in: $0)
            s.controls = CaptureControls(reader: $0)
            return s
        }
        var histogram: PacketHistogram?
        if let buckets = gathering.timelineBuckets {
            let times = summaries.flatMap(\.interfaces)
            let firsts = times.compactMap(\.firstTimestampNanoseconds), lasts = times.compactMap(\.lastTimestampNanoseconds)
            var h = PacketHistogram(startNs: firsts.min() ?? 0, endNs: lasts.max() ?? 0, buckets: buckets)
            for s in summaries { for i in s.interfaces { h.declare(fileIndex: s.fileIndex, interfaceID: i.interfaceID) } }
            histogram = h
        }
        return (builder.finish(), summaries, histogram, files)
    }

    /// Pass 2: verdicts and findings; and the timeline's counts when asked.
    static func pass2(inputs: [CaptureInput], model: TunnelModel, options: AnalysisOptions, files: [InputSummary],
                      collector: inout CandidateEvidenceCollector, histogram: PacketHistogram?, readAhead: Bool) throws(AnalysisError) -> Run {
        var correlator = Correlator(model: model, options: options)
        correlator.note(interfaceStops: files.flatMap(\.interfaceStops))
        correlator.note(controls: files.map(\.controls))
        let second = CaptureMerger(readers: try readers(inputs))
        var dissectors = inputs.map { _ in Dissector() }
        let extractor = FactsExtractor()
        var d = Dissection()
        var counts = histogram ?? PacketHistogram(startNs: 0, endNs: 0, buckets: 1)
        let counting = histogram != nil
        var carrier = PacketFacts()  // written only by `fill`
        // The packet the fast path's closure dissects when it becomes evidence: read from here, not
        // captured (a capture copies it per packet even when the closure never runs).
        var frame = Packet(frameNumber: 0, linkType: .ethernet, timestampNanoseconds: 0, originalLength: 0,
                           bytes: ByteView(UnsafeRawBufferPointer(start: nil, count: 0)))
        var run = CarrierRun<Correlator.CarrierVerdict>(), otherRun = run  // the last two: a flow's two directions alternate
        let feed = ReadAhead(second, carrierFastPath: options.carrierFastPath, threaded: readAhead)
        while let slot = feed.next() {
            let packet = slot.pointee.packet
            if counting { counts.add(fileIndex: packet.fileIndex, interfaceID: packet.interfaceID, timestampNs: packet.timestampNanoseconds) }
            if let c = slot.pointee.carrier {
                // A flow direction of the last carrier packets judged: the same judgement, without the
                // facts (nor the collector, which keeps only the first sighting of an address).
                if let v = run.memo, run.matches(packet, c) {
                    correlator.repeatCarrier(v, time: packet.timestampNanoseconds, frame: packet.frameNumber)
                    continue
                }
                if let v = otherRun.memo, otherRun.matches(packet, c) {
                    correlator.repeatCarrier(v, time: packet.timestampNanoseconds, frame: packet.frameNumber)
                    swap(&run, &otherRun)
                    continue
                }
                // Carrier fast path: no dissection unless the packet becomes evidence (dissecting it
                // then is what the full path would have done: CarrierDatagram touches no dissector state).
                // The closure reads the packet from `frame` (passing `carrier` from inside a closure
                // copies it per packet).
                extractor.fill(&carrier, packet, c)
                frame = packet
                correlator.consume(carrier, detailing: { parts in
                    dissectors[frame.fileIndex].dissect(frame, into: &d)
                    return PacketDetail(reading: &d, parts: parts)
                })
                collector.observe(carrier)  // WireGuard: the collector reads no dissection
                if let v = correlator.carrierVerdict { otherRun = run; run = CarrierRun(packet, c, v) }
                continue
            }
            dissectors[packet.fileIndex].dissect(packet, into: &d)
            let f = extractor.facts(reading: &d)
            correlator.consume(f, detailing: { parts in PacketDetail(reading: &d, parts: parts) })
            collector.observe(f, reading: &d)
        }
        feed.finish()
        correlator.note(reassembly: dissectors.map(\.statistics), limits: dissectors.first?.limits ?? DissectorLimits())
        return Run(analysis: correlator.finish(inputs: files), summaries: [], histogram: counting ? counts : nil,
                   readers: second.readers)
    }
}

/// The flow (file, interface, 5-tuple) of a fast-path packet, and what a pass learnt of it that holds
/// for every packet of that flow: pass 1's `TunnelModelBuilder.CarrierMemo`, pass 2's
/// `Correlator.CarrierVerdict`. The packets of one WireGuard flow follow each other.
struct CarrierRun<Memo> {
    var fileIndex = -1, interfaceID = -1
    var source: UInt32 = 0, destination: UInt32 = 0
    var sourcePort: UInt16 = 0, destinationPort: UInt16 = 0
    var memo: Memo?

    init() {}
    init(_ p: Packet, _ c: CarrierDatagram, _ m: Memo) {
        fileIndex = p.fileIndex; interfaceID = p.interfaceID
        source = c.source; destination = c.destination; sourcePort = c.sourcePort; destinationPort = c.destinationPort
        memo = m
    }

    @inline(__always) func matches(_ p: Packet, _ c: CarrierDatagram) -> Bool {
        c.source == source && c.destination == destination && c.sourcePort == sourcePort
            && c.destinationPort == destinationPort && p.interfaceID == interfaceID && p.fileIndex == fileIndex
    }
}

/// Interface-index names for Linux `any` (SLL2) captures, from a sidecar file or capture comments.
///
/// Accepted: `CAPTURE.ifindex` or `CAPTURE.interfaces` beside the capture, and pcapng section
/// comments. Lines `3=wg0`, `3 wg0`, or `ip -o link` output (`3: wg0@if2: <...>`); in comments
/// only lines starting with `ifindex ` (`ifindex 3=wg0`). Anything else is ignored.
public enum InterfaceNameTable {
    public static func read(besideCapture path: String) -> [UInt32: String] {
        for suffix in [".ifindex", ".interfaces"] {
            if let text = readSmallFile(path + suffix) { return parse(text) }
        }
        return [:]
    }

    public static func parse(comments: [String]) -> [UInt32: String] {
        var r: [UInt32: String] = [:]
        for c in comments {
            for line in c.split(whereSeparator: \.isNewline) where line.hasPrefix("ifindex ") {
                r.merge(parse(String(line.dropFirst(8))), uniquingKeysWith: { a, _ in a })
            }
        }
        return r
    }

    public static func parse(_ text: String) -> [UInt32: String] {
        var r: [UInt32: String] = [:]
        for raw in text.split(whereSeparator: \.isNewline).prefix(4_096) {
            let line = raw.drop(while: { $0 == " " || $0 == "\t" })
            let digits = line.prefix(while: \.isNumber)
            guard !digits.isEmpty, let index = UInt32(digits) else { continue }
            var rest = line.dropFirst(digits.count)
            guard let sep = rest.first, sep == "=" || sep == ":" || sep == " " || sep == "\t" else { continue }
            rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
            let name = rest.prefix(while: { $0 != ":" && $0 != "@" && $0 != " " && $0 != "\t" })
            guard !name.isEmpty, name.count <= 64 else { continue }
            r[index] = String(name)
        }
        return r
    }

    /// The sidecar's text when it is a regular file (a FIFO or device here is never opened).
    static func readSmallFile(_ path: String) -> String? {
        guard case .contents(let bytes) = SidecarFile.read(path, limit: 1 << 20) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
