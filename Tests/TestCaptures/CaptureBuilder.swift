import CaptureFiles
import Foundation

/// A test capture as frames on named interfaces: written as pcapng (nanosecond
/// timestamps, interface names and addresses, optional section comment,
/// statistics blocks) or as a classic pcap, through `PcapNGBytes`/`PcapBytes`.
public struct CaptureBuilder {
    public struct Interface { public var name: String?; public var linkType: UInt16; public var addresses: [IPAddress] = [] }
    public struct Frame { public var interface: Int; public var time: Int64; public var bytes: [UInt8]; public var flags: UInt32? }

    public var interfaces: [Interface] = []
    public var frames: [Frame] = []
    /// Capture time of the next frame (ns); `add` advances it by `step`.
    public var clock: Int64 = 1_700_000_000_000_000_000
    public var step: Int64 = 1_000_000
    /// pcapng section comment (opt_comment), if any.
    public var sectionComment: String?
    /// Interface Statistics Blocks written after the frames: interface, isb_endtime, opt_comment.
    public var statistics: [(interface: Int, endNs: Int64, comment: String?)] = []
    /// ISBs with drop counters (isb_ifdrop, isb_osdrop), written after `statistics`.
    public var counters: [(interface: Int, endNs: Int64, ifDrop: UInt64?, osDrop: UInt64?)] = []

    public init() {}

    @discardableResult
    public mutating func interface(_ name: String?, _ linkType: UInt16, addresses: [String] = []) -> Int {
        interfaces.append(Interface(name: name, linkType: linkType, addresses: addresses.map { addr($0) }))
        return interfaces.count - 1
    }

    /// Adds a frame; returns its frame number (1-based).
    @discardableResult
    public mutating func add(_ iface: Int, _ bytes: [UInt8], at time: Int64? = nil, flags: UInt32? = nil) -> Int {
        if let time { clock = time }
        frames.append(Frame(interface: iface, time: clock, bytes: bytes, flags: flags))
        clock += step
        return frames.count
    }

    /// The frames as a little-endian pcapng file.
    public func pcapng() -> [UInt8] {
        var b = PcapNGBytes(bigEndian: false)
        b.section(options: sectionComment.map { [b.string(1, $0)] } ?? [])
        for i in interfaces {
            var options: [PcapNGBytes.Option] = []
            if let n = i.name { options.append(b.string(2, n)) }
            for a in i.addresses {
                switch a {
                case .v4: options.append((4, a.bytes + [255, 255, 255, 0]))
                case .v6: options.append((5, a.bytes + [64]))
                }
            }
            options.append(b.u8(9, 9))  // if_tsresol: nanoseconds
            b.interface(linkType: i.linkType, snaplen: 262_144, options: options)
        }
        for f in frames {
            b.enhancedPacket(interface: UInt32(f.interface), timestamp: UInt64(bitPattern: f.time), data: f.bytes,
                             options: f.flags.map { [b.u32(2, $0)] } ?? [])
        }
        for s in statistics {
            var options: [PcapNGBytes.Option] = s.comment.map { [b.string(1, $0)] } ?? []
            options.append(b.timestamp(3, UInt64(bitPattern: s.endNs)))
            b.statistics(interface: UInt32(s.interface), timestamp: UInt64(bitPattern: s.endNs), options: options)
        }
        for s in counters {
            var options: [PcapNGBytes.Option] = []
            if let d = s.ifDrop { options.append(b.u64(5, d)) }
            if let d = s.osDrop { options.append(b.u64(7, d)) }
            b.statistics(interface: UInt32(s.interface), timestamp: UInt64(bitPattern: s.endNs), options: options)
        }
        return b.bytes
    }

    /// The frames as a classic pcap (nanosecond magic): one link type, no names.
    public func pcap(linkType: UInt32) -> [UInt8] {
        var b = PcapBytes(nanosecond: true, snaplen: 262_144, linkType: linkType)
        for f in frames {
            b.record(seconds: UInt32(f.time / 1_000_000_000), fraction: UInt32(f.time % 1_000_000_000), data: f.bytes)
        }
        return b.bytes
    }

    /// Writes `bytes` to a fresh temporary directory and returns the file's path.
    public static func write(_ bytes: [UInt8], name: String) -> String {
        TempDirectory().write(name, bytes)
    }
}

/// A fresh directory for one test's files.
public struct TempDirectory {
    public let url: URL

    public init() {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("leakscope-tests-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` and returns the path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) -> String {
        let file = url.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(bytes))
        return file.path
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Runs `body` with a Packet over `bytes` (the view lives only inside the closure).
public func withPacket<R>(_ bytes: [UInt8], link: LinkType = .ethernet, frame: Int = 1, time: Int64 = 1_000_000_000,
                          _ body: (Packet) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes { raw in
        try body(Packet(frameNumber: frame, linkType: link, timestampNanoseconds: time,
                        originalLength: bytes.count, bytes: ByteView(raw)))
    }
}
