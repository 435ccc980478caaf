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
    public func communityID(seed: UInt16 = 0) -> String {
        Base64.encode(communityIDDigest(seed: seed), prefix: "1:")
    }

    /// The 20-byte SHA-1 digest behind `communityID(seed:)`.
    public func communityIDDigest(seed: UInt16 = 0) -> [UInt8] {
        Array(Insecure.SHA1.hash(data: communityIDInput(seed: seed)))
    }

    /// The bytes that are hashed (16 or 40 for IPv4/IPv6 with ports, 12 or 36 without), for tests and troubleshooting.
    public func communityIDInput(seed: UInt16 = 0) -> [UInt8] {
        var sport = sourcePort, dport = destinationPort
        var oneWay = false
        if let type = sourcePort, let code = destinationPort {
            if ipProtocol == IPProtocolNumber.icmp {
                (sport, dport, oneWay) = ICMPPortEquivalents.v4(type: type, code: code)
            } else if ipProtocol == IPProtocolNumber.icmpv6 {
                (sport, dport, oneWay) = ICMPPortEquivalents.v6(type: type, code: code)
            }
        }
        var saddr = source.bytes, daddr = destination.bytes
        let hasPorts = Self.portProtocols.contains(ipProtocol) && sport != nil && dport != nil
        let ordered = oneWay || saddr.lexicographicallyPrecedes(daddr)
            || (saddr == daddr && hasPorts && sport! < dport!)
        if !ordered {
            swap(&saddr, &daddr)
            swap(&sport, &dport)
        }
        var input: [UInt8] = []
        input.reserveCapacity(40)
        // Byte by byte, not `+= [...]`: each array literal was an allocation (a record cites 10^5 flows).
        input.append(UInt8(seed >> 8)); input.append(UInt8(seed & 0xFF))
        input += saddr
        input += daddr
        input.append(ipProtocol); input.append(0)
        if hasPorts, let s = sport, let d = dport {
            input.append(UInt8(s >> 8)); input.append(UInt8(s & 0xFF))
            input.append(UInt8(d >> 8)); input.append(UInt8(d & 0xFF))
        }
        return input
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

    /// `prefix` and the Base64 of `bytes`, made in one buffer (no array per group of four).
    static func encode(_ bytes: [UInt8], prefix: StaticString = "") -> String {
        var out: [UInt8] = []
        out.reserveCapacity(prefix.utf8CodeUnitCount + (bytes.count + 2) / 3 * 4)
        prefix.withUTF8Buffer { out.append(contentsOf: $0) }
        alphabet.withUnsafeBufferPointer { a in
            var i = 0
            while i + 3 <= bytes.count {
                let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                out.append(a[Int(n >> 18)]); out.append(a[Int(n >> 12 & 63)])
                out.append(a[Int(n >> 6 & 63)]); out.append(a[Int(n & 63)])
                i += 3
            }
            let rest = bytes.count - i
            if rest == 1 {
                let n = UInt32(bytes[i]) << 16
                out.append(a[Int(n >> 18)]); out.append(a[Int(n >> 12 & 63)])
                out.append(UInt8(ascii: "=")); out.append(UInt8(ascii: "="))
            } else if rest == 2 {
                let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
                out.append(a[Int(n >> 18)]); out.append(a[Int(n >> 12 & 63)])
                out.append(a[Int(n >> 6 & 63)]); out.append(UInt8(ascii: "="))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
