// swift-tools-version: 6.1
// Dissector speed: ordo-one/benchmark (wall clock, throughput, mallocs per
// packet) over an in-memory mix of small packets, plus a plain timing tool
// (DissectSpeed) that also writes the mix as a pcap for the C libpcap reference.
import PackageDescription

let package = Package(
    name: "LeakScopeBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "LeakScope", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(name: "PacketMix", dependencies: [.product(name: "Dissectors", package: "LeakScope")], path: "Sources/PacketMix"),
        .executableTarget(
            name: "DissectSpeed",
            dependencies: ["PacketMix", .product(name: "Dissectors", package: "LeakScope")],
            path: "Sources/DissectSpeed"
        ),
        .executableTarget(
            name: "DissectorBenchmarks",
            dependencies: [
                "PacketMix",
                .product(name: "Dissectors", package: "LeakScope"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/DissectorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
