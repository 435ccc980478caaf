import OutputText

/// The timeline plot: one row per interface, bars of packets per time bucket
/// (leaked packets in red with a marker above), leak windows shaded (tunnel
/// failures darker).
/// Inline SVG, sized in user units so it scales to the page and to print.
enum TimelineSVG {
    static let width = 960
    static let labelWidth = 190
    static let rowHeight = 56
    static let axisHeight = 28

    static func render(_ t: Timeline) -> String {
        guard t.buckets > 0, !t.series.isEmpty else {
            return "<p class=\"muted\">No packets were read, so there is no timeline.</p>"
        }
        let plotW = Double(width - labelWidth - 10)
        let height = t.series.count * rowHeight + axisHeight + 8
        let peak = max(1, t.series.flatMap(\.all).max() ?? 1)
        let barW = plotW / Double(t.buckets)
        let spanNs = Double(max(1, t.bucketNs * Int64(t.buckets)))
        func x(_ ns: Int64) -> Double { Double(labelWidth) + plotW * Double(ns - t.startNs) / spanNs }

        var s = "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"timeline-title\">"
        s += "<title id=\"timeline-title\">Packets per interface over time; leaked packets in red; leak windows shaded, tunnel failures darker</title>"
        let plotBottom = t.series.count * rowHeight
        for span in t.spans {
            let x0 = max(Double(labelWidth), x(span.startNs)), x1 = min(Double(width - 10), x(span.endNs))
            s += "<rect class=\"\(span.isFailure ? "span" : "window")\" x=\"\(f(x0))\" y=\"0\" width=\"\(f(max(2, x1 - x0)))\" height=\"\(plotBottom)\">"
            let what = [span.window, span.event].compactMap { $0 }.joined(separator: " ")
            let name = span.isFailure ? "\(span.finding) tunnel failure" : "leak window"
            s += "<title>\(Escape.html(what.isEmpty ? name : "\(what): \(name)")) \(Escape.html(ISO8601Nanoseconds.format(span.startNs, fraction: .trimmed))) to \(Escape.html(ISO8601Nanoseconds.format(span.endNs, fraction: .trimmed)))</title></rect>"
        }
        for (row, series) in t.series.enumerated() {
            let top = row * rowHeight
            let base = Double(top + rowHeight - 8)
            let usable = Double(rowHeight - 20)
            s += "<g class=\"row role-\(Escape.html(series.role))\">"
            s += "<text class=\"label\" x=\"4\" y=\"\(top + 24)\">\(Escape.html(series.interface))</text>"
            s += "<text class=\"sublabel\" x=\"4\" y=\"\(top + 40)\">\(Escape.html(series.role)) · \(Escape.html(series.file))</text>"
            s += "<line class=\"baseline\" x1=\"\(labelWidth)\" y1=\"\(f(base))\" x2=\"\(width - 10)\" y2=\"\(f(base))\"/>"
            for i in 0..<min(t.buckets, series.all.count) where series.all[i] > 0 {
                let h = max(1.5, usable * Double(series.all[i]) / Double(peak))
                let bx = Double(labelWidth) + barW * Double(i)
                s += "<rect class=\"bar\" x=\"\(f(bx))\" y=\"\(f(base - h))\" width=\"\(f(max(0.8, barW - 0.6)))\" height=\"\(f(h))\"><title>\(series.all[i]) packets</title></rect>"
                let leaked = i < series.leaked.count ? series.leaked[i] : 0
                if leaked > 0 {
                    let lh = max(1.5, usable * Double(leaked) / Double(peak))
                    s += "<rect class=\"leak\" x=\"\(f(bx))\" y=\"\(f(base - lh))\" width=\"\(f(max(0.8, barW - 0.6)))\" height=\"\(f(lh))\"><title>\(leaked) leaked packets</title></rect>"
                    let cx = bx + barW / 2, ty = base - h - 3
                    s += "<path class=\"marker\" d=\"M\(f(cx - 4)) \(f(ty - 7))L\(f(cx + 4)) \(f(ty - 7))L\(f(cx)) \(f(ty))Z\"/>"
                }
            }
            s += "</g>"
        }
        // Time axis: five ticks, seconds from the start.
        let axisY = plotBottom + 4
        s += "<g class=\"axis\"><line x1=\"\(labelWidth)\" y1=\"\(axisY)\" x2=\"\(width - 10)\" y2=\"\(axisY)\"/>"
        for k in 0...4 {
            let ns = t.startNs + Int64(Double(k) / 4 * spanNs)
            let tx = x(ns)
            let anchor = k == 0 ? "start" : (k == 4 ? "end" : "middle")
            s += "<line x1=\"\(f(tx))\" y1=\"\(axisY)\" x2=\"\(f(tx))\" y2=\"\(axisY + 5)\"/>"
            s += "<text x=\"\(f(tx))\" y=\"\(axisY + 18)\" text-anchor=\"\(anchor)\">\(Escape.html(axisLabel(ns, start: t.startNs, span: Int64(spanNs))))</text>"
        }
        s += "</g></svg>"
        return s
    }

    /// Seconds from the start for short captures, UTC clock time for long ones.
    static func axisLabel(_ ns: Int64, start: Int64, span: Int64) -> String {
        let d = Double(ns - start) / 1e9
        switch span {
        case ..<10_000_000_000: return "+" + String(format3(d)) + " s"
        case ..<3_600_000_000_000: return "+" + String(Int(d.rounded())) + " s"
        default:
            let iso = ISO8601Nanoseconds.format(ns - ns % 60_000_000_000, fraction: .trimmed)  // whole minutes
            let date = iso.prefix(10), time = iso.dropFirst(11).prefix(5)
            return span < 86_400_000_000_000 ? "\(time) UTC" : "\(date) \(time)"
        }
    }

    static func format3(_ v: Double) -> String {
        let ms = Int((v * 1000).rounded())
        let frac = String(ms % 1000)
        return "\(ms / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }

    static func f(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
