extension JSONCoding {
    /// `value` written compactly at the end of `out`: the bytes `encode(value, layout: .compact, keys:)`
    /// gives, for writers that put encoded parts into a buffer of their own (`dissect --format jsonl`).
    /// A value that cannot be encoded writes `null`.
    public static func appendCompact<T: Encodable>(_ value: T, keys: KeyStyle = .asIs, to out: inout [UInt8]) {
        guard let node = try? JSONNode(encoding: value, keys: keys) else { out += "null".utf8; return }
        JSONWriter.write(node, indent: 0, pretty: false, into: &out)
    }

    /// A JSON string, quoted and escaped as every string this encoder writes (runs of bytes that
    /// need no escape are copied in one go).
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        JSONWriter.string(s, into: &out)
    }
}
