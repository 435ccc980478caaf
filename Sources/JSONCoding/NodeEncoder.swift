/// `Encodable` values into `JSONNode`s. Several `container(keyedBy:)` calls
/// on one encoder fill one object, so a type may encode two values side by
/// side (the record: the analysis and its provenance at the top level).
extension JSONNode {
    init<T: Encodable>(encoding value: T, keys: JSONCoding.KeyStyle) throws(JSONCodingError) {
        let box = EncodingBox()
        do {
            try value.encode(to: NodeEncoder(box: box, codingPath: [], keys: keys))
        } catch let e as JSONCodingError {
            throw e
        } catch {
            throw JSONCodingError(reason: "cannot encode: \(error)")
        }
        self = box.node
    }
}

/// What one value encoded to; filled by whichever container the value asks for.
final class EncodingBox {
    enum Content {
        case empty
        case scalar(JSONNode)
        case object(ObjectBuilder)
        case array(ArrayBuilder)
    }
    var content = Content.empty

    /// A value that encoded nothing is an empty object (as with Foundation's encoder).
    var node: JSONNode {
        switch content {
        case .empty: .object(JSONObject())
        case .scalar(let n): n
        case .object(let o): o.node
        case .array(let a): .array(a.items.map(\.node))
        }
    }
}

final class ObjectBuilder {
    var keys: [String] = []
    var boxes: [String: EncodingBox] = [:]
    func box(for key: String) -> EncodingBox {
        if let b = boxes[key] { b.content = .empty; return b }
        let b = EncodingBox()
        keys.append(key)
        boxes[key] = b
        return b
    }
    var node: JSONNode {
        var o = JSONObject()
        for k in keys { o.set(k, boxes[k]!.node) }
        return .object(o)
    }
}

final class ArrayBuilder {
    var items: [EncodingBox] = []
    func next() -> EncodingBox {
        let b = EncodingBox()
        items.append(b)
        return b
    }
}

struct NodeEncoder: Encoder {
    let box: EncodingBox
    let codingPath: [any CodingKey]
    let keys: JSONCoding.KeyStyle
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(box: EncodingBox, codingPath: [any CodingKey], keys: JSONCoding.KeyStyle) {
        self.box = box; self.codingPath = codingPath; self.keys = keys
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: ObjectBuilder
        if case .object(let o) = box.content {
            object = o
        } else {
            object = ObjectBuilder()
            box.content = .object(object)
        }
        return KeyedEncodingContainer(KeyedNodeEncoder<Key>(object: object, codingPath: codingPath, keys: keys))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: ArrayBuilder
        if case .array(let a) = box.content {
            array = a
        } else {
            array = ArrayBuilder()
            box.content = .array(array)
        }
        return UnkeyedNodeEncoder(array: array, codingPath: codingPath, keys: keys)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeEncoder(box: box, codingPath: codingPath, keys: keys)
    }
}

/// Integers and floating-point values as nodes (UInt64 above Int64.max keeps its value).
@inline(__always) func integerNode<T: FixedWidthInteger>(_ v: T) -> JSONNode {
    if let i = Int64(exactly: v) { return .int(i) }
    return .uint(UInt64(truncatingIfNeeded: v))
}

@inline(__always) func encodeValue<T: Encodable>(
    _ value: T, into box: EncodingBox, codingPath: [any CodingKey], keys: JSONCoding.KeyStyle
) throws {
    try value.encode(to: NodeEncoder(box: box, codingPath: codingPath, keys: keys))
}

struct KeyedNodeEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: ObjectBuilder
    let codingPath: [any CodingKey]
    let keys: JSONCoding.KeyStyle

    func name(_ key: Key) -> String {
        switch keys {
        case .asIs: key.stringValue
        case .snakeCase: snakeCased(key.stringValue)
        }
    }

    func put(_ node: JSONNode, _ key: Key) { object.box(for: name(key)).content = .scalar(node) }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(.double(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(integerNode(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(integerNode(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(integerNode(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(integerNode(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(integerNode(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(integerNode(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(integerNode(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(integerNode(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(integerNode(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(integerNode(value), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encodeValue(value, into: object.box(for: name(key)), codingPath: codingPath + [key], keys: keys)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        NodeEncoder(box: object.box(for: name(key)), codingPath: codingPath + [key], keys: keys).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        NodeEncoder(box: object.box(for: name(key)), codingPath: codingPath + [key], keys: keys).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(box: object.box(for: "super"), codingPath: codingPath, keys: keys)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(box: object.box(for: name(key)), codingPath: codingPath + [key], keys: keys)
    }
}

/// The scalar `encode` overloads of the unkeyed and single-value containers, written once.
protocol ScalarPutting {
    func put(_ node: JSONNode)
}

extension ScalarPutting {
    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(.double(value)) }
    mutating func encode(_ value: Float) throws { put(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { put(integerNode(value)) }
    mutating func encode(_ value: Int8) throws { put(integerNode(value)) }
    mutating func encode(_ value: Int16) throws { put(integerNode(value)) }
    mutating func encode(_ value: Int32) throws { put(integerNode(value)) }
    mutating func encode(_ value: Int64) throws { put(integerNode(value)) }
    mutating func encode(_ value: UInt) throws { put(integerNode(value)) }
    mutating func encode(_ value: UInt8) throws { put(integerNode(value)) }
    mutating func encode(_ value: UInt16) throws { put(integerNode(value)) }
    mutating func encode(_ value: UInt32) throws { put(integerNode(value)) }
    mutating func encode(_ value: UInt64) throws { put(integerNode(value)) }
}

struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "[\(intValue ?? 0)]" }
    init(_ i: Int) { intValue = i }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

struct UnkeyedNodeEncoder: UnkeyedEncodingContainer, ScalarPutting {
    let array: ArrayBuilder
    let codingPath: [any CodingKey]
    let keys: JSONCoding.KeyStyle
    var count: Int { array.items.count }

    func put(_ node: JSONNode) { array.next().content = .scalar(node) }


    mutating func encode<T: Encodable>(_ value: T) throws {
        try encodeValue(value, into: array.next(), codingPath: codingPath + [IndexKey(count)], keys: keys)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        NodeEncoder(box: array.next(), codingPath: codingPath + [IndexKey(count)], keys: keys).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        NodeEncoder(box: array.next(), codingPath: codingPath + [IndexKey(count)], keys: keys).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(box: array.next(), codingPath: codingPath + [IndexKey(count)], keys: keys)
    }
}

struct SingleNodeEncoder: SingleValueEncodingContainer, ScalarPutting {
    let box: EncodingBox
    let codingPath: [any CodingKey]
    let keys: JSONCoding.KeyStyle

    func put(_ node: JSONNode) { box.content = .scalar(node) }


    mutating func encode<T: Encodable>(_ value: T) throws {
        try encodeValue(value, into: box, codingPath: codingPath, keys: keys)
    }
}

/// Foundation's `convertToSnakeCase`: a word starts at each upper-case letter,
/// a run of capitals is one word ("sourceMAC" -> "source_mac",
/// "dnsIDValue" -> "dns_id_value"), everything lower-cased.
func snakeCased(_ key: String) -> String {
    let u = Array(key.utf8)
    guard !u.isEmpty else { return key }
    func upper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    func lower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
    var words: [Range<Int>] = []
    var wordStart = 0
    var search = 1
    while let up = (search..<u.count).first(where: { upper(u[$0]) }) {
        words.append(wordStart..<up)
        guard let low = (up..<u.count).first(where: { lower(u[$0]) }) else {
            wordStart = up
            search = u.count
            break
        }
        if low == up + 1 {
            wordStart = up
        } else {
            words.append(up..<(low - 1))
            wordStart = low - 1
        }
        search = low + 1
    }
    words.append(wordStart..<u.count)
    var out: [UInt8] = []
    for (i, w) in words.enumerated() {
        if i > 0 { out.append(UInt8(ascii: "_")) }
        for c in u[w] { out.append(upper(c) ? c + 32 : c) }
    }
    return String(decoding: out, as: UTF8.self)
}
