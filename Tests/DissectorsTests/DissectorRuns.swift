import CaptureFiles
import Dissectors
import TestCaptures

extension Dissector {
    /// Dissects and returns the protocols string and a copy of the dissection (views die after the call).
    mutating func run(_ bytes: [UInt8], link: LinkType = .ethernet, frame: Int = 1, time: Int64 = 1_000_000_000) -> Dissection {
        withPacket(bytes, link: link, frame: frame, time: time) { dissect($0) }
    }
}

extension Dissector {
    /// Dissects and builds the output record while the packet's views are alive
    /// (the copy `run` returns holds views into freed bytes: read only stored values from it).
    mutating func runRecord(_ bytes: [UInt8], frame: Int = 1) -> (Dissection, DissectionRecord) {
        withPacket(bytes, frame: frame) { p in
            let d = dissect(p)
            return (d, DissectionRecord(d, interfaceName: nil))
        }
    }
}

extension Dissection {
    var tokens: String { protocolsString }
    var noteTexts: [String] { notes.map { "\($0)" } }
}
