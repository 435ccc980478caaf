import CaptureFiles
import Dissectors
import JSONCoding

/// Turns the dissector's per-frame output record into the record's layer
/// list (name + text fields), so renderers show decoded frames without
/// decoding anything. The field names are the record's own keys
/// (`leakscope dissect --format jsonl`), read from its typed value.
enum FrameDecoding {
    /// Layer keys of `DissectionRecord`, outermost first.
    static let order = ["link", "ip", "inner_ip", "encapsulation", "udp", "tcp", "stun", "channel_data", "dns", "dns_messages", "tunnel", "quic",
                        "tls_record", "tls", "http", "icmp", "icmpv6", "icmp_quoted", "arp", "dhcp", "dhcpv6"]
    static let skip: Set<String> = ["frame", "interface", "ts_ns", "len", "caplen", "notes", "protocols"]

    static func layers(_ record: DissectionRecord) -> [DecodedLayer] {
        var top: [String: FieldValue] = [:]
        for f in FieldValue(record, keys: .snakeCase).fields { top[f.name] = f.value }
        var layers: [DecodedLayer] = []
        if case .list(let p)? = top["protocols"], !p.isEmpty {
            layers.append(DecodedLayer(name: "frame", fields: [DecodedField("protocols", p.map(\.plainText).joined(separator: ":"))]))
        }
        let keys = order.filter { top[$0] != nil } + top.keys.filter { !order.contains($0) && !skip.contains($0) }.sorted()
        for k in keys {
            guard let v = top[k], v != .null else { continue }
            var fields: [DecodedField] = []
            flatten(v, prefix: "", into: &fields)
            layers.append(DecodedLayer(name: k, fields: fields))
        }
        return layers
    }

    static func flatten(_ v: FieldValue, prefix: String, into out: inout [DecodedField]) {
        switch v {
        case .fields(let f):
            for x in f { flatten(x.value, prefix: prefix.isEmpty ? x.name : "\(prefix).\(x.name)", into: &out) }
        case .list(let a) where a.contains(where: { if case .fields = $0 { true } else { false } }):
            for (i, x) in a.enumerated() { flatten(x, prefix: "\(prefix)[\(i)]", into: &out) }
        case .null:
            break
        case .list(let a) where a.isEmpty:
            break
        case .text(let s) where s.isEmpty:
            break
        default:
            out.append(DecodedField(prefix.isEmpty ? "value" : prefix, v.plainText))
        }
    }

    /// The views of one cited frame, one per finding that shows it (`ids`):
    /// one dissector call per frame (reassembly state is not needed for a
    /// per-frame view), the first `FrameView.hexLimit` bytes as hex.
    static func views(of packet: Packet, interfaceName: String?, file: String, findings ids: [String], dissector: inout Dissector) -> [FrameView] {
        dissector.resetState()
        let d = dissector.dissect(packet)
        let record = DissectionRecord(d, interfaceName: interfaceName)
        let layers = layers(record)
        let bytes = packet.bytes.prefix(FrameView.hexLimit + 1).toArray()
        return ids.map { id in
            var v = FrameView(finding: id, file: file, frame: packet.frameNumber, timeNs: packet.timestampNanoseconds,
                              interface: interfaceName, linkType: packet.linkType.name,
                              originalLength: packet.originalLength, bytes: bytes, layers: layers, notes: record.notes)
            v.capturedLength = packet.capturedLength
            v.hexTruncated = packet.capturedLength > FrameView.hexLimit
            return v
        }
    }
}
