/// Byte-exact pcap and pcapng files in either byte order, block by block,
/// for tests of the reader (damage included: `raw` writes any lengths).
/// Classic pcap.
public struct PcapBytes {
    public var w: ByteWriter

    public init(bigEndian: Bool = false, nanosecond: Bool = false, major: UInt16 = 2, minor: UInt16 = 4,
         snaplen: UInt32 = 65535, linkType: UInt32 = 1) {
        w = ByteWriter(bigEndian: bigEndian)
        w.u32(nanosecond ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        w.u16(major); w.u16(minor)
        w.u32(0); w.u32(0)
        w.u32(snaplen); w.u32(linkType)
    }

    public mutating func record(seconds: UInt32, fraction: UInt32, data: [UInt8], originalLength: UInt32? = nil,
                         capturedLength: UInt32? = nil) {
        w.u32(seconds); w.u32(fraction)
        w.u32(capturedLength ?? UInt32(data.count)); w.u32(originalLength ?? UInt32(data.count))
        w.bytes += data
    }

    public var bytes: [UInt8] { w.bytes }
}

/// pcapng; every block gets correct lengths unless a raw block is written.
public struct PcapNGBytes {
    public var w: ByteWriter
    public typealias Option = (code: UInt16, value: [UInt8])

    public init(bigEndian: Bool = false) { w = ByteWriter(bigEndian: bigEndian) }

    /// Starts a new section (optionally in another byte order).
    public mutating func section(bigEndian: Bool? = nil, major: UInt16 = 1, minor: UInt16 = 0, options: [Option] = []) {
        if let bigEndian, bigEndian != w.bigEndian {
            let old = w.bytes
            w = ByteWriter(bigEndian: bigEndian)
            w.bytes = old
        }
        var body = ByteWriter(bigEndian: w.bigEndian)
        body.u32(0x1A2B_3C4D); body.u16(major); body.u16(minor); body.u64(UInt64.max)
        block(type: 0x0A0D_0D0A, body: body.bytes + encode(options))
    }

    public mutating func interface(linkType: UInt16, snaplen: UInt32 = 0, options: [Option] = []) {
        var body = ByteWriter(bigEndian: w.bigEndian)
        body.u16(linkType); body.u16(0); body.u32(snaplen)
        block(type: 1, body: body.bytes + encode(options))
    }

    public mutating func enhancedPacket(interface: UInt32, timestamp: UInt64, data: [UInt8],
                                 originalLength: UInt32? = nil, options: [Option] = []) {
        var body = ByteWriter(bigEndian: w.bigEndian)
        body.u32(interface); body.u32(UInt32(timestamp >> 32)); body.u32(UInt32(timestamp & 0xFFFF_FFFF))
        body.u32(UInt32(data.count)); body.u32(originalLength ?? UInt32(data.count))
        body.bytes += data; body.pad4()
        block(type: 6, body: body.bytes + encode(options))
    }

    public mutating func obsoletePacket(interface: UInt16, timestamp: UInt64, data: [UInt8], options: [Option] = []) {
        var body = ByteWriter(bigEndian: w.bigEndian)
        body.u16(interface); body.u16(0); body.u32(UInt32(timestamp >> 32)); body.u32(UInt32(timestamp & 0xFFFF_FFFF))
        body.u32(UInt32(data.count)); body.u32(UInt32(data.count))
        body.bytes += data; body.pad4()
        block(type: 2, body: body.bytes + encode(options))
    }

    public mutating func simplePacket(originalLength: UInt32, data: [UInt8]) {
        var body = ByteWriter(bigEndian: w.bigEndian)
        body.u32(originalLength); body.bytes += data; body.pad4()
        block(type: 3, body: body.bytes)
    }

    public mutating func statistics(interface: UInt32, timestamp: UInt64, options: [Option] = []) {
        var body = ByteWriter(bigEndian: w.bigEndian)
        body.u32(interface); body.u32(UInt32(timestamp >> 32)); body.u32(UInt32(timestamp & 0xFFFF_FFFF))
        block(type: 5, body: body.bytes + encode(options))
    }

    /// A well-formed block of any type; `body` must be a multiple of 4 long.
    public mutating func block(type: UInt32, body: [UInt8]) {
        precondition(body.count % 4 == 0)
        raw(type: type, length: UInt32(12 + body.count), body: body, trailing: UInt32(12 + body.count))
    }

    /// A block with lengths as given (for damage tests).
    public mutating func raw(type: UInt32, length: UInt32, body: [UInt8], trailing: UInt32?) {
        w.u32(type); w.u32(length); w.bytes += body
        if let trailing { w.u32(trailing) }
    }

    // Option values in this file's byte order.
    public func string(_ code: UInt16, _ s: String) -> Option { (code, Array(s.utf8)) }
    public func u8(_ code: UInt16, _ v: UInt8) -> Option { (code, [v]) }
    public func u32(_ code: UInt16, _ v: UInt32) -> Option { var b = ByteWriter(bigEndian: w.bigEndian); b.u32(v); return (code, b.bytes) }
    public func u64(_ code: UInt16, _ v: UInt64) -> Option { var b = ByteWriter(bigEndian: w.bigEndian); b.u64(v); return (code, b.bytes) }
    public func timestamp(_ code: UInt16, _ v: UInt64) -> Option {
        var b = ByteWriter(bigEndian: w.bigEndian); b.u32(UInt32(v >> 32)); b.u32(UInt32(v & 0xFFFF_FFFF)); return (code, b.bytes)
    }

    public func encode(_ options: [Option]) -> [UInt8] {
        guard !options.isEmpty else { return [] }
        var b = ByteWriter(bigEndian: w.bigEndian)
        for o in options {
            b.u16(o.code); b.u16(UInt16(o.value.count)); b.bytes += o.value; b.pad4()
        }
        b.u16(0); b.u16(0)
        return b.bytes
    }

    public var bytes: [UInt8] { w.bytes }
}

