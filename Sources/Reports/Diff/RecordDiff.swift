import Correlation

/// Two analysis records compared finding by finding (`leakscope diff OLD NEW`,
/// issue 15 item 2): the use is a CI job comparing a VPN build's capture with
/// the last release's. Findings are matched by class and a key that stays the
/// same from run to run (ids, frames, times and ports do not): the STUN/TURN
/// server, the resolver, the destination's name or address, the exposed IPv6
/// source, the interface of a tunnel failure. Several findings with one key
/// (a leak split by a quiet gap) are one entry. The real addresses exposed
/// outside the tunnel are compared too, by address without port.
public struct RecordDiff: Sendable, Equatable {
    /// What stays the same between two runs of the same leak.
    public struct Key: Sendable, Hashable, Comparable {
        /// The class as the record names it.
        public var leakClass: String
        /// "stun server", "resolver", "name", "destination", "source", "interface", "route", "network",
        /// "vpn endpoint", "title".
        public var kind: String
        public var value: String

        public static func < (a: Key, b: Key) -> Bool {
            (classOrder(a.leakClass), a.leakClass, a.kind, a.value) < (classOrder(b.leakClass), b.leakClass, b.kind, b.value)
        }

        static func classOrder(_ name: String) -> Int {
            LeakClass(rawValue: name).flatMap { c in LeakClass.allCases.firstIndex(of: c) } ?? LeakClass.allCases.count
        }

        /// The key of one finding.
        public init(_ f: Finding) {
            leakClass = f.className
            let e = f.evidence
            switch f.class {
            case .webrtc where e.stunServer != nil: (kind, value) = ("stun server", e.stunServer!)
            case .dns where e.resolver != nil: (kind, value) = ("resolver", e.resolver!)
            case .ipv6 where e.source != nil: (kind, value) = ("source", e.source!)
            case .traffic:
                // A name outlives the addresses behind it (a CDN answers differently from run to run).
                let flow = e.flows?.first
                if let name = [flow?.sni, flow?.host, flow?.dnsName].compactMap({ $0 }).first(where: { !$0.isEmpty }) {
                    (kind, value) = ("name", name)
                } else if let dst = flow?.dst {
                    (kind, value) = ("destination", dst)
                } else {
                    (kind, value) = ("title", f.title)
                }
            case .tunnelFailure: (kind, value) = ("interface", f.interface)
            case .routeInjection where e.pushedRoutes?.first != nil: (kind, value) = ("route", e.pushedRoutes!.first!.prefix)
            case .localnet where e.localNetwork != nil: (kind, value) = ("network", e.localNetwork!.prefix)
            case .serverip where e.vpnEndpoint != nil: (kind, value) = ("vpn endpoint", e.vpnEndpoint!)
            default: (kind, value) = ("title", f.title)
            }
        }

        public init(leakClass: String, kind: String, value: String) {
            self.leakClass = leakClass; self.kind = kind; self.value = value
        }

        /// "stun server 203.0.113.10:3478"
        public var text: String { "\(kind) \(value)" }
    }

    /// A finding as one side of an entry shows it.
    public struct Side: Sendable, Equatable {
        public var id: String
        public var severity: Severity
        public var title: String
        public var file: String
        public var interface: String
        public var packets: Int
        init(_ f: Finding) {
            id = f.id; severity = f.severity; title = f.title; file = f.file; interface = f.interface; packets = f.packets
        }
    }

    public enum Change: String, Sendable, Equatable {
        /// Only NEW has it.
        case new
        /// Only OLD had it.
        case resolved
        /// Both have it.
        case unchanged
    }

    /// One key and the findings each record has for it.
    public struct Entry: Sendable, Equatable {
        public var key: Key
        public var old: [Side]
        public var new: [Side]
        public var change: Change {
            old.isEmpty ? .new : new.isEmpty ? .resolved : .unchanged
        }
        public var oldWorst: Severity? { old.map(\.severity).max() }
        public var newWorst: Severity? { new.map(\.severity).max() }

        /// NEW has a finding at or above `failOn` for this key that OLD did not (a new key, or
        /// one whose worst severity rose to the threshold). nil: findings never fail.
        public func regresses(failOn: Severity?) -> Bool {
            guard let failOn, let n = newWorst, n >= failOn else { return false }
            guard let o = oldWorst else { return true }
            return o < failOn
        }
    }

    /// Real addresses exposed outside the tunnel (`exposed_public_addresses` not through the tunnel), without ports.
    public struct Addresses: Sendable, Equatable {
        public var new: [String]
        public var resolved: [String]
        public var unchanged: [String]
    }

    /// Every key of either record, in class order then key.
    public var entries: [Entry]
    public var addresses: Addresses

    public var newFindings: [Entry] { entries.filter { $0.change == .new } }
    public var resolved: [Entry] { entries.filter { $0.change == .resolved } }
    public var unchanged: [Entry] { entries.filter { $0.change == .unchanged } }

    /// The entries that make `leakscope diff` exit 1.
    public func regressions(failOn: Severity?) -> [Entry] { entries.filter { $0.regresses(failOn: failOn) } }

    public init(old: AnalysisRecord, new: AnalysisRecord) {
        var byKey: [Key: Entry] = [:]
        for f in old.analysis.findings {
            let k = Key(f)
            byKey[k, default: Entry(key: k, old: [], new: [])].old.append(Side(f))
        }
        for f in new.analysis.findings {
            let k = Key(f)
            byKey[k, default: Entry(key: k, old: [], new: [])].new.append(Side(f))
        }
        entries = byKey.values.sorted { $0.key < $1.key }
        func real(_ r: AnalysisRecord) -> [String] {
            let outside = ExposedAddressSections.split(r.analysis.exposedPublicAddresses) { $0.path }.outside
            var seen: [String] = []
            for x in outside {
                let a = ExposedAddressSections.Group.split(x.address).address
                if !seen.contains(a) { seen.append(a) }
            }
            return seen
        }
        let o = real(old), n = real(new)
        addresses = Addresses(new: n.filter { !o.contains($0) }, resolved: o.filter { !n.contains($0) },
                              unchanged: n.filter { o.contains($0) })
    }
}
