import Correlation
import Dissectors
import Testing
import TestCaptures

/// End-to-end: byte-built captures through `Correlation.analyze`, with exact findings.
func analyze(_ b: CaptureBuilder, options: AnalysisOptions = AnalysisOptions(), name: String = "s.pcapng",
             classic: UInt32? = nil) throws -> (Analysis, String) {
    let bytes = classic.map { b.pcap(linkType: $0) } ?? b.pcapng()
    let path = CaptureBuilder.write(bytes, name: name)
    return (try Correlation.analyze(paths: [path], options: options), path)
}

let host = "192.0.2.2", endpoint = "203.0.113.1", stunServer = "203.0.113.10", resolver = "198.51.100.53"
let publicAddr = "198.51.100.2", web = "203.0.113.80"

/// eth0 (host 192.0.2.2) + wg0 (10.66.0.2) with a WireGuard handshake, frames 1-3.
func wireGuardSession() -> (CaptureBuilder, eth: Int, wg: Int) {
    var b = CaptureBuilder()
    let eth = b.interface("eth0", 1, addresses: [host])
    let wg = b.interface("wg0", 101)
    b.add(eth, Pkt.arpRequest())                                                                   // 1
    b.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgInitiation(sender: 0x1234))))  // 2
    b.add(eth, Pkt.ether(Pkt.udp(endpoint, 51820, host, 40001, Pkt.wgResponse(sender: 0x9999, receiver: 0x1234)), out: false)) // 3
    return (b, eth, wg)
}

@Suite struct CleanCaptures {
    @Test func wireGuardCarrierAndHousekeepingOnlyIsNoLeak() throws {
        var (b, eth, wg) = wireGuardSession()
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("a.example", id: 7)))        // 4
        b.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgData(receiver: 0x9999, counter: 0)))) // 5
        b.add(eth, Pkt.ether(Pkt.udp(endpoint, 51820, host, 40001, Pkt.wgData(receiver: 0x1234, counter: 0)), out: false)) // 6
        let (a, path) = try analyze(b)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        let ep = try #require(a.tunnel.vpnEndpoints.first)
        #expect(a.tunnel.vpnEndpoints.count == 1)
        #expect([ep.address, ep.port.map(String.init), ep.transport, ep.protocol, ep.decidedBy]
                == [endpoint, "51820", "udp", "wireguard", "WireGuard handshake initiation/response, frames 2/3 of \(path)"])
        #expect(a.tunnel.interfaces.map(\.role) == [.physical, .tunnel])
        #expect(a.tunnel.interfaces[1].decidedBy == "name pattern wg*")
        #expect(a.tunnel.hostAddresses.first?.decidedBy == "pcapng if_IPv4addr")
        #expect(a.packetVerdicts == ["housekeeping": 1, "carrier": 4, "tunnel": 1])
    }

    @Test func mdnsOnlyIsAnObservationNotAFinding() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [host])
        b.add(eth, Pkt.ether(Pkt.udp(host, 5353, "224.0.0.251", 5353,
                                     Pkt.dnsResponse(id: 0, "1f0e3dad.local", answers: ["10.66.0.2"]))))
        b.add(eth, Pkt.ether(Pkt.udp("fe80::1", 5353, "ff02::fb", 5353, Pkt.dnsQuery("printer.local", id: 0))))
        let (a, _) = try analyze(b)
        // No finding; but with neither a VPN carrier nor a canary on eth0 nothing shows the sensor would
        // have seen a leak there: the positive control makes that "cannot tell" (docs/leak-model.md).
        #expect(a.verdict.status == .cannotTell)
        #expect(a.verdict.reason.hasSuffix("but a leak could have gone unseen: eth0: neither the tunnel's carrier nor a canary is seen on it: nothing shows the sensor would see a packet sent there"))
        #expect(a.findings.isEmpty)
        #expect(a.observations.count == 1)
        #expect(a.observations.first?.kind == "mdns")
        #expect(a.observations.first?.frames == [1, 2])
        #expect(a.observations.first?.names == ["1f0e3dad.local", "printer.local"])
        #expect(a.observations.first?.answers == ["10.66.0.2"])
    }

    @Test func onlyTheTunnelCapturedCannotTell() throws {
        var b = CaptureBuilder()
        let wg = b.interface("wg0", 101)
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("a.example", id: 7)))
        let (a, _) = try analyze(b)
        #expect(a.verdict.status == .cannotTell)
        #expect(a.verdict.reason == "only tunnel interfaces were captured (wg0): no leak can be seen from it")
        #expect(a.findings.isEmpty)
    }

    @Test func openVPNOverUDPIsCarrier() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [host])
        b.add(eth, Pkt.ether(Pkt.udp(host, 50000, endpoint, 1194, Pkt.openvpnClientReset())))
        b.add(eth, Pkt.ether(Pkt.udp(endpoint, 1194, host, 50000, Pkt.openvpnServerReset()), out: false))
        b.add(eth, Pkt.ether(Pkt.udp(host, 50000, endpoint, 1194, Pkt.openvpnClientAck())))
        b.add(eth, Pkt.ether(Pkt.udp(host, 50000, endpoint, 1194, Pkt.openvpnData())))
        let (a, path) = try analyze(b)
        #expect(a.findings.isEmpty)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.tunnel.vpnEndpoints.map(\.decidedBy) == ["OpenVPN client hard reset / server hard reset, frames 1/2 of \(path)"])
        #expect(a.packetVerdicts["carrier"] == 4)
    }

    /// Off port 1194 the dissector follows the conversation a client hard reset began (docs/dissect.md);
    /// the reset pair still needs the session kept after it.
    @Test func openVPNOverUDPOnAnotherPort() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [host])
        b.add(eth, Pkt.ether(Pkt.udp(host, 50000, endpoint, 443, Pkt.openvpnClientReset())))
        b.add(eth, Pkt.ether(Pkt.udp(endpoint, 443, host, 50000, Pkt.openvpnServerReset()), out: false))
        b.add(eth, Pkt.ether(Pkt.udp(host, 50000, endpoint, 443, Pkt.openvpnClientAck())))
        b.add(eth, Pkt.ether(Pkt.udp(host, 50000, endpoint, 443, Pkt.openvpnData())))
        let (a, path) = try analyze(b)
        #expect(a.findings.isEmpty)
        #expect(a.tunnel.vpnEndpoints.map(\.decidedBy) == ["OpenVPN client hard reset / server hard reset, frames 1/2 of \(path)"])
        // The resets alone (no session after them) name no endpoint: it stays a low finding.
        var r = CaptureBuilder()
        let e2 = r.interface("eth0", 1, addresses: [host])
        for f in b.frames.prefix(2) { r.add(e2, f.bytes) }
        let (alone, _) = try analyze(r)
        #expect(alone.tunnel.vpnEndpoints.isEmpty)
        #expect(alone.findings.map(\.severity) == [.low])
        #expect(alone.findings.first?.evidence.looksLike == "openvpn")
    }

    @Test func openVPNOverTCPIsCarrier() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [host])
        b.add(eth, Pkt.ether(Pkt.tcp(host, 50000, endpoint, 1194, flags: Pkt.syn)))
        b.add(eth, Pkt.ether(Pkt.tcp(endpoint, 1194, host, 50000, flags: Pkt.synAck), out: false))
        b.add(eth, Pkt.ether(Pkt.tcp(host, 50000, endpoint, 1194, flags: Pkt.ack | Pkt.psh, seq: 2, Pkt.openvpnClientReset(tcp: true))))
        b.add(eth, Pkt.ether(Pkt.tcp(endpoint, 1194, host, 50000, flags: Pkt.ack | Pkt.psh, seq: 2, Pkt.openvpnServerReset(tcp: true)), out: false))
        let ack = Pkt.openvpnClientReset(tcp: true).count
        b.add(eth, Pkt.ether(Pkt.tcp(host, 50000, endpoint, 1194, flags: Pkt.ack | Pkt.psh, seq: 2 + UInt32(ack), Pkt.openvpnClientAck(tcp: true))))
        let (a, path) = try analyze(b)
        #expect(a.findings.isEmpty)
        #expect(a.tunnel.vpnEndpoints.first?.transport == "tcp")
        #expect(a.tunnel.vpnEndpoints.first?.decidedBy == "OpenVPN client hard reset / server hard reset, frames 3/4 of \(path)")
        #expect(a.packetVerdicts["carrier"] == 5)
    }

    @Test func ikeAndESPAreCarrier() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [host])
        b.add(eth, Pkt.ether(Pkt.udp(host, 500, endpoint, 500, Pkt.ikeSAInit(response: false))))
        b.add(eth, Pkt.ether(Pkt.udp(endpoint, 500, host, 500, Pkt.ikeSAInit(response: true)), out: false))
        b.add(eth, Pkt.ether(Pkt.ipPacket(host, endpoint, proto: 50, Pkt.esp(spi: 0x1000, seq: 1))))
        b.add(eth, Pkt.ether(Pkt.ipPacket(endpoint, host, proto: 50, Pkt.esp(spi: 0x2000, seq: 1)), out: false))
        let (a, path) = try analyze(b)
        #expect(a.findings.isEmpty)
        #expect(a.tunnel.vpnEndpoints.map(\.decidedBy) == ["IKE_SA_INIT request, frame 1 of \(path)"])
        #expect(a.packetVerdicts["carrier"] == 4)
    }

    @Test func unsolicitedInboundIsAnObservation() throws {
        var (b, eth, _) = wireGuardSession()
        b.add(eth, Pkt.ether(Pkt.tcp("198.51.100.7", 40000, host, 22, flags: Pkt.syn), out: false))   // 4
        let (a, _) = try analyze(b)
        #expect(a.findings.isEmpty)
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.observations.map(\.kind) == ["inbound-only"])
        #expect(a.observations.first?.frames == [4])
        #expect(a.packetVerdicts["inbound-only"] == 1)
    }
}
