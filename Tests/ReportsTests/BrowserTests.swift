import Correlation
import Foundation
import OutputFiles
import Testing
@testable import Reports

/// Renders the HTML report of a leaky lab capture in headless Chromium: the
/// DOM must show the verdict, the timeline and a finding; the screenshot is
/// kept for a person to judge the layout (path printed).
@Suite(.enabled(if: TestSupport.hasChromium && TestSupport.hasLabCaptures,
                "needs chromium and captures/lab-*.pcapng"))
struct BrowserTests {
    @Test func chromiumRendersVerdictTimelineAndFinding() throws {
        let dir = TestSupport.tempDir()
        // Keep report.html and report.png for a person to look at; drop the browser profile.
        defer { try? FileManager.default.removeItem(atPath: "\(dir)/profile") }
        let capture = TestSupport.labCapture("lab-everything.pcapng") ?? TestSupport.labCapture("lab-webrtc-leak.pcapng")!
        let record = try TestSupport.record([capture])
        let html = "\(dir)/report.html"
        try OutputFile.write(HTMLReport.render(record), to: html)
        let chromium = TestSupport.which("chromium") ?? TestSupport.which("chromium-browser")!
        let common = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                      "--user-data-dir=\(dir)/profile"]
        let (status, dom, err) = try TestSupport.run(chromium, common + ["--dump-dom", "file://\(html)"])
        #expect(status == 0, "\(err)")
        #expect(dom.contains("<h1>Leaks found</h1>"))
        #expect(dom.contains("<svg class=\"timeline\""))
        #expect(dom.contains("<rect class=\"leak\""))
        #expect(dom.contains("id=\"finding-F1\""))
        #expect(dom.contains("<section id=\"provenance\">"))
        // No script ran and nothing was added: the DOM is the file's own markup.
        #expect(!dom.contains("<script"))

        let png = "\(dir)/report.png"
        let (shot, _, shotErr) = try TestSupport.run(chromium, common + ["--screenshot=\(png)", "--window-size=1100,2400", "file://\(html)"])
        #expect(shot == 0, "\(shotErr)")
        let size = (try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0
        #expect(size > 20_000)
        print("HTML report screenshot: \(png)")
    }
}
