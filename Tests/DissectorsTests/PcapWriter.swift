import Foundation

/// Writes a classic little-endian microsecond pcap (for tests that build captures).
enum PcapWriter {
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }

    static func file(linkType: UInt32, packets: [[UInt8]]) -> [UInt8] {
        var b = le32(0xA1B2_C3D4) + [2, 0, 4, 0] + le32(0) + le32(0) + le32(262_144) + le32(linkType)
        for (i, p) in packets.enumerated() {
            b += le32(1_700_000_000 + UInt32(i)) + le32(0) + le32(UInt32(p.count)) + le32(UInt32(p.count)) + p
        }
        return b
    }

    /// Writes to a new temporary file and returns its path.
    static func write(linkType: UInt32, packets: [[UInt8]], name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leakscope-dissect-tests-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(file(linkType: linkType, packets: packets)).write(to: url)
        return url.path
    }
}
