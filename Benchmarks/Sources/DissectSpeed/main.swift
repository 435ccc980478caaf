import Dissectors
import PacketMix
#if canImport(Glibc)
import Glibc
#endif

// DissectSpeed [PACKETS] [--write-pcap PATH] [--pcap PATH]
// Times Dissector.dissect over the in-memory mix (or a pcap file read with
// CaptureReader) on one core and prints packets/s.
let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
let writePath = option("--write-pcap")
let pcapPath = option("--pcap")
let total = args.first.flatMap { Int($0) } ?? 50_000_000

/// Thread CPU time: the machine is shared, so wall time would count other processes' turns.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

if let path = writePath {
    // 1M packets of the mix, for the C reference.
    let big = PacketMix(count: 1_000_000)
    let bytes = big.pcapFile()
    let f = fopen(path, "wb")
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
    fclose(f)
    print("wrote \(path): \(big.packets.count) packets, \(bytes.count) bytes")
    exit(0)
}

func run() {
    let mix = PacketMix(count: 4096)
    var dissector = Dissector()
    var d = Dissection()
    var checksum = 0
    if let path = pcapPath {
        let t0 = now()
        var n = 0
        for _ in 0..<10 {
            guard let reader = try? CaptureReader(path: path) else { print("cannot open \(path)"); return }
            while let p = reader.next() {
                dissector.dissect(p, into: &d)
                checksum &+= d.protocols.count &+ Int(d.udp?.destinationPort ?? 0)
                n += 1
            }
        }
        let dt = now() - t0
        print("pcap \(path): \(n) packets in \(fmt(dt, 3)) s CPU = \(fmt(Double(n) / dt / 1e6, 2)) Mpps (read + dissect) [\(checksum)]")
        return
    }
    // Warm up, then time.
    for p in mix.packets { dissector.dissect(p, into: &d) }
    let t0 = now()
    var done = 0
    while done < total {
        for p in mix.packets {
            dissector.dissect(p, into: &d)
            checksum &+= d.protocols.count
        }
        done += mix.packets.count
    }
    let dt = now() - t0
    // Reassembly mix: TCP DNS in two segments, UDP DNS in two IPv6 fragments.
    let rmix = PacketMix(count: 4096, reassembly: true)
    var completed = 0
    let r0 = now()
    for _ in 0..<(max(1, total / 10) / rmix.packets.count) {
        for p in rmix.packets {
            dissector.dissect(p, into: &d)
            if d.app.dns != nil { completed += 1 }
        }
    }
    let rdt = now() - r0
    let rn = (max(1, total / 10) / rmix.packets.count) * rmix.packets.count
    print("reassembly mix: \(rn) packets in \(fmt(rdt, 3)) s CPU = \(fmt(Double(rn) / rdt / 1e6, 2)) Mpps, \(completed) messages completed")
    print("in-memory mix: \(done) packets in \(fmt(dt, 3)) s CPU = \(fmt(Double(done) / dt / 1e6, 2)) Mpps, \(fmt(dt / Double(done) * 1e9, 1)) ns/packet [\(checksum)]")

}
run()

func fmt(_ v: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (v * scale).rounded() / scale
    return "\(r)"
}
