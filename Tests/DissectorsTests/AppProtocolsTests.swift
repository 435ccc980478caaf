import Testing
@testable import Dissectors

enum AppVectors {
    /// ARP request: who has 192.0.2.1? tell 192.0.2.50 (02:00:00:00:00:01).
    static let arpRequest = hexBytes("""
        00 01 08 00 06 04 00 01 02 00 00 00 00 01 c0 00 02 32 00 00 00 00 00 00 c0 00 02 01
        """)
    /// ICMPv4 port unreachable quoting an IPv4/UDP header (20 + 8 bytes).
    static let icmpUnreachable = hexBytes("""
        03 03 00 00 00 00 00 00
        45 00 00 3c 00 01 00 00 40 11 00 00 c0 00 02 32 c6 33 64 07
        d4 31 00 35 00 28 00 00
        """)
    static let icmpEcho = hexBytes("08 00 00 00 12 34 00 07 61 62 63 64")
    /// Router advertisement: M+O flags, lifetime 1800, source LLA, prefix 2001:db8:1::/64 (L+A),
    /// RDNSS 2001:db8::53 and ::54 (lifetime 600), MTU 1400.
    static let routerAdvertisement = hexBytes("""
        86 00 00 00 40 c0 07 08 00 00 00 00 00 00 00 00 01 01 02 00 00 00 00 01 03 04 40 c0 00 01 51 80
        00 00 38 40 00 00 00 00 20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 00 19 05 00 00 00 00 02 58
        20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 53 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 54
        05 01 00 00 00 00 05 78
        """)
    /// Neighbor solicitation for 2001:db8::1 with source LLA.
    static let neighborSolicitation = hexBytes("""
        87 00 00 00 00 00 00 00 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 01 01 02 00 00 00 00 02
        """)
    /// DHCPv4 ACK: yiaddr 192.0.2.50, siaddr 192.0.2.1, chaddr 02:00:00:00:00:01, options 53/1/3/6/12/51/54,
    /// 121 and 249 with 128.0.0.0/1, 0.0.0.0/0 and 10.0.0.0/24 routes.
    static let dhcpAck: [UInt8] = hexBytes("""
        02 01 06 00 de ad be ef 00 00 00 00 00 00 00 00 c0 00 02 32 c0 00 02 01 00 00 00 00
        02 00 00 00 00 01
        """) + [UInt8](repeating: 0, count: 10 + 64 + 128) + hexBytes("""
        63 82 53 63
        35 01 05 01 04 ff ff ff 00 03 04 c0 00 02 01 06 08 c0 00 02 35 c6 33 64 35 0c 04 68 6f 73 74 33
        04 00 00 0e 10 36 04 c0 00 02 01 79 13 01 80 c0 00 02 63 00 c0 00 02 01 18 0a 00 00 c0 00 02 63
        f9 13 01 80 c0 00 02 63 00 c0 00 02 01 18 0a 00 00 c0 00 02 63 00 ff
        """)
    /// DHCPv6 REPLY, xid 0xabcdef: client/server DUIDs, IA_NA with 2001:db8::100, DNS servers, domain list.
    static let dhcpv6Reply = hexBytes("""
        07 ab cd ef 00 01 00 0a 00 03 00 01 02 00 00 00 00 01 00 02 00 0e 00 01 00 01 00 00 00 01 02 00
        00 00 00 02 00 03 00 28 00 00 00 01 00 00 07 08 00 00 0b 40 00 05 00 18 20 01 0d b8 00 00 00 00
        00 00 00 00 00 00 01 00 00 00 0e 10 00 00 1c 20 00 17 00 20 20 01 0d b8 00 00 00 00 00 00 00 00
        00 00 00 53 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 54 00 18 00 12 07 65 78 61 6d 70 6c 65
        03 63 6f 6d 00 03 6c 61 62 00
        """)
    /// TLS 1.3-style ClientHello: SNI www.example.com, ALPN h2 + http/1.1, supported_versions.
    static let clientHello = hexBytes("""
        16 03 01 00 62 01 00 00 5e 03 03 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14
        15 16 17 18 19 1a 1b 1c 1d 1e 1f 00 00 04 13 01 13 02 01 00 00 31 00 00 00 14 00 12 00 00 0f 77
        77 77 2e 65 78 61 6d 70 6c 65 2e 63 6f 6d 00 10 00 0e 00 0c 02 68 32 08 68 74 74 70 2f 31 2e 31
        00 2b 00 03 02 03 04
        """)
    /// QUIC v1 Initial: DCID 8 bytes, SCID 0, token length 0, then protected bytes.
    static let quicInitial = hexBytes("c3 00 00 00 01 08 83 94 c8 f0 3e 51 57 08 00 00 44 9e 7b 9a ec 34")
        + [UInt8](repeating: 0, count: 40)
    static let httpRequest = Array("GET /index.html HTTP/1.1\r\nUser-Agent: t\r\nHost:  www.example.com \r\n\r\n".utf8)
}

@Test func arpRequestDecodes() throws {
    try withView(AppVectors.arpRequest) { v in
        let a = try ARPPacket(v)
        #expect(a.problem == nil)
        #expect(a.summary() == ARPSummary(op: 1, operation: "request", senderMAC: "02:00:00:00:00:01",
                                          senderIP: "192.0.2.50", targetMAC: "00:00:00:00:00:00", targetIP: "192.0.2.1"))
    }
    expectEveryPrefixNoted(AppVectors.arpRequest) { v in
        guard let a = try? ARPPacket(v) else { return true }
        _ = a.summary()
        return a.problem != nil
    }
}

@Test func icmpv4ErrorsQuoteThePacket() throws {
    try withView(AppVectors.icmpUnreachable) { v in
        let m = try ICMPv4Message(v)
        #expect(m.isError)
        #expect(m.quotedPacket?.count == 28)
        #expect(m.quotedPacket?.integer(at: 0, as: UInt8.self) == 0x45)
        var s = ICMPSummary(type: 3, code: 3, name: "destination-unreachable")
        s.quotedLength = 28
        #expect(m.summary() == s)
    }
    try withView(AppVectors.icmpEcho) { v in
        let m = try ICMPv4Message(v)
        #expect(m.quotedPacket == nil)
        #expect(m.summary().id == 0x1234)
        #expect(m.summary().sequence == 7)
        #expect(m.summary().name == "echo-request")
    }
    expectEveryPrefixNoted(AppVectors.icmpEcho, allowClean: { $0 >= 8 }) { v in (try? ICMPv4Message(v)) == nil }
}

@Test func icmpv6RouterAdvertisementPrefixAndRDNSS() throws {
    try withView(AppVectors.routerAdvertisement) { v in
        let m = try ICMPv6Message(v)
        #expect(m.problem == nil)
        var s = ICMPSummary(type: 134, code: 0, name: "router-advertisement")
        s.routerLifetime = 1800
        s.managed = true
        s.otherConfig = true
        s.sourceLinkLayer = "02:00:00:00:00:01"
        s.prefixes = [ICMPv6PrefixSummary(prefix: "2001:db8:1::/64", onLink: true, autonomous: true,
                                          validLifetime: 86400, preferredLifetime: 14400)]
        s.rdnssLifetime = 600
        s.rdnss = ["2001:db8::53", "2001:db8::54"]
        s.mtu = 1400
        #expect(m.summary() == s)
    }
    try withView(AppVectors.neighborSolicitation) { v in
        let m = try ICMPv6Message(v)
        #expect(m.target?.description == "2001:db8::1")
        #expect(m.summary().sourceLinkLayer == "02:00:00:00:00:02")
        #expect(m.summary().name == "neighbor-solicitation")
    }
    // Option length zero stops the walk with a note.
    var zero = AppVectors.neighborSolicitation
    zero[25] = 0
    try withView(zero) { v in
        let m = try ICMPv6Message(v)
        #expect(m.problem == .malformed(layer: .icmpv6, offset: 25, reason: .init("option length zero")))
    }
    // Errors quote the packet; MLD types are named.
    try withView(hexBytes("01 04 00 00 00 00 00 00 60 00 00 00")) { v in
        let m = try ICMPv6Message(v)
        #expect(m.quotedPacket?.count == 4)
    }
    try withView(hexBytes("8f 00 00 00 00 00 00 00")) { v in
        let m = try ICMPv6Message(v)
        #expect(m.name == "mldv2-report")
    }
    for vector in [AppVectors.routerAdvertisement, AppVectors.neighborSolicitation] {
        // ND messages have no terminator: a cut at an option boundary is a whole message.
        let boundaries = vector[0] == 134 ? [16, 24, 56, 96] : [24]
        expectEveryPrefixNoted(vector, allowClean: { boundaries.contains($0) }) { v in
            guard let m = try? ICMPv6Message(v) else { return true }
            _ = m.summary()
            return m.problem != nil
        }
        mutateEveryByte(vector) { v in _ = (try? ICMPv6Message(v))?.summary() }
    }
}

@Test func dhcpv4AckWithClasslessRoutes() throws {
    try withView(AppVectors.dhcpAck) { v in
        let m = try DHCPv4Message(v)
        #expect(m.problem == nil)
        #expect(m.messageType == 5)
        let routes = Array(m.classlessRoutes()).map { "\($0.destination)/\($0.prefixLength) via \($0.router)" }
        #expect(routes == ["128.0.0.0/1 via 192.0.2.99", "0.0.0.0/0 via 192.0.2.1", "10.0.0.0/24 via 192.0.2.99"])
        let expectedRoutes = [DHCPRouteSummary(destination: "128.0.0.0/1", router: "192.0.2.99"),
                              DHCPRouteSummary(destination: "0.0.0.0/0", router: "192.0.2.1"),
                              DHCPRouteSummary(destination: "10.0.0.0/24", router: "192.0.2.99")]
        #expect(m.summary() == DHCPv4Summary(
            op: 2, xid: "0xdeadbeef", messageType: "ACK", ciaddr: "0.0.0.0", yiaddr: "192.0.2.50",
            siaddr: "192.0.2.1", giaddr: "0.0.0.0", chaddr: "02:00:00:00:00:01", subnetMask: "255.255.255.0",
            routers: ["192.0.2.1"], dnsServers: ["192.0.2.53", "198.51.100.53"], hostname: "host",
            requestedIP: nil, leaseTime: 3600, serverID: "192.0.2.1",
            classlessRoutes: expectedRoutes, msClasslessRoutes: expectedRoutes,
            options: [53, 1, 3, 6, 12, 51, 54, 121, 249]))
    }
    // An option length past the end is noted; no cookie is noted.
    var bad = Array(AppVectors.dhcpAck.dropLast(2))
    bad[bad.count - 1] = 0xFF
    bad.append(0x79)
    bad.append(0x40)
    try withView(bad) { v in
        let m = try DHCPv4Message(v)
        #expect(m.problem != nil)
    }
    // Without the end option (255) every cut is noted.
    expectEveryPrefixNoted(AppVectors.dhcpAck) { v in
        guard let m = try? DHCPv4Message(v) else { return true }
        _ = m.summary()
        return m.problem != nil
    }
    mutateEveryByte(Array(AppVectors.dhcpAck[236...])) { v in
        _ = Array(ClasslessRoutes(bytes: v))
    }
}

@Test func dhcpv6ReplyAddressesAndDNS() throws {
    try withView(AppVectors.dhcpv6Reply) { v in
        let m = try DHCPv6Message(v)
        #expect(m.problem == nil)
        #expect(m.summary() == DHCPv6Summary(
            messageType: "REPLY", transactionID: "0xabcdef", clientID: "00030001020000000001",
            serverID: "0001000100000001020000000002", addresses: ["2001:db8::100"],
            dnsServers: ["2001:db8::53", "2001:db8::54"], domains: ["example.com", "lab"], options: [1, 2, 3, 23, 24]))
    }
    expectEveryPrefixNoted(AppVectors.dhcpv6Reply, allowClean: { [4, 18, 36, 80, 116].contains($0) }) { v in
        guard let m = try? DHCPv6Message(v) else { return true }
        _ = m.summary()
        return m.problem != nil
    }
}

@Test func tlsClientHelloSNIAndALPN() throws {
    try withView(AppVectors.clientHello) { v in
        #expect(TLSClientHello.isLikely(v))
        let h = try TLSClientHello(v)
        #expect(h.problem == nil)
        #expect(h.summary() == TLSSummary(handshake: "client_hello", recordVersion: "0x0301", clientVersion: "0x0303",
                                          sni: "www.example.com", alpn: ["h2", "http/1.1"]))
    }
    // Cut inside the extensions: what parsed is kept, the cut is noted.
    try withView(Array(AppVectors.clientHello[..<80])) { v in
        let h = try TLSClientHello(v)
        #expect(h.problem != nil)
        #expect(h.serverName.map { AppText.text($0) } == "www.example.com")
        #expect(h.alpn == nil)
    }
    withView(hexBytes("17 03 03 00 10 01")) { v in #expect(!TLSClientHello.isLikely(v)) }
    expectEveryPrefixNoted(AppVectors.clientHello) { v in
        guard let h = try? TLSClientHello(v) else { return true }
        _ = h.summary()
        return h.problem != nil
    }
    mutateEveryByte(AppVectors.clientHello) { v in _ = (try? TLSClientHello(v))?.summary() }
}

@Test func quicInitialRecognisedWithoutSNI() throws {
    try withView(AppVectors.quicInitial) { v in
        #expect(QUICLongHeader.isLikely(v))
        let q = try QUICLongHeader(v)
        #expect(q.summary() == QUICSummary(version: "0x00000001", packetType: "initial", dcid: "8394c8f03e515708",
                                           scid: "", tokenLength: 0, sni: nil, note: "SNI not decrypted: cut short"))
    }
    withView(hexBytes("43 00 00 00 01 08")) { v in #expect(!QUICLongHeader.isLikely(v)) }
    expectEveryPrefixNoted(AppVectors.quicInitial, allowClean: { $0 >= 15 }) { v in (try? QUICLongHeader(v)) == nil }
    mutateEveryByte(AppVectors.quicInitial) { v in _ = (try? QUICLongHeader(v))?.summary() }
}

@Test func httpRequestLineAndHost() throws {
    try withView(AppVectors.httpRequest) { v in
        #expect(HTTPRequest.isLikely(v))
        let r = try HTTPRequest(v)
        #expect(r.summary() == HTTPSummary(method: "GET", target: "/index.html", version: "HTTP/1.1", host: "www.example.com"))
    }
    withView(Array("HELLO world\r\n".utf8)) { v in
        #expect(!HTTPRequest.isLikely(v))
        #expect(throws: WireError.malformed(layer: .http, offset: 0, reason: .init("not an HTTP/1 request line"))) { try HTTPRequest(v) }
    }
    // Prefixes: nothing before the first line end parses; later prefixes may lack the Host header.
    expectEveryPrefixNoted(AppVectors.httpRequest, allowClean: { $0 > 25 }) { v in (try? HTTPRequest(v)) == nil }
    mutateEveryByte(AppVectors.httpRequest) { v in _ = (try? HTTPRequest(v))?.summary() }
}

@Test func icmpv6RouteInformationAndDNSSL() throws {
    // RA with RFC 4191 routes ::/0 (high) and 2001:db8:5::/48 (low), and DNSSL lab.example.
    let ra = hexBytes("""
        86 00 00 00 40 00 00 00 00 00 00 00 00 00 00 00 18 02 00 08 00 00 07 08 00 00 00 00 00 00 00 00
        18 03 30 18 00 00 02 58 20 01 0d b8 00 05 00 00 00 00 00 00 00 00 00 00
        1f 03 00 00 00 00 04 b0 03 6c 61 62 07 65 78 61 6d 70 6c 65 00 00 00 00
        """)
    try withView(ra) { v in
        let m = try ICMPv6Message(v)
        #expect(m.problem == nil)
        let s = m.summary()
        #expect(s.routes == [ICMPv6RouteSummary(prefix: "::/0", preference: "high", lifetime: 1800),
                             ICMPv6RouteSummary(prefix: "2001:db8:5::/48", preference: "low", lifetime: 600)])
        #expect(s.dnssl == ["lab.example"])
        #expect(s.routerLifetime == 0)
    }
}

@Test func dhcpv4NamesWPADAndFQDN() throws {
    let options = hexBytes("""
        35 01 01 0f 0b 65 78 61 6d 70 6c 65 2e 6f 72 67
        fc 1c 68 74 74 70 3a 2f 2f 77 70 61 64 2e 65 78 61 6d 70 6c 65 2f 77 70 61 64 2e 64 61 74
        3c 03 4d 53 46
        51 15 05 00 00 04 68 6f 73 74 07 65 78 61 6d 70 6c 65 03 6f 72 67 00
        ff
        """)
    let discover = Array(AppVectors.dhcpAck.prefix(240)) + options
    try withView(discover) { v in
        let m = try DHCPv4Message(v)
        #expect(m.problem == nil)
        let s = m.summary()
        #expect(s.messageType == "DISCOVER")
        #expect(s.domainName == "example.org")
        #expect(s.wpad == "http://wpad.example/wpad.dat")
        #expect(s.vendorClass == "MSF")
        #expect(s.clientFQDN == "host.example.org")
        #expect(s.options == [53, 15, 252, 60, 81])
    }
}

@Test func dhcpv6ClientFQDNPartialName() throws {
    let solicit = hexBytes("01 ab cd ef 00 27 00 06 00 04 68 6f 73 74")
    try withView(solicit) { v in
        let m = try DHCPv6Message(v)
        #expect(m.summary().clientFQDN == "host")
        #expect(m.summary().messageType == "SOLICIT")
    }
}

@Test func tlsClientHelloWithECHMarksOuterName() throws {
    let hello = hexBytes("""
        16 03 01 00 4e 01 00 00 4a 03 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 02 13 01 01 00 00 1f 00 00 00 13 00 11 00 00 0e 70 75 62
        6c 69 63 2e 65 78 61 6d 70 6c 65 fe 0d 00 04 00 01 02 03
        """)
    try withView(hello) { v in
        let h = try TLSClientHello(v)
        #expect(h.summary() == TLSSummary(handshake: "client_hello", recordVersion: "0x0301", clientVersion: "0x0303",
                                          sni: "public.example", alpn: nil, ech: true))
    }
}
