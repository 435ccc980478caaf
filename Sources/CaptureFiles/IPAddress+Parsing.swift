/// Text to address: the inverse of `IPAddress.description` (command-line options,
/// ICE server URLs, candidate sidecars). Beside the printer so every stage parses one way.
extension IPAddress {
    /// Parses dotted quad or RFC 4291 text (with `::`, and an embedded dotted quad at the end).
    public init?(parsing s: String) {
        if !s.contains(":") {
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var v: UInt32 = 0
            for p in parts {
                guard !p.isEmpty, p.count <= 3, let b = UInt8(p) else { return nil }
                v = v << 8 | UInt32(b)
            }
            self = .v4(v)
            return
        }
        var str = Substring(s)
        var tail: [UInt16] = []
        if let lastColon = str.lastIndex(of: ":"), str[str.index(after: lastColon)...].contains(".") {
            guard case .v4(let v)? = IPAddress(parsing: String(str[str.index(after: lastColon)...])) else { return nil }
            tail = [UInt16(v >> 16), UInt16(v & 0xFFFF)]
            str = str[...lastColon]
            if str.hasSuffix(":") && !str.hasSuffix("::") { str = str.dropLast() }
        }
        func groups(_ t: Substring) -> [UInt16]? {
            if t.isEmpty { return [] }
            var r: [UInt16] = []
            for g in t.split(separator: ":", omittingEmptySubsequences: false) {
                guard !g.isEmpty, g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
                r.append(v)
            }
            return r
        }
        var all: [UInt16]
        let chars = Array(str)
        if let i = chars.indices.dropLast().first(where: { chars[$0] == ":" && chars[$0 + 1] == ":" }) {
            guard let head = groups(Substring(String(chars[..<i]))), let rest = groups(Substring(String(chars[(i + 2)...])))
            else { return nil }
            let back = rest + tail
            guard head.count + back.count <= 7 else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - back.count) + back
        } else {
            guard let g = groups(str) else { return nil }
            all = g + tail
        }
        guard all.count == 8 else { return nil }
        var hi: UInt64 = 0, lo: UInt64 = 0
        for i in 0..<4 { hi = hi << 16 | UInt64(all[i]) }
        for i in 4..<8 { lo = lo << 16 | UInt64(all[i]) }
        self = .v6(hi, lo)
    }
}
