/// A type that writes its own JSON object into the stream: the record types a hostile capture
/// has 10^5 of (cited flows, flow evidence), whose container calls were most of the record's
/// encoding. The bytes are those of its `Encodable` form (the tree encoder, which is what
/// `JSONCoding.encode` without a sink and `encode(to:)` elsewhere still use; tests compare them).
public protocol JSONObjectStreaming: Encodable {
    /// Every key the type's `encode(to:)` gives, in UTF-8 byte order, each once; an absent
    /// optional is given as nil and left out (as `encodeIfPresent` does).
    func writeFields(_ w: inout JSONFieldWriter)
}

/// Writes one object's keys and values straight into the stream's buffer, in the layout of
/// `Collected.sortKeys`.
public struct JSONFieldWriter {
    let session: StreamSession
    let indent: Int
    var count = 0
    #if DEBUG
    var lastKey: [UInt8]?
    #endif

    init(session: StreamSession, indent: Int) { self.session = session; self.indent = indent }

    mutating func key(_ k: StaticString) {
        let s = session
        s.out.append(UInt8(ascii: count == 0 ? "{" : ","))
        if s.pretty { JSONWriter.newline(indent + 1, into: &s.out) }
        s.out.append(0x22)
        k.withUTF8Buffer { u in
            #if DEBUG
            precondition(lastKey.map { $0.lexicographicallyPrecedes(u) } ?? true, "keys out of order at \(k)")
            lastKey = Array(u)
            precondition(!u.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 >= 0x80 }, "key \(k) needs escaping")
            #endif
            // A key is the program's own ASCII name (checked above in debug builds): copied, not escaped.
            s.out.append(contentsOf: u)
        }
        s.out.append(0x22)
        s.out.append(UInt8(ascii: ":"))
        if s.pretty { s.out.append(0x20) }
        count += 1
    }

    public mutating func field(_ k: StaticString, _ v: String) {
        key(k)
        JSONWriter.string(v, into: &session.out)
    }

    public mutating func field(_ k: StaticString, _ v: Int) {
        key(k)
        JSONWriter.integer(Int64(v), into: &session.out)
    }

    public mutating func field(_ k: StaticString, _ v: String?) { if let v { field(k, v) } }
    public mutating func field(_ k: StaticString, _ v: Int?) { if let v { field(k, v) } }
    public mutating func field(_ k: StaticString, _ v: UInt16?) { if let v { field(k, Int(v)) } }
    public mutating func field(_ k: StaticString, _ v: UInt8?) { if let v { field(k, Int(v)) } }

    func end() {
        let s = session
        if count == 0 { s.out += "{}".utf8; return }
        if s.pretty { JSONWriter.newline(indent, into: &s.out) }
        s.out.append(UInt8(ascii: "}"))
    }
}

extension StreamSession {
    /// `value`'s own object, at nesting level `indent`.
    func writeObject(_ value: any JSONObjectStreaming, indent: Int) {
        var w = JSONFieldWriter(session: self, indent: indent)
        value.writeFields(&w)
        w.end()
    }
}
