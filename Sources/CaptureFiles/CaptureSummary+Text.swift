/// Plain-text rendering of a `CaptureSummary` for the terminal. Strings taken
/// from the file (interface names) are escaped: control characters never
/// reach the terminal.
extension CaptureSummary {
    public func table() -> String {
        var out = "\(escapedForTerminal(path)): \(format), \(fileSize) bytes, \(frames) frames"
        if sections.count > 1 { out += ", \(sections.count) sections" }
        out += "\n"
        let header = ["iface", "name", "link type", "packets", "bytes", "first", "last", "span"]
        var rows: [[String]] = [header]
        for i in interfaces {
            let span: String
            if let f = i.firstTimestampNanoseconds, let l = i.lastTimestampNanoseconds {
                span = formatDuration(l &- f)
            } else { span = "-" }
            rows.append([
                String(i.interfaceID), escapedForTerminal(i.name ?? "-"), i.linkType.description,
                String(i.packets), String(i.capturedBytes),
                i.firstTimestampNanoseconds.map(formatTimestamp) ?? "-",
                i.lastTimestampNanoseconds.map(formatTimestamp) ?? "-", span,
            ])
        }
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        let numeric: Set<Int> = [0, 3, 4, 7]
        for row in rows {
            var line = " "
            for (c, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                line += " " + (numeric.contains(c) ? pad + cell : cell + pad)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        var others: [String] = []
        if blockCounts.interfaceStatistics > 0 { others.append("\(blockCounts.interfaceStatistics) interface statistics") }
        if blockCounts.nameResolution > 0 { others.append("\(blockCounts.nameResolution) name resolution") }
        if blockCounts.decryptionSecrets > 0 { others.append("\(blockCounts.decryptionSecrets) decryption secrets") }
        if blockCounts.custom > 0 { others.append("\(blockCounts.custom) custom") }
        if blockCounts.systemdJournal > 0 { others.append("\(blockCounts.systemdJournal) systemd journal") }
        if blockCounts.unknown > 0 { others.append("\(blockCounts.unknown) unknown") }
        if !others.isEmpty { out += "  other blocks: " + others.joined(separator: ", ") + "\n" }
        return out
    }
}

/// UTC time as 2024-05-01T12:34:56.123456789Z (proleptic Gregorian).
public func formatTimestamp(_ ns: Int64) -> String {
    let seconds = ns >= 0 ? ns / 1_000_000_000 : (ns + 1) / 1_000_000_000 - 1
    let fraction = ns - seconds * 1_000_000_000
    let days = seconds >= 0 ? seconds / 86_400 : (seconds + 1) / 86_400 - 1
    let secondOfDay = seconds - days * 86_400
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let frac = String(fraction)
    return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))."
        + String(repeating: "0", count: 9 - frac.count) + frac + "Z"
}

/// A duration as seconds with 6 decimals, e.g. "12.000345s".
public func formatDuration(_ ns: Int64) -> String {
    let negative = ns < 0
    let m = ns.magnitude
    let micro = (m % 1_000_000_000) / 1000
    let digits = String(micro)
    return (negative ? "-" : "") + "\(m / 1_000_000_000)." + String(repeating: "0", count: 6 - digits.count) + digits + "s"
}
