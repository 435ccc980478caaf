import Testing
@testable import Dissectors

enum QUICVectors {
    /// A 1200-byte QUIC v1 client Initial to DCID 8394c8f03e515708 (RFC 9001 A's
    /// DCID, so its keys are A.1's), packet number 2, carrying the ClientHello of
    /// AppVectors.clientHello (SNI www.example.com) in two CRYPTO frames in
    /// reverse order with a PING between, then PADDING. Protected by Python's
    /// `cryptography` (AESGCM); tshark 4.0 decrypts it and shows the same SNI.
    static let clientInitial = hexBytes("""
        c400000001088394c8f03e5157080000449e450ed199b378c5698c57ee12398b4b752da6e111e17c839ca2b5df02cba9
        df5613600d5011b5934a2bfebbd91e4e38dfaf6a61c230b5c7247b984a118ea547a2b15e65c1173c3780d8885b718cb3
        5798c3d6995de611e30cc7adeaab6f711b3d6dd31c9d7733f3e2addf671330c83711b3a043dc02a8ea627f956cf9580b
        fa26361a98a640c1cefdc300b9b4bf0b088bccbca2be5b977ef09da0123e4681ebcc052f9d21b6f0b013ded5c10e4ecc
        26f79f0ec8ed33d0d420a0da1af37ec23c196c119df594cb31b77c75c513b1ea25fd548a6e0961c3e77eb64e2686601a
        c9b36c3fda5ade61a7b5d958df6bb860dbc3d4230e63fd4be1d15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db059a
        e0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c7b4378e846d29f37ed7b4ea9ec5d82e7961b
        7f25a9323851f681d582363aa5f89937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556be52
        afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c7468449a13d8e3b95811a198f3491de3e7fe94
        2b330407abf82a4ed7c1b311663ac69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00f064
        c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632291d6a418211cc2962e20fe47feb3edf330f
        2c603a9d48c0fcb5699dbfe5896425c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2c25e50fd14de
        71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ffef132eef2fa09346aee33c28eb130ff28f5b
        766953334113211996d20011a198e3fc433f9f2541010ae17c1bf202580f6047472fb36857fe843b19f5984009ddc324
        044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73203a4a13e96f5432ec0fd4a1ee65accdd5e3
        904df54c1da510b0ff20dcc0c77fcb2c0e0eb605cb0504db87632cf3d8b4dae6e705769d1de354270123cb11450efc60
        ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03adea2e1fbc5aa463d08ca19896d2bf59a071b85
        1e6c239052172f296bfb5e72404790a2181014f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2162f
        40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda721984b6f440591f355e12d439ff150aab7613499dbd49
        adabc8676eef023b15b65bfc5ca06948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e8f2e
        6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0be79e2fb8f5d5fbbe2e30ecadd220723c8c0
        aea8078cdfcb3868263ff8f0940054da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab760d
        58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9f96f3ca9ec1dde434da7d2d392b905ddf3d1
        f9af93d1af5950bd493f5aa731b4056df31bd267b6b90a079831aaf579be0a39013137aac6d404f518cfd46840647e78
        bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241da5e9456e933a6e15db905152ca1f6415020
        """)
}

@Test func quicCryptoPrimitivesMatchKnownVectors() {
    #expect(hexOf(QUICInitialCrypto.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(hexOf(QUICInitialCrypto.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(hexOf(QUICInitialCrypto.sha256([UInt8](repeating: 0x61, count: 1000))) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    // RFC 4231 test case 2.
    #expect(hexOf(QUICInitialCrypto.hmac(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8)))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    // FIPS 197 appendix C.1.
    let aes = QUICInitialCrypto.AES128(key: hexBytes("000102030405060708090a0b0c0d0e0f"))
    #expect(hexOf(aes.encrypt(hexBytes("00112233445566778899aabbccddeeff"))) == "69c4e0d86a7b0430d8cdb78070b4c55a")
    // RFC 9001 A.1 client Initial keys.
    let keys = QUICInitialCrypto.clientInitialKeys(dcid: hexBytes("8394c8f03e515708"))
    #expect(hexOf(keys.key) == "1f369613dd76d5467730efcbe3b1a22d")
    #expect(hexOf(keys.iv) == "fa044b2f42a3fd3b46fb255c")
    #expect(hexOf(keys.hp) == "9f50449e04a0e810283a1e9933adedd2")
}

func hexOf(_ b: [UInt8]) -> String { withView(b) { $0.hex() } }

@Test func quicClientInitialYieldsSNI() throws {
    try withView(QUICVectors.clientInitial) { v in
        #expect(QUICLongHeader.isLikely(v))
        let q = try QUICLongHeader(v)
        #expect(q.clientInitialSNI() == .found("www.example.com"))
        #expect(q.summary() == QUICSummary(version: "0x00000001", packetType: "initial", dcid: "8394c8f03e515708",
                                           scid: "", tokenLength: 0, sni: "www.example.com", note: nil))
    }
    // One flipped ciphertext bit: the tag no longer matches.
    var tampered = QUICVectors.clientInitial
    tampered[600] ^= 0x01
    try withView(tampered) { v in
        let q = try QUICLongHeader(v)
        #expect(q.clientInitialSNI() == .notDecrypted("authentication failed"))
        #expect(q.summary().note == "SNI not decrypted: authentication failed")
    }
    // Cut short: the length field runs past the datagram.
    try withView(Array(QUICVectors.clientInitial.prefix(900))) { v in
        let q = try QUICLongHeader(v)
        #expect(q.clientInitialSNI() == .notDecrypted("cut short"))
    }
    // Every prefix and every single-byte change: no crash, never a wrong SNI.
    expectEveryPrefixNoted(Array(QUICVectors.clientInitial.prefix(120)), allowClean: { $0 >= 15 }) { v in
        (try? QUICLongHeader(v)) == nil
    }
    var rng = FuzzRandom(state: 7)
    for _ in 0..<40 {
        var b = QUICVectors.clientInitial
        b[rng.below(b.count)] ^= UInt8(1 + rng.below(255))
        withView(b) { v in
            if let q = try? QUICLongHeader(v), case .found(let name) = q.clientInitialSNI() {
                #expect(name == "www.example.com")
            }
        }
    }
}

@Test func quicFramesReassembleCryptoInAnyOrder() {
    // CRYPTO frames: [6..] offset 3 "lo", ACK, offset 0 hello header part; not a ClientHello -> not in this packet.
    let frames = hexBytes("06 03 02 6c 6f 02 00 00 00 00 06 00 03 01 00 00 00")
    #expect(QUICLongHeader.serverName(inFrames: frames) == .notInThisPacket)
    #expect(QUICLongHeader.serverName(inFrames: []) == .notInThisPacket)
    #expect(QUICLongHeader.serverName(inFrames: [0x06, 0x40]) == .notInThisPacket)
}
