import OutputText

/// Classic libpcap format: a 24-byte file header, then records of a 16-byte
/// header (seconds, sub-seconds, captured length, original length) and data.
extension CaptureReader {
    func openPcap(bigEndian: Bool, nanosecond: Bool) throws(CaptureFileError) {
        order.bigEndian = bigEndian
        pcapNanosecond = nanosecond
        format = .pcap(byteOrder: bigEndian ? .big : .little, resolution: nanosecond ? .nanoseconds : .microseconds)
        guard data.count >= 24, let major = order.integer(at: 4, as: UInt16.self), let minor = order.integer(at: 6, as: UInt16.self),
              let snaplen = order.integer(at: 16, as: UInt32.self), let rawLinkType = order.integer(at: 20, as: UInt32.self)
        else {
            throw .unreadableHeader(path: path, offset: 0, reason: "pcap file header cut short: \(data.count) of 24 bytes")
        }
        // libpcap reads only major version 2 (2.4, and the older 2.2/2.3 minors).
        guard major == 2 else {
            throw .unreadableHeader(path: path, offset: 4, reason: "pcap major version \(major) unsupported (version \(major).\(minor))")
        }
        // libpcap's LT_* macros: bits 0-15 link type, 16-25 reserved (must be 0),
        // bit 26 "FCS length present", bits 28-31 FCS length in 16-bit words.
        let reserved = rawLinkType & 0x03FF_0000
        guard reserved == 0 else {
            throw .unreadableHeader(path: path, offset: 20, reason: "link-layer type reserved field not zero (0x\(Hex.digits(reserved)))")
        }
        var interface = CaptureInterface(
            id: 0, linkType: LinkType(rawLinkType & 0xFFFF), snaplen: snaplen,
            timestampResolution: nanosecond ? .nanoseconds : .microseconds)
        if rawLinkType & 0x0400_0000 != 0 { interface.fcsLength = Int(rawLinkType >> 28) * 2 }
        interfaces = [interface]
        hot = [HotInterface(linkType: interface.linkType, snaplen: snaplen,
                            converter: TimestampConverter(resolution: interface.timestampResolution, offsetSeconds: 0))]
        sections = [CaptureSection(offset: 0, byteOrder: bigEndian ? .big : .little, majorVersion: major, minorVersion: minor)]
        checkSnaplen(snaplen, zeroIsOdd: true, at: 16)
        offset = 24
    }

    @inline(__always)
    func nextPcap() -> Packet? {
        let remaining = data.count &- offset
        if remaining == 0 { return nil }
        guard remaining >= 16, let seconds = order.integer(at: offset, as: UInt32.self), let fraction = order.integer(at: offset + 4, as: UInt32.self),
              let caplen = order.integer(at: offset + 8, as: UInt32.self), let origlen = order.integer(at: offset + 12, as: UInt32.self)
        else {
            return fail("file cut short in a record header: \(remaining) of 16 bytes", at: offset)
        }
        guard caplen <= UInt32(Self.maximumCapturedLength) else {
            return fail("record has a \(caplen)-byte packet, bigger than the maximum of \(Self.maximumCapturedLength)", at: offset)
        }
        guard let bytes = data.slice(offset + 16, Int(caplen)) else {
            return fail("file cut short in the middle of a packet: record needs \(caplen) bytes of data, \(remaining - 16) left", at: offset)
        }
        framesRead += 1
        noteFrame(at: offset)
        let limit: UInt32 = pcapNanosecond ? 1_000_000_000 : 1_000_000
        if fraction >= limit, !warnedSubsecond {
            warnedSubsecond = true
            warn(.invalidSubsecond(frameNumber: framesRead), at: offset)
        }
        // Both fit: seconds < 2^32 so seconds * 1e9 < 4.3e18 < Int64.max.
        let ns = Int64(seconds) * 1_000_000_000 + Int64(fraction) * (pcapNanosecond ? 1 : 1_000)
        lastTimestamp = ns
        var packet = Packet(
            frameNumber: framesRead, fileIndex: fileIndex, interfaceID: 0,
            linkType: hot[0].linkType, timestampNanoseconds: ns, originalLength: Int(origlen),
            direction: .unknown, bytes: bytes)
        packet.recordOffset = offset
        offset += 16 + Int(caplen)
        return packet
    }
}
