import Dissectors
import Foundation

/// Turns the dissector's per-frame output record into the record's layer
/// list (name + text fields), so renderers show decoded frames without
/// decoding anything.
enum FrameDecoding {
    /// Layer keys of `DissectionRecord`, outermost first.
    static let order = ["link", "ip", "inner_ip", "encapsulation", "udp", "tcp", "stun", "channel_data", "dns", "dns_messages", "tunnel", "quic",
                        "tls_record", "tls", "http", "icmp", "icmpv6", "icmp_quoted", "arp", "dhcp", "dhcpv6"]
    static let skip: Set<String> = ["frame", "interface", "ts_ns", "len", "caplen", "notes", "protocols"]

    struct Result { var layers: [DecodedLayer] }

    static func layers(_ record: DissectionRecord) -> Result {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(record),
              let json = try? JSONParser.parse([UInt8](data)),
              let o = json.objectValue
        else { return Result(layers: []) }
        var layers: [DecodedLayer] = []
        let protocols = o["protocols"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if !protocols.isEmpty { layers.append(DecodedLayer(name: "frame", fields: [DecodedField("protocols", protocols.joined(separator: ":"))])) }
        let keys = order.filter { o[$0] != nil } + o.keys.filter { !order.contains($0) && !skip.contains($0) }.sorted()
        for k in keys {
            guard let v = o[k], v != .null else { continue }
            var fields: [DecodedField] = []
            flatten(v, prefix: "", into: &fields)
            layers.append(DecodedLayer(name: k, fields: fields))
        }
        return Result(layers: layers)
    }

    static func flatten(_ v: JSONValue, prefix: String, into out: inout [DecodedField]) {
        switch v {
        case .object(let o):
            for k in o.keys.sorted() { flatten(o[k]!, prefix: prefix.isEmpty ? k : "\(prefix).\(k)", into: &out) }
        case .array(let a) where a.contains(where: { $0.objectValue != nil }):
            for (i, x) in a.enumerated() { flatten(x, prefix: "\(prefix)[\(i)]", into: &out) }
        case .null:
            break
        case .array(let a) where a.isEmpty:
            break
        case .string(let str) where str.isEmpty:
            break
        default:
            out.append(DecodedField(prefix.isEmpty ? "value" : prefix, v.plainText))
        }
    }

    static func notes(_ d: Dissection) -> [String] {
        DissectionRecord(d, interfaceName: nil).notes
    }
}
