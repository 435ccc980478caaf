// swift-tools-version: 6.1
// libFuzzer target for the dissectors. Build and run with Scripts/fuzz, or:
//   swift build -c debug --package-path Fuzz --disable-build-manifest-caching -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//   Fuzz/.build/debug/DissectorFuzzer -max_total_time=60 Fuzz/corpus
import PackageDescription

let package = Package(
    name: "LeakScopeFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "LeakScope", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "DissectorFuzzer",
            dependencies: [.product(name: "Dissectors", package: "LeakScope")],
            path: "Sources/DissectorFuzzer"
        ),
    ]
)
