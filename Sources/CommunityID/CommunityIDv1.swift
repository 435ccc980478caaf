import CaptureFiles
import Crypto

/// Community ID v1 (the published "Community ID Flow Hashing" specification, as
/// Zeek, Suricata, Arkime, Wireshark and Elastic compute it), so a finding's flow
/// joins other tools' records of the same flow:
///
///     "1:" + base64(SHA-1(seed . saddr . daddr . proto . 0 . sport . dport))
///
/// seed and ports are 16-bit big-endian, addresses 4 or 16 bytes in network order.
/// The endpoints are ordered so the smaller address (then the smaller port) comes
/// first; ICMP/ICMPv6 types with a request/reply counterpart hash with the
/// counterpart type as "destination port" and are ordered like ports, the other
/// types hash with their code and keep their direction (one-way). Ports are
/// hashed only for TCP, UDP, SCTP, ICMP and ICMPv6.
extension FlowTuple {
    /// Made in stack buffers, hashed and encoded without an array: a record cites up to
    /// 10^5 flows, and the arrays this took (address bytes, input, digest, text) were most
    /// of its cost.
    public func communityID(seed: UInt16 = 0) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.scratchSize) { scratch in
            let input = writeCommunityIDInput(seed: seed, scratch: scratch)
            var hasher = Insecure.SHA1()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(input))
            return hasher.finalize().withUnsafeBytes { Base64.encode($0, prefix: "1:") }
        }
    }

    /// The 20-byte SHA-1 digest behind `communityID(seed:)`.
    public func communityIDDigest(seed: UInt16 = 0) -> [UInt8] {
        Array(Insecure.SHA1.hash(data: communityIDInput(seed: seed)))
    }

    /// The bytes that are hashed (16 or 40 for IPv4/IPv6 with ports, 12 or 36 without), for tests and troubleshooting.
    public func communityIDInput(seed: UInt16 = 0) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.scratchSize) { Array(writeCommunityIDInput(seed: seed, scratch: $0)) }
    }

    /// Two 16-byte address slots, then the input (at most 40 bytes).
    static let scratchSize = 16 + 16 + 40

    /// Writes the hashed bytes into `scratch` (`scratchSize` bytes) and returns them (a part of it).
    func writeCommunityIDInput(seed: UInt16, scratch: UnsafeMutableBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        precondition(scratch.count >= Self.scratchSize)
        var sport = sourcePort, dport = destinationPort
        var oneWay = false
        if let type = sourcePort, let code = destinationPort {
            if ipProtocol == IPProtocolNumber.icmp {
                (sport, dport, oneWay) = ICMPPortEquivalents.v4(type: type, code: code)
            } else if ipProtocol == IPProtocolNumber.icmpv6 {
                (sport, dport, oneWay) = ICMPPortEquivalents.v6(type: type, code: code)
            }
        }
        var saddr = UnsafeBufferPointer(Self.write(source, into: UnsafeMutableBufferPointer(rebasing: scratch[0 ..< 16])))
        var daddr = UnsafeBufferPointer(Self.write(destination, into: UnsafeMutableBufferPointer(rebasing: scratch[16 ..< 32])))
        let hasPorts = Self.portProtocols.contains(ipProtocol) && sport != nil && dport != nil
        let ordered = oneWay || saddr.lexicographicallyPrecedes(daddr)
            || (saddr.elementsEqual(daddr) && hasPorts && sport! < dport!)
        if !ordered {
            swap(&saddr, &daddr)
            swap(&sport, &dport)
        }
        let out = UnsafeMutableBufferPointer(rebasing: scratch[32...])
        var n = 0
        func put(_ b: UInt8) { out[n] = b; n += 1 }
        put(UInt8(seed >> 8)); put(UInt8(seed & 0xFF))
        for b in saddr { put(b) }
        for b in daddr { put(b) }
        put(ipProtocol); put(0)
        if hasPorts, let s = sport, let d = dport {
            put(UInt8(s >> 8)); put(UInt8(s & 0xFF))
            put(UInt8(d >> 8)); put(UInt8(d & 0xFF))
        }
        return UnsafeBufferPointer(rebasing: out[..<n])
    }

    /// An address's network-order bytes at the start of `slot` (16 bytes).
    static func write(_ a: IPAddress, into slot: UnsafeMutableBufferPointer<UInt8>) -> UnsafeMutableBufferPointer<UInt8> {
        switch a {
        case .v4(let x):
            for i in 0 ..< 4 { slot[i] = UInt8(truncatingIfNeeded: x >> (24 - 8 * UInt32(i))) }
            return UnsafeMutableBufferPointer(rebasing: slot[..<4])
        case .v6(let hi, let lo):
            for i in 0 ..< 8 {
                slot[i] = UInt8(truncatingIfNeeded: hi >> (56 - 8 * UInt64(i)))
                slot[8 + i] = UInt8(truncatingIfNeeded: lo >> (56 - 8 * UInt64(i)))
            }
            return UnsafeMutableBufferPointer(rebasing: slot[..<16])
        }
    }

    static let portProtocols: Set<UInt8> = [
        IPProtocolNumber.icmp, IPProtocolNumber.tcp, IPProtocolNumber.udp, IPProtocolNumber.icmpv6, IPProtocolNumber.sctp,
    ]
}

/// Zeek's mapping of ICMP message types to port-like values: a type with a
/// request/reply counterpart becomes (type, counterpart) and may be reordered;
/// any other type becomes (type, code), one-way.
enum ICMPPortEquivalents {
    static let v4Counterparts: [UInt16: UInt16] = [
        8: 0, 0: 8,        // echo request / reply
        13: 14, 14: 13,    // timestamp / reply
        15: 16, 16: 15,    // information request / reply
        10: 9, 9: 10,      // router solicitation / advertisement
        17: 18, 18: 17,    // address mask request / reply
    ]
    static let v6Counterparts: [UInt16: UInt16] = [
        128: 129, 129: 128,  // echo request / reply
        130: 131, 131: 130,  // MLD query / report
        133: 134, 134: 133,  // router solicitation / advertisement
        135: 136, 136: 135,  // neighbor solicitation / advertisement
        139: 140, 140: 139,  // node information query / reply
        144: 145, 145: 144,  // home agent address discovery request / reply
    ]

    static func v4(type: UInt16, code: UInt16) -> (UInt16?, UInt16?, Bool) { map(type, code, v4Counterparts) }
    static func v6(type: UInt16, code: UInt16) -> (UInt16?, UInt16?, Bool) { map(type, code, v6Counterparts) }

    private static func map(_ type: UInt16, _ code: UInt16, _ table: [UInt16: UInt16]) -> (UInt16?, UInt16?, Bool) {
        if let other = table[type] { return (type, other, false) }
        return (type, code, true)
    }
}

/// RFC 4648 base64 with padding (the digest is 20 bytes: 28 characters).
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `prefix` and the Base64 of `bytes`.
    static func encode(_ bytes: [UInt8], prefix: StaticString = "") -> String {
        bytes.withUnsafeBytes { encode($0, prefix: prefix) }
    }

    /// `prefix` and the Base64 of `bytes`, written straight into the String's storage.
    static func encode(_ bytes: UnsafeRawBufferPointer, prefix: StaticString = "") -> String {
        let count = prefix.utf8CodeUnitCount + (bytes.count + 2) / 3 * 4
        return String(unsafeUninitializedCapacity: count) { out in
            var n = 0
            prefix.withUTF8Buffer { for c in $0 { out[n] = c; n += 1 } }
            alphabet.withUnsafeBufferPointer { a in
                var i = 0
                while i + 3 <= bytes.count {
                    let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                    out[n] = a[Int(v >> 18)]; out[n + 1] = a[Int(v >> 12 & 63)]
                    out[n + 2] = a[Int(v >> 6 & 63)]; out[n + 3] = a[Int(v & 63)]
                    n += 4
                    i += 3
                }
                let rest = bytes.count - i
                if rest == 1 {
                    let v = UInt32(bytes[i]) << 16
                    out[n] = a[Int(v >> 18)]; out[n + 1] = a[Int(v >> 12 & 63)]
                    out[n + 2] = UInt8(ascii: "="); out[n + 3] = UInt8(ascii: "=")
                    n += 4
                } else if rest == 2 {
                    let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
                    out[n] = a[Int(v >> 18)]; out[n + 1] = a[Int(v >> 12 & 63)]
                    out[n + 2] = a[Int(v >> 6 & 63)]; out[n + 3] = UInt8(ascii: "=")
                    n += 4
                }
            }
            return n
        }
    }
}
