import Correlation
import JSONCoding
import Testing
import TestCaptures

/// Strings from packets reach the record by the dissector's text rule
/// (docs/protocols.md): invalid UTF-8 byte by byte as `\DDD`, never U+FFFD;
/// controls as `\DDD`; and the JSON escapes bidirectional controls.
@Suite struct PacketTextTests {
    func stunLeak(software: [UInt8]) throws -> (Analysis, String) {
        var (b, eth, _) = wireGuardSession()
        let request = Pkt.stun(type: 0x0001, txn: Pkt.txn(7), attrs: [(0x8022, software)])
        b.add(eth, Pkt.ether(Pkt.udp(host, 40000, stunServer, 3478, request)))
        b.add(eth, Pkt.ether(Pkt.udp(stunServer, 3478, host, 40000, Pkt.bindingSuccess(Pkt.txn(7), mapped: publicAddr, 40000)), out: false))
        let (a, _) = try analyze(b)
        return (a, try AnalysisJSON.encode(a))
    }

    @Test func invalidUTF8InSoftwareIsEscapedByteByByte() throws {
        // "ok", a lone 0xFF, then a valid U+202E (RIGHT-TO-LEFT OVERRIDE): invalid as a whole.
        let (a, json) = try stunLeak(software: [0x6F, 0x6B, 0xFF, 0xE2, 0x80, 0xAE, 0x41])
        let software = try #require(a.findings.first { $0.class == .webrtc }?.evidence.software)
        #expect(software == [#"ok\255\226\128\174A"#])
        #expect(!json.contains("\u{FFFD}"))
    }

    @Test func bidiControlsInValidUTF8AreEscapedInTheJSON() throws {
        let (a, json) = try stunLeak(software: Array("ok\u{202E}gnp.exe\u{2066}".utf8))
        // The value keeps the text; the JSON cannot show it reordered.
        #expect(a.findings.first { $0.class == .webrtc }?.evidence.software == ["ok\u{202E}gnp.exe\u{2066}"])
        #expect(json.contains(#""ok\u202egnp.exe\u2066""#))
        #expect(!json.contains("\u{202E}") && !json.contains("\u{2066}"))
    }
}
