/// A typed value's fields under their record keys, for a renderer that shows
/// every key of a value without naming each one: the evidence tables of the
/// HTML and Markdown reports (a key the correlator adds to `Evidence` shows
/// up there with no renderer change) and the decoded layers of a frame view.
/// Made from the value's `Encodable` conformance, so the names are the ones
/// the JSON record uses; it is made where it is shown and never stored or
/// read back (the record holds the typed value).
public indirect enum FieldValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// As JSON writes it.
    case number(String)
    case text(String)
    case list([FieldValue])
    /// Fields sorted by name (UTF-8 order, as in the record).
    case fields([Field])

    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: FieldValue
    }

    /// The fields of `value`; a value that cannot be encoded shows as no fields.
    public init<T: Encodable>(_ value: T, keys: JSONCoding.KeyStyle = .asIs) {
        guard let node = try? JSONNode(encoding: value, keys: keys) else { self = .fields([]); return }
        self.init(node)
    }

    init(_ node: JSONNode) {
        switch node {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(String(i))
        case .uint(let u): self = .number(String(u))
        case .double(let d): self = .number(d.isFinite ? "\(d)" : "null")
        case .string(let s): self = .text(s)
        case .array(let a): self = .list(a.map(FieldValue.init))
        case .object(let o):
            let order = o.keys.indices.sorted { o.keys[$0].utf8.lexicographicallyPrecedes(o.keys[$1].utf8) }
            self = .fields(order.map { Field(name: o.keys[$0], value: FieldValue(o.values[$0])) })
        }
    }

    /// The fields of a `.fields` value (empty for any other).
    public var fields: [Field] {
        if case .fields(let f) = self { return f }
        return []
    }

    public var isEmpty: Bool {
        switch self {
        case .null: true
        case .text(let s): s.isEmpty
        case .list(let a): a.isEmpty
        case .fields(let f): f.isEmpty
        default: false
        }
    }

    /// One line of plain text for a table cell (strings unquoted, lists
    /// comma-joined, fields as `name: value; ...`); renderers escape it by
    /// their own rules.
    public var plainText: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "yes" : "no"
        case .number(let n): n
        case .text(let s): s
        case .list(let a): a.map(\.plainText).joined(separator: ", ")
        case .fields(let f): f.map { "\($0.name): \($0.value.plainText)" }.joined(separator: "; ")
        }
    }
}
