/// What reading the SNI from a QUIC client Initial gave.
public enum QUICInitialSNI: Equatable, Sendable {
    /// The ClientHello's server_name (escaped text).
    case found(String)
    /// Decrypted and authenticated, but the CRYPTO data in this packet does not
    /// reach the server_name extension (a ClientHello larger than one packet).
    case notInThisPacket
    /// Not decrypted: not a v1 Initial, cut short, or the AEAD tag did not match.
    case notDecrypted(String)

    /// Text for summaries' `note`.
    var note: String? {
        switch self {
        case .found: nil
        case .notInThisPacket: "SNI not in this packet"
        case .notDecrypted(let why): "SNI not decrypted: \(why)"
        }
    }
}

extension QUICLongHeader {
    /// At most this much CRYPTO data (from offset 0) is reassembled per packet.
    static let maxCryptoBytes = 4096
    /// At most this many frames are walked per packet.
    static let maxFrames = 256

    /// Removes Initial packet protection (RFC 9001 5) with keys derived from
    /// the DCID, checks the AEAD tag, gathers the CRYPTO frames and reads the
    /// ClientHello's server_name. Works for QUIC v1 client Initials (a server
    /// Initial is keyed by the client's original DCID, which it does not carry).
    /// Allocates small buffers: call it for outputs, not for every packet.
    public func clientInitialSNI() -> QUICInitialSNI {
        guard version == 1, packetTypeBits == 0 else { return .notDecrypted("only QUIC v1 Initial packets") }
        var o = 7 + destinationConnectionID.count + sourceConnectionID.count
        guard let token = Self.varint(bytes, at: o), token.value <= UInt64(bytes.count) else { return .notDecrypted("cut short") }
        o += token.length + Int(token.value)
        guard let length = Self.varint(bytes, at: o), length.value <= UInt64(bytes.count) else { return .notDecrypted("cut short") }
        let pnOffset = o + length.length
        let packetLength = Int(length.value)
        guard packetLength >= 20, pnOffset + packetLength <= bytes.count,
              let sample = bytes.slice(pnOffset + 4, 16) else { return .notDecrypted("cut short") }

        let keys = QUICInitialCrypto.clientInitialKeys(dcid: destinationConnectionID.toArray())
        guard let mask = QUICInitialCrypto.headerProtectionMask(sample: sample.toArray(), hp: keys.hp) else {
            return .notDecrypted("header protection failed")
        }
        let first = firstByte ^ (mask[0] & 0x0F)
        let pnLength = Int(first & 0x03) + 1
        guard var header = bytes.slice(0, pnOffset + pnLength)?.toArray(),
              let protected = bytes.slice(pnOffset + pnLength, packetLength - pnLength) else { return .notDecrypted("cut short") }
        header[0] = first
        var pn: UInt64 = 0
        for i in 0..<pnLength {
            header[pnOffset + i] ^= mask[1 + i]
            pn = pn << 8 | UInt64(header[pnOffset + i])
        }
        var nonce = keys.iv
        for i in 0..<8 { nonce[4 + i] ^= UInt8(truncatingIfNeeded: pn >> (56 - 8 * UInt64(i))) }
        guard let plain = QUICInitialCrypto.open(key: keys.key, nonce: nonce, aad: header, sealed: protected.toArray())
        else { return .notDecrypted("authentication failed") }
        return Self.serverName(inFrames: plain)
    }

    /// Walks the frames of a decrypted Initial, reassembles CRYPTO data from
    /// offset 0 (frames may come in any order) and reads the ClientHello.
    static func serverName(inFrames plain: [UInt8]) -> QUICInitialSNI {
        // A fake TLS record header in front lets TLSClientHello read the handshake.
        var stream = [UInt8](repeating: 0, count: 5 + maxCryptoBytes)
        var pieces: [(offset: Int, start: Int, count: Int)] = []
        return plain.withUnsafeBytes { raw -> QUICInitialSNI in
            let p = ByteView(raw)
            var o = 0
            var frames = 0
            walk: while o < p.count, frames < maxFrames {
                frames += 1
                guard let type = varint(p, at: o) else { break }
                o += type.length
                switch type.value {
                case 0x00, 0x01:
                    continue
                case 0x02, 0x03:
                    guard let largest = varint(p, at: o), let delay = varint(p, at: o + largest.length) else { break walk }
                    o += largest.length + delay.length
                    guard let count = varint(p, at: o), count.value < 256, let firstRange = varint(p, at: o + count.length) else { break walk }
                    o += count.length + firstRange.length
                    for _ in 0..<(Int(count.value) * 2 + (type.value == 0x03 ? 3 : 0)) {
                        guard let v = varint(p, at: o) else { break walk }
                        o += v.length
                    }
                case 0x06:
                    guard let off = varint(p, at: o), let len = varint(p, at: o + off.length),
                          len.value <= UInt64(p.count) else { break walk }
                    let start = o + off.length + len.length
                    guard start + Int(len.value) <= p.count else { break walk }
                    if off.value < UInt64(maxCryptoBytes), pieces.count < 64 {
                        pieces.append((Int(off.value), start, Int(len.value)))
                    }
                    o = start + Int(len.value)
                default:
                    break walk
                }
            }
            // Contiguous coverage from offset 0.
            var covered = 0
            var progress = true
            while progress {
                progress = false
                for piece in pieces where piece.offset <= covered && piece.offset + piece.count > covered {
                    let end = min(piece.offset + piece.count, maxCryptoBytes)
                    for i in covered..<end { stream[5 + i] = plain[piece.start + (i - piece.offset)] }
                    if end > covered { covered = end; progress = true }
                }
            }
            guard covered > 0 else { return .notInThisPacket }
            stream[0] = 22; stream[1] = 3; stream[2] = 1
            stream[3] = UInt8(covered >> 8); stream[4] = UInt8(covered & 0xFF)
            return stream.withUnsafeBytes { s -> QUICInitialSNI in
                let view = ByteView(s).prefix(5 + covered)
                guard let hello = try? TLSClientHello(view), let name = hello.serverName else { return .notInThisPacket }
                return .found(AppText.text(name))
            }
        }
    }
}
