import Testing
@testable import Dissectors

/// Deterministic xorshift64* so a failure reproduces.
struct FuzzRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Runs every app parser, its recognisers and its summary on `v`.
func exerciseAllAppParsers(_ v: ByteView) {
    _ = STUNMessage.isLikelyAny(v)
    _ = STUNMessage.isLikely(v, overTCP: true)
    if let m = try? STUNMessage(v) {
        _ = m.summary(); _ = m.xorMappedAddress; _ = m.iceUfrag; _ = m.fingerprintValid; _ = m.isICECheck
    }
    _ = TURNChannelData.isLikely(v)
    _ = (try? TURNChannelData(v))?.summary()
    for layer in [Layer.dns, .mdns, .nbns] {
        if let m = try? DNSMessage(v, layer: layer) {
            _ = m.summary()
            for r in m.records { _ = r.targetName?.text; _ = r.soa; _ = r.name == "example.com" }
        }
    }
    _ = DNSMessage.isLikely(v)
    _ = WireGuardMessage.isLikely(v)
    _ = (try? WireGuardMessage(v))?.summary()
    _ = OpenVPNPacket.isLikely(v)
    _ = OpenVPNPacket.isLikely(v, overTCP: true)
    _ = (try? OpenVPNPacket(v))?.summary()
    _ = (try? OpenVPNPacket(v, overTCP: true))?.summary()
    _ = OpenVPNCandidate(v)
    _ = IKEHeader.isLikely(v)
    _ = (try? NATTraversalPayload(v))?.summary()
    _ = (try? L2TPHeader(v))?.summary()
    _ = (try? ARPPacket(v))?.summary()
    _ = (try? ICMPv4Message(v))?.summary()
    _ = (try? ICMPv6Message(v))?.summary()
    _ = (try? DHCPv4Message(v))?.summary()
    _ = (try? DHCPv6Message(v))?.summary()
    _ = TLSClientHello.isLikely(v)
    _ = (try? TLSClientHello(v))?.summary()
    _ = QUICLongHeader.isLikely(v)
    _ = (try? QUICLongHeader(v))?.summary()
    _ = HTTPRequest.isLikely(v)
    _ = (try? HTTPRequest(v))?.summary()
}

@Test func randomBytesNeverCrashAnyAppParser() {
    var rng = FuzzRandom(state: 0x9E37_79B9_7F4A_7C15)
    for _ in 0..<3000 {
        let n = rng.below(320)
        var b = [UInt8](repeating: 0, count: n)
        for i in 0..<n { b[i] = UInt8(truncatingIfNeeded: rng.next()) }
        // Bias the first bytes towards real headers so deeper code runs.
        if n >= 8, rng.below(2) == 0 { b[4] = 0x21; b[5] = 0x12; b[6] = 0xA4; b[7] = 0x42; b[0] &= 0x01 }
        withView(b, exerciseAllAppParsers)
    }
}

@Test func mutatedValidMessagesNeverCrashAnyAppParser() {
    var rng = FuzzRandom(state: 42)
    let seeds = [RFC5769.sampleRequest, RFC5769.ipv6Response, DNSVectors.response, DNSVectors.records,
                 DNSVectors.nbnsQuery, CarrierVectors.wgResponse, CarrierVectors.ikeSAInit, AppVectors.dhcpAck,
                 AppVectors.dhcpv6Reply, AppVectors.routerAdvertisement, AppVectors.clientHello, AppVectors.quicInitial,
                 AppVectors.httpRequest, AppVectors.arpRequest, QUICVectors.clientInitial]
    for seed in seeds {
        for _ in 0..<300 {
            var b = seed
            for _ in 0..<(1 + rng.below(4)) {
                let i = rng.below(b.count)
                b[i] = UInt8(truncatingIfNeeded: rng.next())
            }
            if rng.below(4) == 0 { b = Array(b.prefix(rng.below(b.count + 1))) }
            withView(b, exerciseAllAppParsers)
        }
    }
}
