import Foundation

/// Helpers for tests that run tools (tshark, ip, the leakscope binary).
enum TestSupport {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Full path of an executable on PATH (or the usual sbin dirs), or nil.
    static func which(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static var hasTshark: Bool { which("tshark") != nil }
    static var isRoot: Bool { getuid() == 0 }
    /// Root, iproute2, and the kernel lets us create a network namespace
    /// (probed once: some containers are root without CAP_SYS_ADMIN).
    static let canUseNamespaces: Bool = {
        guard isRoot, which("ip") != nil else { return false }
        let name = "lcap-probe\(getpid())"
        guard let r = try? run(["ip", "netns", "add", name]), r.status == 0 else { return false }
        _ = try? run(["ip", "netns", "del", name])
        return true
    }()

    /// The `leakscope` executable built next to the test bundle
    /// (`swift build --build-tests` builds both into .build/<triple>/debug).
    static var leakscopeBinary: String? {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent + "/leakscope")
        }
        candidates.append((CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/leakscope")
        for b in Bundle.allBundles { candidates.append((b.bundlePath as NSString).deletingLastPathComponent + "/leakscope") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs argv to completion, capturing output.
    @discardableResult
    static func run(_ argv: [String]) throws -> Result {
        let p = try start(argv)
        return p.finish()
    }

    final class Running {
        let process: Process
        let out = Pipe()
        let err = Pipe()
        init(process: Process) { self.process = process }

        /// Waits for the end and returns everything it printed.
        func finish() -> Result {
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                stderr: String(decoding: e, as: UTF8.self))
        }

        /// Reads stderr until a line contains `text` (or the process ends / timeout).
        func waitForStderr(containing text: String, timeout: Double = 10) -> String {
            var seen = ""
            let fd = err.fileHandleForReading.fileDescriptor
            let deadline = Date().addingTimeInterval(timeout)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline, !seen.contains(text) {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 100) > 0 else { continue }
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                seen += String(decoding: buffer[..<n], as: UTF8.self)
            }
            return seen
        }
    }

    static func start(_ argv: [String]) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0].hasPrefix("/") ? argv[0] : (which(argv[0]) ?? argv[0]))
        process.arguments = Array(argv.dropFirst())
        let running = Running(process: process)
        process.standardOutput = running.out
        process.standardError = running.err
        try process.run()
        return running
    }

    /// A fresh directory under /tmp (world-traversable so `-Z nobody` tests work).
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/lcap-test-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        chmod(path, 0o755)
        return path
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// tshark fields, one row per frame, tab-separated.
    static func tsharkFields(_ file: String, _ fields: [String]) throws -> [[String]] {
        let r = try run(["tshark", "-r", file, "-T", "fields"] + fields.flatMap { ["-e", $0] })
        return r.stdout.split(separator: "\n", omittingEmptySubsequences: true).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }
}
