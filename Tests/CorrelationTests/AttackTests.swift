import Correlation
import Dissectors
import Testing
import TestCaptures

/// eth0 on a private LAN (192.168.1.2/24, router 192.168.1.1: no LocalNet) + wg0; the
/// WireGuard handshake to 203.0.113.1:51820 at `at`.
func lanSession(address: String = "192.168.1.2", addresses: [String]? = nil) -> (CaptureBuilder, eth: Int, wg: Int) {
    var b = CaptureBuilder()
    let eth = b.interface("eth0", 1, addresses: addresses ?? [address])
    let wg = b.interface("wg0", 101)
    return (b, eth, wg)
}

extension CaptureBuilder {
    /// A WireGuard handshake from `host` to `server`:51820 (two frames).
    mutating func handshake(_ eth: Int, host: String, server: String = endpoint, sender: UInt32 = 0x1234, at time: Int64? = nil) {
        add(eth, Pkt.ether(Pkt.udp(host, 40001, server, 51820, Pkt.wgInitiation(sender: sender))), at: time)
        add(eth, Pkt.ether(Pkt.udp(server, 51820, host, 40001, Pkt.wgResponse(sender: sender &+ 1, receiver: sender)), out: false))
    }
}

let lanHost = "192.168.1.2", lanRouter = "192.168.1.1"

@Suite struct RouteInjection {
    /// The DHCP ACK pushes 203.0.113.10/32 (and the default route RFC 3442 asks for) before the VPN connects.
    func pushed(_ routes: [[UInt8]], option: UInt8 = 121, type: UInt8 = 5) -> (CaptureBuilder, eth: Int, wg: Int) {
        var (b, eth, wg) = lanSession()
        b.add(eth, Pkt.dhcpReply(type: type, yiaddr: lanHost, server: lanRouter, options: Pkt.routeOption(option, routes)))  // 1
        b.handshake(eth, host: lanHost)                                                                                       // 2-3
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("through.tunnel", id: 1)))                       // 4
        return (b, eth, wg)
    }

    @Test func aPushedRouteThatTakesTrafficAroundTheTunnelIsRouteInjection() throws {
        var (b, eth, _) = pushed([Pkt.classlessRoute(stunServer, 32, via: lanRouter), Pkt.classlessRoute("0.0.0.0", 0, via: lanRouter)])
        b.add(eth, Pkt.ether(Pkt.udp(lanHost, 40000, stunServer, 3478, Pkt.bindingRequest(Pkt.txn(1)))))                    // 5
        b.add(eth, Pkt.ether(Pkt.udp(stunServer, 3478, lanHost, 40000, Pkt.bindingSuccess(Pkt.txn(1), mapped: publicAddr, 40000)), out: false)) // 6
        b.add(eth, Pkt.ether(Pkt.udp(lanHost, 41000, web, 9999, [9, 9, 9])))                                                // 7: not in the route
        let (a, path) = try analyze(b)
        #expect(a.findings.map(\.class) == [.webrtc, .routeInjection, .traffic])
        #expect(a.findings.map(\.frames) == [[5, 6], [5, 6], [7]])
        let r = a.findings[1]
        #expect(r.id == "F2")
        #expect(r.severity == .high)
        #expect(r.title == "Route 203.0.113.10/32 via 192.168.1.1 pushed by DHCP ACK, frame 1 (DHCP option 121) took 2 packets around the tunnel out of eth0")
        #expect(r.evidence.pushedRoutes == [PushedRouteEvidence(prefix: "203.0.113.10/32", router: "192.168.1.1", via: "DHCP option 121",
                                                                 frames: [1], pushedBy: "192.168.1.1", message: "DHCP ACK")])
        #expect(r.evidence.destinations == ["203.0.113.10"])
        #expect(r.evidence.leakClasses == ["webrtc"])
        #expect(r.evidence.routeProblems == nil)
        #expect(r.file == path && r.interface == "eth0" && r.packets == 2)
        // The webrtc finding stays as it was: the attack finding says why its packets left.
        #expect(a.findings[0].evidence.exposedAddresses == ["198.51.100.2:40000"])
        let o = try #require(a.observations.first { $0.kind == "public-routes-pushed" })
        #expect(o.frames == [1])
        #expect(o.names == ["203.0.113.10/32 via 192.168.1.1 (DHCP option 121)"])
        #expect(o.sources == ["192.168.1.1"])
        #expect(a.observations.first { $0.kind == "dhcp-classless-routes" }?.names
                == ["203.0.113.10/32 via 192.168.1.1 (option 121)", "0.0.0.0/0 via 192.168.1.1 (option 121)"])
        #expect(a.verdict.reason == "3 findings: 1 webrtc (worst high), 1 traffic (worst high), 1 route-injection (worst high)")
    }

    @Test func aPrivateRouteWithoutTrafficIsNoFinding() throws {
        let (b, _, _) = pushed([Pkt.classlessRoute("10.20.0.0", 16, via: lanRouter), Pkt.classlessRoute("0.0.0.0", 0, via: lanRouter)])
        let (a, _) = try analyze(b)
        #expect(a.findings.isEmpty)
        #expect(a.verdict.status == .noLeakSeen)
        // Still listed as DHCP routes; no public prefix is exposed.
        #expect(a.observations.map(\.kind) == ["dhcp-classless-routes"])
    }

    @Test func aPublicRouteWithoutTrafficIsAnObservationOnly() throws {
        let (b, _, _) = pushed([Pkt.classlessRoute("203.0.113.0", 24, via: lanRouter)])
        let (a, _) = try analyze(b)
        #expect(a.findings.isEmpty)
        #expect(a.observations.first { $0.kind == "public-routes-pushed" }?.names == ["203.0.113.0/24 via 192.168.1.1 (DHCP option 121)"])
    }

    @Test func trafficIntoAPrivatePushedRouteIsMedium() throws {
        var (b, eth, _) = pushed([Pkt.classlessRoute("10.20.0.0", 16, via: lanRouter)], option: 249, type: 2)
        b.add(eth, Pkt.ether(Pkt.tcp(lanHost, 41000, "10.20.0.5", 445, flags: Pkt.syn)))                                   // 5
        let (a, _) = try analyze(b)
        let r = try #require(a.findings.first { $0.class == .routeInjection })
        #expect(r.severity == .medium)
        #expect(r.frames == [5])
        #expect(r.evidence.pushedRoutes?.first?.via == "DHCP option 249")
        #expect(r.evidence.pushedRoutes?.first?.message == "DHCP OFFER")
        #expect(a.findings.first { $0.class == .traffic }?.severity == .medium)
    }

    @Test func beforeTheTunnelIsUpNoRouteSteersAroundIt() throws {
        var (b, eth, _) = lanSession()
        b.add(eth, Pkt.dhcpReply(yiaddr: lanHost, server: lanRouter, options: Pkt.routeOption(121, [Pkt.classlessRoute(stunServer, 32, via: lanRouter)])))
        b.add(eth, Pkt.ether(Pkt.udp(lanHost, 40000, stunServer, 3478, Pkt.bindingRequest(Pkt.txn(1)))))
        let (a, _) = try analyze(b)
        #expect(a.findings.map(\.class) == [.webrtc])
    }

    @Test func routerAdvertisementRouteInformation() throws {
        var (b, eth, wg) = lanSession(addresses: [lanHost, "2001:db8:1::2"])
        b.add(eth, Pkt.routerAdvertisement(options: [Pkt.routeInformation("2001:db8:ff::", 48)]))                         // 1
        b.handshake(eth, host: lanHost)                                                                                      // 2-3
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("through.tunnel", id: 1)))                      // 4
        b.add(eth, Pkt.ether(Pkt.udp("2001:db8:1::2", 40000, "2001:db8:ff::1", 443, [1, 2, 3])))                          // 5
        b.add(eth, Pkt.routerAdvertisement(options: [Pkt.routeInformation("2001:db8:ff::", 48, lifetime: 0)]))            // 6: withdrawn
        b.add(eth, Pkt.ether(Pkt.udp("2001:db8:1::2", 40001, "2001:db8:ff::2", 443, [1, 2, 3])))                          // 7
        let (a, _) = try analyze(b)
        let r = try #require(a.findings.first { $0.class == .routeInjection })
        #expect(r.frames == [5])
        #expect(r.evidence.pushedRoutes == [PushedRouteEvidence(prefix: "2001:db8:ff::/48", router: "fe80::1", via: "RA route information",
                                                                 frames: [1], pushedBy: "fe80::1", message: "Router Advertisement")])
        #expect(r.evidence.leakClasses == ["ipv6"])
        #expect(a.findings.first { $0.class == .ipv6 }?.frames == [5, 7])
        #expect(a.observations.first { $0.kind == "public-routes-pushed" }?.frames == [1])
    }
}

@Suite struct LocalNetAttack {
    @Test func trafficToAGlobalAddressInTheInterfacesOwnNetwork() throws {
        var (b, eth, wg) = wireGuardSession()   // eth0 192.0.2.2/24: a documentation range, global
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("through.tunnel", id: 1)))                      // 4
        b.add(eth, Pkt.ether(Pkt.tcp(host, 41000, "192.0.2.80", 80, flags: Pkt.syn)))                                       // 5
        b.add(eth, Pkt.ether(Pkt.tcp("192.0.2.80", 80, host, 41000, flags: Pkt.synAck), out: false))                        // 6
        b.add(eth, Pkt.ether(Pkt.udp(host, 41001, web, 9999, [1])))                                                        // 7: not local
        let (a, _) = try analyze(b)
        #expect(a.findings.map(\.class) == [.traffic, .localnet, .traffic])
        let l = a.findings[1]
        #expect(l.frames == [5, 6])
        #expect(l.severity == .high)
        #expect(l.evidence.localNetwork == LocalNetworkEvidence(prefix: "192.0.2.0/24", decidedBy: "pcapng if_IPv4addr 192.0.2.2/24"))
        #expect(l.evidence.destinations == ["192.0.2.80"])
        #expect(l.evidence.leakClasses == ["traffic"])
        #expect(l.title == "Traffic to 192.0.2.80, globally routable but inside eth0's own network 192.0.2.0/24, left as local traffic outside the tunnel (2 packets)")
    }

    @Test func theNetworkOfADHCPLease() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        let wg = b.interface("wg0", 101)
        b.add(eth, Pkt.dhcpReply(yiaddr: "203.0.113.66", server: "203.0.113.126", mask: "255.255.255.192"))               // 1
        b.handshake(eth, host: "203.0.113.66", server: "198.51.100.1")                                                     // 2-3
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("through.tunnel", id: 1)))                      // 4
        b.add(eth, Pkt.ether(Pkt.udp("203.0.113.66", 41000, web, 9999, [1])))                                            // 5: web .80 is inside /26
        b.add(eth, Pkt.ether(Pkt.udp("203.0.113.66", 41000, stunServer, 9999, [1])))                                       // 6: .10 is not
        let (a, path) = try analyze(b)
        let l = try #require(a.findings.first { $0.class == .localnet })
        #expect(l.frames == [5])
        #expect(l.evidence.localNetwork == LocalNetworkEvidence(prefix: "203.0.113.64/26", decidedBy: "DHCP ACK, frame 1 of \(path): 203.0.113.66/26"))
        #expect(a.findings.filter { $0.class == .traffic }.map(\.frames) == [[5], [6]])
    }

    @Test func lanTrafficToAPrivateSubnetIsNoLocalNet() throws {
        var (b, eth, wg) = lanSession()
        b.handshake(eth, host: lanHost)
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("through.tunnel", id: 1)))
        b.add(eth, Pkt.ether(Pkt.tcp(lanHost, 41000, "192.168.1.5", 631, flags: Pkt.syn)))
        let (a, _) = try analyze(b)
        #expect(a.findings.map(\.class) == [.traffic])
        #expect(a.findings.first?.severity == .medium)
    }
}

@Suite struct ServerIPAttack {
    /// vpn.example.test resolved outside the tunnel (frames 1-2), then the tunnel to that address (3-4, 5 on wg0),
    /// then HTTP to the server's address outside the tunnel (6-8).
    func session(answer: Bool = true, answerInTunnel: Bool = false) -> CaptureBuilder {
        var (b, eth, wg) = lanSession()
        if answer {
            let i = answerInTunnel ? wg : eth
            let (h, r) = answerInTunnel ? ("10.66.0.2", "10.66.0.1") : (lanHost, lanRouter)
            b.add(i, answerInTunnel ? Pkt.udp(h, 53000, r, 53, Pkt.dnsQuery("vpn.example.test", id: 9))
                                    : Pkt.ether(Pkt.udp(h, 53000, r, 53, Pkt.dnsQuery("vpn.example.test", id: 9))))
            let resp = Pkt.udp(r, 53, h, 53000, Pkt.dnsResponse(id: 9, "vpn.example.test", answers: [endpoint]))
            b.add(i, answerInTunnel ? resp : Pkt.ether(resp, out: false))
        }
        b.handshake(eth, host: lanHost)
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("through.tunnel", id: 1)))
        b.add(eth, Pkt.ether(Pkt.tcp(lanHost, 41000, endpoint, 80, flags: Pkt.syn)))
        b.add(eth, Pkt.ether(Pkt.tcp(endpoint, 80, lanHost, 41000, flags: Pkt.synAck), out: false))
        b.add(eth, Pkt.ether(Pkt.tcp(lanHost, 41000, endpoint, 80, flags: Pkt.ack | Pkt.psh, seq: 2, Pkt.http(host: "vpn.example.test"))))
        return b
    }

    @Test func trafficToAServerAddressFromADNSAnswerOutsideTheTunnel() throws {
        let (a, _) = try analyze(session())
        #expect(a.findings.map(\.class) == [.dns, .traffic, .serverip])
        let s = a.findings[2]
        #expect(s.frames == [6, 7, 8])
        #expect(s.severity == .high)
        #expect(s.evidence.serverDNS == DNSQueryEvidence(name: "vpn.example.test", type: "A", frame: 1, responseFrame: 2,
                                                         answers: ["203.0.113.1"], rcode: "NOERROR"))
        #expect(s.evidence.resolver == "192.168.1.1:53")
        #expect(s.evidence.vpnEndpoint == "203.0.113.1:51820 (wireguard)")
        #expect(s.evidence.destinations == ["203.0.113.1:80/tcp"])
        #expect(s.evidence.leakClasses == ["traffic"])
        #expect(s.title == "Traffic to the VPN server's address 203.0.113.1, which DNS outside the tunnel gave for vpn.example.test, frame 2, left outside the tunnel (3 packets)")
        // The traffic finding keeps its own grading (the VPN server's address, not its carrier port).
        #expect(a.findings[1].severity == .low)
    }

    @Test func withoutTheDNSAnswerItStaysLowTraffic() throws {
        let (a, _) = try analyze(session(answer: false))
        #expect(a.findings.map(\.class) == [.traffic])
        #expect(a.findings[0].severity == .low)
    }

    @Test func anAnswerThroughTheTunnelIsNoServerIP() throws {
        let (a, _) = try analyze(session(answerInTunnel: true))
        #expect(a.findings.map(\.class) == [.traffic])
    }
}

/// Hostile route pushes: a note on the packet, no crash, bounded state, and the analysis completes.
@Suite struct BadRouteInput {
    @Test func aWidthAbove32KeepsTheRoutesBeforeItAndSaysWhy() throws {
        var (b, eth, wg) = lanSession()
        // Option 121 data starts at byte 263 of the frame (14 + 20 + 8 + 240 + 21); the bad width is at 272.
        let routes = Pkt.classlessRoute(stunServer, 32, via: lanRouter) + [33, 1, 2, 3, 4, 5, 6, 7, 8]
        b.add(eth, Pkt.dhcpReply(yiaddr: lanHost, server: lanRouter, options: [[121, UInt8(routes.count)] + routes]))   // 1
        b.handshake(eth, host: lanHost)
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("through.tunnel", id: 1)))
        b.add(eth, Pkt.ether(Pkt.udp(lanHost, 40000, stunServer, 3478, Pkt.bindingRequest(Pkt.txn(1)))))                 // 5
        let (a, _) = try analyze(b)
        let note = "frame 1: dhcp: malformed at byte 314: classless route prefix width above 32"
        let o = try #require(a.observations.first { $0.kind == "public-routes-pushed" })
        #expect(o.names == ["203.0.113.10/32 via 192.168.1.1 (DHCP option 121)"])
        #expect(o.problems == [note])
        #expect(a.observations.first { $0.kind == "dhcp-classless-routes" }?.problems == [note])
        let r = try #require(a.findings.first { $0.class == .routeInjection })
        #expect(r.frames == [5])
        #expect(r.evidence.routeProblems == [note])
    }

    @Test func aTruncatedRouteListIsNotedAndNothingIsGuessed() throws {
        var (b, eth, _) = lanSession()
        b.add(eth, Pkt.dhcpReply(yiaddr: lanHost, server: lanRouter, options: [[121, 5, 24, 203, 0, 113, 192]]))
        let (a, _) = try analyze(b)
        #expect(a.findings.isEmpty)
        #expect(a.observations.first { $0.kind == "public-routes-pushed" }?.problems
                == ["frame 1: dhcp: truncated at byte 305: needs 8 bytes, 5 captured"])
    }

    @Test func thousandsOfRoutesInOnePacketAndInManyStayBounded() throws {
        var (b, eth, wg) = lanSession()
        // One ACK: 250 instances of 31 /24 routes (7,750 routes, a 64 KB datagram).
        var big: [[UInt8]] = []
        for i in 0..<250 {
            var o: [UInt8] = [121, 248]
            for j in 0..<31 { o += Pkt.classlessRoute("198.\(i).\(j).0", 24, via: lanRouter) }
            big.append(o)
        }
        b.add(eth, Pkt.dhcpReply(yiaddr: lanHost, server: lanRouter, options: big))                                          // 1
        // 200 more ACKs, each pushing a route of its own.
        for i in 0..<200 {
            b.add(eth, Pkt.dhcpReply(yiaddr: lanHost, server: lanRouter,
                                     options: Pkt.routeOption(121, [Pkt.classlessRoute("203.0.\(i).0", 24, via: lanRouter)])))
        }
        b.handshake(eth, host: lanHost)
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("through.tunnel", id: 1)))
        b.add(eth, Pkt.ether(Pkt.udp(lanHost, 40000, "198.0.1.9", 3478, Pkt.bindingRequest(Pkt.txn(1)))))                 // inside the first push
        let (a, _) = try analyze(b)
        let o = try #require(a.observations.first { $0.kind == "public-routes-pushed" })
        #expect(o.names?.count == 256)          // max_evidence_items
        #expect(o.problems?.first == "frame 1: 7686 more routes not read (at most 64 per packet)")
        #expect(a.findings.first { $0.class == .routeInjection }?.evidence.pushedRoutes?.first?.prefix == "198.0.1.0/24")
        #expect(a.assumptions.contains("route pushes: at most 64 pushes and 64 routes are followed; 137 pushes and 63 routes beyond them were not"))
    }

    @Test func malformedRouteInformationIsNotedAndIgnored() throws {
        var (b, eth, wg) = lanSession(addresses: [lanHost, "2001:db8:1::2"])
        var bad = Pkt.routeInformation("2001:db8:ff::", 48)
        bad[2] = 200                                                                 // prefix length above 128
        b.add(eth, Pkt.routerAdvertisement(options: [bad]))                          // 1
        b.add(eth, Pkt.routerAdvertisement(options: [[24, 1, 48, 0, 0, 0, 7, 8]]))    // 2: too short for a /48
        b.handshake(eth, host: lanHost)
        b.add(wg, Pkt.udp("10.66.0.2", 5000, "10.66.0.1", 53, Pkt.dnsQuery("through.tunnel", id: 1)))
        b.add(eth, Pkt.ether(Pkt.udp("2001:db8:1::2", 40000, "2001:db8:ff::1", 443, [1])))
        let (a, _) = try analyze(b)
        #expect(a.findings.map(\.class) == [.ipv6])
        // ICMPv6 starts at byte 54 (14 + 40); the option at 70.
        #expect(a.observations.first { $0.kind == "public-routes-pushed" }?.problems == [
            "frame 1: icmpv6: malformed at byte 72: route information prefix length above 128",
            "frame 2: icmpv6: malformed at byte 71: route information option too short for its prefix length",
        ])
    }
}
