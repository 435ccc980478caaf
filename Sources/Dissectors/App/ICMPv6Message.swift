import OutputText

/// An ICMPv6 message (RFC 4443) with Neighbor Discovery (RFC 4861): router
/// solicitation/advertisement with prefix information and RDNSS (RFC 8106),
/// neighbor solicitation/advertisement targets, link-layer address options,
/// redirects; errors quote the offending packet; MLD types are named.
public struct ICMPv6Message {
    public let bytes: ByteView
    public let type: UInt8
    public let code: UInt8
    public var problem: WireError?

    public init(_ bytes: ByteView) throws(WireError) {
        guard bytes.count >= 4, let t = bytes.integer(at: 0, as: UInt8.self), let c = bytes.integer(at: 1, as: UInt8.self) else {
            throw .truncated(layer: .icmpv6, offset: 0, needed: 4, available: bytes.count)
        }
        self.bytes = bytes
        type = t
        code = c
        if let start = optionsOffset {
            if bytes.count < start {
                problem = .truncated(layer: .icmpv6, offset: 4, needed: start - 4, available: bytes.count - 4)
            } else {
                var it = options.makeIterator()
                while it.next() != nil {}
                problem = it.problem ?? Self.routeInformationProblem(self)
            }
        } else if bytes.count < 8 {
            problem = .truncated(layer: .icmpv6, offset: 4, needed: 4, available: bytes.count - 4)
        }
    }

    public var isError: Bool { type >= 1 && type <= 4 }
    public var quotedPacket: ByteView? { isError ? bytes.suffix(from: 8) : nil }
    public var echoIdentifier: UInt16? { type == 128 || type == 129 ? bytes.integer(at: 4, as: UInt16.self) : nil }
    public var echoSequence: UInt16? { type == 128 || type == 129 ? bytes.integer(at: 6, as: UInt16.self) : nil }

    /// Where ND options start for ND types, nil otherwise.
    public var optionsOffset: Int? {
        switch type {
        case 133: 8
        case 134: 16
        case 135, 136: 24
        case 137: 40
        default: nil
        }
    }

    /// NS/NA/redirect target address.
    public var target: IPAddress? { type >= 135 && type <= 137 ? IPAddress.v6(bytes, at: 8) : nil }
    /// Redirect destination.
    public var redirectDestination: IPAddress? { type == 137 ? IPAddress.v6(bytes, at: 24) : nil }

    /// RA fields.
    public var routerLifetime: UInt16? { type == 134 ? bytes.integer(at: 6, as: UInt16.self) : nil }
    public var managedFlag: Bool? { type == 134 ? bytes.integer(at: 5, as: UInt8.self).map { $0 & 0x80 != 0 } : nil }
    public var otherConfigFlag: Bool? { type == 134 ? bytes.integer(at: 5, as: UInt8.self).map { $0 & 0x40 != 0 } : nil }

    public var options: NDOptions { NDOptions(bytes: optionsOffset.flatMap { bytes.suffix(from: $0) }, base: optionsOffset ?? 0) }

    public var name: String {
        switch type {
        case 1: "destination-unreachable"
        case 2: "packet-too-big"
        case 3: "time-exceeded"
        case 4: "parameter-problem"
        case 128: "echo-request"
        case 129: "echo-reply"
        case 130: "mld-query"
        case 131: "mld-report"
        case 132: "mld-done"
        case 133: "router-solicitation"
        case 134: "router-advertisement"
        case 135: "neighbor-solicitation"
        case 136: "neighbor-advertisement"
        case 137: "redirect"
        case 143: "mldv2-report"
        default: "type-\(type)"
        }
    }

    public func summary() -> ICMPSummary {
        var s = ICMPSummary(type: Int(type), code: Int(code), name: name)
        s.id = echoIdentifier.map { Int($0) }
        s.sequence = echoSequence.map { Int($0) }
        s.quotedLength = quotedPacket.map { $0.count }
        if type == 2 { s.mtu = bytes.integer(at: 4, as: UInt32.self).map { Int($0) } }
        s.target = target?.description
        s.destination = redirectDestination?.description
        s.routerLifetime = routerLifetime.map { Int($0) }
        s.managed = managedFlag
        s.otherConfig = otherConfigFlag
        for o in options {
            switch o.type {
            case 1: s.sourceLinkLayer = o.data.suffix(from: 2).map { Hex.string($0.prefix(6).base, separator: ":") }
            case 2: s.targetLinkLayer = o.data.suffix(from: 2).map { Hex.string($0.prefix(6).base, separator: ":") }
            case 3:
                if let p = o.prefixInformation {
                    s.prefixes = (s.prefixes ?? []) + [ICMPv6PrefixSummary(
                        prefix: "\(p.prefix)/\(p.length)", onLink: p.onLink, autonomous: p.autonomous,
                        validLifetime: p.validLifetime, preferredLifetime: p.preferredLifetime)]
                }
            case 5: s.mtu = o.data.integer(at: 4, as: UInt32.self).map { Int($0) }
            case 25:
                s.rdnssLifetime = o.data.integer(at: 4, as: UInt32.self).map { Int($0) }
                s.rdnss = (s.rdnss ?? []) + o.rdnssAddresses.map { $0.description }
            case 24:
                if let r = o.routeInformation {
                    let pref = ["medium", "high", "reserved", "low"][Int(r.preference)]
                    s.routes = (s.routes ?? []) + [ICMPv6RouteSummary(
                        prefix: "\(r.prefix)/\(r.length)", preference: pref, lifetime: r.lifetime)]
                }
            case 31:
                // Type, length, 2 reserved bytes, 4-byte lifetime, then the names.
                s.dnssl = (s.dnssl ?? []) + DomainList(bytes: o.data.suffix(from: 8) ?? o.data.prefix(0)).map { $0 }
            default: break
            }
        }
        return s
    }
}

/// ND options: type, length in 8-byte units (0 is invalid and stops the walk).
public typealias NDOptions = OptionWalk<NDOptionFormat>

public enum NDOptionFormat: OptionFormat {
    public static func read(_ b: ByteView, at offset: Int, base: Int) throws(WireError) -> (option: NDOption, length: Int) {
        guard let t = b.integer(at: offset, as: UInt8.self), let units = b.integer(at: offset + 1, as: UInt8.self) else {
            throw .truncated(layer: .icmpv6, offset: base + offset, needed: 2, available: b.count - offset)
        }
        guard units > 0 else {
            throw .malformed(layer: .icmpv6, offset: base + offset + 1, reason: .init("option length zero"))
        }
        guard let data = b.slice(offset, Int(units) * 8) else {
            throw .truncated(layer: .icmpv6, offset: base + offset, needed: Int(units) * 8, available: b.count - offset)
        }
        return (NDOption(type: t, data: data), Int(units) * 8)
    }
}

/// One ND option; `data` includes its 2-byte type/length header.
public struct NDOption {
    public let type: UInt8
    public let data: ByteView

    /// Prefix Information (type 3, 32 bytes).
    public var prefixInformation: (length: UInt8, onLink: Bool, autonomous: Bool, validLifetime: UInt32,
                                   preferredLifetime: UInt32, prefix: IPAddress)? {
        guard type == 3, let len = data.integer(at: 2, as: UInt8.self), let f = data.integer(at: 3, as: UInt8.self), let valid = data.integer(at: 4, as: UInt32.self),
              let preferred = data.integer(at: 8, as: UInt32.self), let p = IPAddress.v6(data, at: 16) else { return nil }
        return (len, f & 0x80 != 0, f & 0x40 != 0, valid, preferred, p)
    }

    /// Route Information (type 24, RFC 4191): a more-specific or default route
    /// a router announces; the prefix is 0, 8 or 16 bytes long.
    public var routeInformation: (length: UInt8, preference: UInt8, lifetime: UInt32, prefix: IPAddress)? {
        guard type == 24, let len = data.integer(at: 2, as: UInt8.self), len <= 128, let f = data.integer(at: 3, as: UInt8.self), let life = data.integer(at: 4, as: UInt32.self) else { return nil }
        let needed = (Int(len) + 63) / 64 * 8
        guard data.count >= 8 + needed else { return nil }
        let hi = needed >= 8 ? (data.integer(at: 8, as: UInt64.self) ?? 0) : 0
        let lo = needed >= 16 ? (data.integer(at: 16, as: UInt64.self) ?? 0) : 0
        return (len, (f >> 3) & 0x3, life, .v6(hi, lo))
    }

    /// Recursive DNS servers (type 25): addresses after 8 header bytes.
    public var rdnssAddresses: [IPAddress] {
        guard type == 25 else { return [] }
        var out: [IPAddress] = []
        var i = 8
        while let a = IPAddress.v6(data, at: i) { out.append(a); i += 16 }
        return out
    }

    /// Source/target link-layer address (types 1/2) bytes.
    public var linkLayerAddress: ByteView? { type == 1 || type == 2 ? data.suffix(from: 2) : nil }
}
