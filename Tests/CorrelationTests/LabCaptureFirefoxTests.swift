import Correlation
import Foundation
import Testing

/// The Firefox recordings (captures/lab-*-firefox.pcapng; ground truth and the known
/// difference in captures/MANIFEST.md, "The Firefox recordings"): every class's frames exactly.
@Suite struct LabCapturesFirefox {
    let lab = LabCaptures()

    func run(_ scenario: String) throws -> Analysis { try lab.run("lab-\(scenario)-firefox.pcapng") }

    @Test func clean() throws {
        let a = try run("clean")
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        #expect(a.tunnel.vpnEndpoints.map { "\($0.address):\($0.port ?? 0)" } == ["192.0.2.2:51820"])
        // No mDNS announcements from Firefox.
        #expect(a.observations.first { $0.kind == "mdns" } == nil)
    }

    @Test func webrtcLeakFromTheTunnelAddress() throws {
        let a = try run("webrtc-leak")
        #expect(a.verdict.status == .leaksFound)
        #expect(lab.frames(a, .webrtc) == lab.ranges("15-22, 24-25, 30-31, 45-52, 54-55, 58-59"))
        for c in [LeakClass.dns, .ipv6, .traffic] { #expect(lab.frames(a, c).isEmpty, "\(c)") }
        let stun = try #require(a.findings.first { $0.class == .webrtc && $0.evidence.stunServer == "203.0.113.10:3478" })
        // Firefox's requests leave eth0 from the tunnel address and get no answer: nothing is revealed.
        #expect(stun.evidence.exposedAddresses ?? [] == [])
        // The tunnel is idle, not down, while the first requests go unanswered for 8 s: it resumes
        // (DNS through wgc, frame 37) without a reconnect, and nothing that used it went around it.
        // Once a tunnel failure (MANIFEST), now no failure and no window: the ground truth has none.
        #expect(lab.frames(a, .tunnelFailure).isEmpty)
        #expect(a.leakWindows == nil)
    }

    @Test func dnsLeak() throws {
        let a = try run("dns-leak")
        #expect(lab.frames(a, .dns) == lab.ranges("5-8, 33-36"))
        for c in [LeakClass.webrtc, .ipv6, .traffic, .tunnelFailure] { #expect(lab.frames(a, c).isEmpty, "\(c)") }
        #expect(a.findings.allSatisfy { $0.evidence.resolver == "203.0.113.53:53" })
    }

    @Test func ipv6Leak() throws {
        let a = try run("ipv6-leak")
        #expect(lab.frames(a, .ipv6) == Array(75...86))
        for c in [LeakClass.webrtc, .dns, .traffic, .tunnelFailure] { #expect(lab.frames(a, c).isEmpty, "\(c)") }
        #expect(a.findings.first { $0.class == .ipv6 }?.evidence.source == "2001:db8:1::2")
    }

    @Test func tunnelDown() throws {
        let a = try run("tunnel-down")
        #expect(lab.frames(a, .webrtc) == Array(80...88))
        #expect(lab.frames(a, .dns) == lab.ranges("68-79, 91-94"))
        #expect(lab.frames(a, .traffic) == Array(95...106))
        #expect(lab.frames(a, .ipv6).isEmpty)
        #expect(lab.frames(a, .tunnelFailure) == lab.ranges("68-88, 91-106"))
        let span = try #require(a.findings.first { $0.class == .tunnelFailure })
        #expect(span.evidence.openAtEnd == true)
        #expect(a.exposedPublicAddresses.contains { $0.address.hasPrefix("198.51.100.2:") && $0.path == "physical" })
    }

    @Test func everythingWithoutTunnelActivity() throws {
        let a = try run("everything")
        #expect(lab.frames(a, .webrtc) == lab.ranges("10-17, 19-20, 25-26, 49-50, 63-71"))
        #expect(lab.frames(a, .dns) == lab.ranges("6-9, 29-32, 51-62, 74-77"))
        #expect(lab.frames(a, .ipv6) == lab.ranges("35-46, 78-89"))
        #expect(lab.frames(a, .traffic).isEmpty)
        // Known difference (MANIFEST): no frame on wgc at all, so no activity to lose, no span.
        #expect(lab.frames(a, .tunnelFailure).isEmpty)
    }

    @Test func killswitch() throws {
        let a = try run("killswitch")
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
    }
}
