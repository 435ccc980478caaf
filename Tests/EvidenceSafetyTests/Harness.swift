import Foundation

/// Runs the leakscope binary the way a user would (own working directory,
/// stdin from a pipe or file, stdout into a file, a umask), with a watchdog:
/// a run that hangs (a FIFO opened twice) is killed and reported as such.
/// Everything it touches is in its own temporary directory; device nodes,
/// FIFOs and links to descriptors are made there, never in the real /dev.
struct Harness {
    struct Result {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
        var timedOut: Bool
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The lab recording used throughout: it leaks (exit 1) and its section comment names its candidates sidecar.
    static let capture = "lab-webrtc-leak.pcapng"
    static let sidecar = "lab-webrtc-leak.candidates.json"

    let dir: String

    init() {
        var template = Array("/tmp/lssafe-XXXXXX".utf8CString)
        dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        chmod(dir, 0o755)
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }

    subscript(_ name: String) -> String { "\(dir)/\(name)" }

    static var repoRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    static var labCapture: String { "\(repoRoot)/captures/\(capture)" }
    static var labSidecar: String { "\(repoRoot)/captures/\(sidecar)" }
    static var isRoot: Bool { getuid() == 0 }

    static var binary: String? {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent + "/leakscope")
        }
        candidates.append((CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/leakscope")
        for b in Bundle.allBundles { candidates.append((b.bundlePath as NSString).deletingLastPathComponent + "/leakscope") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Copies the lab capture (and, unless told not to, its sidecar) into the directory.
    @discardableResult
    func copyCapture(as name: String = Harness.capture, sidecar: Bool = true) throws -> String {
        try FileManager.default.copyItem(atPath: Self.labCapture, toPath: self[name])
        if sidecar, !FileManager.default.fileExists(atPath: self[Self.sidecar]) {
            try FileManager.default.copyItem(atPath: Self.labSidecar, toPath: self[Self.sidecar])
        }
        return self[name]
    }

    enum Input {
        case none
        /// These bytes through a pipe (written by a thread, so the child may read slowly).
        case pipe([UInt8])
    }

    /// Runs leakscope with `args` in the directory (or `cwd`), through `sh` so a umask can be set.
    func run(_ args: [String], stdin: Input = .none, stdoutFile: String? = nil, umask: String = "022",
             cwd: String? = nil, timeout: Double = 60, prefix: String = "", shell: String = "/bin/sh") throws -> Result {
        guard let bin = Self.binary else { throw Missing.binary }
        signal(SIGPIPE, SIG_IGN)  // a child that stops reading early must not kill the test process
        let outPath = stdoutFile ?? self[".stdout-\(UInt32.random(in: 0 ... .max))"]
        let errPath = self[".stderr-\(UInt32.random(in: 0 ... .max))"]
        defer {
            if stdoutFile == nil { unlink(outPath) }
            unlink(errPath)
        }
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: shell)
        let quoted = ([bin] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        p.arguments = ["-c", "umask \(umask); \(prefix)exec \(quoted)"]
        p.currentDirectoryURL = URL(fileURLWithPath: cwd ?? dir)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        var feeder: Thread?
        switch stdin {
        case .none:
            p.standardInput = FileHandle.nullDevice
        case .pipe(let bytes):
            let pipe = Pipe()
            p.standardInput = pipe
            let writer = pipe.fileHandleForWriting
            feeder = Thread {
                writer.write(Data(bytes))
                try? writer.close()
            }
        }
        try p.run()
        feeder?.start()
        let timedOut = Self.wait(p, timeout: timeout)
        let out = FileManager.default.contents(atPath: outPath).map { [UInt8]($0) } ?? []
        let err = FileManager.default.contents(atPath: errPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Result(status: timedOut ? -1 : p.terminationStatus, stdout: out, stderr: err, timedOut: timedOut)
    }

    /// Waits for the process; after `timeout` seconds kills it and returns true.
    static func wait(_ p: Process, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        guard p.isRunning else { return false }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        return true
    }

    enum Missing: Error { case binary }

    /// lstat type and permission bits.
    func mode(_ name: String) -> (type: mode_t, bits: mode_t)? {
        var st = stat()
        guard lstat(self[name], &st) == 0 else { return nil }
        return (st.st_mode & S_IFMT, st.st_mode & 0o7777)
    }

    func bytes(_ name: String) -> [UInt8]? { FileManager.default.contents(atPath: self[name]).map { [UInt8]($0) } }

    func contents() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".std") }.sorted() }

    /// glibc's makedev (a macro Swift does not import).
    static func device(_ major: UInt64, _ minor: UInt64) -> dev_t {
        dev_t((major & 0xFFF) << 8 | (major & ~0xFFF) << 32 | (minor & 0xFF) | (minor & ~0xFF) << 12)
    }

    /// Opens a FIFO both ways for a moment so a thread blocked opening it (the feeder) gets going and ends.
    static func drainFIFO(_ path: String) {
        let fd = open(path, O_RDWR | O_NONBLOCK)
        if fd >= 0 {
            var b = [UInt8](repeating: 0, count: 1 << 16)
            while read(fd, &b, b.count) > 0 {}
            close(fd)
        }
    }

    /// Writes `bytes` into the FIFO at `path` from a thread (it blocks until a reader opens it).
    static func feedFIFO(_ path: String, _ bytes: [UInt8]) {
        signal(SIGPIPE, SIG_IGN)
        Thread {
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { return }
            bytes.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = write(fd, raw.baseAddress! + done, raw.count - done)
                    if n <= 0 { break }
                    done += n
                }
            }
            close(fd)
        }.start()
    }
}
