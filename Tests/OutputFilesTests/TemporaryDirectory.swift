import Foundation

/// A fresh directory for one test (removed by the test). Device nodes,
/// FIFOs, sockets and links are made in here, never in the real /dev.
struct TemporaryDirectory {
    let path: String

    init() {
        let tmp = NSTemporaryDirectory().hasSuffix("/") ? String(NSTemporaryDirectory().dropLast()) : NSTemporaryDirectory()
        var template = Array("\(tmp)/lsout-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    subscript(_ name: String) -> String { "\(path)/\(name)" }

    func contents() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    func text(_ name: String) -> String? {
        FileManager.default.contents(atPath: self[name]).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Permission bits and file type of what is at `name` (lstat).
    func mode(_ name: String) -> (type: mode_t, bits: mode_t)? {
        var st = stat()
        guard lstat(self[name], &st) == 0 else { return nil }
        return (st.st_mode & S_IFMT, st.st_mode & 0o7777)
    }

    static var isRoot: Bool { getuid() == 0 }

    /// glibc's makedev (a macro Swift does not import).
    static func device(_ major: UInt64, _ minor: UInt64) -> dev_t {
        dev_t((major & 0xFFF) << 8 | (major & ~0xFFF) << 32 | (minor & 0xFF) | (minor & ~0xFF) << 12)
    }
}
