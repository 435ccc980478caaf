/// Small text helpers of the positive-control records (`RouteSnapshot`, `CanaryRecord`).
enum ControlRecordText {
    /// The inverse of `ISO8601Nanoseconds.format(_:fraction: .nanoseconds)` for the records' own
    /// times (`2026-12-02T10:00:00.123456789Z`, 1-9 fraction digits or none); nil otherwise.
    static func parseTime(_ s: Substring) -> Int64? {
        let u = Array(s.utf8)
        guard u.count >= 20, u.count <= 30, u.last == UInt8(ascii: "Z"), u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":")
        else { return nil }
        func num(_ a: Int, _ b: Int) -> Int64? {
            var v: Int64 = 0
            for i in a..<b {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                v = v * 10 + Int64(u[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16),
              let se = num(17, 19), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, se < 61
        else { return nil }
        var nanos: Int64 = 0
        if u.count > 20 {
            guard u[19] == UInt8(ascii: "."), u.count - 21 <= 9, u.count > 21, let f = num(20, u.count - 1) else { return nil }
            nanos = f
            for _ in 0..<(9 - (u.count - 21)) { nanos *= 10 }
        } else if u[19] != UInt8(ascii: "Z") {
            return nil
        }
        // Howard Hinnant's days_from_civil (the inverse of the formatter's civil_from_days).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return ((days * 86_400 + h * 3_600 + mi * 60 + se) * 1_000_000_000) + nanos
    }

    /// Newlines become spaces (a header field stays on its line).
    static func oneLine(_ s: String) -> String { String(s.map { $0.isNewline ? " " : $0 }) }
}
