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

    /// UDP 53 (past firewalls): the dissector decodes DNS there, but these datagrams are no well-formed
    /// DNS message, so they are read as candidates too; the carrier is no DNS leak.
    @Test func tlsAuthWithoutResetOnPort53() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        tlsAuthSession(&b, eth, port: 53)
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        #expect(a.packetVerdicts["carrier"] == 16)
        #expect(a.tunnel.vpnEndpoints.map { "\($0.address):\($0.port ?? 0) \($0.protocol)" } == ["192.0.2.44:53 openvpn"])
        #expect(a.tunnel.vpnEndpoints.first?.decidedBy.hasPrefix("carrier by structure (carrier rule openvpn-structure): OpenVPN over UDP read by structure off port 1194 without a hard reset in the capture: 16 packets") == true)
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

// MARK: - What must not read as OpenVPN

/// SplitMix64: a seeded generator, so every run builds the same bytes.
private struct Seeded {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in byte() } }
    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
}

/// Per-packet payloads of one flow (round, direction up) on `port`, both ways, 8 rounds.
private func negative(port: UInt16 = 40000, rounds: Int = 8, _ payload: (Int, Bool) -> [UInt8]) throws -> Analysis {
    var b = CaptureBuilder()
    let eth = b.interface("eth0", 1, addresses: [client])
    for i in 0..<rounds {
        let t = t0 + Int64(i) * 20_000_000
        b.add(eth, Pkt.ether(Pkt.udp(client, 50000, server, port, payload(i, true))), at: t)
        b.add(eth, Pkt.ether(Pkt.udp(server, port, client, 50000, payload(i, false)), out: false), at: t + 3_000_000)
    }
    return try analyze(b).0
}

/// Not OpenVPN: no endpoint, no openvpn-structure assumption, one high `traffic` finding with every packet.
private func expectPlainTraffic(_ a: Analysis, packets: Int = 16, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.tunnel.vpnEndpoints.isEmpty, sourceLocation: sourceLocation)
    #expect(assumption(a, "carrier rule openvpn-structure") == nil, sourceLocation: sourceLocation)
    #expect(a.findings.map(\.class) == [.traffic], sourceLocation: sourceLocation)
    #expect(a.findings.first?.severity == .high, sourceLocation: sourceLocation)
    #expect(a.findings.first?.packets == packets, sourceLocation: sourceLocation)
    #expect(a.findings.first?.evidence.looksLike == nil, sourceLocation: sourceLocation)
    #expect(a.verdict.status == .leaksFound, sourceLocation: sourceLocation)
}

@Suite struct OpenVPNStructureNegatives {
    /// Random payloads in four shapes, 250 flows each (16 packets a flow, 8 each way): fully random;
    /// a random mid-session opcode byte; P_DATA_V2 with one peer id per direction and random packet ids;
    /// P_DATA_V1 with one opcode byte and random lengths. False positives: 0 of 1,000 flows.
    @Test(arguments: 0..<4)
    func seededRandomFlowsAreNeverOpenVPN(shape: Int) throws {
        var r = Seeded(state: 0x5EED_0000 + UInt64(shape))
        let opcodeBytes: [UInt8] = Array(0x18...0x2F) + Array(0x30...0x37) + Array(0x48...0x4F)
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [client])
        let flows = 250
        for f in 0..<flows {
            let peerUp = r.bytes(3), peerDown = r.bytes(3)
            let remote = "203.0.113.\(1 + f % 200)", port = UInt16(1_024 + r.int(0...60_000)), local = UInt16(10_000 + f)
            for i in 0..<8 {
                for up in [true, false] {
                    var p = r.bytes(r.int(20...1_400))
                    switch shape {
                    case 1: p[0] = opcodeBytes[r.int(0...opcodeBytes.count - 1)]
                    case 2: p[0] = 0x48; p[1...3] = (up ? peerUp : peerDown)[0...2]
                    case 3: p[0] = 0x30
                    default: break
                    }
                    let t = t0 + Int64(f) * 1_000_000_000 + Int64(i) * 20_000_000 + (up ? 0 : 3_000_000)
                    b.add(eth, Pkt.ether(up ? Pkt.udp(client, local, remote, port, p) : Pkt.udp(remote, port, client, local, p), out: up), at: t)
                }
            }
        }
        // The control: one real AEAD data channel among them, on the same link, is recognised.
        for i in 0..<8 {
            let t = t0 - 1_000_000_000 + Int64(i) * 20_000_000
            b.add(eth, Pkt.ether(Pkt.udp(client, 9999, server, 443, Pkt.openvpnDataV2(peer: 5, packetID: UInt32(1 + i), size: 64 + i))), at: t)
            b.add(eth, Pkt.ether(Pkt.udp(server, 443, client, 9999, Pkt.openvpnDataV2(peer: 5, packetID: UInt32(40 + i))), out: false), at: t + 1_000_000)
        }
        let (a, _) = try analyze(b)
        #expect(a.tunnel.vpnEndpoints.map { "\($0.address):\($0.port ?? 0) \($0.protocol)" } == ["192.0.2.44:443 openvpn"])
        #expect(a.tunnel.vpnEndpoints.first?.decidedBy.hasPrefix("carrier by structure (carrier rule openvpn-structure): ") == true)
        #expect(a.packetVerdicts["carrier"] == 16)
        #expect(a.bounds.modelBoundsHit == 0)
        #expect(a.findings.reduce(0) { $0 + $1.packets } == flows * 16)
        #expect(a.verdict.status == .leaksFound)
    }

    /// QUIC short headers (RFC 9000 17.3): 0x40 | five protected bits, then an 8-byte connection id that
    /// stays: a quarter read as P_DATA_V2 with a steady "peer id", the rest as resets or WKC, key ids at random.
    @Test(arguments: [UInt16(443), 8443])
    func quicShortHeaders(port: UInt16) throws {
        var r = Seeded(state: 7)
        let up = r.bytes(8), down = r.bytes(8)
        let a = try negative(port: port) { _, u in [0x40 | (r.byte() & 0x1F)] + (u ? up : down) + r.bytes(r.int(30...1_200)) }
        expectPlainTraffic(a)
    }

    /// RTP and SRTP (version 2: first byte 0x80-0xBF, no OpenVPN opcode).
    @Test func rtpAndSRTP() throws {
        var r = Seeded(state: 11)
        let a = try negative { i, u in
            [0x80, 0x6F] + be16(UInt16(100 + i)) + be32(UInt32(160 * i)) + be32(u ? 0xAABB_CCDD : 0x1122_3344) + r.bytes(160) + r.bytes(u ? 10 : 0)
        }
        expectPlainTraffic(a)
    }

    /// DTLS 1.2 records (0x17 = opcode 2, a server reset with key id 7: not mid-session) and DTLS 1.3
    /// unified headers (0b001CSLEE: 0x2C-0x2F read as P_ACK_V1, their "session id" the record sequence).
    @Test func dtls() throws {
        var r = Seeded(state: 13)
        let v12 = try negative { i, _ in [0x17, 0xFE, 0xFD, 0, 1] + [0, 0] + be32(UInt32(i + 1)) + be16(100) + r.bytes(100) }
        expectPlainTraffic(v12)
        let v13 = try negative { i, _ in [0x2F] + be16(UInt16(i + 1)) + be16(120) + r.bytes(120) }
        expectPlainTraffic(v13)
    }

    /// uTP (BEP 29): ST_DATA (0x01, no opcode) and ST_STATE (0x21, reads as P_CONTROL_V1 whose
    /// "session id" holds a timestamp).
    @Test func utpBitTorrent() throws {
        var r = Seeded(state: 17)
        let a = try negative { i, u in
            let state = !u || i % 2 == 1
            var p: [UInt8] = [state ? 0x21 : 0x01, 0] + be16(u ? 0x3039 : 0x303A) + be32(UInt32(1_000_000 + 997 * i)) + be32(5_000)
            p += be32(1_048_576) + be16(UInt16(200 + i)) + be16(UInt16(77 + i))
            return state ? p : p + r.bytes(1_000)
        }
        expectPlainTraffic(a)
    }

    /// KCP (game traffic): the conversation id first, little-endian and the same both ways. A low byte of
    /// 0x49 reads as P_DATA_V2 key 1 with a steady peer id; 0x31 as P_DATA_V1 key 1; the "packet id"
    /// (command, fragment, window) does not count up.
    @Test(arguments: [UInt32(0x0A0B_0C49), 0x0A0B_0C31])
    func kcpGameTraffic(conversation: UInt32) throws {
        var r = Seeded(state: 19)
        let a = try negative { i, u in
            let push = u || i % 3 == 0
            let data = push ? r.bytes(r.int(20...400)) : []
            return le32(conversation) + [push ? 81 : 82, 0] + le16(UInt16(128 - i)) + le32(UInt32(5_000 + 33 * i))
                + le32(UInt32(i)) + le32(UInt32(i)) + le32(UInt32(data.count)) + data
        }
        expectPlainTraffic(a)
    }

    /// DNS on its port is DNS (a leak of names); on another port its ids are random opcode bytes.
    @Test func dns() throws {
        let on53 = try negative(port: 53) { i, u in
            u ? Pkt.dnsQuery("n\(i).example", id: UInt16(0x4800 + i)) : Pkt.dnsResponse(id: UInt16(0x4800 + i), "n\(i).example", answers: ["203.0.113.5"])
        }
        #expect(on53.tunnel.vpnEndpoints.isEmpty)
        #expect(on53.findings.map(\.class) == [.dns])
        #expect(on53.findings.first?.packets == 16)
        var r = Seeded(state: 23)
        let elsewhere = try negative(port: 5300) { i, u in
            let id = UInt16(truncatingIfNeeded: r.next())
            return u ? Pkt.dnsQuery("n\(i).example", id: id) : Pkt.dnsResponse(id: id, "n\(i).example", answers: ["203.0.113.5"])
        }
        expectPlainTraffic(elsewhere)
    }

    /// STUN and TURN ChannelData (0x40-0x4F, which would read as resets and P_DATA_V2) are decoded as
    /// what they are, never as OpenVPN candidates.
    @Test func stunAndTURN() throws {
        let a = try negative(port: 3478) { i, u in
            i < 2 ? (u ? Pkt.bindingRequest(Pkt.txn(UInt8(i))) : Pkt.bindingSuccess(Pkt.txn(UInt8(i)), mapped: client, 50000))
                  : be16(0x4001) + be16(100) + [UInt8](repeating: UInt8(i), count: 100)
        }
        #expect(a.tunnel.vpnEndpoints.isEmpty)
        #expect(assumption(a, "carrier rule openvpn-structure") == nil)
        #expect(a.findings.map(\.class) == [.webrtc])
    }

    /// WireGuard is WireGuard's carrier, never OpenVPN's.
    @Test func wireGuard() throws {
        let a = try negative(port: 51000) { i, u in Pkt.wgTransport(receiver: u ? 0x11 : 0x22, counter: UInt64(10 + i), inner: 80) }
        #expect(a.tunnel.vpnEndpoints.map(\.protocol) == ["wireguard"])
        #expect(assumption(a, "carrier rule openvpn-structure") == nil)
        #expect(a.findings.isEmpty)
    }

    /// A real OpenVPN data channel with one stray datagram that does not read as OpenVPN is not carrier.
    @Test func oneDatagramThatIsNotOpenVPNSpoilsTheFlow() throws {
        let a = try negative(port: 443) { i, u in
            i == 5 && u ? [0x80] + [UInt8](repeating: 1, count: 60) : Pkt.openvpnDataV2(peer: 7, packetID: UInt32(1 + i))
        }
        expectPlainTraffic(a)
    }
}

/// The real thing: OpenVPN 2.6 over UDP 443 with tls-crypt, captured after the tunnel was up
/// (Scripts/lab-openvpn; ground truth in captures/MANIFEST.md, "The OpenVPN recording").
@Suite struct OpenVPNLabCapture {
    static let path = CarrierCaptures.root + "/captures/lab-openvpn-established.pcapng"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: path), "captures/lab-openvpn-established.pcapng is absent"))
    func anEstablishedOpenVPNTunnelOnPort443IsItsCarrier() throws {
        let a = try CarrierCaptures.analyze(Self.path)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        #expect(a.packetVerdicts["carrier"] == 37)
        #expect(a.packetVerdicts["tunnel"] == 37)
        #expect(a.packetVerdicts["housekeeping"] == 3)
        let e = try #require(a.tunnel.vpnEndpoints.first)
        #expect(a.tunnel.vpnEndpoints.count == 1)
        #expect(e.address == "192.0.2.2" && e.port == 443 && e.transport == "udp" && e.protocol == "openvpn")
        #expect(e.decidedBy.hasPrefix("carrier by structure (carrier rule openvpn-structure): OpenVPN over UDP read by structure off port 1194 without a hard reset in the capture: 37 packets (18 from 198.51.100.2:49823, 19 from 192.0.2.2:443); data channel: 37 P_DATA_V2 with peer id 16316130 / 16316130, key id 0, AEAD packet ids increasing (35 steps, 0 reordered, 0 out of line); frames 2-74 of "))
        #expect(a.assumptions.contains { $0.hasPrefix("carrier rule openvpn-structure: ") })
    }
}
