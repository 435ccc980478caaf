/// Times in the reports: ISO 8601 UTC (CaptureFiles' `ISO8601Nanoseconds`,
/// the one formatter every output uses), the wall clock, relative offsets.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CaptureFiles

public enum Timestamp {
    /// The wall clock, for `analyzed_at`.
    public static func nowNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// The reports' format: "2024-05-01T12:00:00.123456789Z" with trailing
    /// zero groups of three removed ("…00.5Z" is "…00.500Z", whole seconds
    /// have no fraction).
    public static func iso8601(_ ns: Int64) -> String { ISO8601Nanoseconds.format(ns, fraction: .trimmed) }

    /// Seconds offset from `base` as "+12.345678s" for tables.
    public static func relative(_ ns: Int64, from base: Int64) -> String {
        let d = ns - base
        let sign = d < 0 ? "-" : "+"
        let a = d.magnitude
        return "\(sign)\(a / 1_000_000_000).\(pad(Int64(a % 1_000_000_000 / 1000), 6))s"
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v.magnitude)
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
