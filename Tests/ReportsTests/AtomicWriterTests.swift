import Foundation
import Testing
@testable import Reports

@Suite struct AtomicWriterTests {
    @Test func replacesTheFileWhole() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/report.html"
        try AtomicFileWriter.write(Array("old".utf8), to: path)
        try AtomicFileWriter.write(Array("new content".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new content")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["report.html"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
    }

    @Test func aWriteThatFailsMidwayLeavesTheOldFileIntact() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/analysis.json"
        try AtomicFileWriter.write(Array("{\"old\": true}\n".utf8), to: path)
        let failure = ReportError.encoding(reason: "disk on fire")
        #expect(throws: failure) {
            try AtomicFileWriter.write(to: path) { (sink: inout AtomicFileWriter.Sink) throws(ReportError) in
                // More than one buffer's worth reaches the temporary file first.
                try sink.write(Array(repeating: UInt8(ascii: "x"), count: 200_000))
                throw failure
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"old\": true}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["analysis.json"])
    }

    @Test func anUnwritableDirectoryIsAnIOErrorNamingThePath() {
        #expect(throws: ReportError.io(path: "/nonexistent-dir/r.html", operation: "create temporary file", errno: ENOENT)) {
            try AtomicFileWriter.write([1], to: "/nonexistent-dir/r.html")
        }
    }
}
