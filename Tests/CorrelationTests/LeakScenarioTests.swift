import Correlation
import Dissectors
import Testing
import TestCaptures

@Suite struct LeakClasses {
    /// One capture with every class: STUN (both ways), DNS with ECS, IPv6 EUI-64, HTTP tied to the DNS answer.
    func everyClass() -> CaptureBuilder {
        var (b, eth, wg) = wireGuardSession()
        // STUN through the tunnel first (the VPN exit address), then outside it.
        b.add(wg, Pkt.udp("10.66.0.2", 50000, stunServer, 3478, Pkt.bindingRequest(Pkt.txn(1))))                 // 4
        b.add(wg, Pkt.udp(stunServer, 3478, "10.66.0.2", 50000, Pkt.bindingSuccess(Pkt.txn(1), mapped: endpoint, 61000))) // 5
        b.add(eth, Pkt.ether(Pkt.udp(host, 40000, stunServer, 3478,
                                     Pkt.bindingRequest(Pkt.txn(2), software: "probe\u{1b}[31m", username: "abcd:efgh"))))    // 6
        b.add(eth, Pkt.ether(Pkt.udp(stunServer, 3478, host, 40000, Pkt.bindingSuccess(Pkt.txn(2), mapped: publicAddr, 40000)), out: false)) // 7
        // DNS outside the tunnel with EDNS Client Subnet.
        b.add(eth, Pkt.ether(Pkt.udp(host, 53000, resolver, 53, Pkt.dnsQuery("www.example.test", id: 0x4242, ecs: [198, 51, 100]))))  // 8
        b.add(eth, Pkt.ether(Pkt.udp(resolver, 53, host, 53000, Pkt.dnsResponse(id: 0x4242, "www.example.test", answers: [web])), out: false)) // 9
        // A flow to the answered address, outside the tunnel.
        b.add(eth, Pkt.ether(Pkt.tcp(host, 41000, web, 80, flags: Pkt.syn)))                                    // 10
        b.add(eth, Pkt.ether(Pkt.tcp(web, 80, host, 41000, flags: Pkt.synAck), out: false))                     // 11
        b.add(eth, Pkt.ether(Pkt.tcp(host, 41000, web, 80, flags: Pkt.ack | Pkt.psh, seq: 2, Pkt.http(host: "www.example.test")))) // 12
        // IPv6 with an EUI-64 source.
        b.add(eth, Pkt.ether(Pkt.tcp("2001:db8:1::211:22ff:fe33:4455", 42000, "2001:db8:ff::1", 443, flags: Pkt.syn)))      // 13
        // mDNS announcement: an observation only.
        b.add(eth, Pkt.ether(Pkt.udp(host, 5353, "224.0.0.251", 5353, Pkt.dnsResponse(id: 0, "c0ffee.local", answers: [host])))) // 14
        return b
    }

    @Test func everyClassWithExactFramesAndEvidence() throws {
        let (a, path) = try analyze(everyClass())
        #expect(a.verdict.status == .leaksFound)
        #expect(a.verdict.reason == "4 findings: 1 webrtc (worst high), 1 dns (worst high), 1 ipv6 (worst high), 1 traffic (worst high)")
        #expect(a.findings.map(\.id) == ["F1", "F2", "F3", "F4"])
        #expect(a.findings.map(\.class) == [.webrtc, .dns, .traffic, .ipv6])
        #expect(a.findings.map(\.frames) == [[6, 7], [8, 9], [10, 11, 12], [13]])
        #expect(a.findings.allSatisfy { $0.file == path && $0.interface == "eth0" && $0.severity == .high })

        let stun = a.findings[0]
        #expect(stun.title == "STUN binding to 203.0.113.10:3478 outside the tunnel revealed 198.51.100.2:40000")
        #expect(stun.evidence.stunServer == "203.0.113.10:3478")
        #expect(stun.evidence.exposedAddresses == ["198.51.100.2:40000"])
        #expect(stun.evidence.transactions == [STUNTransactionEvidence(id: "020202020202020202020202", method: "binding",
                                                                       requestFrame: 6, responseFrame: 7, mappedAddress: "198.51.100.2:40000")])
        #expect(stun.evidence.software == ["probe\\027[31m"])
        #expect(stun.evidence.iceUfrags == ["abcd"])
        #expect(stun.evidence.alsoViaTunnel == true)
        #expect(stun.packets == 2)

        let dns = a.findings[1]
        #expect(dns.evidence.resolver == "198.51.100.53:53")
        #expect(dns.evidence.queries == [DNSQueryEvidence(name: "www.example.test", type: "A", frame: 8, responseFrame: 9,
                                                          answers: ["203.0.113.80"], rcode: "NOERROR")])
        #expect(dns.evidence.ecs == ["198.51.100.0/24"])
        #expect(dns.title == "DNS to 198.51.100.53:53 outside the tunnel: www.example.test")

        let http = a.findings[2]
        let flow = try #require(http.evidence.flows?.first)
        #expect(flow.protocol == "tcp" && flow.dst == web && flow.dstPort == 80 && flow.packets == 3)
        #expect(flow.host == "www.example.test")
        #expect(flow.dnsName == "www.example.test")
        #expect(flow.dnsResponseFrame == 9)

        let v6 = a.findings[3]
        #expect(v6.evidence.source == "2001:db8:1:0:211:22ff:fe33:4455")
        #expect(v6.evidence.sourceKind == "eui64")
        #expect(v6.evidence.eui64Mac == "00:11:22:33:44:55")
        #expect(v6.evidence.destinations == ["2001:db8:ff::1"])

        #expect(a.observations.map(\.kind) == ["mdns"])
        #expect(a.observations[0].frames == [14])
        let exposed = a.exposedPublicAddresses.map { "\($0.address) \($0.path)" }
        #expect(exposed.contains("198.51.100.2:40000 physical"))
        #expect(exposed.contains("203.0.113.1:61000 tunnel"))
        #expect(exposed.contains("192.0.2.2 physical"))
    }

    @Test func jsonIsDeterministicAndRoundTrips() throws {
        let b = everyClass()
        let (a1, _) = try analyze(b, name: "x.pcapng")
        let j1 = try AnalysisJSON.encode(a1)
        let j2 = try AnalysisJSON.encode(try AnalysisJSON.decode(j1))
        #expect(j1 == j2)
        #expect(j1.contains("\"schema_version\": \"1.3\""))
        #expect(j1.contains("\"also_via_tunnel\": true"))
        // Control characters from packets are escaped as the dissector's text rule says (\DDD), then by JSON.
        #expect(j1.contains(#"probe\\027[31m"#))
    }

    @Test func failOnThresholds() throws {
        let (a, _) = try analyze(everyClass())
        #expect(a.findings.map(\.severity).max() == .high)
    }
}

@Suite struct TunnelFailureAndTunnels {
    // Tunnel failures and leak windows: LeakWindowTests.swift.

    @Test func sll2WithInterfaceIndexNames() throws {
        var b = CaptureBuilder()
        let any = b.interface(nil, 276)
        func eth(_ p: [UInt8], out: Bool = true) -> [UInt8] { Pkt.sll2(p, ifindex: 2, hatype: 1, pkttype: out ? 4 : 0) }
        b.add(any, eth(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgInitiation(sender: 7))))                          // 1
        b.add(any, eth(Pkt.udp(endpoint, 51820, host, 40001, Pkt.wgResponse(sender: 8, receiver: 7)), out: false))   // 2
        b.add(any, Pkt.sll2(Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("in.tunnel", id: 1)), ifindex: 5, hatype: 65534, pkttype: 4)) // 3
        b.add(any, eth(Pkt.udp(host, 53001, resolver, 53, Pkt.dnsQuery("leaked.example", id: 2))))                    // 4
        var o = AnalysisOptions()
        o.interfaceIndexNames = [2: "eth0", 5: "wg0"]
        let (a, _) = try analyze(b, options: o, name: "any.pcap", classic: 276)
        #expect(a.tunnel.interfaces.map { "\($0.ifindex ?? -1) \($0.name) \($0.role.rawValue)" } == ["2 eth0 physical", "5 wg0 tunnel"])
        #expect(a.findings.map(\.class) == [.dns])
        #expect(a.findings.first?.interface == "eth0")
        #expect(a.findings.first?.frames == [4])
        #expect(a.findings.first?.evidence.queries?.map(\.name) == ["leaked.example"])
        // Without names the ARPHRD type decides, and says so.
        let (a2, _) = try analyze(b, name: "any2.pcap", classic: 276)
        #expect(a2.tunnel.interfaces.map(\.decidedBy) == ["not a tunnel or loopback by name or link type",
                                                          "SLL2 hardware type 65534 (no Ethernet header: tunnel device)"])
        #expect(a2.findings.map(\.frames) == [[4]])
    }

    @Test func classicPcapIsPhysicalByDefaultAndSaysSo() throws {
        var b = CaptureBuilder()
        let i = b.interface(nil, 1)
        b.add(i, Pkt.ether(Pkt.udp(host, 53001, resolver, 53, Pkt.dnsQuery("leaked.example", id: 2))))
        let (a, _) = try analyze(b, name: "one.pcap", classic: 1)
        #expect(a.tunnel.interfaces.first?.decidedBy == "default: classic pcap treated as physical")
        #expect(a.findings.map(\.class) == [.dns])
        var o = AnalysisOptions()
        o.classicInterfaceRole = .tunnel
        o.classicInterfaceRoleGiven = true
        let (t, _) = try analyze(b, options: o, name: "one.pcap", classic: 1)
        #expect(t.verdict.status == .cannotTell)
        #expect(t.tunnel.interfaces.first?.decidedBy == "option --interface-role")
    }

    @Test func twoClassicPcapsEthernetAndRawIP() throws {
        var e = CaptureBuilder()
        let eth = e.interface(nil, 1)
        e.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgInitiation(sender: 5))))                      // 1
        e.add(eth, Pkt.ether(Pkt.udp(endpoint, 51820, host, 40001, Pkt.wgResponse(sender: 6, receiver: 5)), out: false)) // 2
        e.add(eth, Pkt.ether(Pkt.udp(host, 53001, resolver, 53, Pkt.dnsQuery("leaked.example", id: 2))), at: e.clock + 5_000_000_000) // 3
        var w = CaptureBuilder()
        let wg = w.interface(nil, 101)
        w.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("in.tunnel", id: 1)), at: e.frames[1].time + 1_000) // 1
        let p1 = CaptureBuilder.write(e.pcap(linkType: 1), name: "eth0.pcap")
        let p2 = CaptureBuilder.write(w.pcap(linkType: 101), name: "wg0.pcap")
        let a = try Correlation.analyze(paths: [p1, p2], options: AnalysisOptions())
        #expect(a.tunnel.interfaces.map { "\($0.name) \($0.role.rawValue) \($0.decidedBy)" }
                == ["eth0.pcap physical default: classic pcap treated as physical", "wg0.pcap tunnel link type beside Ethernet"])
        #expect(a.findings.map(\.class) == [.dns, .tunnelFailure])
        #expect(a.findings.map(\.frames) == [[3], [3]])
        var o = AnalysisOptions()
        o.tunnelNames = ["wg0"]
        let named = try Correlation.analyze(paths: [p1, p2], options: o)
        #expect(named.tunnel.interfaces.map(\.decidedBy) == ["default: classic pcap treated as physical", "option --tunnel (file name)"])
    }

    @Test func sixInFourAndTeredoAreIPv6Leaks() throws {
        var (b, eth, _) = wireGuardSession()
        let inner = Pkt.tcp("2001:db8:6::2", 43000, "2001:db8:ff::1", 443, flags: Pkt.syn)
        b.add(eth, Pkt.ether(Pkt.ipPacket(host, "192.0.2.99", proto: 41, inner)))                                // 4
        let teredoInner = Pkt.udp("2001:0:c000:201:0:63bf:39cc:9bfd", 44000, "2001:db8:ff::2", 443, [1, 2, 3, 4])
        b.add(eth, Pkt.ether(Pkt.udp(host, 49000, "198.51.100.99", 3544, teredoInner)))                          // 5
        let (a, _) = try analyze(b)
        #expect(a.findings.map(\.class) == [.ipv6, .ipv6])
        #expect(a.findings.map { $0.evidence.source ?? "" } == ["2001:db8:6::2", "2001:0:c000:201:0:63bf:39cc:9bfd"])
        #expect(a.findings.map { $0.evidence.encapsulations ?? [] } == [["6in4"], ["teredo"]])
        #expect(a.findings.map(\.frames) == [[4], [5]])
        #expect(a.findings[1].evidence.sourceKind == "teredo")
        // Teredo embeds the public IPv4 address and NAT port (obfuscated): 198.51.100.2:40000.
        #expect(a.exposedPublicAddresses.contains { $0.address == "198.51.100.2:40000" && $0.findingId == "F2" })
    }

    @Test func turnOverTCPIsOneWebRTCFinding() throws {
        var (b, eth, _) = wireGuardSession()
        b.add(eth, Pkt.ether(Pkt.tcp(host, 45000, stunServer, 3478, flags: Pkt.syn)))                               // 4
        b.add(eth, Pkt.ether(Pkt.tcp(stunServer, 3478, host, 45000, flags: Pkt.synAck), out: false))               // 5
        let req = Pkt.allocateRequest(Pkt.txn(3))
        b.add(eth, Pkt.ether(Pkt.tcp(host, 45000, stunServer, 3478, flags: Pkt.ack | Pkt.psh, seq: 2, req)))        // 6
        let resp = Pkt.allocateSuccess(Pkt.txn(3), relayed: "203.0.113.10", 50000, mapped: publicAddr, 45000)
        b.add(eth, Pkt.ether(Pkt.tcp(stunServer, 3478, host, 45000, flags: Pkt.ack | Pkt.psh, seq: 2, resp), out: false)) // 7
        let (a, _) = try analyze(b)
        #expect(a.findings.count == 1)
        let f = try #require(a.findings.first)
        #expect(f.class == .webrtc)
        #expect(f.frames == [4, 5, 6, 7])
        #expect(f.evidence.relayedAddresses == ["203.0.113.10:50000"])
        #expect(f.evidence.exposedAddresses == ["198.51.100.2:45000"])
        #expect(f.evidence.transactions?.first?.requestFrame == 6)
        #expect(f.evidence.transactions?.first?.responseFrame == 7)
        #expect(f.evidence.alsoViaTunnel == false)
        #expect(f.title == "TURN allocation to 203.0.113.10:3478 outside the tunnel revealed 198.51.100.2:45000, relayed via 203.0.113.10:50000")
    }

    @Test func webrtcTitleCountsFurtherMappedAndRelayedAddresses() throws {
        var (b, eth, _) = wireGuardSession()
        for (n, port, relay) in [(UInt8(4), UInt16(45000), UInt16(50000)), (5, 45001, 50001)] {
            b.add(eth, Pkt.ether(Pkt.udp(host, port, stunServer, 3478, Pkt.allocateRequest(Pkt.txn(n)))))
            let resp = Pkt.allocateSuccess(Pkt.txn(n), relayed: "203.0.113.10", relay, mapped: publicAddr, port)
            b.add(eth, Pkt.ether(Pkt.udp(stunServer, 3478, host, port, resp), out: false))
        }
        let (a, _) = try analyze(b)
        let f = try #require(a.findings.first)
        #expect(a.findings.count == 1)
        #expect(f.evidence.exposedAddresses == ["198.51.100.2:45000", "198.51.100.2:45001"])
        #expect(f.evidence.relayedAddresses == ["203.0.113.10:50000", "203.0.113.10:50001"])
        #expect(f.title == "TURN allocation to 203.0.113.10:3478 outside the tunnel revealed 198.51.100.2:45000 (+1 more), relayed via 203.0.113.10:50000 (+1 more)")
    }

    @Test func dnsOverTCPIsOneDNSFinding() throws {
        var (b, eth, _) = wireGuardSession()
        b.add(eth, Pkt.ether(Pkt.tcp(host, 46000, resolver, 53, flags: Pkt.syn)))                                  // 4
        b.add(eth, Pkt.ether(Pkt.tcp(resolver, 53, host, 46000, flags: Pkt.synAck), out: false))                  // 5
        let q = Pkt.dnsQuery("tcp.example", id: 9, type: 28)
        b.add(eth, Pkt.ether(Pkt.tcp(host, 46000, resolver, 53, flags: Pkt.ack | Pkt.psh, seq: 2, be16(UInt16(q.count)) + q)))  // 6
        let r = Pkt.dnsResponse(id: 9, "tcp.example", type: 28, answers: ["2001:db8::80"])
        b.add(eth, Pkt.ether(Pkt.tcp(resolver, 53, host, 46000, flags: Pkt.ack | Pkt.psh, seq: 2, be16(UInt16(r.count)) + r), out: false)) // 7
        let (a, _) = try analyze(b)
        #expect(a.findings.map(\.class) == [.dns])
        #expect(a.findings.first?.frames == [4, 5, 6, 7])
        #expect(a.findings.first?.evidence.queries == [DNSQueryEvidence(name: "tcp.example", type: "AAAA", frame: 6, responseFrame: 7,
                                                                        answers: ["2001:db8::80"], rcode: "NOERROR")])
    }

    @Test func icmpErrorQuotingSTUNBelongsToWebRTC() throws {
        var (b, eth, _) = wireGuardSession()
        b.add(eth, Pkt.ether(Pkt.udp(host, 40000, stunServer, 3478, Pkt.bindingRequest(Pkt.txn(4)))))               // 4
        let late = Pkt.udp(stunServer, 3478, host, 40000, Pkt.bindingSuccess(Pkt.txn(4), mapped: publicAddr, 40000))
        b.add(eth, Pkt.ether(Pkt.ipPacket(host, stunServer, proto: 1, [3, 3, 0, 0, 0, 0, 0, 0] + late)))           // 5
        let (a, _) = try analyze(b)
        #expect(a.findings.map(\.class) == [.webrtc])
        #expect(a.findings.first?.frames == [4, 5])
        #expect(a.findings.first?.evidence.icmpErrors == 1)
    }

    @Test func nonCarrierTrafficToTheEndpointIsLow() throws {
        var (b, eth, _) = wireGuardSession()
        b.add(eth, Pkt.ether(Pkt.tcp(host, 47000, endpoint, 443, flags: Pkt.syn)))   // 4
        let (a, _) = try analyze(b)
        #expect(a.findings.map(\.severity) == [.low])
        #expect(a.findings.first?.title == "Traffic to 203.0.113.1 outside the tunnel (443/tcp): the VPN server's address")
        #expect(a.findings.first?.frames == [4])
    }

    @Test func vpnEndpointOptionReplacesInference() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [host])
        // Mid-session capture: no handshake, only transport data.
        b.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgData(receiver: 1, counter: 9))))
        let (unknown, _) = try analyze(b)
        #expect(unknown.findings.map(\.severity) == [.low])
        #expect(unknown.findings.first?.evidence.looksLike == "wireguard")
        var o = AnalysisOptions()
        o.vpnEndpoints = [EndpointSpec(parsing: "203.0.113.1:51820")!]
        let (known, _) = try analyze(b, options: o)
        #expect(known.findings.isEmpty)
        #expect(known.tunnel.vpnEndpoints.first?.decidedBy == "option --vpn-endpoint")
    }
}
