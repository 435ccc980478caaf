import Testing
@testable import Dissectors

/// RFC 5769 test vectors, byte-exact.
enum RFC5769 {
    static let sampleRequest = hexBytes("""
        00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
        00 24 00 04 6e 00 01 ff
        80 29 00 08 93 2f f9 b1 51 26 3b 36
        00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
        00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
        80 28 00 04 e5 7a 3b cf
        """)
    static let ipv4Response = hexBytes("""
        01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 08 00 01 a1 47 e1 12 a6 43
        00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
        80 28 00 04 c0 7d 4c 96
        """)
    static let ipv6Response = hexBytes("""
        01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
        00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
        80 28 00 04 c8 fb 0b 4c
        """)
    static let longTermRequest = hexBytes("""
        00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
        00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
        00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
        00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
        00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66
        """)
}

func stun(_ bytes: [UInt8]) throws -> STUNSummary {
    try withView(bytes) { v in try STUNMessage(v).summary() }
}

@Test func rfc5769SampleRequest() throws {
    try withView(RFC5769.sampleRequest) { v in
        #expect(STUNMessage.isLikely(v))
        #expect(!STUNMessage.isLikelyClassic(v))
        let m = try STUNMessage(v)
        #expect(m.problem == nil)
        #expect(m.method == 0x001)
        #expect(m.messageClass == .request)
        #expect(m.fingerprintValid == true)
        #expect(m.software.map { AppText.text($0) } == "STUN test client")
        #expect(m.username.map { AppText.text($0) } == "evtj:h6vY")
        #expect(m.iceUfrag.map { AppText.text($0) } == "evtj")
        #expect(m.isICECheck)
        #expect(m.transactionID == STUNTransactionID(hi: 0x2112_A442_B7E7_A701, lo: 0xBC34_D686_FA87_DFAE, classic: false))
    }
    let s = try stun(RFC5769.sampleRequest)
    #expect(s == STUNSummary(
        type: 1, method: "binding", messageClass: "request", transactionID: "b7e7a701bc34d686fa87dfae", classic: false,
        attributes: [
            .init(type: 0x8022, name: "SOFTWARE", value: "STUN test client"),
            .init(type: 0x0024, name: "PRIORITY", value: "1845494271"),
            .init(type: 0x8029, name: "ICE-CONTROLLED", value: "0x932ff9b151263b36"),
            .init(type: 0x0006, name: "USERNAME", value: "evtj:h6vY"),
            .init(type: 0x0008, name: "MESSAGE-INTEGRITY", value: "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"),
            .init(type: 0x8028, name: "FINGERPRINT", value: "0xe57a3bcf ok"),
        ]))
}

@Test func rfc5769IPv4Response() throws {
    try withView(RFC5769.ipv4Response) { v in
        let m = try STUNMessage(v)
        #expect(m.problem == nil)
        #expect(m.messageClass == .success)
        #expect(m.xorMappedAddress == SocketAddress(address: .v4(0xC000_0201), port: 32853))
        #expect(m.reflexiveAddress?.description == "192.0.2.1:32853")
        #expect(m.mappedAddress == nil)
        #expect(m.fingerprintValid == true)
    }
    let s = try stun(RFC5769.ipv4Response)
    #expect(s.method == "binding")
    #expect(s.messageClass == "success")
    #expect(s.attributes[0] == .init(type: 0x8022, name: "SOFTWARE", value: "test vector"))
    #expect(s.attributes[1] == .init(type: 0x0020, name: "XOR-MAPPED-ADDRESS", address: "192.0.2.1", port: 32853))
    #expect(s.attributes[3] == .init(type: 0x8028, name: "FINGERPRINT", value: "0xc07d4c96 ok"))
}

@Test func rfc5769IPv6Response() throws {
    try withView(RFC5769.ipv6Response) { v in
        let m = try STUNMessage(v)
        #expect(m.problem == nil)
        #expect(m.xorMappedAddress?.address.description == "2001:db8:1234:5678:11:2233:4455:6677")
        #expect(m.xorMappedAddress?.port == 32853)
        #expect(m.fingerprintValid == true)
    }
    let s = try stun(RFC5769.ipv6Response)
    #expect(s.attributes[1] == .init(type: 0x0020, name: "XOR-MAPPED-ADDRESS",
                                     address: "2001:db8:1234:5678:11:2233:4455:6677", port: 32853))
    #expect(s.attributes[3].value == "0xc8fb0b4c ok")
}

/// A TURN Allocate's USERNAME is a long-term credential ("bench:user" in the bench
/// workload), not an ICE ufrag: only a Binding request that is an ICE check has one.
@Test func usernameOutsideICEChecksIsNoUfrag() throws {
    func message(type: UInt16, attrs: [(UInt16, [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        for (t, v) in attrs {
            body += [UInt8(t >> 8), UInt8(t & 0xFF), 0, UInt8(v.count)] + v
            body += [UInt8](repeating: 0, count: (4 - v.count % 4) % 4)
        }
        return [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(body.count >> 8), UInt8(body.count & 0xFF),
                0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 7, count: 12) + body
    }
    let user: (UInt16, [UInt8]) = (0x0006, Array("bench:user".utf8))
    let priority: (UInt16, [UInt8]) = (0x0024, [0x6E, 0x00, 0x01, 0xFF])
    // Allocate request (0x0003) with USERNAME and REQUESTED-TRANSPORT.
    try withView(message(type: 0x0003, attrs: [user, (0x0019, [17, 0, 0, 0])])) { v in
        let m = try STUNMessage(v)
        #expect(m.username.map { AppText.text($0) } == "bench:user")
        #expect(m.iceUfrag == nil)
    }
    // A Binding request with USERNAME but no ICE attribute: a STUN long-term credential.
    try withView(message(type: 0x0001, attrs: [user])) { v throws in
        let m = try STUNMessage(v)
        #expect(m.iceUfrag == nil)
    }
    // The same with PRIORITY: an ICE connectivity check.
    try withView(message(type: 0x0001, attrs: [user, priority])) { v throws in
        let m = try STUNMessage(v)
        #expect(m.iceUfrag.map { AppText.text($0) } == "bench")
    }
}

@Test func rfc5769LongTermAuthRequest() throws {
    try withView(RFC5769.longTermRequest) { v in
        let m = try STUNMessage(v)
        #expect(m.problem == nil)
        #expect(m.fingerprintValid == nil)
        #expect(m.iceUfrag == nil)
        #expect(!m.isICECheck)
    }
    let s = try stun(RFC5769.longTermRequest)
    #expect(s.transactionID == "78ad3433c6ad72c029da412e")
    #expect(s.attributes.map(\.name) == ["USERNAME", "NONCE", "REALM", "MESSAGE-INTEGRITY"])
    #expect(s.attributes[0].value == "マトリックス")
    #expect(s.attributes[1].value == "f//499k954d6OL34oL9FSTvy64sA")
    #expect(s.attributes[2].value == "example.org")
}

@Test func fingerprintMismatchIsReportedBad() throws {
    var b = RFC5769.ipv4Response
    b[b.count - 1] ^= 0x01
    try withView(b) { v in
        let m = try STUNMessage(v)
        #expect(m.fingerprintValid == false)
        #expect(m.summary().attributes[3].value == "0xc07d4c97 bad")
    }
}

/// A TURN Allocate success response built by hand: XOR-RELAYED-ADDRESS,
/// XOR-MAPPED-ADDRESS, LIFETIME, then an error response and ChannelBind.
@Test func turnAllocateResponseDecodesRelayedAndMapped() throws {
    // 0x0103 = allocate success. Transaction ID 0x0102...0c.
    let b = hexBytes("""
        01 03 00 20 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c
        00 16 00 08 00 01 f3 d6 e1 baa1 ea
        00 20 00 08 00 01 e1 e1 ef 21 c0 40
        00 0d 00 04 00 00 02 58
        """)
    // relayed: port 0xf3d6^0x2112 = 0xd2c4 = 53956; 0xe1baa1ea ^ 0x2112a442 = 0xc0a805a8 = 192.168.5.168
    // mapped: port 0xe1e1^0x2112 = 0xc0f3 = 49395; 0xef21c040 ^ 0x2112a442 = 0xce336402 = 206.51.100.2
    let s = try stun(b)
    #expect(s.method == "allocate")
    #expect(s.messageClass == "success")
    #expect(s.attributes == [
        .init(type: 0x0016, name: "XOR-RELAYED-ADDRESS", address: "192.168.5.168", port: 53956),
        .init(type: 0x0020, name: "XOR-MAPPED-ADDRESS", address: "206.51.100.2", port: 49395),
        .init(type: 0x000D, name: "LIFETIME", value: "600"),
    ])
    try withView(b) { v in
        let m = try STUNMessage(v)
        #expect(m.xorRelayedAddress == SocketAddress(address: .v4(0xC0A8_05A8), port: 53956))
        #expect(STUNMessage.isLikely(v))
    }
}

@Test func turnMethodsClassesAndTextAttributes() throws {
    // Allocate error response (0x0113) with ERROR-CODE 401, REALM, NONCE.
    let err = hexBytes("""
        01 13 00 30 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 01
        00 09 00 10 00 00 04 01 55 6e 61 75 74 68 6f 72 69 7a 65 64
        00 14 00 06 65 78 2e 6f 72 67 00 00
        00 15 00 04 61 62 63 64
        00 19 00 04 11 00 00 00
        """)
    let s = try stun(err)
    #expect(s.method == "allocate")
    #expect(s.messageClass == "error")
    #expect(s.attributes.map(\.value) == ["401 Unauthorized", "ex.org", "abcd", "UDP"])
    // Method/class matrix: every method with every class round-trips through the type bits.
    let methods: [(UInt16, String)] = [(1, "binding"), (3, "allocate"), (4, "refresh"), (6, "send"), (7, "data"),
                                       (8, "create-permission"), (9, "channel-bind"), (0xA, "connect"),
                                       (0xB, "connection-bind"), (0xC, "connection-attempt"), (0x123, "0x123")]
    for (method, name) in methods {
        for (cls, className) in [(0, "request"), (1, "indication"), (2, "success"), (3, "error")] {
            let type = (method & 0xF) | ((method & 0x70) << 1) | ((method & 0xF80) << 2)
                | UInt16(cls & 1) << 4 | UInt16(cls & 2) << 7
            let b = [UInt8(type >> 8), UInt8(type & 0xFF), 0, 0, 0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 7, count: 12)
            let s = try stun(b)
            #expect(s.method == name)
            #expect(s.messageClass == className)
            #expect(s.type == Int(type))
        }
    }
}

@Test func sendIndicationWithPeerAddressDataAndChannelNumber() throws {
    // Send indication 0x0016: XOR-PEER-ADDRESS 198.51.100.2:5000, DATA 3 bytes, CHANNEL-NUMBER 0x4001.
    // IPv4 198.51.100.2 = c6336402 ^ 2112a442 = e721c040; port 5000 = 0x1388 ^ 0x2112 = 0x329a
    let b = hexBytes("""
        00 16 00 1c 21 12 a4 42 aa aa aa aa bb bb bb bb cc cc cc cc
        00 12 00 08 00 01 32 9a e7 21 c0 40
        00 13 00 03 01 02 03 00
        00 0c 00 04 40 01 00 00
        """)
    let s = try stun(b)
    #expect(s.method == "send")
    #expect(s.messageClass == "indication")
    #expect(s.attributes == [
        .init(type: 0x0012, name: "XOR-PEER-ADDRESS", address: "198.51.100.2", port: 5000),
        .init(type: 0x0013, name: "DATA", value: "3 bytes"),
        .init(type: 0x000C, name: "CHANNEL-NUMBER", value: "0x4001"),
    ])
    try withView(b) { v in
        let m = try STUNMessage(v)
        #expect(m.xorPeerAddress?.description == "198.51.100.2:5000")
    }
}

@Test func otherAddressAttributesAndIceFlags() throws {
    // Binding success with MAPPED-ADDRESS, RESPONSE-ORIGIN, OTHER-ADDRESS, ALTERNATE-SERVER (IPv6),
    // a request-side USE-CANDIDATE and ICE-CONTROLLING, and an unknown 0x7777 attribute kept by number.
    let b = hexBytes("""
        01 01 00 58 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 02
        00 01 00 08 00 01 13 88 c6 33 64 02
        80 2b 00 08 00 01 0d 96 cb 00 71 01
        80 2c 00 08 00 01 0d 97 cb 00 71 02
        80 23 00 14 00 02 0d 96 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 09
        00 25 00 00
        80 2a 00 08 00 00 00 00 00 00 00 2a
        77 77 00 05 01 02 03 04 05 00 00 00
        """)
    let s = try stun(b)
    #expect(s.attributes == [
        .init(type: 0x0001, name: "MAPPED-ADDRESS", address: "198.51.100.2", port: 5000),
        .init(type: 0x802B, name: "RESPONSE-ORIGIN", address: "203.0.113.1", port: 3478),
        .init(type: 0x802C, name: "OTHER-ADDRESS", address: "203.0.113.2", port: 3479),
        .init(type: 0x8023, name: "ALTERNATE-SERVER", address: "2001:db8::9", port: 3478),
        .init(type: 0x0025, name: "USE-CANDIDATE"),
        .init(type: 0x802A, name: "ICE-CONTROLLING", value: "0x000000000000002a"),
        .init(type: 0x7777, name: "0x7777", value: "0102030405"),
    ])
    try withView(b) { v in
        let m = try STUNMessage(v)
        #expect(m.problem == nil)
        #expect(m.mappedAddress?.description == "198.51.100.2:5000")
        #expect(m.reflexiveAddress?.description == "198.51.100.2:5000")
    }
}

@Test func classicRFC3489BindingResponse() throws {
    // 0x0101 with a 16-byte transaction ID and MAPPED-ADDRESS, SOURCE-ADDRESS, CHANGED-ADDRESS.
    let b = hexBytes("""
        01 01 00 24 0f 0e 0d 0c 0b 0a 09 08 07 06 05 04 03 02 01 00
        00 01 00 08 00 01 13 88 c6 33 64 02
        00 04 00 08 00 01 0d 96 cb 00 71 01
        00 05 00 08 00 01 0d 97 cb 00 71 02
        """)
    try withView(b) { v in
        #expect(!STUNMessage.isLikely(v))
        #expect(STUNMessage.isLikelyClassic(v))
        let m = try STUNMessage(v)
        #expect(m.isClassic)
        #expect(m.layer == .classicstun)
        #expect(m.mappedAddress?.description == "198.51.100.2:5000")
    }
    let s = try stun(b)
    #expect(s.classic)
    #expect(s.transactionID == "0f0e0d0c0b0a09080706050403020100")
    #expect(s.attributes.map(\.name) == ["MAPPED-ADDRESS", "SOURCE-ADDRESS", "CHANGED-ADDRESS"])
    #expect(s.attributes[2].address == "203.0.113.2")
    // Classic recognition is strict: unknown attribute type, wrong message type, or a walk that overshoots.
    var unknownAttr = b
    unknownAttr[20] = 0x70
    var badType = b
    badType[1] = 0x03
    var overshoot = b
    overshoot[23] = 0x0C
    for variant in [unknownAttr, badType, overshoot] {
        withView(variant) { #expect(!STUNMessage.isLikelyClassic($0)) }
    }
}

@Test func stunOverTCPStartsAStreamChunk() {
    withView(RFC5769.ipv4Response + RFC5769.sampleRequest) { v in
        #expect(!STUNMessage.isLikely(v))
        #expect(STUNMessage.isLikely(v, overTCP: true))
        #expect((try? STUNMessage(v))?.messageLength == RFC5769.ipv4Response.count)
        #expect((try? STUNMessage(v))?.problem == nil)
    }
}

@Test func iceTCPFramingRFC4571() throws {
    let framed = [0x00, UInt8(RFC5769.sampleRequest.count)] + RFC5769.sampleRequest + [0x00, 0x10]
    try withView(framed) { v in
        let inner = try #require(STUNMessage.rfc4571Framed(v))
        #expect(inner.count == RFC5769.sampleRequest.count)
        let m = try STUNMessage(inner)
        #expect(m.iceUfrag.map { AppText.text($0) } == "evtj")
    }
    withView(RFC5769.sampleRequest) { #expect(STUNMessage.rfc4571Framed($0) == nil) }
    withView([0x00, 0x50, 0x00, 0x01]) { #expect(STUNMessage.rfc4571Framed($0) == nil) }
}

@Test func classicRecognitionRejectsModernAndRandom() {
    withView(RFC5769.sampleRequest) { #expect(!STUNMessage.isLikelyClassic($0)) }
    withView([UInt8](repeating: 0, count: 20)) { #expect(!STUNMessage.isLikelyClassic($0)) }
}

@Test func hostileAttributeLengthFFFF() throws {
    // Like corelight's stun-attribute-length-ffff.pcap: a header that is fine, then 0xffff.
    let b = hexBytes("""
        00 01 00 08 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 03
        80 22 ff ff 41 41 41 41
        """)
    try withView(b) { v in
        let m = try STUNMessage(v)
        #expect(m.problem == .malformed(layer: .stun, offset: 22, reason: .init("attribute length runs past the end of the message")))
        // The bytes present are kept, marked truncated.
        #expect(m.summary().attributes == [.init(type: 0x8022, name: "SOFTWARE", value: "AAAA", truncated: true)])
    }
    // A response cut inside its attribute list still yields the mapped address
    // (like frame 2 of corelight's capture: MAPPED-ADDRESS with length 0xffff).
    let cut = hexBytes("""
        01 01 00 0c 21 12 a4 42 53 4f 70 43 69 69 35 4a 66 63 31 7a
        00 01 ff ff 00 01 11 fc 46 c7 80 2e
        """)
    try withView(cut) { v in
        let m = try STUNMessage(v)
        #expect(m.problem != nil)
        #expect(m.mappedAddress?.description == "70.199.128.46:4604")
        #expect(m.summary().attributes == [.init(type: 1, name: "MAPPED-ADDRESS", address: "70.199.128.46", port: 4604, truncated: true)])
    }
}

@Test func hostileLengthNotMultipleOfFourAndShortHeader() throws {
    let b = hexBytes("00 01 00 05 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 03 00 25 00 00 00")
    try withView(b) { v in
        #expect(!STUNMessage.isLikely(v))
        let m = try STUNMessage(v)
        #expect(m.problem == .malformed(layer: .stun, offset: 2, reason: .init("message length is not a multiple of 4")))
    }
    withView(Array(b[..<19])) { v in
        #expect(throws: WireError.truncated(layer: .stun, offset: 0, needed: 20, available: 19)) { try STUNMessage(v) }
    }
    withView(hexBytes("c0 01 00 00 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 03")) { v in
        #expect(throws: WireError.self) { try STUNMessage(v) }
    }
}

@Test func stunTruncatedAtEveryOffset() {
    for vector in [RFC5769.sampleRequest, RFC5769.ipv4Response, RFC5769.ipv6Response, RFC5769.longTermRequest] {
        expectEveryPrefixNoted(vector) { v in
            guard let m = try? STUNMessage(v) else { return true }
            _ = m.summary()
            return m.problem != nil
        }
        mutateEveryByte(vector) { v in
            if let m = try? STUNMessage(v) { _ = m.summary(); _ = m.fingerprintValid; _ = m.iceUfrag }
            _ = STUNMessage.isLikelyAny(v)
        }
    }
}

@Test func turnChannelData() throws {
    let udp = hexBytes("40 01 00 05 68 65 6c 6c 6f")
    try withView(udp) { v in
        #expect(TURNChannelData.isLikely(v))
        let c = try TURNChannelData(v)
        #expect(c.summary() == TURNChannelDataSummary(channel: 0x4001, length: 5))
        #expect(c.data.toArray() == Array("hello".utf8))
        #expect(c.paddedLength == 12)
        #expect(c.problem == nil)
    }
    // Over TCP the message is padded to 4 and may be followed by more.
    withView(udp + [0, 0, 0] + udp) { v in
        #expect(TURNChannelData.isLikely(v, overTCP: true))
        #expect(!TURNChannelData.isLikely(v))
    }
    withView(hexBytes("3f ff 00 00")) { v in
        #expect(!TURNChannelData.isLikely(v))
        #expect(throws: WireError.malformed(layer: .turnChannel, offset: 0, reason: .init("channel number outside 0x4000-0x7FFF"))) {
            try TURNChannelData(v)
        }
    }
    // STUN never looks like ChannelData: its first two bits are zero.
    withView(RFC5769.sampleRequest) { #expect(!TURNChannelData.isLikely($0)) }
    expectEveryPrefixNoted(udp) { v in
        guard let c = try? TURNChannelData(v) else { return true }
        return c.problem != nil
    }
}
