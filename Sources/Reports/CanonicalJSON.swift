/// The record's JSON text, written by the project rather than the platform's
/// encoder so the bytes do not depend on the Foundation version: keys sorted
/// by their UTF-8 bytes, two-space indentation, arrays of scalars on one line,
/// `"key": value`, and only the escapes JSON requires (plus DEL, U+2028/9).
enum CanonicalJSON {
    static func pretty(_ v: JSONValue) -> String {
        var out = ""
        write(v, indent: 0, pretty: true, into: &out)
        return out
    }

    static func compact(_ v: JSONValue) -> String {
        var out = ""
        write(v, indent: 0, pretty: false, into: &out)
        return out
    }

    static func write(_ v: JSONValue, indent: Int, pretty: Bool, into out: inout String) {
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? "\(d)" : "null"
        case .string(let s): string(s, into: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            let scalars = a.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            // Short lists of scalars stay on one line; long ones get a line per item.
            if !pretty || (scalars && compact(v).utf8.count <= 100) {
                out += "["
                for (i, x) in a.enumerated() {
                    if i > 0 { out += pretty ? ", " : "," }
                    write(x, indent: indent, pretty: pretty, into: &out)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (i, x) in a.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                write(x, indent: indent + 1, pretty: true, into: &out)
                out += i == a.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            let keys = o.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            out += pretty ? "{\n" : "{"
            for (i, k) in keys.enumerated() {
                if pretty { out += String(repeating: "  ", count: indent + 1) }
                string(k, into: &out)
                out += pretty ? ": " : ":"
                write(o[k]!, indent: indent + 1, pretty: pretty, into: &out)
                if i < keys.count - 1 { out += pretty ? ",\n" : "," } else if pretty { out += "\n" }
            }
            if pretty { out += String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    static func string(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F || u.value == 0x2028 || u.value == 0x2029 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
