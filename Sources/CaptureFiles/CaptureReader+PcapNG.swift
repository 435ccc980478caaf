import OutputText

/// pcapng: blocks of type (4), total length (4), body, total length (4), in
/// the byte order of the section they are in.
extension CaptureReader {
    enum BlockType {
        static let sectionHeader: UInt32 = 0x0A0D_0D0A
        static let interfaceDescription: UInt32 = 1
        static let obsoletePacket: UInt32 = 2
        static let simplePacket: UInt32 = 3
        static let nameResolution: UInt32 = 4
        static let interfaceStatistics: UInt32 = 5
        static let enhancedPacket: UInt32 = 6
        static let systemdJournal: UInt32 = 9
        static let decryptionSecrets: UInt32 = 0x0A
        static let custom: UInt32 = 0x0BAD
        static let customNoCopy: UInt32 = 0x4000_0BAD
    }

    @inline(__always)
    func nextPcapNG() -> Packet? {
        while true {
            let block = offset
            let remaining = data.count &- block
            if remaining == 0 { return nil }
            guard remaining >= 8, let type = order.integer(at: block, as: UInt32.self), let length32 = order.integer(at: block + 4, as: UInt32.self) else {
                return fail("file cut short in a block header: \(remaining) bytes left, a block needs at least 12", at: block)
            }
            if type == BlockType.sectionHeader {
                // A walk of `visit(frames:)` never crosses a section (a checkpoint follows each).
                if locating { return nil }
                if let reason = readSectionHeader() { return fail(reason, at: block) }
                continue
            }
            if let reason = checkBlockLength(length32, at: block, remaining: remaining, minimum: 12) {
                return fail(reason, at: block)
            }
            let length = Int(length32)
            switch type {
            case BlockType.enhancedPacket:
                switch readEnhancedPacket(at: block, length: length) {
                case .packet(let p): return p
                case .skipped: continue
                case .damaged: return nil
                }
            case BlockType.simplePacket:
                switch readSimplePacket(at: block, length: length) {
                case .packet(let p): return p
                case .skipped: continue
                case .damaged: return nil
                }
            case BlockType.obsoletePacket:
                switch readObsoletePacket(at: block, length: length) {
                case .packet(let p): return p
                case .skipped: continue
                case .damaged: return nil
                }
            case BlockType.interfaceDescription:
                if locating { return nil }
                guard readInterfaceDescription(at: block, length: length) else { return nil }
            // Wireshark shows these as frames of their own (records without an interface), so they
            // take a frame number: the packets after them keep the numbers Wireshark gives them.
            // (A walk of `visit(frames:)` numbers them too, and counts nothing else.)
            case BlockType.custom, BlockType.customNoCopy:
                framesRead += 1
                if !locating { blockCounts.custom += 1; nonPacketFrames += 1 }
            case BlockType.systemdJournal:
                framesRead += 1
                if !locating { blockCounts.systemdJournal += 1; nonPacketFrames += 1 }
            case _ where locating:
                break
            case BlockType.interfaceStatistics:
                guard readInterfaceStatistics(at: block, length: length) else { return nil }
            case BlockType.nameResolution: blockCounts.nameResolution += 1
            case BlockType.decryptionSecrets: blockCounts.decryptionSecrets += 1
            default:
                blockCounts.unknown += 1
                warn(.unknownBlock(type: type), at: block)
            }
            offset = block + length
        }
    }

    /// nil when `length` is a usable block length here, else why not.
    func checkBlockLength(_ length32: UInt32, at block: Int, remaining: Int, minimum: Int) -> String? {
        let length = Int(length32)
        if length < minimum {
            return "block length \(length) is smaller than the \(minimum)-byte minimum (block type 0x\(Hex.digits(order.integer(at: block, as: UInt32.self) ?? 0)))"
        }
        if length % 4 != 0 { return "block length \(length) is not a multiple of 4" }
        if length > remaining {
            return "block length \(length) runs past the end of the file (\(remaining) bytes left): file cut short or length damaged"
        }
        guard let trailing = order.integer(at: block + length - 4, as: UInt32.self) else { return "block cut short" }
        if trailing != length32 {
            return "trailing block length \(trailing) does not match the leading block length \(length)"
        }
        return nil
    }

    // MARK: Section Header Block

    /// Reads the SHB at `offset`, switching byte order and starting a new
    /// section. Returns why it cannot be read, or nil (and advances `offset`).
    func readSectionHeader() -> String? {
        let block = offset
        let remaining = data.count - block
        guard remaining >= 12, let magic = data.integer(at: block + 8, endianness: .little, as: UInt32.self) else {
            return "file cut short in a section header block: \(remaining) bytes left, need at least 28"
        }
        switch magic {
        case 0x1A2B_3C4D: order.bigEndian = false
        case 0x4D3C_2B1A: order.bigEndian = true
        default: return "section header byte-order magic 0x\(Hex.digits(data.integer(at: block + 8, as: UInt32.self) ?? 0)) is neither 1a2b3c4d nor 4d3c2b1a"
        }
        guard let length32 = order.integer(at: block + 4, as: UInt32.self) else { return "section header block cut short" }
        if let reason = checkBlockLength(length32, at: block, remaining: remaining, minimum: 28) { return reason }
        let length = Int(length32)
        guard let major = order.integer(at: block + 12, as: UInt16.self), let minor = order.integer(at: block + 14, as: UInt16.self), let sectionLength = order.integer(at: block + 16, as: UInt64.self) else {
            return "section header block cut short"
        }
        // Versions 1.0 and 1.2 (written by some old tools) are the same format.
        guard major == 1, minor == 0 || minor == 2 else {
            return "unsupported pcapng section header version \(major).\(minor) (1.0 and 1.2 are read)"
        }
        var section = CaptureSection(
            offset: block, byteOrder: order.bigEndian ? .big : .little, majorVersion: major, minorVersion: minor,
            sectionLength: Int64(bitPattern: sectionLength), firstInterfaceID: interfaces.count)
        var options = OptionIterator(order, from: block + 24, to: block + length - 4)
        while let (code, value) = options.next() {
            switch code {
            case 1: section.comments.append(value.optionString())
            case 2: section.hardware = value.optionString()
            case 3: section.os = value.optionString()
            case 4: section.userApplication = value.optionString()
            default: break
            }
        }
        if options.malformed { warn(.malformedOptions(blockType: BlockType.sectionHeader), at: block) }
        sections.append(section)
        blockCounts.sectionHeaders += 1
        sectionFirst = interfaces.count
        sectionCount = 0
        structureChanged = true
        offset = block + length
        return nil
    }

    // MARK: Interface Description Block

    /// Returns false on damage (already recorded).
    func readInterfaceDescription(at block: Int, length: Int) -> Bool {
        guard length >= 20, let link = order.integer(at: block + 8, as: UInt16.self), let snaplen = order.integer(at: block + 12, as: UInt32.self) else {
            _ = fail("interface description block too short (\(length) bytes, need at least 20)", at: block)
            return false
        }
        blockCounts.interfaceDescriptions += 1
        guard interfaces.count < Self.maximumInterfaces else {
            if blockCounts.interfaceDescriptions == Self.maximumInterfaces + 1 {
                warn(.tooManyInterfaces(limit: Self.maximumInterfaces), at: block)
            }
            return true
        }
        var interface = CaptureInterface(
            id: interfaces.count, section: sections.count - 1, idInSection: sectionCount,
            linkType: LinkType(UInt32(link)), snaplen: snaplen)
        var options = OptionIterator(order, from: block + 16, to: block + length - 4)
        while let (code, value) = options.next() {
            switch code {
            case 1: interface.comments.append(value.optionString())
            case 2: interface.name = value.optionString()
            case 3: interface.description = value.optionString()
            case 4:
                if let a = value.integer(at: 0, as: UInt32.self), let m = value.integer(at: 4, as: UInt32.self) {
                    interface.ipv4Addresses.append(InterfaceIPv4Address(address: a, netmask: m))
                }
            case 5:
                if let hi = value.integer(at: 0, as: UInt64.self), let lo = value.integer(at: 8, as: UInt64.self), let prefix = value.integer(at: 16, as: UInt8.self) {
                    interface.ipv6Addresses.append(InterfaceIPv6Address(high: hi, low: lo, prefixLength: prefix))
                }
            case 6: if value.count == 6 { interface.macAddress = value.toArray() }
            case 9: if let r = value.integer(at: 0, as: UInt8.self) { interface.timestampResolution = TimestampResolution(tsresol: r) }
            case 11: if value.count >= 1, let text = value.suffix(from: 1) { interface.filter = text.optionString() }
            case 12: interface.os = value.optionString()
            case 13: if let f = value.integer(at: 0, as: UInt8.self) { interface.fcsLength = Int(f) }
            case 14: if let o = order.bigEndian ? value.integer(at: 0, as: UInt64.self) : value.integer(at: 0, endianness: .little, as: UInt64.self) {
                interface.timestampOffsetSeconds = Int64(bitPattern: o)
            }
            case 15: interface.hardware = value.optionString()
            default: break
            }
        }
        if options.malformed { warn(.malformedOptions(blockType: BlockType.interfaceDescription), at: block) }
        checkSnaplen(snaplen, zeroIsOdd: false, at: block + 12)
        interfaces.append(interface)
        hot.append(HotInterface(
            linkType: interface.linkType, snaplen: snaplen,
            converter: TimestampConverter(resolution: interface.timestampResolution,
                                          offsetSeconds: interface.timestampOffsetSeconds)))
        sectionCount += 1
        structureChanged = true
        return true
    }

    // MARK: Packet blocks

    enum PacketResult {
        case packet(Packet)
        case skipped
        case damaged
    }

    /// The global interface index for a section-local id, or nil (warned, frame used up).
    @inline(__always)
    func interfaceIndex(_ localID: UInt32, at block: Int) -> Int? {
        guard Int(localID) < sectionCount else {
            warn(.undescribedInterface(id: localID, frameNumber: framesRead), at: block)
            return nil
        }
        return sectionFirst + Int(localID)
    }

    @inline(__always)
    func timestamp(_ units: UInt64, interface index: Int, at block: Int) -> Int64 {
        let (ns, saturated) = hot[index].converter.nanoseconds(units)
        if saturated, !hot[index].warnedSaturation {
            hot[index].warnedSaturation = true
            warn(.timestampSaturated(frameNumber: framesRead), at: block)
        }
        return ns
    }

    /// Reads epb_flags / pack_flags (option code 2) bits 0-1.
    @inline(__always)
    func direction(optionsFrom start: Int, to end: Int) -> PacketDirection {
        guard start + 4 <= end else { return .unknown }
        var options = OptionIterator(order, from: start, to: end)
        while let (code, value) = options.next() {
            if code == 2, let flags = order.bigEndian ? value.integer(at: 0, as: UInt32.self) : value.integer(at: 0, endianness: .little, as: UInt32.self) {
                switch flags & 3 {
                case 1: return .inbound
                case 2: return .outbound
                default: return .unknown
                }
            }
        }
        return .unknown
    }

    @inline(__always)
    func readEnhancedPacket(at block: Int, length: Int) -> PacketResult {
        guard length >= 32, let localID = order.integer(at: block + 8, as: UInt32.self), let units = order.timestamp(block + 12),
              let caplen = order.integer(at: block + 20, as: UInt32.self), let origlen = order.integer(at: block + 24, as: UInt32.self)
        else {
            _ = fail("enhanced packet block too short (\(length) bytes, need at least 32)", at: block)
            return .damaged
        }
        return packet(at: block, length: length, localID: localID, units: units, caplen: caplen,
                      origlen: origlen, dataOffset: 28, kind: "enhanced packet block")
    }

    @inline(__always)
    func readObsoletePacket(at block: Int, length: Int) -> PacketResult {
        guard length >= 32, let localID = order.integer(at: block + 8, as: UInt16.self), let units = order.timestamp(block + 12),
              let caplen = order.integer(at: block + 20, as: UInt32.self), let origlen = order.integer(at: block + 24, as: UInt32.self)
        else {
            _ = fail("packet block too short (\(length) bytes, need at least 32)", at: block)
            return .damaged
        }
        return packet(at: block, length: length, localID: UInt32(localID), units: units, caplen: caplen,
                      origlen: origlen, dataOffset: 28, kind: "packet block")
    }

    @inline(__always)
    func packet(at block: Int, length: Int, localID: UInt32, units: UInt64, caplen: UInt32, origlen: UInt32,
                dataOffset: Int, kind: StaticString) -> PacketResult {
        let room = length - dataOffset - 4
        guard Int(caplen) <= room else {
            _ = fail("\(kind): captured length \(caplen) runs past the block (\(room) bytes of room)", at: block)
            return .damaged
        }
        guard caplen <= UInt32(Self.maximumCapturedLength) else {
            _ = fail("\(kind): captured length \(caplen) is bigger than the maximum of \(Self.maximumCapturedLength)", at: block)
            return .damaged
        }
        framesRead += 1
        noteFrame(at: block)
        offset = block + length
        guard let index = interfaceIndex(localID, at: block),
              let bytes = data.slice(block + dataOffset, Int(caplen))
        else { return .skipped }
        let ns = timestamp(units, interface: index, at: block)
        lastTimestamp = ns
        let dir = direction(optionsFrom: block + dataOffset + ((Int(caplen) + 3) & ~3), to: block + length - 4)
        let iface = hot[index]
        var packet = Packet(
            frameNumber: framesRead, fileIndex: fileIndex, interfaceID: index,
            linkType: iface.linkType, timestampNanoseconds: ns, originalLength: Int(origlen),
            direction: dir, bytes: bytes)
        packet.recordOffset = block
        return .packet(packet)
    }

    /// Simple Packet Block: interface 0 of the section, no timestamp (we use
    /// the previous packet's), captured length = min(original length, snaplen,
    /// room in the block).
    @inline(__always)
    func readSimplePacket(at block: Int, length: Int) -> PacketResult {
        guard length >= 16, let origlen = order.integer(at: block + 8, as: UInt32.self) else {
            _ = fail("simple packet block too short (\(length) bytes, need at least 16)", at: block)
            return .damaged
        }
        var caplen = min(Int(origlen), length - 16)
        framesRead += 1
        noteFrame(at: block)
        offset = block + length
        guard let index = interfaceIndex(0, at: block) else { return .skipped }
        let iface = hot[index]
        if iface.snaplen != 0 { caplen = min(caplen, Int(iface.snaplen)) }
        guard caplen <= Self.maximumCapturedLength else {
            framesRead -= 1
            _ = fail("simple packet block: captured length \(caplen) is bigger than the maximum of \(Self.maximumCapturedLength)", at: block)
            return .damaged
        }
        guard let bytes = data.slice(block + 12, caplen) else { return .skipped }
        var packet = Packet(
            frameNumber: framesRead, fileIndex: fileIndex, interfaceID: index,
            linkType: iface.linkType, timestampNanoseconds: lastTimestamp, originalLength: Int(origlen),
            direction: .unknown, bytes: bytes)
        packet.hasTimestamp = false
        packet.recordOffset = block
        return .packet(packet)
    }

    // MARK: Interface Statistics Block

    func readInterfaceStatistics(at block: Int, length: Int) -> Bool {
        guard length >= 24, let localID = order.integer(at: block + 8, as: UInt32.self), let units = order.timestamp(block + 12) else {
            _ = fail("interface statistics block too short (\(length) bytes, need at least 24)", at: block)
            return false
        }
        blockCounts.interfaceStatistics += 1
        guard Int(localID) < sectionCount else {
            warn(.statisticsForUndescribedInterface(id: localID), at: block)
            return true
        }
        guard statistics.count < Self.maximumStatistics else {
            if droppedStatisticsCount == 0 { warn(.tooManyStatistics(limit: Self.maximumStatistics), at: block) }
            droppedStatisticsCount += 1
            return true
        }
        let index = sectionFirst + Int(localID)
        var stats = InterfaceStatistics(interfaceID: index, offset: block,
                                        timestampNanoseconds: timestamp(units, interface: index, at: block))
        var options = OptionIterator(order, from: block + 20, to: block + length - 4)
        while let (code, value) = options.next() {
            let valueBytes = OrderedBytes(view: value, bigEndian: order.bigEndian)
            switch code {
            case 1: stats.comments.append(value.optionString())
            case 2: if let u = valueBytes.timestamp(0) { stats.startTimeNanoseconds = timestamp(u, interface: index, at: block) }
            case 3: if let u = valueBytes.timestamp(0) { stats.endTimeNanoseconds = timestamp(u, interface: index, at: block) }
            case 4: stats.interfaceReceived = valueBytes.integer(at: 0, as: UInt64.self)
            case 5: stats.interfaceDropped = valueBytes.integer(at: 0, as: UInt64.self)
            case 6: stats.filterAccepted = valueBytes.integer(at: 0, as: UInt64.self)
            case 7: stats.osDropped = valueBytes.integer(at: 0, as: UInt64.self)
            case 8: stats.userDelivered = valueBytes.integer(at: 0, as: UInt64.self)
            default: break
            }
        }
        if options.malformed { warn(.malformedOptions(blockType: BlockType.interfaceStatistics), at: block) }
        statistics.append(stats)
        return true
    }
}
