import CaptureFiles
import Correlation
import OutputText

/// The terminal rendering of a record, the one `leakscope analyze` prints by
/// default and `leakscope report --format text` prints for a saved record:
/// the same record gives the same text. What was analysed (the scope), the
/// verdict line, findings by severity
/// with their evidence, observations, exposed addresses, what the browser
/// saw, what was assumed, bounds hit, damage, and the evidence capture.
/// Every string that may come from a packet goes through `escapedForTerminal`.
public enum TerminalReport {
    /// - Parameter color: ANSI colour for the verdict and severities (callers
    ///   pass `wantsColor`: a TTY and NO_COLOR unset).
    public static func render(_ r: AnalysisRecord, showAssumptions: Bool = true, color: Bool = false) -> String {
        // Scope first: what was analysed, then the verdict about it.
        var s = scope(r) + render(r.analysis, showAssumptions: showAssumptions, color: color)
        if let ev = r.provenance.evidenceCapture {
            // The path as given on the command line, else the file's name.
            let name = r.provenance.invocation.options.evidence ?? ev.name
            s += "\nEvidence: \(escapedForTerminal(name)) (\(ev.frames) frames, SHA-256 \(ev.sha256))\n"
        }
        return s
    }

    /// The no-color.org rule plus "is a terminal".
    public static func wantsColor(isTTY: Bool, environment: [String: String]) -> Bool {
        guard isTTY else { return false }
        if let v = environment["NO_COLOR"], !v.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    struct Style {
        var color: Bool
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        func bold(_ s: String) -> String { paint(s, "1") }
        /// Red for leaks found, green for no leak seen, yellow otherwise.
        func status(_ st: Analysis.Verdict.Status, _ s: String) -> String {
            switch st {
            case .leaksFound: paint(s, "1;31")
            case .noLeakSeen: paint(s, "1;32")
            case .cannotTell: paint(s, "1;33")
            }
        }
        func severity(_ sev: Severity) -> String {
            switch sev {
            case .high: paint(sev.rawValue, "31")
            case .medium: paint(sev.rawValue, "33")
            case .low: paint(sev.rawValue, "36")
            }
        }
    }

    static func render(_ a: Analysis, showAssumptions: Bool, color: Bool) -> String {
        let e = escapedForTerminal
        let style = Style(color: color)
        var s = ""
        s += style.status(a.verdict.status, LeakClassText.headline(a.verdict.status).uppercased()) + ": \(e(a.verdict.reason))\n"
        let sorted = a.findings.sorted {
            $0.severity != $1.severity ? $0.severity > $1.severity : idNumber($0.id) < idNumber($1.id)
        }
        if !sorted.isEmpty {
            s += "\n"
            var rows = [["ID", "SEVERITY", "CLASS", "FILE", "INTERFACE", "PACKETS", "FRAMES", "TITLE"]]
            for f in sorted {
                let frames = f.frames.prefix(6).map(String.init).joined(separator: ",")
                    + (f.frames.count > 6 || f.framesOmitted > 0 ? ",..." : "")
                rows.append([e(f.id), f.severity.rawValue, e(f.className), e(f.file), e(f.interface), String(f.packets), frames, e(f.title)])
            }
            s += table(rows, paint: { col, cell in col == 1 ? Severity(rawValue: cell).map(style.severity) ?? cell : cell })
            s += "\n"
            for f in sorted { s += details(f) }
        }
        if let ws = a.leakWindows, !ws.isEmpty {
            s += "\nLeak windows (tunnel events and what escaped meanwhile):\n"
            for w in ws {
                let verdict = w.findingId.map { "tunnel failure \($0)" } ?? (w.tunnelFailure ? "tunnel failure" : "no tunnel failure")
                s += "  \(w.id) \(e(w.event)) at \(ISO8601Nanoseconds.format(w.startNs)), \(w.durationMs) ms\(w.openAtEnd ? " to the end" : ""): "
                s += "\(w.packets) packet\(w.packets == 1 ? "" : "s") (\(w.bytes) bytes) escaped"
                s += w.classes.isEmpty ? "" : " (\(w.classes.map(e).joined(separator: ", ")))"
                s += "; \(verdict)\n    \(e(w.eventDetail))\n    \(e(w.judgement))\n"
            }
        }
        if !a.observations.isEmpty {
            s += "\nObservations (not leaks):\n"
            for o in a.observations {
                s += "  \(e(o.kind)) on \(e(o.interface)) of \(e(o.file)): \(o.packets) packet\(o.packets == 1 ? "" : "s")"
                if let n = o.names, !n.isEmpty { s += "; names: " + n.prefix(8).map(e).joined(separator: ", ") + (n.count > 8 ? ", ..." : "") }
                if let n = o.answers, !n.isEmpty { s += "; answers: " + n.prefix(8).map(e).joined(separator: ", ") }
                if let n = o.problems, !n.isEmpty { s += "; problems: " + n.prefix(4).map(e).joined(separator: "; ") + (n.count > 4 ? "; ..." : "") }
                s += "\n"
            }
        }
        let exposed = ExposedAddressSections.split(a.exposedPublicAddresses) { $0.path }
        // One line per address, its ports, servers and frames folded into it.
        if !exposed.outside.isEmpty {
            s += "\n" + style.paint(ExposedAddressSections.outsideHeading, "1;31") + ":\n"
            for g in ExposedAddressSections.groups(exposed.outside) { s += "  \(style.bold(e(g.address)))\(e(ExposedAddressSections.rest(g)))\n" }
        }
        if !exposed.tunnel.isEmpty {
            s += "\n\(ExposedAddressSections.tunnelHeading):\n"
            for g in ExposedAddressSections.groups(exposed.tunnel) { s += "  \(e(g.address))\(e(ExposedAddressSections.rest(g)))\n" }
        }
        s += PositiveControlSection.terminal(a.positiveControl)
        if let b = a.browser { s += browser(b) }
        if showAssumptions {
            s += "\nAssumed:\n"
            for line in a.assumptions { s += "  - \(e(line))\n" }
        }
        if a.bounds.anyHit {
            let b = a.bounds
            s += "\nBounds hit (the analysis is incomplete there): flows refused \(b.flowsRefused), transactions dropped \(b.transactionsDropped), findings dropped \(b.findingsDropped) (\(b.packetsInDroppedFindings) packets), findings with frames omitted \(b.findingsWithFramesOmitted), evidence items omitted \(b.evidenceItemsOmitted)"
            if let d = b.datagramsDroppedIncomplete, let r = b.fragmentsRefused, d + r > 0 {
                s += ", fragmented datagrams dropped incomplete \(d) (table of \(b.maxFragmentedDatagrams ?? 0)), fragments refused \(r)"
            }
            s += "\n"
        }
        for f in a.files {
            if let d = f.damage { s += "\ndamaged: \(e(d))\n" }
        }
        return s
    }

    static func idNumber(_ id: String) -> Int { Int(id.dropFirst()) ?? 0 }

    static func details(_ f: Finding) -> String {
        let e = escapedForTerminal
        let v = f.evidence
        var lines: [String] = []
        func add(_ k: String, _ x: String?) { if let x, !x.isEmpty { lines.append("\(k): \(x)") } }
        func list(_ xs: [String]?, max: Int = 8) -> String? {
            guard let xs, !xs.isEmpty else { return nil }
            return xs.prefix(max).map(e).joined(separator: ", ") + (xs.count > max ? ", ... (\(xs.count) in all)" : "")
        }
        add("severity", e(f.severityReason))
        add("time", "\(f.firstTime) .. \(f.lastTime), \(f.bytes) bytes")
        add("stun server", v.stunServer.map(e))
        add("server name", v.serverName.map(e))
        add("exposed", list(v.exposedAddresses))
        add("relayed", list(v.relayedAddresses))
        add("software", list(v.software))
        add("ice ufrags", list(v.iceUfrags))
        if let n = v.browserCandidates?.count, n > 0 { lines.append("the browser reported \(n) candidate\(n == 1 ? "" : "s") learned from this exchange (What the browser saw)") }
        if v.alsoViaTunnel == true { lines.append("also reached through the tunnel: one site can link the VPN address and the real one") }
        if let t = v.transactions, !t.isEmpty {
            add("transactions", t.prefix(4).map { x in
                "\(x.id) req \(x.requestFrame.map(String.init) ?? "-") resp \(x.responseFrame.map(String.init) ?? "-")"
                    + (x.mappedAddress.map { " -> \(e($0))" } ?? "")
            }.joined(separator: "; ") + (t.count > 4 ? "; ..." : ""))
        }
        add("resolver", v.resolver.map(e))
        if let q = v.queries, !q.isEmpty {
            add("queries", q.prefix(6).map { x in
                "\(e(x.name)) \(e(x.type))" + (x.answers.map { $0.isEmpty ? "" : " = " + $0.prefix(4).map(e).joined(separator: " ") } ?? "")
            }.joined(separator: "; ") + (q.count > 6 ? "; ... (\(q.count) in all)" : ""))
        }
        add("ecs", list(v.ecs))
        add("source", v.source.map { e($0) + (v.sourceKind.map { " (\(e($0)))" } ?? "") + (v.eui64Mac.map { ", MAC \(e($0))" } ?? "") })
        add("destinations", list(v.destinations))
        if let rs = v.pushedRoutes, !rs.isEmpty {
            add("pushed routes", rs.map { r in
                "\(e(r.prefix)) via \(e(r.router)) (\(e(r.via))\(r.message.map { ", \(e($0))" } ?? "")\(r.pushedBy.map { " from \(e($0))" } ?? ""), frames \(r.frames.map(String.init).joined(separator: ", ")))"
            }.joined(separator: "; "))
        }
        add("route problems", list(v.routeProblems, max: 4))
        add("local network", v.localNetwork.map { "\(e($0.prefix)) (\(e($0.decidedBy)))" })
        add("server dns", v.serverDNS.map { q in
            "\(e(q.name)) \(e(q.type))" + (q.answers.map { " = " + $0.prefix(4).map(e).joined(separator: " ") } ?? "")
                + " (frames \(q.frame.map(String.init) ?? "-")/\(q.responseFrame.map(String.init) ?? "-"))"
        })
        add("vpn endpoint", v.vpnEndpoint.map(e))
        if let fl = v.flows, !fl.isEmpty {
            add("flows", fl.prefix(4).map { x in
                "\(x.protocol) \(hostPort(x.src, x.srcPort)) -> \(hostPort(x.dst, x.dstPort))"
                    + (x.sni.map { " sni \(e($0))" } ?? "") + (x.host.map { " host \(e($0))" } ?? "")
                    + (x.dnsName.map { " (\(e($0)))" } ?? "")
            }.joined(separator: "; ") + (fl.count > 4 ? "; ... (\(fl.count) in all)" : ""))
        }
        if let s = v.startNs, let end = v.endNs {
            add("span", "\(ISO8601Nanoseconds.format(s)) .. \(ISO8601Nanoseconds.format(end))\(v.openAtEnd == true ? " (still open at the end)" : "")")
            add("leak classes", list(v.leakClasses))
            add("window", v.window.map { w in "\(e(w)) (\(e(v.tunnelEvent ?? "")): \(e(v.tunnelEventDetail ?? "")))" })
        } else {
            add("leak classes", list(v.leakClasses))
        }
        if let flows = CitedFlowsSection.terminal(f) { lines.append(flows) }
        return "\(escapedForTerminal(f.id)): " + lines.joined(separator: "\n    ") + "\n"
    }

    /// `addr:port`, with IPv6 addresses in brackets.
    static func hostPort(_ a: String, _ port: UInt16?) -> String {
        guard let port else { return escapedForTerminal(a) }
        return IPAddress(parsing: a)?.isV4 == false ? "[\(escapedForTerminal(a))]:\(port)" : "\(escapedForTerminal(a)):\(port)"
    }

    static func table(_ rows: [[String]], paint: (Int, String) -> String = { $1 }) -> String {
        guard let n = rows.first?.count else { return "" }
        var widths = Array(repeating: 0, count: n)
        for r in rows { for (i, c) in r.enumerated() where i < n - 1 { widths[i] = max(widths[i], c.count) } }
        var s = ""
        for r in rows {
            var line = ""
            for (i, c) in r.enumerated() {
                // Colour after measuring, so escape codes do not shift the columns.
                line += i < n - 1 ? paint(i, c) + String(repeating: " ", count: widths[i] - c.count + 2) : c
            }
            s += line + "\n"
        }
        return s
    }
}
