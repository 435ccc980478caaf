import Foundation
import Testing

/// Follow-ups of issue 15 through the leakscope binary: `report -` reads the
/// record from a pipe; a record that cannot be read is an input error (4, as
/// the help says), not a runtime error (5); ICE server options are parsed once
/// with the arguments, so a bad one is a usage error before anything runs.
@Suite(.serialized) struct RecordCommandTests {
    /// The lab capture's record, as `analyze --format json --deterministic` prints it.
    static func record(_ h: Harness) throws -> [UInt8] {
        try h.copyCapture()
        let r = try h.run(["analyze", Harness.capture, "--format", "json", "--deterministic"])
        #expect(r.status == 1, "\(r.stderr)")
        return r.stdout
    }

    /// Issue 15, item 4: the default `analyze` text starts with what was analysed, and is the
    /// text `report --format text` prints for the saved record.
    @Test func analyzeTextStartsWithItsScope() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture()
        let text = try h.run(["analyze", Harness.capture])
        #expect(text.status == 1, "\(text.stderr)")
        let lines = text.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "Analysed lab-webrtc-leak.pcapng (pcapng): 123 packets, 2026-11-25T14:40:17.995Z to 2026-11-25T14:40:30.587Z (12.592 s); interfaces eth0 physical (82 packets), wgc tunnel (41 packets); no drops; no damage")
        #expect(lines.dropFirst().first == "LEAKS FOUND: 1 finding: 1 webrtc (worst high)")
        let json = try h.run(["analyze", Harness.capture, "--format", "json", "-o", "r.json"])
        #expect(json.status == 1, "\(json.stderr)")
        let report = try h.run(["report", "r.json", "--format", "text"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.text == text.text)
    }

    @Test func reportReadsTheRecordFromStandardInput() throws {
        let h = Harness()
        defer { h.remove() }
        let json = try Self.record(h)
        FileManager.default.createFile(atPath: h["analysis.json"], contents: Data(json))
        let fromFile = try h.run(["report", "analysis.json", "--format", "text"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let piped = try h.run(["report", "-", "--format", "text"], stdin: .pipe(json), timeout: 30)
        #expect(!piped.timedOut)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.text == fromFile.text)
        #expect(piped.text.hasPrefix("Analysed lab-webrtc-leak.pcapng (pcapng): 123 packets, "))
        // The same record re-encoded through the pipe: byte for byte.
        let again = try h.run(["report", "-", "--format", "json"], stdin: .pipe(json), timeout: 30)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == json)
    }

    @Test func aRecordThatCannotBeReadIsAnInputError() throws {
        let h = Harness()
        defer { h.remove() }
        let missing = try h.run(["report", "no-such-record.json", "-o", "r.html"])
        #expect(missing.status == 4, "\(missing.stderr)")
        #expect(missing.stderr.contains("no-such-record.json: open failed: No such file or directory"), "\(missing.stderr)")
        #expect(!h.contents().contains("r.html"))
        try FileManager.default.createDirectory(atPath: h["dir.json"], withIntermediateDirectories: false)
        let directory = try h.run(["report", "dir.json", "--format", "text"])
        #expect(directory.status == 4, "\(directory.stderr)")
        let notJSON = try h.run(["report", "-", "--format", "text"], stdin: .pipe(Array("not json".utf8)))
        #expect(notJSON.status == 4, "\(notJSON.stderr)")
        #expect(notJSON.stderr.contains("-: not an analysis record: invalid JSON at byte 0"), "\(notJSON.stderr)")
    }

    @Test func iceServerOptionsAreCheckedWithTheArguments() throws {
        let h = Harness()
        defer { h.remove() }
        for args in [["probe", "--stun", "turn:203.0.113.10:3478"], ["probe", "--stun", "stun:"],
                     ["probe", "--stun", "stun:203.0.113.10:99999"], ["probe", "--turn", "stun:203.0.113.10:3478"],
                     ["capture", "-i", "lo", "-w", "x.pcapng", "--browser", "chromium", "--probe-stun", "http://203.0.113.10/"],
                     ["capture", "-i", "lo", "-w", "x.pcapng", "--browser", "chromium", "--probe-stun", "stun:203.0.113.10:3478",
                      "--probe-turn", "turn:[2001:db8::1"]] {
            let r = try h.run(args, timeout: 20)
            #expect(r.status == 64, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("is invalid for"), "\(args): \(r.stderr)")
        }
        #expect(h.contents().isEmpty, "\(h.contents())")
    }

    /// `leakscope diff OLD NEW` exits 1 when NEW has a finding at or above --fail-on that OLD did
    /// not; 0 when findings only went away or stayed; 4 when a record cannot be read.
    @Test func diffExitCodes() throws {
        let h = Harness()
        defer { h.remove() }
        for name in ["lab-clean", "lab-webrtc-leak"] {
            try FileManager.default.copyItem(atPath: "\(Harness.repoRoot)/captures/\(name).pcapng", toPath: h["\(name).pcapng"])
            let r = try h.run(["analyze", "\(name).pcapng", "--format", "json", "--deterministic", "-o", "\(name).json"])
            #expect([0, 1].contains(r.status), "\(r.stderr)")
        }
        let worse = try h.run(["diff", "lab-clean.json", "lab-webrtc-leak.json"])
        #expect(worse.status == 1, "\(worse.stderr)")
        #expect(worse.text.contains("New findings (1):\n  +  webrtc  high  stun server 203.0.113.10:3478  F1  "))
        #expect(worse.text.hasSuffix("REGRESSION: 1 new finding at or above low\n"))
        let better = try h.run(["diff", "lab-webrtc-leak.json", "lab-clean.json"])
        #expect(better.status == 0, "\(better.stderr)")
        #expect(better.text.contains("Resolved (1):"))
        let same = try h.run(["diff", "lab-webrtc-leak.json", "lab-webrtc-leak.json", "--format", "json"])
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.text.contains("\"regressions\": 0"))
        #expect(try h.run(["diff", "lab-clean.json", "lab-webrtc-leak.json", "--fail-on", "none"]).status == 0)
        #expect(try h.run(["diff", "lab-clean.json", "missing.json"]).status == 4)
        // NEW from a pipe, as a newer minor version with a key this version does not know.
        var newer = String(decoding: try #require(h.bytes("lab-webrtc-leak.json")), as: UTF8.self)
        newer = newer.replacingOccurrences(of: "\"schema_version\": \"", with: "\"zz_future\": true,\n  \"schema_version\": \"1.99\", \"was\": \"")
        let piped = try h.run(["diff", "lab-clean.json", "-", "--format", "markdown", "-o", "diff.md"], stdin: .pipe(Array(newer.utf8)))
        #expect(piped.status == 1, "\(piped.stderr)")
        #expect(piped.stderr.contains("note: - (schema 1.99, this leakscope "), "\(piped.stderr)")
        let md = String(decoding: try #require(h.bytes("diff.md")), as: UTF8.self)
        #expect(md.hasPrefix("# LeakScope diff: regression\n"))
        #expect(h.mode("diff.md")?.bits == 0o600)
        // The output may not replace a record it reads.
        #expect(try h.run(["diff", "lab-clean.json", "lab-webrtc-leak.json", "-o", "lab-clean.json"]).status == 64)
    }
}
