import Testing
@testable import Dissectors
import TestCaptures

@Suite struct LinkLayerTests {
    let udpDNS = Pkt.udp(53000, 53, Pkt.dnsQuery("example.com"))

    @Test func ethernetIPv4UDP() {
        var dis = Dissector()
        let d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, udpDNS)))
        #expect(d.link.kind == .ethernet)
        #expect(d.link.source?.description == "02:00:00:00:00:01")
        #expect(d.link.destination?.description == "02:00:00:00:00:02")
        #expect(d.link.etherType == 0x0800)
        #expect(d.ip?.source.description == "192.0.2.1")
        #expect(d.ip?.destination.description == "198.51.100.7")
        #expect(d.ip?.protocol == 17)
        #expect(d.ip?.ttl == 64)
        #expect(d.udp?.sourcePort == 53000)
        #expect(d.udp?.destinationPort == 53)
        #expect(d.udp?.payload.count == 29)
        #expect(d.notes.isEmpty)
    }

    @Test func qinqTags() {
        var dis = Dissector()
        let d = dis.run(Pkt.ethernet(type: 0x86DD, vlans: [(0x88A8, 100), (0x8100, 0x2000 | 200)],
                                       Pkt.ipv6(next: 17, udpDNS)))
        #expect(d.tokens == "eth:vlan:vlan:ipv6:udp:dns")
        #expect(d.link.vlanTags.map(\.id) == [100, 200])
        #expect(d.link.vlanTags.map(\.tpid) == [0x88A8, 0x8100])
        #expect(d.link.vlanTags[1].priority == 1)
        #expect(d.ip?.source.description == "2001:db8::1")
    }

    @Test func sllAndSll2() {
        var dis = Dissector()
        let ip = Pkt.ipv4(proto: 17, udpDNS)
        let sll: [UInt8] = [0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 9, 0, 0, 0x08, 0x00] + ip
        let d1 = dis.run(sll, link: .linuxSLL)
        #expect(d1.tokens == "sll:ip:udp:dns")
        #expect(d1.link.sllPacketType == 4)
        #expect(d1.direction == .outbound)
        #expect(d1.link.source?.description == "02:00:00:00:00:09")
        let sll2: [UInt8] = [0x08, 0x00, 0, 0, 0, 0, 0, 7, 0, 1, 0, 6, 2, 0, 0, 0, 0, 9, 0, 0] + ip
        let d2 = dis.run(sll2, link: .linuxSLL2)
        #expect(d2.tokens == "sll:ip:udp:dns")
        #expect(d2.link.sllInterfaceIndex == 7)
        #expect(d2.link.sllPacketType == 0)
        #expect(d2.direction == .inbound)
        #expect(d2.udp?.destinationPort == 53)
    }

    @Test func rawAndNullAndLoop() {
        var dis = Dissector()
        let v6 = Pkt.ipv6(next: 17, udpDNS)
        for lt in [LinkType.raw, .rawOpenBSD, .rawBSDOS] {
            #expect(dis.run(v6, link: lt).tokens == "raw:ipv6:udp:dns")
        }
        // LINKTYPE_IPV4/IPV6 have no link token (as tshark).
        #expect(dis.run(v6, link: .ipv6).tokens == "ipv6:udp:dns")
        #expect(dis.run(Pkt.ipv4(proto: 17, udpDNS), link: .ipv4).tokens == "ip:udp:dns")
        let wrong = dis.run(v6, link: .ipv4)
        #expect(wrong.tokens == "ip:ipv6:udp:dns")
        #expect(wrong.notes.first == .malformed(layer: .ip, offset: 0, reason: .init("LINKTYPE_IPV4 frame holds an IPv6 packet")))
        // BSD null: host order AF, both byte orders; IPv6 as 24, 28 or 30.
        for af: [UInt8] in [[24, 0, 0, 0], [0, 0, 0, 28], [30, 0, 0, 0]] {
            let d = dis.run(af + v6, link: .null)
            #expect(d.tokens == "null:ipv6:udp:dns")
        }
        #expect(dis.run([2, 0, 0, 0] + Pkt.ipv4(proto: 17, udpDNS), link: .null).link.addressFamily == 2)
        #expect(dis.run([0, 0, 0, 2] + Pkt.ipv4(proto: 17, udpDNS), link: .loop).tokens == "null:ip:udp:dns")
    }

    @Test func pppWithAndWithoutHDLC() {
        var dis = Dissector()
        let ip = Pkt.ipv4(proto: 17, udpDNS)
        #expect(dis.run([0x00, 0x21] + ip, link: .ppp).tokens == "ppp:ip:udp:dns")
        #expect(dis.run([0xFF, 0x03, 0x00, 0x57] + Pkt.ipv6(next: 17, udpDNS), link: .ppp).tokens == "ppp:ipv6:udp:dns")
        #expect(dis.run([0x21] + ip, link: .ppp).link.pppProtocol == 0x21)
    }
}
