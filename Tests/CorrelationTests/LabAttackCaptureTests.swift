import Correlation
import Foundation
import Testing
import TestCaptures

/// The attack and reconnect recordings (captures/MANIFEST.md, "The attack and reconnect recordings"):
/// what each attack finding and leak window cites, from real DHCP, DNS and WireGuard packets. The
/// frames of every class match the tshark ground truth in LabManifest.
@Suite struct LabAttackCaptures {
    let lab = LabCaptures()

    @Test func tunnelVision() throws {
        let a = try lab.run("lab-tunnelvision.pcapng")
        #expect(a.findings.map(\.class) == [.webrtc, .routeInjection])
        let r = try #require(a.findings.first { $0.class == .routeInjection })
        #expect(r.severity == .high)
        #expect(r.frames == lab.frames(a, .webrtc))
        #expect(r.evidence.pushedRoutes == [PushedRouteEvidence(prefix: "203.0.113.10/32", router: "198.51.100.1", via: "DHCP option 121",
                                                                 frames: [7, 9], pushedBy: "198.51.100.1", message: "DHCP ACK")])
        #expect(r.title == "Route 203.0.113.10/32 via 198.51.100.1 pushed by DHCP ACK, frame 9 (DHCP option 121) took 9 packets around the tunnel out of eth0")
        #expect(a.observations.first { $0.kind == "public-routes-pushed" }?.names == ["203.0.113.10/32 via 198.51.100.1 (DHCP option 121)"])
        #expect(a.leakWindows == nil)
    }

    @Test func localNet() throws {
        let a = try lab.run("lab-localnet.pcapng")
        #expect(a.findings.map(\.class) == [.traffic, .localnet])
        let l = try #require(a.findings.first { $0.class == .localnet })
        #expect(l.evidence.localNetwork?.prefix == "198.51.100.0/24")
        #expect(l.evidence.localNetwork?.decidedBy.hasPrefix("DHCP ACK, frame 8 of ") == true)
        #expect(l.evidence.localNetwork?.decidedBy.hasSuffix("lab-localnet.pcapng: 198.51.100.2/24; also pcapng if_IPv4addr 198.51.100.2/24") == true)
        #expect(l.evidence.destinations == ["198.51.100.80"])
        // The tunnel idles to the end while the host talks to its LAN: no tunnel failure.
        #expect(a.leakWindows == nil)
    }

    @Test func serverIP() throws {
        let a = try lab.run("lab-serverip.pcapng")
        #expect(a.findings.map(\.class) == [.dns, .traffic, .serverip])
        #expect(a.tunnel.vpnEndpoints.map { "\($0.address):\($0.port ?? 0)" } == ["203.0.113.80:51820"])
        let s = try #require(a.findings.first { $0.class == .serverip })
        #expect(s.severity == .high)
        #expect(s.evidence.serverDNS == DNSQueryEvidence(name: "vpn.lab.test", type: "A", frame: 2, responseFrame: 3,
                                                         answers: ["203.0.113.80"], rcode: "NOERROR"))
        #expect(s.evidence.resolver == "203.0.113.53:53")
        #expect(s.evidence.vpnEndpoint == "203.0.113.80:51820 (wireguard)")
        #expect(s.evidence.destinations == ["203.0.113.80:80/tcp"])
        #expect(a.findings.first { $0.class == .traffic }?.severity == .low)
    }

    @Test func reconnectToASecondEndpoint() throws {
        let a = try lab.run("lab-reconnect.pcapng")
        #expect(a.findings.map(\.class) == [.dns, .tunnelFailure, .traffic])
        let w = try #require(a.leakWindows?.first)
        #expect(a.leakWindows?.count == 1)
        #expect(w.event == "endpoint-switch")
        #expect(w.eventDetail.hasPrefix("the carrier moved from 192.0.2.2:51820 to 192.0.2.3:51820: WireGuard handshake initiation, frame 130 of "))
        #expect(w.eventFrames == [130])
        #expect(w.durationMs == 2_138 && w.packets == 16 && w.frames == Array(114...129) && w.classes == ["dns", "traffic"])
        #expect(w.tunnelFailure && !w.openAtEnd && w.interface == "eth0")
        #expect(w.judgement == "the client re-established the tunnel, and meanwhile traffic that went through it before (to 203.0.113.53) went around it")
        let f = try #require(a.findings.first { $0.class == .tunnelFailure })
        #expect(f.id == w.findingId && f.evidence.window == w.id && f.evidence.tunnelEvent == "endpoint-switch")
        #expect(f.title == "Tunnel switched to another VPN endpoint after 2.138 s of quiet while 16 packets left outside it")
    }
}
