import CaptureFiles
import FuzzDriver

/// libFuzzer entry point: the input is a whole capture file. Every packet is
/// read and its bytes touched; damage, warnings, interfaces, sections and
/// statistics (with their interface events) are formatted as the CLI would;
/// the per-interface summary runs over the same packets.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = CaptureInput(copying: UnsafeRawBufferPointer(start: data, count: size), path: "fuzz.pcapng")
    guard let reader = try? CaptureReader(input: input) else { return 0 }
    var summary = CaptureSummary(reader: reader)
    var sum: UInt64 = 0
    while let p = reader.next() {
        summary.add(p)
        sum &+= UInt64(p.bytes.count) &+ UInt64(p.bytes.u8(0) ?? 0) &+ UInt64(bitPattern: p.timestampNanoseconds)
        if let last = p.bytes.u8(p.bytes.count - 1) { sum &+= UInt64(last) }
    }
    summary.finish(reader: reader)
    _ = summary.table()
    _ = reader.damage?.description
    for w in reader.warnings { sum &+= UInt64(w.description.utf8.count) }
    for s in reader.statistics { _ = InterfaceEvent(statistics: s) }
    for s in reader.sections { sum &+= UInt64(s.comments.count) }
    for i in reader.interfaces { sum &+= UInt64(i.name?.utf8.count ?? 0) }
    return sum == 42 ? 0 : 0
}

@_cdecl("CaptureReaderFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in fuzzOne(data, size) }
}
