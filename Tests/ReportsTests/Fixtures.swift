@testable import Correlation
import CaptureFiles
import OutputText
import Reports

/// A hand-built analysis, typed as the correlator makes it: a WebRTC leak, a
/// DNS leak whose query name is hostile markup, and a tunnel failure span,
/// over one capture with a tunnel and a physical interface.
enum Fixtures {
    static let t0: Int64 = 1_700_000_000_000_000_000
    static let hostileName = "<script>alert(1)</script>.example"

    static func time(_ ns: Int64) -> String { ISO8601Nanoseconds.format(ns) }

    static func finding(
        _ id: String, _ cls: LeakClass, _ severity: Severity, title: String, first: Int64, last: Int64,
        packets: Int, bytes: Int, frames: [Int], evidence: Evidence
    ) -> Finding {
        Finding(id: id, class: cls, severity: severity, severityReason: "rule of the fixture", title: title, file: "s.pcapng",
                fileIndex: 0, interface: "eth0", firstNs: first, lastNs: last, firstTime: time(first), lastTime: time(last),
                packets: packets, bytes: bytes, frames: frames, framesOmitted: 0, evidence: evidence)
    }

    static var analysis: Analysis {
        var webrtc = Evidence()
        webrtc.stunServer = "203.0.113.10:3478"
        webrtc.exposedAddresses = ["198.51.100.2:40000"]
        webrtc.transactions = [STUNTransactionEvidence(id: "a1b2c3d4e5f60718293a4b5c", requestFrame: 5, responseFrame: 6,
                                                       mappedAddress: "198.51.100.2:40000")]
        webrtc.software = ["\u{1B}[31mevil\u{7}"]
        webrtc.alsoViaTunnel = true
        var dns = Evidence()
        dns.resolver = "198.51.100.53:53"
        dns.queries = [DNSQueryEvidence(name: hostileName, type: "A", frame: 7)]
        var failure = Evidence()
        failure.startNs = t0 + 1_500_000_000
        failure.endNs = t0 + 4_000_000_000
        failure.leakedFrames = [5, 6, 7]
        return Analysis(
            verdict: .init(status: .leaksFound, reason: "2 high findings on eth0 outside the tunnel"),
            tunnel: .init(
                interfaces: [
                    .init(file: "s.pcapng", id: 0, name: "wg0", linkType: "rawip", role: .tunnel, decidedBy: "name pattern wg*", packets: 2),
                    .init(file: "s.pcapng", id: 1, name: "eth0", linkType: "ether", role: .physical, decidedBy: "link type beside Ethernet", packets: 6),
                ],
                vpnEndpoints: [.init(address: "203.0.113.1", port: 51820, transport: "udp", protocol: "wireguard",
                                     decidedBy: "WireGuard handshake initiation/response, frames 1/2 of s.pcapng")],
                hostAddresses: [.init(address: "192.0.2.2", interface: "eth0", file: "s.pcapng", decidedBy: "source of the carrier flow")]),
            findings: [
                finding("F1", .webrtc, .high, title: "STUN Binding to 203.0.113.10:3478 outside the tunnel revealed 198.51.100.2",
                        first: t0 + 2_000_000_000, last: t0 + 2_050_000_000, packets: 2, bytes: 200, frames: [5, 6], evidence: webrtc),
                finding("F2", .dns, .high, title: "DNS query for \(hostileName) to 198.51.100.53 outside the tunnel",
                        first: t0 + 3_000_000_000, last: t0 + 3_000_000_000, packets: 1, bytes: 80, frames: [7], evidence: dns),
                finding("F3", .tunnelFailure, .medium, title: "Tunnel silent for 2.5 s while eth0 carried other traffic",
                        first: t0 + 1_500_000_000, last: t0 + 4_000_000_000, packets: 3, bytes: 280, frames: [5, 6, 7], evidence: failure),
            ],
            observations: [Observation(kind: "mdns", file: "s.pcapng", interface: "eth0", packets: 1, frames: [8], framesOmitted: 0,
                                       names: ["1f2e3d4c.local"], note: "multicast DNS on the link")],
            exposedPublicAddresses: [.init(address: "198.51.100.2", how: "XOR-MAPPED-ADDRESS from 203.0.113.10, frame 6",
                                           path: "physical", findingId: "F1")],
            assumptions: [
                "Interface wg0 in s.pcapng is tunnel (name pattern wg*).",
                "Interface eth0 in s.pcapng is physical (link type beside Ethernet).",
                "VPN endpoint wireguard 203.0.113.1:51820 (WireGuard handshake initiation/response, frames 1/2 of s.pcapng).",
                "Host address 192.0.2.2 on eth0 (source of the carrier flow).",
            ],
            packetVerdicts: ["carrier": 2, "leak": 3, "local": 1, "tunnel": 2],
            files: [.init(file: "s.pcapng", packets: 8, damage: nil, warnings: [])],
            bounds: .init(maxFlows: 65536, flowsRefused: 0, maxPendingTransactions: 4096, transactionsDropped: 0, maxFindings: 10000,
                          findingsDropped: 0, packetsInDroppedFindings: 0, maxFramesPerFinding: 1000, findingsWithFramesOmitted: 0,
                          maxEvidenceItems: 256, evidenceItemsOmitted: 0, modelBoundsHit: 0),
            settings: .init(tunnelGapNs: 2_000_000_000, groupGapNs: 60_000_000_000))
    }

    static var input: InputFile {
        InputFile(
            index: 0, name: "s.pcapng", path: "captures/s.pcapng", size: 1234,
            sha256: FileDigest.sha256(bytes: Array("s.pcapng".utf8)),
            capture: CaptureInfo(
                format: "pcapng", linkTypes: ["rawip", "ether"],
                sections: [InputSection(index: 0, userApplication: "leakscope 0.1.0 (capture)", os: "Linux")],
                interfaces: [
                    InputInterface(id: 0, name: "wg0", linkType: "rawip", linkTypeCode: 101, snaplen: 262144,
                                   addresses: ["10.8.0.2/32"], packets: 2, statistics: InputInterfaceStatistics(ifDrop: 0, osDrop: 0)),
                    InputInterface(id: 1, name: "eth0", linkType: "ether", linkTypeCode: 1, snaplen: 262144,
                                   addresses: ["192.0.2.2/24"], packets: 6, statistics: InputInterfaceStatistics(ifDrop: 1, osDrop: 2)),
                ],
                capturingTool: "leakscope 0.1.0 (capture)", firstNs: t0, lastNs: t0 + 5_000_000_000, packets: 8,
                droppedPackets: 3
            )
        )
    }

    /// Frame times and interfaces of the fixture capture (frame n at index n-1).
    static let frames: [(interface: Int, ns: Int64)] = [
        (1, t0), (1, t0 + 100_000_000), (0, t0 + 500_000_000), (0, t0 + 1_000_000_000),
        (1, t0 + 2_000_000_000), (1, t0 + 2_050_000_000), (1, t0 + 3_000_000_000), (1, t0 + 5_000_000_000),
    ]

    static var timeline: Timeline {
        var h = PacketHistogram(startNs: t0, endNs: t0 + 5_000_000_000, buckets: 10)
        let cited: Set<Int> = [5, 6, 7]
        for (i, f) in frames.enumerated() {
            h.add(fileIndex: 0, interfaceID: f.interface, timestampNs: f.ns)
            if cited.contains(i + 1) { h.addLeaked(fileIndex: 0, interfaceID: f.interface, timestampNs: f.ns) }
        }
        return Timeline(h, inputs: [input], tunnel: analysis.tunnel)
    }

    static var frameView: FrameView {
        FrameView(finding: "F1", file: "s.pcapng", frame: 5, timeNs: t0 + 2_000_000_000, interface: "eth0",
                  linkType: "ether", originalLength: 20,
                  bytes: [0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00, 0x45, 0x00, 0x3C, 0x73, 0x63, 0x72],
                  layers: [DecodedLayer(name: "eth", fields: [DecodedField("src", "02:00:00:00:00:02"), DecodedField("dst", "02:00:00:00:00:01")])],
                  notes: ["ip: truncated"])
    }

    static func record(deterministic: Bool = true) -> AnalysisRecord {
        RecordBuilder.build(
            analysis: analysis, tool: ToolInfo(version: "0.1.0"),
            invocation: Invocation(arguments: ["leakscope", "analyze", "captures/s.pcapng", "--format", "json", "--deterministic"],
                                   options: .init(format: .json, deterministic: deterministic)),
            analyzedAt: deterministic ? nil : "2026-11-25T14:00:00Z",
            inputs: [input], timeline: timeline, frameViews: [frameView],
            evidenceCapture: OutputFileInfo(name: "leaks.pcapng", size: 512, sha256: FileDigest.sha256(bytes: []), frames: 3)
        )
    }
}
