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
public struct DissectionLineWriter: ~Copyable {
    // A buffer of its own rather than an Array: an Array append checks uniqueness and
    // capacity and calls memmove for each piece, which was most of the time per line.
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written and not yet taken.
    public private(set) var count = 0
    /// The last JSON `ip` and `link` objects written, two of each (both directions of a
    /// flow), with what they were made from: a frame of the same flow copies them.
    private var cache: UnsafeMutablePointer<UInt8>
    private var ipKeys: (IPKey?, IPKey?) = (nil, nil)
    private var linkKeys: (LinkKey?, LinkKey?) = (nil, nil)
    private var cacheLengths: (Int, Int, Int, Int) = (0, 0, 0, 0)
    private var cacheNext: (Int, Int) = (0, 0)
    private static let slot = 256

    /// Everything an `ip` object is made of, when it has no extension headers, fragment or jumbogram.
    struct IPKey: Equatable {
        var source: IPAddress, destination: IPAddress
        var version: UInt8, proto: UInt8, ttl: UInt8
    }

    /// Everything a `link` object is made of, when it has both addresses, an EtherType and nothing else.
    struct LinkKey: Equatable {
        var source: UInt64, destination: UInt64, etherType: UInt16, kind: LinkKind
    }

    public init(capacity: Int = 1 << 17) {
        self.capacity = max(capacity, 4096)
        base = .allocate(capacity: self.capacity)
        cache = .allocate(capacity: 4 * Self.slot)
    }

    deinit {
        base.deallocate()
        cache.deallocate()
    }

    /// Copies the cached object `slot` (0, 1: ip; 2, 3: link).
    private mutating func putCached(_ slot: Int, length: Int) {
        put(UnsafeBufferPointer(start: cache + slot * Self.slot, count: length))
    }

    /// Keeps what was written from `start` as cached object `slot`, when it fits.
    private mutating func keep(_ slot: Int, from start: Int) -> Int? {
        let n = count - start
        guard n <= Self.slot else { return nil }
        (cache + slot * Self.slot).update(from: base + start, count: n)
        return n
    }

    private mutating func cachedIP(_ i: IPInfo) {
        guard i.extensionHeaders.isEmpty, i.fragment == nil, !i.jumbogram else { return ip(i) }
        let key = IPKey(source: i.source, destination: i.destination, version: i.version, proto: i.protocol, ttl: i.ttl)
        if ipKeys.0 == key { return putCached(0, length: cacheLengths.0) }
        if ipKeys.1 == key { return putCached(1, length: cacheLengths.1) }
        let start = count
        ip(i)
        let slot = cacheNext.0
        guard let n = keep(slot, from: start) else { return }
        if slot == 0 { ipKeys.0 = key; cacheLengths.0 = n } else { ipKeys.1 = key; cacheLengths.1 = n }
        cacheNext.0 = 1 - slot
    }

    private mutating func cachedLink(_ l: LinkInfo) {
        guard l.vlanTags.isEmpty, l.sllPacketType == nil, l.sllInterfaceIndex == nil,
              let src = l.source, let dst = l.destination, let e = l.etherType else { return link(l) }
        let key = LinkKey(source: src.rawValue, destination: dst.rawValue, etherType: e, kind: l.kind)
        if linkKeys.0 == key { return putCached(2, length: cacheLengths.2) }
        if linkKeys.1 == key { return putCached(3, length: cacheLengths.3) }
        let start = count
        link(l)
        let slot = cacheNext.1
        guard let n = keep(2 + slot, from: start) else { return }
        if slot == 0 { linkKeys.0 = key; cacheLengths.2 = n } else { linkKeys.1 = key; cacheLengths.3 = n }
        cacheNext.1 = 1 - slot
    }

    /// A copy of what is written (tests; the command uses `withBytes`).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Forgets what is written; the buffer is kept.
    public mutating func removeAll() { count = 0 }

    // MARK: JSONL

    /// One JSON object and a newline: `JSONCoding.encode(DissectionRecord(d, interfaceName:), layout: .compact, keys: .snakeCase) + "\n"`.
    /// Keys are written in the encoder's order (sorted by their UTF-8 bytes).
    public mutating func appendJSONLine(_ d: Dissection, interfaceName: String?) {
        // The app slots a packet set, by their bits (AppLayers.setMask): a slot is read only
        // when its bit is set, since reading one copies it.
        let m = d.app.setMask
        lit("{")
        if m & Bit.arp != 0, let arp = d.app.arp { lit("\"arp\":"); encoded(arp.summary()); comma() }
        lit("\"caplen\":"); int(d.capturedLength)
        if m & Bit.channelData != 0, let c = d.app.channelData { lit(",\"channel_data\":"); encoded(c.summary()) }
        if m & Bit.dhcp != 0, let h = d.app.dhcp { lit(",\"dhcp\":"); encoded(h.summary()) }
        if m & Bit.dhcpv6 != 0, let h = d.app.dhcpv6 { lit(",\"dhcpv6\":"); encoded(h.summary()) }
        switch d.direction {
        case .inbound: lit(",\"direction\":\"in\"")
        case .outbound: lit(",\"direction\":\"out\"")
        default: break
        }
        if m & Bit.dns != 0, let x = d.app.dns { lit(",\"dns\":"); dns(x.summary()) }
        let messages = d.app.dnsMessages
        if messages > 1 { lit(",\"dns_messages\":"); int(messages) }
        if let t = d.tunnel { lit(",\"encapsulation\":"); plain(t.name) }
        lit(",\"file_index\":"); int(d.fileIndex)
        lit(",\"frame\":"); int(d.frameNumber)
        if m & Bit.http != 0, let h = d.app.http { lit(",\"http\":"); encoded(h.summary()) }
        if m & Bit.icmp != 0, let i = d.app.icmp { lit(",\"icmp\":"); encoded(i.summary()) }
        if let q = d.quoted { lit(",\"icmp_quoted\":"); encoded(DissectionRecord.quoted(q)) }
        if m & Bit.icmpv6 != 0, let i = d.app.icmpv6 { lit(",\"icmpv6\":"); encoded(i.summary()) }
        if let i = d.innerIP { lit(",\"inner_ip\":"); cachedIP(i) }
        lit(",\"interface\":")
        if let interfaceName { jsonString(interfaceName) } else { lit("null") }
        if let i = d.ip { lit(",\"ip\":"); cachedIP(i) }
        lit(",\"len\":"); int(d.originalLength)
        if d.link.kind != .unknown { lit(",\"link\":"); cachedLink(d.link) }
        lit(",\"notes\":["); notes(d, json: true); lit("]")
        lit(",\"protocols\":[")
        for (n, p) in d.protocols.enumerated() {
            if n > 0 { comma() }
            quoted(p.rawValue)
        }
        lit("]")
        if m & Bit.quic != 0, let q = d.app.quic { lit(",\"quic\":"); encoded(q.summary()) }
        if m & Bit.stun != 0, let s = d.app.stun { lit(",\"stun\":"); stun(s.summary()) }
        if let t = d.tcp {
            lit(",\"tcp\":{\"ack\":"); int(t.acknowledgment)
            lit(",\"dst_port\":"); int(t.destinationPort)
            lit(",\"flags\":["); tcpFlags(t.flags, separator: UInt8(ascii: ","), quote: true); lit("]")
            lit(",\"length\":"); int(t.payload.count)
            if let r = t.reassembled { lit(",\"reassembled_length\":"); int(r.count) }
            lit(",\"seq\":"); int(t.sequence)
            lit(",\"src_port\":"); int(t.sourcePort); lit("}")
        }
        if m & Bit.tlsClientHello != 0, let t = d.app.tlsClientHello { lit(",\"tls\":"); encoded(t.summary()) }
        if m & Bit.tlsRecord != 0, let t = d.app.tlsRecord {
            lit(",\"tls_record\":{\"content_type\":"); int(t.contentType)
            if let h = t.handshakeType { lit(",\"handshake_type\":"); int(h) }
            lit("}")
        }
        lit(",\"ts_ns\":"); int(d.timestampNanoseconds)
        if m & Bit.wireguard != 0, let w = d.app.wireguard {
            lit(",\"tunnel\":"); wireGuard(w)
        } else if m & Bit.otherCarriers != 0 || d.app.natKeepalive, let s = Self.otherCarrier(d.app) {
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
        key("\"message\":", &self); quoted(Self.messageName(w.type))
        lit(",\"protocol\":\"wireguard\"")
        if let r = w.receiverIndex { lit(",\"receiver_index\":\"0x"); hex32(r); lit("\"") }
        if let s = w.senderIndex { lit(",\"sender_index\":\"0x"); hex32(s); lit("\"") }
        lit("}")
    }

    /// `STUNSummary` as the encoder writes it: attributes, class, classic, method, transaction_id, type.
    private mutating func stun(_ s: STUNSummary) {
        lit("{\"attributes\":[")
        for (n, a) in s.attributes.enumerated() {
            if n > 0 { comma() }
            // address, name, port, truncated, type, value
            lit("{")
            if let x = a.address { lit("\"address\":"); jsonString(x); comma() }
            lit("\"name\":"); jsonString(a.name)
            if let p = a.port { lit(",\"port\":"); int(p) }
            if let t = a.truncated { lit(t ? ",\"truncated\":true" : ",\"truncated\":false") }
            lit(",\"type\":"); int(a.type)
            if let v = a.value { lit(",\"value\":"); jsonString(v) }
            lit("}")
        }
        lit("],\"class\":"); jsonString(s.messageClass)
        lit(s.classic ? ",\"classic\":true" : ",\"classic\":false")
        lit(",\"method\":"); jsonString(s.method)
        lit(",\"transaction_id\":"); jsonString(s.transactionID)
        lit(",\"type\":"); int(s.type)
        lit("}")
    }

    /// `DNSSummary`: additionals, answers, authorities, edns, id, opcode, questions, rcode, response.
    private mutating func dns(_ s: DNSSummary) {
        lit("{\"additionals\":"); dnsRecords(s.additionals)
        lit(",\"answers\":"); dnsRecords(s.answers)
        lit(",\"authorities\":"); dnsRecords(s.authorities)
        if let e = s.edns { lit(",\"edns\":"); encoded(e) }
        lit(",\"id\":"); int(s.id)
        lit(",\"opcode\":"); int(s.opcode)
        lit(",\"questions\":[")
        for (n, q) in s.questions.enumerated() {
            if n > 0 { comma() }
            lit("{\"name\":"); jsonString(q.name)
            lit(",\"type\":"); jsonString(q.type)
            if let u = q.unicastResponse { lit(u ? ",\"unicast_response\":true" : ",\"unicast_response\":false") }
            lit("}")
        }
        lit("],\"rcode\":"); int(s.rcode)
        lit(s.response ? ",\"response\":true}" : ",\"response\":false}")
    }

    /// `[DNSRecordSummary]`: cache_flush, data, name, ttl, type.
    private mutating func dnsRecords(_ records: [DNSRecordSummary]) {
        lit("[")
        for (n, r) in records.enumerated() {
            if n > 0 { comma() }
            lit("{")
            if let c = r.cacheFlush { lit(c ? "\"cache_flush\":true," : "\"cache_flush\":false,") }
            lit("\"data\":"); jsonString(r.data)
            lit(",\"name\":"); jsonString(r.name)
            lit(",\"ttl\":"); int(r.ttl)
            lit(",\"type\":"); jsonString(r.type)
            lit("}")
        }
        lit("]")
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
        lit("\",\"dst_kind\":"); quoted(i.destination.kind.staticName)
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
        lit("\",\"src_kind\":"); quoted(i.source.kind.staticName)
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
            if n > 0 { w.put(separator) }
            if quote { w.put(0x22) }
            w.lit(name)
            if quote { w.put(0x22) }
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
        int(d.frameNumber); space()
        seconds(d.timestampNanoseconds); space()
        for (n, p) in d.protocols.enumerated() {
            if n > 0 { put(UInt8(ascii: ":")) }
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
                if let t = d.tunnel { text(t.name) }
                lit(")")
            }
        }
        if let t = d.tcp, !t.flags.isEmpty { lit(" ["); tcpFlags(t.flags, separator: UInt8(ascii: ","), quote: false); lit("]") }
        let m = d.app.setMask
        if m & Bit.summarized != 0 || d.quoted != nil {
            applicationText(d)
        } else {
            tunnelText(d)
            if m & Bit.icmp != 0, let i = d.app.icmp {
                space(); terminal(i.summary().name)
            } else if m & Bit.icmpv6 != 0, let i = d.app.icmpv6 {
                space(); terminal(i.summary().name)
            }
        }
        notes(d, json: false)
        put(0x0A)
    }

    private mutating func tunnelText(_ d: Dissection) {
        let m = d.app.setMask
        if m & Bit.wireguard != 0, let w = d.app.wireguard {
            lit(" wireguard "); lit(Self.messageName(w.type))
        } else if m & Bit.otherCarriers != 0 || d.app.natKeepalive, let t = Self.otherCarrier(d.app) {
            space(); terminal(t.protocol); space(); terminal(t.message)
        }
    }

    /// The record's `tunnel` when it is not WireGuard.
    static func otherCarrier(_ a: AppLayers) -> CarrierSummary? {
        a.openvpn?.summary() ?? a.ike?.summary() ?? a.esp?.summary() ?? a.l2tp?.summary()
            ?? (a.natKeepalive ? CarrierSummary(protocol: "nat-t", message: "keepalive") : nil)
    }

    /// AppLayers' slot bits.
    enum Bit {
        static let stun: UInt32 = 1, channelData: UInt32 = 2, dns: UInt32 = 4, wireguard: UInt32 = 8
        static let otherCarriers: UInt32 = 16 | 32 | 64 | 128  // openvpn, ike, esp, l2tp
        static let quic: UInt32 = 256, tlsRecord: UInt32 = 512, tlsClientHello: UInt32 = 1024, http: UInt32 = 2048
        static let icmp: UInt32 = 4096, icmpv6: UInt32 = 8192, arp: UInt32 = 16384, dhcp: UInt32 = 32768, dhcpv6: UInt32 = 65536
        /// Those whose text comes from their summaries (`applicationText`).
        static let summarized: UInt32 = stun | channelData | dns | quic | tlsClientHello | http | arp | dhcp | dhcpv6
    }

    /// `WireGuardMessageType.name`.
    static func messageName(_ t: WireGuardMessageType) -> StaticString {
        switch t {
        case .handshakeInitiation: "handshake-initiation"
        case .handshakeResponse: "handshake-response"
        case .cookieReply: "cookie-reply"
        case .transportData: "transport-data"
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
        tunnelText(d)
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
        put(UInt8(ascii: ":"))
        int(p)
    }

    /// `seconds.nanoseconds`, nine digits (as `textLine`'s formatSeconds).
    private mutating func seconds(_ ns: Int64) {
        int(ns / 1_000_000_000)
        put(UInt8(ascii: "."))
        let frac = (ns % 1_000_000_000).magnitude
        var div: UInt64 = 100_000_000
        while div > 0 {
            put(0x30 + UInt8(truncatingIfNeeded: frac / div % 10))
            div /= 10
        }
    }

    // MARK: Pieces

    @inline(__always) private mutating func reserve(_ n: Int) {
        if count &+ n > capacity { grow(n) }
    }

    @inline(never) private mutating func grow(_ n: Int) {
        let newCapacity = max(capacity * 2, count + n)
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        b.update(from: base, count: count)
        base.deallocate()
        base = b
        capacity = newCapacity
    }

    @inline(__always) private mutating func put(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count &+= 1
    }

    /// Short pieces (keys, names) byte by byte: a memmove call per piece cost more.
    @inline(__always) private mutating func put(_ p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        reserve(n)
        guard let src = p.baseAddress else { return }
        let dst = base + count
        if n <= 40 {
            var i = 0
            while i < n { dst[i] = src[i]; i &+= 1 }
        } else {
            dst.update(from: src, count: n)
        }
        count &+= n
    }

    @inline(__always) private mutating func lit(_ s: StaticString) {
        put(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    private mutating func put(_ a: [UInt8]) {
        a.withUnsafeBufferPointer { put($0) }
    }

    @inline(__always) private mutating func comma() { put(UInt8(ascii: ",")) }
    @inline(__always) private mutating func space() { put(0x20) }

    /// A token known to need no escaping, quoted.
    private mutating func quoted(_ s: StaticString) {
        put(0x22); lit(s); put(0x22)
    }

    /// A fixed token (ASCII, nothing to escape) in quotes.
    private mutating func plain(_ s: String) {
        put(0x22)
        text(s)
        put(0x22)
    }

    /// A String's bytes as they are (named apart from `lit` so that literals take the StaticString one).
    private mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { put($0) }
    }

    /// A JSON string as `JSONCoding` writes it.
    private mutating func jsonString(_ s: String) {
        var s = s
        let copied: Bool = s.withUTF8 { u in
            guard u.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) else { return false }
            put(0x22); put(u); put(0x22)
            return true
        }
        if copied { return }
        var out: [UInt8] = []
        JSONCoding.appendString(s, to: &out)
        put(out)
    }

    /// Text escaped for the terminal (`escapedForTerminal`); printable ASCII is copied.
    private mutating func terminal(_ s: String) {
        var s = s
        let plainASCII = s.withUTF8 { u in u.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C } }
        if plainASCII { text(s) } else { text(escapedForTerminal(s)) }
    }

    /// A summary encoded as the record's encoder encodes it inside the record.
    private mutating func encoded<T: Encodable>(_ value: T) {
        var out: [UInt8] = []
        JSONCoding.appendCompact(value, keys: .snakeCase, to: &out)
        put(out)
    }

    /// Decimal, as `String(value)`.
    @inline(__always) private mutating func int<T: BinaryInteger>(_ value: T) {
        if value < 0 {
            put(UInt8(ascii: "-"))
            decimal(UInt64(value.magnitude))
        } else {
            decimal(UInt64(value))
        }
    }

    private mutating func decimal(_ v: UInt64) {
        if v < 10 { put(0x30 &+ UInt8(truncatingIfNeeded: v)); return }
        var n = 2, p: UInt64 = 100
        while n < 20 && v >= p { n &+= 1; p &*= 10 }
        reserve(n)
        // Backwards from the last digit, two digits per division.
        let pairs = Self.digitPairs.utf8Start
        var i = count &+ n, x = v
        while x >= 100 {
            let r = Int(truncatingIfNeeded: x % 100)
            x /= 100
            i &-= 2
            base[i] = pairs[2 &* r]
            base[i &+ 1] = pairs[2 &* r &+ 1]
        }
        if x >= 10 {
            base[i &- 2] = pairs[2 &* Int(x)]
            base[i &- 1] = pairs[2 &* Int(x) &+ 1]
        } else {
            base[i &- 1] = 0x30 &+ UInt8(truncatingIfNeeded: x)
        }
        count &+= n
    }

    private static let digitPairs: StaticString =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    private static let hexDigits: StaticString = "0123456789abcdef"

    /// Eight lower-case hex digits (`Hex.digits` of a UInt32).
    private mutating func hex32(_ v: UInt32) {
        var shift: UInt32 = 32
        while shift > 0 {
            shift -= 4
            put(Self.hexDigits.utf8Start[Int((v >> shift) & 0xF)])
        }
    }

    /// `MACAddress.description`: six lower-case hex pairs and colons.
    private mutating func mac(_ m: MACAddress) {
        var shift: UInt64 = 40
        while true {
            let b = UInt8(truncatingIfNeeded: m.rawValue >> shift)
            put(Self.hexDigits.utf8Start[Int(b >> 4)]); put(Self.hexDigits.utf8Start[Int(b & 0xF)])
            if shift == 0 { break }
            put(UInt8(ascii: ":"))
            shift -= 8
        }
    }

    /// `IPAddress.description`: dotted quad, or RFC 5952 (via the description for IPv6).
    private mutating func address(_ a: IPAddress) {
        switch a {
        case .v4(let x):
            int(x >> 24); put(0x2E)
            int((x >> 16) & 0xFF); put(0x2E)
            int((x >> 8) & 0xFF); put(0x2E)
            int(x & 0xFF)
        case .v6:
            text(a.description)
        }
    }
}
