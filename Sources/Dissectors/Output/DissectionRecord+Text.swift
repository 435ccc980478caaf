/// The one-line text form of a record (tshark-summary-like), for
/// `leakscope dissect --format text`. Callers escape it for the terminal.
extension DissectionRecord {
    public var textLine: String {
        var s = "\(frame) \(formatSeconds(tsNs)) \(protocols.joined(separator: ":"))"
        if let iface = interface.value { s += " [\(iface)]" }
        let inner = innerIp ?? ip
        let ports = udp ?? tcp
        if let i = inner {
            if let p = ports {
                s += " \(hostPort(i.src, p.srcPort)) → \(hostPort(i.dst, p.dstPort))"
            } else {
                s += " \(i.src) → \(i.dst)"
            }
            if let o = ip, innerIp != nil { s += " (via \(o.src) → \(o.dst) \(encapsulation ?? ""))" }
        }
        if let t = tcp, let f = t.flags, !f.isEmpty { s += " [\(f.joined(separator: ","))]" }
        if let st = stun {
            s += " \(st.classic ? "classicstun" : "stun") \(st.method) \(st.messageClass) id=\(st.transactionID)"
            for a in st.attributes where a.address != nil {
                s += " \(a.name)=\(hostPort(a.address ?? "", a.port ?? 0))"
            }
        }
        if let c = channelData { s += " channel=0x\(String(c.channel, radix: 16)) len=\(c.length)" }
        if let d = dns {
            s += " id=0x\(String(d.id, radix: 16)) \(d.response ? "response" : "query")"
            if let n = dnsMessages { s += " (\(n) messages)" }
            for q in d.questions { s += " \(q.type) \(q.name)" }
            for a in d.answers.prefix(4) { s += " \(a.type)=\(a.data.count > 64 ? String(a.data.prefix(61)) + "..." : a.data)" }
        }
        if let t = tunnel { s += " \(t.protocol) \(t.message)" }
        if let q = quic { s += " quic \(q.version) \(q.packetType)" + (q.sni.map { " sni=\($0)" } ?? "") }
        if let t = tls { s += " client_hello" + (t.sni.map { " sni=\($0)" } ?? "") }
        if let h = http { s += " \(h.method) \(h.target)" + (h.host.map { " host=\($0)" } ?? "") }
        if let i = icmp ?? icmpv6 { s += " \(i.name)" }
        if let q = icmpQuoted {
            let proto = q.protocol == 17 ? "udp" : q.protocol == 6 ? "tcp" : "proto \(q.protocol)"
            if let sp = q.srcPort, let dp = q.dstPort {
                s += " quoting \(proto) \(hostPort(q.src, sp)) → \(hostPort(q.dst, dp))"
            } else {
                s += " quoting \(proto) \(q.src) → \(q.dst)"
            }
            if let a = q.app { s += " \(a.protocol)" + (a.transactionId.map { " id=\($0)" } ?? "") + (a.id.map { " id=0x\(String($0, radix: 16))" } ?? "") }
        }
        if let a = arp { s += " \(a.operation) \(a.senderIP ?? "?") → \(a.targetIP ?? "?")" }
        if let h = dhcp { s += " dhcp \(h.messageType ?? "?") xid=\(h.xid)" }
        if let h = dhcpv6 { s += " dhcpv6 \(h.messageType)" }
        for n in notes { s += " [\(n)]" }
        return s
    }

    private func hostPort(_ a: String, _ p: Int) -> String { a.contains(":") ? "[\(a)]:\(p)" : "\(a):\(p)" }

    private func formatSeconds(_ ns: Int64) -> String {
        let sec = ns / 1_000_000_000, frac = abs(ns % 1_000_000_000)
        let f = String(frac)
        return "\(sec).\(String(repeating: "0", count: 9 - f.count))\(f)"
    }
}
