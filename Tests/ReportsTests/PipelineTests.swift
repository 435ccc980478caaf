import CaptureFiles
import Correlation
import Foundation
import OutputFiles
import Testing
@testable import Reports

/// The record built from real lab recordings (captures/, committed by the lab
/// helper with their ground truth in captures/MANIFEST.md): webrtc-leak has a
/// TURN/STUN leak on eth0 beside the WireGuard tunnel wgc.
@Suite(.enabled(if: TestSupport.hasLabCaptures, "needs captures/lab-*.pcapng (committed by the lab branch)"))
struct PipelineTests {
    let leak = TestSupport.labCapture("lab-webrtc-leak.pcapng") ?? ""
    let clean = TestSupport.labCapture("lab-clean.pcapng") ?? ""

    func record(_ paths: [String], evidence: String? = nil, deterministic: Bool = true) throws -> AnalysisRecord {
        try TestSupport.record(paths, evidence: evidence, deterministic: deterministic)
    }

    @Test func recordDescribesTheInputCapture() throws {
        let rec = try record([leak])
        let r = rec.provenance, findings = rec.analysis.findings
        #expect(rec.analysis.verdict.status == .leaksFound)
        #expect(findings.map(\.class).contains(.webrtc))
        let input = try #require(r.inputs.first)
        let digest = try FileDigest.sha256(path: leak)
        #expect(input.sha256 == digest.sha256)
        #expect(input.size == digest.size)
        #expect(input.name == "lab-webrtc-leak.pcapng")
        #expect(input.capture.format == "pcapng")
        #expect(input.capture.interfaces.map(\.name) == ["eth0", "wgc"])
        #expect(input.capture.interfaces.map(\.linkType) == ["ether", "rawip"])
        #expect(input.capture.interfaces[0].addresses.contains("198.51.100.2/24"))
        #expect(input.capture.capturingTool?.hasPrefix("leakscope") == true)
        #expect(input.capture.droppedPackets == 0)
        #expect(input.capture.packets == input.capture.interfaces.map(\.packets).reduce(0, +))
        #expect(r.analyzedAt == nil)
        // The histogram counts every packet once and every cited packet as leaked.
        let all = r.timeline.series.flatMap(\.all).reduce(0, +)
        #expect(all == input.capture.packets)
        #expect(r.timeline.buckets == 100)
        let cited = Set(findings.flatMap(\.frames)).count
        #expect(r.timeline.series.flatMap(\.leaked).reduce(0, +) == cited)
        // First frames of each finding are decoded and dumped into the record.
        let views = r.frameViews.filter { $0.finding == "F1" }
        #expect(views.count == min(3, findings[0].frames.count))
        #expect(views.first?.layers.first?.fields.first?.value.hasPrefix("eth:") == true)
        #expect(views.allSatisfy { !$0.hex.isEmpty && $0.interface == "eth0" })
    }

    @Test func twoRunsGiveByteIdenticalJSON() throws {
        let a = try RecordJSON.encode(try record([leak, clean]))
        let b = try RecordJSON.encode(try record([leak, clean]))
        #expect(a == b)
    }

    @Test func severalFilesMakeOneReportWithASectionPerFile() throws {
        let r = try record([leak, clean])
        #expect(r.provenance.inputs.map(\.name) == ["lab-webrtc-leak.pcapng", "lab-clean.pcapng"])
        #expect(r.analysis.verdict.status == .leaksFound)
        let html = HTMLReport.render(r)
        #expect(html.contains("<section class=\"file\" id=\"file-0\">\n<h2>File lab-webrtc-leak.pcapng</h2>"))
        #expect(html.contains("<section class=\"file\" id=\"file-1\">\n<h2>File lab-clean.pcapng</h2>"))
        #expect(html.contains("<p>No findings in this file.</p>"))
        let md = MarkdownReport.render(r)
        #expect(md.contains("## File lab-webrtc-leak.pcapng\n"))
        #expect(md.contains("## File lab-clean.pcapng\n"))
    }

    @Test(.enabled(if: TestSupport.hasPythonJSONSchema, "needs python3 with jsonschema (Scripts/setup installs it)"))
    func realRecordValidatesAgainstTheSchema() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try record([leak, clean], evidence: "\(dir)/ev.pcapng", deterministic: false)
        try OutputFile.write(try RecordJSON.encode(r), to: "\(dir)/analysis.json")
        let (status, output) = try TestSupport.validate("\(dir)/analysis.json")
        #expect(status == 0, "\(output)")
        #expect(r.provenance.analyzedAt != nil)
    }

    @Test func evidenceHoldsOnlyCitedFramesWithTheirComments() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ev = "\(dir)/leaks.pcapng"
        let r = try record([leak], evidence: ev)
        let info = try #require(r.provenance.evidenceCapture)
        let cited = Set(r.analysis.findings.flatMap(\.frames))
        #expect(info.frames == cited.count)
        #expect(info.sha256 == (try FileDigest.sha256(path: ev)).sha256)
        #expect(info.name == "leaks.pcapng")

        // Read back with the project's reader and compare bytes with the source frames.
        let source = try CaptureReader(path: leak)
        var originals: [Int: ([UInt8], Int64)] = [:]
        while let p = source.next() {
            if cited.contains(p.frameNumber) { originals[p.frameNumber] = (p.bytes.toArray(), p.timestampNanoseconds) }
        }
        let reader = try CaptureReader(path: ev)
        var got: [([UInt8], Int64)] = []
        while let p = reader.next() { got.append((p.bytes.toArray(), p.timestampNanoseconds)) }
        let expected = cited.sorted().compactMap { originals[$0] }
        #expect(got.map(\.0) == expected.map(\.0))
        #expect(got.map(\.1) == expected.map(\.1))
        #expect(reader.interfaces.map(\.name) == ["eth0"])
        #expect(reader.interfaces.map(\.linkType) == [.ethernet])
    }

    @Test(.enabled(if: TestSupport.hasTshark, "needs tshark (the test oracle; CI installs it)"))
    func tsharkReadsTheEvidenceWithNamesAndComments() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ev = "\(dir)/leaks.pcapng"
        let r = try record([leak], evidence: ev)
        let (status, out, err) = try TestSupport.run(TestSupport.which("tshark")!, [
            "-r", ev, "-T", "fields", "-E", "separator=|", "-e", "frame.number", "-e", "frame.interface_name",
            "-e", "frame.comment",
        ])
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n").map(String.init)
        let cited = Set(r.analysis.findings.flatMap(\.frames)).sorted()
        #expect(lines.count == cited.count)
        let f1 = r.analysis.findings[0]
        let first = "1|eth0|\(f1.id) \(f1.class.rawValue): \(f1.title) (frame \(cited[0]) of lab-webrtc-leak.pcapng)"
        #expect(lines.first?.hasPrefix(first) == true, "\(lines.first ?? "")")
        #expect(lines.allSatisfy { $0.contains("|eth0|F") })
    }

    @Test func aSavedRecordRendersLikeTheFreshOne() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try record([leak])
        try OutputFile.write(try r.rendered(as: .json), to: "\(dir)/analysis.json")
        let back = try RecordJSON.read(path: "\(dir)/analysis.json").record
        #expect(back == r)
        for format in ReportFormat.allCases {
            #expect(try back.rendered(as: format) == (try r.rendered(as: format)), "\(format)")
        }
        #expect(throws: ReportError.self) { try RecordJSON.read(path: leak) }
    }

    @Test func terminalTextIsColouredOnlyWhenAsked() throws {
        let analysis = try Correlation.analyze(paths: [leak], options: AnalysisOptions())
        let plain = TestSupport.terminalText(analysis)
        let coloured = TestSupport.terminalText(analysis, color: true)
        #expect(!plain.contains("\u{1B}"))
        #expect(plain.hasPrefix("LEAKS FOUND: "))
        #expect(coloured.hasPrefix("\u{1B}[1;31mLEAKS FOUND\u{1B}[0m: "))
        #expect(coloured.contains("\u{1B}[31mhigh\u{1B}[0m"))
        // Colour codes are added after the columns are measured: stripping them gives the plain text.
        #expect(coloured.replacing(/\u{1B}\[[0-9;]*m/, with: "") == plain)
    }
}
