import Foundation

public struct WriteError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

/// Writes `data` to a temporary file in the same directory, then renames it over `path`.
public func writeAtomically(_ data: Data, to path: String) throws(WriteError) {
    let url = URL(fileURLWithPath: path)
    let tmp = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    do {
        try data.write(to: tmp)
        if rename(tmp.path, url.path) != 0 {
            let e = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw WriteError(path: path, reason: e)
        }
    } catch let e as WriteError {
        throw e
    } catch {
        try? FileManager.default.removeItem(at: tmp)
        throw WriteError(path: path, reason: "\(error)")
    }
}
