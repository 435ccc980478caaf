/// A type that writes its own JSON object into the stream: the record types a hostile capture
/// has 10^5 of (cited flows, flow evidence), whose container calls were most of the record's
/// encoding. The bytes are those of its `Encodable` form (the tree encoder, which is what
/// `JSONCoding.encode` without a sink and `encode(to:)` elsewhere still use; tests compare them).
public protocol JSONObjectStreaming: Encodable {
    /// Every key the type's `encode(to:)` gives, in UTF-8 byte order, each once; an absent
    /// optional is given as nil and left out (as `encodeIfPresent` does).
    func writeFields(_ w: inout JSONFieldWriter)
}

/// Writes one object's keys and values into the stream, in the layout of `Collected.sortKeys`.
///
/// The bytes go first into a small buffer of the writer's own and reach the stream's `[UInt8]`
/// in one append per object: `Array.append(contentsOf:)` costs about 200 instructions whatever
/// the length, and a field took five of them (callgrind: 360 instructions a key, 5 k an object
/// of a hostile record's 150 k). Anything that does not fit (a deep indent, a long or escaped
/// string) flushes the buffer and takes the stream's own writers, so the bytes are the same.
public struct JSONFieldWriter {
    let session: StreamSession
    let indent: Int
    var count = 0
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var length = 0
    #if DEBUG
    var lastKey: [UInt8]?
    #endif

    init(session: StreamSession, indent: Int, buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.session = session; self.indent = indent
        self.buffer = buffer.baseAddress!; capacity = buffer.count
    }

    /// Hands the buffered bytes to the stream.
    mutating func flush() {
        guard length > 0 else { return }
        session.out.append(contentsOf: UnsafeBufferPointer(start: buffer, count: length))
        length = 0
    }

    /// Room for `n` more bytes in the buffer (flushing it first if needed); false if `n` never fits.
    @inline(__always) private mutating func room(_ n: Int) -> Bool {
        if length &+ n <= capacity { return true }
        flush()
        return n <= capacity
    }

    @inline(__always) private mutating func put(_ b: UInt8) {
        buffer[length] = b
        length &+= 1
    }

    mutating func key(_ k: StaticString) {
        let pretty = session.pretty
        let spaces = pretty ? (indent + 1) * 2 : 0
        #if DEBUG
        k.withUTF8Buffer { u in
            precondition(lastKey.map { $0.lexicographicallyPrecedes(u) } ?? true, "keys out of order at \(k)")
            lastKey = Array(u)
            precondition(!u.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 >= 0x80 }, "key \(k) needs escaping")
        }
        #endif
        let n = k.utf8CodeUnitCount
        guard room(1 + (pretty ? 1 + spaces : 0) + 1 + n + 2 + (pretty ? 1 : 0)) else {
            // Deeper than the buffer holds: the stream's writers, one piece at a time.
            flush()
            let s = session
            s.out.append(UInt8(ascii: count == 0 ? "{" : ","))
            if pretty { JSONWriter.newline(indent + 1, into: &s.out) }
            s.out.append(0x22)
            k.withUTF8Buffer { s.out.append(contentsOf: $0) }
            s.out.append(0x22)
            s.out.append(UInt8(ascii: ":"))
            if pretty { s.out.append(0x20) }
            count += 1
            return
        }
        put(UInt8(ascii: count == 0 ? "{" : ","))
        if pretty {
            put(0x0A)
            (buffer + length).initialize(repeating: 0x20, count: spaces)
            length &+= spaces
        }
        put(0x22)
        // A key is the program's own ASCII name (checked above in debug builds): copied, not escaped.
        k.withUTF8Buffer { u in
            if let base = u.baseAddress { (buffer + length).initialize(from: base, count: u.count) }
        }
        length &+= n
        put(0x22)
        put(UInt8(ascii: ":"))
        if pretty { put(0x20) }
        count += 1
    }

    public mutating func field(_ k: StaticString, _ v: String) {
        key(k)
        var v = v
        let done: Bool = v.withUTF8 { u in
            // Plain printable ASCII is copied as it is; anything else takes `JSONWriter.string`.
            guard room(u.count + 2), u.allSatisfy(JSONWriter.isPlain) else { return false }
            put(0x22)
            if let base = u.baseAddress { (buffer + length).initialize(from: base, count: u.count) }
            length &+= u.count
            put(0x22)
            return true
        }
        if !done {
            flush()
            JSONWriter.string(v, into: &session.out)
        }
    }

    public mutating func field(_ k: StaticString, _ v: Int) {
        key(k)
        guard room(JSONWriter.maximumDecimalLength) else {
            flush()
            JSONWriter.integer(Int64(v), into: &session.out)
            return
        }
        length &+= JSONWriter.writeDecimal(Int64(v), at: buffer + length)
    }

    public mutating func field(_ k: StaticString, _ v: String?) { if let v { field(k, v) } }
    public mutating func field(_ k: StaticString, _ v: Int?) { if let v { field(k, v) } }
    public mutating func field(_ k: StaticString, _ v: UInt16?) { if let v { field(k, Int(v)) } }
    public mutating func field(_ k: StaticString, _ v: UInt8?) { if let v { field(k, Int(v)) } }

    mutating func end() {
        flush()
        let s = session
        if count == 0 { s.out += "{}".utf8; return }
        if s.pretty { JSONWriter.newline(indent, into: &s.out) }
        s.out.append(UInt8(ascii: "}"))
    }
}

extension StreamSession {
    /// `value`'s own object, at nesting level `indent`.
    func writeObject(_ value: any JSONObjectStreaming, indent: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1_024) { scratch in
            var w = JSONFieldWriter(session: self, indent: indent, buffer: scratch)
            value.writeFields(&w)
            w.end()
        }
    }
}
