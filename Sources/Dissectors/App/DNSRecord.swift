/// A resource record: fixed fields plus RDATA as a view; typed accessors
/// decode the common RDATA formats in place.
public struct DNSRecord {
    public let section: DNSSection
    public let name: DNSName
    public let type: DNSType
    /// The class field as on the wire (mDNS puts the cache-flush bit on top;
    /// for OPT it is the UDP payload size).
    public let rawClass: UInt16
    public let ttl: UInt32
    public let rdata: ByteView
    /// Where RDATA starts in the message (names in RDATA point into it).
    public let rdataOffset: Int
    public let message: ByteView
    public let layer: Layer

    public var rrclass: UInt16 { rawClass & 0x7FFF }
    /// mDNS cache-flush bit (RFC 6762 10.2).
    public var cacheFlush: Bool { rawClass & 0x8000 != 0 }

    /// A or AAAA address (nil for other types or a wrong RDATA length).
    public var address: IPAddress? {
        switch type {
        case .a where rdata.count == 4: IPAddress.v4(rdata, at: 0)
        case .aaaa where rdata.count == 16: IPAddress.v6(rdata, at: 0)
        default: nil
        }
    }

    /// A name inside RDATA at `relative`, checked to start inside RDATA.
    public func name(at relative: Int) -> DNSName? {
        guard relative >= 0, relative < rdata.count,
              let end = try? DNSName.skip(message, at: rdataOffset + relative, layer: layer),
              end <= rdataOffset + rdata.count else { return nil }
        return DNSName(message: message, offset: rdataOffset + relative)
    }

    /// The name a CNAME/NS/PTR/DNAME points to, an MX exchange, an SRV or
    /// SVCB/HTTPS target.
    public var targetName: DNSName? {
        switch type {
        case .cname, .ns, .ptr, .dname: name(at: 0)
        case .mx, .svcb, .https: name(at: 2)
        case .srv: name(at: 6)
        default: nil
        }
    }

    /// MX preference, SVCB/HTTPS priority, SRV priority.
    public var priority: UInt16? {
        switch type {
        case .mx, .svcb, .https, .srv: rdata.integer(at: 0, as: UInt16.self)
        default: nil
        }
    }

    public var srvWeight: UInt16? { type == .srv ? rdata.integer(at: 2, as: UInt16.self) : nil }
    public var srvPort: UInt16? { type == .srv ? rdata.integer(at: 4, as: UInt16.self) : nil }

    /// TXT character-strings (also HINFO).
    public var characterStrings: DNSCharacterStrings { DNSCharacterStrings(bytes: rdata) }

    /// SVCB/HTTPS parameters, after priority and target name.
    public var svcParams: SVCParams? {
        guard type == .svcb || type == .https, name(at: 2) != nil,
              let end = try? DNSName.skip(message, at: rdataOffset + 2, layer: layer),
              let params = rdata.suffix(from: end - rdataOffset) else { return nil }
        return SVCParams(bytes: params)
    }

    /// SOA fields after the two names.
    public var soa: (mname: DNSName, rname: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32, minimum: UInt32)? {
        guard type == .soa, let m = name(at: 0),
              let mEnd = try? DNSName.skip(message, at: rdataOffset, layer: layer),
              let r = name(at: mEnd - rdataOffset),
              let rEnd = try? DNSName.skip(message, at: mEnd, layer: layer),
              let fixed = message.slice(rEnd, 20), rEnd + 20 <= rdataOffset + rdata.count,
              let serial = fixed.integer(at: 0, as: UInt32.self), let refresh = fixed.integer(at: 4, as: UInt32.self), let retry = fixed.integer(at: 8, as: UInt32.self),
              let expire = fixed.integer(at: 12, as: UInt32.self), let minimum = fixed.integer(at: 16, as: UInt32.self) else { return nil }
        return (m, r, serial, refresh, retry, expire, minimum)
    }
}

/// Length-prefixed strings (TXT).
public struct DNSCharacterStrings: Sequence {
    let bytes: ByteView
    public func makeIterator() -> Iterator { Iterator(bytes: bytes) }
    public struct Iterator: IteratorProtocol {
        let bytes: ByteView
        var offset = 0
        public mutating func next() -> ByteView? {
            guard let len = bytes.integer(at: offset, as: UInt8.self), let s = bytes.slice(offset + 1, Int(len)) else { return nil }
            offset += 1 + Int(len)
            return s
        }
    }
}

/// SVCB/HTTPS SvcParams (RFC 9460): key, value.
public struct SVCParams: Sequence {
    let bytes: ByteView
    public func makeIterator() -> Iterator { Iterator(bytes: bytes) }
    public struct Iterator: IteratorProtocol {
        let bytes: ByteView
        var offset = 0
        public mutating func next() -> (key: UInt16, value: ByteView)? {
            guard let key = bytes.integer(at: offset, as: UInt16.self), let len = bytes.integer(at: offset + 2, as: UInt16.self),
                  let value = bytes.slice(offset + 4, Int(len)) else { return nil }
            offset += 4 + Int(len)
            return (key, value)
        }
    }
}
