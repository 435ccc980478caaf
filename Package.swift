// swift-tools-version: 6.1
// LeakScope: a packet-capture leak analyzer. One target per pipeline stage
// (see docs/ARCHITECTURE.md); dependencies point left only:
// OutputText -> JSONCoding, CaptureFiles -> Dissectors -> Correlation -> Reports, LiveCapture beside them.
import PackageDescription

let package = Package(
    name: "LeakScope",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "leakscope", targets: ["leakscope"]),
        .library(name: "OutputText", targets: ["OutputText"]),
        .library(name: "JSONCoding", targets: ["JSONCoding"]),
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
        // Pure-Swift pcap/pcapng reading (mapped, streaming) and pcapng writing.
        .target(name: "CaptureFiles", dependencies: ["OutputText"]),
        // libpcap handles on several interfaces; writes through CaptureFiles.
        .target(name: "LiveCapture", dependencies: ["CPcap", "CaptureFiles", "OutputText"]),
        // Zero-copy wire views and the per-packet Dissection. No policy here.
        .target(
            name: "Dissectors",
            dependencies: [
                "CaptureFiles", "OutputText",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // Tunnel model, verdicts, findings: all leak policy lives here.
        .target(name: "Correlation", dependencies: ["Dissectors", "CaptureFiles", "OutputText", "JSONCoding"]),
        // The analysis record and its renderings (JSON, HTML, Markdown, JSONL, evidence pcapng).
        .target(
            name: "Reports",
            dependencies: ["Correlation", "Dissectors", "CaptureFiles", "OutputText", "JSONCoding", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Probe page server, browser launcher, ICE candidate collection.
        .target(name: "BrowserSession", dependencies: ["LiveCapture", "CaptureFiles", "OutputText"]),
        // The CLI: parses arguments, wires the stages, sets exit codes.
        .executableTarget(
            name: "leakscope",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "OutputText", "JSONCoding", "CaptureFiles", "LiveCapture", "Dissectors", "Correlation", "Reports", "BrowserSession",
            ]
        ),
        .testTarget(name: "OutputTextTests", dependencies: ["OutputText"]),
        .testTarget(name: "JSONCodingTests", dependencies: ["JSONCoding"]),
        .testTarget(name: "CaptureFilesTests", dependencies: ["CaptureFiles", "OutputText"]),
        .testTarget(name: "LiveCaptureTests", dependencies: ["LiveCapture", "CaptureFiles", "OutputText"]),
        .testTarget(name: "DissectorsTests", dependencies: ["Dissectors", "CaptureFiles", "OutputText"]),
        .testTarget(name: "CorrelationTests", dependencies: ["Correlation", "Dissectors", "CaptureFiles", "OutputText", "JSONCoding"]),
        // Golden/: expected outputs over captures/lab-*.pcapng, read by LabGoldenTests (not resources).
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Correlation", "CaptureFiles", "OutputText", "JSONCoding"], exclude: ["Golden"]),
        .testTarget(name: "BrowserSessionTests", dependencies: ["BrowserSession", "OutputText"]),
    ]
)
