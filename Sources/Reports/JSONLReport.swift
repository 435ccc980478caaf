import OutputText

/// One finding per line, with field names from the Elastic Common Schema
/// (ECS 8.x) so a SIEM can ingest it as alerts; what ECS has no field for is
/// under `leakscope.*`. The mapping is documented in docs/reports.md.
public enum JSONLReport {
    /// ECS `event.severity` numbers (Elastic's risk-score bands).
    public static func ecsSeverity(_ s: String) -> Int64 {
        switch s { case "high": 73; case "medium": 47; default: 21 }
    }

    public static func render(_ r: AnalysisRecord) -> String {
        r.findings.map { RecordCoding.line(document($0, r)) + "\n" }.joined()
    }

    public static func document(_ f: RecordFinding, _ r: AnalysisRecord) -> JSONValue {
        var doc: [String: JSONValue] = [:]
        let ev = f.evidence
        if let t = f.firstNs { doc["@timestamp"] = .string(ISO8601Nanoseconds.format(t, fraction: .trimmed)) }
        else if let a = r.analyzedAt { doc["@timestamp"] = .string(a) }
        doc["message"] = .string(f.title)
        var event: [String: JSONValue] = [
            "kind": "alert", "category": ["network"], "type": ["connection"],
            "dataset": "leakscope.finding", "module": "leakscope",
            "severity": .int(ecsSeverity(f.severity)), "reason": .string(LeakClassText.why(f.leakClass)),
        ]
        if let a = f.firstNs { event["start"] = .string(ISO8601Nanoseconds.format(a, fraction: .trimmed)) }
        if let b = f.lastNs { event["end"] = .string(ISO8601Nanoseconds.format(b, fraction: .trimmed)) }
        doc["event"] = .object(event)
        doc["rule"] = ["name": .string(f.leakClass), "category": "vpn-leak", "description": .string(LeakClassText.why(f.leakClass))]

        var (src, dst, transport) = endpoints(f)
        if src == nil, let d = dst {
            // The host's own address on that interface, of the destination's family.
            let v6 = d.ip.contains(":")
            src = r.analysis.tunnel.hostAddresses.lazy.compactMap { h -> Endpoint? in
                guard let a = h["address"]?.stringValue, a.contains(":") == v6,
                      h["interface"]?.stringValue == f.interface else { return nil }
                return Endpoint(ip: a, port: nil)
            }.first
        }
        if transport == nil, f.leakClass == "dns" { transport = "udp" }
        if let s = src { doc["source"] = endpointObject(s) }
        if let d = dst { doc["destination"] = endpointObject(d) }
        var network: [String: JSONValue] = [:]
        if let t = transport { network["transport"] = .string(t) }
        if let ip = (src ?? dst)?.ip { network["type"] = .string(ip.contains(":") ? "ipv6" : "ipv4") }
        if !network.isEmpty { doc["network"] = .object(network) }

        var observer: [String: JSONValue] = ["product": .string(r.tool.name), "version": .string(r.tool.version), "type": "analyzer"]
        if let i = f.interface { observer["ingress"] = ["interface": ["name": .string(i)]] }
        doc["observer"] = .object(observer)

        if let q = ev["queries"]?.arrayValue?.first, let name = q["name"]?.stringValue {
            var question: [String: JSONValue] = ["name": .string(name)]
            if let t = q["type"]?.stringValue { question["type"] = .string(t) }
            doc["dns"] = ["question": .object(question)]
        }
        if let sni = firstFlowField(ev, "sni") { doc["tls"] = ["client": ["server_name": .string(sni)]] }
        if let host = firstFlowField(ev, "host") { doc["url"] = ["domain": .string(host)] }

        var file: [String: JSONValue] = ["name": .string(f.file)]
        if let input = f.input(in: r.inputs) {
            file["name"] = .string(input.name)
            file["path"] = .string(input.path)
            file["hash"] = ["sha256": .string(input.sha256)]
            file["size"] = .int(input.size)
        }
        doc["file"] = .object(file)
        // ECS related.ip holds bare addresses: exposed ones are often "addr:port".
        let related = Set(r.analysis.exposedPublicAddresses.compactMap { parse($0.address)?.ip } + [src?.ip, dst?.ip].compactMap { $0 })
        if !related.isEmpty { doc["related"] = ["ip": .array(related.sorted().map { .string($0) })] }

        var ls: [String: JSONValue] = [
            "finding_id": .string(f.id), "class": .string(f.leakClass), "severity": .string(f.severity),
            "frames": .array(f.frames.map { .int($0) }), "packets": .int(f.packets), "bytes": .int(f.bytes),
            "evidence": .object(ev), "verdict": .string(r.verdict.status),
        ]
        if let a = f.firstNs { ls["first_ns"] = .int(a) }
        if let b = f.lastNs { ls["last_ns"] = .int(b) }
        doc["leakscope"] = .object(ls)
        return .object(doc)
    }

    struct Endpoint { var ip: String; var port: Int64? }

    static func endpointObject(_ e: Endpoint) -> JSONValue {
        var o: [String: JSONValue] = ["ip": .string(e.ip)]
        if let p = e.port { o["port"] = .int(p) }
        return .object(o)
    }

    /// Source and destination from the class-specific evidence keys of the contract.
    static func endpoints(_ f: RecordFinding) -> (Endpoint?, Endpoint?, String?) {
        let ev = f.evidence
        var transport = ev["transport"]?.stringValue
        switch f.leakClass {
        case "webrtc":
            return (nil, ev["stun_server"]?.stringValue.flatMap(parse), transport)
        case "dns":
            return (nil, ev["resolver"]?.stringValue.flatMap(parse), transport)
        case "ipv6":
            let dst = ev["destinations"]?.arrayValue?.first?.stringValue.flatMap(parse)
            return (ev["source"]?.stringValue.flatMap(parse), dst, transport)
        default:
            guard let flow = ev["flows"]?.arrayValue?.first else { return (nil, nil, transport) }
            transport = transport ?? flow["protocol"]?.stringValue
            let src = flow["src"]?.stringValue.flatMap(parse)
            var dst = flow["dst"]?.stringValue.flatMap(parse)
            if let p = flow["dst_port"]?.intValue, dst != nil, dst?.port == nil { dst?.port = p }
            return (src, dst, transport)
        }
    }

    static func firstFlowField(_ ev: [String: JSONValue], _ key: String) -> String? {
        ev["flows"]?.arrayValue?.lazy.compactMap { $0[key]?.stringValue }.first { !$0.isEmpty }
    }

    /// "192.0.2.1:53", "[2001:db8::1]:443", "2001:db8::1", "192.0.2.1".
    static func parse(_ s: String) -> Endpoint? {
        if s.hasPrefix("["), let close = s.firstIndex(of: "]") {
            let ip = String(s[s.index(after: s.startIndex)..<close])
            let rest = s[s.index(after: close)...]
            return Endpoint(ip: ip, port: rest.hasPrefix(":") ? Int64(rest.dropFirst()) : nil)
        }
        let colons = s.filter { $0 == ":" }.count
        if colons == 1, let c = s.firstIndex(of: ":") {
            return Endpoint(ip: String(s[..<c]), port: Int64(s[s.index(after: c)...]))
        }
        return s.isEmpty ? nil : Endpoint(ip: s, port: nil)
    }
}
