/// An object of the analysis contract kept as its JSON fields, with typed
/// accessors for the keys the renderers read. Keys the correlator adds later
/// pass through to the record unchanged.
public protocol JSONObject: Codable, Sendable, Hashable {
    var fields: [String: JSONValue] { get set }
    init(fields: [String: JSONValue])
}

extension JSONObject {
    public init(from decoder: any Decoder) throws {
        self.init(fields: try [String: JSONValue](from: decoder))
    }
    public func encode(to encoder: any Encoder) throws { try fields.encode(to: encoder) }

    public subscript(key: String) -> JSONValue? {
        get { fields[key] }
        set { fields[key] = newValue }
    }
    public func string(_ key: String) -> String? { fields[key]?.stringValue }
    public func int(_ key: String) -> Int64? { fields[key]?.intValue }
    public func ints(_ key: String) -> [Int64] { fields[key]?.arrayValue?.compactMap(\.intValue) ?? [] }
}

/// `verdict`: status and the reason in plain words.
public struct RecordVerdict: JSONObject {
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public init(status: String, reason: String) { fields = ["status": .string(status), "reason": .string(reason)] }
    /// "leaks-found", "no-leak-seen" or "cannot-tell".
    public var status: String { string("status") ?? "cannot-tell" }
    public var reason: String { string("reason") ?? "" }
}

/// `tunnel`: the interface roles, VPN endpoints and host addresses, each with
/// what decided it.
public struct RecordTunnel: JSONObject {
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public var interfaces: [RecordInterfaceRole] { objects("interfaces") }
    public var vpnEndpoints: [JSONValue] { fields["vpn_endpoints"]?.arrayValue ?? [] }
    public var hostAddresses: [JSONValue] { fields["host_addresses"]?.arrayValue ?? [] }

    /// The entry for interface `id` of `input` (a classic pcap's interface has
    /// no name in the file; the analysis gives it one).
    public func interface(of input: InputFile, id: Int) -> RecordInterfaceRole? {
        interfaces.first { ($0.file == nil || input.isNamed($0.file!)) && $0.id == Int64(id) }
    }
    func objects(_ key: String) -> [RecordInterfaceRole] {
        (fields[key]?.arrayValue ?? []).compactMap { $0.objectValue.map(RecordInterfaceRole.init(fields:)) }
    }
}

/// One entry of `tunnel.interfaces`.
public struct RecordInterfaceRole: JSONObject {
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public var file: String? { string("file") }
    public var id: Int64? { int("id") }
    public var name: String? { string("name") }
    public var role: String { string("role") ?? "unknown" }
    public var decidedBy: String? { string("decided_by") }
}

/// One entry of `findings`.
public struct RecordFinding: JSONObject {
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public var id: String { string("id") ?? "?" }
    public var leakClass: String { string("class") ?? "unknown" }
    public var severity: String { string("severity") ?? "low" }
    public var title: String { string("title") ?? "" }
    public var file: String { string("file") ?? "" }
    public var interface: String? { string("interface") }
    public var firstNs: Int64? { int("first_ns") }
    public var lastNs: Int64? { int("last_ns") }
    public var packets: Int64 { int("packets") ?? Int64(frames.count) }
    public var bytes: Int64 { int("bytes") ?? 0 }
    /// Frame numbers in `file`, counted from 1 as tshark does.
    public var frames: [Int64] { ints("frames") }
    public var evidence: [String: JSONValue] { fields["evidence"]?.objectValue ?? [:] }
    /// Index of `file` among the inputs, when the correlator gives it.
    public var fileIndex: Int? { int("file_index").map(Int.init) }

    /// The input this finding's frames are in: `file_index`, else by name.
    public func input(in inputs: [InputFile]) -> InputFile? {
        if let i = fileIndex, let input = inputs.first(where: { $0.index == i }) { return input }
        return inputs.first { $0.isNamed(file) }
    }
}

/// One entry of `observations` (mDNS/LLMNR/NBNS names on the link: never a leak).
public struct RecordObservation: JSONObject {
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public var kind: String { string("kind") ?? "" }
}

/// One entry of `exposed_public_addresses`.
public struct RecordExposedAddress: JSONObject {
    public var fields: [String: JSONValue]
    public init(fields: [String: JSONValue]) { self.fields = fields }
    public var address: String { string("address") ?? "" }
    public var how: String { string("how") ?? "" }
    public var path: String? { string("path") }
}
