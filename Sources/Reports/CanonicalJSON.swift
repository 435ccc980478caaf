/// The record's JSON text, written by the project rather than the platform's
/// encoder so the bytes do not depend on the Foundation version: keys sorted
/// by their UTF-8 bytes, two-space indentation, `"key": value`, lists of
/// scalars on one line when they fit in 100 characters, and only the escapes
/// JSON requires (plus DEL, U+2028/9).
enum CanonicalJSON {
    static func pretty(_ v: JSONValue) -> String {
        var out: [UInt8] = []
        write(v, indent: 0, pretty: true, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func compact(_ v: JSONValue) -> String {
        var out: [UInt8] = []
        write(v, indent: 0, pretty: false, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func newline(_ indent: Int, into out: inout [UInt8]) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent * 2))
    }

    static func write(_ v: JSONValue, indent: Int, pretty: Bool, into out: inout [UInt8]) {
        switch v {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .double(let d): out += (d.isFinite ? "\(d)" : "null").utf8
        case .string(let s): string(s, into: &out)
        case .array(let a):
            if a.isEmpty { out += "[]".utf8; return }
            if !pretty || isShortScalarList(a) {
                out.append(UInt8(ascii: "["))
                for (i, x) in a.enumerated() {
                    if i > 0 { out += (pretty ? ", " : ",").utf8 }
                    write(x, indent: indent, pretty: pretty, into: &out)
                }
                out.append(UInt8(ascii: "]"))
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, x) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1, into: &out)
                write(x, indent: indent + 1, pretty: true, into: &out)
            }
            newline(indent, into: &out)
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { out += "{}".utf8; return }
            let keys = o.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            out.append(UInt8(ascii: "{"))
            for (i, k) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(indent + 1, into: &out) }
                string(k, into: &out)
                out += (pretty ? ": " : ":").utf8
                write(o[k]!, indent: indent + 1, pretty: pretty, into: &out)
            }
            if pretty { newline(indent, into: &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Scalars only, and at most 100 bytes when written compactly.
    static func isShortScalarList(_ a: [JSONValue]) -> Bool {
        var budget = 100
        for x in a {
            switch x {
            case .array, .object: return false
            case .string(let s): budget -= s.utf8.count + 4
            default: budget -= 22
            }
            if budget < 0 {
                // Estimates were rough: decide on the exact length.
                var buf: [UInt8] = []
                for x in a { write(x, indent: 0, pretty: false, into: &buf) }
                return buf.count + 2 * a.count <= 100  // brackets and ", " separators
            }
        }
        return true
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let c = bytes[i]
                switch c {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, UInt8(ascii: "n")]
                case 0x0D: out += [0x5C, UInt8(ascii: "r")]
                case 0x09: out += [0x5C, UInt8(ascii: "t")]
                case 0x00..<0x20, 0x7F: unicodeEscape(UInt32(c), into: &out)
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    // U+2028 / U+2029 break JavaScript string literals.
                    unicodeEscape(bytes[i + 2] == 0xA8 ? 0x2028 : 0x2029, into: &out)
                    i += 2
                default: out.append(c)
                }
                i += 1
            }
        }
        out.append(0x22)
    }

    static func unicodeEscape(_ v: UInt32, into out: inout [UInt8]) {
        out += [0x5C, UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hexDigits[Int((v >> UInt32(shift)) & 0xF)]) }
    }
}
