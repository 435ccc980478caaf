@testable import Correlation
import Dissectors
import Foundation
import Testing
import TestCaptures

// Captures that start after the tunnel came up (issue 10): the carrier rules of
// docs/leak-model.md name the endpoint from the carrier's own structure, or from
// timing against a captured tunnel interface, and say so in the assumptions.

private let client = "198.51.100.7", server = "192.0.2.44", otherServer = "203.0.113.60"
private let t0: Int64 = 1_700_000_000_000_000_000

private func assumption(_ a: Analysis, _ prefix: String) -> String? { a.assumptions.first { $0.hasPrefix(prefix) } }

/// An inner packet of `length` IP bytes (UDP inside the tunnel).
private func innerUDP(_ length: Int, out: Bool = true) -> [UInt8] {
    let payload = [UInt8](repeating: 0x61, count: length - 28)
    return out ? Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 7, payload) : Pkt.udp("10.66.0.1", 7, "10.66.0.2", 5000, payload)
}

/// WireGuard transport data both ways with increasing counters, no handshake: the mid-session shape.
private func midSessionWireGuard(_ b: inout CaptureBuilder, _ eth: Int, from c: String = client, port cp: UInt16 = 43000,
                                 to s: String = server, port sp: UInt16 = 51820, rounds: Int = 6, start: Int64 = t0) {
    for i in 0..<rounds {
        b.add(eth, Pkt.ether(Pkt.udp(c, cp, s, sp, Pkt.wgTransport(receiver: 0xA1A1_0001, counter: 100 + UInt64(i), inner: 60 + 10 * i))),
              at: start + Int64(i) * 10_000_000)
        b.add(eth, Pkt.ether(Pkt.udp(s, sp, c, cp, Pkt.wgTransport(receiver: 0xB2B2_0002, counter: 7 + UInt64(i), inner: 100)), out: false),
              at: start + Int64(i) * 10_000_000 + 1_000_000)
    }
}

@Suite struct CarrierShapes {
    @Test func midSessionWireGuardOnThePhysicalInterfaceAlone() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        midSessionWireGuard(&b, eth)                                                                             // 1-12
        b.add(eth, Pkt.ether(Pkt.udp(client, 43000, server, 51820, Pkt.wgTransport(receiver: 0xA1A1_0001, counter: 106, inner: 0)))) // 13: keepalive
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        #expect(a.packetVerdicts["carrier"] == 13)
        let e = try #require(a.tunnel.vpnEndpoints.first)
        #expect(a.tunnel.vpnEndpoints.count == 1)
        #expect(e.address == server && e.port == 51820 && e.transport == "udp" && e.protocol == "wireguard")
        #expect(e.decidedBy.hasPrefix("carrier by structure (carrier rule wireguard-data): WireGuard transport data both ways without a handshake in the capture: 13 messages (7 from 198.51.100.7:43000, 6 from 192.0.2.44:51820), receiver index 0xa1a10001 / 0xb2b20002, counters increasing (11 steps, 0 reordered, 0 out of line), lengths 32 + 16n, 1 keepalives; frames 1-13 of "))
        #expect(e.decidedBy.hasSuffix("; the tunnel's carrier (the dominant carrier flow: 13 of 13 carrier-protocol packets)"))
        #expect(a.tunnel.hostAddresses.map(\.address) == [client])
        #expect(a.tunnel.hostAddresses.first?.decidedBy == "host side of the carrier flow 198.51.100.7:43000 <-> 192.0.2.44:51820 (carrier rule wireguard-data, frame 1): the other side uses the wireguard server port 51820")
        #expect(assumption(a, "carrier rule wireguard-data: a UDP flow that carries, in both directions, WireGuard transport messages") != nil)
        #expect(assumption(a, "carrier rule dominant-flow: ") != nil)
        #expect(assumption(a, "carrier rule tunnel-timing") == nil)
    }

    @Test func midSessionWireGuardMatchedWithTheTunnelInterface() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1), wg = b.interface("wg0", 101)
        for i in 0..<4 {
            let t = t0 + Int64(i) * 10_000_000
            let out = 60 + 16 * i, back = 90 + 7 * i
            // Sent: the tunnel sees the packet first, then it leaves encrypted 100 µs later.
            b.add(wg, innerUDP(out), at: t)
            b.add(eth, Pkt.ether(Pkt.udp(client, 60001, server, 60002, Pkt.wgTransport(receiver: 0x11, counter: UInt64(50 + i), inner: out))), at: t + 100_000)
            // Received: it arrives encrypted, the tunnel shows it 80 µs later.
            b.add(eth, Pkt.ether(Pkt.udp(server, 60002, client, 60001, Pkt.wgTransport(receiver: 0x22, counter: UInt64(9 + i), inner: back)), out: false), at: t + 3_000_000)
            b.add(wg, innerUDP(back, out: false), at: t + 3_080_000)
        }
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        let e = try #require(a.tunnel.vpnEndpoints.first)
        #expect(e.address == server && e.port == 60002)
        #expect(e.decidedBy.contains("; 8 of 8 data packets matched packets on tunnel interface wg0 within 100 µs (mean 90 µs; 4 of them after the tunnel packet, i.e. sent)"))
        #expect(e.decidedBy.hasSuffix("; the tunnel's carrier (the carrier flow the tunnel interface matched: 8 packets)"))
        // No server port, no known address: the timing says which side encrypts.
        #expect(a.tunnel.hostAddresses.first { $0.address == client }?.decidedBy.hasSuffix(
            "its packets follow the tunnel interface's and its peer's precede them (8 of 8 timing matches)") == true)
        #expect(assumption(a, "carrier rule tunnel-timing: ") != nil)
    }

    @Test func oneSidedWireGuardIsCarrierOnlyWhenTheTunnelInterfaceMatchesIt() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1), wg = b.interface("wg0", 101)
        for i in 0..<5 {
            let t = t0 + Int64(i) * 10_000_000
            b.add(wg, innerUDP(80 + i), at: t)
            b.add(eth, Pkt.ether(Pkt.udp(client, 43000, server, 51820, Pkt.wgTransport(receiver: 0x11, counter: UInt64(i), inner: 80 + i))), at: t + 200_000)
        }
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.tunnel.vpnEndpoints.first?.decidedBy.hasPrefix("timing against the tunnel interface (carrier rule tunnel-timing): WireGuard messages (5 from 198.51.100.7:43000, 0 from 192.0.2.44:51820) whose structure alone did not decide") == true)
        // The same packets without the tunnel interface: one side only resembles a carrier.
        var p = CaptureBuilder()
        let eth2 = p.interface("eth0", 1)
        for f in b.frames where f.interface == eth { p.add(eth2, f.bytes, at: f.time) }
        let (alone, _) = try analyze(p)
        #expect(alone.verdict.status == .leaksFound)
        #expect(alone.tunnel.vpnEndpoints.isEmpty)
        #expect(alone.findings.map(\.class) == [.traffic])
        #expect(alone.findings.first?.severity == .low)
        #expect(alone.findings.first?.evidence.looksLike == "wireguard")
        #expect(alone.findings.first?.frames == [1, 2, 3, 4, 5])
    }

    @Test func espAloneWithoutIKE() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        for i in 0..<4 {
            b.add(eth, Pkt.ether(Pkt.ipPacket(client, server, proto: 50, Pkt.esp(spi: 0xC0DE_0001, seq: UInt32(20 + i)))))
            b.add(eth, Pkt.ether(Pkt.ipPacket(server, client, proto: 50, Pkt.esp(spi: 0xC0DE_0002, seq: UInt32(3 + i))), out: false))
        }
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        let e = try #require(a.tunnel.vpnEndpoints.first)
        #expect(e.address == server && e.port == nil && e.transport == "ipsec" && e.protocol == "ipsec")
        #expect(e.decidedBy.hasPrefix("carrier by structure (carrier rule esp): ESP (IP protocol 50) without IKE in the capture: 8 packets, 4 from 198.51.100.7 with SPI 0xc0de0001, sequence numbers increasing; 4 from 192.0.2.44 with SPI 0xc0de0002, sequence numbers increasing; frames 1-8 of "))
        #expect(a.tunnel.hostAddresses.first?.decidedBy.hasSuffix("it sent the flow's first packet") == true)
        #expect(assumption(a, "carrier rule esp: ESP (IP protocol 50) is encrypted IPsec tunnel traffic by definition") != nil)
    }

    @Test func ipv6ESPIsCarrierNotAnIPv6Leak() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        for i in 0..<3 {
            b.add(eth, Pkt.ether(Pkt.ipPacket("2001:db8:1::7", "2001:db8:2::44", proto: 50, Pkt.esp(spi: 0x100, seq: UInt32(1 + i)))))
            b.add(eth, Pkt.ether(Pkt.ipPacket("2001:db8:2::44", "2001:db8:1::7", proto: 50, Pkt.esp(spi: 0x200, seq: UInt32(1 + i))), out: false))
        }
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        #expect(a.tunnel.vpnEndpoints.map(\.address) == ["2001:db8:2::44"])
        #expect(a.packetVerdicts["carrier"] == 6)
    }

    @Test func openvpnUDPWithTLSAuthAndNoReset() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        let cs: UInt64 = 0x1122_3344_5566_7788, ss: UInt64 = 0x8877_6655_4433_2211
        b.add(eth, Pkt.ether(Pkt.udp(client, 50000, server, 1194, Pkt.openvpnTLSAuth(opcode: 4, session: cs, packetID: 5))))            // 1
        b.add(eth, Pkt.ether(Pkt.udp(server, 1194, client, 50000, Pkt.openvpnTLSAuth(opcode: 5, session: ss, packetID: 6)), out: false)) // 2
        b.add(eth, Pkt.ether(Pkt.udp(server, 1194, client, 50000, Pkt.openvpnTLSAuth(opcode: 4, session: ss, packetID: 7)), out: false)) // 3
        b.add(eth, Pkt.ether(Pkt.udp(client, 50000, server, 1194, Pkt.openvpnTLSAuth(opcode: 5, session: cs, packetID: 6))))            // 4
        for i in 0..<3 {
            b.add(eth, Pkt.ether(Pkt.udp(client, 50000, server, 1194, Pkt.openvpnDataV2(peer: 7, packetID: UInt32(1 + i)))))
            b.add(eth, Pkt.ether(Pkt.udp(server, 1194, client, 50000, Pkt.openvpnDataV2(peer: 7, packetID: UInt32(1 + i))), out: false))
        }
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        let e = try #require(a.tunnel.vpnEndpoints.first)
        #expect(e.address == server && e.port == 1194 && e.transport == "udp" && e.protocol == "openvpn")
        #expect(e.decidedBy.hasPrefix("carrier by structure (carrier rule openvpn-session): OpenVPN over UDP both ways without a hard reset in the capture: 10 messages (5 from 198.51.100.7:50000, 5 from 192.0.2.44:1194), control channel with session id 0x1122334455667788 / 0x8877665544332211 (4 packets), 6 P_DATA_V2 with peer id 7 / 7; frames 1-10 of "))
        #expect(assumption(a, "carrier rule openvpn-session: ") != nil)
    }

    @Test func openvpnWhoseSessionIDChangesIsNotCarrier() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        for i in 0..<3 {
            b.add(eth, Pkt.ether(Pkt.udp(client, 50000, server, 1194, Pkt.openvpnTLSAuth(opcode: 4, session: UInt64(100 + i), packetID: UInt32(i)))))
            b.add(eth, Pkt.ether(Pkt.udp(server, 1194, client, 50000, Pkt.openvpnTLSAuth(opcode: 4, session: UInt64(200 + i), packetID: UInt32(i))), out: false))
        }
        let (a, _) = try analyze(b)
        #expect(a.tunnel.vpnEndpoints.isEmpty)
        #expect(a.findings.map(\.class) == [.traffic])
        #expect(a.findings.first?.evidence.looksLike == "openvpn")
    }

    @Test func tailscaleStyleWireGuardOnANonStandardPort() throws {
        var b = CaptureBuilder()
        let eth = b.interface(nil, 1)
        midSessionWireGuard(&b, eth, from: client, port: 41641, to: otherServer, port: 41641)
        let (a, _) = try analyze(b, name: "tailscale.pcap", classic: 1)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        #expect(a.tunnel.vpnEndpoints.map { "\($0.address):\($0.port ?? 0)" } == ["203.0.113.60:41641"])
        #expect(a.tunnel.hostAddresses.first?.decidedBy.hasSuffix("it sent the flow's first packet") == true)
    }

    @Test func ikeNATTKeepalivesFirstThenESPInUDP() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        let nated = "10.0.0.5"
        b.add(eth, Pkt.ether(Pkt.udp(nated, 4500, otherServer, 4500, Pkt.natKeepalive)))                                   // 1
        b.add(eth, Pkt.ether(Pkt.udp(nated, 4500, otherServer, 4500, Pkt.natKeepalive)))                                   // 2
        for i in 0..<3 {                                                                                                 // 3-8
            b.add(eth, Pkt.ether(Pkt.udp(nated, 4500, otherServer, 4500, Pkt.esp(spi: 0xAA00_0001, seq: UInt32(40 + i)))))
            b.add(eth, Pkt.ether(Pkt.udp(otherServer, 4500, nated, 4500, Pkt.esp(spi: 0xBB00_0002, seq: UInt32(30 + i))), out: false))
        }
        let marker: [UInt8] = [0, 0, 0, 0]
        b.add(eth, Pkt.ether(Pkt.udp(nated, 4500, otherServer, 4500, marker + Pkt.ikeInformational(initiatorSPI: 9, responderSPI: 10, fromInitiator: true, response: false, id: 4)))) // 9
        b.add(eth, Pkt.ether(Pkt.udp(otherServer, 4500, nated, 4500, marker + Pkt.ikeInformational(initiatorSPI: 9, responderSPI: 10, fromInitiator: false, response: true, id: 4)), out: false)) // 10
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        let e = try #require(a.tunnel.vpnEndpoints.first)
        #expect(e.address == otherServer && e.transport == "ipsec")
        #expect(e.decidedBy.hasPrefix("carrier by structure (carrier rule esp-in-udp): ESP-in-UDP (RFC 3948, past the non-ESP marker): 6 packets, 3 from 10.0.0.5:4500 with SPI 0xaa000001, sequence numbers increasing; 3 from 203.0.113.60:4500 with SPI 0xbb000002, sequence numbers increasing, 2 NAT-T keepalives, 2 IKE messages; frames 1-10 of "))
        #expect(a.tunnel.hostAddresses.first?.decidedBy.hasSuffix("it sets the IKEv2 initiator flag") == true)
        #expect(a.packetVerdicts["carrier"] == 10)
    }

    @Test func natTKeepalivesAlone() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        b.add(eth, Pkt.ether(Pkt.udp("10.0.0.5", 4500, otherServer, 4500, Pkt.natKeepalive)))
        b.add(eth, Pkt.ether(Pkt.udp("10.0.0.5", 4500, otherServer, 4500, Pkt.natKeepalive)), at: t0 + 20_000_000_000)
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.tunnel.vpnEndpoints.first?.decidedBy.hasPrefix("carrier by structure (carrier rule nat-t-keepalive): NAT-T keepalives only (no ESP or IKE in the capture): 2 from 10.0.0.5:4500") == true)
        #expect(a.tunnel.hostAddresses.first?.decidedBy.hasSuffix("it sends the NAT-T keepalives") == true)
    }
}

@Suite struct CarrierNegatives {
    @Test func randomUDPOnTheWireGuardPortStaysALeak() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [client])
        var x: UInt32 = 12345
        for i in 0..<6 {
            let bytes = (0..<(48 + 16 * i)).map { _ -> UInt8 in x = x &* 1_103_515_245 &+ 12345; return UInt8(truncatingIfNeeded: x >> 16) | 0x80 }
            b.add(eth, Pkt.ether(Pkt.udp(client, 43000, server, 51820, bytes)))
            b.add(eth, Pkt.ether(Pkt.udp(server, 51820, client, 43000, Array(bytes.reversed())), out: false))
        }
        let (a, _) = try analyze(b)
        #expect(a.tunnel.vpnEndpoints.isEmpty)
        #expect(a.findings.map(\.class) == [.traffic])
        #expect(a.findings.first?.severity == .high)
        #expect(a.findings.first?.packets == 12)
    }

    @Test func wireGuardLookalikeWithRandomCountersIsNotCarrier() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [client])
        var x: UInt64 = 99
        for _ in 0..<5 {
            x = x &* 6_364_136_223_846_793_005 &+ 1
            b.add(eth, Pkt.ether(Pkt.udp(client, 43000, server, 51820, Pkt.wgTransport(receiver: 1, counter: x, inner: 64))))
            x = x &* 6_364_136_223_846_793_005 &+ 1
            b.add(eth, Pkt.ether(Pkt.udp(server, 51820, client, 43000, Pkt.wgTransport(receiver: 2, counter: x, inner: 64)), out: false))
        }
        let (a, _) = try analyze(b)
        #expect(a.tunnel.vpnEndpoints.isEmpty)
        #expect(a.findings.map(\.class) == [.traffic])
        #expect(a.findings.first?.evidence.looksLike == "wireguard")
        #expect(a.verdict.status == .leaksFound)
    }

    @Test func wireGuardLookalikeWithWrongLengthsIsNotCarrier() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [client])
        for i in 0..<4 {
            b.add(eth, Pkt.ether(Pkt.udp(client, 43000, server, 51820, Pkt.wgData(receiver: 1, counter: UInt64(i), size: 70))))   // 86 bytes: not 32 + 16n
            b.add(eth, Pkt.ether(Pkt.udp(server, 51820, client, 43000, Pkt.wgData(receiver: 2, counter: UInt64(i), size: 70)), out: false))
        }
        let (a, _) = try analyze(b)
        #expect(a.tunnel.vpnEndpoints.isEmpty)
        #expect(a.findings.first?.evidence.looksLike == "wireguard")
    }

    @Test func aRealLeakNextToTheCarrierStaysALeak() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        midSessionWireGuard(&b, eth)                                                                                      // 1-12
        b.add(eth, Pkt.ether(Pkt.udp(client, 53001, "198.51.100.53", 53, Pkt.dnsQuery("leaked.example", id: 3))))      // 13
        b.add(eth, Pkt.ether(Pkt.tcp(client, 41000, "203.0.113.80", 80, flags: Pkt.syn)))                              // 14
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .leaksFound)
        #expect(a.findings.map(\.class) == [.dns, .traffic])
        #expect(a.findings.map(\.frames) == [[13], [14]])
        #expect(a.findings.allSatisfy { $0.severity == .high })
        #expect(a.tunnel.vpnEndpoints.map(\.address) == [server])
    }

    @Test func timingNeverMakesANonVPNFlowCarrier() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1), wg = b.interface("wg0", 101)
        let quicFirstBytes: [UInt8] = [0x41, 0x47, 0x5B, 0x62, 0x7D]
        for i in 0..<5 {
            let t = t0 + Int64(i) * 10_000_000, n = 64 + 16 * i
            b.add(wg, innerUDP(n), at: t)
            // A QUIC-like flow outside the tunnel whose sizes happen to fit WireGuard's relation.
            b.add(eth, Pkt.ether(Pkt.udp(client, 44000, "203.0.113.99", 443, [quicFirstBytes[i]] + [UInt8](repeating: 0x9C, count: (n + 15) / 16 * 16 + 31))), at: t + 100_000)
        }
        let (a, _) = try analyze(b)
        #expect(a.tunnel.vpnEndpoints.isEmpty)
        #expect(a.findings.contains { $0.class == .traffic && $0.severity == .high && $0.frames == [2, 4, 6, 8, 10] })
    }

    /// QUIC short headers start with 0b01xxxxxx: 0x40 reads as an OpenVPN server hard reset (opcode 8, key 0)
    /// and 0x50 as a client one (opcode 10). One such packet neither names an endpoint nor lowers the severity.
    @Test func aQUICPacketThatReadsAsAnOpenVPNResetNamesNoEndpoint() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [client])
        for (i, first) in [UInt8(0x43), 0x50, 0x6A, 0x40, 0x71, 0x4C, 0x5E, 0x66].enumerated() {
            let payload = [first] + [UInt8](repeating: UInt8(0x20 + i), count: 60)
            b.add(eth, Pkt.ether(Pkt.udp(client, 44000, "203.0.113.99", 443, payload)))
            b.add(eth, Pkt.ether(Pkt.udp("203.0.113.99", 443, client, 44000, [first ^ 0x10] + payload.dropFirst()), out: false))
        }
        let (a, _) = try analyze(b)
        #expect(a.tunnel.vpnEndpoints.isEmpty)
        #expect(a.findings.map(\.class) == [.traffic])
        #expect(a.findings.first?.severity == .high)
        #expect(a.findings.first?.evidence.looksLike == nil)
        #expect(a.findings.first?.packets == 16)
    }

    @Test func aSecondCarrierToAnotherServerIsAnotherVPNNotALeak() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        midSessionWireGuard(&b, eth)                                                                       // 1-12: the tunnel
        midSessionWireGuard(&b, eth, port: 43001, to: otherServer, rounds: 2, start: t0 + 500_000_000)       // 13-16: another VPN
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        #expect(a.tunnel.vpnEndpoints.map(\.address) == [server, otherServer])
        let other = try #require(a.tunnel.vpnEndpoints.last)
        #expect(other.decidedBy.hasSuffix("; another VPN: a carrier flow to a second server besides the tunnel's (192.0.2.44)"))
        #expect(a.assumptions.contains { $0.hasPrefix("another VPN's endpoint 203.0.113.60:51820 (wireguard): ") })
        let o = try #require(a.observations.first { $0.kind == "another-vpn" })
        #expect(o.frames == [13, 14, 15, 16])
        #expect(o.names == ["203.0.113.60:51820 (wireguard)"])
        #expect(o.sources == [otherServer])
        #expect(a.packetVerdicts["carrier"] == 16)
    }

    @Test func theFlowTableBoundIsCountedAndStated() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        midSessionWireGuard(&b, eth)                                                                     // 1-12
        midSessionWireGuard(&b, eth, port: 43001, to: otherServer, rounds: 2, start: t0 + 500_000_000)     // 13-16
        var o = AnalysisOptions()
        o.limits.maxCarrierFlows = 1
        let (a, _) = try analyze(b, options: o)
        #expect(a.bounds.modelBoundsHit == 4)
        #expect(a.assumptions.contains("carrier flow table full (1 flows): 4 VPN-protocol packets of further flows were not tracked, so no carrier rule judged those flows"))
        // Not tracked means judged without carrier rules: reported, never passed silently.
        #expect(a.findings.map(\.class) == [.traffic])
        #expect(a.findings.first?.evidence.looksLike == "wireguard")
        #expect(a.findings.first?.frames == [13, 14, 15, 16])
    }

    @Test func givenEndpointsTurnTheRulesOff() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        midSessionWireGuard(&b, eth)
        var o = AnalysisOptions()
        o.vpnEndpoints = [EndpointSpec(parsing: "203.0.113.60:51820")!]
        let (a, _) = try analyze(b, options: o)
        #expect(a.tunnel.vpnEndpoints.map(\.decidedBy) == ["option --vpn-endpoint"])
        #expect(a.findings.first?.evidence.looksLike == "wireguard")
    }
}

@Suite struct CarrierTimingUnits {
    @Test func wireGuardSizeRelation() {
        #expect(CarrierTiming.sizesMatch(outer: 80, inner: 40, wireguard: true))     // 32 + 48
        #expect(CarrierTiming.sizesMatch(outer: 80, inner: 48, wireguard: true))
        #expect(!CarrierTiming.sizesMatch(outer: 80, inner: 49, wireguard: true))
        #expect(!CarrierTiming.sizesMatch(outer: 96, inner: 40, wireguard: true))
        // MTU-capped padding: 1420-byte plaintext in a 1452-byte message.
        #expect(CarrierTiming.sizesMatch(outer: 1452, inner: 1420, wireguard: true))
        #expect(!CarrierTiming.sizesMatch(outer: 1451, inner: 1420, wireguard: true))
        #expect(CarrierTiming.sizesMatch(outer: 140, inner: 100, wireguard: false))
        #expect(!CarrierTiming.sizesMatch(outer: 110, inner: 100, wireguard: false))
        #expect(!CarrierTiming.sizesMatch(outer: 400, inner: 100, wireguard: false))
    }

    @Test func matchesOnceWithinTheWindowAndNeverOnTheSameInterface() {
        var t = CarrierTiming(window: 20_000_000)
        let eth = InterfaceKey(fileIndex: 0, interfaceID: 0), wg = InterfaceKey(fileIndex: 0, interfaceID: 1)
        #expect(t.tunnelPacket(time: 1_000, size: 100, interface: wg) == nil)
        let m = t.outerPacket(time: 51_000, size: 144, wireguard: true, interface: eth, slot: 3, fromLow: true)
        #expect(m?.slot == 3 && m?.delay == 50_000 && m?.outerAfterInner == true && m?.tunnel == wg)
        // The tunnel packet is used up; a second outer packet of the same size finds nothing.
        #expect(t.outerPacket(time: 52_000, size: 144, wireguard: true, interface: eth, slot: 3, fromLow: true) == nil)
        // Same interface: never a match.
        #expect(t.tunnelPacket(time: 60_000, size: 100, interface: eth) == nil)
        // Beyond the window: no match.
        #expect(t.tunnelPacket(time: 100_000_000, size: 100, interface: wg) == nil)
        #expect(t.outerPacket(time: 200_000_000, size: 144, wireguard: true, interface: eth, slot: 1, fromLow: false) == nil)
        #expect(formatDelay(2_470_000) == "2.47 ms" && formatDelay(282_000) == "282 µs" && formatDelay(20_000_000) == "20.00 ms")
    }
}
