import Dissectors

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
    if dissection.app.layer != nil, size & 1 == 0 {
        _ = DissectionRecord(dissection, interfaceName: nil).textLine
    }
    return 0
}

// SwiftPM links an executable with `--defsym main=<Module>_main`; with
// -parse-as-library nothing defines it, so define it here and hand control to
// libFuzzer's driver (libFuzzer's own main is then not linked).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("DissectorFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in fuzzOne(data, size) }
}
