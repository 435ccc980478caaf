import Correlation
import Dissectors
import Testing

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
        #expect(IPv6SourceKind.eui64MAC(addr("2001:db8:1::211:22ff:fe33:4455")) == "00:11:22:33:44:55")
        #expect(IPv6SourceKind(addr("2001:db8:1:0:8d3a:1b2c:3d4e:5f60")) == .temporary)
        #expect(IPv6SourceKind(addr("2001:db8:1::2")) == .lowInterfaceID)
        #expect(IPv6SourceKind(addr("2002:c000:201::1")) == .sixToFour)
        #expect(IPv6SourceKind(addr("2001:0:4136:e378::1")) == .teredo)
        #expect(IPv6SourceKind(addr("fd12::1234:5678:9abc:def0")) == .uniqueLocal)
    }

    @Test func isoTimes() {
        #expect(ISOTime.format(0) == "1970-01-01T00:00:00.000000000Z")
        #expect(ISOTime.format(1_700_000_000_123_456_789) == "2023-11-14T22:13:20.123456789Z")
        #expect(ISOTime.format(-1) == "1969-12-31T23:59:59.999999999Z")
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
