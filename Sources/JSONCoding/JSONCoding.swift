/// The one JSON form of everything LeakScope writes as JSON (the analysis
/// record, `report --format jsonl`, `dissect --format jsonl`) and the one way
/// it is read back (`leakscope report`).
///
/// Encoding goes straight from `Encodable` values to bytes, written by the
/// project rather than the platform's encoder so the bytes do not depend on
/// the Foundation version: keys sorted by their UTF-8 bytes, and in the
/// `.pretty` layout two-space indentation, `"key": value`, lists of scalars on
/// one line when they fit in 100 characters. Strings escape what JSON
/// requires plus DEL, the C1 controls, U+2028/9 and the bidirectional
/// controls (`isDisplayControl`), so a string from a packet cannot reorder the
/// text around it wherever the JSON is shown. The same value always gives the
/// same bytes.
///
/// Decoding reads into `Decodable` types and keeps the keys the types do not
/// name (a newer minor version's additions) as `UnknownKey`s: opaque values
/// at their paths, which `encode(_:keeping:)` writes back where they were.
public enum JSONCoding {
    public enum Layout: Sendable {
        /// Two-space indentation, a final newline (records).
        case pretty
        /// One line, no spaces, no final newline (JSONL).
        case compact
    }

    /// How Swift property names become keys.
    public enum KeyStyle: Sendable {
        /// As the coding keys say (the record's types spell their snake_case keys).
        case asIs
        /// `sourcePort` -> `source_port`, `sourceMAC` -> `source_mac` (Foundation's
        /// `convertToSnakeCase` rule), for types whose keys are their property names.
        case snakeCase
    }

    public static func encode<T: Encodable>(
        _ value: T, layout: Layout = .pretty, keys: KeyStyle = .asIs, keeping unknown: [UnknownKey] = []
    ) throws(JSONCodingError) -> [UInt8] {
        var node = try JSONNode(encoding: value, keys: keys)
        for u in unknown { node.insert(u.value.node, at: u.path[...]) }
        var out: [UInt8] = []
        switch layout {
        case .pretty:
            JSONWriter.write(node, indent: 0, pretty: true, into: &out)
            out.append(0x0A)
        case .compact:
            JSONWriter.write(node, indent: 0, pretty: false, into: &out)
        }
        return out
    }

    /// The same bytes as `encode(_:layout:keys:keeping:)`, handed to `write` in
    /// pieces of about `chunk` bytes as they are made (StreamEncoder.swift): the
    /// memory is one element's worth, not the document's. Keys of a read record
    /// (`unknown`) are placed by the tree encoder, so with them the document is
    /// made whole first (only `leakscope report` of a newer record does that).
    /// Rethrows what `write` throws; anything else is a `JSONCodingError`.
    public static func encode<T: Encodable>(
        _ value: T, layout: Layout = .pretty, keys: KeyStyle = .asIs, keeping unknown: [UnknownKey] = [],
        chunk: Int = 1 << 16, to write: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        if !unknown.isEmpty {
            let bytes = try encode(value, layout: layout, keys: keys, keeping: unknown)
            try bytes.withUnsafeBytes { try write($0) }
            return
        }
        try withoutActuallyEscaping(write) { write in
            let session = StreamSession(pretty: layout == .pretty, keys: keys, chunk: chunk, write: write)
            do {
                try session.stream(value, indent: 0, codingPath: [])
                if layout == .pretty { session.out.append(0x0A) }
                try session.flush()
            } catch let e as SinkFailure {
                throw e.error
            } catch let e as JSONCodingError {
                throw e
            } catch {
                throw JSONCodingError(reason: "cannot encode: \(error)")
            }
        }
    }

    /// A decoded value and the keys of the input that its type does not name.
    public struct Decoded<T> {
        public var value: T
        /// In document order.
        public var unknownKeys: [UnknownKey]
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(JSONCodingError) -> Decoded<T> {
        let document = try JSONDocument(parsing: bytes)
        let value = try document.decode(type)
        return Decoded(value: value, unknownKeys: document.unknownKeys())
    }
}

/// Where in a document a value is: `findings[3].evidence.stun_server`.
public enum JSONPathComponent: Sendable, Hashable {
    case key(String)
    case index(Int)
}

extension [JSONPathComponent] {
    public var jsonPath: String {
        var s = ""
        for c in self {
            switch c {
            case .key(let k): s += s.isEmpty ? k : ".\(k)"
            case .index(let i): s += "[\(i)]"
            }
        }
        return s.isEmpty ? "(top level)" : s
    }
}

/// A key the decoded type does not know, kept with its value so the document
/// can be written back whole. The value is opaque: nothing reads it, it is
/// only written again.
public struct UnknownKey: Sendable, Hashable {
    /// The path of the key itself (its last component is the key).
    public var path: [JSONPathComponent]
    public var value: OpaqueJSON
}

/// A JSON value kept as its compact canonical text.
public struct OpaqueJSON: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    let node: JSONNode
    init(_ node: JSONNode) {
        self.node = node
        var out: [UInt8] = []
        JSONWriter.write(node, indent: 0, pretty: false, into: &out)
        text = String(decoding: out, as: UTF8.self)
    }
    public var description: String { text }
    public static func == (a: Self, b: Self) -> Bool { a.text == b.text }
    public func hash(into h: inout Hasher) { h.combine(text) }
}

/// What went wrong, and where: a byte offset for text that is not JSON, a
/// path for JSON that is not the expected value.
public struct JSONCodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// Byte offset in the input (syntax errors).
    public var offset: Int?
    /// Path in the document (type errors).
    public var path: String?

    public init(reason: String, offset: Int? = nil, path: String? = nil) {
        self.reason = reason; self.offset = offset; self.path = path
    }

    public var description: String {
        if let offset { return "invalid JSON at byte \(offset): \(reason)" }
        if let path { return "\(path): \(reason)" }
        return reason
    }
}
