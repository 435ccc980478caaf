import OutputText

/// The routing table of the capture's network namespace at one moment, as
/// `leakscope capture` records it in the pcapng (docs/live-capture.md,
/// "Positive-control records"): the `opt_comment` of an Interface Statistics
/// Block, so tshark and every pcapng reader still read the file, frame numbers
/// do not move, and the analysis can tell whether every interface that holds a
/// route was captured (docs/leak-model.md, "Positive control").
///
/// ```
/// leakscope routes 1: start at 2026-12-02T10:00:00.123456789Z; captured eth0 wgc; netns net:[4026532281]; 6 routes
/// ipv4 unicast 0.0.0.0/1 dev wgc tunnel? table main
/// ipv4 unicast 0.0.0.0/0 via 198.51.100.1 dev eth0 metric 1000 table main
/// ipv6 unreachable ::/1 dev lo metric 1024 table main
/// ```
public struct RouteSnapshot: Sendable, Equatable {
    public enum Moment: String, Sendable, CaseIterable {
        /// When the capture started (before its first packet).
        case start
        /// The kernel announced a route change (read back within about a second).
        case change
        /// When the capture stopped (after its last packet).
        case stop
    }

    public var moment: Moment
    /// Wall clock when the table was read, ns since the epoch.
    public var timeNanoseconds: Int64
    /// The interfaces this capture recorded (its IDB names).
    public var captured: [String]
    /// The network namespace (`readlink /proc/self/ns/net`), when known.
    public var namespace: String?
    public var routes: [Route]
    /// Routes the comment had no room for (they exist but are not listed).
    public var routesOmitted: Int
    /// Change snapshots the capture did not write (stop only; bound of the writer).
    public var changesOmitted: Int
    /// Set when the table could not be read: why (the routes are then unknown, not empty).
    public var unavailable: String?

    public init(moment: Moment, timeNanoseconds: Int64, captured: [String], namespace: String? = nil,
                routes: [Route] = [], routesOmitted: Int = 0, changesOmitted: Int = 0, unavailable: String? = nil) {
        self.moment = moment; self.timeNanoseconds = timeNanoseconds; self.captured = captured
        self.namespace = namespace; self.routes = routes; self.routesOmitted = routesOmitted
        self.changesOmitted = changesOmitted; self.unavailable = unavailable
    }

    /// One route (one line; a multipath route gives one line per next hop).
    public struct Route: Sendable, Equatable, Hashable {
        public enum Family: String, Sendable { case ipv4, ipv6 }
        public var family: Family
        /// rtnetlink route type: unicast, local, broadcast, anycast, multicast, blackhole,
        /// unreachable, prohibit, throw, nat (or `typeN`).
        public var type: String
        public var destination: IPAddress
        public var prefixLength: Int
        public var gateway: IPAddress?
        /// The output interface's name (`ifN` when it had no name), nil when the route names none.
        public var device: String?
        /// The capture's guess (name, link type, no hardware address) that `device` is a VPN tunnel.
        public var deviceLooksLikeTunnel: Bool
        public var metric: UInt32?
        /// main, default, local, or the table number.
        public var table: String
        /// The next hop's link had no carrier when the table was read (RTNH_F_LINKDOWN).
        public var linkDown: Bool

        public init(family: Family, type: String = "unicast", destination: IPAddress, prefixLength: Int,
                    gateway: IPAddress? = nil, device: String? = nil, deviceLooksLikeTunnel: Bool = false,
                    metric: UInt32? = nil, table: String = "main", linkDown: Bool = false) {
            self.family = family; self.type = type; self.destination = destination; self.prefixLength = prefixLength
            self.gateway = gateway; self.device = device; self.deviceLooksLikeTunnel = deviceLooksLikeTunnel
            self.metric = metric; self.table = table; self.linkDown = linkDown
        }

        /// `ipv4 unicast 0.0.0.0/0 via 198.51.100.1 dev eth0 metric 1000 table main`
        public var line: String {
            var s = "\(family.rawValue) \(type) \(destination)/\(prefixLength)"
            if let g = gateway { s += " via \(g)" }
            if let d = device { s += " dev \(d)" }
            if deviceLooksLikeTunnel { s += " tunnel?" }
            if let m = metric { s += " metric \(m)" }
            s += " table \(table)"
            if linkDown { s += " linkdown" }
            return s
        }

        /// Parses `line`; nil when it is not a route line.
        public init?(line: Substring) {
            let t = line.split(separator: " ", omittingEmptySubsequences: true)
            guard t.count >= 3, let family = Family(rawValue: String(t[0])) else { return nil }
            let parts = t[2].split(separator: "/")
            guard parts.count == 2, let a = IPAddress(parsing: String(parts[0])), let len = Int(parts[1]),
                  a.isV4 == (family == .ipv4), len >= 0, len <= (a.isV4 ? 32 : 128), t[1].count <= 32
            else { return nil }
            self.init(family: family, type: String(t[1]), destination: a, prefixLength: len)
            var i = 3
            while i < t.count {
                let key = t[i], value: Substring? = i + 1 < t.count ? t[i + 1] : nil
                switch key {
                case "via": gateway = value.flatMap { IPAddress(parsing: String($0)) }; i += 2
                case "dev": device = value.map { String($0.prefix(64)) }; i += 2
                case "metric": metric = value.flatMap { UInt32($0) }; i += 2
                case "table": table = value.map { String($0.prefix(16)) } ?? "main"; i += 2
                case "tunnel?": deviceLooksLikeTunnel = true; i += 1
                case "linkdown": linkDown = true; i += 1
                default: i += 1  // a later version's token: ignored
                }
            }
        }

        /// Packets to some address take this route out of `device` (not a reject, local or
        /// broadcast entry; and not only link-local or multicast destinations, which are never routed).
        public var forwards: Bool {
            guard type == "unicast", device != nil else { return false }
            switch destination {
            case .v4(let a):
                // 169.254.0.0/16 link-local, 224.0.0.0/4 multicast.
                if prefixLength >= 16, a & 0xFFFF_0000 == 0xA9FE_0000 { return false }
                if prefixLength >= 4, a & 0xF000_0000 == 0xE000_0000 { return false }
            case .v6(let hi, _):
                // fe80::/10 link-local, ff00::/8 multicast.
                if prefixLength >= 10, hi & 0xFFC0_0000_0000_0000 == 0xFE80_0000_0000_0000 { return false }
                if prefixLength >= 8, hi >> 56 == 0xFF { return false }
            }
            return true
        }
    }

    /// The prefix every snapshot comment starts with (`leakscope routes` + format version).
    public static let prefix = "leakscope routes 1: "
    /// A comment must fit one pcapng option (65,535 bytes): routes past this are counted, not listed.
    public static let maximumCommentBytes = 60_000

    /// The `opt_comment` text (header line, then one line per route, cut at `maximumCommentBytes`).
    public var comment: String {
        var lines: [String] = []
        var used = 0, omitted = routesOmitted
        for r in routes {
            let l = r.line
            if used + l.utf8.count + 1 > Self.maximumCommentBytes - 512 { omitted += 1; continue }
            used += l.utf8.count + 1
            lines.append(l)
        }
        var head = "\(Self.prefix)\(moment.rawValue) at \(ISO8601Nanoseconds.format(timeNanoseconds))"
        head += "; captured \(captured.joined(separator: " "))"
        if let n = namespace { head += "; netns \(n)" }
        if let u = unavailable {
            head += "; unavailable: \(ControlRecordText.oneLine(u))"
        } else {
            head += "; \(lines.count) route\(lines.count == 1 ? "" : "s")"
            if omitted > 0 { head += "; \(omitted) more routes not recorded" }
        }
        if changesOmitted > 0 { head += "; \(changesOmitted) changes not recorded" }
        return ([head] + lines).joined(separator: "\n")
    }

    /// Reads a comment written by `comment`; nil for any other comment.
    /// `time` is taken from the header (the ISB's own timestamp is the fallback).
    public init?(comment: String, fallbackTime: Int64 = 0) {
        guard comment.hasPrefix(Self.prefix) else { return nil }
        let lines = comment.split(separator: "\n", omittingEmptySubsequences: true)
        guard let head = lines.first else { return nil }
        let fields = head.dropFirst(Self.prefix.count).split(separator: "; ").map(String.init)
        guard let first = fields.first else { return nil }
        let words = first.split(separator: " ")
        guard let m = words.first.flatMap({ Moment(rawValue: String($0)) }) else { return nil }
        var time = fallbackTime
        if words.count >= 3, words[1] == "at", let t = ControlRecordText.parseTime(words[2]) { time = t }
        self.init(moment: m, timeNanoseconds: time, captured: [])
        for f in fields.dropFirst() {
            if f.hasPrefix("captured") {
                captured = f.dropFirst(8).split(separator: " ").prefix(1_024).map { String($0.prefix(64)) }
            } else if f.hasPrefix("netns ") {
                namespace = String(f.dropFirst(6).prefix(64))
            } else if f.hasPrefix("unavailable: ") {
                unavailable = String(f.dropFirst(13).prefix(512))
            } else if f.hasSuffix(" more routes not recorded"), let n = Int(f.prefix(while: \.isNumber)) {
                routesOmitted = n
            } else if f.hasSuffix(" changes not recorded"), let n = Int(f.prefix(while: \.isNumber)) {
                changesOmitted = n
            }
        }
        // Bounded: a comment is at most 64 KiB, so at most a few thousand lines.
        routes = lines.dropFirst().prefix(4_096).compactMap { Route(line: $0) }
    }
}
