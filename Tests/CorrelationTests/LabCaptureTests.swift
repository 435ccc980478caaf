import Correlation
import Foundation
import Testing

/// The lab's recordings (captures/MANIFEST.md has the ground truth, made with tshark filters):
/// every class's frames must match exactly.
@Suite struct LabCaptures {
    static let dir: String = {
        var p = #filePath
        for _ in 0..<3 { p = String(p[..<(p.lastIndex(of: "/") ?? p.startIndex)]) }
        return p + "/captures"
    }()

    func run(_ name: String) throws -> Analysis {
        try Correlation.analyze(paths: [Self.dir + "/" + name], options: AnalysisOptions())
    }

    /// Frames per class, as MANIFEST ranges ("31-32, 47-50").
    func frames(_ a: Analysis, _ c: LeakClass) -> [Int] {
        if c == .tunnelFailure { return a.findings.filter { $0.class == c }.flatMap { $0.evidence.leakedFrames ?? [] }.sorted() }
        return a.findings.filter { $0.class == c }.flatMap(\.frames).sorted()
    }

    func ranges(_ s: String) -> [Int] {
        s.split(separator: ",").flatMap { part -> [Int] in
            let p = part.trimmingCharacters(in: .whitespaces)
            let ends = p.split(separator: "-").compactMap { Int($0) }
            return ends.count == 2 ? Array(ends[0]...ends[1]) : ends
        }
    }

    @Test func clean() throws {
        let a = try run("lab-clean.pcapng")
        #expect(a.verdict.status == .noLeakSeen)
        #expect(a.findings.isEmpty)
        #expect(a.observations.first { $0.kind == "mdns" }?.frames == [9, 58, 62, 65, 68])
        #expect(a.tunnel.vpnEndpoints.map { "\($0.address):\($0.port ?? 0)" } == ["192.0.2.2:51820"])
        #expect(a.tunnel.interfaces.map { "\($0.name) \($0.role.rawValue)" } == ["eth0 physical", "wgc tunnel"])
    }

    @Test func webrtcLeak() throws {
        let a = try run("lab-webrtc-leak.pcapng")
        #expect(a.verdict.status == .leaksFound)
        #expect(frames(a, .webrtc) == ranges("31-32, 47-50, 66-68, 102-103, 106, 108, 110, 112, 119-120"))
        for c in [LeakClass.dns, .ipv6, .traffic, .tunnelFailure] { #expect(frames(a, c).isEmpty, "\(c)") }
        let stun = try #require(a.findings.first { $0.class == .webrtc && $0.evidence.stunServer == "203.0.113.10:3478" })
        #expect(stun.evidence.exposedAddresses?.contains { $0.hasPrefix("198.51.100.2:") } == true)
    }

    @Test func dnsLeak() throws {
        let a = try run("lab-dns-leak.pcapng")
        #expect(frames(a, .dns) == ranges("12-19, 21, 25-28, 33, 38-39, 64-71, 76-81, 86-87"))
        for c in [LeakClass.webrtc, .ipv6, .traffic, .tunnelFailure] { #expect(frames(a, c).isEmpty, "\(c)") }
        let names = Set(a.findings.flatMap { $0.evidence.queries ?? [] }.map(\.name))
        #expect(names.isSuperset(of: ["stun.lab.test", "turn.lab.test"]))
        #expect(a.findings.allSatisfy { $0.evidence.resolver == "203.0.113.53:53" })
    }

    @Test func ipv6Leak() throws {
        let a = try run("lab-ipv6-leak.pcapng")
        #expect(frames(a, .webrtc) == [19, 24, 71, 76])
        #expect(frames(a, .ipv6) == Array(128...139))
        for c in [LeakClass.dns, .traffic, .tunnelFailure] { #expect(frames(a, c).isEmpty, "\(c)") }
        #expect(a.findings.first { $0.class == .ipv6 }?.evidence.source == "2001:db8:1::2")
    }

    @Test func tunnelDown() throws {
        let a = try run("lab-tunnel-down.pcapng")
        #expect(frames(a, .webrtc) == ranges("120-121, 125-127, 130, 138-140"))
        #expect(frames(a, .dns) == ranges("108-119, 123-124, 128-129, 146-149"))
        #expect(frames(a, .traffic) == Array(150...161))
        #expect(frames(a, .ipv6).isEmpty)
        #expect(frames(a, .tunnelFailure) == ranges("108-121, 123-130, 138-140, 146-161"))
        let span = try #require(a.findings.first { $0.class == .tunnelFailure })
        #expect(span.evidence.startNs == 1_795_617_657_954_624_028)
        #expect(span.evidence.openAtEnd == true)
        // The first round went through the tunnel: the STUN server saw the VPN's address there,
        // and the same server was then reached outside it.
        #expect(a.exposedPublicAddresses.contains { $0.address.hasPrefix("192.0.2.2:") && $0.path == "tunnel" })
        #expect(a.exposedPublicAddresses.contains { $0.address.hasPrefix("198.51.100.2:") && $0.path == "physical" })
        #expect(a.findings.contains { $0.class == .webrtc && $0.evidence.alsoViaTunnel == true })
    }

    @Test func everything() throws {
        let a = try run("lab-everything.pcapng")
        #expect(frames(a, .webrtc) == ranges("18, 20, 26, 29-33, 58-59, 69-70, 76-79, 93, 95-96"))
        #expect(frames(a, .dns) == ranges("12-15, 19, 21-25, 27-28, 40-43, 61-68, 71-75, 80-82, 101-104"))
        #expect(frames(a, .ipv6) == ranges("44-55, 105-116"))
        #expect(frames(a, .traffic).isEmpty)
        #expect(frames(a, .tunnelFailure) == ranges("40-55, 58-59, 61-82, 93, 95-96, 101-116"))
        let span = try #require(a.findings.first { $0.class == .tunnelFailure })
        #expect(span.evidence.startNs == 1_795_617_667_150_927_076)
    }
}
