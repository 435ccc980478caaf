/// `Encodable` values written as JSON straight to a sink through a bounded
/// buffer, byte for byte what `JSONCoding.encode` (the node tree) gives, so
/// writing a record costs memory for one element at a time rather than for
/// the whole document.
///
/// Keys must come out sorted, but `encode(to:)` names them in its own order.
/// So each object is first *probed* (its `encode(to:)` run with a container
/// that only notes which keys it is given, values untouched), then run once
/// per key in sorted order with a container that lets only that key's value
/// through (the n-th key call, counted, so no key is compared by name). The
/// value itself is streamed the same way, recursively. Arrays stream element by
/// element; while the pretty layout cannot yet tell whether an array is a
/// short list of scalars written on one line (`JSONWriter.isShortScalarList`),
/// its elements are held as nodes and decided by the tree's own rule.
/// Whatever does not fit this scheme is encoded as a node tree of that value
/// alone and written by `JSONWriter`: a value that asks for two kinds of
/// container, an object with more than `replayLimit` keys (a dictionary: the
/// replay would be quadratic), nested containers, super encoders.
final class StreamSession {
    let pretty: Bool
    let keys: JSONCoding.KeyStyle
    let chunk: Int
    let write: (UnsafeRawBufferPointer) throws -> Void
    /// What the sink has not been given yet (at most about `chunk` bytes beyond a value's last flush point).
    /// Unchecked: every byte written goes through it, and a session is one thread's, its
    /// accesses never overlap (the checks were a tenth of the record's encoding).
    @exclusivity(unchecked) var out: [UInt8] = []
    /// One probe serves every object: probes never nest (they do not look into values).
    let probe = ShapeProbe()
    /// Objects with more keys than this are built as a tree (the replay costs keys² calls).
    static let replayLimit = 64
    /// Values this deep or deeper (a finding in the record's `findings` is at 2) are collected
    /// in one run rather than replayed key by key (`collect`).
    static let collectDepth = 2
    /// Open collected values: their bytes are rearranged in `out`, so nothing is flushed meanwhile.
    var pinned = 0

    init(pretty: Bool, keys: JSONCoding.KeyStyle, chunk: Int, write: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.pretty = pretty; self.keys = keys; self.chunk = max(1, chunk); self.write = write
        out.reserveCapacity(self.chunk + 4_096)
    }

    @inline(__always) func flushIfFull() throws {
        if out.count >= chunk && pinned == 0 { try flush() }
    }

    /// Hands the buffer to the sink; the sink's own error comes back wrapped, so that
    /// `JSONCoding.encode(_:to:)` can tell it from an encoding error.
    func flush() throws {
        guard !out.isEmpty else { return }
        do { try out.withUnsafeBytes { try write($0) } } catch { throw SinkFailure(error: error) }
        out.removeAll(keepingCapacity: true)
    }

    func keyName(_ key: some CodingKey) -> String {
        switch keys {
        case .asIs: return key.stringValue
        case .snakeCase:
            let name = key.stringValue
            if let s = snakeNames[name] { return s }
            let s = snakeCased(name)
            if snakeNames.count < Self.cacheLimit { snakeNames[name] = s }
            return s
        }
    }

    /// Key names already converted to snake_case: a type's keys come again for every value of it.
    var snakeNames: [String: String] = [:]
    /// Key orders `Collected.sortKeys` worked out, by the coding-key type that named the keys.
    var keyPlans: [ObjectIdentifier: [KeyPlan]] = [:]
    var keyPlanCount = 0
    /// Bounds each cache (a dictionary's keys are data, not types).
    static let cacheLimit = 1_024
    /// Where `sortKeys` builds an object before it replaces the values written in call order.
    @exclusivity(unchecked) var sortScratch: [UInt8] = []
    /// Finished `Collected`s kept for the next values (one per nesting level is in use at a time):
    /// their name and range lists keep their capacity instead of growing again for each object.
    var collectedPool: [Collected] = []
    static let collectedPoolLimit = 16

    func newline(_ indent: Int) { JSONWriter.newline(indent, into: &out) }

    func write(node: JSONNode, indent: Int) {
        JSONWriter.write(node, indent: indent, pretty: pretty, into: &out)
    }

    /// The value as a node (the tree encoder), for the cases the stream does not handle itself.
    func node<T: Encodable>(of value: T, codingPath: [any CodingKey]) throws -> JSONNode {
        let box = EncodingBox()
        try value.encode(to: NodeEncoder(box: box, codingPath: codingPath, keys: keys))
        return box.node
    }

    /// Writes `value` at nesting level `indent`.
    func stream<T: Encodable>(_ value: T, indent: Int, codingPath: @autoclosure () -> [any CodingKey]) throws {
        if leaf(value, indent: indent) { return }
        let codingPath = codingPath()
        if indent >= Self.collectDepth { return try collect(value, indent: indent, codingPath: codingPath) }
        probe.reset()
        try value.encode(to: ProbeEncoder(probe: probe, session: self, codingPath: codingPath))
        switch probe.kind {
        case .empty:
            out += "{}".utf8
        case .object where probe.keys.count <= Self.replayLimit:
            try object(value, keys: probe.keys, indent: indent, codingPath: codingPath)
        case .array:
            let array = ArrayState(indent: indent)
            try value.encode(to: StreamEncoder(session: self, mode: .array(array), indent: indent, codingPath: codingPath))
            try finish(array, codingPath: codingPath)
        case .single:
            let single = SingleState()
            try value.encode(to: StreamEncoder(session: self, mode: .single(single), indent: indent, codingPath: codingPath))
            if !single.wrote { out += "{}".utf8 }  // a single-value container given nothing: the tree's empty object
        case .object, .mixed:
            write(node: try node(of: value, codingPath: codingPath), indent: indent)
        }
    }

    /// Strings, integers, Booleans and floating-point values, and the types that write their own
    /// object (`JSONObjectStreaming`), written directly: every element and nested value comes
    /// here, so the scalars are told by their metatype and the objects by a cached conformance
    /// check, not by runtime casts (those were a tenth of the record's encoding). The coding path
    /// is not made for these (an array per value).
    @inline(__always) func leaf<T: Encodable>(_ value: T, indent: Int) -> Bool {
        if T.self == String.self { JSONWriter.string(unsafeBitCast(value, to: String.self), into: &out); return true }
        if T.self == Int.self { JSONWriter.integer(Int64(unsafeBitCast(value, to: Int.self)), into: &out); return true }
        if T.self == Bool.self { out += (unsafeBitCast(value, to: Bool.self) ? "true" : "false").utf8; return true }
        if T.self == Double.self { writeDouble(unsafeBitCast(value, to: Double.self)); return true }
        if T.self == Int64.self { JSONWriter.integer(unsafeBitCast(value, to: Int64.self), into: &out); return true }
        if T.self == UInt64.self { JSONWriter.integer(unsafeBitCast(value, to: UInt64.self), into: &out); return true }
        if T.self == Int32.self { JSONWriter.integer(Int64(unsafeBitCast(value, to: Int32.self)), into: &out); return true }
        if T.self == UInt32.self { JSONWriter.integer(UInt64(unsafeBitCast(value, to: UInt32.self)), into: &out); return true }
        if T.self == UInt16.self { JSONWriter.integer(UInt64(unsafeBitCast(value, to: UInt16.self)), into: &out); return true }
        if T.self == UInt8.self { JSONWriter.integer(UInt64(unsafeBitCast(value, to: UInt8.self)), into: &out); return true }
        let t = ObjectIdentifier(T.self)
        let writesObject: Bool
        if let known = objectStreaming[t] { writesObject = known } else {
            writesObject = T.self is any JSONObjectStreaming.Type
            if objectStreaming.count < Self.cacheLimit { objectStreaming[t] = writesObject }
        }
        guard writesObject, let v = value as? any JSONObjectStreaming else { return false }
        writeObject(v, indent: indent)
        return true
    }

    /// Whether a type writes its own object, by type (a few dozen types in a record).
    var objectStreaming: [ObjectIdentifier: Bool] = [:]

    func writeDouble(_ d: Double) { out += (d.isFinite ? "\(d)" : "null").utf8 }

    /// An object: the keys the probe saw, sorted by UTF-8 bytes; a key given twice keeps its last value (as the tree does).
    func object<T: Encodable>(_ value: T, keys: [String], indent: Int, codingPath: [any CodingKey]) throws {
        var last: [String: Int] = [:]
        for (i, k) in keys.enumerated() { last[k] = i }
        let order = last.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        if order.isEmpty { out += "{}".utf8; return }
        out.append(UInt8(ascii: "{"))
        for (n, entry) in order.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            if pretty { newline(indent + 1) }
            JSONWriter.string(entry.key, into: &out)
            out += (pretty ? ": " : ":").utf8
            let one = KeyEmission(target: entry.value)
            try value.encode(to: StreamEncoder(session: self, mode: .keyed(one), indent: indent + 1, codingPath: codingPath))
            if let box = one.box { write(node: box.node, indent: indent + 1) }
            else if !one.wrote {
                throw JSONCodingError(reason: "cannot encode: \(T.self) gave key \(entry.key) while probed but not while written",
                                      path: codingPath.map(\.stringValue).joined(separator: "."))
            }
            try flushIfFull()
        }
        if pretty { newline(indent) }
        out.append(UInt8(ascii: "}"))
    }

    /// One run of `encode(to:)` for a value deep in the document (a bounded element): an object's
    /// values are written in place as its keys come, then put in key order when it ends; an
    /// array or single value is written as it comes. What does not fit (two kinds of container)
    /// is taken back and written from the value's node tree.
    func collect<T: Encodable>(_ value: T, indent: Int, codingPath: [any CodingKey]) throws {
        let base = out.count
        pinned += 1
        defer { pinned -= 1 }
        let c = collectedPool.popLast().map { $0.reset(base: base, indent: indent) } ?? Collected(base: base, indent: indent)
        try value.encode(to: StreamEncoder(session: self, mode: .collect(c), indent: indent, codingPath: codingPath))
        defer { if collectedPool.count < Self.collectedPoolLimit { collectedPool.append(c) } }
        if c.mixed {
            out.removeSubrange(base...)
            write(node: try node(of: value, codingPath: codingPath), indent: indent)
            return
        }
        switch c.kind {
        case .none: out += "{}".utf8
        case .single: if !c.single.wrote { out += "{}".utf8 }
        case .array: if let a = c.array { try finish(a, codingPath: codingPath) }
        case .object: c.sortKeys(self)
        }
    }

    /// The end of an array: undecided lists are written by the tree's rule, decided ones closed.
    func finish(_ a: ArrayState, codingPath: [any CodingKey]) throws {
        a.settleOpenBox(self)
        if a.multiline {
            newline(a.indent)
            out.append(UInt8(ascii: "]"))
        } else if pretty {
            write(node: .array(a.held), indent: a.indent)
        } else {
            out += (a.count == 0 ? "[]" : "]").utf8
        }
    }
}

struct SinkFailure: Error { var error: any Error }

/// A value being collected (`StreamSession.collect`): which container it asked for and, for an
/// object, where each key's value was written in `out`.
final class Collected {
    enum Kind { case none, object, array, single }
    private(set) var base: Int
    private(set) var indent: Int
    var kind = Kind.none
    var mixed = false
    @exclusivity(unchecked) var names: [String] = []
    @exclusivity(unchecked) var ranges: [Range<Int>] = []
    /// The coding-key type of the object's container: where `sortKeys` looks for a plan.
    var keyType: ObjectIdentifier?
    /// Nested containers given for a key: built as trees, written when the keys are sorted.
    var boxes: [Int: EncodingBox] = [:]
    var array: ArrayState?
    let single = SingleState()
    init(base: Int, indent: Int) { self.base = base; self.indent = indent }

    /// Ready for another value, the lists' capacity kept.
    func reset(base: Int, indent: Int) -> Collected {
        self.base = base; self.indent = indent
        kind = .none; mixed = false
        names.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        keyType = nil
        if !boxes.isEmpty { boxes = [:] }
        array = nil
        single.wrote = false
        return self
    }

    /// True when the value may ask for `k` (the first container it asks for decides).
    func ask(_ k: Kind) -> Bool {
        if kind == .none { kind = k }
        if kind != k { mixed = true }
        return !mixed
    }

    /// Rewrites `out[base...]`, the values in call order, as the object: keys sorted by UTF-8
    /// bytes, a key given twice keeping its last value (as the tree does). The order is worked
    /// out once per list of names (`KeyPlan`), then reused for every value that gives the same.
    func sortKeys(_ s: StreamSession) {
        let plan = self.plan(s)
        if plan.order.isEmpty {
            s.out.removeSubrange(base...)
            s.out += "{}".utf8
            return
        }
        var obj = s.sortScratch
        s.sortScratch = []
        obj.removeAll(keepingCapacity: true)
        obj.reserveCapacity(s.out.count - base + plan.order.count * (indent * 2 + 24))
        obj.append(UInt8(ascii: "{"))
        for (n, i) in plan.order.enumerated() {
            if n > 0 { obj.append(UInt8(ascii: ",")) }
            if s.pretty { JSONWriter.newline(indent + 1, into: &obj) }
            obj += plan.keyBytes[n]
            if !boxes.isEmpty, let b = boxes[i] { JSONWriter.write(b.node, indent: indent + 1, pretty: s.pretty, into: &obj) }
            else { obj += s.out[ranges[i]] }
        }
        if s.pretty { JSONWriter.newline(indent, into: &obj) }
        obj.append(UInt8(ascii: "}"))
        s.out.removeSubrange(base...)
        s.out += obj
        s.sortScratch = obj
    }

    /// The plan for `names`: the session's, else made (and kept while the cache has room).
    func plan(_ s: StreamSession) -> KeyPlan {
        if let t = keyType, let plans = s.keyPlans[t], let p = plans.first(where: { $0.names == names }) { return p }
        let p = KeyPlan(names: names, pretty: s.pretty)
        if let t = keyType, s.keyPlanCount < StreamSession.cacheLimit {
            s.keyPlans[t, default: []].append(p)
            s.keyPlanCount += 1
        }
        return p
    }
}

/// An object's keys in output order for one list of names in call order: sorted by UTF-8
/// bytes, a key given twice keeping its last value; each key already written as `"key": `.
struct KeyPlan {
    let names: [String]
    /// Indices into `names`, in output order.
    let order: [Int]
    /// The quoted key and its colon, per entry of `order`.
    let keyBytes: [[UInt8]]

    init(names: [String], pretty: Bool) {
        self.names = names
        let sorted = names.indices.sorted {
            let a = names[$0], b = names[$1]
            return a == b ? $0 < $1 : a.utf8.lexicographicallyPrecedes(b.utf8)
        }
        var order: [Int] = []
        for (j, i) in sorted.enumerated() where !(j + 1 < sorted.count && names[sorted[j + 1]] == names[i]) {
            order.append(i)  // a later value of the same key wins
        }
        self.order = order
        keyBytes = order.map { i in
            var k: [UInt8] = []
            JSONWriter.string(names[i], into: &k)
            k += (pretty ? ": " : ":").utf8
            return k
        }
    }
}

/// What the probe learnt of one value's `encode(to:)`.
final class ShapeProbe {
    enum Kind { case empty, object, array, single, mixed }
    var kind = Kind.empty
    var keys: [String] = []
    func reset() { kind = .empty; keys.removeAll(keepingCapacity: true) }
    func saw(_ k: Kind) { kind = (kind == .empty || kind == k) ? k : .mixed }
}

/// One run of an object's `encode(to:)` in which only key call number `target` is written.
final class KeyEmission {
    let target: Int
    var seen = 0
    var wrote = false
    /// A nested container or super encoder given for the target key: built as a tree, written after the run.
    var box: EncodingBox?
    init(target: Int) { self.target = target }
    /// Counts a key call; true when it is the one to write.
    @inline(__always) func take() -> Bool {
        defer { seen += 1 }
        if seen == target { wrote = true; return true }
        return false
    }
}

final class SingleState {
    var wrote = false
}

/// An array being written. In the pretty layout it starts undecided: elements are held as
/// nodes until `JSONWriter.isShortScalarList`'s rule is settled (a non-scalar before the rough
/// budget runs out, or both the rough budget and the exact 100 bytes exceeded), then written one
/// per line, and every later element is streamed.
final class ArrayState {
    let indent: Int
    var count = 0
    var multiline = false
    var held: [JSONNode] = []
    var budget = 100
    var roughExceeded = false
    var exact = 0
    /// A nested container given for the last element: filled by later calls, settled before the next element.
    var openBox: EncodingBox?
    var scratch: [UInt8] = []
    init(indent: Int) { self.indent = indent }

    /// Before an element: its separator (compact, or decided pretty), and the open box settled.
    func beginElement(_ s: StreamSession) {
        settleOpenBox(s)
        if !s.pretty {
            s.out.append(UInt8(ascii: count == 0 ? "[" : ","))
        } else if multiline {
            if count > 0 { s.out.append(UInt8(ascii: ",")) }
            s.newline(indent + 1)
        }
        count += 1
    }

    func settleOpenBox(_ s: StreamSession) {
        guard let b = openBox else { return }
        openBox = nil
        place(b.node, s)
    }

    /// An element given as a node (after `beginElement`).
    func place(_ node: JSONNode, _ s: StreamSession) {
        if !s.pretty || multiline {
            s.write(node: node, indent: indent + 1)
            return
        }
        held.append(node)
        switch node {
        case .array, .object:
            if !roughExceeded { decideMultiline(s); return }
        case .string(let str):
            if !roughExceeded { budget -= str.utf8.count + 4; if budget < 0 { roughExceeded = true } }
        default:
            if !roughExceeded { budget -= 22; if budget < 0 { roughExceeded = true } }
        }
        scratch.removeAll(keepingCapacity: true)
        JSONWriter.write(node, indent: 0, pretty: false, into: &scratch)
        exact += scratch.count + 2
        if roughExceeded && exact > 100 { decideMultiline(s) }
    }

    /// One element per line from now on: the held ones first.
    func decideMultiline(_ s: StreamSession) {
        multiline = true
        s.out.append(UInt8(ascii: "["))
        for (i, n) in held.enumerated() {
            if i > 0 { s.out.append(UInt8(ascii: ",")) }
            s.newline(indent + 1)
            s.write(node: n, indent: indent + 1)
        }
        held = []
    }
}

/// The encoder handed to a value's `encode(to:)` while it is written.
struct StreamEncoder: Encoder {
    enum Mode {
        case keyed(KeyEmission)
        case array(ArrayState)
        case single(SingleState)
        case collect(Collected)
    }
    let session: StreamSession
    let mode: Mode
    let indent: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .collect(let c) = mode, c.ask(.object) {
            c.keyType = ObjectIdentifier(Key.self)
            return KeyedEncodingContainer(CollectKeyed<Key>(session: session, collected: c, codingPath: codingPath))
        }
        guard case .keyed(let e) = mode else {
            // The probe said otherwise: cannot happen for a value whose encode(to:) is deterministic.
            return KeyedEncodingContainer(KeyedNodeEncoder<Key>(object: ObjectBuilder(), codingPath: codingPath, keys: session.keys))
        }
        return KeyedEncodingContainer(StreamKeyed<Key>(session: session, emission: e, indent: indent, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .collect(let c) = mode, c.ask(.array) {
            let a = c.array ?? ArrayState(indent: indent)
            c.array = a
            return StreamUnkeyed(session: session, array: a, codingPath: codingPath)
        }
        guard case .array(let a) = mode else { return UnkeyedNodeEncoder(array: ArrayBuilder(), codingPath: codingPath, keys: session.keys) }
        return StreamUnkeyed(session: session, array: a, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        if case .collect(let c) = mode, c.ask(.single) {
            return StreamSingle(session: session, state: c.single, indent: indent, codingPath: codingPath)
        }
        guard case .single(let s) = mode else { return SingleNodeEncoder(box: EncodingBox(), codingPath: codingPath, keys: session.keys) }
        return StreamSingle(session: session, state: s, indent: indent, codingPath: codingPath)
    }
}

/// Writes the one key of the emission's run; the other key calls are counted and dropped.
struct StreamKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let session: StreamSession
    let emission: KeyEmission
    let indent: Int
    let codingPath: [any CodingKey]

    @inline(__always) func put(_ body: () -> Void) { if emission.take() { body() } }
    // Integers as Int64 or UInt64: one concrete writer each, not generic code per width.
    func int(_ v: Int64) { put { JSONWriter.integer(v, into: &session.out) } }
    func int(_ v: UInt64) { put { JSONWriter.integer(v, into: &session.out) } }

    mutating func encodeNil(forKey key: Key) throws { put { session.out += "null".utf8 } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put { session.out += (value ? "true" : "false").utf8 } }
    mutating func encode(_ value: String, forKey key: Key) throws { put { JSONWriter.string(value, into: &session.out) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { put { session.writeDouble(value) } }
    mutating func encode(_ value: Float, forKey key: Key) throws { put { session.writeDouble(Double(value)) } }
    mutating func encode(_ value: Int, forKey key: Key) throws { int(Int64(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { int(Int64(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { int(Int64(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { int(Int64(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { int(Int64(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { int(UInt64(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { int(UInt64(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { int(UInt64(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { int(UInt64(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { int(UInt64(value)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        guard emission.take() else { return }
        try session.stream(value, indent: indent, codingPath: codingPath + [key])
    }

    /// A nested container: the target's is built as a tree (written after the run), the others are discarded.
    func box() -> EncodingBox {
        let b = EncodingBox()
        if emission.take() { emission.box = b }
        return b
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        NodeEncoder(box: box(), codingPath: codingPath + [key], keys: session.keys).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        NodeEncoder(box: box(), codingPath: codingPath + [key], keys: session.keys).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(box: box(), codingPath: codingPath, keys: session.keys)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(box: box(), codingPath: codingPath + [key], keys: session.keys)
    }
}

/// An object being collected: each value written in place, its key and range noted.
struct CollectKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let session: StreamSession
    let collected: Collected
    let codingPath: [any CodingKey]
    var indent: Int { collected.indent + 1 }

    @inline(__always) func put(_ key: Key, _ body: () throws -> Void) rethrows {
        let start = session.out.count
        try body()
        collected.names.append(session.keyName(key))
        collected.ranges.append(start..<session.out.count)
    }
    func int(_ v: Int64, _ key: Key) { put(key) { JSONWriter.integer(v, into: &session.out) } }
    func int(_ v: UInt64, _ key: Key) { put(key) { JSONWriter.integer(v, into: &session.out) } }

    mutating func encodeNil(forKey key: Key) throws { put(key) { session.out += "null".utf8 } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(key) { session.out += (value ? "true" : "false").utf8 } }
    mutating func encode(_ value: String, forKey key: Key) throws { put(key) { JSONWriter.string(value, into: &session.out) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(key) { session.writeDouble(value) } }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(key) { session.writeDouble(Double(value)) } }
    mutating func encode(_ value: Int, forKey key: Key) throws { int(Int64(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { int(Int64(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { int(Int64(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { int(Int64(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { int(Int64(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { int(UInt64(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { int(UInt64(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { int(UInt64(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { int(UInt64(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { int(UInt64(value), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try put(key) { try session.stream(value, indent: indent, codingPath: codingPath + [key]) }
    }

    /// A nested container or super encoder: built as a tree, written when the keys are sorted.
    func box(_ name: String) -> EncodingBox {
        let b = EncodingBox()
        collected.boxes[collected.names.count] = b
        collected.names.append(name)
        collected.ranges.append(session.out.count..<session.out.count)
        return b
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        NodeEncoder(box: box(session.keyName(key)), codingPath: codingPath + [key], keys: session.keys).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        NodeEncoder(box: box(session.keyName(key)), codingPath: codingPath + [key], keys: session.keys).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(box: box("super"), codingPath: codingPath, keys: session.keys)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(box: box(session.keyName(key)), codingPath: codingPath + [key], keys: session.keys)
    }
}

struct StreamUnkeyed: UnkeyedEncodingContainer {
    let session: StreamSession
    let array: ArrayState
    let codingPath: [any CodingKey]
    var count: Int { array.count }

    /// A scalar element: written when the array is decided (or compact), else held as a node.
    func put(_ node: @autoclosure () -> JSONNode, direct: () -> Void) {
        array.beginElement(session)
        if !session.pretty || array.multiline { direct() } else { array.place(node(), session) }
    }

    func int(_ v: Int64) { put(.int(v)) { JSONWriter.integer(v, into: &session.out) } }
    func int(_ v: UInt64) { put(integerNode(v)) { JSONWriter.integer(v, into: &session.out) } }

    mutating func encodeNil() throws { put(.null) { session.out += "null".utf8 } }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) { session.out += (value ? "true" : "false").utf8 } }
    mutating func encode(_ value: String) throws { put(.string(value)) { JSONWriter.string(value, into: &session.out) } }
    mutating func encode(_ value: Double) throws { put(.double(value)) { session.writeDouble(value) } }
    mutating func encode(_ value: Float) throws { put(.double(Double(value))) { session.writeDouble(Double(value)) } }
    mutating func encode(_ value: Int) throws { int(Int64(value)) }
    mutating func encode(_ value: Int8) throws { int(Int64(value)) }
    mutating func encode(_ value: Int16) throws { int(Int64(value)) }
    mutating func encode(_ value: Int32) throws { int(Int64(value)) }
    mutating func encode(_ value: Int64) throws { int(Int64(value)) }
    mutating func encode(_ value: UInt) throws { int(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { int(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { int(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { int(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { int(UInt64(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = count
        array.beginElement(session)
        if !session.pretty || array.multiline {
            try session.stream(value, indent: array.indent + 1, codingPath: codingPath + [IndexKey(index)])
        } else {
            array.place(try session.node(of: value, codingPath: codingPath + [IndexKey(index)]), session)
        }
        try session.flushIfFull()
    }

    func openBox() -> (EncodingBox, [any CodingKey]) {
        let path = codingPath + [IndexKey(count)]
        array.beginElement(session)
        let b = EncodingBox()
        array.openBox = b
        return (b, path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let (b, path) = openBox()
        return NodeEncoder(box: b, codingPath: path, keys: session.keys).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let (b, path) = openBox()
        return NodeEncoder(box: b, codingPath: path, keys: session.keys).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let (b, path) = openBox()
        return NodeEncoder(box: b, codingPath: path, keys: session.keys)
    }
}

struct StreamSingle: SingleValueEncodingContainer {
    let session: StreamSession
    let state: SingleState
    let indent: Int
    let codingPath: [any CodingKey]

    func put(_ body: () throws -> Void) throws {
        guard !state.wrote else { throw JSONCodingError(reason: "cannot encode: two values in one single-value container", path: codingPath.map(\.stringValue).joined(separator: ".")) }
        state.wrote = true
        try body()
    }

    mutating func encodeNil() throws { try put { session.out += "null".utf8 } }
    mutating func encode(_ value: Bool) throws { try put { session.out += (value ? "true" : "false").utf8 } }
    mutating func encode(_ value: String) throws { try put { JSONWriter.string(value, into: &session.out) } }
    mutating func encode(_ value: Double) throws { try put { session.writeDouble(value) } }
    mutating func encode(_ value: Float) throws { try put { session.writeDouble(Double(value)) } }
    mutating func encode(_ value: Int) throws { try put { JSONWriter.integer(value, into: &session.out) } }
    mutating func encode(_ value: Int8) throws { try put { JSONWriter.integer(value, into: &session.out) } }
    mutating func encode(_ value: Int16) throws { try put { JSONWriter.integer(value, into: &session.out) } }
    mutating func encode(_ value: Int32) throws { try put { JSONWriter.integer(value, into: &session.out) } }
    mutating func encode(_ value: Int64) throws { try put { JSONWriter.integer(value, into: &session.out) } }
    mutating func encode(_ value: UInt) throws { try put { JSONWriter.integer(value, into: &session.out) } }
    mutating func encode(_ value: UInt8) throws { try put { JSONWriter.integer(value, into: &session.out) } }
    mutating func encode(_ value: UInt16) throws { try put { JSONWriter.integer(value, into: &session.out) } }
    mutating func encode(_ value: UInt32) throws { try put { JSONWriter.integer(value, into: &session.out) } }
    mutating func encode(_ value: UInt64) throws { try put { JSONWriter.integer(value, into: &session.out) } }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try put { try session.stream(value, indent: indent, codingPath: codingPath) }
    }
}

// MARK: - The probe

/// Runs a value's `encode(to:)` only to learn what it is: which container, and for an object
/// the names of its keys in call order. Values are not looked into.
struct ProbeEncoder: Encoder {
    let probe: ShapeProbe
    let session: StreamSession
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        probe.saw(.object)
        return KeyedEncodingContainer(ProbeKeyed<Key>(probe: probe, session: session, codingPath: codingPath))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        probe.saw(.array)
        return ProbeUnkeyed(codingPath: codingPath)
    }
    func singleValueContainer() -> any SingleValueEncodingContainer {
        probe.saw(.single)
        return ProbeSingle(codingPath: codingPath)
    }
}

struct ProbeKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let probe: ShapeProbe
    let session: StreamSession
    let codingPath: [any CodingKey]
    func note(_ key: Key) { probe.keys.append(session.keyName(key)) }

    mutating func encodeNil(forKey key: Key) throws { note(key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: String, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { note(key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { note(key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { note(key) }

    // A nested container or super encoder still counts as a key; what goes into it is discarded.
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        note(key)
        return NodeEncoder(box: EncodingBox(), codingPath: codingPath, keys: session.keys).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        note(key)
        return ProbeUnkeyed(codingPath: codingPath)
    }
    mutating func superEncoder() -> any Encoder {
        probe.keys.append("super")
        return NodeEncoder(box: EncodingBox(), codingPath: codingPath, keys: session.keys)
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        note(key)
        return NodeEncoder(box: EncodingBox(), codingPath: codingPath, keys: session.keys)
    }
}

struct ProbeUnkeyed: UnkeyedEncodingContainer {
    let codingPath: [any CodingKey]
    var count = 0
    mutating func encodeNil() throws { count += 1 }
    mutating func encode<T: Encodable>(_ value: T) throws { count += 1 }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        count += 1
        return NodeEncoder(box: EncodingBox(), codingPath: codingPath, keys: .asIs).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { count += 1; return ProbeUnkeyed(codingPath: codingPath) }
    mutating func superEncoder() -> any Encoder { count += 1; return NodeEncoder(box: EncodingBox(), codingPath: codingPath, keys: .asIs) }
}

struct ProbeSingle: SingleValueEncodingContainer {
    let codingPath: [any CodingKey]
    mutating func encodeNil() throws {}
    mutating func encode<T: Encodable>(_ value: T) throws {}
}
