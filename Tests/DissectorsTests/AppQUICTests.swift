import OutputText
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

    /// RFC 9001 A.2: the protected 1200-byte client Initial (packet number 2)
    /// whose ClientHello names example.com.
    static let rfc9001ClientInitial = hexBytes("""
        c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11
        d242b123dc9bd8bab936b47d92ec356c0bab7df5976d27cd449f63300099f399
        1c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c
        8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df6212
        30c83711b39343fa028cea7f7fb5ff89eac2308249a02252155e2347b63d58c5
        457afd84d05dfffdb20392844ae812154682e9cf012f9021a6f0be17ddd0c208
        4dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948838a3aec
        4e15daf8500a6ef69ec4e3feb6b1d98e610ac8b7ec3faf6ad760b7bad1db4ba3
        485e8a94dc250ae3fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db
        059ae0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c
        7b4378e846d29f37ed7b4ea9ec5d82e7961b7f25a9323851f681d582363aa5f8
        9937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556
        be52afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c74
        68449a13d8e3b95811a198f3491de3e7fe942b330407abf82a4ed7c1b311663a
        c69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00
        f064c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632
        291d6a418211cc2962e20fe47feb3edf330f2c603a9d48c0fcb5699dbfe58964
        25c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2c25e50fd
        14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ff
        ef132eef2fa09346aee33c28eb130ff28f5b766953334113211996d20011a198
        e3fc433f9f2541010ae17c1bf202580f6047472fb36857fe843b19f5984009dd
        c324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73
        203a4a13e96f5432ec0fd4a1ee65accdd5e3904df54c1da510b0ff20dcc0c77f
        cb2c0e0eb605cb0504db87632cf3d8b4dae6e705769d1de354270123cb11450e
        fc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03ade
        a2e1fbc5aa463d08ca19896d2bf59a071b851e6c239052172f296bfb5e724047
        90a2181014f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2
        162f40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda721984b6f4
        40591f355e12d439ff150aab7613499dbd49adabc8676eef023b15b65bfc5ca0
        6948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e
        8f2e6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0
        be79e2fb8f5d5fbbe2e30ecadd220723c8c0aea8078cdfcb3868263ff8f09400
        54da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab
        760d58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9
        f96f3ca9ec1dde434da7d2d392b905ddf3d1f9af93d1af5950bd493f5aa731b4
        056df31bd267b6b90a079831aaf579be0a39013137aac6d404f518cfd4684064
        7e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241
        e221af44860018ab0856972e194cd934
        """)
}

@Test func quicInitialKeysMatchRFC9001() {
    // RFC 9001 A.1 client Initial secret and keys for DCID 8394c8f03e515708.
    let secret = QUICInitialCrypto.clientInitialSecret(dcid: hexBytes("8394c8f03e515708"))
    #expect(hexOf(secret) == "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea")
    let keys = QUICInitialCrypto.clientInitialKeys(dcid: hexBytes("8394c8f03e515708"))
    #expect(hexOf(keys.key) == "1f369613dd76d5467730efcbe3b1a22d")
    #expect(hexOf(keys.iv) == "fa044b2f42a3fd3b46fb255c")
    #expect(hexOf(keys.hp) == "9f50449e04a0e810283a1e9933adedd2")
    // RFC 9001 A.2 header protection: sample -> mask (first five bytes used).
    let mask = QUICInitialCrypto.headerProtectionMask(sample: hexBytes("d1b1c98dd7689fb8ec11d242b123dc9b"), hp: keys.hp)
    #expect(mask.map { hexOf(Array($0.prefix(5))) } == "437b9aec36")
    // A sample of the wrong size is refused, not trapped on.
    #expect(QUICInitialCrypto.headerProtectionMask(sample: [1, 2, 3], hp: keys.hp) == nil)
    #expect(QUICInitialCrypto.open(key: keys.key, nonce: keys.iv, aad: [], sealed: [UInt8](repeating: 0, count: 15)) == nil)
}

@Test func quicRFC9001ClientInitialYieldsSNI() throws {
    // The RFC's own protected packet: header protection, AEAD and tag all check out.
    try withView(QUICVectors.rfc9001ClientInitial) { v in
        let q = try QUICLongHeader(v)
        #expect(q.clientInitialSNI() == .found("example.com"))
    }
    // A flipped tag bit (the last byte) fails authentication.
    var tampered = QUICVectors.rfc9001ClientInitial
    tampered[tampered.count - 1] ^= 0x80
    try withView(tampered) { v in
        let q = try QUICLongHeader(v)
        #expect(q.clientInitialSNI() == .notDecrypted("authentication failed"))
    }
}

func hexOf(_ b: [UInt8]) -> String { Hex.string(b) }

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
