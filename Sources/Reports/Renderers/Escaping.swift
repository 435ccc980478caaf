import CaptureFiles
import OutputText

/// Escaping by each output's rules, applied by the renderers to every string
/// (anything may have come from a packet: DNS names, STUN SOFTWARE, SNI).
/// Terminal text uses CaptureFiles' `escapedForTerminal`, and the controls
/// shown as code points here are its `isDisplayControl` set.
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
                if isDisplayControl(u) && u != "\n" && u != "\t" { out += "\\u{\(String(u.value, radix: 16))}" }
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
                if isDisplayControl(u) { out += "\\u{\(String(u.value, radix: 16))}" }
                else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}
