// swift-tools-version: 6.1
// LeakScope: a packet-capture leak analyzer. One target per pipeline stage
// (see docs/ARCHITECTURE.md); dependencies point left only:
// OutputText, OutputFiles -> JSONCoding, CaptureFiles -> Dissectors -> Correlation -> Reports, LiveCapture beside them.
import PackageDescription

let package = Package(
    name: "LeakScope",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "leakscope", targets: ["leakscope"]),
        .library(name: "OutputText", targets: ["OutputText"]),
        .library(name: "JSONCoding", targets: ["JSONCoding"]),
        .library(name: "OutputFiles", targets: ["OutputFiles"]),
        .library(name: "CaptureFiles", targets: ["CaptureFiles"]),
        .library(name: "Dissectors", targets: ["Dissectors"]),
        .library(name: "Correlation", targets: ["Correlation"]),
        .library(name: "Reports", targets: ["Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // libpcap through pkg-config (Debian: libpcap-dev).
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"]), .brew(["libpcap"])]
        ),
        // How values are written as text in every output: hex, ISO 8601 times, terminal-safe
        // text, command lines in capture comments.
        .target(name: "OutputText"),
        // The one deterministic JSON encoder and the decoder that keeps unknown keys.
        .target(name: "JSONCoding", dependencies: ["OutputText"]),
        // Every output file: what a path may be written as (regular file, device, FIFO, descriptor),
        // atomic or partial writing, file modes, identities of inputs no output may replace.
        .target(name: "OutputFiles"),
        // Pure-Swift pcap/pcapng reading (inputs opened once: mapped or spooled) and pcapng writing.
        .target(name: "CaptureFiles", dependencies: ["OutputFiles", "OutputText"]),
        // Starting and stopping child processes (posix_spawn): the capture's command, the browsers.
        .target(name: "ProcessSpawning", dependencies: ["OutputText"]),
        // libpcap handles on several interfaces; writes through CaptureFiles.
        .target(name: "LiveCapture", dependencies: ["CPcap", "CaptureFiles", "OutputFiles", "ProcessSpawning", "OutputText"]),
        // The candidate sidecar schema (what the browser said it gathered) and ICE server URLs:
        // written by BrowserSession, read by Correlation, so neither depends on the other.
        .target(name: "BrowserCandidates", dependencies: ["CaptureFiles"]),
        // Zero-copy wire views and the per-packet Dissection. No policy here.
        .target(
            name: "Dissectors",
            dependencies: [
                "CaptureFiles", "OutputText", "JSONCoding",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // Community ID v1 flow hashes (the published specification), to join findings with Zeek/Suricata/Arkime data.
        .target(
            name: "CommunityID",
            dependencies: ["CaptureFiles", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Tunnel model, verdicts, findings: all leak policy lives here.
        .target(name: "Correlation", dependencies: ["Dissectors", "CaptureFiles", "BrowserCandidates", "CommunityID", "OutputText", "JSONCoding"]),
        // The analysis record and its renderings (JSON, HTML, Markdown, JSONL, evidence pcapng).
        .target(
            name: "Reports",
            dependencies: ["Correlation", "Dissectors", "CaptureFiles", "OutputFiles", "OutputText", "JSONCoding",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Probe page server, browser launchers (Chromium, Firefox), ICE candidate collection.
        .target(name: "BrowserSession", dependencies: ["CaptureFiles", "BrowserCandidates", "ProcessSpawning", "OutputFiles", "OutputText"]),
        // The CLI: parses arguments, wires the stages, sets exit codes.
        .executableTarget(
            name: "leakscope",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "OutputText", "JSONCoding", "OutputFiles", "CaptureFiles", "LiveCapture", "Dissectors", "Correlation", "Reports",
                "BrowserSession", "BrowserCandidates",
            ]
        ),
        // The one packet and capture-file builder of every test target (Pkt, CaptureBuilder, PcapBytes, PcapNGBytes).
        .target(name: "TestCaptures", dependencies: ["CaptureFiles"], path: "Tests/TestCaptures"),
        .testTarget(name: "OutputTextTests", dependencies: ["OutputText"]),
        .testTarget(name: "JSONCodingTests", dependencies: ["JSONCoding"]),
        .testTarget(name: "OutputFilesTests", dependencies: ["OutputFiles"]),
        .testTarget(name: "CaptureFilesTests", dependencies: ["TestCaptures", "CaptureFiles", "OutputFiles", "OutputText"]),
        .testTarget(name: "ProcessSpawningTests", dependencies: ["ProcessSpawning"]),
        .testTarget(name: "CommunityIDTests", dependencies: ["TestCaptures", "CommunityID", "CaptureFiles", "Dissectors"]),
        .testTarget(name: "LiveCaptureTests", dependencies: ["TestCaptures", "LiveCapture", "CaptureFiles", "OutputFiles", "OutputText"]),
        // Golden/: `dissect` outputs of lab captures made before DissectionLineWriter, read by DissectionLineWriterTests.
        .testTarget(name: "DissectorsTests", dependencies: ["TestCaptures", "Dissectors", "CaptureFiles", "OutputText", "JSONCoding"], exclude: ["Golden"]),
        .testTarget(name: "CorrelationTests", dependencies: ["TestCaptures", "Correlation", "Dissectors", "CaptureFiles", "CommunityID", "BrowserCandidates", "OutputText", "JSONCoding"]),
        // Golden/: expected outputs over captures/lab-*.pcapng, read by LabGoldenTests (not resources).
        .testTarget(name: "ReportsTests", dependencies: ["TestCaptures", "Reports", "Correlation", "CaptureFiles", "OutputFiles", "OutputText", "JSONCoding"], exclude: ["Golden"]),
        // Issue 13's guarantees, end to end through the leakscope binary: outputs never replace devices
        // or inputs, private modes, pipes and FIFOs as input, damage exit codes.
        .testTarget(name: "EvidenceSafetyTests", dependencies: ["TestCaptures"]),
        .testTarget(name: "BrowserSessionTests", dependencies: ["BrowserSession", "BrowserCandidates", "ProcessSpawning", "OutputText"]),
    ]
)
