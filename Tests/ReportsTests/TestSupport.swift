import Foundation

/// Helpers shared by the tests: temporary directories and external tools.
enum TestSupport {
    static func tempDir(_ tag: String = #function) -> String {
        let safe = tag.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "leakscope-reports-\(safe)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Runs a program, returns (status, stdout, stderr).
    @discardableResult
    static func run(_ exe: String, _ args: [String], timeout: TimeInterval = 60) throws -> (Int32, String, String) {
        let (status, out, err) = try runBytes(exe, args)
        return (status, String(decoding: out, as: UTF8.self), err)
    }

    /// Runs a program in `directory` with `environment` added, returns (status, stdout bytes, stderr).
    static func runBytes(_ exe: String, _ args: [String], in directory: String? = nil,
                         environment: [String: String] = [:]) throws -> (Int32, [UInt8], String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read before waiting so a full pipe cannot block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, [UInt8](o), String(decoding: e, as: UTF8.self))
    }

    static var hasPythonJSONSchema: Bool {
        guard let py = which("python3") else { return false }
        return (try? run(py, ["-c", "import jsonschema"]).0) == 0
    }

    static var schemaPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas/analysis-record.schema.json").path
    }

    /// Validates a JSON file against the record schema with python's jsonschema.
    static func validate(_ jsonPath: String) throws -> (Int32, String) {
        let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))), key=str)
        for e in errors: print(list(e.absolute_path), e.message)
        sys.exit(1 if errors else 0)
        """
        let (st, out, err) = try run(which("python3")!, ["-c", script, schemaPath, jsonPath])
        return (st, out + err)
    }
}

extension TestSupport {
    static var repoRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// A lab recording committed under captures/ (nil when not there).
    static func labCapture(_ name: String) -> String? {
        let p = "\(repoRoot)/captures/\(name)"
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }

    static var hasLabCaptures: Bool { labCapture("lab-webrtc-leak.pcapng") != nil && labCapture("lab-clean.pcapng") != nil }
    static var hasTshark: Bool { which("tshark") != nil }
    static var hasChromium: Bool { which("chromium") != nil || which("chromium-browser") != nil }
}

import Correlation
import Reports

extension TestSupport {
    /// The record `leakscope analyze PATHS --format json [--evidence E] [--deterministic]` builds.
    static func record(_ paths: [String], evidence: String? = nil, deterministic: Bool = true) throws -> AnalysisRecord {
        let settings = AnalysisPipeline.Settings(
            toolVersion: "0.1.0", arguments: ["leakscope", "analyze"] + paths,
            options: .init(format: .json, evidence: evidence, deterministic: deterministic))
        return try AnalysisPipeline.record(paths: paths, analysis: AnalysisOptions(), settings: settings)
    }

    /// The terminal text of an analysis alone (as `analyze` prints it without `--evidence`).
    static func terminalText(_ a: Analysis, showAssumptions: Bool = true, color: Bool = false) -> String {
        let record = AnalysisRecord(analysis: a, provenance: Provenance(
            tool: ToolInfo(version: "0.1.0"), invocation: Invocation(arguments: ["leakscope", "analyze"], options: .init(format: .text))))
        return TerminalReport.render(record, showAssumptions: showAssumptions, color: color)
    }
}
