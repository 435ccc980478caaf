import CaptureFiles
import Correlation
import Dispatch
import Dissectors
import OutputText

/// From capture paths to the analysis record, reading each input once:
///
/// 1. every path is opened once (`CaptureInput`: a file mapped, a pipe read
///    in) and the same mapping serves every step below;
/// 2. pass 1 (learning) reads every packet and gathers, beside the tunnel
///    model, each input's per-interface summary and time range; the input's
///    SHA-256 is computed over the mapping on another thread meanwhile;
/// 3. pass 2 (judging) reads every packet once more and counts the timeline
///    buckets while the correlator judges;
/// 4. the frames findings cite are then visited once each, by the index
///    pass 2's reader kept (`CaptureReader.visit(frames:)`): their own times
///    mark the timeline's leaked packets, the first few become the decoded
///    and hex frame views, and all go into the evidence capture when asked.
///
/// No input is read from start to end a third time.
public enum AnalysisPipeline {
    public struct Settings: Sendable {
        public var toolVersion: String
        public var arguments: [String]
        public var options: Invocation.Options
        public var buckets: Int
        public var framesPerFinding: Int
        public init(toolVersion: String, arguments: [String], options: Invocation.Options,
                    buckets: Int = 100, framesPerFinding: Int = 3) {
            self.toolVersion = toolVersion; self.arguments = arguments; self.options = options
            self.buckets = buckets; self.framesPerFinding = framesPerFinding
        }
    }

    /// Findings beyond this many get no decoded/hex view (the record stays small).
    public static let maxFindingsWithViews = 500

    /// Analyses `paths` and builds the record; writes the evidence capture
    /// when `settings.options.evidence` names one.
    public static func record(paths: [String], analysis options: AnalysisOptions, settings: Settings) throws(ReportError) -> AnalysisRecord {
        let inputs: [CaptureInput]
        do { inputs = try Correlation.open(paths) } catch { throw .input(error.description) }
        return try analyze(inputs: inputs, analysis: options, settings: settings).record()
    }

    /// The record the terminal text needs: the analysis and what pass 1 read
    /// about each input (its scope: packets, interfaces, time span, drops,
    /// damage), without hashes (`InputFile.sha256` is empty), timeline or
    /// cited-frame visits. Nothing is written; the caller renders it.
    public static func summaryRecord(inputs: [CaptureInput], analysis options: AnalysisOptions, settings: Settings) throws(ReportError) -> AnalysisRecord {
        let run: Correlation.Run
        do { run = try Correlation.analyze(inputs: inputs, options: options, gathering: Correlation.Gathering(summaries: true)) }
        catch { throw .input(error.description) }
        var files: [InputFile] = []
        for (i, input) in inputs.enumerated() where i < run.summaries.count {
            files.append(InputFile(index: i, path: input.path, size: Int64(input.size), sha256: "",
                                   summary: run.summaries[i], interfaces: run.readers[i].interfaces))
        }
        return AnalysisRecord(analysis: run.analysis, provenance: Provenance(
            tool: ToolInfo(version: settings.toolVersion), invocation: Invocation(arguments: settings.arguments, options: settings.options),
            inputs: files))
    }

    /// Steps 1-3: the two passes over inputs already open, and their hashes.
    /// The caller may look at the analysis (and check its outputs against
    /// the sidecars it read) before `Passes.record()` writes anything.
    public static func analyze(inputs: [CaptureInput], analysis options: AnalysisOptions, settings: Settings) throws(ReportError) -> Passes {
        let digests = inputs.map(InputDigest.init)
        let run: Correlation.Run
        do {
            run = try Correlation.analyze(inputs: inputs, options: options,
                                          gathering: Correlation.Gathering(timelineBuckets: settings.buckets, busyDuringPass1: true))
        } catch { throw .input(error.description) }
        return Passes(inputs: inputs, run: run, digests: digests, settings: settings)
    }

    /// The analysis and what its passes gathered, before the cited frames are visited.
    public struct Passes {
        let inputs: [CaptureInput]
        let run: Correlation.Run
        let digests: [InputDigest]
        let settings: Settings
        public var analysis: Analysis { run.analysis }

        /// Step 4 and the record: visits the cited frames once each (timeline
        /// marks, frame views, evidence capture) and assembles the record.
        public func record() throws(ReportError) -> AnalysisRecord {
            let analysis = run.analysis
            var files: [InputFile] = []
            for (i, input) in inputs.enumerated() {
                files.append(InputFile(index: i, path: input.path, size: Int64(input.size), sha256: digests[i].wait(),
                                       summary: run.summaries[i], interfaces: run.readers[i].interfaces))
            }

            // What each input's cited frames are needed for.
            var cited: [Int: FrameBits] = [:]  // input index -> frames
            var viewed: [Int: [Int: [String]]] = [:]  // input index -> frame -> finding ids shown
            for (n, f) in analysis.findings.enumerated() {
                guard let input = f.input(in: files) else { continue }
                cited[input.index, default: FrameBits()].insert(contentsOf: f.frames)
                guard n < maxFindingsWithViews else { continue }
                for frame in f.frames.prefix(settings.framesPerFinding) { viewed[input.index, default: [:]][frame, default: []].append(f.id) }
            }
            var evidence: EvidenceWriter?
            if let path = settings.options.evidence {
                let section = PcapNGWriter.Section(
                    comment: "Evidence extracted by leakscope \(settings.toolVersion): only the frames findings cite; each packet's comment names its findings.",
                    userApplication: "leakscope \(settings.toolVersion)")
                evidence = try EvidenceWriter(path: path, section: section, findings: analysis.findings, inputs: files)
            }

            var histogram = run.histogram ?? PacketHistogram(startNs: 0, endNs: 0, buckets: settings.buckets)
            var views: [FrameView] = []
            var dissector = Dissector()
            var dissection = Dissection()
            let facts = FactsExtractor()
            do throws(ReportError) {
                for input in files {
                    var frames = cited[input.index, default: FrameBits()]
                    if let evidence { frames.insert(contentsOf: evidence.frames(of: input)) }
                    guard !frames.isEmpty else { continue }
                    let reader = run.readers[input.index]
                    let shown = viewed[input.index] ?? [:]
                    var failure: ReportError?
                    reader.visit(frames: frames.sorted()) { packet in
                        guard failure == nil else { return }
                        histogram.addLeaked(fileIndex: input.index, interfaceID: packet.interfaceID, timestampNs: packet.timestampNanoseconds)
                        if let ids = shown[packet.frameNumber] {
                            views += FrameDecoding.views(of: packet, interfaceName: reader.interfaceName(of: packet), file: input.name, findings: ids, dissector: &dissector)
                        }
                        guard let evidence else { return }
                        // The packet's flow as the findings' cited_flows name it (one dissector call per evidence frame).
                        dissector.resetState()
                        dissector.dissect(packet, into: &dissection)
                        let id = CitedFlow.communityID(of: facts.facts(dissection))
                        do throws(ReportError) { try evidence.add(packet, of: input, reader: reader, tunnel: analysis.tunnel, communityID: id) } catch { failure = error }
                    }
                    if let failure { throw failure }
                }
            } catch {
                evidence?.abandon()
                throw error
            }
            let evidenceInfo = try evidence?.finish()
            // Findings' order, then frame order.
            let order = Dictionary(analysis.findings.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            views.sort { (order[$0.finding] ?? .max, $0.frame) < (order[$1.finding] ?? .max, $1.frame) }

            return RecordBuilder.build(
                analysis: analysis, tool: ToolInfo(version: settings.toolVersion),
                invocation: Invocation(arguments: settings.arguments, options: settings.options),
                analyzedAt: settings.options.deterministic ? nil : ISO8601Nanoseconds.format(WallClock.nanoseconds(), fraction: .trimmed),
                inputs: files, timeline: Timeline(histogram, inputs: files, tunnel: analysis.tunnel), frameViews: views,
                evidenceCapture: evidenceInfo)
        }
    }
}

/// The SHA-256 of one input, computed over its mapping on another thread
/// while pass 1 reads the same pages.
final class InputDigest: @unchecked Sendable {
    private let group = DispatchGroup()
    private var sha256 = ""

    init(_ input: CaptureInput) {
        group.enter()
        DispatchQueue.global().async { [self] in
            sha256 = FileDigest.sha256(input)
            group.leave()
        }
    }

    func wait() -> String {
        group.wait()
        return sha256
    }
}
