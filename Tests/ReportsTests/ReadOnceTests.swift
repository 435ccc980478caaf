import CaptureFiles
import Correlation
import Foundation
import Reports
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every input is opened once and read only by the analysis passes: a FIFO,
/// which can be read once, gives the same record and evidence as the file.
@Suite(.enabled(if: TestSupport.hasLabCaptures, "needs captures/lab-*.pcapng"))
struct ReadOnceTests {
    @Test func aFIFOGivesTheSameRecordAndEvidenceAsTheFile() throws {
        let source = try #require(TestSupport.labCapture("lab-webrtc-leak.pcapng"))
        let bytes = try #require(FileManager.default.contents(atPath: source))
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for sub in ["file", "fifo"] { try FileManager.default.createDirectory(atPath: "\(dir)/\(sub)", withIntermediateDirectories: true) }
        let file = "\(dir)/file/cap.pcapng", fifo = "\(dir)/fifo/cap.pcapng"
        #expect(FileManager.default.createFile(atPath: file, contents: bytes))
        #expect(mkfifo(fifo, 0o600) == 0)

        // The writer sends the capture once. Should anything open the FIFO a
        // second time, the watchdog lets that open see end-of-file at once, so
        // the test fails (empty input) instead of hanging.
        let done = Atomic(false)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            bytes.withUnsafeBytes { raw in
                var at = 0
                while at < raw.count {
                    let n = write(fd, raw.baseAddress! + at, raw.count - at)
                    if n <= 0 { break }
                    at += n
                }
            }
            close(fd)
            let deadline = Date().addingTimeInterval(60)
            while !done.value && Date() < deadline {
                let again = open(fifo, O_WRONLY | O_NONBLOCK)  // succeeds only while someone reads
                if again >= 0 { close(again) }
                usleep(20_000)
            }
        }
        writer.start()
        defer { done.value = true }

        let fromFIFO = try TestSupport.record([fifo], evidence: "\(dir)/fifo/ev.pcapng")
        done.value = true
        let fromFile = try TestSupport.record([file], evidence: "\(dir)/file/ev.pcapng")

        func text(_ r: AnalysisRecord, _ sub: String) throws -> String {
            String(decoding: try RecordJSON.encode(r), as: UTF8.self).replacingOccurrences(of: "\(dir)/\(sub)/", with: "D/")
        }
        #expect(try text(fromFIFO, "fifo") == text(fromFile, "file"))
        #expect(fromFIFO.provenance.inputs[0].sha256 == (try FileDigest.sha256(path: source)).sha256)
        #expect(!fromFIFO.analysis.findings.isEmpty)
        #expect(fromFIFO.provenance.frameViews.count > 0)
        #expect(FileManager.default.contents(atPath: "\(dir)/fifo/ev.pcapng") == FileManager.default.contents(atPath: "\(dir)/file/ev.pcapng"))
    }
}

/// A flag shared with the writer thread.
final class Atomic: @unchecked Sendable {
    private let lock = NSLock()
    private var v: Bool
    init(_ v: Bool) { self.v = v }
    var value: Bool {
        get { lock.lock(); defer { lock.unlock() }; return v }
        set { lock.lock(); v = newValue; lock.unlock() }
    }
}
