import CaptureFiles

// Byte-order helpers for building test bytes by hand.
public func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
public func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
public func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
public func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
public func be32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }
public func be64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }
public func pad4(_ v: [UInt8]) -> [UInt8] { v + [UInt8](repeating: 0, count: (4 - v.count % 4) % 4) }

/// An address from its text (the test's own literal: a typo is a test bug).
public func addr(_ s: String) -> IPAddress { IPAddress(parsing: s)! }

/// n distinct bytes, so tests can check that the right slice came back.
public func payload(_ n: Int, start: UInt8 = 0) -> [UInt8] { (0 ..< n).map { start &+ UInt8(truncatingIfNeeded: $0) } }

/// Integers appended in one byte order (a pcap/pcapng file or section's).
public struct ByteWriter {
    public var bytes: [UInt8] = []
    public let bigEndian: Bool

    public init(bigEndian: Bool) { self.bigEndian = bigEndian }

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u16(_ v: UInt16) { bytes += bigEndian ? be16(v) : le16(v) }
    public mutating func u32(_ v: UInt32) { bytes += bigEndian ? be32(v) : le32(v) }
    public mutating func u64(_ v: UInt64) {
        if bigEndian { u32(UInt32(v >> 32)); u32(UInt32(v & 0xFFFF_FFFF)) }
        else { u32(UInt32(v & 0xFFFF_FFFF)); u32(UInt32(v >> 32)) }
    }
    public mutating func pad4() { while bytes.count % 4 != 0 { bytes.append(0) } }
}
