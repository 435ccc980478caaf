import Foundation
import TestCaptures
import Testing

/// Issue 13, defect 7 (exit codes) and defect 5 (what `analyze` says of a
/// partial capture): damage before the first frame exited 2 ("cannot tell")
/// and said nothing on stderr; now damage anywhere is exit 3 with one line on
/// stderr naming it, and an unfinished live capture is named as one.
@Suite(.serialized) struct DamageTests {
    /// A little-endian pcapng: SHB (no options) + IDB (Ethernet), then `tail`.
    static func pcapng(tail: [UInt8]) -> [UInt8] {
        var b = PcapNGBytes()
        b.section()
        b.interface(linkType: 1, snaplen: 262_144)
        return b.bytes + tail
    }

    @Test func damageBeforeTheFirstFrameIsExit3WithALineOnStderr() throws {
        let h = Harness()
        defer { h.remove() }
        // An EPB header that claims 1000 bytes, then the file ends.
        let bytes = Self.pcapng(tail: [6, 0, 0, 0, 0xE8, 0x03, 0, 0, 0, 0, 0, 0])
        FileManager.default.createFile(atPath: h["cut.pcapng"], contents: Data(bytes))
        for format in ["text", "json"] {
            let r = try h.run(["analyze", "cut.pcapng", "--format", format])
            #expect(r.status == 3, "\(format): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n").filter { $0.contains("damaged") }
            #expect(lines.count == 1, "\(r.stderr)")
            #expect(lines.first?.contains("cut.pcapng: damaged at byte offset 48 (before frame 1): block length 1000 runs past the end of the file") == true,
                    "\(r.stderr)")
        }
    }

    @Test func aPartialCaptureSaysWhatItIs() throws {
        let h = Harness()
        defer { h.remove() }
        // A lab capture cut where its statistics begin, as a SIGKILL leaves it (plus half a block).
        let full = [UInt8](FileManager.default.contents(atPath: Harness.labCapture) ?? Data())
        let isb = try #require(Self.firstBlock(ofType: 5, in: full))
        let cut = Array(full[..<isb]) + Array(full[isb ..< isb + 10])
        FileManager.default.createFile(atPath: h["s.pcapng.partial"], contents: Data(cut))
        let r = try h.run(["analyze", "s.pcapng.partial"])
        #expect(r.status == 1, "\(r.stderr)")  // its leak is still found
        #expect(r.stderr.contains("a partial capture file: the capture did not stop cleanly"), "\(r.stderr)")
        #expect(r.stderr.contains("damaged input"), "\(r.stderr)")
        // Renamed, it is still recognised by what is missing inside (no final statistics).
        try FileManager.default.moveItem(atPath: h["s.pcapng.partial"], toPath: h["renamed.pcapng"])
        let r2 = try h.run(["analyze", "renamed.pcapng"])
        #expect(r2.stderr.contains("an unfinished leakscope capture (no final interface statistics)"), "\(r2.stderr)")
    }

    /// Offset of the first block of `type` (little-endian pcapng).
    static func firstBlock(ofType type: UInt32, in b: [UInt8]) -> Int? {
        func u32(_ o: Int) -> UInt32 { (0 ..< 4).reduce(0) { $0 | UInt32(b[o + $1]) << ($1 * 8) } }
        var o = 0
        while o + 12 <= b.count {
            if u32(o) == type { return o }
            let len = Int(u32(o + 4))
            guard len >= 12 else { return nil }
            o += len
        }
        return nil
    }
}
