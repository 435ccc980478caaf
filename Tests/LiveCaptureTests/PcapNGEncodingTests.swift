import Testing
@testable import CaptureFiles

/// Byte-exact pcapng blocks (little-endian, options padded to 32 bits).
@Suite struct PcapNGEncodingTests {
    @Test func sectionHeaderBlock() {
        let shb = PcapNGEncoding.sectionHeader(.init(comment: "hi", hardware: "x86_64", userApplication: "ls 1"))
        let expected: [UInt8] = [
            0x0A, 0x0D, 0x0D, 0x0A, 0x3C, 0, 0, 0,  // type, total length 60
            0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0,  // byte-order magic, version 1.0
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  // section length -1
            1, 0, 2, 0, 0x68, 0x69, 0, 0,  // opt_comment "hi"
            2, 0, 6, 0, 0x78, 0x38, 0x36, 0x5F, 0x36, 0x34, 0, 0,  // shb_hardware "x86_64"
            4, 0, 4, 0, 0x6C, 0x73, 0x20, 0x31,  // shb_userappl "ls 1"
            0, 0, 0, 0,  // opt_endofopt
            0x3C, 0, 0, 0,
        ]
        #expect(shb == expected)
    }

    @Test func interfaceDescriptionBlock() {
        let idb = PcapNGEncoding.interfaceDescription(.init(
            name: "lo", linkType: .ethernet, snapLength: 262_144,
            addresses: [.v4(address: 0x7F00_0001, mask: 0xFF00_0000), .v6(hi: 0, lo: 1, prefixLength: 128)]))
        let expected: [UInt8] = [
            1, 0, 0, 0, 0x4C, 0, 0, 0,  // type, total length 76
            1, 0, 0, 0, 0, 0, 4, 0,  // link type 1, reserved, snaplen 262144
            2, 0, 2, 0, 0x6C, 0x6F, 0, 0,  // if_name "lo"
            4, 0, 8, 0, 127, 0, 0, 1, 255, 0, 0, 0,  // if_IPv4addr 127.0.0.1 255.0.0.0
            5, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 128, 0, 0, 0,  // if_IPv6addr ::1/128
            9, 0, 1, 0, 9, 0, 0, 0,  // if_tsresol 9
            0, 0, 0, 0,
            0x4C, 0, 0, 0,
        ]
        #expect(idb == expected)
    }

    @Test func enhancedPacketBlockWithCommentAndDirection() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let path = dir + "/one.pcapng"
        let w = try PcapNGWriter(path: path, section: .init())
        try w.addInterface(.init(name: "a", linkType: .raw))
        try w.addInterface(.init(name: "b", linkType: .raw))
        try [UInt8]([1, 2, 3, 4, 5]).withUnsafeBytes { b in
            try w.writePacket(
                interfaceID: 1, timestampNanoseconds: 1_700_000_000_123_456_789, originalLength: 60, bytes: b,
                direction: .outbound, comment: "ab")
        }
        try w.close()
        let file = try #require(FileManager.default.contents(atPath: path)).map { $0 }
        let shbLength = 28, idbLength = 40  // empty SHB; IDB with if_name "a", if_tsresol, end
        let epb = Array(file[(shbLength + 2 * idbLength)...].prefix(60))
        let expected: [UInt8] = [
            6, 0, 0, 0, 0x3C, 0, 0, 0,  // type 6, total length 60
            1, 0, 0, 0,  // interface 1
            0xFE, 0x9C, 0x97, 0x17, 0x15, 0xCD, 0x85, 0x3D,  // ns timestamp high, low
            5, 0, 0, 0, 60, 0, 0, 0,  // captured 5, original 60
            1, 2, 3, 4, 5, 0, 0, 0,  // data + padding
            1, 0, 2, 0, 0x61, 0x62, 0, 0,  // opt_comment "ab"
            2, 0, 4, 0, 2, 0, 0, 0,  // epb_flags: outbound
            0, 0, 0, 0,
            0x3C, 0, 0, 0,
        ]
        #expect(epb == expected)
        #expect(file.count == shbLength + 2 * idbLength + 60 + 2 * 64)  // + two ISBs (start, end, usrdeliv)
    }

    @Test func interfaceStatisticsBlock() {
        let isb = PcapNGEncoding.interfaceStatistics(interfaceID: 0, .init(
            startTimestampNanoseconds: 1_000_000_000, endTimestampNanoseconds: 2_500_000_000, received: 10,
            interfaceDropped: 1, osDropped: 2, delivered: 7))
        let expected: [UInt8] = [
            5, 0, 0, 0, 0x64, 0, 0, 0,  // type 5, total length 100
            0, 0, 0, 0,  // interface 0
            0, 0, 0, 0, 0x00, 0xF9, 0x02, 0x95,  // timestamp = end (2.5 s)
            2, 0, 8, 0, 0, 0, 0, 0, 0x00, 0xCA, 0x9A, 0x3B,  // isb_starttime 1 s
            3, 0, 8, 0, 0, 0, 0, 0, 0x00, 0xF9, 0x02, 0x95,  // isb_endtime 2.5 s
            4, 0, 8, 0, 10, 0, 0, 0, 0, 0, 0, 0,  // isb_ifrecv
            5, 0, 8, 0, 1, 0, 0, 0, 0, 0, 0, 0,  // isb_ifdrop
            7, 0, 8, 0, 2, 0, 0, 0, 0, 0, 0, 0,  // isb_osdrop
            8, 0, 8, 0, 7, 0, 0, 0, 0, 0, 0, 0,  // isb_usrdeliv
            0, 0, 0, 0,
            0x64, 0, 0, 0,
        ]
        #expect(isb == expected)
    }

    @Test func blockWithoutOptionsHasNoEndOfOpt() {
        #expect(PcapNGEncoding.sectionHeader(.init()) == [
            0x0A, 0x0D, 0x0D, 0x0A, 28, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0,
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 28, 0, 0, 0,
        ])
    }

    @Test func longStringOptionIsCutAtACharacterBoundary() {
        var o = PcapNGOptionsEncoder()
        o.string(1, String(repeating: "é", count: 40_000))  // 80000 UTF-8 bytes
        let length = Int(o.bytes[2]) | Int(o.bytes[3]) << 8
        #expect(length == 0xFFFC)  // 65532 = 32766 whole "é"
        #expect(o.bytes.count == 4 + 0xFFFC)
    }

    @Test func addressText() {
        #expect(PcapNGWriter.Address.v4(address: 0xC000_0201, mask: 0xFFFF_FF00).description == "192.0.2.1/24")
        #expect(PcapNGWriter.Address.v6(hi: 0x2001_0DB8_0000_0000, lo: 1, prefixLength: 64).description == "2001:db8::1/64")
        #expect(PcapNGWriter.Address.v6(hi: 0xFE80_0000_0000_0000, lo: 0x00FC_00FF_FE00_0001, prefixLength: 64).description
            == "fe80::fc:ff:fe00:1/64")
        #expect(PcapNGWriter.Address.v6(hi: 0x2001_0DB8_0000_0001, lo: 0x0000_0000_0001_0000, prefixLength: 128).description
            == "2001:db8:0:1::1:0/128")
    }
}

import Foundation

/// An interface that stops early gets its ISB at once, with its comment; `close` writes none again.
@Suite struct InterfaceStatisticsCommentTests {
    @Test func finishInterfaceWritesOneISBWithTheEvent() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let path = dir + "/e.pcapng"
        let w = try PcapNGWriter(path: path, section: .init())
        try w.addInterface(.init(name: "wg0", linkType: .raw))
        try w.addInterface(.init(name: "eth0", linkType: .ethernet))
        let bytes: [UInt8] = [0x45] + [UInt8](repeating: 0, count: 19)
        try bytes.withUnsafeBytes { try w.writePacket(interfaceID: 0, timestampNanoseconds: 5, originalLength: 20, bytes: $0) }
        let event = InterfaceEvent(kind: .vanished, timeNanoseconds: 7_000_000_000, detail: "The interface disappeared")
        try w.finishInterface(0, statistics: .init(startTimestampNanoseconds: 1, endTimestampNanoseconds: 7_000_000_000,
                                                   comment: event.comment))
        try w.close(statistics: [1: .init(startTimestampNanoseconds: 1, endTimestampNanoseconds: 9_000_000_000)])
        let r = try CaptureReader(path: path)
        while r.next() != nil {}
        #expect(r.statistics.map(\.interfaceID) == [0, 1])
        #expect(r.statistics[0].endTimeNanoseconds == 7_000_000_000)
        #expect(r.statistics[0].userDelivered == 1)
        #expect(r.statistics[0].comments == ["leakscope: interface vanished at 1970-01-01T00:00:07.000000000Z: The interface disappeared"])
        #expect(InterfaceEvent(statistics: r.statistics[0]) == event)
        #expect(r.statistics[1].comments.isEmpty)
        #expect(r.statistics[1].endTimeNanoseconds == 9_000_000_000)
        var st = stat()
        #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o600)
    }
}
