import OutputText
import Foundation
import Testing
@testable import Dissectors

// Conformance against tshark (an oracle only, never a runtime dependency):
// tshark extracts each UDP payload from the shared third-party captures, our
// parsers decode it, and the decoded fields must equal tshark's. Skipped when
// tshark or ../shared/captures is missing.

enum TsharkOracle {
    static let capturesDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/captures")

    static let tshark: String? = ["/usr/bin/tshark", "/usr/local/bin/tshark", "/opt/homebrew/bin/tshark"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static var available: Bool {
        tshark != nil && FileManager.default.fileExists(atPath: capturesDirectory.path)
    }

    /// Captures (relative paths) whose reference view (reference/CAT__NAME.tsv)
    /// lists one of `tokens` in frame.protocols, so tshark runs only where it matters.
    static func captures(carrying tokens: [String]) -> [String] {
        let ref = capturesDirectory.appendingPathComponent("reference")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: ref.path)) ?? []
        return names.filter { $0.hasSuffix(".pcap.tsv") || $0.hasSuffix(".pcapng.tsv") }.sorted().compactMap { name in
            guard let data = try? Data(contentsOf: ref.appendingPathComponent(name)),
                  case let text = String(decoding: data, as: UTF8.self),
                  tokens.contains(where: { text.contains(":\($0)\t") || text.contains(":\($0):") }) else { return nil }
            // Only the first "__" stands for the category's "/" (file names contain "__" too).
            let stem = String(name.dropLast(4))
            guard let cut = stem.range(of: "__") else { return nil }
            let path = stem.replacingCharacters(in: cut, with: "/")
            return FileManager.default.fileExists(atPath: capturesDirectory.appendingPathComponent(path).path) ? path : nil
        }
    }

    /// One row per frame: the requested fields, tab-separated.
    static func rows(_ capture: String, fields: [String], filter: String) -> [[String]] {
        guard let tshark else { return [] }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tshark)
        p.arguments = ["-r", capturesDirectory.appendingPathComponent(capture).path, "-Y", filter,
                       "-T", "fields", "-E", "separator=/t"] + fields.flatMap { ["-e", $0] }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return [] }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// tshark's hex (no separators) as bytes.
    static func bytes(_ hex: String) -> [UInt8] { hexBytes(hex) }

    /// Names tshark prints without any escaping of its own.
    static func isPlain(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.<>,".unicodeScalars.contains($0)) }
    }
}

@Test(.enabled(if: TsharkOracle.available, "needs tshark and ../shared/captures"))
func dnsMatchesTsharkOnSharedCaptures() {
    let fields = ["frame.number", "udp.srcport", "udp.dstport", "dns.id", "dns.flags.response", "dns.qry.name",
                  "dns.qry.type", "dns.a", "dns.aaaa", "_ws.malformed", "udp.payload"]
    var compared = 0
    for capture in TsharkOracle.captures(carrying: ["dns", "mdns", "llmnr"]) {
        for row in TsharkOracle.rows(capture, fields: fields, filter: "(dns or mdns or llmnr) and udp") where row.count == fields.count {
            let frame = row[0]
            let ports = [row[1], row[2]]
            let layer: Layer = ports.contains("5353") ? .mdns : ports.contains("5355") ? .llmnr : .dns
            let payload = TsharkOracle.bytes(row[10])
            // tshark shows one DNS id per frame here; rows with tunnels or several are skipped.
            guard !row[3].contains(","), !payload.isEmpty else { continue }
            withView(payload) { v in
                guard let m = try? DNSMessage(v, layer: layer) else {
                    Issue.record("\(capture) frame \(frame): header rejected, tshark read id \(row[3])")
                    return
                }
                let s = m.summary()
                #expect(Hex.number(m.id) == row[3], "\(capture) frame \(frame) id")
                #expect((m.isResponse ? "1" : "0") == row[4], "\(capture) frame \(frame) response flag")
                // Malformed in tshark's eyes: only the header is compared (and nothing may crash).
                guard row[9].isEmpty else { return }
                if let p = m.problem {
                    Issue.record("\(capture) frame \(frame): tshark decodes it, we note \(p)")
                    return
                }
                let names = s.questions.map(\.name).joined(separator: ",")
                if TsharkOracle.isPlain(row[5]) {
                    #expect(names == row[5], "\(capture) frame \(frame) names")
                }
                let types = m.questions.map { "\($0.type.rawValue)" }.joined(separator: ",")
                #expect(types == row[6], "\(capture) frame \(frame) types")
                let a = m.records.compactMap { $0.type == .a ? $0.address?.description : nil }.joined(separator: ",")
                let aaaa = m.records.compactMap { $0.type == .aaaa ? $0.address?.description : nil }.joined(separator: ",")
                #expect(a == row[7], "\(capture) frame \(frame) A")
                #expect(aaaa == row[8], "\(capture) frame \(frame) AAAA")
                compared += 1
            }
        }
    }
    print("tshark DNS conformance: \(compared) frames compared")
    #expect(compared > 20)
}

@Test(.enabled(if: TsharkOracle.available, "needs tshark and ../shared/captures"))
func stunAndDHCPMatchTsharkOnSharedCaptures() {
    var stunFrames = 0
    for capture in TsharkOracle.captures(carrying: ["stun", "classicstun"]) {
        let fields = ["frame.number", "stun.type", "stun.id", "udp.payload", "tcp.payload"]
        for row in TsharkOracle.rows(capture, fields: fields, filter: "stun") where row.count == fields.count {
            let payload = TsharkOracle.bytes(row[3].isEmpty ? row[4] : row[3])
            withView(payload) { v in
                guard let m = try? STUNMessage(v) else { Issue.record("\(capture) frame \(row[0]) rejected"); return }
                _ = m.summary()
                #expect(Hex.number(m.messageType) == row[1], "\(capture) frame \(row[0]) type")
                #expect(m.transactionID.description == row[2], "\(capture) frame \(row[0]) id")
                stunFrames += 1
            }
        }
    }
    print("tshark STUN conformance: \(stunFrames) frames")
    #expect(stunFrames > 0)

    var dhcpFrames = 0
    for capture in TsharkOracle.captures(carrying: ["dhcp"]) {
        let fields = ["frame.number", "dhcp.id", "dhcp.option.dhcp", "dhcp.ip.your", "udp.payload"]
        for row in TsharkOracle.rows(capture, fields: fields, filter: "dhcp") where row.count == fields.count {
            withView(TsharkOracle.bytes(row[4])) { v in
                // Frames cut by the capture's snap length: the header cannot be read.
                if v.count < 236 {
                    #expect(throws: WireError.truncated(layer: .dhcp, offset: 0, needed: 236, available: v.count)) { try DHCPv4Message(v) }
                    return
                }
                guard let m = try? DHCPv4Message(v) else { Issue.record("\(capture) frame \(row[0]) rejected"); return }
                let s = m.summary()
                #expect(Hex.number(m.transactionID) == row[1], "\(capture) frame \(row[0]) xid")
                #expect(m.messageType.map { "\($0)" } ?? "" == row[2], "\(capture) frame \(row[0]) type")
                #expect(s.yiaddr == row[3], "\(capture) frame \(row[0]) yiaddr")
                dhcpFrames += 1
            }
        }
    }
    print("tshark DHCP conformance: \(dhcpFrames) frames")
    #expect(dhcpFrames > 0)
}
