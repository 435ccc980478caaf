import Foundation
import Testing

/// Issue 13, defect 1: every output was renamed over whatever was at its path
/// (as root, `-o /dev/null` replaced the null device; `-o /dev/stdout` left
/// the redirected file empty). Now a device, FIFO, socket, descriptor link or
/// `-` is written directly, and a directory or block device is refused first.
@Suite(.serialized) struct OutputKindTests {
    @Test func aCharacterDeviceOutputStaysADevice() throws {
        guard Harness.isRoot else { print("SKIPPED aCharacterDeviceOutputStaysADevice: mknod needs root"); return }
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture()
        #expect(mknod(h["null"], S_IFCHR | 0o666, Harness.device(1, 3)) == 0)  // our own /dev/null
        let r = try h.run(["analyze", Harness.capture, "--format", "json", "-o", "null", "--evidence", "null2"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(h.mode("null")?.type == S_IFCHR)
        let r2 = try h.run(["report", "--format", "html", "-o", "null", "/nonexistent-record.json"])
        #expect(r2.status != 0)  // no record to render; the device is still not replaced
        #expect(h.mode("null")?.type == S_IFCHR)
    }

    @Test func aFIFOOutputIsWrittenIntoAndStaysAFIFO() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture()
        #expect(mkfifo(h["out.fifo"], 0o600) == 0)
        let reader = open(h["out.fifo"], O_RDONLY | O_NONBLOCK)  // as `cat out.fifo` would be
        defer { close(reader) }
        let r = try h.run(["analyze", Harness.capture, "--format", "jsonl", "-o", "out.fifo"], timeout: 30)
        #expect(r.status == 1, "\(r.stderr)")
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let n = read(reader, &buffer, buffer.count)
        #expect(n > 0)
        #expect(String(decoding: buffer[0 ..< max(n, 0)], as: UTF8.self).contains("\"webrtc\""))
        #expect(h.mode("out.fifo")?.type == S_IFIFO)
        #expect(h.contents() == [Harness.capture, Harness.sidecar, "out.fifo"].sorted())
    }

    @Test func aLinkToStandardOutputWritesIntoTheRedirectedFile() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture()
        // What /dev/stdout is, made here: a link to this process's descriptor 1.
        try FileManager.default.createSymbolicLink(atPath: h["stdout"], withDestinationPath: "/proc/self/fd/1")
        let r = try h.run(["analyze", Harness.capture, "--format", "json", "-o", "stdout"], stdoutFile: h["redirected.json"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(h.mode("stdout")?.type == S_IFLNK)
        let text = String(decoding: h.bytes("redirected.json") ?? [], as: UTF8.self)
        #expect(text.contains("\"schema_version\""))
    }

    @Test func dashIsStandardOutput() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture()
        let r = try h.run(["analyze", Harness.capture, "--format", "jsonl", "-o", "-"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.text.contains("\"webrtc\""))
        #expect(!FileManager.default.fileExists(atPath: h["-"]))
    }

    @Test func captureAndProbeRefuseADirectoryBeforeOpeningAnything() throws {
        let h = Harness()
        defer { h.remove() }
        try FileManager.default.createDirectory(atPath: h["out"], withIntermediateDirectories: false)
        // No interface is opened and no browser started: the check comes first (so no root is needed to see it).
        let c = try h.run(["capture", "-i", "lssafe-nosuch0", "-w", "out", "--duration", "1"])
        #expect(c.status == 5)
        #expect(c.stderr.contains("leakscope capture: error: -w: cannot write the output to out: it is a directory"), "\(c.stderr)")
        let p = try h.run(["probe", "--stun", "stun:192.0.2.1:3478", "--out", "out"])
        #expect(p.status == 5)
        #expect(p.stderr.contains("leakscope probe: error: --out: cannot write the output to out: it is a directory"), "\(p.stderr)")
        #expect(h.contents() == ["out"])
    }

    @Test func twoOutputsIntoOneStreamAreRefused() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture()
        let r = try h.run(["analyze", Harness.capture, "--evidence", "-"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("the output and --evidence would both go to standard output"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let ok = try h.run(["analyze", Harness.capture, "-o", "text.txt", "--evidence", "-"])
        #expect(ok.status == 1, "\(ok.stderr)")
        #expect(ok.stdout.starts(with: [0x0A, 0x0D, 0x0D, 0x0A]))  // the evidence pcapng
    }

    @Test func aDirectoryOrBlockDeviceIsRefusedBeforeAnyWork() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture()
        try FileManager.default.createDirectory(atPath: h["reports"], withIntermediateDirectories: false)
        let r = try h.run(["analyze", Harness.capture, "--format", "html", "-o", "reports"])
        #expect(r.status == 5)
        #expect(r.stderr.contains("-o: cannot write the output to reports: it is a directory"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let e = try h.run(["analyze", Harness.capture, "--evidence", "reports/"])
        #expect(e.status == 5)
        #expect(e.stderr.contains("--evidence: cannot write the output to reports/"), "\(e.stderr)")
        guard Harness.isRoot else { print("SKIPPED block device part: mknod needs root"); return }
        #expect(mknod(h["disk"], S_IFBLK | 0o600, Harness.device(7, 0)) == 0)  // a loop device node of our own
        let b = try h.run(["analyze", Harness.capture, "--evidence", "disk"])
        #expect(b.status == 5)
        #expect(b.stderr.contains("it is a block device"), "\(b.stderr)")
        #expect(h.mode("disk")?.type == S_IFBLK)
    }
}
