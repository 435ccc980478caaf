import Testing
import Foundation
@testable import CaptureFiles

/// Reads every third-party capture under ../shared/captures that has a tshark
/// reference view and compares, frame by frame: frame count, frame.number,
/// frame.interface_id, frame.interface_name, frame.len, frame.cap_len. Files
/// tshark refused or found damaged (per SOURCES.md "tshark error:") must give
/// a CaptureFileError or CaptureDamage after the same number of frames.
///
/// Frame numbers are compared as they are: tshark shows pcapng Custom (and
/// systemd Journal) blocks as frames without an interface, and so do our numbers
/// (such a block takes a frame number, `CaptureReader.nonPacketFrames` counts
/// them); those rows are matched by count, the packet rows one by one.
///
/// Known differences, on purpose:
/// - classic pcap: tshark leaves frame.interface_id/name empty, we say 0/nil.
/// - pcapng interfaces without if_name: tshark prints "unknown", we give nil.
@Suite struct ConformanceTests {
    static let captures: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/captures").standardized
    static let available = FileManager.default.fileExists(atPath: captures.appendingPathComponent("reference").path)

    struct Row { var number: String, interfaceID: String, interfaceName: String, len: String, capLen: String }

    static func reference(_ tsv: URL) -> [Row]? {
        guard let text = try? String(contentsOf: tsv, encoding: .utf8) else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst()
        guard let n = header.firstIndex(of: "frame.number"), let id = header.firstIndex(of: "frame.interface_id"),
              let name = header.firstIndex(of: "frame.interface_name"), let len = header.firstIndex(of: "frame.len"),
              let cap = header.firstIndex(of: "frame.cap_len") else { return nil }
        return lines.map { f in
            func at(_ i: Int) -> String { i < f.count ? f[i] : "" }
            return Row(number: at(n), interfaceID: at(id), interfaceName: at(name), len: at(len), capLen: at(cap))
        }
    }

    /// Files SOURCES.md says tshark reported an error for.
    static func tsharkErrors() -> Set<String> {
        guard let text = try? String(contentsOf: captures.appendingPathComponent("SOURCES.md"), encoding: .utf8) else { return [] }
        var out: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `") && line.contains("tshark error:") {
            let rest = line.dropFirst(3)
            if let end = rest.firstIndex(of: "`") { out.insert(String(rest[..<end])) }
        }
        return out
    }

    @Test(.enabled(if: available, "../shared/captures is absent; conformance against tshark skipped"))
    func matchesTsharkFrameByFrame() throws {
        let refDir = Self.captures.appendingPathComponent("reference")
        let tsvs = try FileManager.default.contentsOfDirectory(atPath: refDir.path)
            .filter { $0.hasSuffix(".tsv") && !$0.hasSuffix(".decode-as.tsv") && !$0.hasSuffix(".packet-comments.tsv") }
            .sorted()
        let complained = Self.tsharkErrors()
        #expect(!tsvs.isEmpty)
        var table = ["file | tshark frames | ours | result | note"]
        var compared = 0
        for tsv in tsvs {
            let base = String(tsv.dropLast(4))
            guard let sep = base.range(of: "__") else { continue }
            let relative = base.replacingCharacters(in: sep, with: "/")
            let path = Self.captures.appendingPathComponent(relative).path
            guard let rows = Self.reference(refDir.appendingPathComponent(tsv)) else {
                Issue.record("\(tsv): unreadable reference")
                continue
            }
            let tsharkError = complained.contains(relative)
            let reader: CaptureReader
            do {
                reader = try CaptureReader(path: path)
            } catch {
                // Refused: tshark must have refused too (empty view + error).
                #expect(tsharkError && rows.isEmpty, "\(relative): we refused (\(error)) but tshark read \(rows.count) frames")
                table.append("\(relative) | \(rows.count) | refused | \(tsharkError && rows.isEmpty ? "ok" : "MISMATCH") | \(error.description.replacingOccurrences(of: path + ": ", with: ""))")
                compared += 1
                continue
            }
            var seen: [(Int, Int, String?, Int, Int)] = []
            while let p = reader.next() {
                seen.append((p.frameNumber, p.interfaceID, reader.interfaceName(of: p), p.originalLength, p.capturedLength))
            }
            // Rows without an interface in a pcapng file are the blocks tshark shows as frames
            // that are not packets (custom, journal): they must have taken the same numbers.
            let isPcapNG = reader.format == .pcapng
            let expected = isPcapNG ? rows.filter { !$0.interfaceID.isEmpty } : rows
            var note = ""
            var mismatches: [String] = []
            if rows.count - expected.count != reader.nonPacketFrames {
                mismatches.append("non-packet frames tshark \(rows.count - expected.count), ours \(reader.nonPacketFrames)")
            }
            if reader.nonPacketFrames > 0 { note = "\(reader.nonPacketFrames) non-packet frames (custom/journal blocks)" }
            if expected.count != seen.count { mismatches.append("packet count tshark \(expected.count), ours \(seen.count)") }
            if reader.damage == nil && !tsharkError && reader.framesRead != rows.count {
                mismatches.append("frame count tshark \(rows.count), ours \(reader.framesRead)")
            }
            for (row, s) in zip(expected, seen) {
                let number = String(s.0)
                let id = isPcapNG ? String(s.1) : ""
                let nameMatches = row.interfaceName == (s.2 ?? "") || (row.interfaceName == "unknown" && s.2 == nil) || !isPcapNG && row.interfaceName.isEmpty
                if row.number != number || row.interfaceID != id || !nameMatches || row.len != String(s.3) || row.capLen != String(s.4) {
                    mismatches.append("frame \(row.number): tshark \(row.interfaceID)/\(row.interfaceName)/\(row.len)/\(row.capLen), ours \(s.0) \(s.1)/\(s.2 ?? "nil")/\(s.3)/\(s.4)")
                    if mismatches.count > 3 { break }
                }
            }
            if tsharkError != (reader.damage != nil) {
                mismatches.append(tsharkError ? "tshark reported an error, we saw no damage" : "we report damage tshark did not: \(reader.damage?.reason ?? "")")
            }
            if let d = reader.damage { note += (note.isEmpty ? "" : "; ") + "damage at \(d.offset): \(d.reason)" }
            #expect(mismatches.isEmpty, "\(relative): \(mismatches.joined(separator: "; "))")
            table.append("\(relative) | \(rows.count) | \(reader.framesRead) | \(mismatches.isEmpty ? "ok" : "MISMATCH") | \(note)")
            compared += 1
        }
        print("Conformance against tshark reference views (\(compared) captures):\n" + table.joined(separator: "\n"))
        #expect(compared == tsvs.count)
    }
}
