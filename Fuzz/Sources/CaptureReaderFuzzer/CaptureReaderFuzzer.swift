import CaptureFiles
import FuzzDriver

/// libFuzzer entry point: the input is a whole capture file. Every packet is
/// read and its bytes touched; damage, warnings, interfaces, sections and
/// statistics (with their interface events) are formatted as the CLI would;
/// the per-interface summary runs over the same packets; then every third
/// frame is found again through the reader's frame index (`visit(frames:)`,
/// as the record's cited frames are) and must be the packet the pass saw.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = CaptureInput(copying: UnsafeRawBufferPointer(start: data, count: size), path: "fuzz.pcapng")
    guard let reader = try? CaptureReader(input: input) else { return 0 }
    var summary = CaptureSummary(reader: reader)
    var sum: UInt64 = 0
    var seen: [Int: (offset: Int, count: Int, time: Int64)] = [:]
    while let p = reader.next() {
        summary.add(p)
        if p.frameNumber % 3 == 0 { seen[p.frameNumber] = (p.recordOffset, p.bytes.count, p.timestampNanoseconds) }
        sum &+= UInt64(p.bytes.count) &+ UInt64(p.bytes.integer(at: 0, as: UInt8.self) ?? 0) &+ UInt64(bitPattern: p.timestampNanoseconds)
        if let last = p.bytes.integer(at: p.bytes.count - 1, as: UInt8.self) { sum &+= UInt64(last) }
    }
    summary.finish(reader: reader)
    var found = 0
    reader.visit(frames: stride(from: 3, through: reader.framesRead, by: 3)) { p in
        guard let was = seen[p.frameNumber], was.offset == p.recordOffset, was.count == p.bytes.count, was.time == p.timestampNanoseconds
        else { fatalError("frame \(p.frameNumber) found again differs from the pass") }
        found += 1
    }
    if found != seen.count { fatalError("visit found \(found) of \(seen.count) frames") }
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
