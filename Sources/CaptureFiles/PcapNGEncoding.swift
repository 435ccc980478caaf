/// Byte-exact encoding of the pcapng blocks LeakScope writes
/// (draft-ietf-opsawg-pcapng): SHB, IDB, EPB, ISB. Always little-endian (the
/// SHB's byte-order magic tells readers), so files are identical on every host.
enum PcapNGEncoding {
    static let shbType: UInt32 = 0x0A0D_0D0A
    static let idbType: UInt32 = 0x0000_0001
    static let isbType: UInt32 = 0x0000_0005
    static let epbType: UInt32 = 0x0000_0006
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D

    // Option codes.
    static let optEndOfOpt: UInt16 = 0
    static let optComment: UInt16 = 1
    static let shbHardware: UInt16 = 2
    static let shbOS: UInt16 = 3
    static let shbUserAppl: UInt16 = 4
    static let ifName: UInt16 = 2
    static let ifDescription: UInt16 = 3
    static let ifIPv4Addr: UInt16 = 4
    static let ifIPv6Addr: UInt16 = 5
    static let ifTSResol: UInt16 = 9
    static let ifOS: UInt16 = 12
    static let epbFlags: UInt16 = 2
    static let isbStartTime: UInt16 = 2
    static let isbEndTime: UInt16 = 3
    static let isbIfRecv: UInt16 = 4
    static let isbIfDrop: UInt16 = 5
    static let isbOSDrop: UInt16 = 7
    static let isbUsrDeliv: UInt16 = 8

    /// Option values longer than this are cut (an option length is 16 bits).
    static let maxOptionLength = 0xFFFC

    static func padding(_ n: Int) -> Int { (4 - n & 3) & 3 }

    static func sectionHeader(_ s: PcapNGWriter.Section) -> [UInt8] {
        var body: [UInt8] = []
        body.appendLE(byteOrderMagic)
        body.appendLE(UInt16(1))
        body.appendLE(UInt16(0))
        body.appendLE(UInt64.max)  // section length unknown (-1): we stream
        var o = PcapNGOptionsEncoder()
        if let v = s.comment { o.string(optComment, v) }
        if let v = s.hardware { o.string(shbHardware, v) }
        if let v = s.os { o.string(shbOS, v) }
        if let v = s.userApplication { o.string(shbUserAppl, v) }
        body += o.finish()
        return block(shbType, body)
    }

    static func interfaceDescription(_ i: PcapNGWriter.Interface) -> [UInt8] {
        var body: [UInt8] = []
        body.appendLE(UInt16(truncatingIfNeeded: i.linkType.rawValue))
        body.appendLE(UInt16(0))
        body.appendLE(i.snapLength)
        var o = PcapNGOptionsEncoder()
        o.string(ifName, i.name)
        if let d = i.description { o.string(ifDescription, d) }
        for a in i.addresses {
            switch a {
            case let .v4(address, mask):
                var v: [UInt8] = []
                v.appendBE(address)
                v.appendBE(mask)
                o.bytes(ifIPv4Addr, v)
            case let .v6(hi, lo, prefixLength):
                var v: [UInt8] = []
                v.appendBE(hi)
                v.appendBE(lo)
                v.append(prefixLength)
                o.bytes(ifIPv6Addr, v)
            }
        }
        o.bytes(ifTSResol, [9])  // 10^-9 s: nanoseconds
        if let os = i.os { o.string(ifOS, os) }
        body += o.finish()
        return block(idbType, body)
    }

    static func interfaceStatistics(interfaceID: UInt32, _ s: PcapNGWriter.Statistics) -> [UInt8] {
        var body: [UInt8] = []
        body.appendLE(interfaceID)
        appendTimestamp(&body, s.endTimestampNanoseconds)
        var o = PcapNGOptionsEncoder()
        if let c = s.comment { o.string(optComment, c) }
        var t: [UInt8] = []
        appendTimestamp(&t, s.startTimestampNanoseconds)
        o.bytes(isbStartTime, t)
        t.removeAll(keepingCapacity: true)
        appendTimestamp(&t, s.endTimestampNanoseconds)
        o.bytes(isbEndTime, t)
        if let v = s.received { o.u64(isbIfRecv, v) }
        if let v = s.interfaceDropped { o.u64(isbIfDrop, v) }
        if let v = s.osDropped { o.u64(isbOSDrop, v) }
        if let v = s.delivered { o.u64(isbUsrDeliv, v) }
        body += o.finish()
        return block(isbType, body)
    }

    /// The EPB up to the packet data (28 bytes) into `out`; the caller writes
    /// the data, then `enhancedPacketTrailer`.
    static func enhancedPacketHeader(
        into out: inout [UInt8], interfaceID: UInt32, timestampNanoseconds: Int64,
        capturedLength: Int, originalLength: UInt32, optionsLength: Int
    ) {
        let total = 28 + capturedLength + padding(capturedLength) + optionsLength + 4
        out.appendLE(epbType)
        out.appendLE(UInt32(truncatingIfNeeded: total))
        out.appendLE(interfaceID)
        appendTimestamp(&out, timestampNanoseconds)
        out.appendLE(UInt32(truncatingIfNeeded: capturedLength))
        out.appendLE(originalLength)
    }

    /// EPB options (comment, direction flags, end) into a reused encoder.
    static func enhancedPacketOptions(
        into o: inout PcapNGOptionsEncoder, direction: PacketDirection, comment: String?
    ) {
        o.reset()
        if let comment { o.string(optComment, comment) }
        switch direction {
        case .unknown: break
        case .inbound: o.u32(epbFlags, 1)
        case .outbound: o.u32(epbFlags, 2)
        }
        o.terminate()
    }

    static func appendTimestamp(_ out: inout [UInt8], _ ns: Int64) {
        let t = UInt64(bitPattern: ns)
        out.appendLE(UInt32(truncatingIfNeeded: t >> 32))
        out.appendLE(UInt32(truncatingIfNeeded: t))
    }

    /// type, total length, body (padded), total length.
    static func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
        let pad = padding(body.count)
        let total = UInt32(12 + body.count + pad)
        var out: [UInt8] = []
        out.reserveCapacity(Int(total))
        out.appendLE(type)
        out.appendLE(total)
        out += body
        out += repeatElement(0, count: pad)
        out.appendLE(total)
        return out
    }
}

/// Builds a pcapng option list: code, length, value padded to 32 bits, and
/// `opt_endofopt` at the end when there is any option.
struct PcapNGOptionsEncoder {
    var bytes: [UInt8] = []

    mutating func bytes(_ code: UInt16, _ value: [UInt8]) {
        value.withUnsafeBytes { raw(code, $0) }
    }

    mutating func raw(_ code: UInt16, _ value: UnsafeRawBufferPointer) {
        let n = min(value.count, PcapNGEncoding.maxOptionLength)
        bytes.appendLE(code)
        bytes.appendLE(UInt16(n))
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[..<n]))
        bytes.append(contentsOf: repeatElement(0, count: PcapNGEncoding.padding(n)))
    }

    /// UTF-8 string option; cut at a character boundary if over the limit.
    mutating func string(_ code: UInt16, _ value: String) {
        var utf8 = Array(value.utf8)
        if utf8.count > PcapNGEncoding.maxOptionLength {
            var n = PcapNGEncoding.maxOptionLength
            while n > 0, utf8[n] & 0xC0 == 0x80 { n -= 1 }  // do not split a sequence
            utf8.removeSubrange(n...)
        }
        bytes(code, utf8)
    }

    mutating func u32(_ code: UInt16, _ v: UInt32) {
        bytes.appendLE(code)
        bytes.appendLE(UInt16(4))
        bytes.appendLE(v)
    }

    mutating func u64(_ code: UInt16, _ v: UInt64) {
        bytes.appendLE(code)
        bytes.appendLE(UInt16(8))
        bytes.appendLE(v)
    }

    /// Empties the list, keeping its storage (the writer reuses one per packet).
    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    /// Appends `opt_endofopt` when there is any option; returns the final bytes.
    mutating func terminate() { if !bytes.isEmpty { bytes += [0, 0, 0, 0] } }

    /// The options with `opt_endofopt`, or nothing when there are none.
    func finish() -> [UInt8] {
        bytes.isEmpty ? [] : bytes + [0, 0, 0, 0]
    }

    /// Length `finish()` will have.
    var encodedLength: Int { bytes.isEmpty ? 0 : bytes.count + 4 }
}

extension Array where Element == UInt8 {
    fileprivate mutating func appendLE<T: FixedWidthInteger>(_ v: T) {
        var x = v.littleEndian
        Swift.withUnsafeBytes(of: &x) { append(contentsOf: $0) }
    }

    fileprivate mutating func appendBE<T: FixedWidthInteger>(_ v: T) {
        var x = v.bigEndian
        Swift.withUnsafeBytes(of: &x) { append(contentsOf: $0) }
    }
}
