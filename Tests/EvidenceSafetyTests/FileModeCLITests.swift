import Foundation
import Testing

/// Issue 13, defect 3: outputs were 0666 minus the umask (0644 under umask
/// 022), and replacing a 0600 file made it 0644. Now every output is created
/// 0600, a replaced file keeps its mode, and --file-mode sets it exactly.
@Suite(.serialized) struct FileModeCLITests {
    @Test func recordsReportsAndEvidenceArePrivateUnderUmask022() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture()
        let r = try h.run(["analyze", Harness.capture, "--format", "json", "-o", "rec.json", "--evidence", "ev.pcapng"], umask: "022")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(h.mode("rec.json")?.bits == 0o600)
        #expect(h.mode("ev.pcapng")?.bits == 0o600)
        let rep = try h.run(["report", "rec.json", "-o", "report.html"], umask: "000")
        #expect(rep.status == 0, "\(rep.stderr)")
        #expect(h.mode("report.html")?.bits == 0o600)
    }

    @Test func replacingAFileKeepsItsMode() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture()
        for mode: mode_t in [0o600, 0o640] {
            FileManager.default.createFile(atPath: h["out.md"], contents: Data("old".utf8))
            chmod(h["out.md"], mode)
            let r = try h.run(["analyze", Harness.capture, "--format", "markdown", "-o", "out.md"], umask: "022")
            #expect(r.status == 1, "\(r.stderr)")
            #expect(h.mode("out.md")?.bits == mode)
            #expect(String(decoding: h.bytes("out.md") ?? [], as: UTF8.self).hasPrefix("#"))
        }
    }

    @Test func fileModeChoosesTheMode() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture()
        let r = try h.run(["analyze", Harness.capture, "--format", "json", "-o", "rec.json", "--file-mode", "0640"], umask: "077")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(h.mode("rec.json")?.bits == 0o640)
        let bad = try h.run(["analyze", Harness.capture, "--file-mode", "9999"])
        #expect(bad.status == 64)
    }
}
