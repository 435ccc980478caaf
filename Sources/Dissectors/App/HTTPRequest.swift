/// An HTTP/1.x request line and Host header from the first segment of a
/// stream. The scan is bounded to `maxScan` bytes; nothing is copied.
public struct HTTPRequest {
    public let bytes: ByteView
    public let method: ByteView
    public let target: ByteView
    public let version: ByteView
    /// The Host header value (surrounding spaces trimmed), if found within the scan.
    public let host: ByteView?

    public static let maxScan = 8192

    public init(_ bytes: ByteView) throws(WireError) {
        let b = bytes.prefix(Self.maxScan)
        guard let lineEnd = Self.find(b, UInt8(ascii: "\n"), from: 0) else {
            throw .truncated(layer: .http, offset: 0, needed: b.count + 1, available: b.count)
        }
        let line = b.prefix(lineEnd > 0 && b.integer(at: lineEnd - 1, as: UInt8.self) == 13 ? lineEnd - 1 : lineEnd)
        guard let sp1 = Self.find(line, 32, from: 0), let sp2 = Self.find(line, 32, from: sp1 + 1),
              let method = line.slice(0, sp1), let target = line.slice(sp1 + 1, sp2 - sp1 - 1),
              let version = line.suffix(from: sp2 + 1),
              method.count > 0, Self.isToken(method), Self.startsWith(version, "HTTP/1.") else {
            throw .malformed(layer: .http, offset: 0, reason: .init("not an HTTP/1 request line"))
        }
        self.bytes = bytes
        self.method = method
        self.target = target
        self.version = version
        var host: ByteView?
        var off = lineEnd + 1
        while off < b.count, let end = Self.find(b, UInt8(ascii: "\n"), from: off) {
            guard let raw = b.slice(off, end - off) else { break }
            let hl = raw.prefix(raw.count > 0 && raw.integer(at: raw.count - 1, as: UInt8.self) == 13 ? raw.count - 1 : raw.count)
            if hl.count == 0 { break }
            if hl.count >= 5, Self.startsWithCaseless(hl, "host:"), var v = hl.suffix(from: 5) {
                while v.count > 0, v.integer(at: 0, as: UInt8.self) == 32 || v.integer(at: 0, as: UInt8.self) == 9, let r = v.suffix(from: 1) { v = r }
                while v.count > 0, v.integer(at: v.count - 1, as: UInt8.self) == 32 || v.integer(at: v.count - 1, as: UInt8.self) == 9 { v = v.prefix(v.count - 1) }
                host = v
                break
            }
            off = end + 1
        }
        self.host = host
    }

    static func find(_ b: ByteView, _ c: UInt8, from: Int) -> Int? {
        var i = from
        while i < b.count {
            if b.integer(at: i, as: UInt8.self) == c { return i }
            i += 1
        }
        return nil
    }

    static func isToken(_ b: ByteView) -> Bool {
        for i in 0..<b.count {
            guard let c = b.integer(at: i, as: UInt8.self), c >= 0x41, c <= 0x5A else { return false }
        }
        return true
    }

    static func startsWith(_ b: ByteView, _ s: StaticString) -> Bool {
        guard b.count >= s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for i in 0..<s.utf8CodeUnitCount where b.integer(at: i, as: UInt8.self) != p[i] { return false }
        return true
    }

    static func startsWithCaseless(_ b: ByteView, _ s: StaticString) -> Bool {
        guard b.count >= s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for i in 0..<s.utf8CodeUnitCount {
            guard let c = b.integer(at: i, as: UInt8.self), DNSName.lower(c) == p[i] else { return false }
        }
        return true
    }

    /// A known method followed by a space.
    public static func isLikely(_ bytes: ByteView) -> Bool {
        for m: StaticString in ["GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ", "PATCH ", "TRACE "]
        where startsWith(bytes, m) { return true }
        return false
    }

    public func summary() -> HTTPSummary {
        HTTPSummary(method: AppText.escaped(method), target: AppText.escaped(target.prefix(2048)),
                    version: AppText.escaped(version), host: host.map { AppText.escaped($0) })
    }
}

