import Foundation
import Testing

/// Issue 11, targets 5 and 6 through the binary: `analyze --each` (one output per
/// capture, the worst exit code, outputs checked before any work) and the
/// progress line (`--progress` into a pipe prints its last line; without it
/// nothing, stderr being a file here).
@Suite(.serialized) struct EachAndProgressCLITests {
    @Test func eachWritesOneRecordPerCaptureLikeSingleRuns() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture(as: "a.pcapng")
        try h.copyCapture(as: "b.pcapng")
        try FileManager.default.createDirectory(atPath: h["out"], withIntermediateDirectories: false)
        let r = try h.run(["analyze", "--each", "--jobs", "2", "a.pcapng", "b.pcapng", "--format", "json", "--deterministic", "-o", "out"])
        #expect(r.status == 1, "\(r.stderr)")  // the lab capture leaks
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("leakscope analyze: a.pcapng -> out/a.json: exit 1"), "\(r.stderr)")
        #expect(r.stderr.contains("leakscope analyze: b.pcapng -> out/b.json: exit 1"), "\(r.stderr)")
        #expect(h.mode("out/a.json")?.bits == 0o600)
        for name in ["a", "b"] {
            let single = try h.run(["analyze", "\(name).pcapng", "--format", "json", "--deterministic", "-o", "\(name).single.json"])
            #expect(single.status == 1)
            // The records differ only in the command line they state.
            let each = String(decoding: h.bytes("out/\(name).json") ?? [], as: UTF8.self)
            let one = String(decoding: h.bytes("\(name).single.json") ?? [], as: UTF8.self)
            #expect(!each.isEmpty)
            #expect(Self.withoutArguments(each) == Self.withoutArguments(one))
        }
    }

    /// The record's `arguments` (and the output it names) are the only lines that may differ.
    static func withoutArguments(_ record: String) -> [Substring] {
        var out: [Substring] = []
        var inArguments = false
        for line in record.split(separator: "\n") {
            if line.contains("\"arguments\":") { inArguments = !line.contains("]"); continue }
            if inArguments { if line.contains("]") { inArguments = false }; continue }
            if line.contains("\"output\":") { continue }
            out.append(line)
        }
        return out
    }

    @Test func eachToStandardOutputInTheOrderGiven() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture(as: "a.pcapng")
        try h.copyCapture(as: "b.pcapng")
        let r = try h.run(["analyze", "--each", "a.pcapng", "b.pcapng"])
        let a = try h.run(["analyze", "a.pcapng"]), b = try h.run(["analyze", "b.pcapng"])
        #expect(r.status == 1)
        #expect(r.stdout == a.stdout + b.stdout)
    }

    @Test func eachExitsWithTheWorstFile() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture(as: "a.pcapng")
        let r = try h.run(["analyze", "--each", "a.pcapng", "missing.pcapng", "--format", "json", "-o", "."])
        #expect(r.status == 4, "\(r.stderr)")  // an unreadable input is worse than a leak
        #expect(r.stderr.contains("leakscope analyze: missing.pcapng: exit 4"), "\(r.stderr)")
        #expect(r.stderr.contains("leakscope analyze: a.pcapng -> ./a.json: exit 1"), "\(r.stderr)")
        #expect(h.bytes("a.json") != nil)
    }

    @Test func eachRefusesOutputsThatCollideOrAreInputs() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture(as: "a.pcapng")
        try FileManager.default.createDirectory(atPath: h["sub"], withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: h["a.pcapng"], toPath: h["sub/a.pcapng"])
        let twice = try h.run(["analyze", "--each", "a.pcapng", "sub/a.pcapng", "--format", "json", "-o", "."])
        #expect(twice.status == 64, "\(twice.stderr)")
        #expect(twice.stderr.contains("would both be written to ./a.json"), "\(twice.stderr)")
        #expect(h.bytes("a.json") == nil)
        // out/a.json a hard link of the capture: writing it would replace an input.
        try FileManager.default.createDirectory(atPath: h["out"], withIntermediateDirectories: false)
        #expect(link(h["a.pcapng"], h["out/a.json"]) == 0)
        let before = h.bytes("a.pcapng")
        let onto = try h.run(["analyze", "--each", "a.pcapng", "--format", "json", "-o", "out"])
        #expect(onto.status == 64, "\(onto.stderr)")
        #expect(onto.stderr.contains("is the same file as the input a.pcapng"), "\(onto.stderr)")
        #expect(h.bytes("a.pcapng") == before)
        let notDir = try h.run(["analyze", "--each", "a.pcapng", "-o", "nothere"])
        #expect(notDir.status == 64, "\(notDir.stderr)")
        let jobsAlone = try h.run(["analyze", "a.pcapng", "--jobs", "2"])
        #expect(jobsAlone.status == 64, "\(jobsAlone.stderr)")
    }

    /// `leakscope dissect: done: 23.5 kB, 101 packets in 0.0 s, 4.2 MB/s, 19 k packets/s`
    static var doneLine: Regex<(Substring, Substring, Substring?, Substring, Substring?, Substring?, Substring, Substring?)> { #/leakscope (dissect|analyze): done: [0-9]+(\.[0-9])? (B|kB|MB|GB), [0-9]+(\.[0-9]{2} M| k)? packets in [0-9]+\.[0-9] s, [0-9]+(\.[0-9])? (B|kB|MB|GB)/s, [0-9]+(\.[0-9]{2} M| k)? packets/s/# }

    @Test func progressIntoAPipeOnlyWhenAsked() throws {
        let h = Harness()
        defer { h.remove() }
        try h.copyCapture(as: "a.pcapng")
        for args in [["dissect", "a.pcapng"], ["analyze", "a.pcapng"], ["analyze", "--each", "a.pcapng"]] {
            let quiet = try h.run(args)
            #expect(!quiet.stderr.contains("packets/s"), "\(args): \(quiet.stderr)")
            let off = try h.run(args + ["--no-progress"])
            #expect(!off.stderr.contains("packets/s"), "\(args): \(off.stderr)")
            let on = try h.run(args + ["--progress"])
            let lines = on.stderr.split(separator: "\n").filter { $0.contains("packets/s") }
            #expect(lines.count >= 1, "\(args): \(on.stderr)")
            // Short work: no line during the run, the totals at the end, no terminal controls in a pipe.
            #expect(lines.last.map { (try? Self.doneLine.wholeMatch(in: String($0))) != nil } == true, "\(args): \(on.stderr)")
            #expect(!on.stderr.contains("\r") && !on.stderr.contains("\u{1B}"))
            #expect(on.stdout == quiet.stdout)
        }
    }
}
