/// The one escaping rule for text shown on a terminal. Strings that may come
/// from a packet or a capture file (DNS names, STUN SOFTWARE, SNI, interface
/// names, error details) pass through it in every command, so the same string
/// looks the same everywhere and can never move the cursor, set colours or
/// the window title, or reorder the line around it.

/// C0 controls and DEL as `\xNN`; C1 controls and the bidirectional controls
/// (see `isDisplayControl`) as `\u{NNNN}`; a backslash doubled, so every
/// escape in the output stands for exactly one character of the input.
public func escapedForTerminal(_ s: String) -> String {
    escaping(s) { u in
        let v = u.value
        if v < 0x20 || v == 0x7F { return "\\x" + Hex.digits(UInt8(v), count: 2) }
        if isDisplayControl(u) { return codePointEscape(u) }
        return u == "\\" ? "\\\\" : nil
    }
}

/// `s` with each character `replacement` maps replaced and the others kept:
/// the one loop of every escaper (terminal here; HTML and Markdown in Reports).
public func escaping(_ s: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
        if let r = replacement(u) { out += r } else { out.unicodeScalars.append(u) }
    }
    return out
}

/// A control shown as its code point, `\u{202e}`: how every text output
/// (terminal, HTML, Markdown) shows the `isDisplayControl` characters.
public func codePointEscape(_ u: Unicode.Scalar) -> String { "\\u{" + String(u.value, radix: 16) + "}" }

/// Characters that must not reach a reader raw: C0 and C1 controls, DEL, and
/// the bidirectional embeddings, overrides, isolates and marks (U+202A-202E,
/// U+2066-2069, U+200E/200F, U+061C) that can make text read differently from
/// what it is. Other outputs (HTML, Markdown) show these the same way.
public func isDisplayControl(_ u: Unicode.Scalar) -> Bool {
    let v = u.value
    return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        || v == 0x200E || v == 0x200F || v == 0x061C
}
