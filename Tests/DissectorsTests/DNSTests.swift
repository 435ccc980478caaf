import Testing
@testable import Dissectors

enum DNSVectors {
    /// Query A www.example.com, id 0x1234, RD, EDNS0 (udp 4096, DO) with Client Subnet 203.0.113.0/24.
    static let queryWithECS = hexBytes("""
        12 34 01 00 00 01 00 00 00 00 00 01
        03 77 77 77 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 01 00 01
        00 00 29 10 00 00 00 80 00 00 0b 00 08 00 07 00 01 18 00 cb 00 71
        """)

    /// Response: CNAME www -> cdn.example.com (compressed), A and AAAA for cdn,
    /// SOA in authority, OPT (udp 1232) in additional.
    static let response = hexBytes("""
        12 34 81 80 00 01 00 03 00 01 00 01
        03 77 77 77 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 01 00 01
        c0 0c 00 05 00 01 00 00 0e 10 00 06 03 63 64 6e c0 10
        c0 2d 00 01 00 01 00 00 00 3c 00 04 c6 33 64 07
        c0 2d 00 1c 00 01 00 00 00 3c 00 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 07
        c0 10 00 06 00 01 00 00 0e 10 00 27 03 6e 73 31 c0 10 0a 68 6f 73 74 6d 61 73 74 65 72 c0 10
        78 a3 f1 75 00 00 1c 20 00 00 0e 10 00 12 75 00 00 00 01 2c
        00 00 29 04 d0 00 00 00 00 00 00
        """)

    /// Authoritative answer to ANY example.org: MX, TXT, SRV, PTR, NS, HTTPS, TYPE65534.
    static let records = hexBytes("""
        be ef 84 00 00 01 00 07 00 00 00 00
        07 65 78 61 6d 70 6c 65 03 6f 72 67 00 00 ff 00 01
        c0 0c 00 0f 00 01 00 00 01 2c 00 09 00 0a 04 6d 61 69 6c c0 0c
        c0 0c 00 10 00 01 00 00 01 2c 00 12 0b 76 3d 73 70 66 31 20 2d 61 6c 6c 05 61 22 62 5c 01
        c0 0c 00 21 00 01 00 00 01 2c 00 0c 00 01 00 05 13 c4 03 73 69 70 c0 0c
        c0 0c 00 0c 00 01 00 00 01 2c 00 12 04 68 6f 73 74 07 65 78 61 6d 70 6c 65 03 6f 72 67 00
        c0 0c 00 02 00 01 00 00 01 2c 00 05 02 6e 73 c0 0c
        c0 0c 00 41 00 01 00 00 01 2c 00 34 00 01 00 00 01 00 06 02 68 32 02 68 33 00 04 00 08
        c0 00 02 01 c0 00 02 02 00 05 00 03 ab cd ef 00 06 00 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
        c0 0c ff fe 00 01 00 00 01 2c 00 02 de ad
        """)

    /// NBNS name query for WORKGROUP<1d> (broadcast, RD).
    static let nbnsQuery = hexBytes("""
        80 01 01 10 00 01 00 00 00 00 00 00
        20 46 48 45 50 46 43 45 4c 45 48 46 43 45 50 46 46 46 41 43 41 43 41 43 41 43 41 43 41 43 41 42 4e 00
        00 20 00 01
        """)
}

func dnsSummary(_ bytes: [UInt8], layer: Layer = .dns) throws -> DNSSummary {
    try withView(bytes) { v in try DNSMessage(v, layer: layer).summary() }
}

@Test func dnsQueryWithEDNSClientSubnet() throws {
    try withView(DNSVectors.queryWithECS) { v in
        #expect(DNSMessage.isLikely(v))
        let m = try DNSMessage(v)
        #expect(m.problem == nil)
        #expect(m.id == 0x1234)
        #expect(!m.isResponse)
        #expect(m.recursionDesired)
        #expect(m.endOffset == v.count)
        let q = try #require(m.firstQuestion)
        #expect(q.name == "www.example.com")
        #expect(q.name == "WWW.Example.COM.")
        #expect(!(q.name == "www.example.co"))
        #expect(!(q.name == "www.example.com.au"))
        #expect(q.type == .a)
        let e = try #require(m.edns)
        #expect(e.udpPayloadSize == 4096)
        #expect(e.dnssecOK)
        #expect(e.version == 0)
        #expect(e.clientSubnet == DNSClientSubnet(family: 1, sourcePrefix: 24, scopePrefix: 0, address: .v4(0xCB00_7100)))
    }
    let s = try dnsSummary(DNSVectors.queryWithECS)
    #expect(s == DNSSummary(
        id: 0x1234, response: false, opcode: 0, rcode: 0,
        questions: [.init(name: "www.example.com", type: "A")], answers: [], authorities: [],
        additionals: [.init(name: "<Root>", type: "OPT", ttl: 0x8000, data: "udp_size=4096 version=0 do=true")],
        edns: .init(udpSize: 4096, extendedRCode: 0, version: 0, dnssecOK: true, ecs: "203.0.113.0/24",
                    options: [.init(code: 8, name: "CLIENT-SUBNET", data: "203.0.113.0/24")])))
}

@Test func dnsResponseWithCompressionAndSections() throws {
    let s = try dnsSummary(DNSVectors.response)
    #expect(s.id == 0x1234)
    #expect(s.response)
    #expect(s.rcode == 0)
    #expect(s.answers == [
        .init(name: "www.example.com", type: "CNAME", ttl: 3600, data: "cdn.example.com"),
        .init(name: "cdn.example.com", type: "A", ttl: 60, data: "198.51.100.7"),
        .init(name: "cdn.example.com", type: "AAAA", ttl: 60, data: "2001:db8::7"),
    ])
    #expect(s.authorities == [
        .init(name: "example.com", type: "SOA", ttl: 3600,
              data: "ns1.example.com hostmaster.example.com 2024010101 7200 3600 1209600 300"),
    ])
    #expect(s.edns?.udpSize == 1232)
    #expect(s.edns?.ecs == nil)
    try withView(DNSVectors.response) { v in
        let m = try DNSMessage(v)
        #expect(m.problem == nil)
        #expect(DNSMessage.isLikely(v))
        #expect(m.answers.compactMap(\.address) == [.v4(0xC633_6407), .v6(0x2001_0DB8_0000_0000, 7)])
        #expect(Array(m.authorities).count == 1)
        #expect(Array(m.additionals).map(\.type) == [.opt])
        var labels: [String] = []
        for l in try #require(m.answers.first(where: { _ in true })?.targetName).labels { labels.append(AppText.escaped(l)) }
        #expect(labels == ["cdn", "example", "com"])
    }
}

@Test func dnsRecordTypesDecodeToPresentationText() throws {
    let s = try dnsSummary(DNSVectors.records)
    #expect(s.questions == [.init(name: "example.org", type: "ANY")])
    #expect(s.answers.map(\.type) == ["MX", "TXT", "SRV", "PTR", "NS", "HTTPS", "TYPE65534"])
    #expect(s.answers.map(\.data) == [
        "10 mail.example.org",
        "\"v=spf1 -all\" \"a\\\"b\\\\\\001\"",
        "1 5 5060 sip.example.org",
        "host.example.org",
        "ns.example.org",
        "1 . alpn=h2,h3 ipv4hint=192.0.2.1,192.0.2.2 ech=abcdef ipv6hint=2001:db8::1",
        "dead",
    ])
    #expect(s.answers.allSatisfy { $0.ttl == 300 && $0.name == "example.org" })
}

@Test func mdnsBitsAndNBNSNames() throws {
    // mDNS response: QU bit on the question, cache-flush on the A record.
    let mdns = hexBytes("""
        00 00 84 00 00 01 00 01 00 00 00 00
        04 68 6f 73 74 05 6c 6f 63 61 6c 00 00 01 80 01
        c0 0c 00 01 80 01 00 00 00 78 00 04 c0 00 02 05
        """)
    let s = try dnsSummary(mdns, layer: .mdns)
    #expect(s.questions == [.init(name: "host.local", type: "A", unicastResponse: true)])
    #expect(s.answers == [.init(name: "host.local", type: "A", ttl: 120, data: "192.0.2.5", cacheFlush: true)])
    // The same bytes as plain DNS do not report mDNS bits.
    let plain = try dnsSummary(mdns)
    #expect(plain.questions[0].unicastResponse == nil)
    #expect(plain.answers[0].cacheFlush == nil)

    let nb = try dnsSummary(DNSVectors.nbnsQuery, layer: .nbns)
    #expect(nb.id == 0x8001)
    #expect(nb.questions == [.init(name: "WORKGROUP<1d>", type: "NB")])
    try withView(DNSVectors.nbnsQuery) { v in
        let m = try DNSMessage(v, layer: .nbns)
        let q = try #require(m.firstQuestion)
        let name = try #require(NetBIOSName(q.name))
        #expect(name.suffix == 0x1D)
        #expect(name.byte(0) == UInt8(ascii: "W"))
    }
}

@Test func dnsLLMNRUsesTheSameFormat() throws {
    let q = hexBytes("ab cd 00 00 00 01 00 00 00 00 00 00 04 77 70 61 64 00 00 1c 00 01")
    let s = try dnsSummary(q, layer: .llmnr)
    #expect(s.questions == [.init(name: "wpad", type: "AAAA")])
    withView(q) { v in #expect(DNSMessage.isLikely(v)) }
}

@Test func dnsHostileCompressionLoops() throws {
    let header = hexBytes("00 01 00 00 00 01 00 00 00 00 00 00")
    // Self pointer at offset 12.
    try withView(header + hexBytes("c0 0c 00 01 00 01")) { v in
        let m = try DNSMessage(v)
        #expect(m.problem == .malformed(layer: .dns, offset: 12, reason: .init("compression pointer does not point backwards")))
        #expect(Array(m.questions).isEmpty)
        #expect(!DNSMessage.isLikely(v))
    }
    // Two-pointer cycle: name at 12 is "a" then pointer to 17, which points back to 12.
    try withView(header + hexBytes("01 61 c0 11 00 c0 0c 00 01 00 01")) { v in
        let m = try DNSMessage(v)
        #expect(m.problem != nil)
    }
    // Forward pointer.
    try withView(header + hexBytes("c0 20 00 01 00 01") + [UInt8](repeating: 0, count: 20)) { v in
        let m = try DNSMessage(v)
        #expect(m.problem == .malformed(layer: .dns, offset: 12, reason: .init("compression pointer does not point backwards")))
    }
    // Pointer into the header.
    try withView(header + hexBytes("c0 02 00 01 00 01")) { v in
        let m = try DNSMessage(v)
        #expect(m.problem != nil)
    }
    // Label length past the end.
    try withView(header + hexBytes("3f 61 62")) { v in
        let m = try DNSMessage(v)
        #expect(m.problem == .truncated(layer: .dns, offset: 13, needed: 63, available: 2))
    }
    // Extended label type 0x40.
    try withView(header + hexBytes("41 00 00 01 00 01")) { v in
        let m = try DNSMessage(v)
        #expect(m.problem == .malformed(layer: .dns, offset: 12, reason: .init("extended label type")))
    }
    // Name longer than 255 bytes: the 4th label of 63 makes 256.
    var long: [UInt8] = header
    for _ in 0..<5 { long += [63] + [UInt8](repeating: 0x61, count: 63) }
    long += [0, 0, 1, 0, 1]
    try withView(long) { v in
        let m = try DNSMessage(v)
        #expect(m.problem == .limitReached(layer: .dns, offset: 12 + 3 * 64, limit: .init("name length (255)")))
    }
}

@Test func dnsHostileCountsAndLengths() throws {
    // Counts larger than the records present.
    var b = DNSVectors.queryWithECS
    b[7] = 5
    try withView(b) { v in
        let m = try DNSMessage(v)
        #expect(m.problem != nil)
        #expect(!DNSMessage.isLikely(v))
        _ = m.summary()
    }
    // rdlength past the end.
    var r = DNSVectors.response
    r[44] = 0xFF
    try withView(r) { v in
        let m = try DNSMessage(v)
        #expect(m.problem == .malformed(layer: .dns, offset: 43, reason: .init("rdlength runs past the end of the message")))
        #expect(Array(m.questions).count == 1)
        #expect(Array(m.records).isEmpty)
    }
    // Header only with zero counts: fine but not "likely DNS".
    try withView([UInt8](repeating: 0, count: 12)) { v in
        let m = try DNSMessage(v)
        #expect(m.problem == nil)
        #expect(!DNSMessage.isLikely(v))
    }
    // Zero-length input and short header.
    withView([]) { v in #expect(throws: WireError.truncated(layer: .dns, offset: 0, needed: 12, available: 0)) { try DNSMessage(v) } }
    // Huge counts with a body of back-pointing names: bounded by the bytes present.
    var huge = hexBytes("00 01 81 80 00 01 ff ff ff ff ff ff 01 61 00 00 01 00 01")
    for _ in 0..<2000 { huge += hexBytes("c0 0c 00 01 00 01 00 00 00 00 00 00") }
    let start = ContinuousClock.now
    try withView(huge) { v in
        let m = try DNSMessage(v)
        #expect(m.problem != nil)
        #expect(Array(m.records).count == 2000)
        _ = m.summary()
    }
    #expect(ContinuousClock.now - start < .seconds(5))
}

@Test func dnsTruncatedAtEveryOffset() {
    for vector in [DNSVectors.queryWithECS, DNSVectors.response, DNSVectors.records, DNSVectors.nbnsQuery] {
        expectEveryPrefixNoted(vector) { v in
            guard let m = try? DNSMessage(v) else { return true }
            _ = m.summary()
            return m.problem != nil
        }
        mutateEveryByte(vector) { v in
            if let m = try? DNSMessage(v) { _ = m.summary(); _ = m.edns?.clientSubnet }
            if let m = try? DNSMessage(v, layer: .nbns) { _ = m.summary() }
            _ = DNSMessage.isLikely(v)
        }
    }
}
