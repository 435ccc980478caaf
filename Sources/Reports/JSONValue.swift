/// Any JSON value. The record keeps class-specific evidence and keys the
/// correlator adds later in this form, so a new key survives the round trip
/// from the correlator to the record without the reports knowing it.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        // The decoder is strict about types, so the order only picks the
        // narrowest number type.
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var intValue: Int64? {
        switch self {
        case .int(let i): i
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: Int64(d)
        default: nil
        }
    }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }

    /// A one-line plain-text form for tables (strings unquoted, arrays
    /// comma-joined); renderers escape it by their own rules.
    public var plainText: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "yes" : "no"
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .array(let a): a.map(\.plainText).joined(separator: ", ")
        case .object(let o):
            o.keys.sorted().map { "\($0): \(o[$0]!.plainText)" }.joined(separator: "; ")
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

/// Coding keys for objects whose key set is open.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Decodes the keys of an object that a typed struct does not name, so they
/// can be written back unchanged.
func extraKeys(from decoder: any Decoder, known: Set<String>) throws -> [String: JSONValue] {
    let c = try decoder.container(keyedBy: AnyKey.self)
    var extra: [String: JSONValue] = [:]
    for k in c.allKeys where !known.contains(k.stringValue) {
        extra[k.stringValue] = try c.decode(JSONValue.self, forKey: k)
    }
    return extra
}

func encodeExtra(_ extra: [String: JSONValue], to encoder: any Encoder) throws {
    guard !extra.isEmpty else { return }
    var c = encoder.container(keyedBy: AnyKey.self)
    for (k, v) in extra { try c.encode(v, forKey: AnyKey(k)) }
}
