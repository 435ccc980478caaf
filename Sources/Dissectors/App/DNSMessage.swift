/// A DNS message (also mDNS, LLMNR and NBNS, which share the format), read in
/// place. `bytes` is the message itself (for DNS over TCP, after the 2-byte
/// length). Only a header shorter than 12 bytes throws; anything wrong later
/// (a bad name, an rdlength past the end, counts larger than the records
/// present) is kept in `problem`, and the questions and records before it
/// stay readable.
public struct DNSMessage {
    public let bytes: ByteView
    /// `.dns`, `.mdns`, `.llmnr` or `.nbns`: names errors and type names.
    public let layer: Layer
    public let id: UInt16
    public let flags: UInt16
    public let questionCount: UInt16
    public let answerCount: UInt16
    public let authorityCount: UInt16
    public let additionalCount: UInt16
    /// Where the answer section starts (after the questions that parsed).
    public let recordsOffset: Int
    /// Where the last record that parsed ends.
    public let endOffset: Int
    public var problem: WireError?

    public static let headerLength = 12

    public init(_ bytes: ByteView, layer: Layer = .dns) throws(WireError) {
        guard let id = bytes.integer(at: 0, as: UInt16.self), let flags = bytes.integer(at: 2, as: UInt16.self), let qd = bytes.integer(at: 4, as: UInt16.self),
              let an = bytes.integer(at: 6, as: UInt16.self), let ns = bytes.integer(at: 8, as: UInt16.self), let ar = bytes.integer(at: 10, as: UInt16.self)
        else {
            throw .truncated(layer: layer, offset: 0, needed: Self.headerLength, available: bytes.count)
        }
        self.bytes = bytes
        self.layer = layer
        self.id = id
        self.flags = flags
        self.questionCount = qd
        self.answerCount = an
        self.authorityCount = ns
        self.additionalCount = ar
        var problem: WireError?
        var q = DNSQuestions(bytes: bytes, layer: layer, count: Int(qd)).makeIterator()
        while q.next() != nil {}
        problem = q.problem
        self.recordsOffset = q.offset
        var r = DNSRecords(bytes: bytes, layer: layer, start: q.offset,
                           counts: problem == nil ? (Int(an), Int(ns), Int(ar)) : (0, 0, 0)).makeIterator()
        while r.next() != nil {}
        if problem == nil { problem = r.problem }
        self.endOffset = r.offset
        self.problem = problem
    }

    public var isResponse: Bool { flags & 0x8000 != 0 }
    public var opcode: UInt8 { UInt8((flags >> 11) & 0xF) }
    public var authoritative: Bool { flags & 0x0400 != 0 }
    public var truncatedFlag: Bool { flags & 0x0200 != 0 }
    public var recursionDesired: Bool { flags & 0x0100 != 0 }
    public var recursionAvailable: Bool { flags & 0x0080 != 0 }
    public var zBit: Bool { flags & 0x0040 != 0 }
    public var authenticData: Bool { flags & 0x0020 != 0 }
    public var checkingDisabled: Bool { flags & 0x0010 != 0 }
    /// The header's 4-bit RCODE (see `edns` for the extended bits).
    public var rcode: UInt8 { UInt8(flags & 0xF) }

    public var questions: DNSQuestions { DNSQuestions(bytes: bytes, layer: layer, count: Int(questionCount)) }

    /// All resource records in order, each tagged with its section.
    public var records: DNSRecords {
        DNSRecords(bytes: bytes, layer: layer, start: recordsOffset,
                   counts: (Int(answerCount), Int(authorityCount), Int(additionalCount)))
    }

    public var answers: DNSSectionRecords { DNSSectionRecords(records: records, section: .answer) }
    public var authorities: DNSSectionRecords { DNSSectionRecords(records: records, section: .authority) }
    public var additionals: DNSSectionRecords { DNSSectionRecords(records: records, section: .additional) }

    /// The first question (what almost every query asks).
    public var firstQuestion: DNSQuestion? {
        var it = questions.makeIterator()
        return it.next()
    }

    /// The OPT pseudo-record (EDNS0), if the additional section has one.
    public var edns: DNSEDNS? {
        for r in additionals where r.type == .opt { return DNSEDNS(record: r) }
        return nil
    }

    /// Header sanity for recognising DNS without a port: a known opcode, at
    /// least one entry, and every question and record parses and the last one
    /// ends exactly at the end of the payload.
    public static func isLikely(_ bytes: ByteView) -> Bool {
        guard let m = try? DNSMessage(bytes) else { return false }
        switch m.opcode {
        case 0, 1, 2, 4, 5, 6: break
        default: return false
        }
        let total = Int(m.questionCount) + Int(m.answerCount) + Int(m.authorityCount) + Int(m.additionalCount)
        return total > 0 && m.problem == nil && m.endOffset == bytes.count
    }
}

/// The question section as a sequence.
public struct DNSQuestions: Sequence {
    let bytes: ByteView
    let layer: Layer
    let count: Int

    public func makeIterator() -> Iterator { Iterator(bytes: bytes, layer: layer, remaining: count, offset: DNSMessage.headerLength) }

    public struct Iterator: IteratorProtocol {
        let bytes: ByteView
        let layer: Layer
        var remaining: Int
        public private(set) var offset: Int
        public private(set) var problem: WireError?

        public mutating func next() -> DNSQuestion? {
            guard remaining > 0 else { return nil }
            if offset >= bytes.count {
                problem = .malformed(layer: layer, offset: offset, reason: .init("question count exceeds the questions present"))
                remaining = 0
                return nil
            }
            do throws(WireError) {
                let end = try DNSName.skip(bytes, at: offset, layer: layer)
                guard let type = bytes.integer(at: end, as: UInt16.self), let cls = bytes.integer(at: end + 2, as: UInt16.self) else {
                    throw .truncated(layer: layer, offset: end, needed: 4, available: Swift.max(0, bytes.count - end))
                }
                let q = DNSQuestion(name: DNSName(message: bytes, offset: offset), type: DNSType(type), rawClass: cls, offset: offset)
                offset = end + 4
                remaining -= 1
                return q
            } catch {
                problem = error
                remaining = 0
                return nil
            }
        }
    }
}

public struct DNSQuestion {
    public let name: DNSName
    public let type: DNSType
    /// The class field as on the wire (mDNS puts the unicast-response bit on top).
    public let rawClass: UInt16
    public let offset: Int

    public var qclass: UInt16 { rawClass & 0x7FFF }
    /// mDNS QU bit (RFC 6762 5.4).
    public var unicastResponse: Bool { rawClass & 0x8000 != 0 }
}

public enum DNSSection: UInt8, Sendable {
    case answer, authority, additional
}

/// The answer, authority and additional sections as one sequence.
public struct DNSRecords: Sequence {
    let bytes: ByteView
    let layer: Layer
    let start: Int
    let counts: (Int, Int, Int)

    public func makeIterator() -> Iterator {
        Iterator(bytes: bytes, layer: layer, offset: start, counts: counts)
    }

    public struct Iterator: IteratorProtocol {
        let bytes: ByteView
        let layer: Layer
        public private(set) var offset: Int
        var counts: (Int, Int, Int)
        public private(set) var problem: WireError?

        init(bytes: ByteView, layer: Layer, offset: Int, counts: (Int, Int, Int)) {
            self.bytes = bytes
            self.layer = layer
            self.offset = offset
            self.counts = counts
        }

        public mutating func next() -> DNSRecord? {
            let section: DNSSection
            if counts.0 > 0 { section = .answer; counts.0 -= 1 }
            else if counts.1 > 0 { section = .authority; counts.1 -= 1 }
            else if counts.2 > 0 { section = .additional; counts.2 -= 1 }
            else { return nil }
            if offset >= bytes.count {
                problem = .malformed(layer: layer, offset: offset, reason: .init("record counts exceed the records present"))
                counts = (0, 0, 0)
                return nil
            }
            do throws(WireError) {
                let end = try DNSName.skip(bytes, at: offset, layer: layer)
                guard let type = bytes.integer(at: end, as: UInt16.self), let cls = bytes.integer(at: end + 2, as: UInt16.self),
                      let ttl = bytes.integer(at: end + 4, as: UInt32.self), let rdlength = bytes.integer(at: end + 8, as: UInt16.self) else {
                    throw .truncated(layer: layer, offset: end, needed: 10, available: Swift.max(0, bytes.count - end))
                }
                guard let rdata = bytes.slice(end + 10, Int(rdlength)) else {
                    throw .malformed(layer: layer, offset: end + 8, reason: .init("rdlength runs past the end of the message"))
                }
                let r = DNSRecord(section: section, name: DNSName(message: bytes, offset: offset), type: DNSType(type),
                                  rawClass: cls, ttl: ttl, rdata: rdata, rdataOffset: end + 10, message: bytes, layer: layer)
                offset = end + 10 + Int(rdlength)
                return r
            } catch {
                problem = error
                counts = (0, 0, 0)
                return nil
            }
        }
    }
}

/// One section's records.
public struct DNSSectionRecords: Sequence {
    let records: DNSRecords
    let section: DNSSection

    public func makeIterator() -> Iterator { Iterator(inner: records.makeIterator(), section: section) }

    public struct Iterator: IteratorProtocol {
        var inner: DNSRecords.Iterator
        let section: DNSSection
        public mutating func next() -> DNSRecord? {
            while let r = inner.next() {
                if r.section == section { return r }
                if r.section.rawValue > section.rawValue { return nil }
            }
            return nil
        }
    }
}
