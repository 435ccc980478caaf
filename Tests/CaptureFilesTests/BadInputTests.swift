import Testing
import Foundation
@testable import CaptureFiles
import TestCaptures

/// Every kind of damage: a clear message with file and byte offset, the
/// packets before it still returned, nothing after it.
@Suite struct BadInputTests {
    func opening(_ bytes: [UInt8], _ name: String = "bad") -> (Result<CaptureReader, CaptureFileError>, String, TempDirectory) {
        let dir = TempDirectory()
        let path = dir.write(name, bytes)
        do throws(CaptureFileError) { return (.success(try CaptureReader(path: path)), path, dir) }
        catch { return (.failure(error), path, dir) }
    }

    func expectError(_ bytes: [UInt8], _ expected: (String) -> CaptureFileError) {
        let (result, path, dir) = opening(bytes)
        defer { dir.remove() }
        switch result {
        case .success: Issue.record("opened a file that should have been refused")
        case .failure(let error): #expect(error == expected(path))
        }
    }

    /// Reads to the end; returns the frame numbers seen and the damage.
    func readDamaged(_ bytes: [UInt8]) -> (frames: [Int], damage: CaptureDamage?, path: String) {
        let (result, path, dir) = opening(bytes)
        defer { dir.remove() }
        guard case .success(let r) = result else { Issue.record("could not open"); return ([], nil, path) }
        let frames = readAll(r).map(\.frame)
        #expect(r.next() == nil)   // stays stopped
        return (frames, r.damage, path)
    }

    func onePacketPcap() -> PcapBytes {
        var b = PcapBytes()
        b.record(seconds: 1, fraction: 0, data: payload(10))
        return b
    }

    func onePacketPcapNG(bigEndian: Bool = false) -> PcapNGBytes {
        var b = PcapNGBytes(bigEndian: bigEndian)
        b.section()                                     // 28 bytes
        b.interface(linkType: 1)                        // 20 bytes
        b.enhancedPacket(interface: 0, timestamp: 1, data: payload(8))   // 40 bytes
        return b
    }

    @Test func notACapture() {
        expectError(Array("hello world, no capture".utf8)) {
            .notACapture(path: $0, reason: "unknown magic number 0x68656c6c at byte offset 0")
        }
        expectError([]) { .notACapture(path: $0, reason: "empty file") }
        expectError([0xD4, 0xC3, 0xB2]) { .notACapture(path: $0, reason: "only 3 bytes, too short for any capture header") }
    }

    @Test func cannotOpen() {
        let missing = "/nonexistent/leakscope/x.pcap"
        #expect(throws: CaptureFileError.cannotOpen(path: missing, errno: ENOENT)) { try CaptureReader(path: missing) }
        #expect(CaptureFileError.cannotOpen(path: missing, errno: ENOENT).description
            == "/nonexistent/leakscope/x.pcap: cannot open: No such file or directory")
        let dir = TempDirectory(); defer { dir.remove() }
        #expect(throws: CaptureFileError.cannotOpen(path: dir.url.path, errno: EISDIR)) { try CaptureReader(path: dir.url.path) }
    }

    @Test func pcapHeaderProblemsRefuseTheFile() {
        expectError(Array(onePacketPcap().bytes.prefix(20))) {
            .unreadableHeader(path: $0, offset: 0, reason: "pcap file header cut short: 20 of 24 bytes")
        }
        expectError(PcapBytes(major: 1).bytes) {
            .unreadableHeader(path: $0, offset: 4, reason: "pcap major version 1 unsupported (version 1.4)")
        }
        expectError(PcapBytes(linkType: 0x0030_0001).bytes) {
            .unreadableHeader(path: $0, offset: 20, reason: "link-layer type reserved field not zero (0x00300000)")
        }
        var kuznetzov = PcapBytes().bytes
        kuznetzov.replaceSubrange(0 ..< 4, with: [0x34, 0xCD, 0xB2, 0xA1])
        expectError(kuznetzov) { .unreadableHeader(path: $0, offset: 0, reason: "modified (Kuznetzov) pcap format is not supported") }
    }

    @Test func pcapCutInARecordHeader() {
        let bytes = onePacketPcap().bytes + [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        let (frames, damage, path) = readDamaged(bytes)
        #expect(frames == [1])
        #expect(damage == CaptureDamage(path: path, fileIndex: 0, offset: 50, frameNumber: 2,
                                        reason: "file cut short in a record header: 10 of 16 bytes"))
        #expect(damage?.description == "\(path): damaged at byte offset 50 (before frame 2): file cut short in a record header: 10 of 16 bytes; packets before it were read")
    }

    @Test func pcapCutInPacketData() {
        var b = onePacketPcap()
        b.record(seconds: 2, fraction: 0, data: payload(30), capturedLength: 100)
        let (frames, damage, path) = readDamaged(b.bytes)
        #expect(frames == [1])
        #expect(damage == CaptureDamage(path: path, fileIndex: 0, offset: 50, frameNumber: 2,
                                        reason: "file cut short in the middle of a packet: record needs 100 bytes of data, 30 left"))
    }

    @Test func pcapCapturedLengthCeiling() {
        var b = onePacketPcap()
        b.record(seconds: 2, fraction: 0, data: payload(262_144))      // exactly the ceiling: fine
        b.record(seconds: 3, fraction: 0, data: payload(4), capturedLength: 262_145)
        let (frames, damage, path) = readDamaged(b.bytes)
        #expect(frames == [1, 2])
        #expect(damage == CaptureDamage(path: path, fileIndex: 0, offset: 50 + 16 + 262_144, frameNumber: 3,
                                        reason: "record has a 262145-byte packet, bigger than the maximum of 262144"))
        // A huge length in a small file: refused without allocating or reading past the end.
        var c = onePacketPcap()
        c.record(seconds: 2, fraction: 0, data: [], capturedLength: 0xFFFF_FFFF)
        #expect(readDamaged(c.bytes).damage?.reason == "record has a 4294967295-byte packet, bigger than the maximum of 262144")
    }

    @Test(arguments: [UInt32(0), 0xFFFF_FFFF])
    func oddSnaplensAreWarnedAndIgnored(snaplen: UInt32) throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapBytes(snaplen: snaplen)
        b.record(seconds: 1, fraction: 0, data: payload(300))
        let path = dir.write("snap.pcap", b.bytes)
        let r = try CaptureReader(path: path)
        #expect(readAll(r).map(\.captured) == [300])
        #expect(r.interfaces[0].snaplen == snaplen)
        #expect(r.warnings == [CaptureWarning(path: path, offset: 16, kind: .snaplenOutOfRange(snaplen: snaplen))])
        #expect(r.warnings[0].description == "\(path): byte offset 16: warning: snaplen \(snaplen) is outside 1...262144; packets are bounded by 262144 bytes instead")
        #expect(r.damage == nil)
    }

    @Test(arguments: [false, true])
    func pcapngBlockLengthPastTheEnd(bigEndian: Bool) {
        var b = onePacketPcapNG(bigEndian: bigEndian)
        b.raw(type: 6, length: 1000, body: payload(24), trailing: nil)
        let (frames, damage, _) = readDamaged(b.bytes)
        #expect(frames == [1])
        #expect(damage?.offset == 88)
        #expect(damage?.frameNumber == 2)
        #expect(damage?.reason == "block length 1000 runs past the end of the file (32 bytes left): file cut short or length damaged")
    }

    @Test func pcapngCutInTheMiddleOfABlock() {
        let whole = onePacketPcapNG().bytes
        var b = onePacketPcapNG()
        b.enhancedPacket(interface: 0, timestamp: 2, data: payload(20))
        let (frames, damage, _) = readDamaged(Array(b.bytes.prefix(whole.count + 30)))
        #expect(frames == [1])
        #expect(damage?.offset == 88)
        #expect(damage?.reason == "block length 52 runs past the end of the file (30 bytes left): file cut short or length damaged")
        let (frames2, damage2, _) = readDamaged(Array(b.bytes.prefix(whole.count + 5)))
        #expect(frames2 == [1])
        #expect(damage2?.reason == "file cut short in a block header: 5 bytes left, a block needs at least 12")
    }

    @Test func pcapngBlockLengthNotAMultipleOf4() {
        var b = onePacketPcapNG()
        b.raw(type: 6, length: 30, body: payload(18), trailing: 30)
        let (frames, damage, _) = readDamaged(b.bytes)
        #expect(frames == [1])
        #expect(damage?.offset == 88)
        #expect(damage?.reason == "block length 30 is not a multiple of 4")
    }

    @Test func pcapngBlockLengthBelowMinimum() {
        var b = onePacketPcapNG()
        b.raw(type: 6, length: 8, body: [], trailing: nil)
        b.enhancedPacket(interface: 0, timestamp: 2, data: [1])
        let (frames, damage, _) = readDamaged(b.bytes)
        #expect(frames == [1])
        #expect(damage?.reason == "block length 8 is smaller than the 12-byte minimum (block type 0x00000006)")
    }

    @Test func pcapngTrailingLengthMismatch() {
        var b = onePacketPcapNG()
        b.raw(type: 6, length: 36, body: payload(24), trailing: 40)
        let (frames, damage, _) = readDamaged(b.bytes)
        #expect(frames == [1])
        #expect(damage?.reason == "trailing block length 40 does not match the leading block length 36")
    }

    @Test func pcapngCapturedLengthPastTheBlock() {
        var b = onePacketPcapNG()
        var body = ByteWriter(bigEndian: false)
        body.u32(0); body.u32(0); body.u32(1); body.u32(64); body.u32(64)   // says 64 bytes, has 4
        body.bytes += [1, 2, 3, 4]
        b.block(type: 6, body: body.bytes)
        let (frames, damage, _) = readDamaged(b.bytes)
        #expect(frames == [1])
        #expect(damage?.offset == 88)
        #expect(damage?.reason == "enhanced packet block: captured length 64 runs past the block (4 bytes of room)")
    }

    @Test func undescribedInterfaceSkipsThePacket() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = onePacketPcapNG()
        b.enhancedPacket(interface: 7, timestamp: 2, data: [1])
        b.enhancedPacket(interface: 0, timestamp: 3, data: [2])
        let path = dir.write("undescribed.pcapng", b.bytes)
        let r = try CaptureReader(path: path)
        #expect(readAll(r).map(\.frame) == [1, 3])
        #expect(r.warnings == [CaptureWarning(path: path, offset: 88, kind: .undescribedInterface(id: 7, frameNumber: 2))])
        #expect(r.warnings[0].message == "frame 2: interface id 7 was never described by an Interface Description Block in this section; packet skipped")
        #expect(r.damage == nil)
    }

    @Test func packetBeforeAnyInterface() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapNGBytes()
        b.section()
        b.simplePacket(originalLength: 4, data: [1, 2, 3, 4])
        let path = dir.write("nointerface.pcapng", b.bytes)
        let r = try CaptureReader(path: path)
        #expect(readAll(r).isEmpty)
        #expect(r.framesRead == 1)
        #expect(r.warnings.map(\.kind) == [.undescribedInterface(id: 0, frameNumber: 1)])
    }

    @Test func unsupportedSectionVersion() {
        var first = PcapNGBytes()
        first.section(major: 2)
        expectError(first.bytes) {
            .unreadableHeader(path: $0, offset: 0, reason: "unsupported pcapng section header version 2.0 (1.0 and 1.2 are read)")
        }
        var later = onePacketPcapNG()
        later.section(bigEndian: true, major: 3, minor: 1)
        later.interface(linkType: 1)
        let (frames, damage, _) = readDamaged(later.bytes)
        #expect(frames == [1])
        #expect(damage?.offset == 88)
        #expect(damage?.reason == "unsupported pcapng section header version 3.1 (1.0 and 1.2 are read)")
    }

    @Test func badSectionHeaders() {
        var magic = PcapNGBytes().bytes
        var b = PcapNGBytes(); b.section(); magic = b.bytes
        magic.replaceSubrange(8 ..< 12, with: [1, 2, 3, 4])
        expectError(magic) {
            .unreadableHeader(path: $0, offset: 0, reason: "section header byte-order magic 0x01020304 is neither 1a2b3c4d nor 4d3c2b1a")
        }
        expectError(Array(b.bytes.prefix(20))) {
            .unreadableHeader(path: $0, offset: 0, reason: "block length 28 runs past the end of the file (20 bytes left): file cut short or length damaged")
        }
        expectError(Array(b.bytes.prefix(10))) {
            .unreadableHeader(path: $0, offset: 0, reason: "file cut short in a section header block: 10 bytes left, need at least 28")
        }
    }

    @Test func truncatedInterfaceDescription() {
        var b = PcapNGBytes()
        b.section()
        b.block(type: 1, body: [])
        let (frames, damage, _) = readDamaged(b.bytes)
        #expect(frames == [])
        #expect(damage?.offset == 28)
        #expect(damage?.reason == "interface description block too short (12 bytes, need at least 20)")
    }

    @Test func malformedOptionsAreWarned() throws {
        let dir = TempDirectory(); defer { dir.remove() }
        var b = PcapNGBytes()
        b.section()
        // if_name claims 200 bytes inside a 28-byte block.
        b.interface(linkType: 1, options: [])
        var idb = ByteWriter(bigEndian: false)
        idb.u16(1); idb.u16(0); idb.u32(0); idb.u16(2); idb.u16(200); idb.bytes += Array("eth0".utf8)
        b.block(type: 1, body: idb.bytes)
        b.enhancedPacket(interface: 1, timestamp: 1, data: [1])
        let path = dir.write("opts.pcapng", b.bytes)
        let r = try CaptureReader(path: path)
        #expect(readAll(r).map(\.interface) == [1])
        #expect(r.interfaces[1].name == nil)
        #expect(r.warnings == [CaptureWarning(path: path, offset: 48, kind: .malformedOptions(blockType: 1))])
    }
}
