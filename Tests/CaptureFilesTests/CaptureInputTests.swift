import Foundation
import Testing
@testable import CaptureFiles
import TestCaptures

/// `CaptureInput`: a regular file is mapped; a stream is read once into a
/// private unlinked temporary file, checked for a capture magic first.
@Suite struct CaptureInputTests {
    static func pcap(packets: Int) -> [UInt8] {
        var p = PcapBytes()
        for i in 0 ..< packets { p.record(seconds: UInt32(i), fraction: 0, data: [UInt8](repeating: UInt8(i & 0xFF), count: 60)) }
        return p.w.bytes
    }

    static func directory() -> String {
        var t = Array("/tmp/lscin-XXXXXX".utf8CString)
        return t.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    /// Feeds `bytes` into the FIFO from a thread.
    static func feed(_ fifo: String, _ bytes: [UInt8]) {
        signal(SIGPIPE, SIG_IGN)  // the reader may stop early (not a capture): the write fails, the test goes on
        Thread {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            bytes.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count { let n = write(fd, raw.baseAddress! + done, raw.count - done); if n <= 0 { break }; done += n }
            }
            close(fd)
        }.start()
    }

    @Test func aFIFOIsSpooledOnceAndReadsLikeTheFile() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = Self.pcap(packets: 30_000)  // > 2 MiB: several spool chunks
        #expect(mkfifo(dir + "/in", 0o600) == 0)
        Self.feed(dir + "/in", bytes)
        let input = try CaptureInput(opening: dir + "/in")
        #expect(input.source == .spooled(kind: "pipe or FIFO"))
        #expect(input.size == bytes.count)
        #expect(Array(input.bytes) == bytes)
        // Two readers over the one input (two passes), each sees every packet.
        for _ in 0 ..< 2 {
            let r = try CaptureReader(input: input)
            var n = 0
            while r.next() != nil { n += 1 }
            #expect(n == 30_000)
            #expect(r.damage == nil)
        }
        // The spool file has no name anywhere.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["in"])
    }

    @Test func notACaptureStopsAfterTheFirstChunk() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/in", 0o600) == 0)
        Self.feed(dir + "/in", [UInt8](repeating: 0, count: 8 << 20))
        let input = try CaptureInput(opening: dir + "/in")
        #expect(input.size <= CaptureInput.spoolChunk)
        #expect(throws: CaptureFileError.notACapture(path: dir + "/in", reason: "unknown magic number 0x00000000 at byte offset 0")) {
            _ = try CaptureReader(input: input)
        }
        Harness.drain(dir + "/in")
    }

    @Test func magicCheck() {
        let ok: [[UInt8]] = [[0xD4, 0xC3, 0xB2, 0xA1], [0x0A, 0x0D, 0x0D, 0x0A, 0, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A], [0xA1]]
        for b in ok { #expect(b.withUnsafeBytes { CaptureInput.startsLikeCapture($0) }) }
        let bad: [[UInt8]] = [[0, 0, 0, 0], Array("GET / HTTP/1.1".utf8), [0x0A, 0x0D, 0x0D, 0x0A, 0, 0, 0, 0, 1, 2, 3, 4]]
        for b in bad { #expect(!b.withUnsafeBytes { CaptureInput.startsLikeCapture($0) }) }
    }

    @Test func heldInputsAreWhatReadersOfTheirPathGet() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/in", 0o600) == 0)
        Self.feed(dir + "/in", Self.pcap(packets: 3))
        do {
            let held = try OpenCaptureInputs(paths: [dir + "/in"])
            // A second open of a FIFO would block: these must come from the held input.
            let a = try CaptureReader(path: dir + "/in"), b = try CaptureReader(path: dir + "/in")
            #expect(a.input === held.inputs[0] && b.input === held.inputs[0])
        }
        #expect(OpenCaptureInputs.held(dir + "/in") == nil)
    }

    @Test func aSidecarThatIsNotARegularFileIsNeverOpened() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/s.ifindex", 0o600) == 0)
        #expect(SidecarFile.read(dir + "/s.ifindex", limit: 100) == .notRegular("a FIFO"))
        #expect(SidecarFile.read(dir + "/none", limit: 100) == .absent)
        FileManager.default.createFile(atPath: dir + "/big", contents: Data(count: 200))
        #expect(SidecarFile.read(dir + "/big", limit: 100) == .tooLarge(limit: 100))
        FileManager.default.createFile(atPath: dir + "/ok", contents: Data("3=wg0".utf8))
        #expect(SidecarFile.read(dir + "/ok", limit: 100) == .contents(Array("3=wg0".utf8)))
    }
}

/// The analysis must be told when a capture is what a killed live capture left.
@Suite struct UnfinishedCaptureTests {
    static func liveCapture(statistics: Bool) -> [UInt8] {
        var f = PcapNGBytes()
        f.section(options: [(1, Array("leakscope 0.1.0 on vm: leakscope capture -i eth0 -w s.pcapng".utf8)),
                            (4, Array("leakscope 0.1.0".utf8))])
        f.interface(linkType: 1)
        f.enhancedPacket(interface: 0, timestamp: 1, data: [UInt8](repeating: 1, count: 60))
        if statistics { f.statistics(interface: 0, timestamp: 2) }
        return f.bytes
    }

    static func read(_ bytes: [UInt8], name: String) throws -> CaptureReader {
        let dir = CaptureInputTests.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }  // the mapping outlives the name
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let r = try CaptureReader(path: path)
        while r.next() != nil {}
        return r
    }

    @Test func aLeakscopeCaptureWithoutFinalStatisticsIsUnfinished() throws {
        let r = try Self.read(Self.liveCapture(statistics: false), name: "s.pcapng")
        #expect(r.warnings.map(\.kind) == [.unfinishedCapture(namedPartial: false)])
        let done = try Self.read(Self.liveCapture(statistics: true), name: "s.pcapng")
        #expect(done.warnings.isEmpty)
    }

    @Test func aPartialNameIsSaid() throws {
        let r = try Self.read(Self.liveCapture(statistics: false), name: "s.pcapng.partial")
        #expect(r.warnings.map(\.kind) == [.unfinishedCapture(namedPartial: true)])
        #expect(r.warnings.first?.message.hasPrefix("a partial capture file: the capture did not stop cleanly") == true)
    }
}

enum Harness {
    /// Unblocks a writer stuck opening `fifo` and empties it.
    static func drain(_ fifo: String) {
        let fd = open(fifo, O_RDWR | O_NONBLOCK)
        guard fd >= 0 else { return }
        var b = [UInt8](repeating: 0, count: 1 << 16)
        while read(fd, &b, b.count) > 0 {}
        close(fd)
    }
}
