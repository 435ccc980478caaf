// swift-tools-version: 6.1
// libFuzzer targets, one per stage that reads hostile bytes. Build and run with
// Scripts/fuzz (Scripts/test runs it in CI), or by hand:
//   swift build -c debug --package-path Fuzz --disable-build-manifest-caching -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//   Fuzz/.build/debug/DissectorFuzzer -max_total_time=60 Fuzz/corpus/dissector
import PackageDescription

let package = Package(
    name: "LeakScopeFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "LeakScope", path: ".."),
    ],
    targets: [
        // The libFuzzer driver glue every fuzzer shares.
        .target(name: "FuzzDriver", path: "Sources/FuzzDriver"),
        // Single frames over every link type (with reassembly state carried across inputs).
        .executableTarget(
            name: "DissectorFuzzer",
            dependencies: ["FuzzDriver", .product(name: "Dissectors", package: "LeakScope"),
                           .product(name: "JSONCoding", package: "LeakScope"), .product(name: "OutputText", package: "LeakScope")],
            path: "Sources/DissectorFuzzer"
        ),
        // Whole pcap/pcapng files: every packet, warning, damage and statistics block.
        .executableTarget(
            name: "CaptureReaderFuzzer",
            dependencies: ["FuzzDriver", .product(name: "CaptureFiles", package: "LeakScope")],
            path: "Sources/CaptureReaderFuzzer"
        ),
        // Streams of dissected packets on several interfaces through both correlator passes.
        .executableTarget(
            name: "CorrelatorFuzzer",
            dependencies: [
                "FuzzDriver", .product(name: "Correlation", package: "LeakScope"),
                .product(name: "Dissectors", package: "LeakScope"),
            ],
            path: "Sources/CorrelatorFuzzer"
        ),
    ]
)
