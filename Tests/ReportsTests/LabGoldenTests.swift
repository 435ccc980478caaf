import OutputText
import Correlation
import Foundation
@testable import Reports
import Testing

/// Golden outputs over the committed lab recordings (captures/lab-*.pcapng):
/// the deterministic record JSON and the Markdown report, byte for byte, as
/// `leakscope analyze captures/lab-X.pcapng --format json|markdown --deterministic`
/// prints them from the package root. Key parts of the HTML are asserted.
///
/// Regenerate after an intended change (writes Tests/ReportsTests/Golden/):
///     UPDATE_GOLDEN=1 swift test --skip-build --filter LabGoldenTests
@Suite(.enabled(if: TestSupport.hasLabCaptures, "needs captures/lab-*.pcapng (committed by the lab branch)"))
struct LabGoldenTests {
    static let names = [
        "lab-clean", "lab-webrtc-leak", "lab-dns-leak", "lab-ipv6-leak",
        "lab-tunnel-down", "lab-everything", "lab-killswitch",
    ]

    @Test("record JSON: byte-identical across runs, equal to the golden, no machine-specific strings", arguments: names)
    func json(name: String) throws {
        let first = try LabGolden.output(name, format: .json)
        let second = try LabGolden.output(name, format: .json)
        #expect(first == second, "two runs over captures/\(name).pcapng gave different JSON")
        let text = String(decoding: first, as: UTF8.self)
        #expect(!text.contains("\"analyzed_at\""), "--deterministic must leave analyzed_at out")
        let ours = try LabGolden.withoutCaptureSections(first)
        for s in LabGolden.machineStrings where ours.contains(s) {
            Issue.record("the record of \(name) contains \"\(s)\", which depends on this machine or checkout")
        }
        #expect(text.contains("\"path\": \"captures/\(name).pcapng\""))
        try LabGolden.compare(first, golden: "\(name).json")
        // The record is written by the streaming encoder; the tree encoder must give the same bytes.
        #expect(try RecordJSON.encodeAsTree(try LabGolden.record(name, format: .json)) == first)
    }

    @Test("Markdown: byte-identical across runs and equal to the golden", arguments: names)
    func markdown(name: String) throws {
        let first = try LabGolden.output(name, format: .markdown)
        let second = try LabGolden.output(name, format: .markdown)
        #expect(first == second, "two runs over captures/\(name).pcapng gave different Markdown")
        for s in LabGolden.machineStrings where String(decoding: first, as: UTF8.self).contains(s) {
            Issue.record("the Markdown of \(name) contains \"\(s)\", which depends on this machine or checkout")
        }
        try LabGolden.compare(first, golden: "\(name).md")
    }

    // Skipped with this message when python3 or its jsonschema module is missing
    // (Scripts/setup installs it; CI has it).
    @Test("record JSON validates against schemas/analysis-record.schema.json",
          .enabled(if: TestSupport.hasPythonJSONSchema, "python3 -c 'import jsonschema' failed: schema validation skipped"),
          arguments: names)
    func schema(name: String) throws {
        let dir = TestSupport.tempDir("labgolden\(name)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/\(name).json"
        try Data(try LabGolden.output(name, format: .json)).write(to: URL(fileURLWithPath: path))
        let (status, messages) = try TestSupport.validate(path)
        #expect(status == 0, "schema errors in the record of \(name):\n\(messages)")
    }

    @Test("HTML: verdict, one timeline, every finding, escaped packet bytes", arguments: names)
    func html(name: String) throws {
        let record = try LabGolden.record(name, format: .html)
        let html = String(decoding: try record.rendered(as: .html), as: UTF8.self)
        let verdict = record.analysis.verdict, findings = record.analysis.findings
        let e = Escape.html

        #expect(html.contains("<header class=\"verdict status-\(e(verdict.status.rawValue))\" id=\"verdict\">"))
        #expect(html.contains("<h1>\(e(LeakClassText.headline(verdict.status)))</h1>"))
        #expect(html.contains("<p class=\"reason\">\(e(verdict.reason))</p>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 1, "exactly one SVG (the timeline)")
        #expect(html.contains("<svg class=\"timeline\""))
        #expect(html.contains("<h2>File \(name).pcapng</h2>"))
        #expect(html.contains("<dt>Analysed at</dt><dd>not recorded (--deterministic)</dd>"))
        #expect(!html.contains("<script"), "no script in the report")

        for f in findings {
            #expect(html.contains("<article class=\"finding sev-\(e(f.severity.rawValue))\" id=\"finding-\(e(f.id))\">"))
            #expect(html.contains("<span class=\"fid\">\(e(f.id))</span> <span class=\"cls\">\(e(f.class.rawValue))</span> <span class=\"sev\">\(e(f.severity.rawValue))</span> \(e(f.title))</h3>"))
        }
        if findings.isEmpty { #expect(html.contains("<p>No findings in this file.</p>")) }

        // Packet bytes shown as ASCII beside the hex come from the wire: every
        // hex block must be free of markup, and the escaped dump must be there.
        var sawSpecial = false
        for v in record.provenance.frameViews {
            let dump = HTMLReport.hexDump(Hex.bytes(v.hex))
            #expect(html.contains("<pre class=\"hex\">\(e(dump))"), "hex dump of frame \(v.frame) (\(v.finding))")
            if dump.contains(where: { "<>&\"'".contains($0) }) { sawSpecial = true }
        }
        for block in html.components(separatedBy: "<pre class=\"hex\">").dropFirst() {
            let body = block.components(separatedBy: "</pre>")[0]
            #expect(!body.contains("<") && !body.contains(">") && !body.contains("\"") && !body.contains("'"))
            #expect(body.replacingOccurrences(of: "&amp;", with: "").replacingOccurrences(of: "&lt;", with: "")
                .replacingOccurrences(of: "&gt;", with: "").replacingOccurrences(of: "&quot;", with: "")
                .replacingOccurrences(of: "&#39;", with: "").contains("&") == false)
        }
        if name == "lab-webrtc-leak" {
            #expect(sawSpecial, "the webrtc-leak frames have markup characters in their ASCII column (an escaping check)")
            #expect(findings.contains { $0.class == .webrtc })
            #expect(html.contains("<th>stun_server</th><td><code>203.0.113.10:3478</code></td>"))
            #expect(html.contains("<code>198.51.100.2</code>"), "the exposed address")
        }
    }

    // The CLI itself, when its binary is beside the test bundle: its stdout
    // must be the golden, so the goldens pin what users see.
    @Test("the leakscope binary prints the golden JSON and Markdown",
          .enabled(if: LabGolden.cliPath != nil, "leakscope binary not built beside the tests (swift build --build-tests)"),
          arguments: names)
    func cli(name: String) throws {
        for (format, ext) in [("json", "json"), ("markdown", "md")] {
            let (status, out, err) = try LabGolden.runCLI(["analyze", "captures/\(name).pcapng", "--format", format, "--deterministic"])
            #expect([0, 1].contains(status), "exit \(status): \(err)")
            try LabGolden.compare(out, golden: "\(name).\(ext)", tag: "cli-")
        }
    }
}

/// Building, comparing and regenerating the lab goldens.
enum LabGolden {
    static var goldenDir: String { "\(TestSupport.repoRoot)/Tests/ReportsTests/Golden" }
    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }
    static let regenerate = "UPDATE_GOLDEN=1 swift test --skip-build --filter LabGoldenTests"

    /// The CLI's version string, read from its source so the goldens follow it.
    static let toolVersion: String = {
        let src = (try? String(contentsOfFile: "\(TestSupport.repoRoot)/Sources/leakscope/LeakScope.swift", encoding: .utf8)) ?? ""
        for line in src.split(separator: "\n") where line.contains("static let version = \"") {
            if let v = line.split(separator: "\"").dropFirst().first { return String(v) }
        }
        return "unknown"
    }()

    /// The analysis opens `captures/NAME.pcapng` relative to the package root,
    /// as the CLI does when run there, so recorded paths do not depend on
    /// where the repository is cloned. `swift test` already runs there; this
    /// only matters when the test binary is started elsewhere.
    static let enteredRoot: Bool = {
        let root = TestSupport.repoRoot
        if FileManager.default.currentDirectoryPath != root { return FileManager.default.changeCurrentDirectoryPath(root) }
        return true
    }()

    /// The record exactly as `leakscope analyze captures/NAME.pcapng --format FORMAT --deterministic` builds it
    /// (Sources/leakscope/AnalyzeCommand.swift and OutputOptions.swift with default options).
    static func record(_ name: String, format: ReportFormat) throws -> AnalysisRecord {
        #expect(enteredRoot, "cannot change to \(TestSupport.repoRoot)")
        #expect(toolVersion != "unknown", "no version in Sources/leakscope/LeakScope.swift")
        let path = "captures/\(name).pcapng"
        var options = AnalysisOptions()
        options.tunnelGapNanoseconds = Int64(2 * 1e9)  // --gap default
        options.groupGapNanoseconds = Int64(60 * 1e9)  // --group-gap default
        let settings = AnalysisPipeline.Settings(
            toolVersion: toolVersion,
            arguments: ["leakscope", "analyze", path, "--format", format.rawValue, "--deterministic"],
            options: .init(format: format, deterministic: true))
        return try AnalysisPipeline.record(paths: [path], analysis: options, settings: settings)
    }

    static func output(_ name: String, format: ReportFormat) throws -> [UInt8] {
        try record(name, format: format).rendered(as: format)
    }

    /// Strings that would make a golden depend on this machine or checkout.
    static let machineStrings: [String] = {
        var s = [TestSupport.repoRoot, FileManager.default.currentDirectoryPath, NSTemporaryDirectory()]
        if let argv0 = CommandLine.arguments.first, argv0.hasPrefix("/") {
            s.append(URL(fileURLWithPath: argv0).deletingLastPathComponent().path)
        }
        if let home = ProcessInfo.processInfo.environment["HOME"], home.count > 1 { s.append(home) }
        // gethostname, not ProcessInfo.hostName (which may resolve it through DNS).
        var buf = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buf, buf.count - 1) == 0 ? String(cString: buf) : ""
        // A very short host name ("vm") would match ordinary text.
        if host.count >= 4 && host != "localhost" { s.append(host) }
        s.append(".build/")
        return s.filter { $0.count > 1 && $0 != "/" }.map { $0.hasSuffix("/") && $0.count > 1 ? String($0.dropLast()) : $0 }
    }()

    /// The record without `inputs[].capture.sections`: those are the capture's
    /// own SHB strings (the lab recorder's host name and paths are in its
    /// comment), identical in every clone, so they are not checked.
    static func withoutCaptureSections(_ json: [UInt8]) throws -> String {
        guard var root = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
              var inputs = root["inputs"] as? [[String: Any]] else { return String(decoding: json, as: UTF8.self) }
        for i in inputs.indices {
            guard var capture = inputs[i]["capture"] as? [String: Any] else { continue }
            capture["sections"] = nil
            inputs[i]["capture"] = capture
        }
        root["inputs"] = inputs
        return String(decoding: try JSONSerialization.data(withJSONObject: root, options: [.withoutEscapingSlashes]), as: UTF8.self)
    }

    /// Equal to Golden/NAME byte for byte; with UPDATE_GOLDEN=1 the file is rewritten instead.
    static func compare(_ bytes: [UInt8], golden file: String, tag: String = "",
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = "\(goldenDir)/\(file)"
        // While the goldens are rewritten, only the library path writes them; the CLI check waits for the next run.
        if updating && !tag.isEmpty { return }
        if updating {
            try FileManager.default.createDirectory(atPath: goldenDir, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
            print("LabGoldenTests: wrote \(path) (\(bytes.count) bytes)")
            return
        }
        guard let expected = FileManager.default.contents(atPath: path) else {
            Issue.record("missing golden \(path); create it with: \(regenerate)", sourceLocation: sourceLocation)
            return
        }
        if [UInt8](expected) == bytes { return }
        let outDir = "/tmp/leakscope-golden"
        try? FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let actual = "\(outDir)/\(tag)\(file)"
        try? Data(bytes).write(to: URL(fileURLWithPath: actual), options: .atomic)
        Issue.record("""
            \(tag.isEmpty ? "output" : "CLI output") differs from the golden \(path) \
            (first difference at byte \(firstDifference([UInt8](expected), bytes))); new output written to \(actual). \
            Review it (diff -u \(path) \(actual)); if the change is intended, regenerate: \(regenerate)
            """, sourceLocation: sourceLocation)
    }

    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
    }

    /// `leakscope` built beside the test bundle (same build directory).
    static let cliPath: String? = {
        guard let argv0 = CommandLine.arguments.first else { return nil }
        var dir = URL(fileURLWithPath: argv0).deletingLastPathComponent()
        // On Linux argv[0] is .build/<triple>/debug/NAME.xctest; on macOS it may be inside the bundle.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("leakscope").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    /// Runs the CLI in the package root; returns (status, stdout bytes, stderr).
    static func runCLI(_ args: [String]) throws -> (Int32, [UInt8], String) {
        try TestSupport.runBytes(cliPath ?? "leakscope", args, in: TestSupport.repoRoot, environment: ["NO_COLOR": "1"])
    }
}

/// `analyze` and `report --format text` are one renderer: the text of a
/// saved record equals what `analyze` printed, evidence line included.
@Suite(.enabled(if: TestSupport.hasLabCaptures && LabGolden.cliPath != nil, "needs captures/lab-*.pcapng and the leakscope binary"))
struct OneTerminalRendererTests {
    @Test(arguments: ["lab-webrtc-leak", "lab-clean", "lab-tunnel-down"])
    func reportPrintsWhatAnalyzePrinted(name: String) throws {
        let dir = TestSupport.tempDir("oneterminal\(name)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let capture = "captures/\(name).pcapng"
        let (s1, analyzed, e1) = try LabGolden.runCLI(["analyze", capture, "--evidence", "\(dir)/a.pcapng"])
        #expect([0, 1].contains(s1), "\(e1)")
        let (s2, _, e2) = try LabGolden.runCLI(["analyze", capture, "--format", "json", "--evidence", "\(dir)/a.pcapng", "-o", "\(dir)/r.json"])
        #expect([0, 1].contains(s2), "\(e2)")
        let (s3, reported, e3) = try LabGolden.runCLI(["report", "\(dir)/r.json", "--format", "text"])
        #expect(s3 == 0, "\(e3)")
        #expect(reported == analyzed)
        #expect(String(decoding: reported, as: UTF8.self).contains("\nEvidence: \(dir)/a.pcapng ("))
        let (_, plain, _) = try LabGolden.runCLI(["analyze", capture])
        #expect(String(decoding: analyzed, as: UTF8.self).hasPrefix(String(decoding: plain, as: UTF8.self)))
    }
}
