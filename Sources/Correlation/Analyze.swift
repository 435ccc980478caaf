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
    /// Analyses capture files in two streaming passes over the merged, time-ordered packets:
    /// pass 1 learns interface roles, VPN endpoints and host addresses (cheap facts only);
    /// pass 2 judges every packet and builds findings. Memory is bounded by `options.limits`,
    /// not by the length of the files.
    public static func analyze(paths: [String], options: AnalysisOptions) throws(AnalysisError) -> Analysis {
        guard !paths.isEmpty else { throw .noInput }
        var options = options
        // Interface-index names recorded beside the capture fill what the command line left out.
        for p in paths {
            for (k, v) in InterfaceNameTable.read(besideCapture: p) where options.interfaceIndexNames[k] == nil {
                options.interfaceIndexNames[k] = v
            }
        }

        let (model, inputs) = try pass1(paths: paths, options: &options)
        // The browser's own candidate list, if any, is joined with what pass 2 sees.
        let (sidecars, sidecarWarnings) = SidecarLocator.locate(inputs: inputs, explicit: options.candidateFiles,
                                                                discover: options.discoverCandidates)
        var collector = CandidateEvidenceCollector(sidecars: sidecars.map(\.sidecar))
        var analysis = try pass2(paths: paths, model: model, options: options, inputs: inputs, collector: &collector)
        if !sidecars.isEmpty || !sidecarWarnings.isEmpty {
            let join = BrowserJoin(model: model, evidence: collector, findings: analysis.findings, multipleFiles: paths.count > 1)
            let report = join.report(sidecars, warnings: sidecarWarnings)
            BrowserJoin.annotate(&analysis.findings, with: report, cap: options.limits.maxEvidenceItems)
            analysis.browser = report
        }
        return analysis
    }

    /// Pass 1: roles, endpoints, host addresses. Its readers are released before pass 2 maps the files again.
    static func pass1(paths: [String], options: inout AnalysisOptions) throws(AnalysisError) -> (TunnelModel, [InputSummary]) {
        var builder = TunnelModelBuilder(options: options)
        let first: CaptureMerger
        do { first = try CaptureMerger(paths: paths) } catch { throw .input(error) }
        for (i, p) in paths.enumerated() { builder.setFileName(p, index: i) }
        let extractor = FactsExtractor()
        var dissectors = paths.map { _ in Dissector() }
        var d = Dissection()
        var registered = paths.map { _ in 0 }
        // Interfaces are described before their packets: register them as the readers find them,
        // so that pcapng addresses are host addresses while pass 1 runs.
        func register(_ r: CaptureReader) {
            let classic: Bool = if case .pcap = r.format { true } else { false }
            for i in r.interfaces.dropFirst(registered[r.fileIndex]) {
                var addrs: [IPAddress] = i.ipv4Addresses.map { .v4($0.address) }
                addrs += i.ipv6Addresses.map { .v6($0.high, $0.low) }
                builder.add(InterfaceDescription(key: InterfaceKey(fileIndex: r.fileIndex, interfaceID: i.id), name: i.name,
                                                 linkType: i.linkType, addresses: addrs, classicPcap: classic))
            }
            registered[r.fileIndex] = r.interfaces.count
        }
        while let packet = first.next() {
            let r = first.readers[packet.fileIndex]
            if r.interfaces.count != registered[packet.fileIndex] { register(r) }
            dissectors[packet.fileIndex].dissect(packet, into: &d)
            builder.observe(extractor.facts(d))
        }
        for r in first.readers {
            register(r)
            for (k, v) in InterfaceNameTable.parse(comments: r.sections.flatMap(\.comments)) where options.interfaceIndexNames[k] == nil {
                options.interfaceIndexNames[k] = v
            }
        }
        builder.setInterfaceIndexNames(options.interfaceIndexNames)
        let inputs = first.readers.map {
            var s = InputSummary(file: $0.path, packets: $0.framesRead - $0.nonPacketFrames, damage: $0.damage?.description,
                                 warnings: $0.warnings.prefix(32).map(\.description))
            s.sectionComments = Array($0.sections.flatMap(\.comments).prefix(16))
            s.interfaceStops = InterfaceStop.recorded(in: $0)
            s.controls = CaptureControls(reader: $0)
            return s
        }
        return (builder.finish(), inputs)
    }

    /// Pass 2: verdicts and findings.
    static func pass2(paths: [String], model: TunnelModel, options: AnalysisOptions, inputs: [InputSummary],
                      collector: inout CandidateEvidenceCollector) throws(AnalysisError) -> Analysis {
        var correlator = Correlator(model: model, options: options)
        correlator.note(interfaceStops: inputs.flatMap(\.interfaceStops))
        correlator.note(controls: inputs.map(\.controls))
        let second: CaptureMerger
        do { second = try CaptureMerger(paths: paths) } catch { throw .input(error) }
        var dissectors = paths.map { _ in Dissector() }
        let extractor = FactsExtractor()
        var d = Dissection()
        while let packet = second.next() {
            dissectors[packet.fileIndex].dissect(packet, into: &d)
            let f = extractor.facts(d)
            correlator.consume(f) { PacketDetail(d) }
            collector.observe(f, d)
        }
        return correlator.finish(inputs: inputs)
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
