import Testing
@testable import CaptureFiles
import TestCaptures

@Suite struct PcapNGReaderTests {
    /// Ethernet eth0 + raw-IP wg0 in one section, with the usual options.
    @Test(arguments: [false, true])
    func twoInterfacesWithDifferentLinkTypes(bigEndian: Bool) throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapNGBytes(bigEndian: bigEndian)
        b.section(options: [b.string(2, "x86_64"), b.string(3, "Linux 6.1"), b.string(4, "leakscope test"),
                            b.string(1, "first"), b.string(1, "second")])
        b.interface(linkType: 1, snaplen: 262_144, options: [
            b.string(2, "eth0"), b.string(3, "Ethernet uplink"),
            (4, [192, 0, 2, 10, 255, 255, 255, 0]),
            (5, [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1, 64]),
            (6, [0x02, 0x00, 0x5E, 0x00, 0x53, 0x01]),
            b.u8(9, 9), b.string(12, "Linux"), b.string(1, "uplink"), (11, [0] + Array("udp".utf8)),
        ])
        b.interface(linkType: 101, snaplen: 0, options: [b.string(2, "wg0\0")])
        b.enhancedPacket(interface: 0, timestamp: 1_700_000_000_123_456_789, data: payload(14), originalLength: 1514)
        b.enhancedPacket(interface: 1, timestamp: 1_700_000_000_500_000, data: payload(3, start: 9))
        b.statistics(interface: 1, timestamp: 1_700_000_001_000_000, options: [
            b.timestamp(2, 1_700_000_000_000_000), b.timestamp(3, 1_700_000_001_000_000),
            b.u64(4, 100), b.u64(5, 2), b.u64(6, 90), b.u64(7, 3), b.u64(8, 88), b.string(1, "stats"),
        ])
        let r = try CaptureReader(path: dir.write("two.pcapng", b.bytes))
        #expect(r.format == .pcapng)
        #expect(readAll(r) == [
            Seen(frame: 1, file: 0, interface: 0, name: "eth0", link: 1, ns: 1_700_000_000_123_456_789,
                 original: 1514, captured: 14, direction: .unknown, bytes: payload(14)),
            Seen(frame: 2, file: 0, interface: 1, name: "wg0", link: 101, ns: 1_700_000_000_500_000_000,
                 original: 3, captured: 3, direction: .unknown, bytes: payload(3, start: 9)),
        ])
        #expect(r.damage == nil)
        #expect(r.warnings.isEmpty)
        #expect(r.sections.count == 1)
        let s = r.sections[0]
        #expect(s.byteOrder == (bigEndian ? .big : .little))
        #expect(s.hardware == "x86_64" && s.os == "Linux 6.1" && s.userApplication == "leakscope test")
        #expect(s.comments == ["first", "second"])
        #expect(s.sectionLength == -1)
        let eth = r.interfaces[0]
        #expect(eth.id == 0 && eth.section == 0 && eth.idInSection == 0)
        #expect(eth.name == "eth0" && eth.description == "Ethernet uplink" && eth.os == "Linux")
        #expect(eth.comments == ["uplink"])
        #expect(eth.filter == "udp")
        #expect(eth.snaplen == 262_144)
        #expect(eth.timestampResolution == .nanoseconds)
        #expect(eth.ipv4Addresses == [InterfaceIPv4Address(address: 0xC000_020A, netmask: 0xFFFF_FF00)])
        #expect(eth.ipv4Addresses[0].description == "192.0.2.10/255.255.255.0")
        #expect(eth.ipv6Addresses == [InterfaceIPv6Address(high: 0x2001_0DB8_0000_0000, low: 1, prefixLength: 64)])
        #expect(eth.macAddress == [0x02, 0x00, 0x5E, 0x00, 0x53, 0x01])
        let wg = r.interfaces[1]
        #expect(wg.id == 1 && wg.linkType == .raw && wg.name == "wg0" && wg.timestampResolution == .microseconds)
        var expected = InterfaceStatistics(interfaceID: 1, offset: r.statistics.first?.offset ?? -1,
                                           timestampNanoseconds: 1_700_000_001_000_000_000)
        expected.startTimeNanoseconds = 1_700_000_000_000_000_000
        expected.endTimeNanoseconds = 1_700_000_001_000_000_000
        expected.interfaceReceived = 100
        expected.interfaceDropped = 2
        expected.filterAccepted = 90
        expected.osDropped = 3
        expected.userDelivered = 88
        expected.comments = ["stats"]
        #expect(r.statistics == [expected])
        #expect(r.blockCounts.interfaceStatistics == 1)
        #expect(r.blockCounts.interfaceDescriptions == 2)
    }

    /// Interface ids restart in each section; Packet.interfaceID is the running
    /// IDB index across the file (tshark's frame.interface_id).
    @Test func sectionsInBothByteOrdersNumberInterfacesAcrossTheFile() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapNGBytes(bigEndian: false)
        b.section(options: [b.string(3, "le")])
        b.interface(linkType: 1, options: [b.string(2, "eth0")])
        b.enhancedPacket(interface: 0, timestamp: 1_000_000, data: [1, 2])
        b.section(bigEndian: true, minor: 2, options: [b.string(3, "be")])
        b.interface(linkType: 1, options: [b.string(2, "eth1")])
        b.interface(linkType: 101, options: [b.string(2, "wg0")])
        b.enhancedPacket(interface: 1, timestamp: 2_000_000, data: [3])
        b.enhancedPacket(interface: 0, timestamp: 3_000_000, data: [4])
        let r = try CaptureReader(path: dir.write("multi.pcapng", b.bytes))
        let seen = readAll(r)
        #expect(seen.map(\.frame) == [1, 2, 3])
        #expect(seen.map(\.interface) == [0, 2, 1])
        #expect(seen.map(\.name) == ["eth0", "wg0", "eth1"])
        #expect(seen.map(\.link) == [1, 101, 1])
        #expect(seen.map(\.ns) == [1_000_000_000, 2_000_000_000, 3_000_000_000])
        #expect(r.sections.map(\.byteOrder) == [.little, .big])
        #expect(r.sections.map(\.os) == ["le", "be"])
        #expect(r.sections.map(\.firstInterfaceID) == [0, 1])
        #expect(r.sections.map(\.minorVersion) == [0, 2])
        #expect(r.interfaces.map(\.section) == [0, 1, 1])
        #expect(r.interfaces.map(\.idInSection) == [0, 0, 1])
        #expect(r.damage == nil)
    }

    @Test func tsresolAndTsoffset() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapNGBytes()
        b.section()
        b.interface(linkType: 1, options: [b.u8(9, 3)])                        // milliseconds
        b.interface(linkType: 1, options: [b.u8(9, 0x80 | 20)])                // 2^-20 s
        b.interface(linkType: 1, options: [b.u8(9, 12), b.u64(14, 100)])      // picoseconds, +100 s
        b.interface(linkType: 1, options: [b.u64(14, UInt64(bitPattern: -5))]) // microseconds, -5 s
        b.interface(linkType: 1, options: [b.u8(9, 0)])                        // seconds
        b.enhancedPacket(interface: 0, timestamp: 1_500, data: [0])
        b.enhancedPacket(interface: 1, timestamp: 3 << 19, data: [0])          // 1.5 s
        b.enhancedPacket(interface: 2, timestamp: 2_000_000_000_123, data: [0])
        b.enhancedPacket(interface: 3, timestamp: 10_000_001, data: [0])
        b.enhancedPacket(interface: 4, timestamp: UInt64.max, data: [0])       // saturates
        b.enhancedPacket(interface: 4, timestamp: UInt64.max, data: [0])       // warned once per interface
        let r = try CaptureReader(path: dir.write("res.pcapng", b.bytes))
        #expect(readAll(r).map(\.ns) == [1_500_000_000, 1_500_000_000, 102_000_000_000, 5_000_001_000, .max, .max])
        #expect(r.interfaces.map(\.timestampResolution) == [.decimal(3), .binary(20), .decimal(12), .microseconds, .decimal(0)])
        #expect(r.interfaces.map(\.timestampOffsetSeconds) == [0, 0, 100, -5, 0])
        #expect(r.warnings.map(\.kind) == [.timestampSaturated(frameNumber: 5)])
    }

    @Test func timestampConverterEdges() {
        #expect(TimestampConverter(resolution: .decimal(30), offsetSeconds: 0).nanoseconds(UInt64.max) == (0, false))
        #expect(TimestampConverter(resolution: .decimal(28), offsetSeconds: 0).nanoseconds(UInt64.max) == (1, false))
        #expect(TimestampConverter(resolution: .binary(127), offsetSeconds: 0).nanoseconds(UInt64.max) == (0, false))
        #expect(TimestampConverter(resolution: .binary(64), offsetSeconds: 0).nanoseconds(1 << 63) == (500_000_000, false))
        #expect(TimestampConverter(resolution: .binary(0), offsetSeconds: 0).nanoseconds(3) == (3_000_000_000, false))
        #expect(TimestampConverter(resolution: .nanoseconds, offsetSeconds: Int64.max).nanoseconds(0) == (.max, true))
        #expect(TimestampConverter(resolution: .nanoseconds, offsetSeconds: -10).nanoseconds(0) == (-10_000_000_000, false))
    }

    @Test func epbFlagsGiveTheDirection() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapNGBytes(bigEndian: true)
        b.section()
        b.interface(linkType: 1)
        b.enhancedPacket(interface: 0, timestamp: 1, data: [1], options: [b.u32(2, 1)])
        b.enhancedPacket(interface: 0, timestamp: 2, data: [2], options: [b.string(1, "c"), b.u32(2, 0x0000_0102)])
        b.enhancedPacket(interface: 0, timestamp: 3, data: [3], options: [b.u32(2, 0)])
        b.enhancedPacket(interface: 0, timestamp: 4, data: [4])
        b.obsoletePacket(interface: 0, timestamp: 5, data: [5, 6, 7, 8, 9], options: [b.u32(2, 2)])
        let r = try CaptureReader(path: dir.write("dir.pcapng", b.bytes))
        let seen = readAll(r)
        #expect(seen.map(\.direction) == [.inbound, .outbound, .unknown, .unknown, .outbound])
        #expect(seen.last?.bytes == [5, 6, 7, 8, 9])
        #expect(seen.last?.ns == 5_000)
    }

    @Test func simplePacketBlocks() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapNGBytes()
        b.section()
        b.interface(linkType: 1, snaplen: 4, options: [b.string(2, "eth0")])
        b.enhancedPacket(interface: 0, timestamp: 7_000_000, data: [9])
        b.simplePacket(originalLength: 6, data: payload(6))       // cut to snaplen 4
        b.simplePacket(originalLength: 3, data: payload(3, start: 5))   // block padded to 4
        let r = try CaptureReader(path: dir.write("spb.pcapng", b.bytes))
        #expect(readAll(r) == [
            Seen(frame: 1, file: 0, interface: 0, name: "eth0", link: 1, ns: 7_000_000_000, original: 1, captured: 1, direction: .unknown, bytes: [9]),
            Seen(frame: 2, file: 0, interface: 0, name: "eth0", link: 1, ns: 7_000_000_000, original: 6, captured: 4, direction: .unknown, bytes: payload(4)),
            Seen(frame: 3, file: 0, interface: 0, name: "eth0", link: 1, ns: 7_000_000_000, original: 3, captured: 3, direction: .unknown, bytes: payload(3, start: 5)),
        ])
        let again = try CaptureReader(path: dir.url.appendingPathComponent("spb.pcapng").path)
        var known: [Bool] = []
        while let p = again.next() { known.append(p.hasTimestamp) }
        #expect(known == [true, false, false])
        let summary = try CaptureSummary.read(path: dir.url.appendingPathComponent("spb.pcapng").path)
        #expect(summary.interfaces[0].packets == 3)
        #expect(summary.interfaces[0].firstTimestampNanoseconds == 7_000_000_000)
    }

    @Test func otherBlocksAreCountedAndUnknownOnesWarned() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapNGBytes()
        b.section()
        b.interface(linkType: 1)
        b.block(type: 4, body: [0, 0, 0, 0])               // NRB with only the end record
        b.block(type: 0x0A, body: [0x4B, 0x53, 0x4C, 0x54, 0, 0, 0, 0])   // DSB, 0 bytes of secrets
        b.block(type: 0x0BAD, body: [0, 0, 0, 0])
        b.block(type: 0x4000_0BAD, body: [0, 0, 0, 0])
        b.block(type: 0x1234, body: [])
        b.enhancedPacket(interface: 0, timestamp: 1, data: [1])
        let path = dir.write("blocks.pcapng", b.bytes)
        let r = try CaptureReader(path: path)
        // The two custom blocks take frames 1 and 2, as in Wireshark; NRB, DSB and unknown blocks take none.
        #expect(readAll(r).map(\.frame) == [3])
        #expect(r.framesRead == 3 && r.nonPacketFrames == 2)
        #expect(r.blockCounts.nameResolution == 1)
        #expect(r.blockCounts.decryptionSecrets == 1)
        #expect(r.blockCounts.custom == 2)
        #expect(r.blockCounts.unknown == 1)
        #expect(r.warnings == [CaptureWarning(path: path, offset: 28 + 20 + 16 + 20 + 16 + 16, kind: .unknownBlock(type: 0x1234))])
        #expect(r.warnings[0].message == "unknown pcapng block type 0x00001234 skipped")
        #expect(r.damage == nil)
    }
}
