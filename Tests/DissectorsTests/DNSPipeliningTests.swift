import Foundation
import Testing
@testable import Dissectors
import TestCaptures

/// Several length-prefixed DNS messages in one TCP segment (RFC 7766 pipelining):
/// the first fills `app.dns`, the others are counted and noted.
@Suite struct DNSPipeliningTests {
    static let first = Pkt.dnsQuery("example.com", id: 0x0101)
    static let second = Pkt.dnsQuery("example.org", id: 0x0202, type: 28)

    static func framed(_ m: [UInt8]) -> [UInt8] { be16(UInt16(m.count)) + m }

    func json(_ r: DissectionRecord) throws -> [String: Any] {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        let data = try e.encode(r)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func twoMessagesInOneSegment() throws {
        var dis = Dissector()
        let payload = Self.framed(Self.first) + Self.framed(Self.second)
        // Byte-exact: 2 + 29 bytes, then 2 + 29 bytes.
        #expect(payload.count == 62)
        let (d, r) = dis.runRecord(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(50000, 53, payload))))
        #expect(d.tokens == "eth:ip:tcp:dns")
        #expect(d.app.dns?.id == 0x0101)
        #expect(r.dns?.questions.first?.name == "example.com")
        #expect(d.app.dnsExtraMessages == 1)
        #expect(d.app.dnsMessages == 2)
        // The second message starts at 14 + 20 + 20 + 31.
        #expect(d.noteTexts == ["dns: limit reached at byte 85: DNS messages dissected per TCP segment (the first; the others are counted)"])
        #expect(dis.statistics.tcpMessagesPending == 0)
        #expect(try json(r)["dns_messages"] as? Int == 2)
        #expect(r.textLine.contains("id=0x101 query (2 messages) A example.com"))
    }

    @Test func oneMessageHasNoCount() throws {
        var dis = Dissector()
        let (d, r) = dis.runRecord(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(50000, 53, Self.framed(Self.first)))))
        #expect(d.app.dnsMessages == 1)
        #expect(d.app.dnsExtraMessages == 0)
        #expect(d.notes.isEmpty)
        #expect(try json(r)["dns_messages"] == nil)
    }

    @Test func secondMessageCutIsReassembledNotCounted() throws {
        var dis = Dissector()
        let whole = Self.framed(Self.first) + Self.framed(Self.second)
        let cut = 31 + 12  // the first message, then the second's length and 10 bytes
        var (d, r) = dis.runRecord(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(50000, 53, seq: 1000, Array(whole.prefix(cut))))),
                                   frame: 1)
        #expect(d.app.dns?.id == 0x0101)
        #expect(d.app.dnsExtraMessages == 0)
        #expect(d.notes.isEmpty)
        #expect(try json(r)["dns_messages"] == nil)
        #expect(dis.statistics.tcpMessagesPending == 1)
        // The rest completes it: dissected on that frame.
        (d, r) = dis.runRecord(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(50000, 53, seq: 1000 + UInt32(cut), Array(whole.dropFirst(cut))))),
                               frame: 2)
        #expect(d.app.dns?.id == 0x0202)
        #expect(r.dns?.questions.first?.name == "example.org")
        #expect(r.dns?.questions.first?.type == "AAAA")
        #expect(d.app.dnsMessages == 1)
        #expect(dis.statistics.tcpMessagesPending == 0)
    }

    @Test func messagesAfterAReassembledOneAreCounted() throws {
        var dis = Dissector()
        let whole = Self.framed(Self.first) + Self.framed(Self.second) + Self.framed(Self.first)
        _ = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(50000, 53, seq: 1, Array(whole.prefix(10))))))
        let d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(50000, 53, seq: 11, Array(whole.dropFirst(10))))),
                        frame: 2)
        #expect(d.app.dns?.id == 0x0101)
        #expect(d.app.dnsExtraMessages == 2)
        #expect(d.app.dnsMessages == 3)
        // The second message starts 21 bytes into this segment's payload (14 + 20 + 20 + 21).
        #expect(d.notes.first == .limitReached(layer: .dns, offset: 75,
                                               limit: .init("DNS messages dissected per TCP segment (the first; the others are counted)")))
    }

    @Test func hostileSecondMessages() {
        var dis = Dissector()
        // A second length prefix cut after one byte: not a message, nothing buffered, nothing counted.
        var d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(50001, 53, Self.framed(Self.first) + [0x00]))))
        #expect(d.app.dns?.id == 0x0101)
        #expect(d.app.dnsExtraMessages == 0)
        // A second message of length 0 is a frame of its own (2 bytes): counted, never parsed.
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(50002, 53, Self.framed(Self.first) + [0, 0]))))
        #expect(d.app.dnsExtraMessages == 1)
        // 64 tiny messages: counted up to the walk's bound, in constant time.
        let garbage = (0..<100).flatMap { _ in Self.framed([0xAB]) }
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(50003, 53, garbage))))
        #expect(d.app.dnsMessages == 64)
        #expect(d.notes.count <= 8)
        // OpenVPN over TCP uses the same framing: not counted as DNS.
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(50004, 1194, Self.framed([0x38] + [UInt8](repeating: 0, count: 13))
            + Self.framed([0x38] + [UInt8](repeating: 0, count: 13))))))
        #expect(d.app.dnsMessages == 0)
        #expect(d.app.dnsExtraMessages == 0)
    }
}
