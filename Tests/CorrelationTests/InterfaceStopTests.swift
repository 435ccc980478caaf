import CaptureFiles
import Correlation
import Dissectors
import Testing
import TestCaptures

/// Issue 13, defect 6 (analysis side): a live capture records in the tunnel's
/// ISB that the tunnel interface vanished, and when. That is the kill-switch
/// moment: traffic outside the tunnel afterwards is a tunnel failure at once,
/// even when the quiet gap is short and the remote had leaked before.
@Suite struct InterfaceStopTests {
    static let t0: Int64 = 1_700_000_000_000_000_000

    /// Tunnel traffic, a routine leak to `web`, the tunnel vanishing at t0+2 s, then the same leak again 0.5 s later.
    func session(recordStop: Bool) -> CaptureBuilder {
        var (b, eth, wg) = wireGuardSession()
        b.add(eth, Pkt.ether(Pkt.udp(host, 41000, web, 9999, [9, 9, 9])), at: Self.t0 + 500_000_000)          // 4: routine leak
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 7, [1, 2, 3]), at: Self.t0 + 1_800_000_000)          // 5
        b.add(eth, Pkt.ether(Pkt.udp(host, 41000, web, 9999, [9, 9, 9])), at: Self.t0 + 2_500_000_000)        // 6: after it vanished
        b.add(eth, Pkt.ether(Pkt.udp(host, 41000, web, 9999, [9, 9, 9])), at: Self.t0 + 2_600_000_000)        // 7
        if recordStop {
            let event = InterfaceEvent(kind: .vanished, timeNanoseconds: Self.t0 + 2_000_000_000, detail: "The interface disappeared")
            b.statistics = [(wg, Self.t0 + 2_000_000_000, event.comment), (eth, Self.t0 + 3_000_000_000, nil)]
        }
        return b
    }

    @Test func aVanishedTunnelMakesTheLeaksAfterItATunnelFailure() throws {
        let (a, _) = try analyze(session(recordStop: true))
        let spans = a.findings.filter { $0.class == .tunnelFailure }
        #expect(spans.count == 1)
        let s = try #require(spans.first)
        #expect(s.title == "Tunnel interface wg0 vanished at 2023-11-14T22:13:22.000000000Z; 2 packets left outside it afterwards")
        #expect(s.evidence.leakedFrames == [6, 7])
        #expect(s.evidence.startNs == Self.t0 + 1_800_000_000)
        #expect(s.evidence.openAtEnd == true)
        #expect(s.evidence.activitySignal?.hasSuffix(
            "; tunnel interface wg0 vanished at 2023-11-14T22:13:22.000000000Z (The interface disappeared), as the capture recorded") == true)
        #expect(a.assumptions.contains {
            $0.hasPrefix("tunnel interface wg0 vanished at 2023-11-14T22:13:22.000000000Z (The interface disappeared), as the capture recorded in /")
                && $0.hasSuffix("/s.pcapng: traffic outside it after that is a tunnel failure (the kill-switch moment)")
        })
    }

    @Test func withoutTheRecordedStopTheSameShortQuietIsNoFailure() throws {
        let (a, _) = try analyze(session(recordStop: false))
        #expect(a.findings.filter { $0.class == .tunnelFailure }.isEmpty)
    }

    @Test func theEventRoundTripsThroughItsComment() {
        let e = InterfaceEvent(libpcapError: "The interface disappeared", timeNanoseconds: Self.t0)
        #expect(e.kind == .vanished)
        var st = InterfaceStatistics(interfaceID: 0, offset: 0, timestampNanoseconds: 0)
        st.endTimeNanoseconds = Self.t0
        st.comments = [e.comment]
        #expect(InterfaceEvent(statistics: st) == e)
        #expect(InterfaceEvent(libpcapError: "The interface went down", timeNanoseconds: 0).kind == .wentDown)
        #expect(InterfaceEvent(libpcapError: "read: Bad address", timeNanoseconds: 0).kind == .failed)
        st.comments = ["a comment someone wrote"]
        #expect(InterfaceEvent(statistics: st) == nil)
    }
}
