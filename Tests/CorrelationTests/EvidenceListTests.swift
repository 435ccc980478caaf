import Testing
import TestCaptures
import Dissectors
import CaptureFiles
import CommunityID
@testable import Correlation

/// The finding's capped lists switch from a scanned list to a hashed index at 16 entries
/// (`KeyIndex.linearLimit`, `SpanCandidate.track`): the counts must not notice the switch.
@Suite struct EvidenceListTests {
    func key(_ n: Int) -> CitedFlowKey {
        CitedFlowKey(ipProtocol: IPProtocolNumber.udp, source: .v4(0xC000_0202), sourcePort: UInt16(10_000 + n),
                     destination: .v4(0xC633_6464), destinationPort: 9000)
    }

    @Test func citedFlowsCountAcrossTheSwitchAndTheCap() {
        var list = CitedFlowList()
        // 40 distinct flows against a cap of 30, each seen three times in rounds: frames 1...120.
        var frame = 0
        for _ in 0..<3 {
            for n in 0..<40 { frame += 1; list.add(key(n), frame: frame, cap: 30) }
        }
        #expect(list.keys.count == 30)
        #expect(list.keys == (0..<30).map(key))
        #expect(list.packets == [Int](repeating: 3, count: 30))
        #expect(list.firstFrames == Array(1...30))
        // Flows 30-39 are counted once each, however often they come back.
        #expect(list.omitted == 10)
        #expect(list.omittedKeys == (30..<40).map(key))
    }

    @Test func aListShorterThanTheScanLimitHoldsEveryFlow() {
        var list = CitedFlowList()
        for n in [3, 1, 3, 2, 1] { list.add(key(n), frame: n, cap: 256) }
        #expect(list.keys == [key(3), key(1), key(2)])
        #expect(list.packets == [2, 2, 1])
        #expect(list.omitted == 0)
    }

    @Test func socketsPastTheCapAreCountedWithoutTheirText() {
        var s = CappedStrings()
        let sock = { (n: Int) in SocketAddress(address: .v4(0xC633_6402), port: UInt16(51_000 + n)) }
        for n in 0..<4 { s.insert(socket: sock(n), cap: 3) }
        s.insert(socket: sock(1), cap: 3)   // already listed: not counted
        s.insert(socket: sock(3), cap: 3)   // past the cap again: counted again, as string inserts are
        #expect(s.items == ["198.51.100.2:51000", "198.51.100.2:51001", "198.51.100.2:51002"])
        #expect(s.omitted == 2)
        // A string insert among the items turns the shortcut off; the count stays the same rule.
        var mixed = CappedStrings()
        mixed.insert("198.51.100.2:51009", cap: 2)
        mixed.insert(socket: sock(0), cap: 2)
        mixed.insert(socket: sock(9), cap: 2)   // its text is an item: not counted
        mixed.insert(socket: sock(5), cap: 2)
        #expect(mixed.items == ["198.51.100.2:51009", "198.51.100.2:51000"])
        #expect(mixed.omitted == 1)
    }

    /// A DNS query that reaches a full finding is read with `.counts`: its questions counted and
    /// its client subnet kept, no names made.
    @Test func countsOnlyDetailCountsTheQuestionsAndKeepsTheSubnet() {
        let bytes = Pkt.ether(Pkt.ipv4("192.0.2.2", "198.51.100.53", proto: 17,
                                       Pkt.udp(5353, 53, Pkt.dnsQuery("a.example.com", ecs: [203, 0, 113]))))
        withPacket(bytes) { p in
            var dissector = Dissector()
            var d = Dissection()
            dissector.dissect(p, into: &d)
            let all = PacketDetail(reading: &d, parts: .all)
            let counts = PacketDetail(reading: &d, parts: .counts)
            #expect(all.dnsQuestions.map(\.name) == ["a.example.com"])
            #expect(all.dnsQuestionCount == 1)
            #expect(counts.dnsQuestions.isEmpty)
            #expect(counts.dnsQuestionCount == 1)
            #expect(all.ecs == ["203.0.113.0/24"])
            #expect(counts.ecs == all.ecs)
        }
    }
}
