import Testing
@testable import Dissectors

// Shared helpers for the application-layer tests (STUN, DNS, carriers, App*).

/// Bytes from hex text; spaces, newlines and `|` are ignored.
func hexBytes(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var pending: UInt8?
    for c in s.unicodeScalars {
        guard let v = UInt8(String(c), radix: 16) else { continue }
        if let p = pending { out.append(p << 4 | v); pending = nil } else { pending = v }
    }
    precondition(pending == nil, "odd number of hex digits")
    return out
}

/// Runs `body` with a view over exactly `bytes` (the view must not escape).
@discardableResult
func withView<R>(_ bytes: [UInt8], _ body: (ByteView) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes { try body(ByteView($0)) }
}

/// Feeds every proper prefix of a valid message (lengths 0 ..< count) to
/// `rejectsOrNotes`, which returns true when the parser threw or recorded a
/// problem. A prefix that parses silently is an issue unless `allowClean` says
/// that length is a complete message on its own. Each prefix gets its own
/// exactly-sized buffer, so an out-of-range read would touch foreign memory.
func expectEveryPrefixNoted(
    _ bytes: [UInt8], allowClean: (Int) -> Bool = { _ in false },
    sourceLocation: SourceLocation = #_sourceLocation,
    _ rejectsOrNotes: (ByteView) -> Bool
) {
    for n in 0..<bytes.count {
        let prefix = Array(bytes[..<n])
        let noted = withView(prefix) { rejectsOrNotes($0) }
        if !noted && !allowClean(n) {
            Issue.record("prefix of \(n) of \(bytes.count) bytes parsed without a note", sourceLocation: sourceLocation)
        }
    }
}

/// Sets every byte in turn to 0x00, 0xff and its bitwise complement, and
/// runs `body` (parse + summary) on each variant: must never crash or hang.
func mutateEveryByte(_ bytes: [UInt8], _ body: (ByteView) -> Void) {
    for i in bytes.indices {
        for v in [UInt8(0), 0xFF, ~bytes[i]] {
            var m = bytes
            m[i] = v
            withView(m, body)
        }
    }
}

@Test func hexBytesParsesSpacedText() {
    #expect(hexBytes("00 01 | ff\n2a") == [0x00, 0x01, 0xFF, 0x2A])
}

@Test func escapedTextKeepsPrintableAndEscapesControlBytes() {
    withView(Array("a\\b".utf8) + [0x01, 0x7F, 0xC3]) { v in
        #expect(AppText.escaped(v) == "a\\\\b\\001\\127\\195")
    }
    withView(Array("マ\n".utf8)) { v in
        #expect(AppText.text(v) == "マ\\010")
    }
}

@Test func socketAddressPrintsBracketsForIPv6() {
    #expect(SocketAddress(address: .v4(0xC000_0201), port: 3478).description == "192.0.2.1:3478")
    #expect(SocketAddress(address: .v6(0x2001_0DB8_0000_0000, 1), port: 443).description == "[2001:db8::1]:443")
}
