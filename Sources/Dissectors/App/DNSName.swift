/// A domain name inside a DNS message, read in place: compression pointers
/// are followed only strictly backwards (each jump lands before the run it
/// leaves), at most `maxJumps` times, and the name stays within 255 bytes, so
/// hostile loops end in bounded time. Nothing is copied until `description`.
public struct DNSName {
    /// The whole message (pointers are offsets into it).
    public let message: ByteView
    /// Where the name starts.
    public let offset: Int

    public static let maxJumps = 64
    public static let maxLength = 255

    @inlinable public init(message: ByteView, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// Checks the name at `offset` and returns the offset just after it in
    /// place (after its first pointer, or its root label).
    public static func skip(_ m: ByteView, at offset: Int, layer: Layer) throws(WireError) -> Int {
        var pos = offset
        var runStart = offset
        var end = -1
        var jumps = 0
        var total = 1
        while true {
            guard let len = m.integer(at: pos, as: UInt8.self) else {
                throw .truncated(layer: layer, offset: pos, needed: 1, available: 0)
            }
            switch len & 0xC0 {
            case 0xC0:
                guard let p = m.integer(at: pos, as: UInt16.self) else {
                    throw .truncated(layer: layer, offset: pos, needed: 2, available: m.count - pos)
                }
                let target = Int(p & 0x3FFF)
                if end < 0 { end = pos + 2 }
                guard target < runStart, target >= 12 else {
                    throw .malformed(layer: layer, offset: pos, reason: .init("compression pointer does not point backwards"))
                }
                jumps += 1
                guard jumps <= maxJumps else {
                    throw .limitReached(layer: layer, offset: pos, limit: .init("compression pointers per name (64)"))
                }
                runStart = target
                pos = target
            case 0x00:
                if len == 0 { return end < 0 ? pos + 1 : end }
                total += Int(len) + 1
                guard total <= maxLength else {
                    throw .limitReached(layer: layer, offset: pos, limit: .init("name length (255)"))
                }
                guard m.contains(pos + 1, length: Int(len)) else {
                    throw .truncated(layer: layer, offset: pos + 1, needed: Int(len), available: max(0, m.count - pos - 1))
                }
                pos += 1 + Int(len)
            default:
                throw .malformed(layer: layer, offset: pos, reason: .init("extended label type"))
            }
        }
    }

    /// The labels, in order (the root label is not yielded).
    public var labels: Labels { Labels(name: self) }

    public struct Labels: Sequence {
        let name: DNSName
        public func makeIterator() -> Iterator { Iterator(m: name.message, pos: name.offset, runStart: name.offset) }

        public struct Iterator: IteratorProtocol {
            let m: ByteView
            var pos: Int
            var runStart: Int
            var jumps = 0
            var total = 1
            var done = false

            public mutating func next() -> ByteView? {
                while !done {
                    guard let len = m.integer(at: pos, as: UInt8.self) else { done = true; return nil }
                    if len & 0xC0 == 0xC0 {
                        guard let p = m.integer(at: pos, as: UInt16.self) else { done = true; return nil }
                        let target = Int(p & 0x3FFF)
                        jumps += 1
                        guard target < runStart, target >= 12, jumps <= DNSName.maxJumps else { done = true; return nil }
                        runStart = target
                        pos = target
                        continue
                    }
                    guard len & 0xC0 == 0, len != 0 else { done = true; return nil }
                    total += Int(len) + 1
                    guard total <= DNSName.maxLength, let label = m.slice(pos + 1, Int(len)) else { done = true; return nil }
                    pos += 1 + Int(len)
                    return label
                }
                return nil
            }
        }
    }

    public var isRoot: Bool {
        var it = labels.makeIterator()
        return it.next() == nil
    }

    /// Case-insensitive (ASCII) comparison with a dotted name; a trailing dot
    /// is ignored. No allocation.
    public static func == (name: DNSName, string: String) -> Bool {
        var utf8 = string.utf8[...]
        if utf8.last == UInt8(ascii: ".") { utf8 = utf8.dropLast() }
        var it = name.labels.makeIterator()
        var first = true
        while let label = it.next() {
            if !first {
                guard utf8.first == UInt8(ascii: ".") else { return false }
                utf8 = utf8.dropFirst()
            }
            first = false
            for i in 0..<label.count {
                guard let a = label.integer(at: i, as: UInt8.self), let b = utf8.first, lower(a) == lower(b) else { return false }
                utf8 = utf8.dropFirst()
            }
        }
        return utf8.isEmpty
    }

    @inlinable static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }

    /// Appends the presentation form: labels joined by '.', no trailing dot,
    /// '.' and '\\' inside labels escaped, non-printables as \DDD; the root
    /// name as `<Root>` (as tshark prints it).
    public func write(into s: inout String) {
        // A name is at most `maxLength` bytes with its length octets, each byte escaped to at most 4:
        // escaped into one buffer on the stack, made a String once (a String append per byte cost
        // most of a DNS flood's analysis; a short name then needs no allocation at all).
        let text = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: DNSName.maxLength * 4 + 8) { out in
            var n = 0
            for label in labels {
                if n > 0 {
                    guard n < out.count else { break }  // cannot happen: 4 x 255 bytes fit
                    out[n] = UInt8(ascii: "."); n += 1
                }
                for i in 0..<label.count {
                    guard let b = label.integer(at: i, as: UInt8.self), n + 4 <= out.count else { break }
                    AppText.writeEscaped(b, to: out, at: &n, escapeDots: true)
                }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: out[..<n]), as: UTF8.self)
        }
        // A root name has no labels; an empty first label cannot occur (a zero length ends the name).
        if text.isEmpty { s.append("<Root>") } else { s.append(text) }
    }

    /// The presentation form (outputs only).
    public var text: String {
        var s = ""
        write(into: &s)
        return s
    }
}
