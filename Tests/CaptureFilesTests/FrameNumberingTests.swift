import Foundation
import Testing
@testable import CaptureFiles
import TestCaptures

/// Frame numbers as Wireshark counts them: pcapng Custom and systemd Journal Export
/// blocks are frames in Wireshark (records without an interface), so they take a
/// number; NRB, DSB, ISB and unknown blocks do not. Checked against tshark when it
/// is installed (it is only an oracle here).
@Suite struct FrameNumberingTests {
    static func mixedFile(bigEndian: Bool) -> [UInt8] {
        var b = PcapNGBytes()
        b.section(bigEndian: bigEndian)
        b.interface(linkType: 1)
        b.enhancedPacket(interface: 0, timestamp: 1, data: payload(60))             // frame 1
        b.block(type: 0x0BAD, body: [0, 0, 0x7F, 0xFE, 1, 2, 3, 4])              // frame 2: custom, copy allowed
        b.enhancedPacket(interface: 0, timestamp: 2, data: payload(61))             // frame 3
        let entry = Array("__REALTIME_TIMESTAMP=1700000000000000\nMESSAGE=lsl\n".utf8)
        b.block(type: 9, body: entry + [UInt8](repeating: 0, count: (4 - entry.count % 4) % 4))  // frame 4: journal entry
        b.block(type: 0x0A, body: [0x4B, 0x53, 0x4C, 0x54, 0, 0, 0, 0])         // DSB: no frame
        b.block(type: 4, body: [0, 0, 0, 0])                                         // NRB: no frame
        b.statistics(interface: 0, timestamp: 3)                                     // ISB: no frame
        b.enhancedPacket(interface: 0, timestamp: 4, data: payload(62))             // frame 5
        b.block(type: 0x4000_0BAD, body: [0, 0, 0x7F, 0xFE, 9, 9, 9, 9])        // frame 6: custom, no copy
        b.enhancedPacket(interface: 0, timestamp: 5, data: payload(63))             // frame 7
        return b.bytes
    }

    @Test(arguments: [false, true])
    func nonPacketBlocksTakeTheirFrameNumber(bigEndian: Bool) throws {
        let dir = TempDirectory(); defer { dir.remove() }
        let path = dir.write("mixed.pcapng", Self.mixedFile(bigEndian: bigEndian))
        let r = try CaptureReader(path: path)
        var seen: [(Int, Int)] = []
        while let p = r.next() { seen.append((p.frameNumber, p.capturedLength)) }
        #expect(seen.map(\.0) == [1, 3, 5, 7])
        #expect(seen.map(\.1) == [60, 61, 62, 63])
        #expect(r.framesRead == 7 && r.nonPacketFrames == 3)
        #expect(r.blockCounts.custom == 2 && r.blockCounts.systemdJournal == 1)
        #expect(r.damage == nil && r.warnings.isEmpty)
    }

    @Test(.enabled(if: Tshark.path != nil, "tshark is not installed; the oracle comparison is skipped"))
    func tsharkNumbersTheSameFileTheSameWay() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        let path = dir.write("mixed.pcapng", Self.mixedFile(bigEndian: false))
        let rows = try Tshark.fields(path, ["frame.number", "frame.interface_id", "frame.len"])
        // Packet rows carry an interface id; the custom and journal frames do not.
        #expect(rows.filter { !$0[1].isEmpty }.map { $0[0] } == ["1", "3", "5", "7"])
        #expect(rows.filter { $0[1].isEmpty }.map { $0[0] } == ["2", "4", "6"])
        let r = try CaptureReader(path: path)
        var ours: [String] = []
        while let p = r.next() { ours.append("\(p.frameNumber) \(p.originalLength)") }
        #expect(ours == rows.filter { !$0[1].isEmpty }.map { "\($0[0]) \($0[2])" })
        #expect(r.framesRead == rows.count)
    }
}

enum Tshark {
    static let path: String? = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `tshark -r FILE -T fields -e ...` as rows of fields.
    static func fields(_ file: String, _ names: [String]) throws -> [[String]] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path ?? "tshark")
        p.arguments = ["-r", file, "-T", "fields"] + names.flatMap { ["-e", $0] }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }
}
