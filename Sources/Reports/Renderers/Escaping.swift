import CaptureFiles
import OutputText

/// Escaping by each output's rules, applied by the renderers to every string
/// (anything may have come from a packet: DNS names, STUN SOFTWARE, SNI).
/// Terminal text uses OutputText's `escapedForTerminal`, and the controls
/// shown as code points here are its `isDisplayControl` set.
public enum Escape {
    /// Text for HTML element content and quoted attribute values.
    public static func html(_ s: String) -> String {
        escaping(s) { u in
            switch u {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            // Controls are not valid HTML text; show them as code points.
            case "\n", "\t": nil
            default: isDisplayControl(u) ? codePointEscape(u) : nil
            }
        }
    }

    /// Text for Markdown (GitHub/GitLab flavour) inline content and table
    /// cells: Markdown punctuation is backslash-escaped, HTML-significant
    /// characters become entities (raw HTML is allowed in Markdown), and line
    /// breaks and controls cannot break out of a table row.
    public static func markdown(_ s: String) -> String {
        escaping(s) { u in
            switch u {
            case "<": "&lt;"
            case ">": "&gt;"
            case "&": "&amp;"
            case "\\", "`", "*", "_", "{", "}", "[", "]", "#", "+", "!", "|", "~", "$": "\\" + String(u)
            case "\n", "\r", "\t": " "
            default: isDisplayControl(u) ? codePointEscape(u) : nil
            }
        }
    }
}
