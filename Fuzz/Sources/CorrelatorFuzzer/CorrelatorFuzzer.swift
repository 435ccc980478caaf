import CaptureFiles
import Correlation
import Dissectors
import FuzzDriver

/// libFuzzer entry point: the input is a stream of packets on four
/// interfaces (eth0 Ethernet with a host address, wg0 raw IP, any SLL2, and
/// an unnamed classic-pcap-like Ethernet one), each record
///   [interface (low 2 bits) | flags] [time step, 2 bytes] [length, 1 byte] [frame]
/// dissected and fed through both passes (tunnel model, then the correlator
/// with the tunnel's recorded stop when a flag says so), then finished and
/// encoded, as `Correlation.analyze` does with a capture.
let interfaces: [InterfaceDescription] = [
    InterfaceDescription(key: InterfaceKey(fileIndex: 0, interfaceID: 0), name: "eth0", linkType: .ethernet,
                         addresses: [IPAddress(parsing: "192.0.2.2")!]),
    InterfaceDescription(key: InterfaceKey(fileIndex: 0, interfaceID: 1), name: "wg0", linkType: .raw),
    InterfaceDescription(key: InterfaceKey(fileIndex: 0, interfaceID: 2), name: "any", linkType: .linuxSLL2),
    InterfaceDescription(key: InterfaceKey(fileIndex: 0, interfaceID: 3), name: nil, linkType: .ethernet, classicPcap: true),
]

struct Record { var interface: Int; var time: Int64; var frame: UnsafeRawBufferPointer; var inbound: Bool }

func records(_ data: UnsafeRawBufferPointer) -> (records: [Record], stopTunnel: Bool) {
    var out: [Record] = []
    var o = 0, time: Int64 = 1_700_000_000_000_000_000
    var stop = false
    while o + 4 <= data.count, out.count < 512 {
        let head = data[o]
        let step = Int64(data[o + 1]) << 8 | Int64(data[o + 2])
        let len = min(Int(data[o + 3]) * 2, data.count - o - 4)
        // Steps up to ~65 s (x 1 ms), with the top flag bit making them huge: ageing, spans, sweeps.
        time &+= head & 0x80 != 0 ? step &* 1_000_000_000 : step &* 1_000_000
        if head & 0x40 != 0 { stop = true }
        out.append(Record(interface: Int(head & 3), time: time,
                          frame: UnsafeRawBufferPointer(rebasing: data[(o + 4) ..< (o + 4 + len)]), inbound: head & 0x20 != 0))
        o += 4 + len
    }
    return (out, stop)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let (list, stopTunnel) = records(UnsafeRawBufferPointer(start: data, count: size))
    var options = AnalysisOptions()
    options.interfaceIndexNames = [2: "wg1", 3: "eth1"]
    let extractor = FactsExtractor()
    var d = Dissection()
    func packet(_ r: Record, _ n: Int) -> Packet {
        var p = Packet(frameNumber: n + 1, linkType: interfaces[r.interface].linkType, timestampNanoseconds: r.time,
                       originalLength: r.frame.count, bytes: ByteView(r.frame))
        p.interfaceID = r.interface
        p.direction = r.inbound ? .inbound : .unknown
        return p
    }

    var builder = TunnelModelBuilder(options: options)
    builder.setFileName("fuzz.pcapng", index: 0)
    for i in interfaces { builder.add(i) }
    var dissector = Dissector()
    for (n, r) in list.enumerated() {
        dissector.dissect(packet(r, n), into: &d)
        builder.observe(extractor.facts(d))
    }
    builder.setInterfaceIndexNames(options.interfaceIndexNames)
    let model = builder.finish()

    var correlator = Correlator(model: model, options: options)
    if stopTunnel, let t = list.dropFirst(list.count / 2).first?.time {
        correlator.note(interfaceStops: [InterfaceStop(interface: interfaces[1].key,
                                                       event: InterfaceEvent(kind: .vanished, timeNanoseconds: t, detail: "fuzz"))])
    }
    dissector = Dissector()
    for (n, r) in list.enumerated() {
        dissector.dissect(packet(r, n), into: &d)
        correlator.consume(extractor.facts(d)) { PacketDetail(d) }
    }
    let analysis = correlator.finish(inputs: [InputSummary(file: "fuzz.pcapng", packets: list.count)])
    _ = analysis.exitStatus(failOn: .low)
    if size & 7 == 0 { _ = try? AnalysisJSON.encode(analysis) }
    return 0
}

@_cdecl("CorrelatorFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in fuzzOne(data, size) }
}
