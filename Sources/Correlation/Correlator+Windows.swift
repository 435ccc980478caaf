import Dissectors
import OutputText

/// Tunnel events and leak windows (docs/leak-model.md, "Leak windows and
/// tunnel failure").
///
/// The activity signal (packets on tunnel interfaces when one was captured,
/// else the carrier) goes quiet; the first leak after the last activity opens
/// a candidate window, every leak until activity resumes joins it. When the
/// quiet ends (activity resumes, or the capture ends), the packets say what
/// happened to the tunnel: a recorded interface stop, a switch to another VPN
/// endpoint, a reconnect (a new session's handshake), a carrier gap, or
/// nothing (the tunnel was only quiet). The window is kept with that event,
/// and it is a tunnel failure when the evidence says the tunnel was not merely
/// idle. All of it runs per quiet period, never per packet beyond O(1) updates.
struct WindowState {
    var windows: [WindowBuilder] = []
    var dropped = 0
    /// The tunnel's carrier (not another VPN's): when it was last seen and to which endpoint.
    var lastCarrier: Int64?
    var lastCarrierEndpoint: EndpointSpec?
    /// The longest gap between carrier packets since the last activity.
    var carrierSilence: Int64 = 0
    static let maxWindows = 256
    /// A handshake this long after the quiet ended still belongs to it: the tunnel packet that
    /// triggers a WireGuard handshake is captured just before the handshake leaves.
    static let handshakeGrace: Int64 = 1_000_000_000
    /// WireGuard starts a new session when it sends on one older than this (REKEY_AFTER_TIME), idle or not.
    static let wireGuardRekey: Int64 = 120_000_000_000
}

/// What ended (or happened in) a quiet period of the tunnel.
enum TunnelEventKind: String, Sendable {
    case interfaceVanished = "interface-vanished", interfaceDown = "interface-down", interfaceFailed = "interface-failed"
    case endpointSwitch = "endpoint-switch"
    case reconnect
    case carrierGap = "carrier-gap"
    case tunnelQuiet = "tunnel-quiet"

    /// Events that say the tunnel itself changed (listed even when nothing escaped).
    var isTunnelChange: Bool {
        switch self {
        case .carrierGap, .tunnelQuiet: false
        default: true
        }
    }
}

struct TunnelEvent {
    var kind: TunnelEventKind
    var detail: String
    var frames: [Int] = []
    var fileIndex: Int?
    /// A recorded interface stop: when (to list each stop once).
    var stopTime: Int64?
}

/// A leak window under construction.
struct WindowBuilder {
    var event: TunnelEvent
    var fileIndex: Int
    var interface: InterfaceKey?
    var start: Int64
    /// nil: the quiet lasted to the end of the capture.
    var end: Int64?
    var packets = 0, bytes = 0
    var frames: [Int] = []
    var framesOmitted = 0
    var classes: [String] = []
    var failure = false
    var judgement = ""
    /// The tunnel-failure finding (index into `builders`).
    var builder: Int?
}

extension Correlator {
    /// One leaked packet (outbound, or an answer of a leaking flow): spans, windows and attack findings.
    mutating func trackLeak(_ f: PacketFacts, cls: LeakClass, key: FlowKey, outbound: Bool) {
        guard spansEnabled else { return }
        spanTrack(f, cls: cls, remote: key.remote, outbound: outbound)
        attackTrack(f, cls: cls, key: key, outbound: outbound)
    }

    mutating func spanTrack(_ f: PacketFacts, cls: LeakClass, remote: IPAddress, outbound: Bool) {
        // A tunnel interface the capture saw stop makes the leaks after it a failure at once (InterfaceStops.swift).
        let stop = recordedStops.isEmpty ? nil : tunnelStop(file: f.fileIndex, atOrBefore: f.time)
        if !candidateSpans.isOpen(f.fileIndex) {
            guard outbound, let last = lastActivity ?? stop?.event.timeNanoseconds else {
                if outbound, leakedRemotes.count < limits.maxTunnelPeers { leakedRemotes.insert(remote) }
                return
            }
            let gk = GroupKey(cls: .tunnelFailure, interface: f.interfaceKey,
                              subject: Peer(address: .v4(0), port: UInt16(truncatingIfNeeded: f.frame)))
            var fb = FindingBuilder(key: gk, time: f.time)
            fb.spanStart = last
            fb.activitySignal = activityFromTunnelInterface ? "packets on tunnel interfaces" : "carrier packets to the VPN endpoints"
            candidateSpans.open(f.fileIndex, SpanCandidate(builder: fb, endpointBefore: windows.lastCarrierEndpoint))
        }
        // What needs the correlator is worked out first; then the candidate is changed where it is
        // in `candidateSpans` (a copy out and back would copy its frame and flow lists per packet).
        guard let open = candidateSpans.byFile[f.fileIndex]?.unsetRemotes() else { return }
        let new = outbound && open.newRemote && !leakedRemotes.contains(remote) && !routedOutside(remote, f.interfaceKey)
        let moved = outbound && open.moved && tunnelAddresses.contains(remote)
        candidateSpans.byFile[f.fileIndex]!.track(f, cls: cls, remote: remote, outbound: outbound, stop: stop,
                                           newRemote: new, movedRemote: moved, limits: limits)
    }

    /// A route outside the tunnel explains traffic to `a` (the interface's own network, a pushed route,
    /// the VPN server's own address): first contact with it is no sign that the tunnel went down.
    func routedOutside(_ a: IPAddress, _ interface: InterfaceKey) -> Bool {
        if attacks.endpointAddresses.contains(a) { return true }
        if !model.localNetworks.isEmpty, model.localNetworks[interface]?.contains(where: { $0.prefix.contains(a) }) == true { return true }
        return !attacks.routes.isEmpty && pushedRoute(holding: a, on: interface) != nil
    }

    /// A carrier packet of the tunnel: the carrier's last time, endpoint and longest silence.
    @inline(__always) mutating func carrierPacket(_ t: Int64, address: IPAddress, port: UInt16?) {
        if let last = windows.lastCarrier {
            // Only the silence since the tunnel's last activity belongs to the quiet that may follow.
            let gap = elapsed(t, since: max(last, lastActivity ?? last))
            if gap > windows.carrierSilence { windows.carrierSilence = gap }
        }
        if windows.lastCarrier.map({ t > $0 }) ?? true { windows.lastCarrier = t }
        if windows.lastCarrierEndpoint?.address != address || windows.lastCarrierEndpoint?.port != port {
            windows.lastCarrierEndpoint = EndpointSpec(address: address, port: port)
        }
    }

    /// The quiet ended at `end` (nil: the capture ended): judge the candidate, keep its window.
    mutating func settleSpan(_ c: consuming SpanCandidate, end: Int64?) {
        let start = c.builder.spanStart
        // The event's text only for a span that is kept (a finding or a window): a flood of short
        // leaks settles a span per leak, and most are neither (callgrind: formatSeconds and the
        // texts were a quarter of settling). `detail: false` gives the same kind, frames and file.
        let brief = tunnelEvent(start: start, end: end, endpointBefore: c.endpointBefore, stop: c.tunnelStop, detail: false)
        let quiet = elapsed(end ?? lastTime, since: start) >= options.tunnelGapNanoseconds
        let firstNew = c.newRemote, firstMoved = c.movedRemote
        var failure = false, why = ""
        switch brief.kind {
        case .interfaceVanished, .interfaceDown, .interfaceFailed:
            failure = true
            why = "the tunnel interface was gone: everything outside the tunnel after that is a failure"
        case .endpointSwitch, .reconnect:
            if !quiet { why = quietForLessThanTheGap }
            else if let r = firstMoved ?? firstNew {
                failure = true
                why = c.movedRemote != nil
                    ? "the client re-established the tunnel, and meanwhile traffic that went through it before (to \(r)) went around it"
                    : "the client re-established the tunnel, and meanwhile traffic went to a remote that had not leaked before (\(r))"
            } else {
                why = "what left meanwhile went to remotes that had leaked before or that a route outside the tunnel explains (the LAN, a pushed route, the VPN server's address)"
            }
        case .carrierGap, .tunnelQuiet:
            if !quiet { why = quietForLessThanTheGap }
            else if let r = firstMoved {
                failure = true
                why = "traffic that went through the tunnel before (to \(r)) went around it"
            } else if end == nil, let r = firstNew {
                failure = true
                why = "the tunnel did not come back before the end of the capture, and traffic went to a remote that had not leaked before (\(r))"
            } else if end != nil {
                why = "the tunnel resumed without a reconnect and no traffic that used it before went around it: idle, not down"
            } else {
                why = "no traffic that used the tunnel went around it, and what left went to remotes that had leaked before or that a route outside the tunnel explains (the LAN, a pushed route, the VPN server's address)"
            }
        }
        var b = c.builder
        b.spanEnd = end
        if let s = c.tunnelStop { b.tunnelStop = s; b.activitySignal += "; \(stopText(s))" }
        var findingIndex: Int?
        let kept = failure || brief.kind.isTunnelChange || (brief.kind == .carrierGap && quiet)
        let event = kept ? tunnelEvent(start: start, end: end, endpointBefore: c.endpointBefore, stop: c.tunnelStop) : brief
        if failure {
            if builders.count < limits.maxFindings {
                b.window = windows.windows.count < WindowState.maxWindows ? windows.windows.count : nil
                b.tunnelEvent = event
                builders.append(b)
                findingIndex = builders.count - 1
            } else {
                findingsDropped += 1
            }
        }
        if kept {
            var w = WindowBuilder(event: event, fileIndex: b.key.interface.fileIndex, interface: b.key.interface,
                                  start: start, end: end)
            w.packets = b.packets; w.bytes = b.bytes
            w.frames = b.frames.sorted(); w.framesOmitted = b.framesOmitted
            w.classes = b.leakClasses.items.sorted { (LeakClass(rawValue: $0) ?? .traffic) < (LeakClass(rawValue: $1) ?? .traffic) }
            w.failure = failure
            w.judgement = why
            w.builder = findingIndex
            addWindow(w)
        }
        for r in c.remotes where leakedRemotes.count < limits.maxTunnelPeers { leakedRemotes.insert(r) }
    }

    /// A quiet period of at least the gap in which nothing leaked: a window only when the tunnel changed.
    mutating func quietWithoutLeaks(start: Int64, end: Int64?) {
        let event = tunnelEvent(start: start, end: end, endpointBefore: windows.lastCarrierEndpoint)
        guard event.kind.isTunnelChange else { return }
        var w = WindowBuilder(event: event, fileIndex: event.fileIndex ?? 0, interface: nil, start: start, end: end)
        w.judgement = "nothing left outside the tunnel meanwhile"
        addWindow(w)
    }

    /// At the end: a recorded tunnel-interface stop after which nothing leaked is still a window
    /// (the tunnel went away and nothing escaped: what a working kill switch looks like).
    mutating func windowsForQuietStops() {
        for s in recordedStops where model.role(s.interface) == .tunnel {
            let t = s.event.timeNanoseconds
            guard !windows.windows.contains(where: { $0.event.stopTime == t && $0.fileIndex == s.interface.fileIndex }) else { continue }
            let start = lastActivity.map { $0 <= t ? $0 : t } ?? t
            var w = WindowBuilder(event: tunnelEvent(start: start, end: nil, endpointBefore: nil, stop: s),
                                  fileIndex: s.interface.fileIndex, interface: nil, start: start, end: nil)
            w.judgement = "nothing left outside the tunnel after it"
            addWindow(w)
        }
    }

    mutating func addWindow(_ w: WindowBuilder) {
        guard windows.windows.count < WindowState.maxWindows else { windows.dropped += 1; return }
        windows.windows.append(w)
    }

    /// What the packets say happened to the tunnel between `start` (its last activity) and `end`.
    /// With `detail: false` the texts are left empty; everything else is what `detail: true` gives.
    func tunnelEvent(start: Int64, end: Int64?, endpointBefore: EndpointSpec?, stop: InterfaceStop? = nil,
                     detail: Bool = true) -> TunnelEvent {
        if let stop {
            let kind: TunnelEventKind = switch stop.event.kind {
            case .vanished: .interfaceVanished
            case .wentDown: .interfaceDown
            case .failed: .interfaceFailed
            }
            return TunnelEvent(kind: kind, detail: detail ? stopText(stop) : "", fileIndex: stop.interface.fileIndex,
                               stopTime: stop.event.timeNanoseconds)
        }
        let until = end ?? lastTime
        let quietText = detail ? formatSeconds(Double(elapsed(until, since: start)) / 1e9) : ""
        let carrierSilence = max(windows.carrierSilence, windows.lastCarrier.map { elapsed(until, since: max($0, start)) } ?? 0)
        let carrierSilent = windows.lastCarrier != nil && carrierSilence >= options.tunnelGapNanoseconds
        if let h = handshake(in: start, until.saturatingAdd(WindowState.handshakeGrace)) {
            let hs = model.handshakes[h]
            let to = EndpointSpec(address: hs.endpoint, port: hs.endpointPort == 0 ? nil : hs.endpointPort)
            let what = detail ? "\(Self.handshakeName(hs.protocol)), frame \(hs.frame) of \(fileName(hs.fileIndex))" : ""
            if let before = endpointBefore, before.address != hs.endpoint {
                return TunnelEvent(kind: .endpointSwitch, detail: detail ? "the carrier moved from \(before) to \(to): \(what)" : "",
                                   frames: [hs.frame], fileIndex: hs.fileIndex)
            }
            // WireGuard also starts a new session when an idle one is older than REKEY_AFTER_TIME:
            // that alone is no reconnect, unless the carrier stopped too.
            let previous = model.handshakes[..<h].last { $0.endpoint == hs.endpoint && $0.protocol == hs.protocol }
            let recent = previous.map { elapsed(hs.time, since: $0.time) < WindowState.wireGuardRekey } ?? false
            if hs.protocol != "wireguard" || recent || carrierSilent {
                guard detail else { return TunnelEvent(kind: .reconnect, detail: "", frames: [hs.frame], fileIndex: hs.fileIndex) }
                var why = ""
                if let p = previous, recent { why = " (the previous session began \(formatSeconds(Double(elapsed(hs.time, since: p.time)) / 1e9)) before, frame \(p.frame))" }
                else if carrierSilent { why = " (the carrier was silent for \(formatSeconds(Double(carrierSilence) / 1e9)))" }
                return TunnelEvent(kind: .reconnect, detail: "a new session with \(to) after \(quietText) of quiet: \(what)\(why)",
                                   frames: [hs.frame], fileIndex: hs.fileIndex)
            }
        }
        if carrierSilent || (!activityFromTunnelInterface && elapsed(until, since: start) >= options.tunnelGapNanoseconds) {
            guard detail else { return TunnelEvent(kind: .carrierGap, detail: "") }
            let ep = windows.lastCarrierEndpoint.map { " to \($0)" } ?? ""
            return TunnelEvent(kind: .carrierGap,
                               detail: "the carrier\(ep) was silent for \(formatSeconds(Double(activityFromTunnelInterface ? carrierSilence : elapsed(until, since: start)) / 1e9))")
        }
        guard detail else { return TunnelEvent(kind: .tunnelQuiet, detail: "") }
        let carrier = windows.lastCarrier == nil ? "no carrier seen" : "the carrier went on (longest silence \(formatSeconds(Double(carrierSilence) / 1e9)))"
        return TunnelEvent(kind: .tunnelQuiet, detail: "no packet on the tunnel interfaces for \(quietText); \(carrier)")
    }

    /// The first tunnel handshake at or after `from` and at or before `to` (model.handshakes is by time).
    func handshake(in from: Int64, _ to: Int64) -> Int? {
        let hs = model.handshakes
        var lo = 0, hi = hs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if hs[mid].time < from { lo = mid + 1 } else { hi = mid }
        }
        return lo < hs.count && hs[lo].time <= to ? lo : nil
    }

    static func handshakeName(_ p: String) -> String {
        switch p {
        case "wireguard": "WireGuard handshake initiation"
        case "openvpn": "OpenVPN client hard reset"
        default: "IKE_SA_INIT request"
        }
    }

    /// Windows in start order, with ids, and the finding ids of their tunnel failures.
    func leakWindows(findingIDs: [Int: String]) -> [Analysis.LeakWindow] {
        let order = windows.windows.indices.sorted {
            let a = windows.windows[$0], b = windows.windows[$1]
            return (a.fileIndex, a.start) < (b.fileIndex, b.start)
        }
        return order.enumerated().map { n, i in
            let w = windows.windows[i]
            let end = w.end ?? lastTime
            return Analysis.LeakWindow(
                id: "W\(n + 1)", event: w.event.kind.rawValue, eventDetail: w.event.detail,
                eventFrames: w.event.frames.isEmpty ? nil : w.event.frames,
                file: fileName(w.fileIndex), fileIndex: w.fileIndex, interface: w.interface.map(interfaceName),
                startNs: w.start, endNs: end, startTime: ISO8601Nanoseconds.format(w.start), endTime: ISO8601Nanoseconds.format(end),
                durationMs: Int((Double(elapsed(end, since: w.start)) / 1e6).rounded()), openAtEnd: w.end == nil,
                packets: w.packets, bytes: w.bytes, classes: w.classes, frames: w.frames, framesOmitted: w.framesOmitted,
                tunnelFailure: w.failure, judgement: w.judgement, findingId: w.builder.flatMap { findingIDs[$0] })
        }
    }

    /// Window ids by window index (for the tunnel-failure findings' evidence).
    func windowIDs() -> [Int: String] {
        let order = windows.windows.indices.sorted {
            let a = windows.windows[$0], b = windows.windows[$1]
            return (a.fileIndex, a.start) < (b.fileIndex, b.start)
        }
        var ids: [Int: String] = [:]
        for (n, i) in order.enumerated() { ids[i] = "W\(n + 1)" }
        return ids
    }
}

extension Int64 {
    func saturatingAdd(_ x: Int64) -> Int64 {
        let (r, o) = addingReportingOverflow(x)
        return o ? (x > 0 ? .max : .min) : r
    }
}
