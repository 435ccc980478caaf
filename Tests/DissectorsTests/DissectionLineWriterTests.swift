import CaptureFiles
import Foundation
import JSONCoding
import OutputText
import Testing
@testable import Dissectors

/// `leakscope dissect`'s writer (DissectionLineWriter) against what the lines were
/// before it: the `DissectionRecord` encoded by `JSONCoding` and its escaped
/// `textLine` (still the record's frame views), frame by frame on every capture in
/// captures/ and ../shared/captures; and byte for byte against goldens written by
/// the code before the writer existed (Golden/*.dissect.*).
@Suite struct DissectionLineWriterTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = root.appendingPathComponent("../shared/captures").standardizedFileURL.path

    static func captures(under dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        return e.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") || $0.hasSuffix(".cap") }
            .sorted().map { dir + "/" + $0 }
    }

    /// Both outputs of one file, as the command writes them, with the writer or with the record.
    static func lines(_ path: String, interfaceName: ((Packet) -> String?)? = nil) throws -> (writer: [UInt8], record: [UInt8], text: [UInt8], recordText: [UInt8], frames: Int) {
        let reader = try CaptureReader(path: path, fileIndex: 0)
        var dissector = Dissector()
        var d = Dissection()
        var w = DissectionLineWriter(), t = DissectionLineWriter()
        var json: [UInt8] = [], text: [UInt8] = []
        var frames = 0
        while let p = reader.next() {
            dissector.dissect(p, into: &d)
            let name = interfaceName.map { $0(p) } ?? reader.interfaceName(of: p)
            w.appendJSONLine(d, interfaceName: name)
            t.appendTextLine(d, interfaceName: name)
            let record = DissectionRecord(d, interfaceName: name)
            json += try JSONCoding.encode(record, layout: .compact, keys: .snakeCase) + [0x0A]
            text += Array((escapedForTerminal(record.textLine) + "\n").utf8)
            frames += 1
        }
        return (w.bytes, json, t.bytes, text, frames)
    }

    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let sa = String(decoding: a, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let sb = String(decoding: b, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(sa.count, sb.count) where (i < sa.count ? sa[i] : "") != (i < sb.count ? sb[i] : "") {
            return "line \(i + 1):\n  writer: \(i < sa.count ? sa[i] : "")\n  record: \(i < sb.count ? sb[i] : "")"
        }
        return "same"
    }

    @Test func sameBytesAsTheRecordOnTheLabCaptures() throws {
        let files = Self.captures(under: Self.root.path + "/captures")
        #expect(files.count >= 20)
        var frames = 0
        for f in files {
            let r = try Self.lines(f)
            frames += r.frames
            #expect(r.writer == r.record, "\(f) jsonl: \(Self.firstDifference(r.writer, r.record))")
            #expect(r.text == r.recordText, "\(f) text: \(Self.firstDifference(r.text, r.recordText))")
        }
        #expect(frames > 1000)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: shared), "../shared/captures is not present"))
    func sameBytesAsTheRecordOnTheSharedCaptures() throws {
        let files = Self.captures(under: Self.shared)
        #expect(files.count >= 80)
        var frames = 0
        for f in files {
            // Damaged and odd files are read up to what the reader accepts, as the command does.
            guard let r = try? Self.lines(f) else { continue }
            frames += r.frames
            #expect(r.writer == r.record, "\(f) jsonl: \(Self.firstDifference(r.writer, r.record))")
            #expect(r.text == r.recordText, "\(f) text: \(Self.firstDifference(r.text, r.recordText))")
        }
        #expect(frames > 1000)
    }

    /// Interface names with everything the escapers treat specially: quotes, backslashes,
    /// controls, DEL, C1, bidirectional marks, U+2028, non-ASCII letters.
    @Test func interfaceNamesEscapedAsTheRecordDoes() throws {
        let names = ["eth\"0\\", "a\u{07}b\u{7F}c\u{85}", "\u{202E}evil\u{2066}", "wg\u{2028}0\n\t\r", "ünïcode→", "", "\\x41"]
        let f = Self.root.path + "/captures/lab-webrtc-leak.pcapng"
        let r = try Self.lines(f) { p in names[p.frameNumber % names.count] }
        #expect(r.writer == r.record, "\(Self.firstDifference(r.writer, r.record))")
        #expect(r.text == r.recordText, "\(Self.firstDifference(r.text, r.recordText))")
    }

    @Test(arguments: ["lab-webrtc-leak", "lab-dns-leak", "lab-ipv6-leak"])
    func sameBytesAsBeforeTheWriter(_ name: String) throws {
        let r = try Self.lines(Self.root.path + "/captures/\(name).pcapng")
        let golden = Self.root.path + "/Tests/DissectorsTests/Golden/\(name).dissect"
        let jsonl = try #require(FileManager.default.contents(atPath: golden + ".jsonl"))
        let text = try #require(FileManager.default.contents(atPath: golden + ".txt"))
        #expect(r.writer == [UInt8](jsonl), "\(Self.firstDifference(r.writer, [UInt8](jsonl)))")
        #expect(r.text == [UInt8](text), "\(Self.firstDifference(r.text, [UInt8](text)))")
    }

    @Test func jsonStringsAsTheEncoderWritesThem() throws {
        for s in ["plain", "q\"b\\", "\u{01}\u{1F}\u{7F}\u{80}\u{9F}\u{A0}", "\u{200E}\u{200F}\u{061C}\u{2028}\u{2029}", "é→😀", ""] {
            var out: [UInt8] = []
            JSONCoding.appendString(s, to: &out)
            #expect(out == (try JSONCoding.encode(s, layout: .compact)))
        }
    }
}
