import Foundation
import OutputFiles
import Testing
@testable import Reports

@Suite struct RecordJSONTests {
    @Test func encodesTheGoldenBytes() throws {
        let bytes = try RecordCoding.encode(Fixtures.record())
        let text = String(decoding: bytes, as: UTF8.self)
        if text != Golden.recordJSON {
            try? text.write(toFile: "/tmp/leakscope-golden-record.json", atomically: true, encoding: .utf8)
        }
        #expect(text == Golden.recordJSON)
    }

    @Test func twoEncodingsAreByteIdentical() throws {
        let a = try RecordCoding.encode(Fixtures.record())
        let b = try RecordCoding.encode(Fixtures.record())
        #expect(a == b)
        #expect(FileDigest.sha256(bytes: a) == FileDigest.sha256(bytes: b))
    }

    @Test func decodesBackToTheSameRecord() throws {
        let r = Fixtures.record(deterministic: false)
        let back = try RecordCoding.decode(try RecordCoding.encode(r))
        #expect(back == r)
        #expect(back.analyzedAt == "2026-11-25T14:00:00Z")
        #expect(back.analysis.extra.isEmpty)
    }

    @Test func keepsKeysTheCorrelatorAdds() throws {
        var core = Fixtures.analysis
        core.extra["bounds"] = ["flows_dropped": 0]
        core.findings[0]["confidence"] = "certain"
        let r = AnalysisRecord(analysis: core, tool: ToolInfo(version: "0"), invocation: Invocation(arguments: []))
        let json = try JSONSerialization.jsonObject(with: Data(try RecordCoding.encode(r))) as! [String: Any]
        #expect((json["bounds"] as? [String: Any])?["flows_dropped"] as? Int == 0)
        let f1 = (json["findings"] as! [[String: Any]])[0]
        #expect(f1["confidence"] as? String == "certain")
        #expect(try RecordCoding.decode(try RecordCoding.encode(r)) == r)
    }

    @Test func contractKeysStayAtTheirPlace() throws {
        let json = try JSONSerialization.jsonObject(with: Data(try RecordCoding.encode(Fixtures.record()))) as! [String: Any]
        #expect(json["schema_version"] as? String == "1.2")
        #expect((json["verdict"] as? [String: Any])?["status"] as? String == "leaks-found")
        let tunnel = json["tunnel"] as! [String: Any]
        #expect((tunnel["interfaces"] as! [[String: Any]]).map { $0["role"] as! String } == ["tunnel", "physical"])
        let findings = json["findings"] as! [[String: Any]]
        #expect(findings.map { $0["class"] as! String } == ["webrtc", "dns", "tunnel-failure"])
        #expect(findings[0]["frames"] as? [Int] == [5, 6])
        #expect((json["exposed_public_addresses"] as! [[String: Any]])[0]["address"] as? String == "198.51.100.2")
        #expect(json["analyzed_at"] == nil)
    }

    @Test(.enabled(if: TestSupport.hasPythonJSONSchema, "needs python3 with jsonschema (Scripts/setup installs it)"))
    func validatesAgainstTheSchema() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, record) in [("det", Fixtures.record()), ("timed", Fixtures.record(deterministic: false))] {
            let path = "\(dir)/\(name).json"
            try OutputFile.write(try RecordCoding.encode(record), to: path)
            let (status, output) = try TestSupport.validate(path)
            #expect(status == 0, "\(output)")
        }
    }

    @Test(.enabled(if: TestSupport.hasPythonJSONSchema, "needs python3 with jsonschema (Scripts/setup installs it)"))
    func schemaRejectsABrokenRecord() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var r = Fixtures.record()
        r.analysis.verdict = RecordVerdict(status: "probably-fine", reason: "")
        r.inputs[0].sha256 = "XYZ"
        let path = "\(dir)/bad.json"
        try OutputFile.write(try RecordCoding.encode(r), to: path)
        let (status, output) = try TestSupport.validate(path)
        #expect(status == 1)
        #expect(output.contains("'probably-fine' is not one of"))
        #expect(output.contains("'XYZ' does not match"))
    }

    @Test func totalsCountByClassSeverityAndInterface() {
        let t = Fixtures.record().totals
        #expect(t.findings == 3)
        #expect(t.bySeverity == ["high": 2, "medium": 1, "low": 0])
        #expect(t.byClass.map(\.leakClass) == ["webrtc", "dns", "tunnel-failure"])
        #expect(t.byClass.map(\.packets) == [2, 1, 3])
        #expect(t.byInterface == [
            InterfaceTotal(file: "s.pcapng", interfaceId: 0, interface: "wg0", role: "tunnel", packets: 2, leakedPackets: 0, findings: 0),
            InterfaceTotal(file: "s.pcapng", interfaceId: 1, interface: "eth0", role: "physical", packets: 6, leakedPackets: 3, findings: 3),
        ])
    }

    @Test func timelineBucketsPacketsPerInterface() {
        let t = Fixtures.timeline
        #expect(t.bucketNs == 500_000_001)
        #expect(t.series.map(\.interface) == ["wg0", "eth0"])
        #expect(t.series[0].all == [1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(t.series[1].all == [2, 0, 0, 1, 1, 1, 0, 0, 0, 1])
        #expect(t.series[1].leaked == [0, 0, 0, 1, 1, 1, 0, 0, 0, 0])
        #expect(t.series.map(\.role) == ["tunnel", "physical"])
        #expect(Fixtures.record().timeline.spans == [TimelineSpan(finding: "F3", startNs: Fixtures.t0 + 1_500_000_000, endNs: Fixtures.t0 + 4_000_000_000)])
    }

    @Test func assumptionsSayWhatWasTakenAsGiven() {
        #expect(Fixtures.record().assumptions == [
            "Interface wg0 in s.pcapng is tunnel (name pattern wg*).",
            "Interface eth0 in s.pcapng is physical (link type beside Ethernet).",
            "VPN endpoint wireguard 203.0.113.1:51820 (WireGuard handshake initiation/response, frames 1/2 of s.pcapng).",
            "Host address 192.0.2.2 on eth0 (source of the carrier flow).",
        ])
        #expect(Fixtures.record().captureNotes == ["s.pcapng: the capturing system dropped 3 packets; evidence may be incomplete."])
    }

    @Test func timestampsAreISO8601UTC() {
        #expect(Timestamp.iso8601(0) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.iso8601(Fixtures.t0) == "2023-11-14T22:13:20Z")
        #expect(Timestamp.iso8601(951_782_400_123_456_789) == "2000-02-29T00:00:00.123456789Z")
        #expect(Timestamp.iso8601(1_500_000_000) == "1970-01-01T00:00:01.500Z")
        #expect(Timestamp.iso8601(-1) == "1969-12-31T23:59:59.999999999Z")
        #expect(Timestamp.relative(Fixtures.t0 + 1_234_567_000, from: Fixtures.t0) == "+1.234567s")
    }

    @Test func sha256OfAFileMatchesTheKnownDigest() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try OutputFile.write(Array("abc".utf8), to: "\(dir)/abc")
        let d = try FileDigest.sha256(path: "\(dir)/abc")
        #expect(d.size == 3)
        #expect(d.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(throws: ReportError.io(path: "\(dir)/missing", operation: "open", errno: ENOENT)) {
            try FileDigest.sha256(path: "\(dir)/missing")
        }
    }
}

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let v = try JSONParser.parse(Array(#"{"a": [1, -2, 3.5, 1e3, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00", "o": {}}"#.utf8))
        #expect(v == .object([
            "a": [1, -2, .double(3.5), .double(1000), true, false, .null],
            "s": .string("x\"\\/\né\u{1F600}"),
            "o": .object([:]),
        ]))
        #expect(try JSONParser.parse(Array("9223372036854775807".utf8)) == .int(Int64.max))
        #expect(try JSONParser.parse(Array("9223372036854775808".utf8)) == .double(9223372036854775808))
    }

    @Test func rejectsMalformedInputWithTheOffset() {
        #expect(throws: JSONParser.Error(offset: 6, reason: "expected ',' or ']'")) { try JSONParser.parse(Array("[1, 2 3]".utf8)) }
        #expect(throws: JSONParser.Error(offset: 7, reason: "lone surrogate")) { try JSONParser.parse(Array(#""\udc00""#.utf8)) }
        #expect(throws: JSONParser.Error(offset: 2, reason: "leading zero")) { try JSONParser.parse(Array("01".utf8)) }
        #expect(throws: JSONParser.Error(offset: 3, reason: "trailing characters")) { try JSONParser.parse(Array("{} x".utf8)) }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParser.Error(offset: 512, reason: "nested too deeply")) { try JSONParser.parse(Array(deep.utf8)) }
    }

    @Test func canonicalTextRoundTrips() throws {
        let record = try RecordCoding.tree(Fixtures.record())
        #expect(try JSONParser.parse(Array(CanonicalJSON.pretty(record).utf8)) == record)
        #expect(try JSONParser.parse(Array(CanonicalJSON.compact(record).utf8)) == record)
    }
}
