#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import ProcessSpawning

@Suite struct ProcessExitTests {
    @Test func decodesWaitStatus() {
        #expect(ProcessExit(waitStatus: 0) == .exited(0))
        #expect(ProcessExit(waitStatus: 3 << 8) == .exited(3))
        #expect(ProcessExit(waitStatus: 15) == .signaled(15))
        #expect(ProcessExit(waitStatus: 0x80 | 11) == .signaled(11))  // core dumped
        #expect(ProcessExit.exited(3).description == "exited with status 3")
        #expect(ProcessExit.signaled(9).description == "killed by signal 9")
    }
}

@Suite struct SpawnedProcessTests {
    @Test func runsACommandAndReportsItsStatus() throws {
        let child = try SpawnedProcess(["sh", "-c", "exit 7"])
        var exit: ProcessExit?
        for _ in 0 ..< 500 where exit == nil {
            exit = child.poll()
            usleep(10_000)
        }
        #expect(exit == .exited(7))
        #expect(!child.isRunning)
    }

    @Test func terminatesAStillRunningCommand() throws {
        let child = try SpawnedProcess(["sleep", "30"])
        #expect(child.isRunning)
        #expect(child.terminate() == .signaled(SIGTERM))
    }

    @Test func killsAChildThatIgnoresSIGTERM() throws {
        let child = try SpawnedProcess(["sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"])
        usleep(100_000)
        #expect(child.terminate(grace: 0.2) == .signaled(SIGKILL))
    }

    @Test func missingExecutableIsATypedError() {
        #expect(throws: SpawnError(executable: "/nonexistent/lsl-cmd", errno: ENOENT)) {
            try SpawnedProcess(["/nonexistent/lsl-cmd"])
        }
        #expect(throws: SpawnError(executable: "", errno: EINVAL)) { try SpawnedProcess([]) }
        #expect(SpawnError(executable: "x", errno: ENOENT).description == "cannot start x: No such file or directory")
    }

    @Test func capturesStdoutAndSetsTheEnvironment() throws {
        let r = try SpawnedProcess.output(of: ["sh", "-c", "printf '%s|' \"$LSL_SPAWN_TEST\"; echo err >&2; exit 3"],
                                          environment: ["LSL_SPAWN_TEST": "a b"])
        #expect(String(decoding: r.stdout, as: UTF8.self) == "a b|")
        #expect(r.exit == .exited(3))
    }

    @Test func outputIsBoundedAndTimesOut() throws {
        let big = try SpawnedProcess.output(of: ["sh", "-c", "head -c 100000 /dev/zero"], limit: 1000)
        #expect(big.stdout.count == 1000)
        #expect(big.exit == .exited(0))
        let t0 = Date()
        let slow = try SpawnedProcess.output(of: ["sleep", "30"], timeout: 0.3)
        #expect(slow.exit == .signaled(SIGTERM))
        #expect(Date().timeIntervalSince(t0) < 5)
    }

    @Test func appendsToAFileAndJoinsStderr() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lsl-spawn-\(getpid()).log").path
        defer { unlink(path) }
        let child = try SpawnedProcess(["sh", "-c", "echo out; echo err >&2"],
                                       options: SpawnOptions(stdin: .null, stdout: .append(path), stderr: .stdout))
        #expect(child.wait() == .exited(0))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "out\nerr\n")
    }

    @Test func aProcessGroupIsStoppedWhole() throws {
        // The shell starts a grandchild in the same group; terminate() must end both.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lsl-spawn-pg-\(getpid())").path
        defer { unlink(path) }
        let child = try SpawnedProcess(["sh", "-c", "sleep 30 & echo $! > \(path); wait"],
                                       options: .quiet(newProcessGroup: true))
        var grandchild: pid_t = 0
        for _ in 0 ..< 200 where grandchild == 0 {
            grandchild = pid_t((try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
            usleep(10_000)
        }
        #expect(grandchild > 0)
        #expect(getpgid(child.pid) == child.pid)
        _ = child.terminate(grace: 1)
        // Gone, or a zombie waiting for its new parent to reap it.
        let state = (try? String(contentsOfFile: "/proc/\(grandchild)/stat", encoding: .utf8))?
            .split(separator: ")").last?.split(separator: " ").first
        #expect(state == nil || state == "Z", "grandchild \(grandchild) survived (state \(state ?? "?"))")
    }
}
