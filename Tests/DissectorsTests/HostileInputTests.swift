import Testing
@testable import Dissectors
import TestCaptures

/// Each hostile input yields a partial decode plus a note, in bounded time and memory.
@Suite struct HostileInputTests {
    let dns = Pkt.udp(53000, 53, Pkt.dnsQuery("example.com"))

    @Test func ipv4TotalLengthPastTheEnd() {
        var dis = Dissector()
        let d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, totalLength: 500, dns)))
        #expect(d.tokens == "eth:ip:udp:dns")
        #expect(d.notes.first == .truncated(layer: .ip, offset: 14, needed: 500, available: 57))
        #expect(d.app.dns?.id == 0x1234)
    }

    @Test func udpLengthPastTheEnd() {
        var dis = Dissector()
        let d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, Pkt.udp(1, 2, length: 400, [1, 2, 3]))))
        #expect(d.tokens == "eth:ip:udp")
        #expect(d.udp?.payload.count == 3)
        #expect(d.notes.first == .truncated(layer: .udp, offset: 34, needed: 400, available: 11))
    }

    @Test func zeroLengthHeaders() {
        var dis = Dissector()
        // IPv4 IHL 0.
        var ip = Pkt.ipv4(proto: 17, dns)
        ip[0] = 0x40
        var d = dis.run(Pkt.ethernet(type: 0x0800, ip))
        #expect(d.notes.first == .malformed(layer: .ip, offset: 14, reason: .init("header length below 20")))
        #expect(d.ip == nil)
        // TCP data offset 0.
        var tcp = Pkt.tcp(1, 2, [1, 2, 3])
        tcp[12] = 0x00
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, tcp)))
        #expect(d.tokens == "eth:ip:tcp")
        #expect(d.notes.first == .malformed(layer: .tcp, offset: 46, reason: .init("data offset below 5")))
        // UDP length 0 (not a jumbogram).
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, Pkt.udp(1, 2, length: 0, [9, 9]))))
        #expect(d.notes.first == .malformed(layer: .udp, offset: 38, reason: .init("length below 8")))
        #expect(d.udp?.payload.count == 2)
        // IPv6 total length 0 with no jumbo option: captured length used.
        d = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 17, payloadLength: 0, dns)))
        #expect(d.udp?.destinationPort == 53)
    }

    @Test func emptyAndTinyFramesOnEveryLinkType() {
        var dis = Dissector()
        for lt: UInt32 in [0, 1, 9, 12, 14, 50, 101, 108, 113, 228, 229, 239, 276, 999] {
            for n in 0..<24 {
                let d = dis.run(Array(repeating: 0x45, count: n), link: LinkType(lt))
                #expect(d.protocols.count <= 24)
                #expect(d.notes.count <= 8)
            }
        }
        let d = dis.run([], link: .ethernet)
        #expect(d.notes.first == .truncated(layer: .eth, offset: 0, needed: 14, available: 0))
    }

    @Test func extensionHeaderChainThatNeverEnds() {
        var dis = Dissector()
        var chain: [UInt8] = []
        for _ in 0..<200 { chain += Pkt.ext(next: 60) }
        let d = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 60, chain)))
        #expect(d.ip?.extensionHeaders.count == 8)
        #expect(d.ip?.extensionHeaders.dropped == 8)
        #expect(d.notes.contains(.limitReached(layer: .ipv6, offset: 14 + 40 + 16 * 8, limit: .init("IPv6 extension headers per packet"))))
        #expect(d.protocols.filter { $0 == .ipv6DstOpts }.count == 16)
    }

    @Test func extensionHeaderLengthPastTheEnd() {
        var dis = Dissector()
        let d = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 0, [17, 20, 0, 0, 0, 0, 0, 0])))
        #expect(d.tokens == "eth:ipv6:ipv6.hopopts")
        #expect(d.notes.first == .truncated(layer: .ipv6HopOpts, offset: 54, needed: 168, available: 8))
    }

    @Test func ipv4OptionsOverrun() {
        var dis = Dissector()
        // IHL says 60 bytes, only 24 there.
        var ip = Pkt.ipv4(proto: 17, options: [1, 1, 1, 1], [])
        ip[0] = 0x4F
        var d = dis.run(Pkt.ethernet(type: 0x0800, ip))
        #expect(d.notes.first == .truncated(layer: .ip, offset: 14, needed: 60, available: 24))
        // An option whose length runs past the header: noted, the datagram still decodes.
        d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, options: [0x44, 40, 0, 0], dns)))
        #expect(d.notes.first == .malformed(layer: .ip, offset: 34, reason: .init("option length runs past the header")))
        #expect(d.ip?.optionsLength == 4)
        #expect(d.udp?.destinationPort == 53)
    }

    @Test func vlanTagStack() {
        var dis = Dissector()
        let tags = (0..<20).map { (UInt16(0x8100), UInt16($0)) }
        let d = dis.run(Pkt.ethernet(type: 0x0800, vlans: tags, Pkt.ipv4(proto: 17, dns)))
        #expect(d.link.vlanTags.count == 4)
        #expect(d.notes.contains(.limitReached(layer: .vlan, offset: 14 + 16, limit: .init("VLAN tags kept (4)"))))
        #expect(d.notes.contains(.limitReached(layer: .vlan, offset: 14 + 32, limit: .init("VLAN tags per frame"))))
        #expect(d.ip == nil)
        // A tag cut short.
        let cut = dis.run(Pkt.ethernet(type: 0x8100, [0x00]))
        #expect(cut.notes.first == .truncated(layer: .vlan, offset: 14, needed: 4, available: 1))
    }

    @Test func fragmentFloodStaysWithinBudget() {
        var dis = Dissector()
        var limitNotes = 0
        for i in 0..<2_000 {
            let d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, id: UInt16(i), flags: 0x2000, Array(repeating: 0, count: 64))),
                            frame: i + 1, time: 1_000_000_000 + Int64(i))
            limitNotes += d.notes.count
            #expect(d.ip?.reassembly == .pending)
        }
        #expect(dis.fragments.pendingCount == 32)
        #expect(limitNotes == 2_000 - 32)
        #expect(dis.fragments.evictedIncomplete == 2_000 - 32)
    }

    @Test func fragmentPastMaximumDatagramSize() {
        var dis = Dissector()
        let d = dis.run(Pkt.ethernet(type: 0x86DD, Pkt.ipv6(next: 44, Pkt.fragment(next: 17, offset: 65528, more: true, id: 1) + Array(repeating: 0, count: 16))))
        #expect(d.ip?.reassembly == .dropped)
        #expect(d.notes.first == .limitReached(layer: .ipv6FragHdr, offset: 54, limit: .init("reassembled datagram size (65535)")))
    }

    @Test func overlappingFragmentsAreNoted() {
        var dis = Dissector()
        let payload = dns
        _ = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, id: 9, flags: 0x2000, Array(payload[0..<16]))))
        _ = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, id: 9, flags: 0x2000, Array(payload[0..<16]))))
        let d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, id: 9, flags: 2, Array(payload[16...]))))
        #expect(d.ip?.reassembly == .completed)
        #expect(d.tokens == "eth:ip:udp:dns")
        #expect(d.app.dns?.id == 0x1234)
    }

    @Test func fragmentsTimeOutByCaptureTime() {
        var dis = Dissector()
        _ = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, id: 5, flags: 0x2000, Array(dns[0..<16]))), time: 0)
        let d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 17, id: 5, flags: 2, Array(dns[16...]))), time: 31_000_000_000)
        #expect(d.ip?.reassembly == .pending)
        #expect(dis.fragments.evictedIncomplete == 1)
    }

    @Test func tcpGapDropsThePartialMessage() {
        var dis = Dissector()
        let q = Pkt.dnsQuery("gap.example")
        let framed = be16(UInt16(q.count)) + q
        _ = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(5, 53, seq: 100, Array(framed[0..<6])))))
        let d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(5, 53, seq: 120, Array(framed[20...])))))
        #expect(d.notes.first == .malformed(layer: .tcp, offset: 34, reason: .init("segment missing before this one; partial message dropped")))
        #expect(d.app.dns == nil)
        #expect(dis.streams.droppedMessages == 1)
    }

    @Test func tcpMessageLargerThanTheBound() {
        var limits = DissectorLimits()
        limits.maxTCPMessageBytes = 100
        var dis = Dissector(limits: limits)
        let d = dis.run(Pkt.ethernet(type: 0x0800, Pkt.ipv4(proto: 6, Pkt.tcp(5, 53, [0x10, 0x00, 1, 2]))))
        #expect(d.notes.first == .limitReached(layer: .tcp, offset: 54, limit: .init("reassembled TCP message size")))
    }

    @Test func nestedTunnelsAreBounded() {
        var dis = Dissector()
        var p = Pkt.ipv4(proto: 17, dns)
        for _ in 0..<6 { p = Pkt.ipv4(proto: 4, p) }
        let d = dis.run(Pkt.ethernet(type: 0x0800, p))
        #expect(d.notes.first == .limitReached(layer: .ip, offset: 74, limit: .init("nested IP headers per frame")))
        #expect(d.protocols.filter { $0 == .ip }.count == 3)
    }

    @Test func randomBytesOnEveryLinkTypeNeverTrap() {
        var dis = Dissector()
        var rng = SplitMix(seed: 0x5EED)
        for i in 0..<20_000 {
            let n = Int(rng.next() % 200)
            var bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Bias towards plausible headers so deeper layers get exercised.
            if n > 34, i % 2 == 0 { bytes.replaceSubrange(0..<14, with: Pkt.ethernet(type: 0x0800, [])); bytes[14] = 0x45 }
            let lt: [UInt32] = [0, 1, 9, 101, 108, 113, 228, 229, 239, 276]
            let d = dis.run(bytes, link: LinkType(lt[i % lt.count]), frame: i + 1, time: Int64(i) * 1_000_000)
            #expect(d.notes.count <= 8)
        }
    }
}

/// Deterministic PRNG for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
