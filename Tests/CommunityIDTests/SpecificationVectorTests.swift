import CaptureFiles
import Testing
@testable import CommunityID

/// The Community ID specification's own test vectors (community-id-spec,
/// baseline/README.md tables and baseline/baseline_deflt.json), value for value.
@Suite struct SpecificationVectorTests {
    static func ip(_ s: String) -> IPAddress { IPAddress(parsing: s)! }

    struct Row: Sendable, CustomTestStringConvertible {
        var proto: UInt8, src: String, dst: String, sport: UInt16?, dport: UInt16?
        var plain: String, seed1: String, hex: String
        var testDescription: String { "\(proto) \(src):\(sport.map(String.init) ?? "-") -> \(dst):\(dport.map(String.init) ?? "-")" }
        var tuple: FlowTuple {
            FlowTuple(source: ip(src), sourcePort: sport, destination: ip(dst), destinationPort: dport, ipProtocol: proto)
        }
    }

    static let v6a = "fe80:0001:0203:0405:0607:0809:0A0B:0C0D", v6b = "fe80:1011:1213:1415:1617:1819:1A1B:1C1D"

    /// The three tables of the specification's baseline README: seed 0, seed 1, seed 0 without base64.
    static let tables: [Row] = [
        Row(proto: 6, src: "1.2.3.4", dst: "5.6.7.8", sport: 1122, dport: 3344, plain: "1:wCb3OG7yAFWelaUydu0D+125CLM=",
            seed1: "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=", hex: "c026f7386ef200559e95a53276ed03fb5db908b3"),
        Row(proto: 6, src: "5.6.7.8", dst: "1.2.3.4", sport: 3344, dport: 1122, plain: "1:wCb3OG7yAFWelaUydu0D+125CLM=",
            seed1: "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=", hex: "c026f7386ef200559e95a53276ed03fb5db908b3"),
        Row(proto: 17, src: "1.2.3.4", dst: "5.6.7.8", sport: 1122, dport: 3344, plain: "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=",
            seed1: "1:OShq+iKDAMVouh/4bMxB9Sz4amw=", hex: "d0cbbd227431eb3e1988264cffb1d78b658c84e8"),
        Row(proto: 17, src: "5.6.7.8", dst: "1.2.3.4", sport: 3344, dport: 1122, plain: "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=",
            seed1: "1:OShq+iKDAMVouh/4bMxB9Sz4amw=", hex: "d0cbbd227431eb3e1988264cffb1d78b658c84e8"),
        Row(proto: 132, src: "1.2.3.4", dst: "5.6.7.8", sport: 1122, dport: 3344, plain: "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=",
            seed1: "1:uitchpn5MMGAQKBJh7bIr/bAr7s=", hex: "10ab7832cc6ec9a13a98bfa19ab12443d72c0c3f"),
        Row(proto: 132, src: "5.6.7.8", dst: "1.2.3.4", sport: 3344, dport: 1122, plain: "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=",
            seed1: "1:uitchpn5MMGAQKBJh7bIr/bAr7s=", hex: "10ab7832cc6ec9a13a98bfa19ab12443d72c0c3f"),
        Row(proto: 1, src: "1.2.3.4", dst: "5.6.7.8", sport: 8, dport: 0, plain: "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=",
            seed1: "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=", hex: "72ba1d4472f6144b078dbbf752446b7dbb386d9d"),
        Row(proto: 1, src: "5.6.7.8", dst: "1.2.3.4", sport: 0, dport: 0, plain: "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=",
            seed1: "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=", hex: "72ba1d4472f6144b078dbbf752446b7dbb386d9d"),
        Row(proto: 1, src: "1.2.3.4", dst: "5.6.7.8", sport: 11, dport: 0, plain: "1:f/YiSyWqczrTgfUCZlBUnvHRcPk=",
            seed1: "1:1DD7cWGC/Yg91YGsQeni8du3pIA=", hex: "7ff6224b25aa733ad381f5026650549ef1d170f9"),
        Row(proto: 58, src: v6a, dst: v6b, sport: 128, dport: 0, plain: "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=",
            seed1: "1:IO27GQzPuCtNnwFvjWALMHu5tJE=", hex: "d1b7fb872309530b777cc103ef3f0b21f46905ea"),
        Row(proto: 58, src: v6b, dst: v6a, sport: 129, dport: 0, plain: "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=",
            seed1: "1:IO27GQzPuCtNnwFvjWALMHu5tJE=", hex: "d1b7fb872309530b777cc103ef3f0b21f46905ea"),
        Row(proto: 58, src: v6a, dst: v6b, sport: 146, dport: 0, plain: "1:fYC8+pz24E+EhANP1EZhpX0Dw10=",
            seed1: "1:Cv4IKJe56BNkF0MBW2YxQ3Nwc3s=", hex: "7d80bcfa9cf6e04f8484034fd44661a57d03c35d"),
        Row(proto: 46, src: "1.2.3.4", dst: "5.6.7.8", sport: nil, dport: nil, plain: "1:ikv3kmf89luf73WPz1jOs49S768=",
            seed1: "1:/buhqeOmaRCopOZFy9HnoJd5XW8=", hex: "8a4bf79267fcf65b9fef758fcf58ceb38f52efaf"),
        Row(proto: 46, src: "5.6.7.8", dst: "1.2.3.4", sport: nil, dport: nil, plain: "1:ikv3kmf89luf73WPz1jOs49S768=",
            seed1: "1:/buhqeOmaRCopOZFy9HnoJd5XW8=", hex: "8a4bf79267fcf65b9fef758fcf58ceb38f52efaf"),
        Row(proto: 46, src: v6a, dst: v6b, sport: nil, dport: nil, plain: "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0=",
            seed1: "1:j6EyyfBzL4vWKHFXgUqb5Az3OxM=", hex: "c10ff69b0ae75cfe259897077462f978f8d1f9ed"),
        Row(proto: 46, src: v6b, dst: v6a, sport: nil, dport: nil, plain: "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0=",
            seed1: "1:j6EyyfBzL4vWKHFXgUqb5Az3OxM=", hex: "c10ff69b0ae75cfe259897077462f978f8d1f9ed"),
    ]

    @Test(arguments: tables)
    func baselineTables(_ row: Row) {
        #expect(row.tuple.communityID() == row.plain)
        #expect(row.tuple.communityID(seed: 1) == row.seed1)
        #expect(row.tuple.communityIDDigest().map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() == row.hex)
    }

    /// baseline/baseline_deflt.json: community-id-pcap over the specification's combined.pcap.
    static let pcapBaseline: [(UInt8, String, String, UInt16?, UInt16?, String)] = [
        (58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 136, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="),
        (58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 135, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="),
        (58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 136, "1:zavyT/cezQr1fmImYCwYnMXbgck="),
        (58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 136, 135, "1:zavyT/cezQr1fmImYCwYnMXbgck="),
        (58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ="),
        (58, "3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4, "1:hLZd0XGWojozrvxqE0dWB1iM6R0="),
        (58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 129, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="),
        (58, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 128, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="),
        (58, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 134, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0="),
        (58, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 133, "1:pkvHqCL88/tg1k4cPigmZXUtL00="),
        (1, "192.168.0.89", "192.168.0.1", 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="),
        (1, "192.168.0.1", "192.168.0.89", 0, 8, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="),
        (1, "10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM="),
        (6, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="),
        (6, "2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="),
        (132, "192.168.170.8", "192.168.170.56", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="),
        (132, "192.168.170.56", "192.168.170.8", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="),
        (6, "128.232.110.120", "66.35.250.204", 34855, 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="),
        (6, "66.35.250.204", "128.232.110.120", 80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="),
        (17, "192.168.1.52", "8.8.8.8", 54585, 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="),
        (17, "8.8.8.8", "192.168.1.52", 53, 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="),
        (46, "10.1.12.1", "10.1.12.2", nil, nil, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="),
        (46, "10.1.12.2", "10.1.12.1", nil, nil, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="),
    ]

    @Test func pcapBaselineJSON() {
        var mismatches: [String] = []
        for (p, s, d, sp, dp, want) in Self.pcapBaseline {
            let got = FlowTuple(source: Self.ip(s), sourcePort: sp, destination: Self.ip(d), destinationPort: dp, ipProtocol: p).communityID()
            if got != want { mismatches.append("\(p) \(s) \(d) \(sp ?? 0) \(dp ?? 0): \(got), want \(want)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(Self.pcapBaseline.count == 23)
    }

    @Test func hashInputLayout() {
        let t = FlowTuple(source: Self.ip("5.6.7.8"), sourcePort: 3344, destination: Self.ip("1.2.3.4"), destinationPort: 1122, ipProtocol: 6)
        // Ordered: the smaller address first, its port with it; seed, proto, one padding byte.
        #expect(t.communityIDInput(seed: 0x0102) == [1, 2, 1, 2, 3, 4, 5, 6, 7, 8, 6, 0, 0x04, 0x62, 0x0D, 0x10])
        let v6 = FlowTuple(source: Self.ip("2001:db8::1"), sourcePort: nil, destination: Self.ip("2001:db8::2"), destinationPort: nil, ipProtocol: 50)
        #expect(v6.communityIDInput().count == 36)
        // The same address on both sides: the ports decide.
        let same = FlowTuple(source: Self.ip("192.0.2.1"), sourcePort: 9, destination: Self.ip("192.0.2.1"), destinationPort: 7, ipProtocol: 17)
        #expect(Array(same.communityIDInput()[12...]) == [0, 7, 0, 9])
        #expect(FlowTuple.icmp(source: Self.ip("2001:db8::1"), destination: Self.ip("2001:db8::2"), type: 128, code: 0).ipProtocol == 58)
        #expect(FlowTuple.icmp(source: Self.ip("192.0.2.1"), destination: Self.ip("192.0.2.2"), type: 8, code: 0).communityID()
                == FlowTuple.icmp(source: Self.ip("192.0.2.2"), destination: Self.ip("192.0.2.1"), type: 0, code: 0).communityID())
    }

    @Test func base64() {
        #expect(Base64.encode([]) == "")
        #expect(Base64.encode(Array("f".utf8)) == "Zg==")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.encode(Array("foo".utf8)) == "Zm9v")
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode([0xFF, 0xFE, 0xFD]) == "//79")
    }
}
