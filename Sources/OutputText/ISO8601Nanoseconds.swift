/// ISO 8601 UTC text for a timestamp in nanoseconds since the Unix epoch,
/// computed without the platform's date formatter so the output is the same
/// on every platform (proleptic Gregorian, Howard Hinnant's civil_from_days).
public enum ISO8601Nanoseconds {
    public enum Fraction: Sendable {
        /// Always nine digits: "2024-05-01T12:00:00.500000000Z".
        case nanoseconds
        /// Trailing zero groups of three removed, none for whole seconds:
        /// "2024-05-01T12:00:00.500Z", "2024-05-01T12:00:00Z".
        case trimmed
    }

    public static func format(_ ns: Int64, fraction: Fraction = .nanoseconds) -> String {
        // Floor division, so times before 1970 count back from the next second.
        let (seconds, nanos) = floorDivision(ns, 1_000_000_000)
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        var out = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        switch fraction {
        case .nanoseconds:
            out += "." + pad(nanos, 9)
        case .trimmed where nanos != 0:
            var digits = pad(nanos, 9)
            while digits.hasSuffix("000") { digits.removeLast(3) }
            out += "." + digits
        case .trimmed:
            break
        }
        return out + "Z"
    }

    static func floorDivision(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        var (q, r) = a.quotientAndRemainder(dividingBy: b)
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v.magnitude)
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
