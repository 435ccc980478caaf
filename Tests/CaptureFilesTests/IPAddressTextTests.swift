import CaptureFiles
import Testing

/// `IPAddress.description` writes into a stack buffer (issue 11); these pin the text it
/// must give: dotted quad, RFC 5952 for IPv6, and the same as the String-built reference
/// it replaced on many random addresses of every zero-run shape.
@Suite struct IPAddressTextTests {
    @Test(arguments: [
        (IPAddress.v4(0), "0.0.0.0"),
        (.v4(0xFFFF_FFFF), "255.255.255.255"),
        (.v4(0xC000_0201), "192.0.2.1"),
        (.v4(0x0A00_6409), "10.0.100.9"),
        (.v4(0x6464_0A63), "100.100.10.99"),
        (.v6(0, 0), "::"),
        (.v6(0, 1), "::1"),
        (.v6(0x2001_0DB8_0000_0000, 1), "2001:db8::1"),
        (.v6(0x2001_0DB8_0000_0001, 0x0000_0000_0000_0001), "2001:db8:0:1::1"),  // the longer run wins
        (.v6(0x2001_0DB8_0000_0000, 0x0001_0000_0000_0001), "2001:db8::1:0:0:1"),  // a tie: the first run
        (.v6(0x2001_0DB8_0000_0001, 0x0001_0001_0001_0001), "2001:db8:0:1:1:1:1:1"),  // one zero group stays
        (.v6(0xFE80_0000_0000_0000, 0x0211_22FF_FE33_4455), "fe80::211:22ff:fe33:4455"),
        (.v6(0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        (.v6(0, 0x0000_FFFF_C000_0201), "::ffff:192.0.2.1"),
        (.v6(0x2001_0DB8_ABCD_0012, 0), "2001:db8:abcd:12::"),
        (.v6(0x0001_0000_0000_0000, 0), "1::"),
    ])
    func standardText(_ address: IPAddress, _ text: String) {
        #expect(address.description == text)
        #expect(address.description.utf8.count <= IPAddress.maximumTextLength)
    }

    /// 20,000 random IPv6 addresses whose groups are zero at random (so every run shape
    /// comes up), and 2,000 IPv4 ones, against the reference.
    @Test func sameAsTheReference() {
        var rng = SplitMix64(seed: 0x5952)  // RobustnessTests.swift
        for n in 0..<22_000 {
            let a: IPAddress
            if n < 2_000 {
                a = .v4(UInt32(truncatingIfNeeded: rng.next()))
            } else {
                var hi: UInt64 = 0, lo: UInt64 = 0
                for k in 0..<8 {
                    let zero = rng.next() % 2 == 0
                    let g = zero ? 0 : (rng.next() % 4 == 0 ? UInt64(rng.next() % 16) : rng.next() & 0xFFFF)
                    if k < 4 { hi |= g << (48 - 16 * UInt64(k)) } else { lo |= g << (48 - 16 * UInt64(k - 4)) }
                }
                a = .v6(hi, lo)
            }
            #expect(a.description == reference(a), "\(a.groups)")
        }
    }

    /// The String-built text form `description` had before (IPAddress.swift at bcd4f39).
    func reference(_ a: IPAddress) -> String {
        switch a {
        case .v4(let x):
            return "\(x >> 24).\((x >> 16) & 0xFF).\((x >> 8) & 0xFF).\(x & 0xFF)"
        case .v6(let hi, let lo):
            let g = a.groups
            var bestStart = -1, bestLen = 0, i = 0
            while i < 8 {
                if g[i] == 0 {
                    var j = i
                    while j < 8 && g[j] == 0 { j += 1 }
                    if j - i > bestLen { bestStart = i; bestLen = j - i }
                    i = j
                } else { i += 1 }
            }
            if bestLen < 2 { bestStart = -1 }
            if hi == 0, lo >> 32 == 0xFFFF { return "::ffff:" + reference(.v4(UInt32(truncatingIfNeeded: lo))) }
            var s = ""
            var k = 0
            while k < 8 {
                if k == bestStart { s += "::"; k += bestLen; continue }
                if !s.isEmpty && !s.hasSuffix(":") { s += ":" }
                s += String(g[k], radix: 16)
                k += 1
            }
            return s
        }
    }
}
