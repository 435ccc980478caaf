import CaptureFiles
import Correlation

/// How every renderer presents `exposed_public_addresses`: split by `path`.
/// A `tunnel` entry is the VPN's exit address as a server saw it through the
/// tunnel (expected, not a leak); listing it under "exposed" read like a leak
/// on clean captures. Anything not marked `tunnel` is shown as a real
/// exposure (an unknown path errs on the alarming side). The record itself
/// keeps one list; this is presentation only.
public enum ExposedAddressSections {
    public static let outsideHeading = "Real addresses exposed outside the tunnel"
    public static let tunnelHeading = "Addresses servers saw through the tunnel (the VPN's exit address, expected)"

    public static func isThroughTunnel(path: String?) -> Bool { path == "tunnel" }

    /// (outside the tunnel, through the tunnel), each in record order.
    public static func split<T>(_ xs: [T], path: (T) -> String?) -> (outside: [T], tunnel: [T]) {
        var outside: [T] = [], tunnel: [T] = []
        for x in xs { if isThroughTunnel(path: path(x)) { tunnel.append(x) } else { outside.append(x) } }
        return (outside, tunnel)
    }
}

extension ExposedAddressSections {
    /// One real address and every way it was exposed (issue 15: one row per
    /// address, not per port): the ports servers saw it with, the servers that
    /// reported it and in which frames, the other ways (packet sources), and
    /// the findings, with a count of the record's entries folded into it.
    struct Group: Equatable {
        /// The bare address ("198.51.100.2", "2001:db8::2"); the entry's own text when it is no address.
        var address: String
        var count = 0
        var ports: [Int] = []
        /// Reporting servers in record order, each with its response frames.
        var servers: [(server: String, frames: [Int])] = []
        /// How it was seen, for entries no server reported (packet sources, 6to4/Teredo), distinct.
        var other: [String] = []
        var findings: [String] = []

        static func == (a: Group, b: Group) -> Bool {
            a.address == b.address && a.count == b.count && a.ports == b.ports && a.other == b.other && a.findings == b.findings
                && a.servers.map(\.server) == b.servers.map(\.server) && a.servers.map(\.frames) == b.servers.map(\.frames)
        }

        /// "198.51.100.2:35538" -> ("198.51.100.2", 35538), "[2001:db8::2]:40000", "192.0.2.2" -> (.., nil).
        static func split(_ text: String) -> (address: String, port: Int?) {
            if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                let a = String(text[text.index(after: text.startIndex)..<close])
                let rest = text[text.index(after: close)...]
                return (a, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
            }
            if text.filter({ $0 == ":" }).count == 1, let c = text.firstIndex(of: ":"), IPAddress(parsing: String(text[..<c])) != nil {
                return (String(text[..<c]), Int(text[text.index(after: c)...]))
            }
            return (text, nil)
        }
    }

    /// The entries grouped by address, in order of each address's first entry.
    static func groups(_ xs: [Analysis.ExposedAddress]) -> [Group] {
        var out: [Group] = []
        var index: [String: Int] = [:]
        for x in xs {
            let (address, port) = Group.split(x.address)
            let i: Int
            if let known = index[address] { i = known } else {
                i = out.count
                index[address] = i
                out.append(Group(address: address))
            }
            out[i].count += 1
            if let port, !out[i].ports.contains(port) { out[i].ports.append(port) }
            if let server = x.server {
                if let j = out[i].servers.firstIndex(where: { $0.server == server }) {
                    if let f = x.frame, !out[i].servers[j].frames.contains(f) { out[i].servers[j].frames.append(f) }
                } else {
                    out[i].servers.append((server, x.frame.map { [$0] } ?? []))
                }
            } else if !out[i].other.contains(x.how) {
                out[i].other.append(x.how)
            }
            if let id = x.findingId, !out[i].findings.contains(id) { out[i].findings.append(id) }
        }
        for i in out.indices {
            out[i].ports.sort()
            out[i].findings.sort { (Int($0.dropFirst()) ?? .max, $0) < (Int($1.dropFirst()) ?? .max, $1) }
        }
        return out
    }

    /// "a, b, c, ... (12 in all)"
    static func list<T>(_ xs: [T], max: Int, _ text: (T) -> String = { "\($0)" }) -> String {
        xs.prefix(max).map(text).joined(separator: ", ") + (xs.count > max ? ", ... (\(xs.count) in all)" : "")
    }

    /// The ways a group's address was seen, in words (unescaped).
    static func how(_ g: Group, maxServers: Int = 4, maxFrames: Int = 6) -> String {
        var parts: [String] = []
        if !g.servers.isEmpty {
            let servers = g.servers.prefix(maxServers).map { s in
                s.server + (s.frames.isEmpty ? "" : " (frame\(s.frames.count == 1 ? "" : "s") \(list(s.frames.sorted(), max: maxFrames)))")
            }
            parts.append("reported by " + servers.joined(separator: ", ") + (g.servers.count > maxServers ? ", and \(g.servers.count - maxServers) more servers" : ""))
        }
        parts += g.other.prefix(3)
        if g.other.count > 3 { parts.append("\(g.other.count - 3) more") }
        return parts.joined(separator: "; ")
    }

    /// After the address in a one-line rendering: " (3 exposures, ports ...): reported by ...; findings F1".
    static func rest(_ g: Group) -> String {
        var s = summary(g).map { " (\($0))" } ?? ""
        s += ": " + how(g)
        // Findings the ways above do not already name ("source address ... (F2)").
        let unnamed = g.findings.filter { id in !g.other.contains { $0.contains("(\(id))") } }
        if !unnamed.isEmpty { s += "; finding\(unnamed.count == 1 ? "" : "s") " + list(unnamed, max: 8) }
        return s
    }

    /// "3 exposures, ports 35538, 59304, 61000"; nil for a single entry without a port.
    static func summary(_ g: Group, maxPorts: Int = 8) -> String? {
        var parts: [String] = []
        if g.count > 1 { parts.append("\(g.count) exposures") }
        if !g.ports.isEmpty { parts.append("port\(g.ports.count == 1 ? "" : "s") " + list(g.ports, max: maxPorts)) }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}
