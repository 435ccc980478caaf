import OutputText
import Testing

@Suite struct HexTests {
    @Test func bytesAndNumbers() {
        #expect(Hex.string([0x12, 0x34, 0x56, 0x78, 0x9a]) == "123456789a")
        #expect(Hex.string([UInt8]()) == "")
        #expect(Hex.string([0x02, 0x00, 0x5e, 0x00, 0x00, 0x01], separator: ":") == "02:00:5e:00:00:01")
        #expect(Hex.digits(UInt32(0xA1B2_C3D4)) == "a1b2c3d4")
        #expect(Hex.digits(UInt16(12)) == "000c")
        #expect(Hex.digits(UInt8(0x1c), count: 2) == "1c")
        #expect(Hex.digits(0x12345, count: 4) == "2345")  // the low digits only
        #expect(Hex.number(UInt16(0x0101)) == "0x0101")
        #expect(Hex.number(UInt32(0x00ab_cdef), count: 6) == "0xabcdef")
        #expect(Hex.bytes("0A1bzz") == [0x0a, 0x1b])
        #expect(Hex.bytes(Hex.string([0, 255, 16])) == [0, 255, 16])
    }
}

@Suite struct TimeTextTests {
    @Test func iso8601() {
        #expect(ISO8601Nanoseconds.format(0) == "1970-01-01T00:00:00.000000000Z")
        #expect(ISO8601Nanoseconds.format(-1) == "1969-12-31T23:59:59.999999999Z")
        #expect(ISO8601Nanoseconds.format(951_782_400_000_000_001) == "2000-02-29T00:00:00.000000001Z")
        #expect(ISO8601Nanoseconds.format(.max) == "2262-04-11T23:47:16.854775807Z")
        #expect(ISO8601Nanoseconds.format(500_000_000, fraction: .trimmed) == "1970-01-01T00:00:00.500Z")
        #expect(ISO8601Nanoseconds.format(1_000_000_000, fraction: .trimmed) == "1970-01-01T00:00:01Z")
        #expect(ISO8601Nanoseconds.format(1_000_001, fraction: .trimmed) == "1970-01-01T00:00:00.001000001Z")
        #expect(ISO8601Nanoseconds.format(1_700_000_000_000_000_000, fraction: .trimmed) == "2023-11-14T22:13:20Z")
        #expect(ISO8601Nanoseconds.format(951_782_400_123_456_789, fraction: .trimmed) == "2000-02-29T00:00:00.123456789Z")
        #expect(ISO8601Nanoseconds.format(-1, fraction: .trimmed) == "1969-12-31T23:59:59.999999999Z")
    }
}

@Suite struct TerminalTextTests {
    @Test func escapes() {
        #expect(escapedForTerminal("a\u{7}b\\c\u{9b}d\tü\u{202e}") == "a\\x07b\\\\c\\u{9b}d\\x09ü\\u{202e}")
        #expect(escapedForTerminal("plain.example") == "plain.example")
        for v: UInt32 in [0x202A, 0x202E, 0x2066, 0x2069, 0x200E, 0x200F, 0x061C, 0x85] {
            #expect(isDisplayControl(Unicode.Scalar(v)!))
        }
        #expect(!isDisplayControl("a"))
        #expect(!isDisplayControl("\u{2070}"))
    }
}
