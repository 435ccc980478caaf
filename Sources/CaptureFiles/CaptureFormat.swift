/// The container format of a capture file.
public enum CaptureFormat: Equatable, Sendable, CustomStringConvertible {
    /// Classic libpcap format with its header's byte order and time resolution
    /// (`.decimal(6)` for magic a1b2c3d4, `.decimal(9)` for a1b23c4d).
    case pcap(byteOrder: ByteOrder, resolution: TimestampResolution)
    /// pcapng; each section has its own byte order (see `CaptureSection`).
    case pcapng

    public var description: String {
        switch self {
        case .pcap(let order, let res): "pcap (\(order), \(res))"
        case .pcapng: "pcapng"
        }
    }
}

public enum ByteOrder: Equatable, Sendable, CustomStringConvertible {
    case little, big
    public var description: String { self == .little ? "little-endian" : "big-endian" }
}

/// Units of a timestamp: 10^-n or 2^-n seconds (pcapng `if_tsresol`).
public enum TimestampResolution: Equatable, Hashable, Sendable, CustomStringConvertible {
    case decimal(UInt8)
    case binary(UInt8)

    public static let microseconds = TimestampResolution.decimal(6)
    public static let nanoseconds = TimestampResolution.decimal(9)

    /// From the `if_tsresol` byte: MSB clear = power of 10, set = power of 2.
    public init(tsresol: UInt8) {
        self = tsresol & 0x80 == 0 ? .decimal(tsresol) : .binary(tsresol & 0x7F)
    }

    public var description: String {
        switch self {
        case .decimal(6): "microseconds"
        case .decimal(9): "nanoseconds"
        case .decimal(let n): "10^-\(n) s"
        case .binary(let n): "2^-\(n) s"
        }
    }
}

/// Converts a pcapng timestamp count to nanoseconds since the epoch, once
/// set up per interface so the per-packet work is one multiply or shift.
struct TimestampConverter {
    enum Scale {
        case multiply(UInt64)
        case divide(UInt64)
        case binary(UInt8)   // ns = units * 1e9 >> n
        case zero            // resolution so fine that every count is < 1 ns
    }

    let scale: Scale
    let offsetNanoseconds: Int64
    /// if_tsoffset did not fit in nanoseconds and was saturated.
    let offsetSaturated: Bool

    init(resolution: TimestampResolution, offsetSeconds: Int64) {
        switch resolution {
        case .decimal(let n) where n <= 9:
            var m: UInt64 = 1
            for _ in 0 ..< (9 - Int(n)) { m *= 10 }
            scale = .multiply(m)
        case .decimal(let n):
            if n - 9 <= 19 {
                var d: UInt64 = 1
                for _ in 0 ..< (Int(n) - 9) { d *= 10 }
                scale = .divide(d)
            } else {
                scale = .zero
            }
        case .binary(let n):
            scale = .binary(n)
        }
        let (ns, overflow) = offsetSeconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow {
            offsetNanoseconds = offsetSeconds < 0 ? .min : .max
            offsetSaturated = true
        } else {
            offsetNanoseconds = ns
            offsetSaturated = false
        }
    }

    /// Nanoseconds since the epoch, and whether the value had to be saturated.
    @inline(__always)
    func nanoseconds(_ units: UInt64) -> (Int64, saturated: Bool) {
        var ns: UInt64
        var saturated = offsetSaturated
        switch scale {
        case .multiply(let m):
            let (v, o) = units.multipliedReportingOverflow(by: m)
            if o { ns = .max; saturated = true } else { ns = v }
        case .divide(let d):
            ns = units / d
        case .zero:
            ns = 0
        case .binary(let n):
            let wide = units.multipliedFullWidth(by: 1_000_000_000)
            if n == 0 {
                if wide.high != 0 { ns = .max; saturated = true } else { ns = wide.low }
            } else if n < 64 {
                let hi = wide.high >> UInt64(n)
                ns = (wide.low >> UInt64(n)) | (wide.high << UInt64(64 - Int(n)))
                if hi != 0 { ns = .max; saturated = true }
            } else if n < 128 {
                ns = wide.high >> UInt64(n - 64)
            } else {
                ns = 0
            }
        }
        var signed: Int64
        if ns > UInt64(Int64.max) { signed = .max; saturated = true } else { signed = Int64(ns) }
        let (sum, o) = signed.addingReportingOverflow(offsetNanoseconds)
        if o { signed = offsetNanoseconds < 0 ? .min : .max; saturated = true } else { signed = sum }
        return (signed, saturated)
    }
}
