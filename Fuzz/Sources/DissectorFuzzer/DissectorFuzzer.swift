import Dissectors
import FuzzDriver
import JSONCoding
import OutputText

/// libFuzzer entry point: the first byte picks a link type, the rest is the
/// frame. One Dissector lives across inputs so reassembly state (fragments,
/// TCP messages) is fuzzed too; time advances per input so ageing runs.
nonisolated(unsafe) var dissector = Dissector()
nonisolated(unsafe) var dissection = Dissection()
nonisolated(unsafe) var clock: Int64 = 0

let linkTypes: [LinkType] = [.ethernet, .null, .loop, .raw, .rawOpenBSD, .rawBSDOS, .ipv4, .ipv6, .linuxSLL, .linuxSLL2, .ppp, .nflog]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let link = linkTypes[Int(data[0]) % linkTypes.count]
    let frame = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    clock &+= Int64(data[0]) * 100_000_000
    let packet = Packet(frameNumber: 1, linkType: link, timestampNanoseconds: clock, originalLength: size - 1, bytes: ByteView(frame))
    dissector.dissect(packet, into: &dissection)
    // Touch the app views and the output model so their readers run on hostile bytes too.
    // `dissect`'s writer must give the record's bytes on anything (DissectionLineWriter): a
    // difference stops the fuzzer with this input.
    if dissection.app.layer != nil, size & 1 == 0 {
        let record = DissectionRecord(dissection, interfaceName: nil)
        var w = DissectionLineWriter()
        w.appendJSONLine(dissection, interfaceName: nil)
        w.appendTextLine(dissection, interfaceName: nil)
        let expected = ((try? JSONCoding.encode(record, layout: .compact, keys: .snakeCase)) ?? []) + [0x0A]
            + Array((escapedForTerminal(record.textLine) + "\n").utf8)
        precondition(w.bytes == expected, "DissectionLineWriter differs from DissectionRecord")
    }
    return 0
}

@_cdecl("DissectorFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in fuzzOne(data, size) }
}
