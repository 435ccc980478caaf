import CaptureFiles
import JSONCoding
import OutputText

/// `leakscope dissect`'s lines written straight from a `Dissection` into one
/// reusable byte buffer: the same bytes as encoding a `DissectionRecord` with
/// `JSONCoding` (compact, snake_case keys) or escaping its `textLine`, without
/// building the record. The layers nearly every frame has (frame, link, IP,
/// UDP/TCP, WireGuard, TLS record header) are written field by field, in the
/// encoder's key order, with no allocation; the rarer application layers
/// (DNS, STUN, DHCP, ICMP, ...) are turned into their summary values and those
/// encoded by `JSONCoding`, exactly as the record would. Tests pin the bytes
/// to the record's on every capture in the repository (DissectionLineWriterTests).
public struct DissectionLineWriter {
    /// What has been written and not yet taken (`take`/`removeAll`).
    public var bytes: [UInt8] = []

    public init(capacity: Int = 1 << 17) { bytes.reserveCapacity(capacity) }

    // MARK: JSONL

    /// One JSON object and a newline: `JSONCoding.encode(DissectionRecord(d, interfaceName:), layout: .compact, keys: .snakeCase) + "\n"`.
    /// Keys are written in the encoder's order (sorted by their UTF-8 bytes).
    public mutating func appendJSONLine(_ d: Dissection, interfaceName: String?) {
        let a = d.app
        lit("{")
        if let arp = a.arp { lit("\"arp\":"); encoded(arp.summary()); comma() }
        lit("\"caplen\":"); int(d.capturedLength)
        if let c = a.channelData { lit(",\"channel_data\":"); encoded(c.summary()) }
        if let h = a.dhcp { lit(",\"dhcp\":"); encoded(h.summary()) }
        if let h = a.dhcpv6 { lit(",\"dhcpv6\":"); encoded(h.summary()) }
        switch d.direction {
        case .inbound: lit(",\"direction\":\"in\"")
        case .outbound: lit(",\"direction\":\"out\"")
        default: break
        }
        if let m = a.dns { lit(",\"dns\":"); encoded(m.summary()) }
        let messages = a.dnsMessages
        if messages > 1 { lit(",\"dns_messages\":"); int(messages) }
        if let t = d.tunnel { lit(",\"encapsulation\":"); plain(t.name) }
        lit(",\"file_index\":"); int(d.fileIndex)
        lit(",\"frame\":"); int(d.frameNumber)
        if let h = a.http { lit(",\"http\":"); encoded(h.summary()) }
        if let i = a.icmp { lit(",\"icmp\":"); encoded(i.summary()) }
        if let q = d.quoted { lit(",\"icmp_quoted\":"); encoded(DissectionRecord.quoted(q)) }
        if let i = a.icmpv6 { lit(",\"icmpv6\":"); encoded(i.summary()) }
        if let i = d.innerIP { lit(",\"inner_ip\":"); ip(i) }
        lit(",\"interface\":")
        if let interfaceName { jsonString(interfaceName) } else { lit("null") }
        if let i = d.ip { lit(",\"ip\":"); ip(i) }
        lit(",\"len\":"); int(d.originalLength)
        if d.link.kind != .unknown { lit(",\"link\":"); link(d.link) }
        lit(",\"notes\":["); notes(d, json: true); lit("]")
        lit(",\"protocols\":[")
        for (n, p) in d.protocols.enumerated() {
            if n > 0 { comma() }
            quoted(p.rawValue)
        }
        lit("]")
        if let q = a.quic { lit(",\"quic\":"); encoded(q.summary()) }
        if let s = a.stun { lit(",\"stun\":"); encoded(s.summary()) }
        if let t = d.tcp {
            lit(",\"tcp\":{\"ack\":"); int(t.acknowledgment)
            lit(",\"dst_port\":"); int(t.destinationPort)
            lit(",\"flags\":["); tcpFlags(t.flags, separator: UInt8(ascii: ","), quote: true); lit("]")
            lit(",\"length\":"); int(t.payload.count)
            if let r = t.reassembled { lit(",\"reassembled_length\":"); int(r.count) }
            lit(",\"seq\":"); int(t.sequence)
            lit(",\"src_port\":"); int(t.sourcePort); lit("}")
        }
        if let t = a.tlsClientHello { lit(",\"tls\":"); encoded(t.summary()) }
        if let t = a.tlsRecord {
            lit(",\"tls_record\":{\"content_type\":"); int(t.contentType)
            if let h = t.handshakeType { lit(",\"handshake_type\":"); int(h) }
            lit("}")
        }
        lit(",\"ts_ns\":"); int(d.timestampNanoseconds)
        if let w = a.wireguard {
            lit(",\"tunnel\":"); wireGuard(w)
        } else if let s = a.openvpn?.summary() ?? a.ike?.summary() ?? a.esp?.summary() ?? a.l2tp?.summary()
                    ?? (a.natKeepalive ? CarrierSummary(protocol: "nat-t", message: "keepalive") : nil) {
            lit(",\"tunnel\":"); encoded(s)
        }
        if let u = d.udp {
            lit(",\"udp\":{\"dst_port\":"); int(u.destinationPort)
            lit(",\"length\":"); int(u.length)
            lit(",\"src_port\":"); int(u.sourcePort); lit("}")
        }
        lit("}\n")
    }

    /// `CarrierSummary` of a WireGuard message (WireGuardMessage.summary()): keys
    /// counter, length, message, protocol, receiver_index, sender_index.
    private mutating func wireGuard(_ w: WireGuardMessage) {
        var first = true
        func key(_ k: StaticString, _ s: inout Self) {
            if !first { s.comma() }
            first = false
            s.lit(k)
        }
        lit("{")
        if let c = w.counter { key("\"counter\":", &self); int(c) }
        if w.type == .transportData { key("\"length\":", &self); int(w.bytes.count) }
        key("\"message\":", &self); plain(w.type.name)
        lit(",\"protocol\":\"wireguard\"")
        if let r = w.receiverIndex { lit(",\"receiver_index\":\"0x"); hex32(r); lit("\"") }
        if let s = w.senderIndex { lit(",\"sender_index\":\"0x"); hex32(s); lit("\"") }
        lit("}")
    }

    /// `DissectionRecord.Link`: dst, ether_type, kind, sll_ifindex, sll_pkttype, src, vlan.
    private mutating func link(_ l: LinkInfo) {
        lit("{")
        var first = true
        if let m = l.destination { lit("\"dst\":\""); mac(m); lit("\""); first = false }
        if let e = l.etherType { if !first { comma() }; lit("\"ether_type\":"); int(e); first = false }
        if !first { comma() }
        lit("\"kind\":\""); lit(Self.kindName(l.kind)); lit("\"")
        if let i = l.sllInterfaceIndex { lit(",\"sll_ifindex\":"); int(i) }
        if let p = l.sllPacketType { lit(",\"sll_pkttype\":"); int(p) }
        if let m = l.source { lit(",\"src\":\""); mac(m); lit("\"") }
        if !l.vlanTags.isEmpty {
            lit(",\"vlan\":[")
            for (n, t) in l.vlanTags.enumerated() {
                if n > 0 { comma() }
                int(t.id)
            }
            lit("]")
        }
        lit("}")
    }

    /// `"\(kind)"`, the case name the record prints.
    static func kindName(_ k: LinkKind) -> StaticString {
        switch k {
        case .unknown: "unknown"
        case .ethernet: "ethernet"
        case .linuxSLL: "linuxSLL"
        case .linuxSLL2: "linuxSLL2"
        case .null: "null"
        case .loop: "loop"
        case .raw: "raw"
        case .ppp: "ppp"
        }
    }

    /// `DissectionRecord.IP`: dst, dst_kind, ext_headers, fragment, jumbogram, protocol, src, src_kind, ttl, version.
    private mutating func ip(_ i: IPInfo) {
        lit("{\"dst\":\""); address(i.destination)
        lit("\",\"dst_kind\":"); plain(i.destination.kind.name)
        if !i.extensionHeaders.isEmpty {
            lit(",\"ext_headers\":[")
            for (n, h) in i.extensionHeaders.enumerated() {
                if n > 0 { comma() }
                quoted(h.layer.rawValue)
            }
            lit("]")
        }
        if let f = i.fragment {
            lit(",\"fragment\":{\"id\":"); int(f.identification)
            lit(f.moreFragments ? ",\"more\":true" : ",\"more\":false")
            lit(",\"offset\":"); int(f.offset)
            switch i.reassembly {
            case .none: lit(",\"reassembly\":\"none\"}")
            case .pending: lit(",\"reassembly\":\"pending\"}")
            case .completed: lit(",\"reassembly\":\"completed\"}")
            case .dropped: lit(",\"reassembly\":\"dropped\"}")
            }
        }
        if i.jumbogram { lit(",\"jumbogram\":true") }
        lit(",\"protocol\":"); int(i.protocol)
        lit(",\"src\":\""); address(i.source)
        lit("\",\"src_kind\":"); plain(i.source.kind.name)
        lit(",\"ttl\":"); int(i.ttl)
        lit(",\"version\":"); int(i.version)
        lit("}")
    }

    /// The record's `notes`: each note's text, then the counts of what was not kept.
    private mutating func notes(_ d: Dissection, json: Bool) {
        var n = 0
        func one(_ s: String, _ w: inout Self) {
            if json {
                if n > 0 { w.comma() }
                w.jsonString(s)
            } else {
                w.lit(" ["); w.terminal(s); w.lit("]")
            }
            n += 1
        }
        for note in d.notes { one(note.description, &self) }
        if d.notes.dropped > 0 { one("\(d.notes.dropped) more notes not kept", &self) }
        if d.protocols.dropped > 0 { one("\(d.protocols.dropped) more layers not listed", &self) }
    }

    private mutating func tcpFlags(_ f: TCPFlags, separator: UInt8, quote: Bool) {
        var n = 0
        func flag(_ bit: TCPFlags, _ name: StaticString, _ w: inout Self) {
            guard f.contains(bit) else { return }
            if n > 0 { w.bytes.append(separator) }
            if quote { w.bytes.append(0x22) }
            w.lit(name)
            if quote { w.bytes.append(0x22) }
            n += 1
        }
        flag(.fin, "FIN", &self); flag(.syn, "SYN", &self); flag(.rst, "RST", &self); flag(.psh, "PSH", &self)
        flag(.ack, "ACK", &self); flag(.urg, "URG", &self); flag(.ece, "ECE", &self); flag(.cwr, "CWR", &self)
        flag(.ae, "AE", &self)
    }

    // MARK: Text

    /// `escapedForTerminal(DissectionRecord(d, interfaceName:).textLine) + "\n"`. Escaping is
    /// per character, so each piece that may hold anything (names from the capture or a
    /// packet) is escaped on its own and the pieces written here need none.
    public mutating func appendTextLine(_ d: Dissection, interfaceName: String?) {
        let a = d.app
        int(d.frameNumber); space()
        seconds(d.timestampNanoseconds); space()
        for (n, p) in d.protocols.enumerated() {
            if n > 0 { bytes.append(UInt8(ascii: ":")) }
            lit(p.rawValue)
        }
        if let interfaceName { lit(" ["); terminal(interfaceName); lit("]") }
        if let i = d.innerIP ?? d.ip {
            space()
            if let u = d.udp {
                hostPort(i.source, u.sourcePort); lit(" → "); hostPort(i.destination, u.destinationPort)
            } else if let t = d.tcp {
                hostPort(i.source, t.sourcePort); lit(" → "); hostPort(i.destination, t.destinationPort)
            } else {
                address(i.source); lit(" → "); address(i.destination)
            }
            if let o = d.ip, d.innerIP != nil {
                lit(" (via "); address(o.source); lit(" → "); address(o.destination); space()
                if let t = d.tunnel { lit(t.name) }
                lit(")")
            }
        }
        if let t = d.tcp, !t.flags.isEmpty { lit(" ["); tcpFlags(t.flags, separator: UInt8(ascii: ","), quote: false); lit("]") }
        if a.stun != nil || a.channelData != nil || a.dns != nil || a.tlsClientHello != nil || a.http != nil
            || a.quic != nil || d.quoted != nil || a.arp != nil || a.dhcp != nil || a.dhcpv6 != nil
        {
            applicationText(d)
        } else {
            tunnelText(a)
            if let i = a.icmp { space(); terminal(i.summary().name) } else if let i = a.icmpv6 { space(); terminal(i.summary().name) }
        }
        notes(d, json: false)
        bytes.append(0x0A)
    }

    private mutating func tunnelText(_ a: AppLayers) {
        if let w = a.wireguard {
            lit(" wireguard "); lit(w.type.name)
        } else if let t = a.openvpn?.summary() ?? a.ike?.summary() ?? a.esp?.summary() ?? a.l2tp?.summary()
                    ?? (a.natKeepalive ? CarrierSummary(protocol: "nat-t", message: "keepalive") : nil) {
            space(); terminal(t.protocol); space(); terminal(t.message)
        }
    }

    /// The text of the application layers, from their summaries as `textLine` has them.
    private mutating func applicationText(_ d: Dissection) {
        let a = d.app
        var s = ""
        if let st = a.stun?.summary() {
            s += " \(st.classic ? "classicstun" : "stun") \(st.method) \(st.messageClass) id=\(st.transactionID)"
            for x in st.attributes where x.address != nil {
                s += " \(x.name)=\(Self.hostPort(x.address ?? "", x.port ?? 0))"
            }
        }
        if let c = a.channelData?.summary() { s += " channel=0x\(String(c.channel, radix: 16)) len=\(c.length)" }
        if let m = a.dns?.summary() {
            s += " id=0x\(String(m.id, radix: 16)) \(m.response ? "response" : "query")"
            if a.dnsMessages > 1 { s += " (\(a.dnsMessages) messages)" }
            for q in m.questions { s += " \(q.type) \(q.name)" }
            for x in m.answers.prefix(4) { s += " \(x.type)=\(x.data.count > 64 ? String(x.data.prefix(61)) + "..." : x.data)" }
        }
        terminal(s)
        tunnelText(a)
        s = ""
        if let q = a.quic?.summary() { s += " quic \(q.version) \(q.packetType)" + (q.sni.map { " sni=\($0)" } ?? "") }
        if let t = a.tlsClientHello?.summary() { s += " client_hello" + (t.sni.map { " sni=\($0)" } ?? "") }
        if let h = a.http?.summary() { s += " \(h.method) \(h.target)" + (h.host.map { " host=\($0)" } ?? "") }
        if let i = a.icmp?.summary() ?? a.icmpv6?.summary() { s += " \(i.name)" }
        if let raw = d.quoted {
            let q = DissectionRecord.quoted(raw)
            let proto = q.protocol == 17 ? "udp" : q.protocol == 6 ? "tcp" : "proto \(q.protocol)"
            if let sp = q.srcPort, let dp = q.dstPort {
                s += " quoting \(proto) \(Self.hostPort(q.src, sp)) → \(Self.hostPort(q.dst, dp))"
            } else {
                s += " quoting \(proto) \(q.src) → \(q.dst)"
            }
            if let x = q.app { s += " \(x.protocol)" + (x.transactionId.map { " id=\($0)" } ?? "") + (x.id.map { " id=0x\(String($0, radix: 16))" } ?? "") }
        }
        if let r = a.arp?.summary() { s += " \(r.operation) \(r.senderIP ?? "?") → \(r.targetIP ?? "?")" }
        if let h = a.dhcp?.summary() { s += " dhcp \(h.messageType ?? "?") xid=\(h.xid)" }
        if let h = a.dhcpv6?.summary() { s += " dhcpv6 \(h.messageType)" }
        terminal(s)
    }

    private static func hostPort(_ a: String, _ p: Int) -> String { a.contains(":") ? "[\(a)]:\(p)" : "\(a):\(p)" }

    private mutating func hostPort(_ a: IPAddress, _ p: UInt16) {
        if a.isV4 {
            address(a)
        } else {
            lit("["); address(a); lit("]")
        }
        bytes.append(UInt8(ascii: ":"))
        int(p)
    }

    /// `seconds.nanoseconds`, nine digits (as `textLine`'s formatSeconds).
    private mutating func seconds(_ ns: Int64) {
        int(ns / 1_000_000_000)
        bytes.append(UInt8(ascii: "."))
        let frac = (ns % 1_000_000_000).magnitude
        var div: UInt64 = 100_000_000
        while div > 0 {
            bytes.append(0x30 + UInt8(truncatingIfNeeded: frac / div % 10))
            div /= 10
        }
    }

    // MARK: Pieces

    @inline(__always) private mutating func lit(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always) private mutating func comma() { bytes.append(UInt8(ascii: ",")) }
    @inline(__always) private mutating func space() { bytes.append(0x20) }

    /// A token known to need no escaping, quoted.
    private mutating func quoted(_ s: StaticString) {
        bytes.append(0x22); lit(s); bytes.append(0x22)
    }

    /// A fixed token (ASCII, nothing to escape) in quotes.
    private mutating func plain(_ s: String) {
        bytes.append(0x22)
        lit(s)
        bytes.append(0x22)
    }

    private mutating func lit(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A JSON string as `JSONCoding` writes it.
    private mutating func jsonString(_ s: String) {
        JSONCoding.appendString(s, to: &bytes)
    }

    /// Text escaped for the terminal (`escapedForTerminal`); printable ASCII is copied.
    private mutating func terminal(_ s: String) {
        var s = s
        let plainASCII = s.withUTF8 { u in u.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C } }
        if plainASCII { lit(s) } else { lit(escapedForTerminal(s)) }
    }

    /// A summary encoded as the record's encoder encodes it inside the record.
    private mutating func encoded<T: Encodable>(_ value: T) {
        JSONCoding.appendCompact(value, keys: .snakeCase, to: &bytes)
    }

    /// Decimal, as `String(value)`.
    @inline(__always) private mutating func int<T: BinaryInteger>(_ value: T) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            decimal(UInt64(value.magnitude))
        } else {
            decimal(UInt64(value))
        }
    }

    private mutating func decimal(_ v: UInt64) {
        if v < 10 { bytes.append(0x30 + UInt8(v)); return }
        var count = 0, tmp = v
        while tmp > 0 { tmp /= 10; count += 1 }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0x30, count: count))
        bytes.withUnsafeMutableBufferPointer { b in
            var i = start + count - 1, x = v
            while x > 0 {
                b[i] = 0x30 + UInt8(truncatingIfNeeded: x % 10)
                x /= 10
                i -= 1
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Eight lower-case hex digits (`Hex.digits` of a UInt32).
    private mutating func hex32(_ v: UInt32) {
        var shift: UInt32 = 32
        while shift > 0 {
            shift -= 4
            bytes.append(Self.hexDigits[Int((v >> shift) & 0xF)])
        }
    }

    /// `MACAddress.description`: six lower-case hex pairs and colons.
    private mutating func mac(_ m: MACAddress) {
        var shift: UInt64 = 40
        while true {
            Hex.append(UInt8(truncatingIfNeeded: m.rawValue >> shift), to: &bytes)
            if shift == 0 { break }
            bytes.append(UInt8(ascii: ":"))
            shift -= 8
        }
    }

    /// `IPAddress.description`: dotted quad, or RFC 5952 (via the description for IPv6).
    private mutating func address(_ a: IPAddress) {
        switch a {
        case .v4(let x):
            int(x >> 24); bytes.append(0x2E)
            int((x >> 16) & 0xFF); bytes.append(0x2E)
            int((x >> 8) & 0xFF); bytes.append(0x2E)
            int(x & 0xFF)
        case .v6:
            lit(a.description)
        }
    }
}
