import Correlation
import Dissectors
import Testing
import TestCaptures

/// The record's `bounds` name the bound a capture hit, with exact counts
/// (docs/analysis-json.md, "bounds"), on captures small enough to count by hand.
@Suite struct BoundsTests {
    /// 40 IPv6 first fragments of distinct datagrams that never complete, 1 ms apart: the
    /// dissector's 32-datagram table fills, then each new one evicts the oldest (8 evicted);
    /// the 32 left at the end are in progress, not dropped.
    @Test func fragmentsThatNeverCompleteAreCountedInBounds() throws {
        var (b, eth, _) = wireGuardSession()
        for i in 0..<40 {
            let udp = Pkt.udp(40000, 9000, length: 8 + 64, [UInt8](repeating: 0x41, count: 24))
            let frag = Pkt.fragment(next: 17, offset: 0, more: true, id: UInt32(1000 + i))
            b.add(eth, Pkt.ether(Pkt.ipv6("2001:db8:1::2", "2001:db8:ff::1", next: 44, frag + udp), type: 0x86DD))
        }
        let (a, _) = try analyze(b)
        #expect(a.bounds.maxFragmentedDatagrams == 32)
        #expect(a.bounds.datagramsDroppedIncomplete == 8)
        #expect(a.bounds.fragmentsRefused == 0)
        #expect(a.bounds.flowsRefused == 0)
        #expect(a.bounds.anyHit)
    }

    /// A capture without fragments states the reassembly bound with zero counts.
    @Test func noFragmentsNoneDropped() throws {
        let (b, _, _) = wireGuardSession()
        let (a, _) = try analyze(b)
        #expect(a.bounds.maxFragmentedDatagrams == 32)
        #expect(a.bounds.datagramsDroppedIncomplete == 0)
        #expect(a.bounds.fragmentsRefused == 0)
        #expect(!a.bounds.anyHit)
    }

    /// A 4-flow table: of 10 distinct UDP flows sent within a second, 6 are refused (each judged
    /// alone, still a leak); after the flows have been idle past 300 s, the 10-second sweep frees
    /// the table and new flows are tracked again.
    @Test func fullFlowTableRefusesThenRecovers() throws {
        var (b, eth, _) = wireGuardSession()
        let start = b.clock
        for i in 0..<10 {
            b.add(eth, Pkt.ether(Pkt.udp(host, UInt16(41000 + i), web, 9000, [1, 2, 3, 4])), at: start + Int64(i) * 10_000_000)
        }
        for i in 0..<3 {
            b.add(eth, Pkt.ether(Pkt.udp(host, UInt16(42000 + i), web, 9000, [1, 2, 3, 4])),
                  at: start + 301_000_000_000 + Int64(i) * 10_000_000)
        }
        var options = AnalysisOptions()
        options.limits.maxFlows = 4
        let (a, _) = try analyze(b, options: options)
        #expect(a.bounds.maxFlows == 4)
        #expect(a.bounds.flowsRefused == 6)
        #expect(a.packetVerdicts["leak"] == 13)
        #expect(a.findings.map(\.packets).reduce(0, +) == 13)
    }
}
