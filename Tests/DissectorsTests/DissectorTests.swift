import Testing
@testable import Dissectors
import TestCaptures

@Suite struct DissectorTests {
    let dns = Pkt.udp(53000, 53, Pkt.dnsQuery("example.com"))

    @Test func ipv6ExtensionChainAndUpperProtocol() {
        var dis = Dissector()
        let d = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 0, Pkt.ext(next: 43, body: [0, 0, 0, 0, 0, 0])
            + Pkt.ext(next: 60) + Pkt.ext(next: 17) + dns)))
        #expect(d.tokens == "eth:ipv6:ipv6.hopopts:ipv6.routing:ipv6.dstopts:udp:dns")
        #expect(d.ip?.protocol == 17)
        #expect(d.ip?.headerLength == 64)
        #expect(Array(d.ip?.extensionHeaders ?? .init(filler: .hopByHop)) == [.hopByHop, .routing, .destinationOptions])
    }

    @Test func noNextHeaderAndESPEndTheChain() {
        var dis = Dissector()
        var d = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 60, Pkt.ext(next: 59) + [1, 2, 3])))
        #expect(d.tokens == "eth:ipv6:ipv6.dstopts")
        #expect(d.ip?.protocol == 59)
        d = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 50, be32(0x100) + be32(7) + [0, 0, 0, 0])))
        #expect(d.tokens == "eth:ipv6:esp")
        #expect(d.app.esp?.spi == 0x100)
        #expect(d.app.esp?.sequence == 7)
    }

    @Test func jumbogramIsNoted() {
        var dis = Dissector()
        let hbh: [UInt8] = [17, 0, 0xC2, 4] + be32(70_000)
        let d = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 0, payloadLength: 0, hbh + Pkt.udp(1, 2, length: 0, [7]))))
        #expect(d.ip?.jumbogram == true)
        #expect(d.notes.count == 1)
        #expect(d.udp?.payload.count == 1)
    }

    @Test func ipv6FragmentsReassembleOnTheLastFrame() {
        var dis = Dissector()
        let first = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 44, Pkt.fragment(next: 17, offset: 0, more: true, id: 7) + Array(dns[0..<16]))))
        #expect(first.tokens == "eth:ipv6:ipv6.fraghdr")
        #expect(first.ip?.reassembly == .pending)
        #expect(first.ip?.fragment == FragmentInfo(identification: 7, offset: 0, moreFragments: true))
        let last = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 44, Pkt.fragment(next: 17, offset: 16, more: false, id: 7) + Array(dns[16...]))))
        #expect(last.tokens == "eth:ipv6:ipv6.fraghdr:udp:dns")
        #expect(last.ip?.reassembly == .completed)
        #expect(last.udp?.reassembled == true)
        #expect(last.udp?.payload.count == dns.count - 8)
        #expect(dis.fragments.pendingCount == 0)
    }

    @Test func atomicFragmentIsNotReassembled() {
        var dis = Dissector()
        let d = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 44, Pkt.fragment(next: 17, offset: 0, more: false, id: 3) + dns)))
        #expect(d.tokens == "eth:ipv6:ipv6.fraghdr:udp:dns")
        #expect(d.ip?.fragment?.isAtomic == true)
        #expect(d.ip?.reassembly == ReassemblyState.none)
    }

    @Test func tcpDNSSplitAcrossSegments() {
        var dis = Dissector()
        let q = Pkt.dnsQuery("split.example", id: 0x4242)
        let framed = be16(UInt16(q.count)) + q
        let a = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(5, 53, seq: 100, Array(framed[0..<10])))))
        #expect(a.tokens == "eth:ip:tcp")
        let b = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(5, 53, seq: 110, Array(framed[10...])))))
        #expect(b.tokens == "eth:ip:tcp:dns")
        #expect(b.app.dns?.id == 0x4242)
        #expect(b.tcp?.reassembled?.count == framed.count)
        #expect(b.tcp?.payload.count == framed.count - 10)
    }

    @Test func tcpTwoMessagesThenAPartialOne() {
        var dis = Dissector()
        let m1 = Pkt.dnsQuery("a.example", id: 1), m2 = Pkt.dnsQuery("b.example", id: 2), m3 = Pkt.dnsQuery("c.example", id: 3)
        let f = { (m: [UInt8]) in be16(UInt16(m.count)) + m }
        let stream = f(m1) + f(m2) + f(m3)
        let cut = f(m1).count + f(m2).count + 5
        let a = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(5, 53, seq: 1, Array(stream[0..<cut])))))
        #expect(a.app.dns?.id == 1)
        let b = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(5, 53, seq: 1 + UInt32(cut), Array(stream[cut...])))))
        #expect(b.app.dns?.id == 3)
    }

    @Test func stunOverTCPSplitAndChannelDataPadded() {
        var dis = Dissector()
        let s = RFC5769.sampleRequest
        _ = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(5, 3478, seq: 1, Array(s[0..<30])))))
        let d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(5, 3478, seq: 31, Array(s[30...])))))
        #expect(d.tokens == "eth:ip:tcp:stun")
        #expect(d.app.stun?.transactionID.description == "b7e7a701bc34d686fa87dfae")
        // ChannelData over TCP is padded to 4: a 5-byte message takes 12 bytes, the next message follows.
        let cd: [UInt8] = [0x40, 0x00, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0]
        let c = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(3478, 6, seq: 1, cd + Array(cd[0..<6])))))
        #expect(c.tokens == "eth:ip:tcp:turn-channel")
        #expect(c.app.channelData?.channel == 0x4000)
        #expect(c.app.channelData?.length == 5)
        let c2 = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(3478, 6, seq: 19, Array(cd[6...])))))
        #expect(c2.tokens == "eth:ip:tcp:turn-channel")
    }

    @Test func iceTCPFramedSTUNSplitAcrossSegments() {
        var dis = Dissector()
        let framed = be16(UInt16(RFC5769.sampleRequest.count)) + RFC5769.sampleRequest
        let a = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(50000, 443, seq: 7, Array(framed[0..<40])))))
        #expect(a.tokens == "eth:ip:tcp")
        let b = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(50000, 443, seq: 47, Array(framed[40...])))))
        #expect(b.tokens == "eth:ip:tcp:stun")
        #expect(b.app.stun?.transactionID.description == "b7e7a701bc34d686fa87dfae")
        #expect(b.app.payload?.count == framed.count)
    }

    @Test func udpDispatchByStructureAndPort() {
        var dis = Dissector()
        func udp(_ sp: UInt16, _ dp: UInt16, _ p: [UInt8]) -> Dissection {
            dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, Pkt.udp(sp, dp, p))))
        }
        #expect(udp(1111, 2222, RFC5769.sampleRequest).tokens == "eth:ip:udp:stun")
        #expect(udp(1111, 2222, [1, 0, 0, 0] + Array(repeating: 1, count: 144)).tokens == "eth:ip:udp:wg")
        #expect(udp(1111, 2222, [2, 0, 0, 0] + Array(repeating: 1, count: 88)).app.wireguard?.type == .handshakeResponse)
        #expect(udp(1111, 2222, [1, 0, 0, 0] + Array(repeating: 1, count: 100)).app.wireguard == nil)  // wrong size
        #expect(udp(1111, 5353, Pkt.dnsQuery("x.local")).tokens == "eth:ip:udp:mdns")
        #expect(udp(1111, 5355, Pkt.dnsQuery("x")).tokens == "eth:ip:udp:llmnr")
        #expect(udp(137, 137, Pkt.dnsQuery("x")).tokens == "eth:ip:udp:nbns")
        #expect(udp(137, 137, Pkt.dnsQuery("x")).app.kind == .nbns)
        #expect(udp(1111, 5353, Pkt.dnsQuery("x.local")).app.kind == .mdns)
        #expect(udp(1111, 5355, Pkt.dnsQuery("x")).app.kind == .llmnr)
        #expect(udp(1111, 53, Pkt.dnsQuery("x")).app.kind == .dns)
        #expect(udp(1111, 2222, RFC5769.sampleRequest).app.kind == .stun)
        #expect(udp(4500, 4500, [0xFF]).app.kind == .natKeepalive)
        #expect(udp(4500, 4500, [0xFF]).app.natKeepalive)
        #expect(udp(4500, 4500, be32(0x42) + be32(1) + [0, 0]).tokens == "eth:ip:udp:udpencap:esp")
        #expect(udp(40000, 3478, [0x7F, 0xFF, 0, 1, 9, 0, 0, 0]).tokens == "eth:ip:udp:turn-channel")
        #expect(udp(40000, 9999, [0x20, 0x00, 0, 1, 9]).tokens == "eth:ip:udp")
        // WireGuard on port 53 is WireGuard; a DNS query that happens to start like WireGuard stays DNS.
        #expect(udp(40000, 53, [4, 0, 0, 0] + Array(repeating: 0, count: 60)).tokens == "eth:ip:udp:wg")
        var q = Pkt.dnsQuery("www.example.com", id: 0x0400)
        q[2] = 0
        q[3] = 0
        #expect(q.count >= 32)
        #expect(udp(40000, 53, q).tokens == "eth:ip:udp:dns")
    }

    @Test func tunnelsFillInnerIP() {
        var dis = Dissector()
        var d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 41, Pkt.ipv6(next: 17, dns))))
        #expect(d.tunnel == .ipInIP)
        #expect(d.ip?.version == 4)
        #expect(d.innerIP?.source.description == "2001:db8::1")
        #expect(d.udp?.destinationPort == 53)
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 47, [0x20, 0, 0x86, 0xDD, 0, 0, 0, 9] + Pkt.ipv6(next: 17, dns))))
        #expect(d.tokens == "eth:ip:gre:ipv6:udp:dns")
        #expect(d.tunnel == .gre)
        #expect(d.greProtocol == 0x86DD)
        let teredo = Pkt.ipv6(src: [0x20, 0x01, 0, 0, 0xc0, 0, 2, 1, 0, 0, 0x63, 0x5b, 0x3f, 0xff, 0xfd, 0xfe], next: 17, dns)
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, Pkt.udp(3544, 5000, teredo))))
        #expect(d.tokens == "eth:ip:udp:teredo:ipv6:udp:dns")
        #expect(d.tunnelUDP?.sourcePort == 3544)
        #expect(d.udp?.sourcePort == 53000)
        #expect(d.innerIP?.source.kind == .teredo)
        #expect(d.innerIP?.source.embeddedIPv4?.description == "192.0.2.1")
        // Teredo between client and relay on other ports, found by structure.
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, Pkt.udp(40000, 50000, teredo))))
        #expect(d.tokens == "eth:ip:udp:teredo:ipv6:udp:dns")
        // An IPv6 packet in UDP without a Teredo address is not taken for Teredo off port 3544.
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, Pkt.udp(40000, 50000, Pkt.ipv6(next: 17, dns)))))
        #expect(d.tokens == "eth:ip:udp")
    }

    @Test func addressKinds() {
        func v4(_ s: String) -> IPAddress {
            let p = s.split(separator: ".").map { UInt32($0)! }
            return .v4(p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3])
        }
        #expect(v4("0.0.0.0").kind == .unspecified)
        #expect(v4("127.0.0.1").kind == .loopback)
        #expect(v4("169.254.1.1").kind == .linkLocal)
        #expect(v4("10.1.2.3").kind == .privateUse)
        #expect(v4("172.31.255.255").kind == .privateUse)
        #expect(v4("172.32.0.1").kind == .global)
        #expect(v4("192.168.0.1").kind == .privateUse)
        #expect(v4("100.64.0.1").kind == .sharedCGNAT)
        #expect(v4("100.127.255.255").kind == .sharedCGNAT)
        #expect(v4("100.128.0.1").kind == .global)
        #expect(v4("224.0.0.251").kind == .multicastLinkLocal)
        #expect(v4("239.255.255.250").kind == .multicast)
        #expect(v4("255.255.255.255").kind == .broadcast)
        #expect(v4("198.51.100.7").kind == .documentation)
        #expect(v4("8.8.8.8").kind == .global)
        #expect(IPAddress.v6(0, 1).kind == .loopback)
        #expect(IPAddress.v6(0, 0).kind == .unspecified)
        #expect(IPAddress.v6(0xFE80_0000_0000_0000, 1).kind == .linkLocal)
        #expect(IPAddress.v6(0xFD00_0000_0000_0000, 1).kind == .uniqueLocal)
        #expect(IPAddress.v6(0xFF02_0000_0000_0000, 0xFB).kind == .multicastLinkLocal)
        #expect(IPAddress.v6(0xFF05_0000_0000_0000, 2).kind == .multicast)
        #expect(IPAddress.v6(0x2001_0DB8_0000_0000, 1).kind == .documentation)
        #expect(IPAddress.v6(0x2002_C000_0201_0000, 1).kind == .sixToFour)
        #expect(IPAddress.v6(0x2002_C000_0201_0000, 1).embeddedIPv4?.description == "192.0.2.1")
        #expect(IPAddress.v6(0, 0xFFFF_C000_0201).kind == .ipv4Mapped)
        #expect(IPAddress.v6(0x2A00_1450_0000_0000, 1).kind == .global)
        let eui = IPAddress.v6(0xFE80_0000_0000_0000, 0x0211_22FF_FE33_4455)
        #expect(eui.eui64MAC?.description == "00:11:22:33:44:55")
        #expect(IPAddress.v6(0x2A00_1450_0000_0000, 0x1234_5678_9ABC_DEF0).eui64MAC == nil)
        #expect(AddressKind.linkLocal.isLinkScoped)
        #expect(!AddressKind.global.isLinkScoped)
    }

    @Test func gtpUserPlaneCarriesIP() {
        var dis = Dissector()
        let inner = Pkt.ipv4(src: [10, 1, 1, 1], dst: [10, 2, 2, 2], proto: 17, dns)
        let gtp: [UInt8] = [0x30, 0xFF] + be16(UInt16(inner.count)) + be32(1) + inner
        let d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, Pkt.udp(2152, 2152, gtp))))
        #expect(d.tokens == "eth:ip:udp:gtp:ip:udp:dns")
        #expect(d.innerIP?.source.description == "10.1.1.1")
        #expect(d.tunnel == .gtp)
    }

    @Test func dissectionRecordJSONShape() throws {
        var dis = Dissector()
        let bytes = Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, Pkt.udp(50000, 3478, RFC5769.sampleRequest)))
        let r = withPacket(bytes) { p -> DissectionRecord in
            var d = Dissection()
            dis.dissect(p, into: &d)
            return DissectionRecord(d, interfaceName: "eth0")
        }
        #expect(r.protocols == ["eth", "ip", "udp", "stun"])
        #expect(r.interface.value == "eth0")
        #expect(r.udp?.dstPort == 3478)
        #expect(r.ip?.srcKind == "documentation")
        #expect(r.stun?.transactionID == "b7e7a701bc34d686fa87dfae")
        #expect(r.notes.isEmpty)
        #expect(r.textLine.hasPrefix("1 1.000000000 eth:ip:udp:stun [eth0] 192.0.2.1:50000 → 198.51.100.7:3478 stun binding request"))
    }
}
