/// Escaping by each output's rules, applied by the renderers to every string
/// (anything may have come from a packet: DNS names, STUN SOFTWARE, SNI).
public enum Escape {
    /// Text for HTML element content and quoted attribute values.
    public static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Controls are not valid HTML text; show them as code points.
                if isControl(u) && u != "\n" && u != "\t" { out += "\\u{\(String(u.value, radix: 16))}" }
                else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// Text for Markdown (GitHub/GitLab flavour) inline content and table
    /// cells: Markdown punctuation is backslash-escaped, HTML-significant
    /// characters become entities (raw HTML is allowed in Markdown), and line
    /// breaks and controls cannot break out of a table row.
    public static func markdown(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "{", "}", "[", "]", "#", "+", "!", "|", "~", "$":
                out += "\\"; out.unicodeScalars.append(u)
            case "\n", "\r", "\t": out += " "
            default:
                if isControl(u) { out += "\\u{\(String(u.value, radix: 16))}" }
                else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// Text for a terminal: C0/C1 controls, DEL and bidirectional overrides
    /// become visible `\xNN` / `\u{NNNN}` so a packet string cannot move the
    /// cursor, set colours, or set the window title.
    public static func terminal(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7F {
                out += "\\x" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16)
            } else if isControl(u) {
                out += "\\u{\(String(u.value, radix: 16))}"
            } else if u == "\\" {
                out += "\\\\"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func isControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x200E || v == 0x200F || v == 0x061C
    }
}
