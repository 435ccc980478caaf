/// A parsed JSON document that typed values are decoded from. It remembers
/// which keys of which objects the decoded types read, so the keys nothing
/// read (a newer minor version's additions) can be kept as `UnknownKey`s
/// instead of disappearing. One document may be decoded as several types
/// (the record: the analysis and its provenance share the top level); a key
/// counts as known when any of them read it.
public final class JSONDocument {
    let root: JSONNode
    /// Per object id: which of its keys (by position) a keyed container read;
    /// nil for objects no keyed container opened (their whole value was taken).
    var used: [[Bool]?]

    public init(parsing bytes: [UInt8]) throws(JSONCodingError) {
        let (root, objects) = try JSONReader.parse(bytes)
        self.root = root
        used = Array(repeating: nil, count: objects)
    }

    public func decode<T: Decodable>(_ type: T.Type) throws(JSONCodingError) -> T {
        do {
            return try T(from: NodeDecoder(node: root, document: self, codingPath: []))
        } catch let e as JSONCodingError {
            throw e
        } catch let e as DecodingError {
            throw JSONCodingError(e)
        } catch {
            throw JSONCodingError(reason: "\(error)")
        }
    }

    /// The string at a top-level key, read without a type (the schema version
    /// before choosing how to decode). Not counted as read.
    public func topLevelString(_ key: String) -> String? {
        guard case .object(let o) = root, let i = o.index(of: key), case .string(let s) = o.values[i] else { return nil }
        return s
    }

    /// Keys of objects that a decoded type opened but did not read, in document order.
    public func unknownKeys() -> [UnknownKey] {
        var out: [UnknownKey] = []
        var path: [JSONPathComponent] = []
        collect(root, path: &path, into: &out)
        return out
    }

    func collect(_ node: JSONNode, path: inout [JSONPathComponent], into out: inout [UnknownKey]) {
        switch node {
        case .object(let o):
            guard o.id >= 0, o.id < used.count, let read = used[o.id] else { return }
            for i in o.keys.indices {
                path.append(.key(o.keys[i]))
                if read[i] {
                    collect(o.values[i], path: &path, into: &out)
                } else {
                    out.append(UnknownKey(path: path, value: OpaqueJSON(o.values[i])))
                }
                path.removeLast()
            }
        case .array(let a):
            for (i, x) in a.enumerated() {
                path.append(.index(i))
                collect(x, path: &path, into: &out)
                path.removeLast()
            }
        default:
            return
        }
    }

    func markOpened(_ o: JSONObject) {
        guard o.id >= 0, o.id < used.count, used[o.id] == nil else { return }
        used[o.id] = Array(repeating: false, count: o.keys.count)
    }

    func markRead(_ o: JSONObject, _ index: Int) {
        guard o.id >= 0, o.id < used.count else { return }
        used[o.id]?[index] = true
    }
}

extension JSONCodingError {
    init(_ e: DecodingError) {
        func where_(_ c: DecodingError.Context) -> String { c.codingPath.jsonPath }
        switch e {
        case .keyNotFound(let key, let c):
            self.init(reason: "missing key \"\(key.stringValue)\"", path: where_(c))
        case .typeMismatch(let t, let c):
            self.init(reason: "expected \(Self.name(t)) (\(c.debugDescription))", path: where_(c))
        case .valueNotFound(let t, let c):
            self.init(reason: "expected \(Self.name(t)), found null", path: where_(c))
        case .dataCorrupted(let c):
            self.init(reason: c.debugDescription, path: where_(c))
        @unknown default:
            self.init(reason: "\(e)")
        }
    }

    static func name(_ t: Any.Type) -> String {
        switch t {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is any FixedWidthInteger.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        default: "\(t)"
        }
    }
}

extension [any CodingKey] {
    var jsonPath: String {
        map { k -> JSONPathComponent in k.intValue.map { .index($0) } ?? .key(k.stringValue) }.jsonPath
    }
}

struct NodeDecoder: Decoder {
    let node: JSONNode
    let document: JSONDocument
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch(_ expected: String) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(node.kind)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let o) = node else { throw mismatch("an object") }
        document.markOpened(o)
        return KeyedDecodingContainer(KeyedNodeDecoder<Key>(object: o, document: document, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let a) = node else { throw mismatch("a list") }
        return UnkeyedNodeDecoder(items: a, document: document, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleNodeDecoder(node: node, document: document, codingPath: codingPath)
    }
}

extension JSONNode {
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "true/false"
        case .int, .uint, .double: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }

    func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
        switch self {
        case .int(let i): T(exactly: i)
        case .uint(let u): T(exactly: u)
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: T(exactly: Int64(d))
        default: nil
        }
    }

    var double: Double? {
        switch self {
        case .int(let i): Double(i)
        case .uint(let u): Double(u)
        case .double(let d): d
        default: nil
        }
    }
}

/// Reads scalars out of nodes; shared by the three container kinds.
protocol NodeReading {
    var document: JSONDocument { get }
}

extension NodeReading {
    func scalar<T>(_ node: JSONNode, _ path: @autoclosure () -> [any CodingKey], as _: T.Type) throws -> T {
        let found: Any? = switch T.self {
        case is String.Type: { if case .string(let s) = node { s } else { nil } }()
        case is Bool.Type: { if case .bool(let b) = node { b } else { nil } }()
        case is Double.Type: node.double
        case is Float.Type: node.double.map { Float($0) }
        case is Int.Type: node.integer(Int.self)
        case is Int8.Type: node.integer(Int8.self)
        case is Int16.Type: node.integer(Int16.self)
        case is Int32.Type: node.integer(Int32.self)
        case is Int64.Type: node.integer(Int64.self)
        case is UInt.Type: node.integer(UInt.self)
        case is UInt8.Type: node.integer(UInt8.self)
        case is UInt16.Type: node.integer(UInt16.self)
        case is UInt32.Type: node.integer(UInt32.self)
        case is UInt64.Type: node.integer(UInt64.self)
        default: nil
        }
        guard let v = found as? T else {
            throw DecodingError.typeMismatch(T.self, .init(codingPath: path(), debugDescription: "found \(node.kind)"))
        }
        return v
    }
}

struct KeyedNodeDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol, NodeReading {
    let object: JSONObject
    let document: JSONDocument
    let codingPath: [any CodingKey]

    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { object.index(of: key.stringValue) != nil }

    /// The value at `key`, marked as read.
    func node(_ key: Key) throws -> JSONNode {
        guard let i = object.index(of: key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        document.markRead(object, i)
        return object.values[i]
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try node(key) { return true }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try scalar(node(key), codingPath + [key], as: type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try scalar(node(key), codingPath + [key], as: type) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: NodeDecoder(node: node(key), document: document, codingPath: codingPath + [key]))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try NodeDecoder(node: node(key), document: document, codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try NodeDecoder(node: node(key), document: document, codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        NodeDecoder(node: .object(object), document: document, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try NodeDecoder(node: node(key), document: document, codingPath: codingPath + [key])
    }
}

struct UnkeyedNodeDecoder: UnkeyedDecodingContainer, NodeReading {
    let items: [JSONNode]
    let document: JSONDocument
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [JSONNode], document: JSONDocument, codingPath: [any CodingKey]) {
        self.items = items; self.document = document; self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next<T>(_ type: T.Type) throws -> (JSONNode, [any CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "the list ended"))
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if case .null = items[currentIndex] { currentIndex += 1; return true }
        return false
    }

    mutating func decodeScalar<T>(_ type: T.Type) throws -> T {
        let (n, p) = try next(type)
        return try scalar(n, p, as: type)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeScalar(type) }
    mutating func decode(_ type: String.Type) throws -> String { try decodeScalar(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decodeScalar(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decodeScalar(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decodeScalar(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeScalar(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeScalar(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeScalar(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeScalar(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeScalar(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeScalar(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeScalar(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeScalar(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeScalar(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (n, p) = try next(type)
        return try T(from: NodeDecoder(node: n, document: document, codingPath: p))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (n, p) = try next(JSONObject.self)
        return try NodeDecoder(node: n, document: document, codingPath: p).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (n, p) = try next([Any].self)
        return try NodeDecoder(node: n, document: document, codingPath: p).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (n, p) = try next(Any.self)
        return NodeDecoder(node: n, document: document, codingPath: p)
    }
}

struct SingleNodeDecoder: SingleValueDecodingContainer, NodeReading {
    let node: JSONNode
    let document: JSONDocument
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = node { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try scalar(node, codingPath, as: type) }
    func decode(_ type: String.Type) throws -> String { try scalar(node, codingPath, as: type) }
    func decode(_ type: Double.Type) throws -> Double { try scalar(node, codingPath, as: type) }
    func decode(_ type: Float.Type) throws -> Float { try scalar(node, codingPath, as: type) }
    func decode(_ type: Int.Type) throws -> Int { try scalar(node, codingPath, as: type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try scalar(node, codingPath, as: type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try scalar(node, codingPath, as: type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try scalar(node, codingPath, as: type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try scalar(node, codingPath, as: type) }
    func decode(_ type: UInt.Type) throws -> UInt { try scalar(node, codingPath, as: type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(node, codingPath, as: type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(node, codingPath, as: type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(node, codingPath, as: type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(node, codingPath, as: type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: NodeDecoder(node: node, document: document, codingPath: codingPath))
    }
}
