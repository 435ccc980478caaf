import Testing
@testable import CaptureFiles
import TestCaptures

/// Hostile input in bulk: every truncation and many byte flips of valid
/// files must end in a packet list, a CaptureFileError or a CaptureDamage;
/// never a crash, a hang or more packets than records.
@Suite struct RobustnessTests {
    static func samplePcapNG(bigEndian: Bool) -> [UInt8] {
        var b = PcapNGBytes(bigEndian: bigEndian)
        b.section(options: [b.string(3, "Linux")])
        b.interface(linkType: 1, snaplen: 128, options: [b.string(2, "eth0"), b.u8(9, 0x80 | 10)])
        b.interface(linkType: 101, options: [b.string(2, "wg0"), b.u64(14, 3)])
        b.enhancedPacket(interface: 0, timestamp: 1 << 40, data: payload(33), options: [b.u32(2, 1)])
        b.simplePacket(originalLength: 200, data: payload(128))
        b.statistics(interface: 1, timestamp: 5, options: [b.u64(4, 9)])
        b.block(type: 0x0BAD, body: [1, 2, 3, 4])
        b.section(bigEndian: !bigEndian)
        b.interface(linkType: 113)
        b.obsoletePacket(interface: 0, timestamp: 77, data: payload(7))
        b.enhancedPacket(interface: 0, timestamp: 78, data: payload(9))
        return b.bytes
    }

    static func samplePcap() -> [UInt8] {
        var b = PcapBytes(bigEndian: true, nanosecond: true)
        for i in 0 ..< 5 { b.record(seconds: UInt32(i), fraction: 0, data: payload(10 + i)) }
        return b.bytes
    }

    /// Opens and drains; returns packets read (nil when refused).
    static func drain(_ bytes: [UInt8], _ dir: TempDirectory, _ name: String) -> Int? {
        let path = dir.write(name, bytes)
        guard let r = try? CaptureReader(path: path) else { return nil }
        var n = 0
        while let p = r.next() {
            n += 1
            #expect(p.capturedLength == p.bytes.count)
            #expect(p.capturedLength <= CaptureReader.maximumCapturedLength)
            if n > 100 { Issue.record("runaway reader"); break }
        }
        return n
    }

    @Test func everyTruncation() {
        let dir = TempDirectory(); defer { dir.remove() }
        for (name, bytes, total) in [("le.pcapng", Self.samplePcapNG(bigEndian: false), 4),
                                     ("be.pcapng", Self.samplePcapNG(bigEndian: true), 4),
                                     ("be.pcap", Self.samplePcap(), 5)] {
            #expect(Self.drain(bytes, dir, name) == total)
            var previous = 0
            for cut in 0 ..< bytes.count {
                let n = Self.drain(Array(bytes.prefix(cut)), dir, name) ?? 0
                #expect(n <= total)
                #expect(n >= previous)   // a longer prefix never yields fewer packets
                previous = n
            }
        }
    }

    @Test func byteFlips() {
        let dir = TempDirectory(); defer { dir.remove() }
        var rng = SplitMix64(seed: 0x1EA6_5C09E)
        for base in [Self.samplePcapNG(bigEndian: false), Self.samplePcapNG(bigEndian: true), Self.samplePcap()] {
            for _ in 0 ..< 300 {
                var bytes = base
                for _ in 0 ..< 1 + Int(rng.next() % 4) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                }
                let n = Self.drain(bytes, dir, "flip") ?? 0
                #expect(n <= 6)
            }
        }
    }

    @Test func warningsAreBounded() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapNGBytes()
        b.section()
        for _ in 0 ..< 300 { b.block(type: 0x7777, body: []) }
        let r = try CaptureReader(path: dir.write("many.pcapng", b.bytes))
        #expect(r.next() == nil)
        #expect(r.warnings.count == CaptureReader.maximumWarnings)
        #expect(r.droppedWarningCount == 300 - CaptureReader.maximumWarnings)
        #expect(r.blockCounts.unknown == 300)
        #expect(r.damage == nil)
    }
}

/// Deterministic PRNG for reproducible fuzz cases.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
