import Foundation
import OutputFiles
import Testing
@testable import Reports

@Suite struct RecordJSONTests {
    @Test func encodesTheGoldenBytes() throws {
        let bytes = try RecordJSON.encode(Fixtures.record())
        let text = String(decoding: bytes, as: UTF8.self)
        if text != Golden.recordJSON {
            try? text.write(toFile: "/tmp/leakscope-golden-record.json", atomically: true, encoding: .utf8)
        }
        #expect(text == Golden.recordJSON)
    }

    @Test func twoEncodingsAreByteIdentical() throws {
        let a = try RecordJSON.encode(Fixtures.record())
        let b = try RecordJSON.encode(Fixtures.record())
        #expect(a == b)
        #expect(FileDigest.sha256(bytes: a) == FileDigest.sha256(bytes: b))
    }

    @Test func decodesBackToTheSameRecord() throws {
        let r = Fixtures.record(deterministic: false)
        let back = try RecordJSON.decode(try RecordJSON.encode(r))
        #expect(back.record == r)
        #expect(back.record.provenance.analyzedAt == "2026-11-25T14:00:00Z")
        #expect(back.newerKeys.isEmpty)
        #expect(back.schemaVersion == "1.3")
    }

    /// A record of a newer minor version: the keys it added are kept, named,
    /// and written back where they were; the rest reads as usual.
    @Test func keepsAndNamesKeysOfANewerMinorVersion() throws {
        var text = String(decoding: try RecordJSON.encode(Fixtures.record()), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"schema_version\": \"1.3\"", with: "\"schema_version\": \"1.7\",\n  \"zz_new\": {\"a\": [1, 2]}")
        text = text.replacingOccurrences(of: "\"severity_reason\": \"rule of the fixture\",", with: "\"confidence\": \"certain\",\n      \"severity_reason\": \"rule of the fixture\",")
        let read = try RecordJSON.decode(Array(text.utf8))
        #expect(read.schemaVersion == "1.7")
        #expect(read.newerKeys == ["findings[0].confidence", "findings[1].confidence", "findings[2].confidence", "zz_new"])
        #expect(read.record.analysis.findings.map(\.id) == ["F1", "F2", "F3"])
        // Written back where they were: the same keys again, and the bytes are stable from then on.
        let again = try RecordJSON.encode(read.record)
        let text2 = String(decoding: again, as: UTF8.self)
        #expect(text2.contains("  \"zz_new\": {\n    \"a\": [1, 2]\n  }\n}\n"))
        #expect(text2.components(separatedBy: "\"confidence\": \"certain\",").count == 4)
        let reread = try RecordJSON.decode(again)
        #expect(reread.newerKeys == read.newerKeys)
        #expect(try RecordJSON.encode(reread.record) == again)
    }

    @Test func refusesAnotherMajorVersionAndSaysWhatIsMissing() throws {
        let text = String(decoding: try RecordJSON.encode(Fixtures.record()), as: UTF8.self)
        #expect(throws: ReportError.badRecord(path: "r.json", reason: "schema version 2.0 is not 1.x, which this leakscope reads")) {
            try RecordJSON.decode(Array(text.replacingOccurrences(of: "\"1.3\"", with: "\"2.0\"").utf8), path: "r.json")
        }
        #expect(throws: ReportError.badRecord(path: "r.json", reason: "findings[1]: missing key \"severity\"")) {
            try RecordJSON.decode(Array(text.replacingOccurrences(of: "\"severity\": \"high\",\n      \"severity_reason\": \"rule of the fixture\",\n      \"title\": \"DNS", with: "\"severity_reason\": \"rule of the fixture\",\n      \"title\": \"DNS").utf8), path: "r.json")
        }
        #expect(throws: ReportError.self) {
            try RecordJSON.decode(Array(text.replacingOccurrences(of: "\"class\": \"dns\"", with: "\"class\": \"smoke-signals\"").utf8))
        }
    }

    @Test func contractKeysStayAtTheirPlace() throws {
        let json = try JSONSerialization.jsonObject(with: Data(try RecordJSON.encode(Fixtures.record()))) as! [String: Any]
        #expect(json["schema_version"] as? String == "1.3")
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
            try OutputFile.write(try RecordJSON.encode(record), to: path)
            let (status, output) = try TestSupport.validate(path)
            #expect(status == 0, "\(output)")
        }
    }

    @Test(.enabled(if: TestSupport.hasPythonJSONSchema, "needs python3 with jsonschema (Scripts/setup installs it)"))
    func schemaRejectsABrokenRecord() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var r = Fixtures.record()
        r.provenance.inputs[0].sha256 = "XYZ"
        // The typed record cannot hold a verdict the schema does not know: break the text.
        let text = String(decoding: try RecordJSON.encode(r), as: UTF8.self)
            .replacingOccurrences(of: "\"status\": \"leaks-found\"", with: "\"status\": \"probably-fine\"")
        let path = "\(dir)/bad.json"
        try OutputFile.write(Array(text.utf8), to: path)
        let (status, output) = try TestSupport.validate(path)
        #expect(status == 1)
        #expect(output.contains("'probably-fine' is not one of"))
        #expect(output.contains("'XYZ' does not match"))
    }

    @Test func totalsCountByClassSeverityAndInterface() {
        let t = Fixtures.record().provenance.totals
        #expect(t.findings == 3)
        #expect(t.bySeverity == ["high": 2, "medium": 1, "low": 0])
        #expect(t.byClass.map(\.leakClass) == [.webrtc, .dns, .tunnelFailure])
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
        #expect(Fixtures.record().provenance.timeline.spans == [TimelineSpan(finding: "F3", startNs: Fixtures.t0 + 1_500_000_000, endNs: Fixtures.t0 + 4_000_000_000)])
    }

    @Test func captureNotesSayWhatLimitsTheEvidence() {
        #expect(Fixtures.record().provenance.captureNotes == ["s.pcapng: the capturing system dropped 3 packets; evidence may be incomplete."])
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

/// Issue 13: a bidirectional override from a packet reaches no output raw.
@Suite struct BidiEscapingTests {
    @Test func everyRenderingEscapesBidirectionalControls() throws {
        var r = Fixtures.record()
        r.analysis.findings[0].evidence.software = ["evil\u{202E}txt.exe"]
        r.analysis.findings[1].title = "DNS query for a\u{2067}b outside the tunnel"
        for format in ReportFormat.allCases {
            let text = String(decoding: try r.rendered(as: format), as: UTF8.self)
            for c in ["\u{202E}", "\u{2067}"] { #expect(!text.contains(c), "\(format) shows \(c.unicodeScalars.first!.value) raw") }
        }
        let json = String(decoding: try RecordJSON.encode(r), as: UTF8.self)
        #expect(json.contains(#""evil\u202etxt.exe""#))
        #expect(try RecordJSON.decode(Array(json.utf8)).record == r)
    }
}
