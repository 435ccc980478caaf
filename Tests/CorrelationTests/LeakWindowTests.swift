import CaptureFiles
import Correlation
import Dissectors
import Testing
import TestCaptures

/// Leak windows and tunnel failures (docs/leak-model.md, "Leak windows and tunnel failure"):
/// what the packets say ended a quiet tunnel, and when that quiet was a failure.
@Suite struct LeakWindows {
    static let t0: Int64 = 1_700_000_000_000_000_000

    /// eth0 + wg0, handshake at t0 (frames 2-3), tunnel packet at t0+1 s (4) and its carrier (5); then the
    /// tunnel is quiet while the client's WireGuard keepalives go on every second or so (6-8, 10, 12) and two
    /// packets go to `web` outside it at t0+5 s and t0+6 s (9, 11); `resume` adds what ends the quiet
    /// (at t0+8 s); `before` adds frames after the handshake.
    func quiet(resume: (inout CaptureBuilder, Int, Int) -> Void = { _, _, _ in }, before: (inout CaptureBuilder, Int, Int) -> Void = { _, _, _ in })
        -> CaptureBuilder {
        var (b, eth, wg) = wireGuardSession()
        before(&b, eth, wg)
        func keepalive(_ s: Double) {
            b.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgData(receiver: 0x9999, counter: UInt64(s * 10), size: 16))),
                  at: Self.t0 + Int64(s * 1e9))
        }
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 7, [1, 2, 3]), at: Self.t0 + 1_000_000_000)
        b.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgData(receiver: 0x9999, counter: 1))))
        keepalive(2); keepalive(3); keepalive(4)
        b.add(eth, Pkt.ether(Pkt.udp(host, 41000, web, 9999, [9, 9, 9])), at: Self.t0 + 5_000_000_000)
        keepalive(5.5)
        b.add(eth, Pkt.ether(Pkt.udp(host, 41000, web, 9999, [9, 9, 9])), at: Self.t0 + 6_000_000_000)
        keepalive(7)
        resume(&b, eth, wg)
        return b
    }

    static func tunnelPacket(_ b: inout CaptureBuilder, _ wg: Int, at t: Int64) {
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 7, [1, 2, 3]), at: t)
    }

    @Test func aQuietTunnelThatResumesWithoutAReconnectWasIdleNotDown() throws {
        // The pattern of lab-webrtc-leak-firefox: first contact with a split-off server while the tunnel idles.
        let b = quiet { b, eth, wg in
            Self.tunnelPacket(&b, wg, at: Self.t0 + 8_000_000_000)                                            // 13
            b.add(eth, Pkt.ether(Pkt.udp(host, 41000, web, 9999, [9, 9, 9])), at: Self.t0 + 8_500_000_000)  // 14
        }
        let (a, _) = try analyze(b)
        #expect(a.findings.map(\.class) == [.traffic])
        #expect(a.findings[0].frames == [9, 11, 14])
        #expect(a.leakWindows == nil)
    }

    @Test func aReconnectAfterTheQuietMakesItAFailureWindow() throws {
        let b = quiet { b, eth, wg in
            Self.tunnelPacket(&b, wg, at: Self.t0 + 8_000_000_000)                                            // 13
            b.handshake(eth, host: host, sender: 0x7777)                                                      // 14-15
        }
        let (a, path) = try analyze(b)
        let s = try #require(a.findings.first { $0.class == .tunnelFailure })
        #expect(s.title == "Tunnel reconnected after 7.000 s of quiet while 2 packets left outside it")
        #expect(s.evidence.leakedFrames == [9, 11])
        #expect(s.evidence.startNs == Self.t0 + 1_000_000_000)
        #expect(s.evidence.endNs == Self.t0 + 8_000_000_000)
        #expect(s.evidence.openAtEnd == false)
        #expect(s.evidence.window == "W1")
        #expect(s.evidence.tunnelEvent == "reconnect")
        #expect(s.severity == .high)
        let w = try #require(a.leakWindows?.first)
        #expect(a.leakWindows?.count == 1)
        #expect(w.id == "W1" && w.event == "reconnect" && w.findingId == s.id)
        #expect(w.eventDetail == "a new session with 203.0.113.1:51820 after 7.000 s of quiet: WireGuard handshake initiation, frame 14 of \(path) (the previous session began 8.000 s before, frame 2)")
        #expect(w.eventFrames == [14])
        #expect(w.startNs == Self.t0 + 1_000_000_000 && w.endNs == Self.t0 + 8_000_000_000 && w.durationMs == 7_000)
        #expect(w.packets == 2 && w.bytes == s.bytes && w.frames == [9, 11] && w.classes == ["traffic"])
        #expect(w.interface == "eth0" && w.openAtEnd == false && w.tunnelFailure)
        #expect(w.judgement == "the client re-established the tunnel, and meanwhile traffic went to a remote that had not leaked before (203.0.113.80)")
    }

    @Test func aSwitchToAnotherEndpoint() throws {
        let b = quiet { b, eth, wg in
            Self.tunnelPacket(&b, wg, at: Self.t0 + 8_000_000_000)                                            // 13
            b.handshake(eth, host: host, server: "203.0.113.2", sender: 0x7777)                               // 14-15
        }
        let (a, path) = try analyze(b)
        #expect(a.tunnel.vpnEndpoints.map(\.address) == [endpoint, "203.0.113.2"])
        let w = try #require(a.leakWindows?.first)
        #expect(w.event == "endpoint-switch")
        #expect(w.eventDetail == "the carrier moved from 203.0.113.1:51820 to 203.0.113.2:51820: WireGuard handshake initiation, frame 14 of \(path)")
        #expect(w.tunnelFailure)
        #expect(a.findings.first { $0.class == .tunnelFailure }?.title
                == "Tunnel switched to another VPN endpoint after 7.000 s of quiet while 2 packets left outside it")
    }

    @Test func trafficThatUsedTheTunnelGoingAroundItIsAFailureWithoutAReconnect() throws {
        let b = quiet(resume: { b, _, wg in Self.tunnelPacket(&b, wg, at: Self.t0 + 8_000_000_000) },
                      before: { b, _, wg in b.add(wg, Pkt.udp("10.66.0.2", 41000, web, 9999, [1]), at: Self.t0 + 500_000_000) })
        let (a, _) = try analyze(b)
        let w = try #require(a.leakWindows?.first)
        #expect(w.event == "tunnel-quiet")
        #expect(w.eventDetail == "no packet on the tunnel interfaces for 7.000 s; the carrier went on (longest silence 1.500 s)")
        #expect(w.judgement == "traffic that went through the tunnel before (to 203.0.113.80) went around it")
        #expect(w.tunnelFailure)
        #expect(a.findings.first { $0.class == .tunnelFailure }?.title == "Tunnel quiet for 7.000 s while 2 packets left outside it")
    }

    @Test func aTunnelThatNeverComesBackWhileNewRemotesLeakIsAFailure() throws {
        let (a, _) = try analyze(quiet())
        let s = try #require(a.findings.first { $0.class == .tunnelFailure })
        #expect(s.title == "Tunnel quiet for 6.000 s until the end of the capture while 2 packets left outside it")
        #expect(s.evidence.openAtEnd == true)
        #expect(a.leakWindows?.map { "\($0.event) \($0.openAtEnd) \($0.durationMs)" } == ["tunnel-quiet true 6000"])
    }

    @Test func trafficARouteOutsideTheTunnelExplainsIsNoSignOfAFailure() throws {
        // The tunnel idles to the end of the capture while the host talks to its own LAN (192.0.2.0/24,
        // the interface's network) and to the VPN server's own address: routes outside the tunnel
        // explain both, so neither says the tunnel went down (lab-localnet, lab-serverip).
        var (b, eth, wg) = wireGuardSession()
        Self.tunnelPacket(&b, wg, at: Self.t0 + 1_000_000_000)
        b.add(eth, Pkt.ether(Pkt.udp(host, 41000, "192.0.2.80", 80, [1])), at: Self.t0 + 4_000_000_000)
        b.add(eth, Pkt.ether(Pkt.udp(host, 41001, endpoint, 80, [1])), at: Self.t0 + 5_000_000_000)
        let (a, _) = try analyze(b)
        #expect(a.findings.map(\.class) == [.traffic, .localnet, .traffic])
        // The carrier was silent too (no keepalives here): a carrier-gap window, not a failure.
        let w = try #require(a.leakWindows?.first)
        #expect(w.event == "carrier-gap" && !w.tunnelFailure && w.frames == [5, 6])
        #expect(w.judgement == "no traffic that used the tunnel went around it, and what left went to remotes that had leaked before or that a route outside the tunnel explains (the LAN, a pushed route, the VPN server's address)")
    }

    @Test func aReconnectWithNothingEscapingIsAWindowButNoFinding() throws {
        var (b, eth, wg) = wireGuardSession()
        Self.tunnelPacket(&b, wg, at: Self.t0 + 1_000_000_000)                                                // 4
        Self.tunnelPacket(&b, wg, at: Self.t0 + 6_000_000_000)                                                // 5
        b.handshake(eth, host: host, sender: 0x7777)                                                          // 6-7
        let (a, _) = try analyze(b)
        #expect(a.findings.isEmpty)
        #expect(a.verdict.status == .noLeakSeen)
        let w = try #require(a.leakWindows?.first)
        #expect(w.event == "reconnect" && w.packets == 0 && w.frames.isEmpty && !w.tunnelFailure && w.findingId == nil)
        #expect(w.interface == nil && w.durationMs == 5_000)
        #expect(w.judgement == "nothing left outside the tunnel meanwhile")
    }

    @Test func aWireGuardRekeyAfterAnIdleMinuteIsNoReconnect() throws {
        // The last handshake was 130 s before: WireGuard starts a new session when it sends again.
        // Keepalives went on, so the carrier never stopped: nothing says the tunnel went down.
        var (b, eth, wg) = wireGuardSession()
        Self.tunnelPacket(&b, wg, at: Self.t0 + 125_000_000_000)
        b.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgData(receiver: 0x9999, counter: 2))))
        for s in stride(from: 126, through: 130, by: 1) {
            b.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgData(receiver: 0x9999, counter: UInt64(s), size: 16))),
                  at: Self.t0 + Int64(s) * 1_000_000_000)
        }
        b.add(eth, Pkt.ether(Pkt.udp(host, 41000, web, 9999, [9, 9, 9])), at: Self.t0 + 128_500_000_000)
        Self.tunnelPacket(&b, wg, at: Self.t0 + 130_500_000_000)
        b.handshake(eth, host: host, sender: 0x7777)
        let (a, _) = try analyze(b)
        #expect(a.findings.map(\.class) == [.traffic])
        #expect(a.leakWindows == nil)
    }

    @Test func aCarrierGapWithoutATunnelInterface() throws {
        // Only eth0: the carrier is the activity signal; it stops 3 s while traffic leaks, then resumes.
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [host])
        b.handshake(eth, host: host, at: Self.t0)                                                                 // 1-2
        b.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgData(receiver: 0x9999, counter: 1))), at: Self.t0 + 1_000_000_000) // 3
        b.add(eth, Pkt.ether(Pkt.udp(host, 41000, web, 9999, [9])), at: Self.t0 + 2_000_000_000)                // 4
        b.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgData(receiver: 0x9999, counter: 2))), at: Self.t0 + 4_000_000_000) // 5
        let (a, _) = try analyze(b)
        let w = try #require(a.leakWindows?.first)
        #expect(w.event == "carrier-gap")
        #expect(w.eventDetail == "the carrier to 203.0.113.1:51820 was silent for 3.000 s")
        #expect(w.packets == 1 && w.frames == [4] && !w.tunnelFailure)
        #expect(w.judgement == "the tunnel resumed without a reconnect and no traffic that used it before went around it: idle, not down")
        #expect(a.findings.map(\.class) == [.traffic])
    }
}

/// A tunnel interface the capture saw vanish (its ISB's InterfaceEvent, InterfaceStopTests): the window
/// starts at the tunnel's last activity and is a failure with the first leak after it; without a leak it
/// is still listed (the tunnel went, nothing escaped).
@Suite struct LeakWindowsOfRecordedStops {
    static let t0: Int64 = 1_700_000_000_000_000_000

    func session(leak: Bool) -> CaptureBuilder {
        var (b, eth, wg) = wireGuardSession()
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 7, [1, 2, 3]), at: Self.t0 + 1_800_000_000)     // 4
        if leak { b.add(eth, Pkt.ether(Pkt.udp(host, 41000, web, 9999, [9, 9, 9])), at: Self.t0 + 2_500_000_000) }  // 5
        b.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgData(receiver: 0x9999, counter: 1))), at: Self.t0 + 3_000_000_000)
        let event = InterfaceEvent(kind: .vanished, timeNanoseconds: Self.t0 + 2_000_000_000, detail: "The interface disappeared")
        b.statistics = [(wg, Self.t0 + 2_000_000_000, event.comment), (eth, Self.t0 + 3_000_000_000, nil)]
        return b
    }

    @Test func theVanishingIsTheWindowsEvent() throws {
        let (a, _) = try analyze(session(leak: true))
        let w = try #require(a.leakWindows?.first)
        #expect(a.leakWindows?.count == 1)
        #expect(w.event == "interface-vanished")
        #expect(w.eventDetail == "tunnel interface wg0 vanished at 2023-11-14T22:13:22.000000000Z (The interface disappeared), as the capture recorded")
        #expect(w.startNs == Self.t0 + 1_800_000_000 && w.openAtEnd && w.frames == [5] && w.tunnelFailure)
        #expect(w.findingId == a.findings.first { $0.class == .tunnelFailure }?.id)
        #expect(a.findings.first { $0.class == .tunnelFailure }?.evidence.tunnelEvent == "interface-vanished")
    }

    @Test func withNothingEscapingItIsStillAWindow() throws {
        let (a, _) = try analyze(session(leak: false))
        #expect(a.findings.isEmpty)
        let w = try #require(a.leakWindows?.first)
        #expect(w.event == "interface-vanished" && w.packets == 0 && !w.tunnelFailure && w.openAtEnd)
        #expect(w.startNs == Self.t0 + 1_800_000_000 && w.endNs == Self.t0 + 3_000_000_000)
        #expect(w.judgement == "nothing left outside the tunnel after it")
    }
}
