import CaptureFiles
import Correlation
import JSONCoding
import OutputText

/// One finding per line, with field names from the Elastic Common Schema
/// (ECS 8.x) so a SIEM can ingest it as alerts; what ECS has no field for is
/// under `leakscope.*`. The mapping is documented in docs/reports.md.
public enum JSONLReport {
    /// ECS `event.severity` numbers (Elastic's risk-score bands).
    public static func ecsSeverity(_ s: Severity) -> Int {
        switch s { case .high: 73; case .medium: 47; case .low: 21 }
    }

    public static func render(_ r: AnalysisRecord) throws(ReportError) -> [UInt8] {
        try r.rendered(as: .jsonl)
    }

    /// One line per finding, then one per leak window, each handed to `write` when it is made.
    /// Throws `ReportError.encoding`, or what `write` throws.
    public static func write(_ r: AnalysisRecord, to write: (UnsafeRawBufferPointer) throws -> Void) throws {
        let newline: [UInt8] = [0x0A]
        func emit<T: Encodable>(_ document: T) throws {
            do { try JSONCoding.encode(document, layout: .compact, to: write) } catch let e as JSONCodingError {
                throw ReportError.encoding(reason: e.description)
            }
            try newline.withUnsafeBytes { try write($0) }
        }
        for f in r.analysis.findings { try emit(document(f, r)) }
        // Then one event per leak window (schema 1.2): a tunnel event and what escaped around it.
        for w in r.analysis.leakWindows ?? [] { try emit(document(w, r)) }
    }

    /// A leak window as an ECS event (`event.kind` event, dataset `leakscope.leak_window`,
    /// `event.duration` in nanoseconds); the window itself under `leakscope.window`.
    public static func document(_ w: Analysis.LeakWindow, _ r: AnalysisRecord) -> WindowEvent {
        let p = r.provenance
        let time = { (ns: Int64) in ISO8601Nanoseconds.format(ns, fraction: .trimmed) }
        let input = p.inputs.first { $0.index == w.fileIndex } ?? p.inputs.first { $0.isNamed(w.file) }
        let escaped = "\(w.packets) packet\(w.packets == 1 ? "" : "s") escaped"
        return WindowEvent(
            timestamp: time(w.startNs), message: "\(w.event): \(w.eventDetail); \(escaped)",
            event: .init(start: time(w.startNs), end: time(w.endNs), duration: w.endNs - w.startNs, reason: w.judgement),
            observer: .init(product: p.tool.name, version: p.tool.version,
                            ingress: w.interface.map { .init(interface: .init(name: $0)) }),
            file: .init(name: input?.name ?? w.file, path: input?.path, hash: input.map { .init(sha256: $0.sha256) }, size: input?.size),
            leakscope: .init(window: w, verdict: r.analysis.verdict.status))
    }

    /// One ECS event for a leak window.
    public struct WindowEvent: Encodable, Sendable {
        var timestamp: String
        var message: String
        var event: Event
        var observer: Observer
        var file: Alert.File
        var leakscope: Fields

        enum CodingKeys: String, CodingKey { case timestamp = "@timestamp", message, event, observer, file, leakscope }

        struct Event: Encodable, Sendable {
            var kind = "event"
            var category = ["network"]
            var type = ["change"]
            var dataset = "leakscope.leak_window"
            var module = "leakscope"
            var start: String
            var end: String
            var duration: Int64
            var reason: String
        }

        struct Observer: Encodable, Sendable {
            var product: String
            var version: String
            var type = "analyzer"
            var ingress: Alert.Observer.Ingress?
        }

        struct Fields: Encodable, Sendable {
            var window: Analysis.LeakWindow
            var verdict: Analysis.Verdict.Status
        }
    }

    public static func document(_ f: Finding, _ r: AnalysisRecord) -> Alert {
        let ev = f.evidence, p = r.provenance
        let time = { (ns: Int64) in ISO8601Nanoseconds.format(ns, fraction: .trimmed) }
        let why = LeakClassText.why(f.class)
        var (src, dst, transport) = endpoints(f)
        if src == nil, let d = dst, let family = family(d.ip) {
            // The host's own address on that interface, of the destination's family.
            src = r.analysis.tunnel.hostAddresses.lazy.compactMap { h -> Alert.Endpoint? in
                guard Self.family(h.address) == family, h.interface == f.interface else { return nil }
                return Alert.Endpoint(ip: h.address, port: nil)
            }.first
        }
        if transport == nil, f.class == .dns { transport = "udp" }
        // ECS network.community_id: the Community IDs of every flow the finding cites (a list, as
        // Elasticsearch indexes a keyword field with several values), so the alert joins Zeek,
        // Suricata and Arkime records of any of them.
        let communityIDs = f.citedFlows.map { $0.map(\.communityId) }.flatMap { $0.isEmpty ? nil : $0 }
        var network: Alert.Network? = Alert.Network(transport: transport, type: (src ?? dst).flatMap { family($0.ip) }.map { $0 ? "ipv4" : "ipv6" },
                                                    communityId: communityIDs)
        if network?.transport == nil && network?.type == nil && network?.communityId == nil { network = nil }
        let input = f.input(in: p.inputs)
        // ECS related.ip holds bare addresses: exposed ones are often "addr:port".
        let related = Set(r.analysis.exposedPublicAddresses.compactMap { parse($0.address)?.ip } + [src?.ip, dst?.ip].compactMap { $0 })
        let question = ev.queries?.first.map { Alert.DNS.Question(name: $0.name, type: $0.type) }
        return Alert(
            timestamp: time(f.firstNs), message: f.title,
            event: .init(severity: ecsSeverity(f.severity), reason: why, start: time(f.firstNs), end: time(f.lastNs)),
            rule: .init(name: f.className, description: why),
            source: src, destination: dst, network: network,
            observer: .init(product: p.tool.name, version: p.tool.version, ingress: .init(interface: .init(name: f.interface))),
            dns: question.map { .init(question: $0) },
            tls: firstFlowField(ev, \.sni).map { .init(client: .init(serverName: $0)) },
            url: firstFlowField(ev, \.host).map { .init(domain: $0) },
            file: .init(name: input?.name ?? f.file, path: input?.path, hash: input.map { .init(sha256: $0.sha256) }, size: input?.size),
            related: related.isEmpty ? nil : .init(ip: related.sorted()),
            leakscope: .init(findingId: f.id, class: f.className, severity: f.severity, frames: f.frames, packets: f.packets,
                             bytes: f.bytes, evidence: ev, verdict: r.analysis.verdict.status, firstNs: f.firstNs, lastNs: f.lastNs))
    }

    /// true for IPv4, false for IPv6, nil when `text` is no address.
    static func family(_ text: String) -> Bool? { IPAddress(parsing: text)?.isV4 }

    /// Source and destination from the class-specific evidence.
    static func endpoints(_ f: Finding) -> (Alert.Endpoint?, Alert.Endpoint?, String?) {
        let ev = f.evidence
        var transport = ev.transport
        switch f.class {
        case .webrtc:
            return (nil, ev.stunServer.flatMap(parse), transport)
        case .dns:
            return (nil, ev.resolver.flatMap(parse), transport)
        case .ipv6:
            return (ev.source.flatMap(parse), ev.destinations?.first.flatMap(parse), transport)
        case .routeInjection, .localnet:
            return (nil, ev.destinations?.first.flatMap(parse), transport)
        case .serverip:
            // "203.0.113.80:80/tcp"
            guard let d = ev.destinations?.first else { return (nil, nil, transport) }
            let parts = d.split(separator: "/", maxSplits: 1)
            return (nil, parse(String(parts[0])), parts.count > 1 ? String(parts[1]) : transport)
        case .unrecognized:
            return (nil, nil, transport)
        case .traffic, .tunnelFailure:
            guard let flow = ev.flows?.first else { return (nil, nil, transport) }
            transport = transport ?? flow.protocol
            let src = parse(flow.src)
            var dst = parse(flow.dst)
            if let p = flow.dstPort, dst != nil, dst?.port == nil { dst?.port = Int(p) }
            return (src, dst, transport)
        }
    }

    static func firstFlowField(_ ev: Evidence, _ key: KeyPath<FlowEvidence, String?>) -> String? {
        ev.flows?.lazy.compactMap { $0[keyPath: key] }.first { !$0.isEmpty }
    }

    /// "192.0.2.1:53", "[2001:db8::1]:443", "2001:db8::1", "192.0.2.1".
    static func parse(_ s: String) -> Alert.Endpoint? {
        if s.hasPrefix("["), let close = s.firstIndex(of: "]") {
            let ip = String(s[s.index(after: s.startIndex)..<close])
            let rest = s[s.index(after: close)...]
            return Alert.Endpoint(ip: ip, port: rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        let colons = s.filter { $0 == ":" }.count
        if colons == 1, let c = s.firstIndex(of: ":") {
            return Alert.Endpoint(ip: String(s[..<c]), port: Int(s[s.index(after: c)...]))
        }
        return s.isEmpty ? nil : Alert.Endpoint(ip: s, port: nil)
    }

    /// One ECS document.
    public struct Alert: Encodable, Sendable {
        var timestamp: String
        var message: String
        var event: Event
        var rule: Rule
        var source: Endpoint?
        var destination: Endpoint?
        var network: Network?
        var observer: Observer
        var dns: DNS?
        var tls: TLS?
        var url: URLDomain?
        var file: File
        var related: Related?
        var leakscope: LeakScopeFields

        enum CodingKeys: String, CodingKey {
            case timestamp = "@timestamp", message, event, rule, source, destination, network, observer, dns, tls, url, file
            case related, leakscope
        }

        struct Event: Encodable, Sendable {
            var kind = "alert"
            var category = ["network"]
            var type = ["connection"]
            var dataset = "leakscope.finding"
            var module = "leakscope"
            var severity: Int
            var reason: String
            var start: String
            var end: String
        }

        struct Rule: Encodable, Sendable {
            var name: String
            var category = "vpn-leak"
            var description: String
        }

        struct Endpoint: Encodable, Sendable {
            var ip: String
            var port: Int?
        }

        struct Network: Encodable, Sendable {
            var transport: String?
            var type: String?
            var communityId: [String]?
            enum CodingKeys: String, CodingKey { case transport, type, communityId = "community_id" }
        }

        struct Observer: Encodable, Sendable {
            var product: String
            var version: String
            var type = "analyzer"
            var ingress: Ingress
            struct Ingress: Encodable, Sendable { var interface: Name }
            struct Name: Encodable, Sendable { var name: String }
        }

        struct DNS: Encodable, Sendable {
            var question: Question
            struct Question: Encodable, Sendable { var name: String; var type: String }
        }

        struct TLS: Encodable, Sendable {
            var client: Client
            struct Client: Encodable, Sendable {
                var serverName: String
                enum CodingKeys: String, CodingKey { case serverName = "server_name" }
            }
        }

        struct URLDomain: Encodable, Sendable { var domain: String }

        struct File: Encodable, Sendable {
            var name: String
            var path: String?
            var hash: Hash?
            var size: Int64?
            struct Hash: Encodable, Sendable { var sha256: String }
        }

        struct Related: Encodable, Sendable { var ip: [String] }

        struct LeakScopeFields: Encodable, Sendable {
            var findingId: String
            var `class`: String
            var severity: Severity
            var frames: [Int]
            var packets: Int
            var bytes: Int
            var evidence: Evidence
            var verdict: Analysis.Verdict.Status
            var firstNs: Int64
            var lastNs: Int64
            enum CodingKeys: String, CodingKey {
                case findingId = "finding_id", `class`, severity, frames, packets, bytes, evidence, verdict
                case firstNs = "first_ns", lastNs = "last_ns"
            }
        }
    }
}
