import OutputText
import Testing
@testable import CaptureFiles
import TestCaptures

/// Reads every packet into plain values (bytes copied) for comparisons.
struct Seen: Equatable {
    var frame: Int, file: Int, interface: Int, name: String?, link: UInt32
    var ns: Int64, original: Int, captured: Int, direction: PacketDirection, bytes: [UInt8]
}

func readAll(_ reader: CaptureReader) -> [Seen] {
    var out: [Seen] = []
    while let p = reader.next() {
        out.append(Seen(frame: p.frameNumber, file: p.fileIndex, interface: p.interfaceID, name: reader.interfaceName(of: p),
                        link: p.linkType.rawValue, ns: p.timestampNanoseconds, original: p.originalLength,
                        captured: p.capturedLength, direction: p.direction, bytes: p.bytes.toArray()))
    }
    return out
}

@Suite struct PcapReaderTests {
    @Test(arguments: [false, true], [false, true])
    func classicPcapBothByteOrdersAndResolutions(bigEndian: Bool, nanosecond: Bool) throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapBytes(bigEndian: bigEndian, nanosecond: nanosecond, snaplen: 96, linkType: 101)
        b.record(seconds: 1_700_000_000, fraction: 123_456, data: payload(20), originalLength: 60)
        b.record(seconds: 1_700_000_001, fraction: 999_999, data: payload(5, start: 0x40))
        let path = dir.write("a.pcap", b.bytes)
        let r = try CaptureReader(path: path, fileIndex: 3)
        #expect(r.format == .pcap(byteOrder: bigEndian ? .big : .little, resolution: nanosecond ? .nanoseconds : .microseconds))
        #expect(r.interfaces.count == 1)
        #expect(r.interfaces[0].linkType == .raw)
        #expect(r.interfaces[0].snaplen == 96)
        #expect(r.interfaces[0].fcsLength == nil)
        #expect(r.sections.count == 1)
        #expect(r.sections[0].majorVersion == 2 && r.sections[0].minorVersion == 4)
        #expect(r.fileSize == 24 + 16 + 20 + 16 + 5)
        let scale: Int64 = nanosecond ? 1 : 1000
        #expect(readAll(r) == [
            Seen(frame: 1, file: 3, interface: 0, name: nil, link: 101, ns: 1_700_000_000_000_000_000 + 123_456 * scale,
                 original: 60, captured: 20, direction: .unknown, bytes: payload(20)),
            Seen(frame: 2, file: 3, interface: 0, name: nil, link: 101, ns: 1_700_000_001_000_000_000 + 999_999 * scale,
                 original: 5, captured: 5, direction: .unknown, bytes: payload(5, start: 0x40)),
        ])
        #expect(r.damage == nil)
        #expect(r.warnings.isEmpty)
        #expect(r.framesRead == 2)
        #expect(r.next() == nil)
    }

    @Test func linkTypeFCSBitsAreSplitOffLikeLibpcap() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        // Ethernet with "FCS present" (bit 26) and 2 16-bit words of FCS (bits 28-31).
        var b = PcapBytes(linkType: 0x2400_0001)
        b.record(seconds: 1, fraction: 0, data: payload(64))
        let r = try CaptureReader(path: dir.write("fcs.pcap", b.bytes))
        #expect(r.interfaces[0].linkType == .ethernet)
        #expect(r.interfaces[0].fcsLength == 4)
        #expect(readAll(r).map(\.link) == [1])
    }

    @Test func timestampsPast2038AreUnsigned() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapBytes()
        b.record(seconds: 0xFFFF_FFFF, fraction: 999_999, data: [1])
        let r = try CaptureReader(path: dir.write("t.pcap", b.bytes))
        #expect(readAll(r).map(\.ns) == [4_294_967_295_999_999_000])
        #expect(ISO8601Nanoseconds.format(4_294_967_295_999_999_000) == "2106-02-07T06:28:15.999999000Z")
    }

    @Test func invalidSubsecondIsWarnedOnce() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapBytes(nanosecond: true)
        b.record(seconds: 10, fraction: 1_000_000_000, data: [1])
        b.record(seconds: 10, fraction: 2_000_000_000, data: [2])
        let r = try CaptureReader(path: dir.write("t.pcap", b.bytes))
        #expect(readAll(r).map(\.ns) == [11_000_000_000, 12_000_000_000])
        #expect(r.warnings.map(\.kind) == [.invalidSubsecond(frameNumber: 1)])
        #expect(r.warnings[0].offset == 24)
    }
}

@Suite struct MappingTests {
    /// Dropping pages behind the read position (MADV_DONTNEED) must not
    /// invalidate views: a private read-only mapping re-reads the file.
    @Test func viewsSurvivePageRelease() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapBytes()
        for i in 0 ..< 3000 { b.record(seconds: UInt32(i), fraction: 0, data: payload(100, start: UInt8(i & 0xFF))) }
        let r = try CaptureReader(path: dir.write("big.pcap", b.bytes))
        let first = try #require(r.next())
        r.file.release(upTo: r.fileSize)
        #expect(first.bytes.toArray() == payload(100))
        var count = 1
        while r.next() != nil { count += 1 }
        #expect(count == 3000)
    }
}
