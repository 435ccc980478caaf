import CaptureFiles
import OutputText
import Dissectors

/// The positive control (docs/leak-model.md, "Positive control"): before "no
/// leak seen", evidence that the capture could have seen a leak. Pass 2 counts
/// the carrier per physical interface and finds the canaries the capture
/// recorded (by their token; ICMP errors by the canary's flow); `finish` turns
/// that, the recorded routing tables and the drop counters into `PositiveControl`,
/// which the verdict consults.
struct ControlState {
    struct Entry {
        var file: Int
        var record: CanaryRecord
        var seenFrames: [Int] = []
        var seenOn: [InterfaceKey] = []
        var icmpFrames: [Int] = []
    }
    struct TokenKey: Hashable { var file: Int; var high: UInt64; var low: UInt64; var number: Int }
    struct FlowKey: Hashable { var file: Int; var sourcePort: UInt16; var destination: IPAddress; var destinationPort: UInt16 }
    struct Carrier { var key: InterfaceKey; var sent = 0; var received = 0; var firstFrame: Int }

    var files: [CaptureControls] = []
    var entries: [Entry] = []
    var byToken: [TokenKey: Int] = [:]
    var byFlow: [FlowKey: Int] = [:]
    var carriers: [Carrier] = []
    /// The current run of carrier packets on one interface, counted in plain fields and merged
    /// into `carriers` when the interface changes (one compare per carrier packet, no array access).
    private var run: Carrier?
    /// Frames kept per canary (a canary is one datagram; more copies are counted, not listed).
    static let maximumFrames = 64

    @inline(__always)
    mutating func countCarrier(_ key: InterfaceKey, frame: Int, sent: Bool) {
        if run?.key != key {
            flushRun()
            run = Carrier(key: key, firstFrame: frame)
        }
        if sent { run!.sent &+= 1 } else { run!.received &+= 1 }
    }

    mutating func flushRun() {
        guard let r = run else { return }
        run = nil
        if let i = carriers.firstIndex(where: { $0.key == r.key }) {
            carriers[i].sent &+= r.sent
            carriers[i].received &+= r.received
        } else if carriers.count < 1_024 {
            carriers.append(r)
        }
    }

    /// The counts so far, the current run included.
    var allCarriers: [Carrier] {
        var c = self
        c.flushRun()
        return c.carriers
    }
}

extension Correlator {
    /// Before pass 2: what each input recorded (`InputSummary.controls`, in file order).
    public mutating func note(controls: [CaptureControls]) {
        control.files = controls
        for (file, c) in controls.enumerated() {
            for r in c.canaries {
                let i = control.entries.count
                control.entries.append(.init(file: file, record: r))
                control.byToken[.init(file: file, high: r.token.high, low: r.token.low, number: r.number)] = i
                if let p = r.sourcePort {
                    control.byFlow[.init(file: file, sourcePort: p, destination: r.destination, destinationPort: r.destinationPort)] = i
                }
            }
        }
    }

    /// A recorded canary, or an ICMP error quoting one: noted, and true (never judged as a leak).
    /// A canary-looking datagram whose token the capture did not record stays what it is.
    mutating func canaryPacket(_ f: PacketFacts) -> Bool {
        guard !control.entries.isEmpty else { return false }
        if let t = f.canaryToken,
           let i = control.byToken[.init(file: f.fileIndex, high: t.high, low: t.low, number: f.canaryNumber)] {
            if control.entries[i].seenFrames.count < ControlState.maximumFrames { control.entries[i].seenFrames.append(f.frame) }
            if !control.entries[i].seenOn.contains(f.interfaceKey) { control.entries[i].seenOn.append(f.interfaceKey) }
            return true
        }
        if let q = f.quoted, q.ipProtocol == 17,
           let i = control.byFlow[.init(file: f.fileIndex, sourcePort: q.sourcePort, destination: q.destination,
                                        destinationPort: q.destinationPort)] {
            if control.entries[i].icmpFrames.count < ControlState.maximumFrames { control.entries[i].icmpFrames.append(f.frame) }
            return true
        }
        return false
    }

    // MARK: - Evaluation

    /// Loopback device names (never a path out of the host).
    static func isLoopbackName(_ n: String) -> Bool { n == "lo" || n.hasPrefix("lo0") || n == "Loopback" }

    /// A route device that is a tunnel: named by `--tunnel`, by the name patterns (without
    /// `--tunnel`), or guessed so by the capture (it had no hardware address, say).
    func isTunnelDevice(_ r: RouteSnapshot.Route) -> Bool {
        guard let d = r.device else { return false }
        if options.tunnelNames.contains(d) { return true }
        return r.deviceLooksLikeTunnel || (options.tunnelNames.isEmpty && TunnelNames.match(d) != nil)
    }

    func positiveControl() -> PositiveControl {
        let cap = limits.maxEvidenceItems
        var reasons: [String] = []

        // Coverage: every forwarding route through a captured interface.
        var captured = Set(control.files.flatMap(\.interfaceNames))
        for d in model.interfaces.values { captured.insert(d.displayName) }
        let capturedAll = captured.contains("any")
        var snapshots: [PositiveControl.Snapshot] = []
        var gaps: [String: PositiveControl.Gap] = [:]
        var gapOrder: [String] = []
        var routesVia: [String: Int] = [:]  // "file\u{0}device" -> forwarding routes seen
        var usable = 0
        for (file, c) in control.files.enumerated() {
            for s in c.routeSnapshots {
                let when = s.moment == .change ? "change at \(ISO8601Nanoseconds.format(s.timeNanoseconds))" : s.moment.rawValue
                snapshots.append(.init(file: fileName(file), moment: s.moment.rawValue, timeNs: s.timeNanoseconds,
                                       time: ISO8601Nanoseconds.format(s.timeNanoseconds), routes: s.routes.count,
                                       routesOmitted: s.routesOmitted > 0 ? s.routesOmitted : nil,
                                       changesOmitted: s.changesOmitted > 0 ? s.changesOmitted : nil,
                                       namespace: s.namespace, unavailable: s.unavailable))
                guard s.unavailable == nil else { continue }
                usable += 1
                func gap(_ device: String, _ line: String) {
                    let k = "\(file)\u{0}\(device)"
                    if gaps[k] == nil {
                        gaps[k] = .init(file: fileName(file), interface: device, routes: [], seen: [])
                        gapOrder.append(k)
                    }
                    if !gaps[k]!.routes.contains(line), gaps[k]!.routes.count < cap { gaps[k]!.routes.append(line) }
                    if !gaps[k]!.seen.contains(when), gaps[k]!.seen.count < cap { gaps[k]!.seen.append(when) }
                }
                if s.routesOmitted > 0 { gap("unknown", "\(s.routesOmitted) routes the records do not list (too many)") }
                for r in s.routes where r.forwards && !r.linkDown {
                    guard let d = r.device else { continue }
                    routesVia["\(file)\u{0}\(d)", default: 0] += 1
                    if capturedAll || captured.contains(d) || Self.isLoopbackName(d) || isTunnelDevice(r) { continue }
                    // A nexthop object the capture could not resolve: the device is unknown.
                    gap(d.hasPrefix("nhid") ? "unknown" : d, r.line)
                }
            }
        }
        let gapList = gapOrder.compactMap { gaps[$0] }
        let recorded = usable > 0
        for g in gapList {
            let what = g.interface == "unknown"
                ? "routes through an interface the capture could not name (\(g.routes.prefix(2).joined(separator: "; ")))"
                : "\(g.routes.count) route\(g.routes.count == 1 ? "" : "s") through \(g.interface), which was not captured (\(g.routes.prefix(2).joined(separator: "; "))\(g.routes.count > 2 ? "; ..." : ""))"
            reasons.append("\(what), in the routing table at \(g.seen.prefix(3).joined(separator: ", ")): a leak could have left there unseen")
        }
        let coverageStatement: String
        if !recorded {
            let why = snapshots.compactMap(\.unavailable).first.map { "the capture could not read the routing table (\($0))" }
                ?? "the capture holds no routing table (made by another tool, or with --no-routes)"
            coverageStatement = "coverage not recorded: \(why); judged on drops and the traffic seen on each path alone"
        } else if gapList.isEmpty {
            coverageStatement = "every route in the \(usable) recorded routing table\(usable == 1 ? "" : "s") goes through a captured interface, loopback or a tunnel"
        } else {
            coverageStatement = "\(gapList.count) interface\(gapList.count == 1 ? "" : "s") with routes not captured: \(gapList.map(\.interface).joined(separator: ", "))"
        }

        // Canaries, by the interface they were bound to.
        func canaries(file: Int, name: String) -> [ControlState.Entry] {
            control.entries.filter { $0.file == file && $0.record.interface == name }
        }

        // Paths: every physical and tunnel interface.
        var paths: [PositiveControl.Path] = []
        var anyPhysicalCanary = false, physicalCanarySeen = false, allBlocked = true, blockedBlind = false
        let carriers = control.allCarriers
        let decisions = model.interfaces.values.filter { $0.role == .physical || $0.role == .tunnel }
            .sorted { $0.description.key < $1.description.key }
        for d in decisions {
            let key = d.description.key
            let file = key.fileIndex, name = d.displayName
            let carrier = carriers.first { $0.key == key }
            let sent = carrier?.sent ?? 0, received = carrier?.received ?? 0
            let bound = canaries(file: file, name: name)
            // A canary bound here but seen only on another interface did not take this path (its
            // binding did not hold): it tests nothing here, and must not pass for a blocked one.
            let astray = bound.filter { !$0.seenOn.isEmpty && !$0.seenOn.contains(key) }
            let mine = bound.filter { $0.seenOn.isEmpty || $0.seenOn.contains(key) }
            let seenHere = mine.filter { $0.seenOn.contains(key) }
            let unseenButAnswered = mine.filter { $0.seenFrames.isEmpty && !$0.icmpFrames.isEmpty }
            let drops = file < control.files.count ? control.files[file].drops[key.interfaceID] : nil
            let routes = recorded ? routesVia["\(file)\u{0}\(name)"] ?? 0 : nil
            var path = PositiveControl.Path(
                file: fileName(file), interface: name, role: d.role.rawValue, evidence: "", statement: "",
                carrierSent: sent, carrierReceived: received, firstCarrierFrame: carrier?.firstFrame,
                canariesSent: bound.count, canariesSeen: seenHere.count, routes: routes,
                kernelDrops: drops?.kernel, interfaceDrops: drops?.interface)
            let carrierText = "carrier \(sent) sent, \(received) received\(carrier.map { ", first frame \($0.firstFrame)" } ?? "")"
            let frames = seenHere.flatMap(\.seenFrames).sorted()
            if d.role == .tunnel {
                if !seenHere.isEmpty {
                    path.evidence = "canary-seen"
                    path.statement = "\(name): tunnel canary seen (frame\(frames.count == 1 ? "" : "s") \(frameList(frames))): the tunnel carried it and the sensor sees it"
                } else if !mine.isEmpty {
                    path.evidence = "canary-not-seen"
                    path.statement = "\(name): \(mine.count) tunnel canar\(mine.count == 1 ? "y" : "ies") \(refusedText(mine)), none seen on \(name): the tunnel did not carry it or the sensor misses it (not a leak path)"
                } else {
                    path.evidence = "not-tested"
                    path.statement = "\(name): no canary sent through the tunnel"
                }
                paths.append(path)
                continue
            }
            if !mine.isEmpty { anyPhysicalCanary = true }
            if let drops, drops.total > 0 {
                path.evidence = "dropped"
                path.statement = "\(name): \(dropText(drops)) during the capture: a dropped packet may have been the leak"
                reasons.append(path.statement)
                if !seenHere.isEmpty { physicalCanarySeen = true }
            } else if !unseenButAnswered.isEmpty {
                let icmp = unseenButAnswered.flatMap(\.icmpFrames).sorted()
                path.evidence = "blind"
                let one = unseenButAnswered.count == 1
                path.statement = "\(name): canar\(one ? "y" : "ies") \(unseenButAnswered.map(\.record.label).joined(separator: ", ")) left the host (ICMP error frame\(icmp.count == 1 ? "" : "s") \(frameList(icmp)) quote\(icmp.count == 1 ? "s" : "") \(one ? "it" : "them")) but the capture did not see \(one ? "it" : "them"): the sensor misses packets sent there"
                reasons.append(path.statement)
            } else if !seenHere.isEmpty {
                physicalCanarySeen = true
                path.evidence = "canary-seen"
                path.statement = "\(name): canary seen on the wire (frame\(frames.count == 1 ? "" : "s") \(frameList(frames))), so the sensor sees this path; it is open: a packet bound to \(name) leaves outside the tunnel (no kill switch blocks it)"
            } else if sent > 0 {
                if !mine.isEmpty {
                    path.evidence = "kill-switch-verified"
                    path.statement = "\(name): \(carrierText), so the sensor sees this path; \(mine.count) canar\(mine.count == 1 ? "y" : "ies") bound to it \(refusedText(mine)) and none reached the wire: kill switch verified"
                } else {
                    path.evidence = "carrier-seen"
                    path.statement = "\(name): the tunnel's carrier is seen (\(carrierText)), so the sensor sees this path"
                }
            } else if let routes, routes == 0 {
                path.evidence = "no-route"
                path.statement = "\(name): no route goes through it in the recorded routing tables: not a path out of the host"
            } else {
                path.evidence = "blind"
                let what = received > 0
                    ? "only received carrier is seen (\(received) packets): nothing shows the capture sees packets sent there"
                    : d.packets == 0
                    ? "no packet at all was captured on it (an unused interface, a filter, or a sensor that sees nothing there; if it carries no traffic, name the interfaces that do with --physical)"
                    : "neither the tunnel's carrier nor a canary is seen on it: nothing shows the sensor would see a packet sent there"
                path.statement = "\(name): \(what)"
                if !mine.isEmpty { path.statement += " (\(mine.count) canar\(mine.count == 1 ? "y" : "ies") \(refusedText(mine)), none seen)" }
                reasons.append(path.statement)
                if !mine.isEmpty { blockedBlind = true }
            }
            if !mine.isEmpty && path.evidence != "kill-switch-verified" { allBlocked = false }
            if !astray.isEmpty {
                path.statement += "; canary \(astray.map(\.record.label).joined(separator: ", ")) bound to \(name) left through \(Set(astray.flatMap(\.seenOn).map(interfaceName)).sorted().joined(separator: ", ")) instead: it tested nothing here"
            }
            paths.append(path)
        }
        if !model.hasPhysicalInterface {
            reasons.insert("no physical interface was captured: a leak could only be seen there", at: 0)
        }
        let killSwitch: PositiveControl.KillSwitch = !anyPhysicalCanary ? .notTested
            : physicalCanarySeen ? .notEnforced : (allBlocked && !blockedBlind) ? .verified : .cannotTell

        let canaryReports = control.entries.map { e -> PositiveControl.Canary in
            let r = e.record
            let src = r.source.map { a in "\(a.isV4 ? a.description : "[\(a)]")\(r.sourcePort.map { ":\($0)" } ?? "")" }
            return .init(file: fileName(e.file), token: r.token.description, number: r.number, label: r.label,
                         interface: r.interface, path: r.path.rawValue, timeNs: r.timeNanoseconds,
                         time: ISO8601Nanoseconds.format(r.timeNanoseconds), source: src,
                         destination: "\(r.destination.isV4 ? r.destination.description : "[\(r.destination)]"):\(r.destinationPort)",
                         result: r.failure == nil ? "sent" : "refused", failure: r.failure, seenFrames: e.seenFrames.sorted(),
                         seenOn: e.seenOn.map(interfaceName), icmpFrames: e.icmpFrames.sorted())
        }
        return PositiveControl(
            status: reasons.isEmpty ? .verified : .blind, killSwitch: killSwitch, reasons: reasons,
            coverage: .init(recorded: recorded, captured: captured.sorted(), snapshots: snapshots, gaps: gapList,
                            statement: coverageStatement),
            paths: paths, canaries: canaryReports)
    }

    /// A physical canary on the wire is an observation (reports list it with the frames): the path is
    /// open, though no application's traffic took it (leakscope sent it; docs/leak-model.md).
    func canaryObservations(_ pc: PositiveControl) -> [Observation] {
        control.entries.indices.compactMap { i -> Observation? in
            let e = control.entries[i]
            let physical = e.seenOn.filter { model.role($0) == .physical }
            guard let key = physical.first, !e.seenFrames.isEmpty else { return nil }
            let r = e.record
            return Observation(
                kind: ObservationKind.canaryPathOpen.rawValue, file: fileName(e.file), interface: interfaceName(key),
                packets: e.seenFrames.count, frames: e.seenFrames.sorted(), framesOmitted: 0, names: [r.label],
                answers: nil, sources: r.source.map { [$0.description] },
                note: "a leakscope canary bound to \(r.interface) (\(r.label), to \(r.destination) port \(r.destinationPort)) reached the wire: a packet sent outside the tunnel leaves through this path, no kill switch blocks it; not a leak (leakscope sent it, no application's data), and it shows the sensor sees this path")
        }
    }

    /// One clause for the no-leak verdict: what shows every path is seen, and the coverage.
    func controlSummary(_ pc: PositiveControl) -> String {
        let physical = pc.paths.filter { $0.role == "physical" && $0.evidence != "no-route" }
        var s = "the sensor sees every path (" + physical.map { p in
            switch p.evidence {
            case "kill-switch-verified": "\(p.interface): carrier seen, kill switch verified by \(p.canariesSent) canar\(p.canariesSent == 1 ? "y" : "ies")"
            case "canary-seen": "\(p.interface): canary seen, path open"
            default: "\(p.interface): carrier seen"
            }
        }.joined(separator: "; ") + ")"
        s += "; " + pc.coverage.statement
        return s
    }

    func frameList(_ f: [Int]) -> String {
        f.count <= 6 ? f.map(String.init).joined(separator: ", ") : f.prefix(5).map(String.init).joined(separator: ", ") + " and \(f.count - 5) more"
    }

    /// "sent" / "refused by the kernel (send: Operation not permitted (errno 1))" / "sent or refused".
    func refusedText(_ e: [ControlState.Entry]) -> String {
        let refused = e.compactMap(\.record.failure)
        if refused.isEmpty { return "sent" }
        if refused.count == e.count { return "refused by the kernel (\(refused[0]))" }
        return "sent or refused (\(refused[0]))"
    }

    func dropText(_ d: CaptureControls.Drops) -> String {
        var parts: [String] = []
        if let k = d.kernel, k > 0 { parts.append("\(k) packet\(k == 1 ? "" : "s") dropped by the kernel (isb_osdrop)") }
        if let i = d.interface, i > 0 { parts.append("\(i) dropped by the interface (isb_ifdrop)") }
        return parts.joined(separator: ", ")
    }
}
