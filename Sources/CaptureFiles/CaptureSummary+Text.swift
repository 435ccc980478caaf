import OutputText

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
                i.firstTimestampNanoseconds.map { ISO8601Nanoseconds.format($0) } ?? "-",
                i.lastTimestampNanoseconds.map { ISO8601Nanoseconds.format($0) } ?? "-", span,
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

/// A duration as seconds with 6 decimals, e.g. "12.000345s".
public func formatDuration(_ ns: Int64) -> String {
    let negative = ns < 0
    let m = ns.magnitude
    let micro = (m % 1_000_000_000) / 1000
    let digits = String(micro)
    return (negative ? "-" : "") + "\(m / 1_000_000_000)." + String(repeating: "0", count: 6 - digits.count) + digits + "s"
}
