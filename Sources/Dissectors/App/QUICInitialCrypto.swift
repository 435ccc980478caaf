/// The few primitives QUIC Initial packet protection needs (RFC 9001 5.2-5.4),
/// written here so that the SNI of a client Initial can be read without a
/// crypto package: SHA-256, HMAC, HKDF-Expand-Label, AES-128 (encryption
/// direction only) and GCM (CTR + GHASH). Initial keys are public (derived
/// from the destination connection ID), so this is decoding, not breaking
/// anything. Used only when an output asks for the SNI, never per packet.
enum QUICInitialCrypto {
    // MARK: SHA-256 (FIPS 180-4)

    static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
    ]
    static let h0: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]

    @inline(__always) static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }

    static func sha256(_ message: [UInt8]) -> [UInt8] {
        var h = h0
        var m = message
        let bits = UInt64(message.count) &* 8
        m.append(0x80)
        while m.count % 64 != 56 { m.append(0) }
        for i in (0..<8).reversed() { m.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: m.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + 4 * i
                w[i] = UInt32(m[j]) << 24 | UInt32(m[j + 1]) << 16 | UInt32(m[j + 2]) << 8 | UInt32(m[j + 3])
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
            for i in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ maj
                hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
            }
            h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d
            h[4] = h[4] &+ e; h[5] = h[5] &+ f; h[6] = h[6] &+ g; h[7] = h[7] &+ hh
        }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for v in h { for s in [24, 16, 8, 0] as [UInt32] { out.append(UInt8(truncatingIfNeeded: v >> s)) } }
        return out
    }

    // MARK: HMAC / HKDF (RFC 2104, RFC 5869, RFC 8446 7.1)

    static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var k = key.count > 64 ? sha256(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        let inner = sha256(k.map { $0 ^ 0x36 } + message)
        return sha256(k.map { $0 ^ 0x5C } + inner)
    }

    /// HKDF-Expand-Label with an empty context, for lengths up to 32 (one block).
    static func expandLabel(_ secret: [UInt8], _ label: String, length: Int) -> [UInt8] {
        let full = Array("tls13 \(label)".utf8)
        let info = [UInt8(length >> 8), UInt8(length & 0xFF), UInt8(full.count)] + full + [0, 1]
        return Array(hmac(key: secret, info).prefix(length))
    }

    /// RFC 9001 5.2: QUIC v1 initial salt.
    static let initialSaltV1: [UInt8] = [
        0x38, 0x76, 0x2C, 0xF7, 0xF5, 0x59, 0x34, 0xB3, 0x4D, 0x17,
        0x9A, 0xE6, 0xA4, 0xC8, 0x0C, 0xAD, 0xCC, 0xBB, 0x7F, 0x0A,
    ]

    /// Client Initial key, IV and header-protection key for a destination connection ID.
    static func clientInitialKeys(dcid: [UInt8]) -> (key: [UInt8], iv: [UInt8], hp: [UInt8]) {
        let initial = hmac(key: initialSaltV1, dcid)
        let client = expandLabel(initial, "client in", length: 32)
        return (expandLabel(client, "quic key", length: 16), expandLabel(client, "quic iv", length: 12),
                expandLabel(client, "quic hp", length: 16))
    }

    // MARK: AES-128 (FIPS 197), encryption only

    static let sbox: [UInt8] = [
        0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
        0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
        0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
        0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
        0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
        0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
        0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
        0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
        0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
        0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
        0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
        0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
        0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
        0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
        0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
        0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16
    ]

    struct AES128 {
        /// 11 round keys of 16 bytes.
        var roundKeys: [UInt8]

        init(key: [UInt8]) {
            var w = key
            let rcon: [UInt8] = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36]
            for i in 4..<44 {
                var t = Array(w[(4 * i - 4)..<(4 * i)])
                if i % 4 == 0 {
                    t = [sbox[Int(t[1])] ^ rcon[i / 4 - 1], sbox[Int(t[2])], sbox[Int(t[3])], sbox[Int(t[0])]]
                }
                for j in 0..<4 { w.append(w[4 * (i - 4) + j] ^ t[j]) }
            }
            roundKeys = w
        }

        @inline(__always) static func xtime(_ x: UInt8) -> UInt8 { (x << 1) ^ (x & 0x80 != 0 ? 0x1B : 0) }

        func encrypt(_ input: [UInt8]) -> [UInt8] {
            var s = (0..<16).map { input[$0] ^ roundKeys[$0] }
            for round in 1...10 {
                for i in 0..<16 { s[i] = sbox[Int(s[i])] }
                // ShiftRows: row r moves left by r (state is column-major).
                var t = s
                for r in 1..<4 { for c in 0..<4 { t[r + 4 * c] = s[r + 4 * ((c + r) % 4)] } }
                s = t
                if round < 10 {
                    for c in 0..<4 {
                        let a0 = s[4 * c], a1 = s[4 * c + 1], a2 = s[4 * c + 2], a3 = s[4 * c + 3]
                        let all = a0 ^ a1 ^ a2 ^ a3
                        s[4 * c] = a0 ^ all ^ Self.xtime(a0 ^ a1)
                        s[4 * c + 1] = a1 ^ all ^ Self.xtime(a1 ^ a2)
                        s[4 * c + 2] = a2 ^ all ^ Self.xtime(a2 ^ a3)
                        s[4 * c + 3] = a3 ^ all ^ Self.xtime(a3 ^ a0)
                    }
                }
                for i in 0..<16 { s[i] ^= roundKeys[16 * round + i] }
            }
            return s
        }
    }

    // MARK: GCM (NIST SP 800-38D)

    /// Multiplication in GF(2^128) with GCM's bit order.
    static func gfMultiply(_ x: (UInt64, UInt64), _ y: (UInt64, UInt64)) -> (UInt64, UInt64) {
        var z: (UInt64, UInt64) = (0, 0)
        var v = y
        for i in 0..<128 {
            let bit = i < 64 ? (x.0 >> (63 - UInt64(i))) & 1 : (x.1 >> (127 - UInt64(i))) & 1
            if bit == 1 { z.0 ^= v.0; z.1 ^= v.1 }
            let carry = v.1 & 1
            v.1 = v.1 >> 1 | v.0 << 63
            v.0 >>= 1
            if carry == 1 { v.0 ^= 0xE100_0000_0000_0000 }
        }
        return z
    }

    static func block(_ b: ArraySlice<UInt8>) -> (UInt64, UInt64) {
        var hi: UInt64 = 0, lo: UInt64 = 0
        for (i, byte) in b.enumerated() where i < 16 {
            if i < 8 { hi |= UInt64(byte) << (56 - 8 * UInt64(i)) } else { lo |= UInt64(byte) << (56 - 8 * UInt64(i - 8)) }
        }
        return (hi, lo)
    }

    /// AES-128-GCM decryption with tag check; nil when the tag does not match.
    static func open(key: [UInt8], nonce: [UInt8], aad: [UInt8], ciphertext: [UInt8], tag: [UInt8]) -> [UInt8]? {
        let aes = AES128(key: key)
        let h = block(aes.encrypt([UInt8](repeating: 0, count: 16))[...])
        var x: (UInt64, UInt64) = (0, 0)
        func absorb(_ data: [UInt8]) {
            var i = 0
            while i < data.count {
                let b = block(data[i..<min(i + 16, data.count)])
                x = gfMultiply((x.0 ^ b.0, x.1 ^ b.1), h)
                i += 16
            }
        }
        absorb(aad)
        absorb(ciphertext)
        x = gfMultiply((x.0 ^ UInt64(aad.count) * 8, x.1 ^ UInt64(ciphertext.count) * 8), h)
        func counterBlock(_ n: UInt32) -> [UInt8] {
            nonce + [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
        }
        let s = block(aes.encrypt(counterBlock(1))[...])
        let expected = (x.0 ^ s.0, x.1 ^ s.1)
        guard expected == block(tag[...]) else { return nil }
        var plain = [UInt8](repeating: 0, count: ciphertext.count)
        var i = 0
        var counter: UInt32 = 2
        while i < ciphertext.count {
            let ks = aes.encrypt(counterBlock(counter))
            for j in 0..<min(16, ciphertext.count - i) { plain[i + j] = ciphertext[i + j] ^ ks[j] }
            i += 16
            counter &+= 1
        }
        return plain
    }
}
