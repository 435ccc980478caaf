import BrowserCandidates
import CaptureFiles
import Foundation

/// Finds the candidates sidecars of the inputs: given with `--candidates`,
/// named in a pcapng section comment (`browser candidates: NAME`), or beside
/// the capture (`X.candidates.json` for `X.pcapng`/`.pcap`/`.cap`, or
/// `X.pcapng.candidates.json`). Each file is used once.
///
/// A name from a section comment is input too: only a plain file name in the
/// capture's own directory is followed, and only to a regular file.
struct SidecarLocator {
    struct Found {
        var sidecar: CandidateSidecar
        var report: BrowserReport.Sidecar
        /// Index of the input capture the sidecar belongs to, if known.
        var fileIndex: Int?
    }

    static let commentPrefix = "browser candidates:"

    static func locate(inputs: [InputSummary], explicit: [String], discover: Bool) -> (found: [Found], warnings: [String]) {
        var found: [Found] = [], warnings: [String] = [], used = Set<String>()
        var claimed = Set<Int>()
        func add(_ path: String, foundBy: String, fileIndex: Int?) {
            let key = canonical(path)
            guard used.insert(key).inserted else { return }
            guard found.count < SidecarLimits.maxSidecars else {
                warnings.append("\(path): more than \(SidecarLimits.maxSidecars) candidates sidecars, ignored"); return
            }
            switch CandidateSidecar.load(path: path) {
            case .failed(let w): warnings.append(w)
            case .loaded(let s, let ws):
                warnings += ws
                var index = fileIndex
                if index == nil, let c = s.capture {
                    index = inputs.firstIndex { basename($0.file) == basename(c) }
                }
                if let index { claimed.insert(index) }
                found.append(Found(sidecar: s, report: .init(file: path, capture: index.map { inputs[$0].file } ?? s.capture,
                                                             foundBy: foundBy), fileIndex: index))
            }
        }
        for p in explicit { add(p, foundBy: "option --candidates", fileIndex: nil) }
        guard discover else { return (found, warnings) }
        for (i, input) in inputs.enumerated() where !claimed.contains(i) {
            let dir = directory(input.file)
            for name in commentNames(input.sectionComments) {
                guard !name.contains("/"), name != ".", name != ".." else {
                    warnings.append("\(input.file): section comment names candidates sidecar \(name.prefix(80)) outside the capture's directory, not followed")
                    continue
                }
                let path = dir + name
                if isRegularFile(path) { add(path, foundBy: "section comment", fileIndex: i) }
                else { warnings.append("\(input.file): section comment names \(name.prefix(80)), not found beside the capture") }
            }
            for path in besidePaths(input.file) where isRegularFile(path) {
                add(path, foundBy: "beside the capture", fileIndex: i)
            }
        }
        return (found, warnings)
    }

    static func commentNames(_ comments: [String]) -> [String] {
        var r: [String] = []
        for c in comments {
            for line in c.split(whereSeparator: \.isNewline) where line.hasPrefix(commentPrefix) && r.count < 4 {
                let name = line.dropFirst(commentPrefix.count).trimmingCharacters(in: .whitespaces)
                if !name.isEmpty && name.utf8.count <= 255 { r.append(name) }
            }
        }
        return r
    }

    static func besidePaths(_ capture: String) -> [String] {
        var r: [String] = []
        for ext in [".pcapng", ".pcap", ".cap"] where capture.hasSuffix(ext) {
            r.append(String(capture.dropLast(ext.count)) + ".candidates.json")
        }
        r.append(capture + ".candidates.json")
        return r
    }

    static func directory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func isRegularFile(_ path: String) -> Bool { SidecarFile.isRegular(path, followLinks: false) }
}
