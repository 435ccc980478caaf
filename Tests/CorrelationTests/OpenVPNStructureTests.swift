@testable import Correlation
import Dissectors
import Foundation
import Testing
import TestCaptures

// OpenVPN over UDP in a capture that missed the hard reset, on any port (carrier rule
// openvpn-structure, docs/leak-model.md): recognised by the fields OpenVPNCandidate reads,
// kept consistent in both directions; never by the port.

private let client = "198.51.100.7", server = "192.0.2.44"
private let t0: Int64 = 1_700_000_000_000_000_000
private let cs: UInt64 = 0x1122_3344_5566_7788, ss: UInt64 = 0x8877_6655_4433_2211

private func assumption(_ a: Analysis, _ prefix: String) -> String? { a.assumptions.first { $0.hasPrefix(prefix) } }

/// One packet each way per round, 10 ms apart.
private func exchange(_ b: inout CaptureBuilder, _ eth: Int, port: UInt16, rounds: Range<Int>,
                      _ up: (Int) -> [UInt8], _ down: (Int) -> [UInt8]) {
    for i in rounds {
        let t = t0 + Int64(i) * 10_000_000
        b.add(eth, Pkt.ether(Pkt.udp(client, 50000, server, port, up(i))), at: t)
        b.add(eth, Pkt.ether(Pkt.udp(server, port, client, 50000, down(i)), out: false), at: t + 2_000_000)
    }
}

/// A renegotiation's control packets with tls-auth (HMAC-SHA1), then AEAD P_DATA_V2 both ways: 16 packets.
private func tlsAuthSession(_ b: inout CaptureBuilder, _ eth: Int, port: UInt16) {
    exchange(&b, eth, port: port, rounds: 0..<2,
             { Pkt.openvpnTLSAuth(opcode: $0 == 0 ? 4 : 5, session: cs, packetID: UInt32(5 + $0)) },
             { Pkt.openvpnTLSAuth(opcode: $0 == 0 ? 5 : 4, session: ss, packetID: UInt32(6 + $0)) })
    exchange(&b, eth, port: port, rounds: 2..<8,
             { Pkt.openvpnDataV2(peer: 7, packetID: UInt32(100 + $0), size: 40 + 13 * $0) },
             { Pkt.openvpnDataV2(peer: 7, packetID: UInt32(900 + $0), size: 200 - 9 * $0) })
}

@Suite struct OpenVPNStructurePositives {
    @Test(arguments: [UInt16(443), 51000])
    func tlsAuthWithoutResetOffPort1194(port: UInt16) throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        tlsAuthSession(&b, eth, port: port)
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        #expect(a.packetVerdicts["carrier"] == 16)
        let e = try #require(a.tunnel.vpnEndpoints.first)
        #expect(a.tunnel.vpnEndpoints.count == 1)
        #expect(e.address == server && e.port == Int(port) && e.transport == "udp" && e.protocol == "openvpn")
        #expect(e.decidedBy.hasPrefix("carrier by structure (carrier rule openvpn-structure): OpenVPN over UDP read by structure off port 1194 without a hard reset in the capture: 16 packets (8 from 198.51.100.7:50000, 8 from 192.0.2.44:\(port)); data channel: 12 P_DATA_V2 with peer id 7 / 7, key id 0, AEAD packet ids increasing (10 steps, 0 reordered, 0 out of line); control channel: 4 packets, session id 0x1122334455667788 / 0x8877665544332211, tls-auth HMAC 20 bytes layout (time 1700000000) / tls-auth HMAC 20 bytes layout (time 1700000000), packet ids increasing; frames 1-16 of "))
        #expect(e.decidedBy.hasSuffix("; the tunnel's carrier (the dominant carrier flow: 16 of 16 carrier-protocol packets)"))
        #expect(a.tunnel.hostAddresses.map(\.address) == [client])
        #expect(a.tunnel.hostAddresses.first?.decidedBy.hasSuffix("it sent the flow's first packet") == true)
        #expect(assumption(a, "carrier rule openvpn-structure: a UDP flow on any port whose every payload, in both directions, reads as mid-session OpenVPN") != nil)
        #expect(assumption(a, "carrier rule dominant-flow: ") != nil)
    }

    /// On 1194 the dissector decodes OpenVPN by port, and openvpn-session judges the flow as before.
    @Test func tlsAuthWithoutResetOnPort1194() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        tlsAuthSession(&b, eth, port: 1194)
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        #expect(a.packetVerdicts["carrier"] == 16)
        let e = try #require(a.tunnel.vpnEndpoints.first)
        #expect(e.address == server && e.port == 1194 && e.transport == "udp" && e.protocol == "openvpn")
        #expect(e.decidedBy.hasPrefix("carrier by structure (carrier rule openvpn-session): OpenVPN over UDP both ways without a hard reset in the capture: 16 messages (8 from 198.51.100.7:50000, 8 from 192.0.2.44:1194), control channel with session id 0x1122334455667788 / 0x8877665544332211 (4 packets), 12 P_DATA_V2 with peer id 7 / 7; frames 1-16 of "))
        #expect(a.tunnel.hostAddresses.first?.decidedBy.hasSuffix("the other side uses the openvpn server port 1194") == true)
    }

    @Test func tlsCryptWithoutReset() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        exchange(&b, eth, port: 1197, rounds: 0..<3,
                 { Pkt.openvpnTLSCrypt(opcode: $0 == 1 ? 5 : 4, session: cs, packetID: UInt32(20 + $0), time: 1_699_990_000, key: 1) },
                 { Pkt.openvpnTLSCrypt(opcode: $0 == 1 ? 4 : 5, session: ss, packetID: UInt32(31 + $0), time: 1_699_980_000, key: 1) })
        exchange(&b, eth, port: 1197, rounds: 3..<8,
                 { Pkt.openvpnDataV2(peer: 0x00_0102, packetID: UInt32($0), size: 60 + $0, key: 1) },
                 { Pkt.openvpnDataV2(peer: 0x00_0102, packetID: UInt32(5 + $0), size: 90, key: 1) })
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        let e = try #require(a.tunnel.vpnEndpoints.first)
        #expect(e.address == server && e.port == 1197 && e.protocol == "openvpn")
        #expect(e.decidedBy.hasPrefix("carrier by structure (carrier rule openvpn-structure): OpenVPN over UDP read by structure off port 1194 without a hard reset in the capture: 16 packets (8 from 198.51.100.7:50000, 8 from 192.0.2.44:1197); data channel: 10 P_DATA_V2 with peer id 258 / 258, key id 1, AEAD packet ids increasing (8 steps, 0 reordered, 0 out of line); control channel: 6 packets, session id 0x1122334455667788 / 0x8877665544332211, tls-crypt layout (time 1699990000) / tls-crypt layout (time 1699980000), packet ids increasing; frames 1-16 of "))
    }

    /// The usual mid-session capture: data only, across a key renegotiation (key id 0 -> 1, packet ids restart).
    @Test func aeadDataOnlyAcrossARenegotiation() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        exchange(&b, eth, port: 51000, rounds: 0..<10,
                 { Pkt.openvpnDataV2(peer: 3, packetID: $0 < 6 ? UInt32(70_000 + $0) : UInt32($0 - 5), size: 80, key: $0 < 6 ? 0 : 1) },
                 { Pkt.openvpnDataV2(peer: 3, packetID: $0 < 7 ? UInt32(40_000 + $0) : UInt32($0 - 6), size: 120, key: $0 < 7 ? 0 : 1) })
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        let e = try #require(a.tunnel.vpnEndpoints.first)
        #expect(e.decidedBy.hasPrefix("carrier by structure (carrier rule openvpn-structure): OpenVPN over UDP read by structure off port 1194 without a hard reset in the capture: 20 packets (10 from 198.51.100.7:50000, 10 from 192.0.2.44:51000); data channel: 20 P_DATA_V2 with peer id 3 / 3, key id 0, 1, AEAD packet ids increasing (16 steps, 0 reordered, 0 out of line); frames 1-20 of "))
    }

    @Test func cbcDataV1Only() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        exchange(&b, eth, port: 1195, rounds: 0..<8,
                 { Pkt.openvpnDataCBC(blocks: 3 + $0 % 4, fill: UInt8(0x30 + $0), key: 2) },
                 { Pkt.openvpnDataCBC(blocks: 6 - $0 % 3, fill: UInt8(0x90 + $0), key: 2) })
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        let e = try #require(a.tunnel.vpnEndpoints.first)
        #expect(e.decidedBy.hasPrefix("carrier by structure (carrier rule openvpn-structure): OpenVPN over UDP read by structure off port 1194 without a hard reset in the capture: 16 packets (8 from 198.51.100.7:50000, 8 from 192.0.2.44:1195); data channel: 16 P_DATA_V1, key id 2, CBC lengths of whole blocks (85-133 / 101-133 bytes, 4 mod 16 after the header); frames 1-16 of "))
    }

    @Test func aDNSLeakBesideTheCarrierIsStillFound() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        tlsAuthSession(&b, eth, port: 443)                                                                            // 1-16
        b.add(eth, Pkt.ether(Pkt.udp(client, 53001, resolver, 53, Pkt.dnsQuery("leaked.example", id: 3))), at: t0 + 100_000_000)  // 17
        b.add(eth, Pkt.ether(Pkt.udp(resolver, 53, client, 53001, Pkt.dnsResponse(id: 3, "leaked.example", answers: ["203.0.113.9"])), out: false),
              at: t0 + 101_000_000)                                                                                   // 18
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .leaksFound)
        #expect(a.findings.map(\.class) == [.dns])
        #expect(a.findings.map(\.frames) == [[17, 18]])
        #expect(a.tunnel.vpnEndpoints.map { "\($0.address):\($0.port ?? 0) \($0.protocol)" } == ["192.0.2.44:443 openvpn"])
        #expect(a.packetVerdicts["carrier"] == 16)
    }

    /// Fewer than 8 packets: not enough to tell.
    @Test func tooFewPacketsStayALeak() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        exchange(&b, eth, port: 443, rounds: 0..<3,
                 { Pkt.openvpnDataV2(peer: 7, packetID: UInt32(1 + $0)) }, { Pkt.openvpnDataV2(peer: 7, packetID: UInt32(1 + $0)) })
        let (a, _) = try analyze(b)
        #expect(a.tunnel.vpnEndpoints.isEmpty)
        #expect(a.findings.map(\.class) == [.traffic])
        #expect(a.findings.first?.packets == 6)
    }
}
