import Testing
@testable import Dissectors

enum CarrierVectors {
    /// WireGuard handshake initiation: sender index 0x12345678 (little-endian on the wire).
    static let wgInitiation = hexBytes("01 00 00 00 78 56 34 12") + [UInt8](repeating: 0xA5, count: 140)
    /// Handshake response: sender 0x44332211, receiver 0x12345678.
    static let wgResponse = hexBytes("02 00 00 00 11 22 33 44 78 56 34 12") + [UInt8](repeating: 0x5A, count: 80)
    /// Cookie reply to receiver 0x12345678.
    static let wgCookie = hexBytes("03 00 00 00 78 56 34 12") + [UInt8](repeating: 0x11, count: 56)
    /// Transport data to receiver 0x44332211, counter 42, 16-byte tag + 16 bytes.
    static let wgData = hexBytes("04 00 00 00 11 22 33 44 2a 00 00 00 00 00 00 00") + [UInt8](repeating: 0x77, count: 32)

    /// OpenVPN P_CONTROL_HARD_RESET_CLIENT_V2, key 0, session 0x1122334455667788, no ACKs, packet id 0.
    static let ovpnHardReset = hexBytes("38 11 22 33 44 55 66 77 88 00 00 00 00 00")
    /// P_DATA_V2 key 1, peer id 5.
    static let ovpnData = hexBytes("49 00 00 05 de ad be ef")

    /// IKEv2 IKE_SA_INIT request: I flag, next payload SA (33), length 32 (4 payload bytes).
    static let ikeSAInit = hexBytes("""
        01 02 03 04 05 06 07 08 00 00 00 00 00 00 00 00 21 20 22 08 00 00 00 00 00 00 00 20
        00 00 00 04
        """)
    /// IKEv2 IKE_AUTH response: R flag, responder SPI set.
    static let ikeAuthResponse = hexBytes("""
        01 02 03 04 05 06 07 08 a1 a2 a3 a4 a5 a6 a7 a8 2e 20 23 20 00 00 00 01 00 00 00 1c
        """)
    /// ESP: SPI 0xc0ffee01, sequence 7, then ciphertext.
    static let esp = hexBytes("c0 ff ee 01 00 00 00 07 01 02 03 04 05 06 07 08")
    /// L2TPv2 control (T, L, S): length 12, tunnel 1, session 0, Ns 0, Nr 0.
    static let l2tpV2Control = hexBytes("c8 02 00 0c 00 01 00 00 00 00 00 00")
    /// L2TPv2 data without length: tunnel 0x1234, session 0x0042, then PPP.
    static let l2tpV2Data = hexBytes("00 02 12 34 00 42 ff 03 00 21")
    /// L2TPv3 data over UDP: session 0xabcdef01.
    static let l2tpV3Data = hexBytes("00 03 00 00 ab cd ef 01 00 00")
}

@Test func wireguardMessagesDecodeIndicesAndCounter() throws {
    try withView(CarrierVectors.wgInitiation) { v in
        #expect(WireGuardMessage.isLikely(v))
        let m = try WireGuardMessage(v)
        #expect(m.problem == nil)
        var expected = CarrierSummary(protocol: "wireguard", message: "handshake-initiation")
        expected.senderIndex = "0x12345678"
        #expect(m.summary() == expected)
    }
    try withView(CarrierVectors.wgResponse) { v in
        #expect(WireGuardMessage.isLikely(v))
        let m = try WireGuardMessage(v)
        #expect(m.senderIndex == 0x4433_2211)
        #expect(m.receiverIndex == 0x1234_5678)
        #expect(m.summary().message == "handshake-response")
    }
    try withView(CarrierVectors.wgCookie) { v in
        #expect(WireGuardMessage.isLikely(v))
        let m = try WireGuardMessage(v)
        #expect(m.summary().message == "cookie-reply")
        #expect(m.summary().receiverIndex == "0x12345678")
        #expect(m.senderIndex == nil)
    }
    try withView(CarrierVectors.wgData) { v in
        #expect(WireGuardMessage.isLikely(v))
        let m = try WireGuardMessage(v)
        var expected = CarrierSummary(protocol: "wireguard", message: "transport-data")
        expected.receiverIndex = "0x44332211"
        expected.counter = 42
        expected.length = 48
        #expect(m.summary() == expected)
    }
    // Wrong sizes, non-zero reserved bytes, unknown types.
    withView(CarrierVectors.wgInitiation + [0]) { v in
        #expect(!WireGuardMessage.isLikely(v))
        #expect((try? WireGuardMessage(v))?.problem == .malformed(layer: .wireguard, offset: 148, reason: .init("message longer than its type's fixed size")))
    }
    var reserved = CarrierVectors.wgData
    reserved[2] = 1
    withView(reserved) { v in
        #expect(!WireGuardMessage.isLikely(v))
        #expect(throws: WireError.malformed(layer: .wireguard, offset: 1, reason: .init("reserved bytes are not zero"))) { try WireGuardMessage(v) }
    }
    withView(hexBytes("05 00 00 00") + [UInt8](repeating: 0, count: 60)) { v in
        #expect(!WireGuardMessage.isLikely(v))
    }
    for vector in [CarrierVectors.wgInitiation, CarrierVectors.wgResponse, CarrierVectors.wgCookie, CarrierVectors.wgData] {
        // Transport data of any length from 32 bytes up is a whole message.
        expectEveryPrefixNoted(vector, allowClean: { vector[0] == 4 && $0 >= 32 }) { v in
            guard let m = try? WireGuardMessage(v) else { return true }
            _ = m.summary()
            return m.problem != nil
        }
    }
}

@Test func openvpnOpcodesKeyIDAndSession() throws {
    try withView(CarrierVectors.ovpnHardReset) { v in
        #expect(OpenVPNPacket.isLikely(v))
        let p = try OpenVPNPacket(v)
        var expected = CarrierSummary(protocol: "openvpn", message: "P_CONTROL_HARD_RESET_CLIENT_V2")
        expected.opcode = 7
        expected.keyID = 0
        expected.sessionID = "0x1122334455667788"
        expected.length = 14
        #expect(p.summary() == expected)
    }
    // Over TCP: the same packet after a 2-byte length.
    try withView([0x00, 0x0E] + CarrierVectors.ovpnHardReset) { v in
        #expect(OpenVPNPacket.isLikely(v, overTCP: true))
        #expect(!OpenVPNPacket.isLikely(v))
        let p = try OpenVPNPacket(v, overTCP: true)
        #expect(p.tcpLength == 14)
        #expect(p.opcode == .hardResetClientV2)
        #expect(p.sessionID == 0x1122_3344_5566_7788)
        #expect(p.problem == nil)
    }
    try withView(CarrierVectors.ovpnData) { v in
        #expect(!OpenVPNPacket.isLikely(v))
        let p = try OpenVPNPacket(v)
        #expect(p.opcode == .dataV2)
        #expect(p.keyID == 1)
        #expect(p.peerID == 5)
        #expect(p.sessionID == nil)
        #expect(p.summary().message == "P_DATA_V2")
    }
    let names: [(UInt8, String)] = [(1, "P_CONTROL_HARD_RESET_CLIENT_V1"), (2, "P_CONTROL_HARD_RESET_SERVER_V1"),
                                    (4, "P_CONTROL_V1"), (5, "P_ACK_V1"), (6, "P_DATA_V1"),
                                    (8, "P_CONTROL_HARD_RESET_SERVER_V2"), (10, "P_CONTROL_HARD_RESET_CLIENT_V3")]
    for (op, name) in names {
        try withView([op << 3 | 2] + [UInt8](repeating: 0, count: 12)) { v in
            let p = try OpenVPNPacket(v)
            #expect(p.summary().message == name)
            #expect(p.keyID == 2)
        }
    }
    withView([0x00, 0x01]) { v in #expect(throws: WireError.self) { try OpenVPNPacket(v) } }
    expectEveryPrefixNoted(CarrierVectors.ovpnHardReset, allowClean: { $0 >= 9 }) { v in
        guard let p = try? OpenVPNPacket(v) else { return true }
        return p.problem != nil
    }
    expectEveryPrefixNoted([0x00, 0x0E] + CarrierVectors.ovpnHardReset) { v in
        guard let p = try? OpenVPNPacket(v, overTCP: true) else { return true }
        return p.problem != nil
    }
}

@Test func ikeHeadersV1AndV2() throws {
    try withView(CarrierVectors.ikeSAInit) { v in
        #expect(IKEHeader.isLikely(v))
        let h = try IKEHeader(v)
        #expect(h.isInitiator)
        #expect(!h.isResponse)
        var expected = CarrierSummary(protocol: "ike", message: "IKE_SA_INIT request")
        expected.version = "2.0"
        expected.exchangeType = 34
        expected.initiatorSPI = "0x0102030405060708"
        expected.responderSPI = "0x0000000000000000"
        expected.messageID = 0
        expected.length = 32
        #expect(h.summary() == expected)
        #expect(h.nextPayload == 33)
    }
    try withView(CarrierVectors.ikeAuthResponse) { v in
        let h = try IKEHeader(v)
        #expect(h.messageName == "IKE_AUTH response")
        #expect(h.summary().responderSPI == "0xa1a2a3a4a5a6a7a8")
        #expect(h.messageID == 1)
    }
    // IKEv1 Main Mode.
    var v1 = CarrierVectors.ikeAuthResponse
    v1[17] = 0x10
    v1[18] = 2
    v1[19] = 0
    try withView(v1) { v in
        #expect(IKEHeader.isLikely(v))
        let h = try IKEHeader(v)
        #expect(h.messageName == "Identity Protection (Main Mode)")
    }
    var badVersion = CarrierVectors.ikeSAInit
    badVersion[17] = 0x30
    withView(badVersion) { v in
        #expect(!IKEHeader.isLikely(v))
        #expect(throws: WireError.malformed(layer: .isakmp, offset: 17, reason: .init("major version is not 1 or 2"))) { try IKEHeader(v) }
    }
    expectEveryPrefixNoted(CarrierVectors.ikeSAInit) { v in
        guard let h = try? IKEHeader(v) else { return true }
        return h.problem != nil
    }
}

@Test func espAndNATTraversal() throws {
    try withView(CarrierVectors.esp) { v in
        let e = try ESPPacket(v)
        var expected = CarrierSummary(protocol: "esp", message: "esp")
        expected.spi = "0xc0ffee01"
        expected.sequence = 7
        expected.length = 16
        #expect(e.summary() == expected)
    }
    try withView([0xFF]) { v in
        let p = try NATTraversalPayload(v)
        #expect(p.summary() == CarrierSummary(protocol: "nat-t", message: "keepalive"))
    }
    try withView([0, 0, 0, 0] + CarrierVectors.ikeSAInit) { v in
        guard case .ike(let h) = try NATTraversalPayload(v) else { Issue.record("not IKE"); return }
        #expect(h.exchangeType == 34)
    }
    try withView(CarrierVectors.esp) { v in
        guard case .esp(let e) = try NATTraversalPayload(v) else { Issue.record("not ESP"); return }
        #expect(e.spi == 0xC0FF_EE01)
    }
    // A bad IKE header behind the marker: offsets count from the UDP payload.
    withView([0, 0, 0, 0, 1, 2]) { v in
        #expect(throws: WireError.truncated(layer: .isakmp, offset: 4, needed: 28, available: 2)) { try NATTraversalPayload(v) }
    }
    withView([0, 0, 0, 0, 0, 0, 0, 1]) { v in #expect(throws: WireError.self) { try ESPPacket(v) } }
    expectEveryPrefixNoted(CarrierVectors.esp, allowClean: { $0 >= 8 }) { v in (try? ESPPacket(v)) == nil }
    mutateEveryByte([0, 0, 0, 0] + CarrierVectors.ikeSAInit) { v in _ = (try? NATTraversalPayload(v))?.summary() }
}

@Test func l2tpV2AndV3Headers() throws {
    try withView(CarrierVectors.l2tpV2Control) { v in
        let h = try L2TPHeader(v)
        var expected = CarrierSummary(protocol: "l2tp", message: "control")
        expected.version = "2"
        expected.tunnelID = 1
        expected.sessionID = "0x00000000"
        expected.length = 12
        #expect(h.summary() == expected)
        #expect(h.problem == nil)
    }
    try withView(CarrierVectors.l2tpV2Data) { v in
        let h = try L2TPHeader(v)
        #expect(!h.isControl)
        #expect(h.tunnelID == 0x1234)
        #expect(h.sessionID == 0x42)
        #expect(h.headerLength == 6)
    }
    try withView(CarrierVectors.l2tpV3Data) { v in
        let h = try L2TPHeader(v)
        #expect(h.version == 3)
        #expect(h.sessionID == 0xABCD_EF01)
        #expect(h.summary().sessionID == "0xabcdef01")
        #expect(h.tunnelID == nil)
    }
    withView([0x00, 0x01]) { v in #expect(throws: WireError.self) { try L2TPHeader(v) } }
    expectEveryPrefixNoted(CarrierVectors.l2tpV2Control) { v in
        guard let h = try? L2TPHeader(v) else { return true }
        _ = h.summary()
        return h.problem != nil
    }
    mutateEveryByte(CarrierVectors.l2tpV2Control) { v in _ = (try? L2TPHeader(v))?.summary() }
}

/// OpenVPNCandidate reads what a mid-session packet's fields would be; every prefix reads or is nil.
@Test func openvpnCandidateFields() throws {
    // P_DATA_V2 key 1, peer id 0x000105, AEAD packet id 0x2a, tag and ciphertext.
    let data = hexBytes("49 00 01 05 00 00 00 2a") + [UInt8](repeating: 0xEE, count: 32)
    withView(data) { v in
        let c = OpenVPNCandidate(v)
        #expect(c?.opcode == 9 && c?.keyID == 1 && c?.peerID == 0x105 && c?.dataPacketID == 42 && c?.captured == 40)
    }
    // P_CONTROL_V1 with tls-auth (HMAC-SHA1): session, HMAC, packet id 7, time 1700000000, no ACKs.
    let tlsAuth = hexBytes("20 11 22 33 44 55 66 77 88") + [UInt8](repeating: 0xA5, count: 20)
        + hexBytes("00 00 00 07 65 53 f1 00 00 00 00 00 03") + [UInt8](repeating: 0x16, count: 20)
    withView(tlsAuth) { v in
        let c = OpenVPNCandidate(v)
        #expect(c?.sessionID == 0x1122_3344_5566_7788)
        #expect(c?.layoutPacketIDs[1] == 7 && c?.layoutTimes[1] == 1_700_000_000)
        #expect(OpenVPNCandidate.controlLayouts[1].name == "tls-auth HMAC 20 bytes")
        #expect(c?.readable == 0b0011_0111)   // 62 bytes: every layout but HMAC 64 and 48 (they need 77 and 65)
        #expect(c?.fitsPlain == false)        // 0xa5 ACKs: more than 8
    }
    // P_ACK_V1 without tls-auth: session, 1 ACK id, the peer's session: exactly 22 bytes.
    let ack = hexBytes("28 01 02 03 04 05 06 07 08 01 00 00 00 05 09 09 09 09 09 09 09 09")
    withView(ack) { v in #expect(OpenVPNCandidate(v)?.fitsPlain == true) }
    // Hard resets, other opcodes and short packets are no candidates.
    for bytes in [CarrierVectors.ovpnHardReset, hexBytes("80 00 00 00 00"), hexBytes("49 00 01"), hexBytes("30 00 00 00")] {
        withView(bytes) { v in #expect(OpenVPNCandidate(v) == nil) }
    }
    for n in 0...tlsAuth.count { withView(Array(tlsAuth.prefix(n))) { v in _ = OpenVPNCandidate(v) } }
}
