import Correlation
import OutputText

/// "Could the capture have seen a leak?": the analysis's `positive_control`
/// (schema 1.3, docs/leak-model.md) in the terminal, HTML and Markdown reports:
/// the status and kill switch, coverage, one line per path, and the canaries.
/// Interface names and failure texts come from the capture: every one is escaped.
enum PositiveControlSection {
    static func killSwitchText(_ k: PositiveControl.KillSwitch) -> String {
        switch k {
        case .verified: "verified (every canary bound to a physical interface was kept off the wire while the carrier shows the sensor sees it)"
        case .notEnforced: "not enforced (a canary bound to a physical interface reached the wire: the path is open)"
        case .notTested: "not tested (no canary on a physical interface)"
        case .cannotTell: "cannot tell (a canary was not seen, but nothing shows the sensor would have seen it)"
        }
    }

    static func statusText(_ pc: PositiveControl) -> String {
        pc.status == .verified ? "verified: the capture could have seen a leak on every path"
            : "blind: a leak could have gone unseen"
    }

    /// `eth0/ipv4/start sent, on the wire (frame 1), ICMP error 68` and the like.
    static func canaryLine(_ c: PositiveControl.Canary) -> String {
        var s = "\(c.label) to \(c.destination): "
        s += c.result == "sent" ? "sent" : "refused" + (c.failure.map { " (\($0))" } ?? "")
        if !c.seenFrames.isEmpty {
            s += ", on the wire (frame\(c.seenFrames.count == 1 ? "" : "s") \(c.seenFrames.map(String.init).joined(separator: ", ")) on \(c.seenOn.joined(separator: ", ")))"
        } else if c.result == "sent" {
            s += ", not seen"
        }
        if !c.icmpFrames.isEmpty {
            s += ", ICMP error\(c.icmpFrames.count == 1 ? "" : "s") \(c.icmpFrames.map(String.init).joined(separator: ", "))"
        }
        return s
    }

    static func terminal(_ pc: PositiveControl?) -> String {
        guard let pc else { return "" }
        let e = escapedForTerminal
        var s = "\nPositive control (could the capture have seen a leak?): \(statusText(pc))\n"
        s += "  kill switch: \(killSwitchText(pc.killSwitch))\n"
        s += "  coverage: \(e(pc.coverage.statement))\n"
        for p in pc.paths { s += "  - \(e(p.statement)) [\(p.role), \(p.evidence)]\n" }
        for c in pc.canaries { s += "  canary \(e(canaryLine(c)))\n" }
        return s
    }

    static func html(_ pc: PositiveControl?) -> String {
        guard let pc else { return "" }
        let e = HTMLReport.e
        var h = "<section id=\"positive-control\">\n<h2>Positive control: could the capture have seen a leak?</h2>\n"
        h += "<p><b>\(e(statusText(pc)))</b>. Kill switch: \(e(killSwitchText(pc.killSwitch))).</p>\n"
        h += "<p>Coverage: \(e(pc.coverage.statement)).</p>\n"
        // Reasons a path's own line does not already say (coverage gaps, no physical interface).
        let others = pc.reasons.filter { r in !pc.paths.contains { $0.statement == r } }
        if !others.isEmpty {
            h += "<ul class=\"statements\">" + others.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n"
        }
        h += "<table class=\"control\"><thead><tr><th>Interface</th><th>Role</th><th>Evidence</th><th>Carrier sent / received</th><th>Canaries sent / seen</th><th>Routes</th><th>Drops (kernel / interface)</th></tr></thead><tbody>\n"
        for p in pc.paths {
            let drops = p.kernelDrops == nil && p.interfaceDrops == nil ? "" : "\(p.kernelDrops.map(String.init) ?? "-") / \(p.interfaceDrops.map(String.init) ?? "-")"
            h += "<tr><td><code>\(e(p.interface))</code></td><td class=\"role-\(e(p.role))\">\(e(p.role))</td><td>\(e(p.evidence))</td><td class=\"n\">\(p.carrierSent) / \(p.carrierReceived)</td><td class=\"n\">\(p.canariesSent) / \(p.canariesSeen)</td><td class=\"n\">\(p.routes.map(String.init) ?? "")</td><td class=\"n\">\(drops)</td></tr>\n"
        }
        h += "</tbody></table>\n<ul class=\"statements\">" + pc.paths.map { "<li>\(e($0.statement))</li>" }.joined() + "</ul>\n"
        if !pc.canaries.isEmpty {
            h += "<p>Canaries:</p>\n<ul class=\"statements\">" + pc.canaries.map { "<li>\(e(canaryLine($0)))</li>" }.joined() + "</ul>\n"
        }
        return h + "</section>\n"
    }

    static func markdown(_ pc: PositiveControl?) -> String {
        guard let pc else { return "" }
        let e = MarkdownReport.e
        var m = "## Positive control: could the capture have seen a leak?\n\n"
        m += "**\(e(statusText(pc)))**. Kill switch: \(e(killSwitchText(pc.killSwitch))).\n\nCoverage: \(e(pc.coverage.statement)).\n\n"
        let others = pc.reasons.filter { r in !pc.paths.contains { $0.statement == r } }
        for r in others { m += "- \(e(r))\n" }
        if !others.isEmpty { m += "\n" }
        m += "| Interface | Role | Evidence | Carrier sent / received | Canaries sent / seen |\n|---|---|---|---:|---:|\n"
        for p in pc.paths {
            m += "| \(e(p.interface)) | \(e(p.role)) | \(e(p.evidence)) | \(p.carrierSent) / \(p.carrierReceived) | \(p.canariesSent) / \(p.canariesSeen) |\n"
        }
        m += "\n" + pc.paths.map { "- \(e($0.statement))\n" }.joined() + "\n"
        if !pc.canaries.isEmpty { m += pc.canaries.map { "- Canary \(e(canaryLine($0)))\n" }.joined() + "\n" }
        return m
    }
}
