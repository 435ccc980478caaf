import JSONCoding
import Testing

/// The streaming encoder must give the tree encoder's bytes, for every shape a
/// `Codable` type can take: sorted keys, one-line lists of scalars and where
/// that rule changes its mind, nested containers, dictionaries, empties.
fileprivate struct Leaf: Codable {
    var name: String
    var count: Int
    var ratio: Double?
}

fileprivate struct Shapes: Encodable {
    var zeta: [Int]
    var alpha: String
    var leaves: [Leaf]
    var flag: Bool
    var big: UInt64
    var small: Int8 = -3
    var float: Float = 0.1
    var table: [String: Int]
    var many: [String: String]
    var empty: [Int] = []
    var emptyObjects: [Leaf] = []
    var strings: [String]
    var nested: [[Int]]
    var optionals: [Int?]
    var mixedNulls: [Leaf?]
    var bigList: [Int]
    var none: String? = nil
    var unicode = "é\u{202E}\u{2028}\u{7F}\u{9B}\t"
}

/// An `encode(to:)` written by hand: keys out of order, a repeated key, nested containers,
/// two keyed containers on one encoder, and a super encoder.
fileprivate struct HandWritten: Encodable {
    enum K: String, CodingKey { case b, a, c, d, e }
    enum N: String, CodingKey { case y, x }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: K.self)
        try c.encode(2, forKey: .b)
        try c.encode("first", forKey: .a)
        var n = c.nestedContainer(keyedBy: N.self, forKey: .c)
        try n.encode(true, forKey: .y)
        try n.encode([1, 2], forKey: .x)
        var u = c.nestedUnkeyedContainer(forKey: .d)
        try u.encode("u")
        var un = u.nestedContainer(keyedBy: N.self)
        try un.encode(1, forKey: .x)
        try u.encode(3)
        let s = c.superEncoder(forKey: .e)
        var sc = s.singleValueContainer()
        try sc.encode("super")
        var c2 = encoder.container(keyedBy: K.self)
        try c2.encode("second", forKey: .a)  // replaces "first", as the tree does
    }
}

fileprivate struct Wrapper<T: Encodable>: Encodable {
    var value: T
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

/// Asks for an object, then for a single value: the tree keeps the last (the scalar).
fileprivate struct Mixed: Encodable {
    enum K: String, CodingKey { case a }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: K.self)
        try c.encode(1, forKey: .a)
        var s = encoder.singleValueContainer()
        try s.encode("scalar")
    }
}

fileprivate struct Nothing: Encodable {
    func encode(to encoder: any Encoder) throws {}
}

@Suite struct StreamEncoderTests {
    static func streamed<T: Encodable>(_ v: T, layout: JSONCoding.Layout = .pretty, keys: JSONCoding.KeyStyle = .asIs,
                                       chunk: Int = 7) throws -> [UInt8] {
        var out: [UInt8] = []
        var pieces = 0
        try JSONCoding.encode(v, layout: layout, keys: keys, chunk: chunk) { out += $0; pieces += 1 }
        return out
    }

    static func same<T: Encodable>(_ v: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for layout in [JSONCoding.Layout.pretty, .compact] {
            for keys in [JSONCoding.KeyStyle.asIs, .snakeCase] {
                let tree = try JSONCoding.encode(v, layout: layout, keys: keys)
                let stream = try streamed(v, layout: layout, keys: keys)
                #expect(String(decoding: stream, as: UTF8.self) == String(decoding: tree, as: UTF8.self), sourceLocation: sourceLocation)
            }
        }
    }

    fileprivate static let shapes = Shapes(
        zeta: [3, 1, 2], alpha: "a\"b\\c\n", leaves: [Leaf(name: "x", count: 1, ratio: 0.5), Leaf(name: "y", count: -2)],
        flag: true, big: UInt64.max, table: ["b": 2, "a": 1, "a_b": 3],
        many: Dictionary(uniqueKeysWithValues: (0..<100).map { ("k\($0)", "v\($0)") }),
        strings: ["short", "list"], nested: [[1, 2], [], [3]], optionals: [1, nil, 3], mixedNulls: [nil, Leaf(name: "z", count: 0)],
        bigList: Array(0..<300))

    @Test func givesTheTreeBytes() throws {
        try Self.same(Self.shapes)
        try Self.same(HandWritten())
        try Self.same([HandWritten(), HandWritten()])
        // Two levels down values are collected in one run, not replayed: the same shapes there.
        try Self.same([[HandWritten(), HandWritten()]])
        try Self.same([[Self.shapes]])
        try Self.same(Mixed())
        try Self.same([[Mixed(), Mixed()]])
        try Self.same([[Nothing()], []])
        try Self.same([[Wrapper(value: Nothing())]])
        try Self.same(Wrapper(value: Self.shapes))
        try Self.same(Wrapper(value: "s"))
        try Self.same(Nothing())
        try Self.same([Nothing()])
        try Self.same(Wrapper(value: Nothing()))
        try Self.same(42)
        try Self.same("top")
        try Self.same([String: Leaf]())
        try Self.same([Int]())
    }

    /// Around the one-line rule: the rough budget (a string costs its UTF-8 length + 4, anything
    /// else 22) runs out, then the exact 100 bytes decide, over the whole list.
    @Test func shortListRuleAtItsEdges() throws {
        for n in 0..<40 {
            try Self.same(Array(repeating: 7, count: n))
            try Self.same(Array(repeating: 123_456_789, count: n))
            try Self.same(Array(repeating: "ab", count: n))
            try Self.same(Array(repeating: "\n\u{1}", count: n))  // escapes make the exact form longer than the rough one
            try Self.same((0..<n).map { $0 % 3 == 0 ? nil : $0 } as [Int?])
            // Scalars past the rough budget, then an object: the tree's exact check covers the object too.
            let nulls: [Leaf?] = Array(repeating: nil, count: n) + [Leaf(name: "q", count: 1)]
            try Self.same(nulls)
            try Self.same(Array(repeating: 1, count: n).map { [$0] })
            try Self.same([Array(repeating: 1, count: n)])
        }
        for len in 90..<100 { try Self.same([String(repeating: "x", count: len)]) }
    }

    @Test func sinkErrorsComeBackAsTheyAre() throws {
        struct Full: Error, Equatable {}
        #expect(throws: Full()) {
            try JSONCoding.encode(Self.shapes, chunk: 16) { _ in throw Full() }
        }
    }

    @Test func writesInBoundedPieces() throws {
        let big = Array(repeating: Self.shapes, count: 200)
        var largest = 0, total = 0
        try JSONCoding.encode(big, chunk: 4_096) { largest = max(largest, $0.count); total += $0.count }
        #expect(total == (try JSONCoding.encode(big)).count)
        // One element (a `Shapes`, about 3 KB pretty) past the chunk at most.
        #expect(largest < 4_096 + 8_192)
    }
}
