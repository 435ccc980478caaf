import Testing
@testable import CaptureFiles
import TestCaptures

@Suite struct MergeAndSummaryTests {
    @Test func mergeTwoFilesInTimeOrder() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var a = PcapBytes()
        a.record(seconds: 10, fraction: 0, data: [0xA1])
        a.record(seconds: 12, fraction: 0, data: [0xA2])
        a.record(seconds: 12, fraction: 0, data: [0xA3])   // tie with b's frame 2: file a first
        a.record(seconds: 11, fraction: 0, data: [0xA4])   // goes backwards: stays after a's frame 3
        var b = PcapNGBytes()
        b.section()
        b.interface(linkType: 101, options: [b.string(2, "wg0")])
        b.enhancedPacket(interface: 0, timestamp: 11_000_000, data: [0xB1])
        b.enhancedPacket(interface: 0, timestamp: 12_000_000, data: [0xB2])
        b.enhancedPacket(interface: 0, timestamp: 13_000_000, data: [0xB3])
        let merger = try CaptureMerger(paths: [dir.write("a.pcap", a.bytes), dir.write("b.pcapng", b.bytes)])
        var order: [String] = []
        while let p = merger.next() {
            order.append("\(p.fileIndex):\(p.frameNumber):\(p.bytes.toArray()[0] == 0 ? "" : String(p.bytes.toArray()[0], radix: 16)):\(p.timestampNanoseconds / 1_000_000_000)")
        }
        #expect(order == ["0:1:a1:10", "1:1:b1:11", "0:2:a2:12", "0:3:a3:12", "0:4:a4:11", "1:2:b2:12", "1:3:b3:13"])
        #expect(merger.damages.isEmpty)
        #expect(merger.next() == nil)
    }

    @Test func mergeReportsDamagePerFile() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var a = PcapBytes()
        a.record(seconds: 1, fraction: 0, data: [1])
        a.record(seconds: 2, fraction: 0, data: [2], capturedLength: 9)
        var b = PcapBytes(bigEndian: true)
        b.record(seconds: 3, fraction: 0, data: [3])
        let pa = dir.write("a.pcap", a.bytes)
        let merger = try CaptureMerger(paths: [pa, dir.write("b.pcap", b.bytes)])
        var seen: [Int] = []
        while let p = merger.next() { seen.append(p.fileIndex) }
        #expect(seen == [0, 1])
        #expect(merger.damages.map(\.path) == [pa])
        #expect(merger.damages.map(\.offset) == [41])
    }

    @Test func summaryPerInterface() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapNGBytes()
        b.section()
        b.interface(linkType: 1, options: [b.string(2, "eth0")])
        b.interface(linkType: 101, options: [b.string(2, "wg\u{1b}[31m0")])
        b.interface(linkType: 113)
        b.enhancedPacket(interface: 0, timestamp: 1_700_000_000_000_000, data: payload(60), originalLength: 1500)
        b.enhancedPacket(interface: 1, timestamp: 1_700_000_002_500_000, data: payload(40))
        b.enhancedPacket(interface: 0, timestamp: 1_700_000_001_000_000, data: payload(70))
        b.block(type: 0x0BAD, body: [0, 0, 0, 0])
        let path = dir.write("s.pcapng", b.bytes)
        let s = try CaptureSummary.read(path: path)
        #expect(s.packets == 3 && s.frames == 4)  // the custom block is frame 4, as in Wireshark
        #expect(s.interfaces.map(\.packets) == [2, 1, 0])
        #expect(s.interfaces.map(\.capturedBytes) == [130, 40, 0])
        #expect(s.interfaces.map(\.originalBytes) == [1570, 40, 0])
        #expect(s.interfaces.map(\.firstTimestampNanoseconds) == [1_700_000_000_000_000_000, 1_700_000_002_500_000_000, nil])
        #expect(s.interfaces.map(\.lastTimestampNanoseconds) == [1_700_000_001_000_000_000, 1_700_000_002_500_000_000, nil])
        #expect(s.interfaces.map(\.linkType) == [.ethernet, .raw, .linuxSLL])
        #expect(s.blockCounts.custom == 1)
        #expect(s.damage == nil)
        #expect(s.table() == """
            \(path): pcapng, \(s.fileSize) bytes, 4 frames
              iface name        link type       packets bytes first                          last                                span
                  0 eth0        ether (1)             2   130 2023-11-14T22:13:20.000000000Z 2023-11-14T22:13:21.000000000Z 1.000000s
                  1 wg\\x1b[31m0 rawip (101)           1    40 2023-11-14T22:13:22.500000000Z 2023-11-14T22:13:22.500000000Z 0.000000s
                  2 -           linux-sll (113)       0     0 -                              -                                      -
              other blocks: 1 custom

            """)
    }

    @Test func formatting() {
        #expect(formatDuration(1_500_000) == "0.001500s")
        #expect(formatDuration(-2_000_000_000) == "-2.000000s")
    }
}
