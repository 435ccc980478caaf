/// A command line as a capture's section comment records it: secrets hidden,
/// arguments shell-quoted. Captures get shared and their comments are copied
/// into analysis records and reports, so a password given on the command line
/// (`--probe-turn-pass P`) must not travel with them.
public enum CommandLineText {
    /// What a secret option's value becomes.
    public static let redaction = "***"

    /// Words in an option name that mark its value as secret (compared lower-case).
    public static let secretWords = ["pass", "secret", "token", "key"]

    /// True for an option (`-x`, `--name`, `--name=value`) whose name contains a secret word.
    public static func isSecretOption(_ arg: String) -> Bool {
        guard arg.hasPrefix("-"), arg != "-", arg != "--" else { return false }
        let name = arg.drop { $0 == "-" }.prefix { $0 != "=" }.lowercased()
        return secretWords.contains { name.contains($0) }
    }

    /// `argv` with the value of every secret option replaced by `***`, in both
    /// `--opt value` and `--opt=value` forms, also after `--` (the command a capture
    /// runs has its own options). A following argument that starts with `--` is an
    /// option, not the value, and is kept.
    public static func redacted(_ argv: [String]) -> [String] {
        var out = argv
        var i = 0
        while i < out.count {
            let arg = out[i]
            if isSecretOption(arg) {
                if let eq = arg.firstIndex(of: "=") {
                    out[i] = String(arg[...eq]) + redaction
                } else if i + 1 < out.count, !out[i + 1].hasPrefix("--") {
                    out[i + 1] = redaction
                    i += 1
                }
            }
            i += 1
        }
        return out
    }

    /// An argument as a POSIX shell would need it: plain words as they are,
    /// anything else in single quotes.
    public static func shellQuoted(_ arg: String) -> String {
        if arg == redaction { return arg }
        let plain = arg.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || "-_./=:,+@%".utf8.contains(c)
        }
        if plain && !arg.isEmpty { return arg }
        var quoted = "'"
        for c in arg { quoted += c == "'" ? "'\\''" : String(c) }
        return quoted + "'"
    }

    /// The command line for a section comment: argv[0] replaced by `tool` (the
    /// binary's path names this machine's checkout, not the tool), secret values
    /// redacted, each argument shell-quoted, joined by spaces.
    public static func forComment(tool: String, argv: [String]) -> String {
        let named = argv.isEmpty ? [tool] : [tool] + argv.dropFirst()
        return redacted(named).map { arg in
            // "--opt=***": quote the part before "***" only, so the marker stays visible.
            if arg.hasSuffix("=" + redaction), isSecretOption(arg) {
                return shellQuoted(String(arg.dropLast(redaction.count))) + redaction
            }
            return shellQuoted(arg)
        }.joined(separator: " ")
    }
}
