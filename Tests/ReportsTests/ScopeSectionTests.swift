import Correlation
import Foundation
import OutputFiles
import Testing
@testable import Reports

/// Issue 15, item 4: every rendering opens with what was analysed, from the record alone.
@Suite(.enabled(if: TestSupport.hasLabCaptures, "needs the lab captures in captures/"))
struct ScopeSectionTests {
    @Test func severalFilesWithDamageAndTheirInterfaces() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A copy of lab-clean cut in the middle of a block: read up to the damage.
        let bytes = try #require(FileManager.default.contents(atPath: "\(TestSupport.repoRoot)/captures/lab-clean.pcapng"))
        let cut = "\(dir)/cut.pcapng"
        try OutputFile.write([UInt8](bytes.prefix(9_000)), to: cut)
        let r = try TestSupport.record(["\(TestSupport.repoRoot)/captures/lab-webrtc-leak.pcapng", cut])
        let scope = Scope(r)
        #expect(scope.files.map(\.packets) == [123, r.provenance.inputs[1].capture.packets])
        #expect(scope.files[0].interfaces == [.init(name: "eth0", role: "physical", packets: 82), .init(name: "wgc", role: "tunnel", packets: 41)])
        let damage = try #require(scope.files[1].damage)
        #expect(damage.hasPrefix("damaged at byte offset 8868 (before frame 57): "))
        #expect(r.analysis.files[1].damage == "\(cut): \(damage)")
        #expect(scope.files[0].damage == nil)

        let text = TerminalReport.render(r)
        let lines = text.split(separator: "\n").prefix(4).map(String.init)
        #expect(lines[0].hasPrefix("Analysed 2 files, \(scope.packets) packets, "))
        // The cut file lost its statistics blocks (they are at the end).
        #expect(lines[0].hasSuffix(", 0 dropped where recorded (1 file without drop counts), 1 damaged file:"))
        #expect(lines[1].hasPrefix("  \(TestSupport.repoRoot)/captures/lab-webrtc-leak.pcapng (pcapng): 123 packets, "))
        #expect(lines[2].hasPrefix("  \(cut) (pcapng): "))
        #expect(lines[2].hasSuffix("; drops not recorded; \(damage)"))
        #expect(lines[3].hasPrefix("LEAKS FOUND: "))

        let html = HTMLReport.render(r)
        let header = try #require(html.range(of: "</header>").map { String(html[..<$0.lowerBound]) })
        #expect(header.contains("<div class=\"scope\" id=\"scope\">\n<p class=\"scope-head\"><b>What was analysed:</b> 2 files, "))
        #expect(header.contains("<td>eth0 physical (82 packets), wgc tunnel (41 packets)</td>"))
        #expect(header.contains(Escape.html(damage)))
        let md = MarkdownReport.render(r)
        let verdictEnd = try #require(md.range(of: "**What was analysed:** 2 files, "))
        let firstSection = try #require(md.range(of: "\n## "))
        #expect(verdictEnd.upperBound < firstSection.lowerBound)
    }
}
