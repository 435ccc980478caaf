import OutputText

/// The decoded, output-ready form of a DNS/mDNS/LLMNR/NBNS message.
public struct DNSSummary: Encodable, Equatable, Sendable {
    public var id: Int
    public var response: Bool
    public var opcode: Int
    public var rcode: Int
    public var questions: [DNSQuestionSummary]
    public var answers: [DNSRecordSummary]
    public var authorities: [DNSRecordSummary]
    public var additionals: [DNSRecordSummary]
    public var edns: DNSEDNSSummary?
}

public struct DNSQuestionSummary: Encodable, Equatable, Sendable {
    public var name: String
    public var type: String
    /// Only when set (mDNS QU bit).
    public var unicastResponse: Bool?

    enum CodingKeys: String, CodingKey { case name, type, unicastResponse = "unicast_response" }
}

public struct DNSRecordSummary: Encodable, Equatable, Sendable {
    public var name: String
    public var type: String
    public var ttl: Int
    public var data: String
    /// Only when set (mDNS cache-flush bit).
    public var cacheFlush: Bool?

    enum CodingKeys: String, CodingKey { case name, type, ttl, data, cacheFlush = "cache_flush" }
}

public struct DNSEDNSSummary: Encodable, Equatable, Sendable {
    public var udpSize: Int
    public var extendedRCode: Int
    public var version: Int
    public var dnssecOK: Bool
    public var ecs: String?
    public var options: [DNSEDNSOptionSummary]

    enum CodingKeys: String, CodingKey {
        case udpSize = "udp_size", extendedRCode = "ext_rcode", version, dnssecOK = "do", ecs, options
    }
}

public struct DNSEDNSOptionSummary: Encodable, Equatable, Sendable {
    public var code: Int
    public var name: String
    public var data: String
}

extension DNSMessage {
    /// Longest RDATA shown as hex for unknown types.
    static let maxHexShown = 128

    /// The full 12-bit RCODE when EDNS is present, else the header's 4 bits.
    public var fullRCode: Int {
        Int(rcode) | (edns.map { Int($0.extendedRCodeHigh) << 4 } ?? 0)
    }

    public func summary() -> DNSSummary {
        var s = DNSSummary(id: Int(id), response: isResponse, opcode: Int(opcode), rcode: fullRCode,
                           questions: [], answers: [], authorities: [], additionals: [], edns: nil)
        for q in questions {
            s.questions.append(DNSQuestionSummary(
                name: nameText(q.name), type: q.type.name(for: layer),
                unicastResponse: layer == .mdns && q.unicastResponse ? true : nil))
        }
        for r in records {
            let rs = DNSRecordSummary(
                name: nameText(r.name), type: r.type.name(for: layer), ttl: Int(r.ttl), data: dataText(r),
                cacheFlush: layer == .mdns && r.cacheFlush && r.type != .opt ? true : nil)
            switch r.section {
            case .answer: s.answers.append(rs)
            case .authority: s.authorities.append(rs)
            case .additional: s.additionals.append(rs)
            }
        }
        if let e = edns {
            var es = DNSEDNSSummary(udpSize: Int(e.udpPayloadSize), extendedRCode: Int(e.extendedRCodeHigh),
                                    version: Int(e.version), dnssecOK: e.dnssecOK,
                                    ecs: e.clientSubnet?.description, options: [])
            for o in e.options {
                es.options.append(DNSEDNSOptionSummary(code: Int(o.code), name: DNSEDNS.optionName(o.code),
                                                       data: o.code == 8 ? (DNSClientSubnet(o.data)?.description ?? Hex.string(o.data.base)) : Hex.string(o.data.base)))
            }
            s.edns = es
        }
        return s
    }

    /// DNS presentation text; NBNS names are first-level decoded (`NAME<1d>`).
    func nameText(_ name: DNSName) -> String {
        if layer == .nbns, let nb = NetBIOSName(name) { return nb.text }
        return name.text
    }

    func dataText(_ r: DNSRecord) -> String {
        switch r.type {
        case .a where layer != .nbns, .aaaa:
            return r.address?.description ?? "malformed"
        case .nb where layer == .nbns:
            // NB: repeated 2-byte flags + IPv4 address.
            var parts: [String] = []
            var i = 0
            while let a = IPAddress.v4(r.rdata, at: i + 2), parts.count < 64 { parts.append(a.description); i += 6 }
            return parts.joined(separator: " ")
        case .cname, .ns, .ptr, .dname:
            return r.targetName?.text ?? "malformed"
        case .mx:
            guard let p = r.priority, let t = r.targetName else { return "malformed" }
            return "\(p) \(t.text)"
        case .srv where layer != .nbns:
            guard let p = r.priority, let w = r.srvWeight, let port = r.srvPort, let t = r.targetName else { return "malformed" }
            return "\(p) \(w) \(port) \(t.text)"
        case .txt, .hinfo:
            var parts: [String] = []
            for str in r.characterStrings { parts.append("\"" + AppText.escaped(str, also: UInt8(ascii: "\"")) + "\"") }
            return parts.joined(separator: " ")
        case .soa:
            guard let s = r.soa else { return "malformed" }
            return "\(s.mname.text) \(s.rname.text) \(s.serial) \(s.refresh) \(s.retry) \(s.expire) \(s.minimum)"
        case .svcb, .https:
            guard let p = r.priority, let t = r.targetName, let params = r.svcParams else { return "malformed" }
            var text = "\(p) " + (t.isRoot ? "." : t.text)
            for (key, value) in params { text += " " + Self.svcParamText(key: key, value: value) }
            return text
        case .opt:
            guard let e = edns, e.record.rdataOffset == r.rdataOffset else {
                return "udp_size=\(r.rawClass)"
            }
            return "udp_size=\(e.udpPayloadSize) version=\(e.version) do=\(e.dnssecOK)"
        default:
            if r.rdata.count == 0 { return "" }
            let shown = Hex.string(r.rdata.prefix(Self.maxHexShown).base)
            return r.rdata.count > Self.maxHexShown ? shown + "…" : shown
        }
    }

    /// RFC 9460 presentation of one SvcParam (ech and unknown keys as hex).
    static func svcParamText(key: UInt16, value: ByteView) -> String {
        switch key {
        case 0:
            var keys: [String] = []
            var i = 0
            while let k = value.integer(at: i, as: UInt16.self), keys.count < 64 { keys.append(svcKeyName(k)); i += 2 }
            return "mandatory=" + keys.joined(separator: ",")
        case 1:
            var ids: [String] = []
            for s in DNSCharacterStrings(bytes: value) { ids.append(AppText.escaped(s, also: UInt8(ascii: ","))) }
            return "alpn=" + ids.joined(separator: ",")
        case 2:
            return "no-default-alpn"
        case 3:
            return "port=" + (value.integer(at: 0, as: UInt16.self).map { "\($0)" } ?? "malformed")
        case 4:
            var addrs: [String] = []
            var i = 0
            while i + 4 <= value.count, let a = IPAddress.v4(value, at: i) { addrs.append(a.description); i += 4 }
            return "ipv4hint=" + addrs.joined(separator: ",")
        case 6:
            var addrs: [String] = []
            var i = 0
            while i + 16 <= value.count, let a = IPAddress.v6(value, at: i) { addrs.append(a.description); i += 16 }
            return "ipv6hint=" + addrs.joined(separator: ",")
        case 7:
            return "dohpath=" + AppText.escaped(value)
        default:
            return svcKeyName(key) + "=" + Hex.string(value.prefix(maxHexShown).base)
        }
    }

    static func svcKeyName(_ key: UInt16) -> String {
        switch key {
        case 0: "mandatory"
        case 1: "alpn"
        case 2: "no-default-alpn"
        case 3: "port"
        case 4: "ipv4hint"
        case 5: "ech"
        case 6: "ipv6hint"
        case 7: "dohpath"
        default: "key\(key)"
        }
    }
}
