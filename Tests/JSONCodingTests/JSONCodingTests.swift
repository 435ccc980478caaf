import JSONCoding
import Testing

fileprivate struct Inner: Codable, Equatable {
    var name: String
    var count: Int
    var ratio: Double?
}

fileprivate struct Outer: Codable, Equatable {
    var zeta: [Int]
    var alpha: String
    var inner: [Inner]
    var flag: Bool
    var big: UInt64
    var table: [String: Int]
}

fileprivate struct Camel: Encodable {
    var sourcePort = 1
    var sourceMAC = "m"
    var dnsIDValue = 2
    var tsNs = 3
}

@Suite struct JSONCodingTests {
    fileprivate static let outer = Outer(zeta: [3, 1, 2], alpha: "a\"b\\c\n", inner: [Inner(name: "x", count: 1, ratio: 0.5), Inner(name: "y", count: -2)],
                             flag: true, big: UInt64.max, table: ["b": 2, "a": 1, "a_b": 3])

    @Test func prettyLayoutSortsKeysByUTF8() throws {
        let text = String(decoding: try JSONCoding.encode(Self.outer), as: UTF8.self)
        #expect(text == """
            {
              "alpha": "a\\"b\\\\c\\n",
              "big": 18446744073709551615,
              "flag": true,
              "inner": [
                {
                  "count": 1,
                  "name": "x",
                  "ratio": 0.5
                },
                {
                  "count": -2,
                  "name": "y"
                }
              ],
              "table": {
                "a": 1,
                "a_b": 3,
                "b": 2
              },
              "zeta": [3, 1, 2]
            }

            """)
    }

    @Test func compactLayoutAndSnakeCaseKeys() throws {
        #expect(String(decoding: try JSONCoding.encode(Camel(), layout: .compact, keys: .snakeCase), as: UTF8.self)
            == #"{"dns_id_value":2,"source_mac":"m","source_port":1,"ts_ns":3}"#)
    }

    @Test func sameValueSameBytesAndRoundTrip() throws {
        let a = try JSONCoding.encode(Self.outer), b = try JSONCoding.encode(Self.outer)
        #expect(a == b)
        let back = try JSONCoding.decode(Outer.self, from: a)
        #expect(back.value == Self.outer)
        #expect(back.unknownKeys.isEmpty)
    }

    @Test func controlsAndBidiAreEscapedInStrings() throws {
        // C0, DEL, C1, the bidirectional controls and U+2028 as \u escapes; other text raw.
        let s = "\u{1}\u{7F}\u{85}\u{202E}\u{2066}\u{200F}\u{2028}é→"
        let text = String(decoding: try JSONCoding.encode([s], layout: .compact), as: UTF8.self)
        #expect(text == #"["\u0001\u007f\u0085\u202e\u2066\u200f\u2028é→"]"#)
        #expect(try JSONCoding.decode([String].self, from: Array(text.utf8)).value == [s])
    }

    @Test func unknownKeysAreKeptAndWrittenBack() throws {
        let newer = #"{"alpha":"a","big":1,"flag":false,"future":{"x":[1,2]},"inner":[{"count":1,"name":"x","extra":"e"}],"table":{},"zeta":[]}"#
        let d = try JSONCoding.decode(Outer.self, from: Array(newer.utf8))
        #expect(d.unknownKeys.map(\.path.jsonPath) == ["future", "inner[0].extra"])
        #expect(d.unknownKeys.map(\.value.text) == [#"{"x":[1,2]}"#, #""e""#])
        let again = try JSONCoding.encode(d.value, layout: .compact, keeping: d.unknownKeys)
        #expect(String(decoding: again, as: UTF8.self) == #"{"alpha":"a","big":1,"flag":false,"future":{"x":[1,2]},"inner":[{"count":1,"extra":"e","name":"x"}],"table":{},"zeta":[]}"#)
    }

    @Test func errorsSayWhereAndWhat() {
        #expect(throws: JSONCodingError(reason: "expected ',' or '}'", offset: 8)) {
            try JSONCoding.decode(Inner.self, from: Array(#"{"a": 1 "b"}"#.utf8))
        }
        #expect(throws: JSONCodingError(reason: "missing key \"count\"", path: "inner[1]")) {
            try JSONCoding.decode(Outer.self, from: Array(#"{"alpha":"a","big":1,"flag":false,"inner":[{"count":1,"name":"x"},{"name":"y"}],"table":{},"zeta":[]}"#.utf8))
        }
        do {
            _ = try JSONCoding.decode(Inner.self, from: Array(#"{"name": 5, "count": 1}"#.utf8))
            Issue.record("a number is not a string")
        } catch {
            #expect(error.path == "name")
        }
        // Nesting is bounded, so a hostile record cannot exhaust the stack.
        #expect(throws: JSONCodingError.self) {
            try JSONCoding.decode([Int].self, from: Array(String(repeating: "[", count: 100_000).utf8))
        }
    }

    @Test func fieldValuesListEveryKeyInRecordOrder() {
        let f = FieldValue(Inner(name: "x", count: 2, ratio: nil))
        #expect(f.fields.map(\.name) == ["count", "name"])
        #expect(f.plainText == "count: 2; name: x")
        #expect(FieldValue([true, false]).plainText == "yes, no")
    }
}
