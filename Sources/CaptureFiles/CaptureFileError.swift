import OutputText
/// Why a capture file could not be read at all (no packet can come out of it).
///
/// Thrown by `CaptureReader.init`; the CLI maps every case to exit code 4
/// ("input unusable"). Damage found after the file header is not an error but
/// a `CaptureDamage`: the packets before it are still read.
public enum CaptureFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// open/fstat/mmap/read failed; `errno` as reported by the system.
    case cannotOpen(path: String, errno: Int32)
    /// Empty, or the first bytes are no pcap or pcapng magic.
    case notACapture(path: String, reason: String)
    /// A known format whose file header (pcap header or first pcapng Section
    /// Header Block) is cut short, damaged or of an unsupported version.
    case unreadableHeader(path: String, offset: Int, reason: String)

    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .notACapture(let path, _), .unreadableHeader(let path, _, _): path
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let code):
            "\(path): cannot open: \(systemErrorMessage(code))"
        case .notACapture(let path, let reason):
            "\(path): not a pcap or pcapng capture: \(reason)"
        case .unreadableHeader(let path, let offset, let reason):
            "\(path): byte offset \(offset): \(reason)"
        }
    }
}

/// Where and why reading stopped early. Packets before `offset` were returned.
public struct CaptureDamage: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var fileIndex: Int
    /// Byte offset of the record or block that could not be read.
    public var offset: Int
    /// The frame number the damaged record would have had, when it is a packet
    /// record (or when the damage is between packets: the next frame number).
    public var frameNumber: Int
    public var reason: String

    public init(path: String, fileIndex: Int, offset: Int, frameNumber: Int, reason: String) {
        self.path = path
        self.fileIndex = fileIndex
        self.offset = offset
        self.frameNumber = frameNumber
        self.reason = reason
    }

    public var description: String {
        "\(path): damaged at byte offset \(offset) (before frame \(frameNumber)): \(reason); packets before it were read"
    }
}

/// Something odd that did not stop reading.
public struct CaptureWarning: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// A pcapng block type this reader does not know; skipped.
        case unknownBlock(type: UInt32)
        /// A packet block names an interface the section never described;
        /// the packet is skipped (its frame number is used up).
        case undescribedInterface(id: UInt32, frameNumber: Int)
        /// An Interface Statistics Block names an interface the section never described; ignored.
        case statisticsForUndescribedInterface(id: UInt32)
        /// A timestamp (or if_tsoffset) did not fit in Int64 nanoseconds; saturated.
        case timestampSaturated(frameNumber: Int)
        /// A classic pcap sub-second field >= 1 s (10^6 us / 10^9 ns); kept as is.
        case invalidSubsecond(frameNumber: Int)
        /// snaplen 0 or above the 262144-byte ceiling; records are bounded by the ceiling.
        case snaplenOutOfRange(snaplen: UInt32)
        /// An option whose length runs past its block; the rest of the options are ignored.
        case malformedOptions(blockType: UInt32)
        /// A non-regular input (pipe) could not be copied to its end into the
        /// temporary file (disk full, read error); read up to `bytes`.
        case inputSpoolStopped(bytes: Int, errno: Int32)
        /// What a live capture that did not finish leaves (`NAME.partial`, or a
        /// leakscope capture without its final statistics): read up to its last whole block.
        case unfinishedCapture(namedPartial: Bool)
        /// More interfaces than the per-file limit; later IDBs are ignored.
        case tooManyInterfaces(limit: Int)
        /// More Interface Statistics Blocks than kept; later ones are counted only.
        case tooManyStatistics(limit: Int)
    }

    public var path: String
    public var offset: Int
    public var kind: Kind

    public init(path: String, offset: Int, kind: Kind) {
        self.path = path
        self.offset = offset
        self.kind = kind
    }

    public var message: String {
        switch kind {
        case .unknownBlock(let type): "unknown pcapng block type 0x\(Hex.digits(type)) skipped"
        case .undescribedInterface(let id, let frame):
            "frame \(frame): interface id \(id) was never described by an Interface Description Block in this section; packet skipped"
        case .statisticsForUndescribedInterface(let id):
            "interface statistics for interface id \(id), which this section never described; ignored"
        case .timestampSaturated(let frame): "frame \(frame): timestamp does not fit in 64-bit nanoseconds; saturated"
        case .invalidSubsecond(let frame): "frame \(frame): sub-second timestamp field is 1 second or more"
        case .snaplenOutOfRange(let snaplen):
            "snaplen \(snaplen) is outside 1...\(CaptureReader.maximumCapturedLength); packets are bounded by \(CaptureReader.maximumCapturedLength) bytes instead"
        case .malformedOptions(let type): "options of block type 0x\(Hex.digits(type)) run past the block; remaining options ignored"
        case .inputSpoolStopped(let bytes, let e):
            "could not copy the rest of this stream into the temporary file (\(systemErrorMessage(e))); read its first \(bytes) bytes only"
        case .unfinishedCapture(let named):
            (named ? "a partial capture file: " : "an unfinished leakscope capture (no final interface statistics): ")
                + "the capture did not stop cleanly (killed, crashed, power cut) or is still running; "
                + "every packet up to its last whole block was read (docs/live-capture.md, \"Recovering a partial capture\")"
        case .tooManyInterfaces(let limit): "more than \(limit) interfaces; later Interface Description Blocks ignored"
        case .tooManyStatistics(let limit): "more than \(limit) Interface Statistics Blocks; later ones counted only"
        }
    }

    public var description: String { "\(path): byte offset \(offset): warning: \(message)" }
}

func systemErrorMessage(_ code: Int32) -> String {
    #if canImport(Glibc)
    if let c = strerror(code) { return String(cString: c) }
    #endif
    return "errno \(code)"
}

#if canImport(Glibc)
import Glibc
#endif
