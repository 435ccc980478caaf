import Foundation
import Testing

/// Issue 13, defect 4: inputs were opened more than once. `cat good.pcap |
/// leakscope analyze /dev/stdin` said "empty file" (the second open read
/// EOF), a FIFO input hung on its second open, a `.ifindex` FIFO hung, and a
/// stream was buffered up to 1 GiB before its magic was checked. Now a
/// non-regular input is read once, into a private temporary file, and gives
/// exactly the record the same bytes give from a regular file.
@Suite(.serialized) struct PipeInputTests {
    /// The record of the lab capture read from a regular file named `name`, with the sidecar beside it.
    static func reference(_ name: String) throws -> String {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture(as: name)
        let r = try h.run(["analyze", name, "--format", "json", "--deterministic"])
        #expect(r.status == 1, "\(r.stderr)")
        return r.text
    }

    static var captureBytes: [UInt8] { [UInt8](FileManager.default.contents(atPath: Harness.labCapture) ?? Data()) }

    @Test func standardInputAsDash() throws {
        let h = Harness()
        defer { h.remove() }
        try FileManager.default.copyItem(atPath: Harness.labSidecar, toPath: h[Harness.sidecar])
        let r = try h.run(["analyze", "-", "--format", "json", "--deterministic"], stdin: .pipe(Self.captureBytes), timeout: 30)
        #expect(!r.timedOut)
        #expect(r.status == 1, "\(r.stderr)")
        // The same record as the file gives, but for the name.
        let expected = try Self.reference("CAPTUREX").replacingOccurrences(of: "CAPTUREX", with: "-")
        #expect(r.text == expected)
    }

    @Test func aLinkToDescriptorZeroLikeDevStdin() throws {
        let h = Harness()
        defer { h.remove() }
        try FileManager.default.copyItem(atPath: Harness.labSidecar, toPath: h[Harness.sidecar])
        try FileManager.default.createSymbolicLink(atPath: h["X"], withDestinationPath: "/proc/self/fd/0")
        let r = try h.run(["analyze", "X", "--format", "json", "--deterministic"], stdin: .pipe(Self.captureBytes), timeout: 30)
        #expect(!r.timedOut, "hung: the input was opened twice")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.text == (try Self.reference("X")))
    }

    @Test func aFIFO() throws {
        let h = Harness()
        defer { h.remove() }
        try FileManager.default.copyItem(atPath: Harness.labSidecar, toPath: h[Harness.sidecar])
        #expect(mkfifo(h["X"], 0o600) == 0)
        Harness.feedFIFO(h["X"], Self.captureBytes)
        let r = try h.run(["analyze", "X", "--format", "json", "--deterministic"], timeout: 30)
        if r.timedOut { Harness.drainFIFO(h["X"]) }
        #expect(!r.timedOut, "hung: the FIFO was opened twice")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.text == (try Self.reference("X")))
    }

    @Test func aProcessSubstitution() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture(as: "source.pcapng", sidecar: true)
        // bash's <(...) on descriptor 7, named through /proc/self/fd (what /dev/fd/N links to).
        let r = try h.run(["analyze", "/proc/self/fd/7", "--format", "json", "--deterministic", "--no-candidates", "--candidates", Harness.sidecar],
                          timeout: 30, prefix: "exec 7< <(cat source.pcapng); ", shell: "/bin/bash")
        #expect(!r.timedOut)
        #expect(r.status == 1, "\(r.stderr)")
        let h2 = Harness()
        defer { h2.remove() }
        try h2.copyCapture(as: "CAPTUREX", sidecar: true)
        let file = try h2.run(["analyze", "CAPTUREX", "--format", "json", "--deterministic", "--no-candidates", "--candidates", Harness.sidecar])
        let normalized = r.text.replacingOccurrences(of: "/proc/self/fd/7", with: "CAPTUREX")
            .replacingOccurrences(of: "\"7\"", with: "\"CAPTUREX\"")
        #expect(normalized == file.text)
        #expect(file.status == 1)
    }

    @Test func anEndlessStreamOfZerosIsRefusedAtOnceInLittleMemory() throws {
        guard Harness.isRoot else { print("SKIPPED anEndlessStreamOfZerosIsRefusedAtOnceInLittleMemory: mknod needs root"); return }
        let h = Harness()
        defer { h.remove() }
        #expect(mknod(h["zero"], S_IFCHR | 0o444, Harness.device(1, 5)) == 0)  // our own /dev/zero
        // 300 MB of address space: enough for an analysis, far from the 1 GiB the old buffer took.
        let r = try h.run(["analyze", "zero"], timeout: 20, prefix: "ulimit -v 300000; ")
        #expect(!r.timedOut)
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("zero: not a pcap or pcapng capture: unknown magic number 0x00000000 at byte offset 0"), "\(r.stderr)")
    }

    @Test func aFIFOSidecarIsNeverOpened() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture(as: "s.pcapng", sidecar: false)
        #expect(mkfifo(h["s.pcapng.ifindex"], 0o600) == 0)
        #expect(mkfifo(h["s.candidates.json"], 0o600) == 0)
        #expect(mkfifo(h[Harness.sidecar], 0o600) == 0)  // the name the section comment gives
        let r = try h.run(["analyze", "s.pcapng", "--format", "json", "--deterministic"], timeout: 30)
        for f in ["s.pcapng.ifindex", "s.candidates.json", Harness.sidecar] where r.timedOut { Harness.drainFIFO(h[f]) }
        #expect(!r.timedOut, "hung on a FIFO sidecar")
        #expect(r.status == 1, "\(r.stderr)")
    }
}
