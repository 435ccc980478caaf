import OutputText

/// The start of a TLS ClientHello in the first segment of a stream: record
/// header (type 22), handshake type 1, then a bounded walk to the extensions
/// for server_name (0) and ALPN (16). Only what the segment holds is read;
/// a hello continued in later segments gives `problem` and whatever parsed.
public struct TLSClientHello {
    public let bytes: ByteView
    public let recordVersion: UInt16
    public let clientVersion: UInt16
    /// The extensions block (clamped to the segment), nil if not reached.
    public let extensions: ByteView?
    public var problem: WireError?

    /// At most this many extensions are walked.
    public static let maxExtensions = 128

    public init(_ bytes: ByteView) throws(WireError) {
        guard let ct = bytes.integer(at: 0, as: UInt8.self), let rv = bytes.integer(at: 1, as: UInt16.self), bytes.integer(at: 3, as: UInt16.self) != nil, let ht = bytes.integer(at: 5, as: UInt8.self) else {
            throw .truncated(layer: .tls, offset: 0, needed: 6, available: bytes.count)
        }
        guard ct == 22, rv >> 8 == 3 else {
            throw .malformed(layer: .tls, offset: 0, reason: .init("not a TLS handshake record"))
        }
        guard ht == 1 else {
            throw .malformed(layer: .tls, offset: 5, reason: .init("handshake is not a ClientHello"))
        }
        self.bytes = bytes
        recordVersion = rv
        clientVersion = bytes.integer(at: 9, as: UInt16.self) ?? 0
        var problem: WireError?
        var ext: ByteView?
        // record(5) + handshake header(4) + version(2) + random(32)
        var off = 43
        if let sidLen = bytes.integer(at: off, as: UInt8.self) {
            off += 1 + Int(sidLen)
            if let csLen = bytes.integer(at: off, as: UInt16.self) {
                off += 2 + Int(csLen)
                if let cmLen = bytes.integer(at: off, as: UInt8.self) {
                    off += 1 + Int(cmLen)
                    if let exLen = bytes.integer(at: off, as: UInt16.self) {
                        let have = bytes.count - off - 2
                        ext = bytes.slice(off + 2, min(Int(exLen), max(0, have)))
                        if Int(exLen) > have {
                            problem = .truncated(layer: .tls, offset: off + 2, needed: Int(exLen), available: have)
                        }
                    }
                }
            }
        }
        if ext == nil, problem == nil {
            problem = .truncated(layer: .tls, offset: min(off, bytes.count), needed: 1, available: 0)
        }
        self.extensions = ext
        self.problem = problem
    }

    public var extensionList: TLSExtensions { TLSExtensions(bytes: extensions) }

    /// The first host_name in server_name, as a view.
    public var serverName: ByteView? {
        for e in extensionList where e.type == 0 {
            // list length(2), name type(1) = 0, name length(2), name
            guard e.data.integer(at: 2, as: UInt8.self) == 0, let len = e.data.integer(at: 3, as: UInt16.self) else { return nil }
            return e.data.slice(5, Int(len))
        }
        return nil
    }

    /// ALPN protocol names.
    public var alpn: DNSCharacterStrings? {
        for e in extensionList where e.type == 16 { return e.data.suffix(from: 2).map { DNSCharacterStrings(bytes: $0) } }
        return nil
    }

    /// True when the hello carries Encrypted Client Hello (extension 0xfe0d):
    /// then `serverName` is only the outer, public name.
    public var hasECH: Bool {
        for e in extensionList where e.type == 0xFE0D { return true }
        return false
    }

    /// A handshake record carrying a ClientHello.
    public static func isLikely(_ bytes: ByteView) -> Bool {
        bytes.integer(at: 0, as: UInt8.self) == 22 && bytes.integer(at: 1, as: UInt8.self) == 3 && (bytes.integer(at: 2, as: UInt8.self) ?? 9) <= 4 && bytes.integer(at: 5, as: UInt8.self) == 1
    }

    public func summary() -> TLSSummary {
        TLSSummary(handshake: "client_hello", recordVersion: Hex.number(recordVersion),
                   clientVersion: Hex.number(clientVersion),
                   sni: serverName.map { AppText.text($0) },
                   alpn: alpn.map { $0.map { AppText.escaped($0) } }, ech: hasECH ? true : nil)
    }
}

public struct TLSExtensions: Sequence {
    let bytes: ByteView?
    public func makeIterator() -> Iterator { Iterator(bytes: bytes) }

    public struct Iterator: IteratorProtocol {
        let bytes: ByteView?
        var offset = 0
        var count = 0
        public mutating func next() -> (type: UInt16, data: ByteView)? {
            guard let b = bytes, count < TLSClientHello.maxExtensions, let t = b.integer(at: offset, as: UInt16.self), let l = b.integer(at: offset + 2, as: UInt16.self),
                  let d = b.slice(offset + 4, Int(l)) else { return nil }
            offset += 4 + Int(l)
            count += 1
            return (t, d)
        }
    }
}

