import OutputText
import Correlation
import Dissectors
import Testing
import TestCaptures

@Suite struct Parsing {
    @Test func endpointSpecs() {
        #expect(EndpointSpec(parsing: "192.0.2.1")?.description == "192.0.2.1")
        #expect(EndpointSpec(parsing: "192.0.2.1:51820")?.port == 51820)
        #expect(EndpointSpec(parsing: "2001:db8::1")?.port == nil)
        #expect(EndpointSpec(parsing: "[2001:db8::1]:500")?.description == "[2001:db8::1]:500")
        #expect(EndpointSpec(parsing: "192.0.2.1:99999") == nil)
        #expect(EndpointSpec(parsing: "example.com") == nil)
        #expect(EndpointSpec(parsing: "[2001:db8::1") == nil)
    }

    @Test func ipAddressText() {
        #expect(IPAddress(parsing: "::") == .v6(0, 0))
        #expect(IPAddress(parsing: "::1") == .v6(0, 1))
        #expect(IPAddress(parsing: "2001:db8::1")?.description == "2001:db8::1")
        #expect(IPAddress(parsing: "::ffff:192.0.2.1")?.description == "::ffff:192.0.2.1")
        #expect(IPAddress(parsing: "1:2:3:4:5:6:7:8")?.description == "1:2:3:4:5:6:7:8")
        #expect(IPAddress(parsing: "1:2:3:4:5:6:7:8:9") == nil)
        #expect(IPAddress(parsing: "1::2::3") == nil)
        #expect(IPAddress(parsing: "256.1.1.1") == nil)
        #expect(IPAddress(parsing: "1.2.3") == nil)
    }

    @Test func interfaceNameTables() {
        #expect(InterfaceNameTable.parse("3=wg0\n2 eth0\n") == [3: "wg0", 2: "eth0"])
        #expect(InterfaceNameTable.parse("1: lo: <LOOPBACK,UP> mtu 65536\n4: veth0@if5: <BROADCAST>\n") == [1: "lo", 4: "veth0"])
        #expect(InterfaceNameTable.parse("garbage\n=x\n7=\n") == [:])
        #expect(InterfaceNameTable.parse(comments: ["capture\nifindex 9=wgc\nifindex 2=eth0"]) == [9: "wgc", 2: "eth0"])
    }
}

@Suite struct Classification {
    @Test func addressScopes() {
        #expect(AddressScope(addr("10.1.2.3")) == .privateNetwork)
        #expect(AddressScope(addr("100.64.0.1")) == .privateNetwork)
        #expect(AddressScope(addr("169.254.1.1")) == .linkLocal)
        #expect(AddressScope(addr("224.0.0.251")) == .linkMulticast)
        #expect(AddressScope(addr("239.255.255.250")) == .multicast)
        #expect(AddressScope(addr("255.255.255.255")) == .multicast)
        #expect(AddressScope(addr("203.0.113.1")) == .global)
        #expect(AddressScope(addr("fe80::1")) == .linkLocal)
        #expect(AddressScope(addr("ff02::fb")) == .linkMulticast)
        #expect(AddressScope(addr("fd00::1")) == .privateNetwork)
        #expect(AddressScope(addr("2001:db8::1")) == .global)
        #expect(AddressScope(addr("::ffff:10.0.0.1")) == .privateNetwork)
    }

    @Test func ipv6SourceKinds() {
        #expect(IPv6SourceKind(addr("2001:db8:1::211:22ff:fe33:4455")) == .eui64)
        #expect(addr("2001:db8:1::211:22ff:fe33:4455").eui64MAC?.description == "00:11:22:33:44:55")
        #expect(IPv6SourceKind(addr("2001:db8:1:0:8d3a:1b2c:3d4e:5f60")) == .temporary)
        #expect(IPv6SourceKind(addr("2001:db8:1::2")) == .lowInterfaceID)
        #expect(IPv6SourceKind(addr("2002:c000:201::1")) == .sixToFour)
        #expect(IPv6SourceKind(addr("2001:0:4136:e378::1")) == .teredo)
        #expect(IPv6SourceKind(addr("fd12::1234:5678:9abc:def0")) == .uniqueLocal)
    }

    @Test func isoTimes() {
        #expect(ISO8601Nanoseconds.format(0) == "1970-01-01T00:00:00.000000000Z")
        #expect(ISO8601Nanoseconds.format(1_700_000_000_123_456_789) == "2023-11-14T22:13:20.123456789Z")
        #expect(ISO8601Nanoseconds.format(-1) == "1969-12-31T23:59:59.999999999Z")
    }
}

@Suite struct Bounds {
    /// Facts built directly: many distinct destinations with a tiny finding cap and frame cap.
    @Test func findingAndFrameCapsAreCountedNotGrown() {
        var options = AnalysisOptions()
        options.limits.maxFindings = 3
        options.limits.maxFramesPerFinding = 2
        var builder = TunnelModelBuilder(options: options)
        let key = InterfaceKey(fileIndex: 0, interfaceID: 0)
        builder.add(InterfaceDescription(key: key, name: "eth0", linkType: .ethernet, addresses: [addr("192.0.2.2")]))
        var c = Correlator(model: builder.finish(), options: options)
        for i in 0..<10 {
            var f = PacketFacts()
            f.frame = i + 1
            f.time = Int64(i) * 1_000
            f.length = 100
            f.network = .ipv4
            f.source = addr("192.0.2.2")
            f.destination = .v4(0xCB00_7100 + UInt32(i % 5))   // 203.0.113.0-4
            f.ipProtocol = 17
            f.transport = .udp
            f.sourcePort = 1000
            f.destinationPort = 2000
            f.payloadLength = 10
            c.consume(f) { PacketDetail() }
        }
        let a = c.finish()
        #expect(a.findings.count == 3)
        #expect(a.findings.map(\.frames) == [[1, 6], [2, 7], [3, 8]])
        #expect(a.findings.map(\.framesOmitted) == [0, 0, 0])
        #expect(a.bounds.findingsDropped == 4)
        #expect(a.bounds.packetsInDroppedFindings == 4)
        #expect(a.bounds.anyHit)
        #expect(a.packetVerdicts["leak"] == 10)
    }
}

@Suite struct ExitStatus {
    @Test func failOnThresholdsAndPrecedence() throws {
        var (b, eth, _) = wireGuardSession()
        b.add(eth, Pkt.ether(Pkt.udp(host, 40001, "203.0.113.1", 51820, [4, 0, 0, 0] + [UInt8](repeating: 1, count: 40)))) // carrier
        b.add(eth, Pkt.ether(Pkt.udp(host, 41000, "10.1.2.3", 9999, [1, 2, 3])))   // medium: private destination
        let (a, _) = try analyze(b)
        #expect(a.findings.map(\.severity) == [.medium])
        #expect(a.exitStatus(failOn: .low) == 1)
        #expect(a.exitStatus(failOn: .medium) == 1)
        #expect(a.exitStatus(failOn: .high) == 0)
        #expect(a.exitStatus(failOn: nil) == 0)
    }
}

@Suite struct Robustness {
    @Test func serverInitiatedHandshakeStillNamesTheServer() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [host])
        // The server's stale session initiates (LAB-NOTES); the capture says which side is this host.
        b.add(eth, Pkt.ether(Pkt.udp(endpoint, 51820, host, 40001, Pkt.wgInitiation(sender: 0x77)), out: false))
        b.add(eth, Pkt.ether(Pkt.udp(host, 40001, endpoint, 51820, Pkt.wgResponse(sender: 0x78, receiver: 0x77))))
        let (a, _) = try analyze(b)
        #expect(a.tunnel.vpnEndpoints.map { "\($0.address):\($0.port ?? 0)" } == ["203.0.113.1:51820"])
        #expect(a.findings.isEmpty)
    }

    @Test func randomFramesNeverCrashAndStayBounded() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1)
        let wg = b.interface("wg0", 101)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return seed }
        for i in 0..<2_000 {
            let n = Int(next() % 200)
            var bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) }
            // Half of them get a plausible IPv4/IPv6 start so the deeper layers are reached.
            if i % 2 == 0, bytes.count > 40 { bytes[0] = i % 4 == 0 ? 0x45 : 0x60 }
            b.add(i % 3 == 0 ? wg : eth, i % 3 == 0 ? bytes : Pkt.ether(bytes))
        }
        var o = AnalysisOptions()
        o.limits.maxFindings = 50
        let (a, _) = try analyze(b, options: o)
        #expect(a.findings.count <= 50)
        #expect(a.packetVerdicts.values.reduce(0, +) <= 2_000)
        #expect(try AnalysisJSON.decode(try AnalysisJSON.encode(a)) == a)
    }
}

@Suite struct TunnelVision {
    @Test func dhcpClasslessRoutesAreAnObservation() throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: [host])
        // DHCPACK with option 121: 198.51.100.0/24 via 192.0.2.1 and 0.0.0.0/1 via 192.0.2.1.
        var dhcp: [UInt8] = [2, 1, 6, 0] + be32(0x1234) + [0, 0, 0, 0] + [0, 0, 0, 0] + addr(host).bytes + [0, 0, 0, 0] + [0, 0, 0, 0]
        dhcp += Pkt.hostMAC + [UInt8](repeating: 0, count: 10) + [UInt8](repeating: 0, count: 192) + be32(0x6382_5363)
        let routes: [UInt8] = [24, 198, 51, 100] + [192, 0, 2, 1] + [1, 0] + [192, 0, 2, 1]
        dhcp += [53, 1, 5] + [121, UInt8(routes.count)] + routes + [255]
        b.add(eth, Pkt.ether(Pkt.udp("192.0.2.1", 67, host, 68, dhcp), out: false))
        let (a, _) = try analyze(b)
        #expect(a.findings.isEmpty)
        #expect(a.packetVerdicts == ["housekeeping": 1])
        let o = try #require(a.observations.first)
        #expect(o.kind == "dhcp-classless-routes")
        #expect(o.names == ["198.51.100.0/24 via 192.0.2.1 (option 121)", "0.0.0.0/1 via 192.0.2.1 (option 121)"])
        #expect(a.tunnel.hostAddresses.map(\.address) == [host])
    }
}

@Suite struct Aging {
    func udp(_ frame: Int, at seconds: Int64, outbound: Bool) -> PacketFacts {
        var f = PacketFacts()
        f.frame = frame
        f.time = seconds * 1_000_000_000
        f.length = 60
        f.network = .ipv4
        f.source = addr(outbound ? "192.0.2.2" : "203.0.113.9")
        f.destination = addr(outbound ? "203.0.113.9" : "192.0.2.2")
        f.ipProtocol = 17
        f.transport = .udp
        f.sourcePort = outbound ? 5000 : 6000
        f.destinationPort = outbound ? 6000 : 5000
        f.payloadLength = 10
        return f
    }

    /// An unanswered inbound packet is forgotten after the flow idle time (300 s), so a later
    /// outbound packet on the same 5-tuple does not pull it into the finding.
    @Test func idleFlowsAreSettledByCaptureTime() {
        let options = AnalysisOptions()
        var builder = TunnelModelBuilder(options: options)
        builder.add(InterfaceDescription(key: InterfaceKey(fileIndex: 0, interfaceID: 0), name: "eth0",
                                         linkType: .ethernet, addresses: [addr("192.0.2.2")]))
        var c = Correlator(model: builder.finish(), options: options)
        c.consume(udp(1, at: 1, outbound: false)) { PacketDetail() }
        c.consume(udp(2, at: 400, outbound: true)) { PacketDetail() }      // sweep at 400 s settles frame 1
        c.consume(udp(3, at: 401, outbound: false)) { PacketDetail() }     // the answer joins the finding
        let a = c.finish()
        #expect(a.findings.map(\.frames) == [[2, 3]])
        #expect(a.observations.map(\.kind) == ["inbound-only"])
        #expect(a.observations.first?.frames == [1])
        #expect(a.packetVerdicts == ["inbound-only": 1, "leak": 2])
    }
}
