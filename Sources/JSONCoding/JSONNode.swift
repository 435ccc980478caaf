import OutputText

/// A JSON value inside this module only: what the encoder builds before
/// writing (keys are sorted at write time) and what the reader parses before
/// the decoder hands typed values out. Nothing outside JSONCoding sees it.
indirect enum JSONNode: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case array([JSONNode])
    case object(JSONObject)
}

/// Keys and values in document order; `id` numbers the objects of a parsed
/// document so the decoder can tell which keys it read. Large objects get a
/// key index so a hostile document with many keys cannot make lookups quadratic.
struct JSONObject: Sendable {
    var id: Int
    private(set) var keys: [String]
    var values: [JSONNode]
    private var lookup: [String: Int]?

    init(id: Int = -1) {
        self.id = id; keys = []; values = []
    }

    /// Sets `key` (replacing an earlier value, as a repeated key in a document does).
    mutating func set(_ key: String, _ value: JSONNode) {
        if let i = index(of: key) { values[i] = value; return }
        keys.append(key)
        values.append(value)
        if lookup != nil {
            lookup![key] = keys.count - 1
        } else if keys.count > 16 {
            lookup = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    func index(of key: String) -> Int? {
        if let lookup { return lookup[key] }
        for i in keys.indices where keys[i] == key { return i }
        return nil
    }
}

extension JSONNode {
    /// Puts `value` at `path` (a key path whose last component is a key),
    /// where the enclosing objects and arrays exist; elsewhere it is dropped.
    mutating func insert(_ value: JSONNode, at path: ArraySlice<JSONPathComponent>) {
        guard let first = path.first else { return }
        let rest = path.dropFirst()
        switch (self, first) {
        case (.object(var o), .key(let k)):
            if rest.isEmpty {
                o.set(k, value)
            } else if let i = o.index(of: k) {
                o.values[i].insert(value, at: rest)
            } else {
                return
            }
            self = .object(o)
        case (.array(var a), .index(let i)) where a.indices.contains(i) && !rest.isEmpty:
            a[i].insert(value, at: rest)
            self = .array(a)
        default:
            return
        }
    }
}

/// The bytes of a node. The rules are the record's (docs/reports.md): keys
/// sorted by UTF-8 bytes; pretty: two-space indent, `"key": value`, a list of
/// scalars on one line when it fits in 100 characters.
enum JSONWriter {
    static func write(_ v: JSONNode, indent: Int, pretty: Bool, into out: inout [UInt8]) {
        switch v {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): integer(i, into: &out)
        case .uint(let u): integer(u, into: &out)
        case .double(let d): out += (d.isFinite ? "\(d)" : "null").utf8
        case .string(let s): string(s, into: &out)
        case .array(let a):
            if a.isEmpty { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            if !pretty || isShortScalarList(a) {
                for (i, x) in a.enumerated() {
                    if i > 0 { out += (pretty ? ", " : ",").utf8 }
                    write(x, indent: indent, pretty: pretty, into: &out)
                }
            } else {
                for (i, x) in a.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    newline(indent + 1, into: &out)
                    write(x, indent: indent + 1, pretty: true, into: &out)
                }
                newline(indent, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.keys.isEmpty { out += "{}".utf8; return }
            let order = o.keys.indices.sorted { o.keys[$0].utf8.lexicographicallyPrecedes(o.keys[$1].utf8) }
            out.append(UInt8(ascii: "{"))
            for (n, i) in order.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(indent + 1, into: &out) }
                string(o.keys[i], into: &out)
                out += (pretty ? ": " : ":").utf8
                write(o.values[i], indent: indent + 1, pretty: pretty, into: &out)
            }
            if pretty { newline(indent, into: &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func newline(_ indent: Int, into out: inout [UInt8]) {
        let n = 1 + indent * 2
        if n <= newlineAndSpaces.count {
            newlineAndSpaces.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<n])) }
        } else {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: indent * 2))
        }
    }

    /// A newline and the indentation of the first 32 levels, copied in one go.
    static let newlineAndSpaces: [UInt8] = [0x0A] + [UInt8](repeating: 0x20, count: 64)

    /// Scalars only, and at most 100 bytes when written compactly with ", ".
    static func isShortScalarList(_ a: [JSONNode]) -> Bool {
        var budget = 100
        for x in a {
            switch x {
            case .array, .object: return false
            case .string(let s): budget -= s.utf8.count + 4
            default: budget -= 22
            }
            if budget < 0 {
                // The estimate was rough: decide on the exact length.
                var buf: [UInt8] = []
                for x in a { write(x, indent: 0, pretty: false, into: &buf) }
                return buf.count + 2 * a.count <= 100  // brackets and ", " separators
            }
        }
        return true
    }

}
