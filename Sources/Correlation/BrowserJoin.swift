import BrowserCandidates
import Dissectors

/// Joins the browser's candidates (sidecars) with the packet evidence pass 2
/// collected, and states each join in one sentence: "the page learned srflx
/// 198.51.100.2:35538 from STUN server 203.0.113.10:3478, from the Binding
/// exchange in frames 31/32 that left on eth0 outside wgc (finding F1)".
/// A candidate no packet carries is listed as not seen on the wire.
struct BrowserJoin {
    let model: TunnelModel
    let evidence: CandidateEvidenceCollector
    let findings: [Finding]
    let multipleFiles: Bool

    func report(_ found: [SidecarLocator.Found], warnings: [String]) -> BrowserReport {
        var r = BrowserReport(sidecars: found.map(\.report), warnings: warnings.isEmpty ? nil : warnings)
        for (si, f) in found.enumerated() {
            for round in f.sidecar.rounds {
                let cands = round.candidates.map { join($0, preferredFile: f.fileIndex) }
                r.statements += cands.map(\.statement)
                r.rounds.append(.init(sidecar: si, policy: round.policy, mdns: round.mdns, stun: round.stun,
                                      complete: round.complete, failure: round.failure, candidates: cands))
            }
        }
        return r
    }

    /// Adds each candidate's statement to the webrtc finding its exchange belongs to.
    static func annotate(_ findings: inout [Finding], with r: BrowserReport, cap: Int) {
        for round in r.rounds {
            for c in round.candidates {
                guard let id = c.evidence?.finding, let i = findings.firstIndex(where: { $0.id == id }) else { continue }
                var list = findings[i].evidence.browserCandidates ?? []
                guard list.count < cap, !list.contains(c.statement) else { continue }
                list.append(c.statement)
                findings[i].evidence.browserCandidates = list
            }
        }
    }

    func join(_ c: CandidateSidecar.Candidate, preferredFile: Int?) -> BrowserReport.Candidate {
        var out = BrowserReport.Candidate(type: c.type, address: c.address, port: c.port, protocol: c.protocol,
                                          relatedAddress: c.relatedAddress, relatedPort: c.relatedPort, url: c.url,
                                          seenOnWire: false, evidence: nil, statement: "")
        let type = c.type.lowercased()
        let url = c.url.flatMap(ICEServerURL.init)
        let address = IPAddress(parsing: c.address)
        let sa = address.flatMap { a in UInt16(exactly: c.port).map { SocketAddress(address: a, port: $0) } }
        let shown = sa?.description ?? "\(c.address):\(c.port)"
        let what = "\(type) \(shown)"
        switch type {
        case "srflx", "prflx", "relay":
            let relay = type == "relay"
            // prflx comes from a peer's connectivity check, not from a server.
            let from = type == "prflx" ? "peer" : url.map { "\($0.isTURN ? "TURN" : "STUN") server" } ?? "STUN/TURN server"
            guard let sa, let (ex, serverMatched) = exchange(for: sa, relay: relay, url: url, preferredFile: preferredFile) else {
                out.statement = "the page learned \(what) from \(c.url ?? "an unnamed server"), not seen on the wire: "
                    + "no \(relay ? "Allocate" : "STUN") success response in the capture carries this address (the capture may have missed the exchange)"
                return out
            }
            let e = exchangeEvidence(ex)
            out.seenOnWire = true
            out.evidence = e
            let method = ex.method == 0x001 ? "Binding" : ex.method == 0x003 ? "Allocate" : STUNMessage.methodName(ex.method)
            let frames = ex.requestFrame.map { "frames \($0)/\(ex.responseFrame)" } ?? "frame \(ex.responseFrame) (response; request not captured)"
            var s = "the page learned \(what) from \(from) \(ex.server), from the \(method) exchange in \(frames)\(ofFile(ex.fileIndex)) "
            s += pathText(ex.interface)
            if let id = e.finding { s += " (finding \(id))" }
            if !serverMatched, let u = url { s += "; note: \(u.hostPort) of the candidate's url did not match this server" }
            out.statement = s
        case "host":
            if address == nil, c.address.lowercased().hasSuffix(".local") {
                let list = evidence.announcements[c.address.lowercased()] ?? []
                let ordered = list.filter { model.role($0.interface) == .physical } + list.filter { model.role($0.interface) != .physical }
                guard let first = ordered.first else {
                    out.statement = "the page gathered \(what), not seen on the wire: no mDNS announcement of this name in the capture"
                    return out
                }
                out.seenOnWire = true
                out.evidence = .init(frame: first.frame, announcedAddress: first.address.description, matched: "mdns name",
                                     interface: interfaceName(first.interface), path: path(first.interface), file: fileName(first.fileIndex))
                var s = "the page gathered \(what); mDNS announced it as \(first.address) in frame \(first.frame)\(ofFile(first.fileIndex)) on \(interfaceName(first.interface))"
                let others = ordered.dropFirst().map { "frame \($0.frame) on \(interfaceName($0.interface))" + ($0.address == first.address ? "" : " as \($0.address)") }
                if !others.isEmpty { s += " (also \(others.joined(separator: ", ")))" }
                out.statement = s
            } else if let sa, let seen = evidence.hostSightings[sa] {
                out.seenOnWire = true
                out.evidence = .init(frame: seen.frame, matched: "address:port", interface: interfaceName(seen.interface),
                                     path: path(seen.interface), file: fileName(seen.fileIndex))
                out.statement = "the page gathered \(what); first sent from it in frame \(seen.frame)\(ofFile(seen.fileIndex)) on \(interfaceName(seen.interface)) (\(path(seen.interface)))"
            } else if let a = address, let seen = evidence.hostAddressSightings[a] {
                out.evidence = .init(frame: seen.frame, matched: "address", interface: interfaceName(seen.interface),
                                     path: path(seen.interface), file: fileName(seen.fileIndex))
                out.statement = "the page gathered \(what), not seen on the wire with this port; the address sent in frame \(seen.frame)\(ofFile(seen.fileIndex)) on \(interfaceName(seen.interface)) (\(path(seen.interface)))"
            } else {
                out.statement = "the page gathered \(what), not seen on the wire: no packet from this address in the capture"
            }
        default:
            out.statement = "the page reported \(what) (unknown candidate type), not joined with the capture"
        }
        return out
    }

    /// The first success response carrying `sa`: in the sidecar's capture first, from the candidate's
    /// server (address and port of its url; a host name through the DNS answers seen), Binding for
    /// STUN and Allocate for TURN urls. Falls back to any server, saying so.
    func exchange(for sa: SocketAddress, relay: Bool, url: ICEServerURL?, preferredFile: Int?)
        -> (CandidateEvidenceCollector.Exchange, Bool)? {
        let all = evidence.exchanges.filter { relay ? $0.relayed == sa : $0.mapped == sa }
        guard !all.isEmpty else { return nil }
        func serverMatches(_ e: CandidateEvidenceCollector.Exchange) -> Bool {
            guard let url else { return true }
            guard e.server.port == url.port else { return false }
            if let a = url.address { return e.server.address == a }
            if let set = evidence.resolved[url.host], !set.isEmpty { return set.contains(e.server.address) }
            return true
        }
        let wantMethod: UInt16 = relay || (url?.isTURN ?? false) ? 0x003 : 0x001
        func rank(_ e: CandidateEvidenceCollector.Exchange) -> Int {
            (serverMatches(e) ? 0 : 4) + (e.fileIndex == preferredFile || preferredFile == nil ? 0 : 2) + (e.method == wantMethod ? 0 : 1)
        }
        // `all` is in capture order; the stable minimum keeps the earliest of the best rank.
        var best = all[0]
        for e in all.dropFirst() where rank(e) < rank(best) { best = e }
        return (best, serverMatches(best))
    }

    func exchangeEvidence(_ ex: CandidateEvidenceCollector.Exchange) -> BrowserReport.CandidateEvidence {
        let file = fileName(ex.fileIndex)
        var finding: String?
        if model.role(ex.interface) != .tunnel {
            finding = findings.first { f in
                f.class == .webrtc && f.fileIndex == ex.fileIndex
                    && ((f.evidence.transactions ?? []).contains { $0.responseFrame == ex.responseFrame } || f.frames.contains(ex.responseFrame))
            }?.id
        }
        return .init(finding: finding, method: STUNMessage.methodName(ex.method), requestFrame: ex.requestFrame,
                     responseFrame: ex.responseFrame, stunServer: ex.server.description, matched: "address:port",
                     interface: interfaceName(ex.interface), path: path(ex.interface), file: file)
    }

    func pathText(_ k: InterfaceKey) -> String {
        let name = interfaceName(k)
        switch model.role(k) {
        case .tunnel: return "that went through the tunnel \(name)"
        case .physical:
            let tunnels = model.interfaces.values.filter { $0.role == .tunnel && $0.description.key.fileIndex == k.fileIndex }
                .map(\.displayName).sorted()
            return "that left on \(name) outside \(tunnels.isEmpty ? "the tunnel" : tunnels.joined(separator: ", "))"
        case .loopback: return "on the loopback interface \(name)"
        case .ignored: return "on \(name) (an interface the analysis ignores)"
        }
    }

    func path(_ k: InterfaceKey) -> String { model.role(k) == .tunnel ? "tunnel" : model.role(k).rawValue }
    func interfaceName(_ k: InterfaceKey) -> String { model.interfaces[k]?.displayName ?? "if\(k.interfaceID)" }
    func fileName(_ i: Int) -> String { model.fileNames[i] ?? "file \(i)" }
    func ofFile(_ i: Int) -> String { multipleFiles ? " of \(fileName(i))" : "" }
}
