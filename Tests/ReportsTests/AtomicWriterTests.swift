import Foundation
import Testing
@testable import Reports

@Suite struct AtomicWriterTests {
    @Test func replacesTheFileWhole() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/report.html"
        try OutputFile.write("old", to: path)
        try OutputFile.write(Array("new content".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new content")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["report.html"])
    }

    @Test func aWriteThatFailsMidwayLeavesTheOldFileIntact() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/analysis.json"
        try OutputFile.write("{\"old\": true}\n", to: path)
        let failure = ReportError.encoding(reason: "disk on fire")
        #expect(throws: failure) {
            try OutputFile.write(to: path) { w in
                // More than the writer's buffer reaches the temporary file first.
                try w.write(Array(repeating: UInt8(ascii: "x"), count: 3 << 20))
                #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 2)
                throw failure
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"old\": true}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["analysis.json"])
    }

    @Test func anUnwritableDirectoryIsAnErrorNamingThePath() throws {
        do {
            try OutputFile.write([1], to: "/nonexistent-dir/r.html")
            Issue.record("expected a failure")
        } catch {
            #expect(error.description.contains("/nonexistent-dir/.r.html."))
            #expect(error.description.contains("No such file or directory"))
        }
    }
}
