import Reports

/// A hand-built analysis in the shape of the contract (docs/analysis-json.md):
/// a WebRTC leak, a DNS leak whose query name is hostile markup, and a tunnel
/// failure span, over one capture with a tunnel and a physical interface.
enum Fixtures {
    static let t0: Int64 = 1_700_000_000_000_000_000
    static let hostileName = "<script>alert(1)</script>.example"

    static var analysis: AnalysisCore {
        AnalysisCore(
            verdict: RecordVerdict(status: "leaks-found", reason: "2 high findings on eth0 outside the tunnel"),
            tunnel: RecordTunnel(fields: [
                "interfaces": [
                    ["file": "s.pcapng", "id": 0, "name": "wg0", "link_type": "rawip", "role": "tunnel", "decided_by": "name pattern wg*"],
                    ["file": "s.pcapng", "id": 1, "name": "eth0", "link_type": "ether", "role": "physical", "decided_by": "link type beside Ethernet"],
                ],
                "vpn_endpoints": [["address": "203.0.113.1", "port": 51820, "protocol": "wireguard",
                                   "decided_by": "WireGuard handshake initiation/response, frames 1/2 of s.pcapng"]],
                "host_addresses": [["address": "192.0.2.2", "interface": "eth0", "decided_by": "source of the carrier flow"]],
            ]),
            findings: [
                RecordFinding(fields: [
                    "id": "F1", "class": "webrtc", "severity": "high",
                    "title": "STUN Binding to 203.0.113.10:3478 outside the tunnel revealed 198.51.100.2",
                    "file": "s.pcapng", "interface": "eth0", "first_ns": .int(t0 + 2_000_000_000), "last_ns": .int(t0 + 2_050_000_000),
                    "packets": 2, "bytes": 200, "frames": [5, 6],
                    "evidence": [
                        "stun_server": "203.0.113.10:3478", "exposed_addresses": ["198.51.100.2:40000"],
                        "transactions": [["id": "a1b2c3d4e5f60718293a4b5c", "request_frame": 5, "response_frame": 6, "mapped_address": "198.51.100.2:40000"]],
                        "software": ["\u{1B}[31mevil\u{7}"], "also_via_tunnel": true,
                    ],
                ]),
                RecordFinding(fields: [
                    "id": "F2", "class": "dns", "severity": "high",
                    "title": "DNS query for \(hostileName) to 198.51.100.53 outside the tunnel",
                    "file": "s.pcapng", "interface": "eth0", "first_ns": .int(t0 + 3_000_000_000), "last_ns": .int(t0 + 3_000_000_000),
                    "packets": 1, "bytes": 80, "frames": [7],
                    "evidence": [
                        "resolver": "198.51.100.53:53",
                        "queries": [["name": .string(hostileName), "type": "A", "frame": 7]],
                    ],
                ]),
                RecordFinding(fields: [
                    "id": "F3", "class": "tunnel-failure", "severity": "medium",
                    "title": "Tunnel silent for 2.5 s while eth0 carried other traffic",
                    "file": "s.pcapng", "interface": "eth0", "first_ns": .int(t0 + 1_500_000_000), "last_ns": .int(t0 + 4_000_000_000),
                    "packets": 3, "bytes": 280, "frames": [5, 6, 7],
                    "evidence": ["start_ns": .int(t0 + 1_500_000_000), "end_ns": .int(t0 + 4_000_000_000), "leaked_frames": [5, 6, 7]],
                ]),
            ],
            observations: [RecordObservation(fields: ["kind": "mdns", "interface": "eth0", "frames": [8], "names": ["1f2e3d4c.local"]])],
            exposedPublicAddresses: [RecordExposedAddress(fields: [
                "address": "198.51.100.2", "how": "XOR-MAPPED-ADDRESS from 203.0.113.10, frame 6", "path": "physical",
            ])]
        )
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
        var acc = TimelineAccumulator(startNs: t0, endNs: t0 + 5_000_000_000, buckets: 10)
        let cited: Set<Int> = [5, 6, 7]
        for (i, f) in frames.enumerated() {
            acc.add(fileIndex: 0, interfaceID: f.interface, timestampNs: f.ns, leaked: cited.contains(i + 1))
        }
        return acc.timeline(inputs: [input], tunnel: analysis.tunnel)
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
                                   options: ["format": "json", "deterministic": .bool(deterministic)]),
            analyzedAt: deterministic ? nil : "2026-11-25T14:00:00Z",
            inputs: [input], timeline: timeline, frameViews: [frameView],
            evidenceCapture: OutputFileInfo(name: "leaks.pcapng", size: 512, sha256: FileDigest.sha256(bytes: []), frames: 3)
        )
    }
}
