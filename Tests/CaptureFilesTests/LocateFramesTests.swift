import CaptureFiles
import Testing
import TestCaptures

/// `CaptureReader.visit(frames:)`: after a pass, the frames asked for come
/// back with the same bytes, times and interfaces as in the pass, from the
/// same mapping, reading only around them.
@Suite struct LocateFramesTests {
    struct Seen: Equatable {
        var frame: Int, interface: Int, time: Int64, bytes: [UInt8], offset: Int, hasTimestamp: Bool
        init(_ p: Packet) {
            frame = p.frameNumber; interface = p.interfaceID; time = p.timestampNanoseconds; bytes = p.bytes.toArray()
            offset = p.recordOffset; hasTimestamp = p.hasTimestamp
        }
    }

    /// Reads the file through, then visits `frames`; returns both views and the reader.
    func passAndVisit(_ bytes: [UInt8], _ frames: [Int]) throws -> (pass: [Int: Seen], visited: [Seen], reader: CaptureReader, file: TempDirectory) {
        let file = TempDirectory()
        let reader = try CaptureReader(path: file.write("c", bytes))
        var pass: [Int: Seen] = [:]
        while let p = reader.next() { pass[p.frameNumber] = Seen(p) }
        var visited: [Seen] = []
        reader.visit(frames: frames) { visited.append(Seen($0)) }
        return (pass, visited, reader, file)
    }

    @Test func framesOfALongClassicPcapAreFoundByTheIndex() throws {
        var b = PcapBytes()
        for i in 0..<5000 { b.record(seconds: UInt32(1_700_000_000 + i), fraction: UInt32(i), data: payload(20 + i % 40, start: UInt8(i & 0xFF))) }
        let wanted = [1, 2, 1024, 1025, 1026, 4500, 4999, 5000]
        let (pass, visited, reader, file) = try passAndVisit(b.bytes, wanted + [6000])
        defer { file.remove() }
        #expect(visited == wanted.map { pass[$0]! })
        // One jump to the index point before each group and a short walk: far
        // fewer records than the file has (4 walks of at most 1,024 records).
        #expect(reader.locatedRecords <= 4 * CaptureReader.frameIndexStride)
        #expect(reader.locatedRecords < 5000)
        // The reader is as it was after its pass.
        #expect(reader.framesRead == 5000)
        #expect(reader.next() == nil)
        #expect(reader.damage == nil)
        // Asking again (in another order of groups) gives the same packets.
        var again: [Seen] = []
        reader.visit(frames: [4999, 5000]) { again.append(Seen($0)) }
        #expect(again == [pass[4999]!, pass[5000]!])
    }

    @Test func sectionsInterfacesAndSimplePacketsKeepTheirState() throws {
        // Section 1 little-endian with one interface; section 2 big-endian with
        // two, the second described after packets; a Simple Packet Block takes
        // the previous packet's time; statistics blocks between packets.
        var b = PcapNGBytes(bigEndian: false)
        b.section()
        b.interface(linkType: 1, options: [b.string(2, "eth0")])
        for i in 0..<1500 { b.enhancedPacket(interface: 0, timestamp: UInt64(1_000_000 + i), data: payload(30, start: UInt8(i & 0xFF))) }
        b.statistics(interface: 0, timestamp: 2_000_000)
        b.section(bigEndian: true)
        b.interface(linkType: 101, options: [b.string(2, "wg0")])
        for i in 0..<10 { b.enhancedPacket(interface: 0, timestamp: UInt64(3_000_000 + i), data: payload(40, start: UInt8(i))) }
        b.simplePacket(originalLength: 40, data: payload(40, start: 9))
        b.interface(linkType: 1, options: [b.string(2, "eth1")])
        for i in 0..<5 { b.enhancedPacket(interface: 1, timestamp: UInt64(4_000_000 + i), data: payload(24, start: UInt8(i))) }
        let wanted = [1, 1400, 1501, 1511, 1512, 1516]
        let (pass, visited, reader, file) = try passAndVisit(b.bytes, wanted)
        defer { file.remove() }
        #expect(pass.count == 1516)
        #expect(visited == wanted.map { pass[$0]! })
        #expect(visited.map(\.interface) == [0, 0, 1, 1, 2, 2])
        #expect(visited[3].hasTimestamp == false && visited[3].time == pass[1510]!.time)
        #expect(reader.statistics.count == 1)
        #expect(reader.interfaces.count == 3)
    }

    @Test func damageAfterTheFramesStaysWhereItWas() throws {
        var b = PcapBytes()
        for i in 0..<20 { b.record(seconds: UInt32(i), fraction: 0, data: payload(10)) }
        let cut = Array(b.bytes.dropLast(3))
        let (pass, visited, reader, file) = try passAndVisit(cut, [3, 19, 20])
        defer { file.remove() }
        #expect(pass.count == 19)
        #expect(visited == [pass[3]!, pass[19]!])
        #expect(reader.damage?.frameNumber == 20)
    }
}
