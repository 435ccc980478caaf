import Foundation
import Testing
@testable import CaptureFiles

/// The writer's output, read back by the project's reader and by tshark.
@Suite struct PcapNGWriterTests {
    /// Two interfaces (Ethernet eth0 with addresses, raw-IP wg0), four
    /// packets interleaved, comments and directions, explicit statistics.
    func writeSample(_ path: String) throws {
        let w = try PcapNGWriter(
            path: path, section: .describingThisProcess(tool: "leakscope", version: "9.9", commandLine: ["leakscope", "test"]))
        try w.addInterface(.init(
            name: "eth0", description: "uplink", linkType: .ethernet, snapLength: 262_144,
            addresses: [.v4(address: 0xC000_0202, mask: 0xFFFF_FF00), .v6(hi: 0x2001_0DB8_0000_0000, lo: 2, prefixLength: 64)]))
        try w.addInterface(.init(name: "wg0", linkType: .raw, snapLength: 262_144, addresses: [.v4(address: 0x0A00_0002, mask: 0xFFFF_FFFF)]))
        let packets: [(UInt32, Int64, Int, PacketDirection, String?)] = [
            (0, 1_700_000_000_000_000_001, 60, .outbound, "finding 1: DNS outside the tunnel"),
            (1, 1_700_000_000_000_000_500, 41, .unknown, nil),
            (0, 1_700_000_000_250_000_000, 1514, .inbound, nil),
            (1, 1_700_000_001_000_000_000, 3, .unknown, "ünïcödé comment"),
        ]
        for (iface, ts, length, direction, comment) in packets {
            let bytes = (0 ..< length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(iface)) }
            try bytes.withUnsafeBytes { b in
                try w.writePacket(
                    interfaceID: iface, timestampNanoseconds: ts, originalLength: length, bytes: b, direction: direction,
                    comment: comment)
            }
        }
        try w.close(statistics: [
            0: .init(startTimestampNanoseconds: 1_699_999_999_000_000_000, endTimestampNanoseconds: 1_700_000_002_000_000_000,
                     received: 5, interfaceDropped: 0, osDropped: 1),
        ])
    }

    @Test func projectReaderReadsWhatWasWritten() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let path = dir + "/sample.pcapng"
        try writeSample(path)
        let reader = try CaptureReader(path: path)
        var seen: [(String?, Int, Int64, PacketDirection, [UInt8])] = []
        while let p = reader.next() {
            seen.append((reader.interfaceName(of: p), p.originalLength, p.timestampNanoseconds, p.direction, p.bytes.toArray()))
        }
        #expect(reader.damage == nil)
        #expect(reader.warnings.isEmpty)
        #expect(seen.map(\.0) == ["eth0", "wg0", "eth0", "wg0"])
        #expect(seen.map(\.1) == [60, 41, 1514, 3])
        #expect(seen.map(\.2) == [1_700_000_000_000_000_001, 1_700_000_000_000_000_500, 1_700_000_000_250_000_000, 1_700_000_001_000_000_000])
        #expect(seen.map(\.3) == [.outbound, .unknown, .inbound, .unknown])
        #expect(seen[3].4 == [1, 8, 15])
        #expect(reader.interfaces.map(\.linkType) == [.ethernet, .raw])
        #expect(reader.interfaces[0].description == "uplink")
        #expect(reader.interfaces[0].ipv4Addresses == [InterfaceIPv4Address(address: 0xC000_0202, netmask: 0xFFFF_FF00)])
        #expect(reader.interfaces[0].ipv6Addresses == [InterfaceIPv6Address(high: 0x2001_0DB8_0000_0000, low: 2, prefixLength: 64)])
        #expect(reader.interfaces[1].ipv4Addresses == [InterfaceIPv4Address(address: 0x0A00_0002, netmask: 0xFFFF_FFFF)])
        #expect(reader.sections.count == 1)
        #expect(reader.sections[0].userApplication == "leakscope 9.9")
        #expect(reader.sections[0].comments.count == 1)
        #expect(reader.sections[0].comments[0].hasPrefix("leakscope 9.9 on "))
        #expect(reader.sections[0].comments[0].hasSuffix(": leakscope test"))
        #expect(reader.statistics.count == 2)
        let s0 = try #require(reader.statistics.first { $0.interfaceID == 0 })
        #expect(s0.startTimeNanoseconds == 1_699_999_999_000_000_000)
        #expect(s0.endTimeNanoseconds == 1_700_000_002_000_000_000)
        #expect(s0.interfaceReceived == 5)
        #expect(s0.interfaceDropped == 0)
        #expect(s0.osDropped == 1)
        #expect(s0.userDelivered == 2)
        // Defaulted ISB: span of its own packets, count written.
        let s1 = try #require(reader.statistics.first { $0.interfaceID == 1 })
        #expect(s1.startTimeNanoseconds == 1_700_000_000_000_000_500)
        #expect(s1.endTimeNanoseconds == 1_700_000_001_000_000_000)
        #expect(s1.interfaceReceived == nil)
        #expect(s1.userDelivered == 2)
    }

    // tshark is a test oracle only; skipped when it is not installed.
    @Test(.enabled(if: TestSupport.hasTshark, "tshark not installed"))
    func tsharkReadsInterfaceNamesLengthsAndComments() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let path = dir + "/sample.pcapng"
        try writeSample(path)
        let rows = try TestSupport.tsharkFields(path, ["frame.interface_name", "frame.len", "frame.time_epoch", "frame.comment"])
        #expect(rows.map { $0[0] } == ["eth0", "wg0", "eth0", "wg0"])
        #expect(rows.map { $0[1] } == ["60", "41", "1514", "3"])
        #expect(rows.map { $0[2] } == ["1700000000.000000001", "1700000000.000000500", "1700000000.250000000", "1700000001.000000000"])
        #expect(rows.map { $0.count > 3 ? $0[3] : "" } == ["finding 1: DNS outside the tunnel", "", "", "ünïcödé comment"])
        let r = try TestSupport.run(["tshark", "-r", path, "-T", "fields", "-e", "frame.interface_name", "-e", "frame.len"])
        #expect(r.status == 0)
        #expect(!r.stderr.contains("appears to be damaged"))
    }

    @Test func copiesAnInterfaceFromAReadCapture() throws {
        var source = CaptureInterface(id: 3, linkType: .linuxSLL, snaplen: 65_535, name: "any")
        source.ipv4Addresses = [.init(address: 0xC633_6401, netmask: 0xFFFF_FF00)]
        source.ipv6Addresses = [.init(high: 0x2001_0DB8_0000_0000, low: 9, prefixLength: 48)]
        source.description = "all"
        let idb = PcapNGWriter.Interface(source)
        #expect(idb == PcapNGWriter.Interface(
            name: "any", description: "all", linkType: .linuxSLL, snapLength: 65_535,
            addresses: [.v4(address: 0xC633_6401, mask: 0xFFFF_FF00), .v6(hi: 0x2001_0DB8_0000_0000, lo: 9, prefixLength: 48)]))
    }

    @Test func packetForAnUndescribedInterfaceIsRefused() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let w = try PcapNGWriter(path: dir + "/x.pcapng", section: .init())
        try w.addInterface(.init(name: "lo", linkType: .ethernet))
        #expect(throws: PcapNGWriterError.unknownInterface(id: 1, path: dir + "/x.pcapng")) {
            try [UInt8]([0]).withUnsafeBytes { b in
                try w.writePacket(interfaceID: 1, timestampNanoseconds: 0, originalLength: 1, bytes: b)
            }
        }
        w.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }
}
