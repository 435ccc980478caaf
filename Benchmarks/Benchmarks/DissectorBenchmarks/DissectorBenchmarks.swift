import Benchmark
import Dissectors
import PacketMix

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
        scalingFactor: .kilo,
        maxDuration: .seconds(3)
    )

    // One benchmark iteration = 1000 packets of the mix; mallocCountTotal is per 1000 packets.
    Benchmark("Dissect mixed small packets (per 1000)") { benchmark in
        let mix = PacketMix(count: 1000)
        var dissector = Dissector()
        var d = Dissection()
        for p in mix.packets { dissector.dissect(p, into: &d) }  // warm the reassembly slots
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for p in mix.packets {
                dissector.dissect(p, into: &d)
                blackHole(d.protocols.count)
            }
        }
        benchmark.stopMeasurement()
    }

    // DNS over TCP split in two segments and a UDP datagram in two IPv6 fragments, repeated:
    // the reassembly buffers are allocated once, then reused.
    Benchmark("Dissect with TCP and fragment reassembly (per 1000)") { benchmark in
        let mix = PacketMix(count: 1000, reassembly: true)
        var dissector = Dissector()
        var d = Dissection()
        for p in mix.packets { dissector.dissect(p, into: &d) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for p in mix.packets {
                dissector.dissect(p, into: &d)
                blackHole(d.app.dns?.id)
            }
        }
        benchmark.stopMeasurement()
    }
}
