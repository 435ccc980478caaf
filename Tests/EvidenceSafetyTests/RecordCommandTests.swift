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
}
