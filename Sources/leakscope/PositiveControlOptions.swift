import ArgumentParser
import CaptureFiles
import LiveCapture

/// `leakscope capture` options of the positive control (docs/live-capture.md,
/// "Positive-control records"; docs/leak-model.md, "Positive control").
struct PositiveControlOptions: ParsableArguments {
    @Flag(help: ArgumentHelp(
        "Send labelled canaries at start and stop: one UDP datagram bound to each captured interface (SO_BINDTODEVICE) to a documentation address; the analysis finds them by their token.",
        discussion: "A canary seen on a physical interface proves that path open; one sent but not seen while the tunnel's carrier is seen there verifies a kill switch."))
    var canary = false

    @Option(name: .customLong("canary-to"), help: ArgumentHelp(
        "Where canaries go instead of 192.0.2.99 / 2001:db8::99 (one address per family; repeatable). Name an address that reaches no real host.",
        valueName: "address"))
    var canaryTo: [String] = []

    @Flag(name: .customLong("no-routes"), help: "Do not record the routing table in the capture (the analysis then says coverage was not recorded).")
    var noRoutes = false

    func validate() throws {
        var families = Set<Bool>()
        for a in canaryTo {
            guard let ip = IPAddress(parsing: a) else { throw ValidationError("--canary-to \(a): expected an IPv4 or IPv6 address") }
            guard families.insert(ip.isV4).inserted else { throw ValidationError("--canary-to: one address per family") }
        }
        if !canaryTo.isEmpty && !canary { throw ValidationError("--canary-to needs --canary") }
    }

    func apply(to options: inout LiveCaptureOptions) {
        options.recordRoutes = !noRoutes
        if canary { options.canary = CanaryOptions(destinations: canaryTo.compactMap(IPAddress.init(parsing:))) }
    }
}

extension CaptureReport {
    /// What the positive control recorded: route changes seen, each canary and what the kernel did with it.
    static func controls(_ s: LiveCaptureSummary, routes: Bool) -> [String] {
        var lines: [String] = []
        if routes {
            lines.append("  routing table recorded at start and stop"
                + (s.routeChanges > 0 ? " and \(s.routeChanges) time\(s.routeChanges == 1 ? "" : "s") when it changed" : ""))
        }
        for c in s.canaries {
            let to = c.destination.isV4 ? "\(c.destination):\(c.destinationPort)" : "[\(c.destination)]:\(c.destinationPort)"
            lines.append("  canary \(c.label) (\(c.path.rawValue)) to \(to): " + (c.failure.map { "refused, \($0)" } ?? "sent"))
        }
        return lines
    }
}
