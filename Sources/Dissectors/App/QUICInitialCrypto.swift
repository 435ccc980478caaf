import Crypto
import _CryptoExtras
import Foundation

/// QUIC v1 Initial packet protection (RFC 9001 5.2-5.4) on swift-crypto:
/// HKDF-SHA256 for the keys, single-block AES for the header-protection mask,
/// AES-128-GCM for the payload. No primitive is written here. Initial keys are
/// public (derived from the destination connection ID), so this is decoding,
/// not breaking anything. Used only when an output asks for the SNI, never
/// per packet.
enum QUICInitialCrypto {
    /// RFC 9001 5.2: QUIC v1 initial salt.
    static let initialSaltV1: [UInt8] = [
        0x38, 0x76, 0x2C, 0xF7, 0xF5, 0x59, 0x34, 0xB3, 0x4D, 0x17,
        0x9A, 0xE6, 0xA4, 0xC8, 0x0C, 0xAD, 0xCC, 0xBB, 0x7F, 0x0A,
    ]

    /// AEAD key (16), IV (12) and header-protection key (16) of one direction.
    struct Keys: Equatable {
        var key: [UInt8]
        var iv: [UInt8]
        var hp: [UInt8]
    }

    /// HKDF-Expand-Label (RFC 8446 7.1) with an empty context. Labels are
    /// constants here, so the one-byte label length cannot overflow.
    static func expandLabel(_ secret: some ContiguousBytes, _ label: String, length: Int) -> [UInt8] {
        let full = Array("tls13 \(label)".utf8)
        let info = [UInt8(length >> 8), UInt8(length & 0xFF), UInt8(full.count)] + full + [0]
        return HKDF<SHA256>.expand(pseudoRandomKey: secret, info: info, outputByteCount: length)
            .withUnsafeBytes { Array($0) }
    }

    /// client_initial_secret (RFC 9001 5.2) for a destination connection ID.
    static func clientInitialSecret(dcid: [UInt8]) -> [UInt8] {
        let initial = HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: dcid), salt: initialSaltV1)
        return expandLabel(initial, "client in", length: 32)
    }

    /// Key, IV and header-protection key for an AES-128-GCM Initial secret.
    static func keys(fromSecret secret: [UInt8]) -> Keys {
        Keys(key: expandLabel(secret, "quic key", length: 16), iv: expandLabel(secret, "quic iv", length: 12),
             hp: expandLabel(secret, "quic hp", length: 16))
    }

    /// Client Initial keys for a destination connection ID.
    static func clientInitialKeys(dcid: [UInt8]) -> Keys {
        keys(fromSecret: clientInitialSecret(dcid: dcid))
    }

    /// RFC 9001 5.4.3: AES-ECB of the 16-byte sample under the hp key; nil
    /// when the sample or key has the wrong size.
    static func headerProtectionMask(sample: [UInt8], hp: [UInt8]) -> [UInt8]? {
        var block = sample
        do {
            try AES.permute(&block, key: SymmetricKey(data: hp))
        } catch {
            return nil
        }
        return block
    }

    /// AES-128-GCM decryption of `sealed` (ciphertext then 16-byte tag) with
    /// the tag checked; nil when it is shorter than a tag or does not
    /// authenticate.
    static func open(key: [UInt8], nonce: [UInt8], aad: [UInt8], sealed: [UInt8]) -> [UInt8]? {
        guard sealed.count >= 16 else { return nil }
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce),
                                            ciphertext: sealed.dropLast(16), tag: sealed.suffix(16))
            return [UInt8](try AES.GCM.open(box, using: SymmetricKey(data: key), authenticating: aad))
        } catch {
            return nil
        }
    }
}
