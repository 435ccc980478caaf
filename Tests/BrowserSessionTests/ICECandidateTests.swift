import Testing
@testable import BrowserSession

@Suite struct ICECandidateTests {
    @Test func srflxWithRelatedAddress() throws {
        let c = try ICECandidate(parsing: "candidate:842163049 1 udp 1677729535 198.51.100.2 40000 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag NpjF network-cost 999")
        #expect(c == ICECandidate(foundation: "842163049", component: 1, transport: "udp", priority: 1677729535,
                                  address: "198.51.100.2", port: 40000, type: "srflx", relatedAddress: "0.0.0.0",
                                  relatedPort: 0, extensions: [.init(name: "generation", value: "0"),
                                                               .init(name: "ufrag", value: "NpjF"),
                                                               .init(name: "network-cost", value: "999")]))
        #expect(c.extensionValue("ufrag") == "NpjF")
        #expect(!c.isMDNSName)
    }

    @Test func mdnsHostCandidateWithSDPPrefixAndCRLF() throws {
        let c = try ICECandidate(parsing: "a=candidate:2042575913 1 udp 2113937151 3405239b-8077-492a-bd8c-5a9cf0af6fe1.local 53425 typ host generation 0\r\n")
        #expect(c.foundation == "2042575913")
        #expect(c.address == "3405239b-8077-492a-bd8c-5a9cf0af6fe1.local")
        #expect(c.port == 53425)
        #expect(c.type == "host")
        #expect(c.relatedAddress == nil && c.relatedPort == nil)
        #expect(c.isMDNSName)
    }

    @Test func relayAndTCPAndIPv6() throws {
        let relay = try ICECandidate(parsing: "candidate:3 1 UDP 41885695 203.0.113.10 49177 typ relay raddr 198.51.100.2 rport 60509")
        #expect(relay.transport == "udp")
        #expect(relay.type == "relay")
        #expect(relay.relatedAddress == "198.51.100.2")
        #expect(relay.relatedPort == 60509)
        let tcp = try ICECandidate(parsing: "candidate:4 1 tcp 1518280447 2001:db8:1::2 9 typ host tcptype active generation 0")
        #expect(tcp.transport == "tcp")
        #expect(tcp.address == "2001:db8:1::2")
        #expect(tcp.port == 9)
        #expect(tcp.tcpType == "active")
        #expect(tcp.extensions == [.init(name: "generation", value: "0")])
    }

    @Test func rejectsMalformedLines() {
        #expect(throws: CandidateParseError(field: "prefix", token: 0, reason: "does not start with candidate:")) {
            try ICECandidate(parsing: "a=foo:1 1 udp 1 192.0.2.1 1 typ host")
        }
        #expect(throws: CandidateParseError(field: "line", token: 7, reason: "needs at least 8 fields, has 7")) {
            try ICECandidate(parsing: "candidate:1 1 udp 1 192.0.2.1 1 typ")
        }
        #expect(throws: CandidateParseError(field: "port", token: 5, reason: "not a port number")) {
            try ICECandidate(parsing: "candidate:1 1 udp 1 192.0.2.1 70000 typ host")
        }
        #expect(throws: CandidateParseError(field: "priority", token: 3, reason: "not a 32-bit unsigned integer")) {
            try ICECandidate(parsing: "candidate:1 1 udp 4294967296 192.0.2.1 1 typ host")
        }
        #expect(throws: CandidateParseError(field: "typ", token: 6, reason: "expected the keyword typ")) {
            try ICECandidate(parsing: "candidate:1 1 udp 1 192.0.2.1 1 type host")
        }
        #expect(throws: CandidateParseError(field: "rport", token: 8, reason: "has no value")) {
            try ICECandidate(parsing: "candidate:1 1 udp 1 192.0.2.1 1 typ srflx rport")
        }
        #expect(throws: CandidateParseError(field: "line", token: 0, reason: "longer than 1024 bytes")) {
            try ICECandidate(parsing: "candidate:1 1 udp 1 192.0.2.1 1 typ host x " + String(repeating: "y", count: 1024))
        }
    }
}
