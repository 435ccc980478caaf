import Foundation
import Testing
@testable import Dissectors

/// The shared third-party captures (../shared/captures relative to the package
/// root) against tshark 4.0.17's reference TSVs. Skipped when absent.
/// Differences not listed in `KnownDifferences` fail the test; the per-file
/// agreement summary is printed.
@Suite struct TsharkReferenceTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let captures = packageRoot.appendingPathComponent("../shared/captures").standardizedFileURL.path
    static var available: Bool { FileManager.default.fileExists(atPath: captures + "/reference") }

    @Test(.enabled(if: available, "../shared/captures is not present"))
    func sharedCapturesAgreeWithTshark() throws {
        let refDir = Self.captures + "/reference"
        let names = try FileManager.default.contentsOfDirectory(atPath: refDir)
            .filter { $0.hasSuffix(".tsv") && !$0.hasSuffix(".decode-as.tsv") && !$0.hasSuffix(".packet-comments.tsv") }
            .sorted()
        var unexplained: [String] = []
        var totalAgreed = 0, totalFields = 0
        for tsv in names {
            let base = String(tsv.dropLast(4))
            guard let sep = base.range(of: "__") else { continue }
            let capture = Self.captures + "/" + base.replacingCharacters(in: sep, with: "/")
            guard FileManager.default.fileExists(atPath: capture), let rows = TsharkComparison.readTSV(refDir + "/" + tsv) else { continue }
            let result = TsharkComparison.run(capture: capture, rows: rows, name: base)
            totalAgreed += result.agreed
            totalFields += result.agreed + result.diffs.count
            print(result.summary)
            for diff in result.diffs {
                if let why = KnownDifferences.reason(file: base, diff: diff) {
                    print("  known: \(diff) — \(why)")
                } else {
                    print("  DIFF: \(diff)")
                    unexplained.append("\(base): \(diff)")
                }
            }
        }
        print("total: \(totalAgreed)/\(totalFields) fields agree; \(unexplained.count) unexplained differences")
        #expect(totalFields > 0)
        #expect(unexplained.isEmpty, "\(unexplained.prefix(40).joined(separator: "\n"))")
    }
}
