import CaptureFiles
import Correlation
import OutputText

/// The flows a finding cites with their Community IDs (`Finding.citedFlows`,
/// schema 1.4), as each rendering shows them: the key to find the same flow in
/// Zeek, Suricata, Arkime or Elastic. Long lists are cut for reading; the
/// record holds them all.
enum CitedFlowsSection {
    static let heading = "Flows (Community ID)"

    /// "udp 192.0.2.2:40000 -> 203.0.113.10:3478", "icmp 203.0.113.10 -> 192.0.2.2 type 3 code 3".
    static func describe(_ x: CitedFlow, arrow: String = "->") -> String {
        var s = "\(x.protocol) \(hostPort(x.src, x.srcPort)) \(arrow) \(hostPort(x.dst, x.dstPort))"
        if let t = x.icmpType { s += " type \(t)" + (x.icmpCode.map { " code \($0)" } ?? "") }
        return s
    }

    static func hostPort(_ a: String, _ port: UInt16?) -> String {
        guard let port else { return a }
        return IPAddress(parsing: a)?.isV4 == false ? "[\(a)]:\(port)" : "\(a):\(port)"
    }

    /// "1:" and 28 base64 characters ending in "=" (a SHA-1 digest).
    static func isCommunityID(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 30, u[0] == UInt8(ascii: "1"), u[1] == UInt8(ascii: ":"), u[29] == UInt8(ascii: "=") else { return false }
        return u[2..<29].allSatisfy { c in
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "+") || c == UInt8(ascii: "/")
        }
    }

    static func total(_ f: Finding) -> Int { (f.citedFlows?.count ?? 0) + (f.citedFlowsOmitted ?? 0) }

    /// One line of the terminal details, nil without flows.
    static func terminal(_ f: Finding, max: Int = 3) -> String? {
        guard let flows = f.citedFlows, !flows.isEmpty else { return nil }
        // A record read back may carry anything in these strings: all escaped.
        let shown = flows.prefix(max).map { escapedForTerminal("\($0.communityId) (\(describe($0)))") }.joined(separator: ", ")
        let n = total(f)
        return "community id: " + shown + (n > max ? ", ... (\(n) flows)" : "")
    }

    static func html(_ f: Finding, max: Int = 20) -> String {
        guard let flows = f.citedFlows, !flows.isEmpty else { return "" }
        let e = Escape.html
        var h = "<h4>\(e(heading))</h4>\n<table class=\"flows\"><thead><tr><th>Community ID</th><th>Flow</th><th>First frame</th><th>Packets</th></tr></thead><tbody>\n"
        for x in flows.prefix(max) {
            h += "<tr><td><code>\(e(x.communityId))</code></td><td><code>\(e(describe(x)))</code></td><td class=\"n\">\(x.firstFrame)</td><td class=\"n\">\(x.packets)</td></tr>\n"
        }
        h += "</tbody></table>\n"
        let n = total(f)
        if n > max { h += "<p class=\"muted\">\(max) of \(n) flows shown; the record lists \(flows.count).</p>\n" }
        return h
    }

    static func markdown(_ f: Finding, max: Int = 10) -> String {
        guard let flows = f.citedFlows, !flows.isEmpty else { return "" }
        let e = Escape.markdown
        var m = "- \(e(heading)):\n"
        for x in flows.prefix(max) {
            // A well-formed ID as code (copied as is); anything else a record may hold, escaped.
            let id = isCommunityID(x.communityId) ? "`\(x.communityId)`" : e(x.communityId)
            m += "  - \(id) \(e(describe(x, arrow: "→"))), first frame \(x.firstFrame), \(x.packets) packet\(x.packets == 1 ? "" : "s")\n"
        }
        let n = total(f)
        if n > max { m += "  - … \(n - max) more (in the record)\n" }
        return m
    }
}
