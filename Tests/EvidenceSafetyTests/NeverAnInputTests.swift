import Foundation
import Testing

/// Issue 13, defect 2: an output could be an input. `analyze same.pcapng -o
/// same.pcapng`, `--evidence ./same2.pcapng` on that input, `-o` onto a hard
/// link of an input and `report rec.json -o rec.json` each destroyed it. Now
/// each is a usage error (exit 64) naming both files, and the input is intact.
@Suite(.serialized) struct NeverAnInputTests {
    /// The whole file: compared before and after.
    static func digest(_ bytes: [UInt8]?) -> [UInt8] { bytes ?? [] }

    @Test func outputOntoTheCaptureItself() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture(as: "same.pcapng")
        let before = Self.digest(h.bytes("same.pcapng"))
        let r = try h.run(["analyze", "same.pcapng", "--format", "json", "-o", "same.pcapng"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("the output same.pcapng (-o) is also an input"), "\(r.stderr)")
        #expect(Self.digest(h.bytes("same.pcapng")) == before)
    }

    @Test func evidenceOntoTheCaptureUnderAnotherSpelling() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture(as: "same2.pcapng")
        let before = Self.digest(h.bytes("same2.pcapng"))
        let r = try h.run(["analyze", "same2.pcapng", "--evidence", "./same2.pcapng"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("the output ./same2.pcapng (--evidence) is the same file as the input same2.pcapng"), "\(r.stderr)")
        #expect(Self.digest(h.bytes("same2.pcapng")) == before)
    }

    @Test func outputOntoAHardLinkOrSymlinkOfTheCapture() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture(as: "in.pcapng")
        #expect(link(h["in.pcapng"], h["hard.json"]) == 0)
        try FileManager.default.createSymbolicLink(atPath: h["soft.json"], withDestinationPath: "in.pcapng")
        let before = Self.digest(h.bytes("in.pcapng"))
        for out in ["hard.json", "soft.json"] {
            let r = try h.run(["analyze", "in.pcapng", "--format", "json", "-o", out])
            #expect(r.status == 64, "\(out): \(r.stderr)")
            #expect(r.stderr.contains("is the same file as the input in.pcapng"), "\(r.stderr)")
        }
        #expect(Self.digest(h.bytes("in.pcapng")) == before)
        #expect(h.mode("soft.json")?.type == S_IFLNK)
    }

    @Test func outputOntoASidecarTheAnalysisReads() throws {
        let h = Harness()
        defer { h.remove() }
        // Renamed, so the sidecar is found only because the section comment names it.
        try h.copyCapture(as: "renamed.pcapng")
        let before = Self.digest(h.bytes(Harness.sidecar))
        let r = try h.run(["analyze", "renamed.pcapng", "--format", "json", "-o", Harness.sidecar])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("the output \(Harness.sidecar) (-o) is also an input"), "\(r.stderr)")
        #expect(Self.digest(h.bytes(Harness.sidecar)) == before)
    }

    @Test func reportOntoItsOwnRecord() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture()
        let a = try h.run(["analyze", Harness.capture, "--format", "json", "-o", "rec.json"])
        #expect(a.status == 1, "\(a.stderr)")
        let before = Self.digest(h.bytes("rec.json"))
        let r = try h.run(["report", "rec.json", "-o", "rec.json"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("the output rec.json (-o) is also an input"), "\(r.stderr)")
        #expect(Self.digest(h.bytes("rec.json")) == before)
        let ok = try h.run(["report", "rec.json", "-o", "report.html"])
        #expect(ok.status == 0, "\(ok.stderr)")
    }
}
