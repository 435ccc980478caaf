/// ISO 8601 UTC text for nanosecond timestamps, computed without the
/// platform's date formatter so output is identical everywhere.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Timestamp {
    /// The wall clock, for `analyzed_at`.
    public static func nowNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// "2024-05-01T12:00:00.123456789Z"; the fraction has 9 digits, trailing
    /// zero groups of three removed ("…00.5Z" stays "…00.500Z").
    public static func iso8601(_ ns: Int64) -> String {
        let (secs, frac) = ns.quotientAndRemainder(dividingBy: 1_000_000_000)
        var s = secs, f = frac
        if f < 0 { f += 1_000_000_000; s -= 1 }
        let (days, sod) = floorDiv(s, 86_400)
        let (y, m, d) = civil(fromDays: days)
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(sod / 3600, 2)):\(pad(sod / 60 % 60, 2)):\(pad(sod % 60, 2))"
        if f != 0 {
            var digits = pad(f, 9)
            while digits.hasSuffix("000") { digits.removeLast(3) }
            out += "." + digits
        }
        return out + "Z"
    }

    /// Seconds offset from `base` as "+12.345678s" for tables.
    public static func relative(_ ns: Int64, from base: Int64) -> String {
        let d = ns - base
        let sign = d < 0 ? "-" : "+"
        let a = d.magnitude
        return "\(sign)\(a / 1_000_000_000).\(pad(Int64(a % 1_000_000_000 / 1000), 6))s"
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b, r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    // Howard Hinnant's days-to-civil algorithm.
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v.magnitude)
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
