import Foundation
import Testing
@testable import OutputFiles

/// One serialized parent: `OutputPolicy` is process-wide, and FileModeTests changes it.
@Suite(.serialized) struct OutputFilesTests {}

/// Regular files: written beside the target and renamed over it whole.
extension OutputFilesTests { @Suite struct AtomicOutputTests {
    init() { OutputPolicy.reset() }

    @Test func fileAppearsOnlyOnCommit() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir["report.json"]
        let w = try OutputFile(path: path, bufferSize: 4096)
        try w.write("{\"a\":")
        try w.write([0x31, 0x7D])
        try w.flush()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.fileExists(atPath: w.writingPath))
        #expect(w.writingPath.hasPrefix(dir.path + "/.report.json."))
        try w.commit()
        #expect(dir.text("report.json") == "{\"a\":1}")
        #expect(dir.contents() == ["report.json"])
        #expect(throws: OutputFileError.closed(path: path)) { try w.write("more") }
    }

    @Test func aWriteThatFailsMidwayLeavesTheOldFileIntact() throws {
        struct DiskOnFire: Error {}
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir["analysis.json"]
        try OutputFile.write("{\"old\": true}\n", to: path)
        #expect(throws: DiskOnFire.self) {
            try OutputFile.write(to: path) { w in
                // More than the writer's buffer reaches the temporary file first.
                try w.write(Array(repeating: UInt8(ascii: "x"), count: 3 << 20))
                #expect(dir.contents().count == 2)
                throw DiskOnFire()
            }
        }
        #expect(dir.text("analysis.json") == "{\"old\": true}\n")
        #expect(dir.contents() == ["analysis.json"])
    }

    @Test func abandonLeavesThePreviousFile() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try OutputFile.write("old", to: dir["out.txt"])
        let w = try OutputFile(path: dir["out.txt"])
        try w.write(String(repeating: "x", count: 3 << 20))  // larger than the buffer: written through
        w.abandon()
        #expect(dir.text("out.txt") == "old")
        #expect(dir.contents() == ["out.txt"])
    }

    @Test func aMissingDirectoryIsRefusedBeforeAnythingIsCreated() {
        #expect(throws: OutputFileError.noDirectory(path: "/nonexistent-lsout/dir/out.txt", directory: "/nonexistent-lsout/dir")) {
            try OutputFile.write("x", to: "/nonexistent-lsout/dir/out.txt")
        }
    }

    @Test func aSymlinkStaysALinkAndTheFileItNamesIsReplaced() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try OutputFile.write("old", to: dir["real.html"])
        try FileManager.default.createSymbolicLink(atPath: dir["link.html"], withDestinationPath: "real.html")
        try OutputFile.write("new", to: dir["link.html"])
        #expect(dir.mode("link.html")?.type == S_IFLNK)
        #expect(dir.text("real.html") == "new")
        #expect(dir.contents() == ["link.html", "real.html"])
    }
} }

/// Modes: 0600 by default whatever the umask, a replaced file keeps its mode, --file-mode is exact.
extension OutputFilesTests { @Suite struct FileModeTests {
    init() { OutputPolicy.reset() }

    @Test func newFilesArePrivateUnderAPermissiveUmask() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let old = umask(0o022)
        defer { umask(old) }
        try OutputFile.write("x", to: dir["new.json"])
        #expect(dir.mode("new.json")?.bits == 0o600)
    }

    @Test func replacingAFileKeepsItsMode() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try OutputFile.write("x", to: dir["a"])
        chmod(dir["a"], 0o640)
        try OutputFile.write("y", to: dir["a"])
        #expect(dir.mode("a")?.bits == 0o640)
        chmod(dir["a"], 0o600)
        try OutputFile.write("z", to: dir["a"])
        #expect(dir.mode("a")?.bits == 0o600)
    }

    @Test func anExplicitModeAppliesToNewAndReplacedFiles() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove(); OutputPolicy.reset() }
        let old = umask(0o077)
        defer { umask(old) }
        OutputPolicy.setFileMode(try #require(FileMode(parsing: "0644")))
        try OutputFile.write("x", to: dir["n"])
        #expect(dir.mode("n")?.bits == 0o644)
        try OutputFile.write("x", to: dir["o"])
        chmod(dir["o"], 0o600)
        try OutputFile.write("y", to: dir["o"])
        #expect(dir.mode("o")?.bits == 0o644)
    }

    @Test func modesParseAsOctal() {
        #expect(FileMode(parsing: "600")?.bits == 0o600)
        #expect(FileMode(parsing: "0640")?.bits == 0o640)
        #expect(FileMode(parsing: "0o755")?.bits == 0o755)
        #expect(FileMode(parsing: "4755") == nil)  // no set-id bits
        #expect(FileMode(parsing: "800") == nil)
        #expect(FileMode(parsing: "") == nil)
        #expect(FileMode(bits: 0o600).description == "0600")
    }
} }

/// What is at the path decides how it is written; devices are never replaced.
extension OutputFilesTests { @Suite struct OutputTargetTests {
    init() { OutputPolicy.reset() }

    @Test func aFIFOIsWrittenDirectlyAndStaysAFIFO() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(mkfifo(dir["fifo"], 0o600) == 0)
        #expect(try OutputTarget.inspect(dir["fifo"]).kind == .fifo)
        // A reader on the other end, as `cat fifo` would be.
        let reader = open(dir["fifo"], O_RDONLY | O_NONBLOCK)
        defer { close(reader) }
        try OutputFile.write("through the fifo", to: dir["fifo"])
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(reader, &buffer, buffer.count)
        #expect(String(decoding: buffer[0 ..< max(n, 0)], as: UTF8.self) == "through the fifo")
        #expect(dir.mode("fifo")?.type == S_IFIFO)
        #expect(dir.contents() == ["fifo"])
    }

    @Test func aCharacterDeviceIsWrittenDirectlyAndNeverReplaced() throws {
        guard TemporaryDirectory.isRoot else {
            print("SKIPPED aCharacterDeviceIsWrittenDirectlyAndNeverReplaced: mknod needs root")
            return
        }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        // Our own null device (1,3), made in the temporary directory.
        #expect(mknod(dir["null"], S_IFCHR | 0o666, TemporaryDirectory.device(1, 3)) == 0)
        #expect(try OutputTarget.inspect(dir["null"]).kind == .characterDevice)
        try OutputFile.write(Array(repeating: 0x41, count: 3 << 20), to: dir["null"])
        #expect(dir.mode("null")?.type == S_IFCHR)
        #expect(dir.contents() == ["null"])
    }

    @Test func aBlockDeviceAndADirectoryAreRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir["d"], withIntermediateDirectories: false)
        #expect(throws: OutputFileError.refused(path: dir["d"], reason: "it is a directory (give a file name)")) {
            try OutputFile.write("x", to: dir["d"])
        }
        guard TemporaryDirectory.isRoot else { print("SKIPPED block device part: mknod needs root"); return }
        // A loop device node (7,0) of our own; it is refused before it is opened.
        #expect(mknod(dir["disk"], S_IFBLK | 0o600, TemporaryDirectory.device(7, 0)) == 0)
        #expect(throws: OutputFileError.self) { try OutputFile.write("x", to: dir["disk"]) }
        #expect(dir.mode("disk")?.type == S_IFBLK)
        #expect(dir.contents() == ["d", "disk"])
    }

    @Test func aLinkToThisProcessDescriptorIsThatDescriptor() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fd = open(dir["sink"], O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(fd) }
        try FileManager.default.createSymbolicLink(atPath: dir["stdout-like"], withDestinationPath: "/proc/self/fd/\(fd)")
        let target = try OutputTarget.inspect(dir["stdout-like"])
        #expect(target.kind == .descriptor(fd))
        try OutputFile.write("via the descriptor", to: dir["stdout-like"])
        #expect(dir.text("sink") == "via the descriptor")
        #expect(dir.mode("stdout-like")?.type == S_IFLNK)
        #expect(try OutputTarget.inspect("-").kind == .descriptor(1))
    }

    @Test func aUnixSocketIsConnectedTo() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(server) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(dir["sock"].utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path); $0[path.count] = 0 }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(server, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        #expect(listen(server, 1) == 0)
        #expect(try OutputTarget.inspect(dir["sock"]).kind == .socket)
        try OutputFile.write("to the socket", to: dir["sock"])
        let conn = accept(server, nil, nil)
        defer { close(conn) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(conn, &buffer, buffer.count)
        #expect(String(decoding: buffer[0 ..< max(n, 0)], as: UTF8.self) == "to the socket")
        #expect(dir.mode("sock")?.type == S_IFSOCK)
    }

    @Test func anOutputThatIsAnInputIsRefusedThroughAHardLink() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try OutputFile.write("capture bytes", to: dir["in.pcapng"])
        #expect(link(dir["in.pcapng"], dir["hard.pcapng"]) == 0)
        OpenedInputs.record(try #require(FileIdentity(path: dir["in.pcapng"])), path: dir["in.pcapng"])
        #expect(throws: OutputFileError.isAnInput(output: dir["hard.pcapng"], input: dir["in.pcapng"])) {
            try OutputFile.write("report", to: dir["hard.pcapng"])
        }
        #expect(dir.text("in.pcapng") == "capture bytes")
    }
} }

/// Live captures: a visible NAME.partial, locked while written, renamed on commit.
extension OutputFilesTests { @Suite struct PartialOutputTests {
    init() { OutputPolicy.reset() }

    @Test func partialIsVisibleUntilCommit() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let w = try OutputFile(path: dir["s.pcapng"], style: .partial)
        try w.write("abc")
        try w.sync()
        #expect(dir.contents() == ["s.pcapng.partial"])
        #expect(dir.text("s.pcapng.partial") == "abc")
        #expect(dir.mode("s.pcapng.partial")?.bits == 0o600)
        try w.commit()
        #expect(dir.contents() == ["s.pcapng"])
        #expect(dir.text("s.pcapng") == "abc")
    }

    @Test func aLivePartialIsNotTouchedByASecondWriter() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let first = try OutputFile(path: dir["s.pcapng"], style: .partial)
        try first.write("first")
        try first.flush()
        #expect(throws: OutputFileError.self) { _ = try OutputFile(path: dir["s.pcapng"], style: .partial) }
        #expect(dir.text("s.pcapng.partial") == "first")
        first.abandon()
    }

    @Test func anUnfinishedPartialIsMovedAsideNotReplaced() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        // What a SIGKILLed capture leaves: a partial no process holds.
        _ = FileManager.default.createFile(atPath: dir["s.pcapng.partial"], contents: Data("killed".utf8))
        let w = try OutputFile(path: dir["s.pcapng"], style: .partial)
        let leftover = try #require(w.leftover)
        #expect(leftover.from == dir["s.pcapng.partial"])
        #expect(leftover.movedTo.hasPrefix(dir["s.pcapng.partial-"]))
        #expect(leftover.size == 6)
        try w.write("new")
        try w.commit()
        let name = String(leftover.movedTo.dropFirst(dir.path.count + 1))
        #expect(dir.contents() == ["s.pcapng", name])
        #expect(dir.text(name) == "killed")
    }

    @Test func keepLeavesThePartialForRecovery() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let w = try OutputFile(path: dir["s.pcapng"], style: .partial)
        try w.write("packets")
        #expect(w.keep() == dir["s.pcapng.partial"])
        #expect(dir.text("s.pcapng.partial") == "packets")
    }
} }
