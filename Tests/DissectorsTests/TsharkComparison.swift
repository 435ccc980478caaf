import Foundation
@testable import Dissectors

/// Compares our dissection with tshark's fields view (the reference TSV columns
/// of /work/shared/captures/reference/README.md), frame by frame.
struct TsharkComparison {
    /// Our protocols tokens and tshark's, after `normalize`.
    static let known: Set<String> = [
        "eth", "vlan", "sll", "null", "raw", "ppp", "pppoes", "nflog", "ip", "ipv6", "ipv6.hopopts", "ipv6.routing",
        "ipv6.fraghdr", "ipv6.dstopts", "ah", "mipv6", "icmp", "icmpv6", "igmp", "arp", "udp", "tcp", "gre", "esp",
        "teredo", "ayiya", "gtp", "stun", "classicstun", "dns", "mdns", "llmnr", "nbns", "wg", "openvpn", "isakmp",
        "udpencap", "l2tp", "dhcp", "dhcpv6", "tls", "quic", "http",
    ]
    /// Layers after which neither side's list is compared (payloads we do not open further).
    static let terminal: Set<String> = [
        "stun", "classicstun", "dns", "mdns", "llmnr", "nbns", "wg", "openvpn", "isakmp", "esp", "l2tp", "dhcp",
        "dhcpv6", "tls", "quic", "http", "icmp", "icmpv6", "arp", "igmp",
    ]

    /// tshark's frame.protocols → our vocabulary: drop `ethertype`/`data`, stop at
    /// the first layer we do not decode or after the first application layer.
    static func normalize(_ tokens: [String]) -> [String] {
        var out: [String] = []
        for t0 in tokens {
            let t = t0 == "turn-channel" ? "stun" : t0 == "ieee8021ad" ? "vlan" : t0
            if t == "ethertype" || t == "data" { continue }
            guard known.contains(t) else { break }
            out.append(t)
            if terminal.contains(t) { break }
        }
        return out
    }

    struct Row {
        let fields: [String: String]
        subscript(_ k: String) -> String { fields[k] ?? "" }
        func list(_ k: String) -> [String] { self[k].isEmpty ? [] : self[k].split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    static func readTSV(_ path: String) -> [Row]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return lines.filter { !$0.isEmpty }.map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            var f: [String: String] = [:]
            for (i, h) in header.enumerated() where i < cells.count { f[h] = cells[i] }
            return Row(fields: f)
        }
    }

    /// One difference: frame, field, ours, tshark's.
    struct Difference: CustomStringConvertible {
        let frame: Int
        let field: String
        let ours: String
        let theirs: String
        var description: String { "frame \(frame) \(field): ours=\(ours) tshark=\(theirs)" }
    }

    /// Compares one dissected frame with its reference row; returns differences and how many fields agreed.
    static func compare(_ d: Dissection, _ r: Row) -> (agreed: Int, diffs: [Difference]) {
        var agreed = 0
        var diffs: [Difference] = []
        func check(_ field: String, _ ours: String, _ theirs: String) {
            if ours == theirs { agreed += 1 } else { diffs.append(Difference(frame: d.frameNumber, field: field, ours: ours, theirs: theirs)) }
        }
        let ourLayers = normalize(d.protocols.map(\.name))
        let theirLayers = normalize(r["frame.protocols"].split(separator: ":").map(String.init))
        check("protocols", ourLayers.joined(separator: ":"), theirLayers.joined(separator: ":"))

        // IP addresses: outermost with tshark's first, innermost tunnelled with its last.
        for (v, srcKey, dstKey) in [(4, "ip.src", "ip.dst"), (6, "ipv6.src", "ipv6.dst")] {
            let ts = r.list(srcKey), td = r.list(dstKey)
            var ours: [IPInfo] = []
            if let ip = d.ip, ip.version == v { ours.append(ip) }
            if let ip = d.innerIP, ip.version == v { ours.append(ip) }
            if let first = ours.first {
                check(srcKey, first.source.description, ts.first ?? "")
                check(dstKey, first.destination.description, td.first ?? "")
            } else if !ts.isEmpty && theirLayers.contains(v == 4 ? "ip" : "ipv6") {
                check(srcKey, "", ts.first ?? "")
            }
            if ours.count == 2, ts.count >= 2 {
                check(srcKey + "[inner]", ours[1].source.description, ts.last ?? "")
                check(dstKey + "[inner]", ours[1].destination.description, td.last ?? "")
            }
        }
        // Ports: the transport above the innermost IP with tshark's last, the tunnel's UDP with its first.
        let tus = r.list("udp.srcport"), tud = r.list("udp.dstport")
        if let u = d.udp {
            check("udp.srcport", String(u.sourcePort), tus.last ?? "")
            check("udp.dstport", String(u.destinationPort), tud.last ?? "")
        } else if theirLayers.contains("udp"), !tus.isEmpty, d.tunnelUDP == nil {
            check("udp.srcport", "", tus.last ?? "")
        }
        if let u = d.tunnelUDP, !tus.isEmpty {
            // The tunnel's UDP is tshark's last entry when nothing UDP is inside, else the one before.
            let i = d.udp == nil ? tus.count - 1 : tus.count - 2
            check("udp.srcport[tunnel]", String(u.sourcePort), i >= 0 && i < tus.count ? tus[i] : "")
        }
        let tts = r.list("tcp.srcport"), ttd = r.list("tcp.dstport")
        if let t = d.tcp {
            check("tcp.srcport", String(t.sourcePort), tts.last ?? "")
            check("tcp.dstport", String(t.destinationPort), ttd.last ?? "")
        } else if theirLayers.contains("tcp"), !tts.isEmpty {
            check("tcp.srcport", "", tts.last ?? "")
        }
        // STUN: type, id, addresses (tshark lists decoded XOR and plain addresses together).
        if let s = d.app.stun {
            if s.isClassic {
                check("classicstun.type", hex(s.messageType, 4), r.list("classicstun.type").first ?? "")
                check("classicstun.id", s.transactionID.description, (r.list("classicstun.id").first ?? "").replacingOccurrences(of: "0x", with: ""))
            } else {
                check("stun.type", hex(s.messageType, 4), r.list("stun.type").first ?? "")
                check("stun.id", s.transactionID.description, r.list("stun.id").first ?? "")
                var v4: [String] = [], ports: [String] = []
                for a in s.attributes where a.type.isAddress || a.type.isXORAddress {
                    if let sa = a.address, sa.address.isV4 { v4.append(sa.address.description); ports.append(String(sa.port)) }
                    else if let sa = a.address { ports.append(String(sa.port)) }
                }
                var v6: [String] = []
                for a in s.attributes where a.type.isAddress || a.type.isXORAddress {
                    if let sa = a.address, !sa.address.isV4 { v6.append(sa.address.description) }
                }
                check("stun.att.ipv4", v4.joined(separator: ","), r["stun.att.ipv4"])
                check("stun.att.ipv6", v6.joined(separator: ","), r["stun.att.ipv6"])
                check("stun.att.port", ports.joined(separator: ","), r["stun.att.port"])
            }
        } else if !r["stun.type"].isEmpty, d.app.channelData == nil {
            check("stun.type", "", r["stun.type"])
        }
        if let c = d.app.channelData {
            check("stun.channel", hex(c.channel, 4), r.list("stun.channel").first ?? "")
        }
        // DNS: id, questions (names where tshark prints them), types.
        if let m = d.app.dns {
            check("dns.id", hex(m.id, 4), r.list("dns.id").first ?? "")
            let qs = Array(m.questions)
            let types = qs.map { String($0.type.rawValue) }
            let theirTypes = r.list("dns.qry.type").prefix(types.count)
            check("dns.qry.type", types.joined(separator: ","), theirTypes.joined(separator: ","))
            let theirNames = r["dns.qry.name"]
            if !theirNames.contains("<"), m.layer != .nbns {
                let names = qs.map { $0.name.text }
                check("dns.qry.name", names.joined(separator: ","), r.list("dns.qry.name").prefix(names.count).joined(separator: ","))
            }
            // Answers: every A / AAAA record in the message (tshark lists all sections).
            if r.list("dns.id").count <= 1 {
                var a: [String] = [], aaaa: [String] = []
                for rec in m.records {
                    if rec.type == .a, let ip = rec.address { a.append(ip.description) }
                    if rec.type == .aaaa, let ip = rec.address { aaaa.append(ip.description) }
                }
                check("dns.a", a.joined(separator: ","), r["dns.a"])
                check("dns.aaaa", aaaa.joined(separator: ","), r["dns.aaaa"])
            }
        } else if !r["dns.id"].isEmpty {
            check("dns.id", "", r.list("dns.id").first ?? "")
        }
        if let w = d.app.wireguard { check("wg.type", String(w.type.rawValue), r.list("wg.type").first ?? "") }
        else if !r["wg.type"].isEmpty { check("wg.type", "", r["wg.type"]) }
        if let o = d.app.openvpn { check("openvpn.opcode", hex(o.opcode.rawValue, 2), r.list("openvpn.opcode").first ?? "") }
        else if !r["openvpn.opcode"].isEmpty { check("openvpn.opcode", "", r.list("openvpn.opcode").first ?? "") }
        if let e = d.app.esp { check("esp.spi", hex(e.spi, 8), r.list("esp.spi").first ?? "") }
        else if !r["esp.spi"].isEmpty { check("esp.spi", "", r.list("esp.spi").first ?? "") }
        return (agreed, diffs)
    }

    static func hex<T: BinaryInteger>(_ v: T, _ digits: Int) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, digits - s.count)) + s
    }

    /// Result for one capture.
    struct FileResult {
        var file: String
        var frames = 0
        var referenceFrames = 0
        var agreed = 0
        var diffs: [Difference] = []
        var summary: String {
            let total = agreed + diffs.count
            let pct = total == 0 ? 100.0 : Double(agreed) * 100 / Double(total)
            return "\(file): \(frames)/\(referenceFrames) frames, \(agreed)/\(total) fields agree (\(String(format: "%.1f", pct))%)"
        }
    }

    /// Dissects `capture` and compares it with the reference rows.
    static func run(capture: String, rows: [Row], name: String) -> FileResult {
        var result = FileResult(file: name)
        result.referenceFrames = rows.count
        guard let reader = try? CaptureReader(path: capture) else { return result }
        var byFrame: [Int: Row] = [:]
        for r in rows { if let n = Int(r["frame.number"]) { byFrame[n] = r } }
        var dissector = Dissector()
        var d = Dissection()
        while let p = reader.next() {
            dissector.dissect(p, into: &d)
            result.frames += 1
            guard let row = byFrame[p.frameNumber] else { continue }
            let (a, diffs) = compare(d, row)
            result.agreed += a
            result.diffs += diffs
        }
        return result
    }
}
