import Foundation
import Testing
@testable import Dissectors
import TestCaptures

/// The packet an ICMP error quotes, read one level deep into `Dissection.quoted`.
@Suite struct ICMPQuoteTests {
    static let icmpUnreachable: [UInt8] = [3, 3, 0, 0, 0, 0, 0, 0]
    static let icmpv6Unreachable: [UInt8] = [1, 4, 0, 0, 0, 0, 0, 0]
    /// STUN binding request header (RFC 5389), no attributes, transaction id 0x0102...0c.
    static let stunRequest: [UInt8] = [0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]

    func json(_ r: DissectionRecord) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try e.encode(r.icmpQuoted), as: UTF8.self)
    }

    @Test func portUnreachableQuotingADNSQuery() throws {
        var dis = Dissector()
        let query = Pkt.udp(53000, 53, Pkt.dnsQuery("example.com", id: 0xBEEF))
        let quote = Pkt.ipv4(src: [192, 0, 2, 1], dst: [198, 51, 100, 7], proto: 17, query)
        let frame = Pkt.ethernet(type: 0x0800, Pkt.ipv4(src: [198, 51, 100, 7], dst: [192, 0, 2, 1], proto: 1,
                                                            Self.icmpUnreachable + quote))
        let (d, r) = dis.runRecord(frame)
        #expect(d.tokens == "eth:ip:icmp")
        #expect(d.notes.isEmpty)
        let q = try #require(d.quoted)
        #expect(q == ICMPQuote(version: 4, source: .v4(0xC000_0201), destination: .v4(0xC633_6407), protocol: 17,
                               sourcePort: 53000, destinationPort: 53, app: .dns, stunTransactionID: nil, dnsID: 0xBEEF,
                               quotedLength: 57, ipLength: 57))
        #expect(!q.truncated)
        #expect(try json(r) == #"{"app":{"id":48879,"protocol":"dns"},"dst":"198.51.100.7","dst_port":53,"protocol":17,"src":"192.0.2.1","src_port":53000,"version":4}"#)
        #expect(r.textLine
            == "1 1.000000000 eth:ip:icmp 198.51.100.7 → 192.0.2.1 destination-unreachable quoting udp 192.0.2.1:53000 → 198.51.100.7:53 dns id=0xbeef")
    }

    @Test func fragmentationNeededQuotingACutSTUNRequest() throws {
        var dis = Dissector()
        // A 1000-byte datagram quoted with its first 20 bytes of STUN: lengths do not fit, the cookie does.
        let quote = Pkt.ipv4(proto: 17, totalLength: 1000, Pkt.udp(40000, 3478, length: 980, Self.stunRequest))
        let (d, r) = dis.runRecord(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 1, [3, 4, 0, 0, 0, 0, 0x05, 0x78] + quote)))
        #expect(d.notes.isEmpty)
        let q = try #require(d.quoted)
        #expect(q.app == .stun)
        #expect(q.stunTransactionID == STUNTransactionID(hi: 0x2112_A442_0102_0304, lo: 0x0506_0708_090A_0B0C, classic: false))
        #expect(q.truncated)
        #expect(q.quotedLength == 48)
        #expect(q.ipLength == 1000)
        #expect(try json(r) == #"{"app":{"protocol":"stun","transaction_id":"0102030405060708090a0b0c"},"dst":"198.51.100.7","dst_port":3478,"protocol":17,"src":"192.0.2.1","src_port":40000,"truncated":true,"version":4}"#)

        // Only the cookie quoted: still STUN, no transaction id.
        let short = Pkt.ipv4(proto: 17, totalLength: 1000, Pkt.udp(40000, 3478, length: 980, Array(Self.stunRequest.prefix(8))))
        let s = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 1, Self.icmpUnreachable + short)))
        #expect(s.quoted?.app == .stun)
        #expect(s.quoted?.stunTransactionID == nil)
    }

    @Test func icmpv6ErrorQuotingSTUNBehindAnExtensionHeader() throws {
        var dis = Dissector()
        let udp = Pkt.udp(40000, 19302, Self.stunRequest)
        let quote = Pkt.ipv6(next: 60, Pkt.ext(next: 17) + udp)
        let d = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(src: Pkt.v6dst, dst: Pkt.v6src, next: 58,
                                                               Self.icmpv6Unreachable + quote)))
        #expect(d.tokens == "eth:ipv6:icmpv6")
        #expect(d.notes.isEmpty)
        let q = try #require(d.quoted)
        #expect(q.version == 6)
        #expect(q.source.description == "2001:db8::1")
        #expect(q.destination.description == "2001:db8::2")
        #expect(q.protocol == 17)
        #expect(q.sourcePort == 40000)
        #expect(q.destinationPort == 19302)
        #expect(q.app == .stun)
        #expect(q.stunTransactionID?.description == "0102030405060708090a0b0c")
        #expect(!q.truncated)
    }

    @Test func shortTransportQuotesAndFragments() throws {
        var dis = Dissector()
        // RFC 792's minimum: IP header + 8 bytes. A TCP header cut at 8 bytes still gives the ports.
        let tcp = Array(Pkt.tcp(443, 51000, []).prefix(8))
        var d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 1, Self.icmpUnreachable
            + Pkt.ipv4(proto: 6, totalLength: 40, tcp))))
        #expect(d.quoted?.protocol == 6)
        #expect(d.quoted?.sourcePort == 443)
        #expect(d.quoted?.destinationPort == 51000)
        #expect(d.quoted?.app == AppKind.none)
        #expect(d.quoted?.truncated == true)
        // A non-first fragment has no transport header: protocol only.
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 1, Self.icmpUnreachable
            + Pkt.ipv4(proto: 17, flags: 0x0010, Pkt.udp(1, 2, [0, 0, 0, 0])))))
        #expect(d.quoted?.protocol == 17)
        #expect(d.quoted?.sourcePort == nil)
        // The same for IPv6 (fragment header with a non-zero offset).
        d = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 58, Self.icmpv6Unreachable
            + Pkt.ipv6(next: 44, Pkt.fragment(next: 17, offset: 1448, more: false, id: 7) + Pkt.udp(1, 2, [])))))
        #expect(d.quoted?.protocol == 17)
        #expect(d.quoted?.sourcePort == nil)
        #expect(d.notes.isEmpty)
        // Echo messages quote nothing.
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 1, [8, 0, 0, 0, 0, 1, 0, 1] + Pkt.ipv4(proto: 17, []))))
        #expect(d.quoted == nil)
    }

    // MARK: - Hostile quotes

    @Test func truncatedIPv6HeaderIsNotedNotQuoted() throws {
        var dis = Dissector()
        let quote = Array(Pkt.ipv6(next: 17, Pkt.udp(40000, 3478, Self.stunRequest)).prefix(30))
        let (d, r) = dis.runRecord(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 58, Self.icmpv6Unreachable + quote)))
        #expect(d.tokens == "eth:ipv6:icmpv6")
        #expect(d.quoted == nil)
        // ICMPv6 starts at 14 + 40; the quote 8 bytes later.
        #expect(d.notes.first == .truncated(layer: .icmpv6, offset: 62, needed: 40, available: 30))
        #expect(d.app.icmpv6?.type == 1)
        #expect(try json(r) == "null")

        // A whole IPv6 header whose extension header is cut: addresses, no ports, no note.
        let cut = Array(Pkt.ipv6(next: 0, Pkt.ext(next: 17, body: [UInt8](repeating: 1, count: 14))).prefix(44))
        let e = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 58, Self.icmpv6Unreachable + cut)))
        #expect(e.quoted?.protocol == 0)
        #expect(e.quoted?.sourcePort == nil)
        #expect(e.quoted?.truncated == true)
        #expect(e.notes.isEmpty)
    }

    @Test func garbageQuotesAreNoted() {
        var dis = Dissector()
        // Not IP at all.
        var d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 1, Self.icmpUnreachable + [0xFF, 0xEE, 0xDD, 0xCC] + [UInt8](repeating: 0xAB, count: 40))))
        #expect(d.quoted == nil)
        #expect(d.notes.first == .malformed(layer: .icmp, offset: 42, reason: .init("quoted packet is not IPv4 or IPv6")))
        // IPv4 with IHL 2.
        var bad = Pkt.ipv4(proto: 17, Pkt.udp(1, 2, []))
        bad[0] = 0x42
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 1, Self.icmpUnreachable + bad)))
        #expect(d.notes.first == .malformed(layer: .icmp, offset: 42, reason: .init("quoted IPv4 header length below 20")))
        // Total length below the header length.
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 1, Self.icmpUnreachable + Pkt.ipv4(proto: 17, totalLength: 12, []))))
        #expect(d.notes.first == .malformed(layer: .icmp, offset: 44, reason: .init("quoted IPv4 total length below header length")))
        // Empty quote.
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 1, Self.icmpUnreachable)))
        #expect(d.notes.first == .truncated(layer: .icmp, offset: 42, needed: 20, available: 0))
        // UDP length below 8 inside the quote: what is quoted is used.
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 1, Self.icmpUnreachable
            + Pkt.ipv4(proto: 17, Pkt.udp(40000, 3478, length: 3, Self.stunRequest)))))
        #expect(d.quoted?.app == .stun)
    }

    @Test func everyPrefixAndMutationOfAQuoteIsSafe() {
        var dis = Dissector()
        let quote = Pkt.ipv6(next: 60, Pkt.ext(next: 44) + Pkt.fragment(next: 17, offset: 0, more: true, id: 9)
                               + Pkt.udp(40000, 53, Pkt.dnsQuery("example.com")))
        let v6 = Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 58, Self.icmpv6Unreachable + quote))
        for n in 0...v6.count {
            let d = dis.run(Array(v6.prefix(n)))
            if n == v6.count { #expect(d.quoted?.dnsID == 0x1234) }
            // A quote at least as long as an IPv6 header is read; a shorter one is noted.
            if n >= 62 + 40 { #expect(d.quoted != nil) } else if n >= 62 { #expect(d.quoted == nil && !d.notes.isEmpty) }
        }
        for i in 62..<v6.count {
            for x: UInt8 in [0x00, 0xFF, 0x2C, 0x11, 0x06] {
                var m = v6
                m[i] = x
                let (d, r) = dis.runRecord(m)
                #expect(d.notes.count <= 8)
                _ = r.textLine
            }
        }
    }
}
