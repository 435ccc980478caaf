/// The packet quoted inside an ICMPv4 error (types 3, 4, 5, 11, 12) or an
/// ICMPv6 error (types 1-4), read one level deep: the quoted IP header, the
/// first bytes of its UDP/TCP header, and whether the UDP payload starts like
/// STUN, TURN ChannelData or DNS. Never a second dissection: no reassembly, no
/// tunnels, no recursion, no allocation.
///
/// Quotes are usually cut short (RFC 792 guarantees the IP header and 8 bytes,
/// RFC 4443 "as much as fits in 1280"), so a short quote is not a problem:
/// `truncated` says so and what is missing stays nil. Only a quote whose IP
/// header cannot be read throws.
public struct ICMPQuote: Sendable, Hashable {
    /// 4 or 6.
    public var version: UInt8
    public var source: IPAddress
    public var destination: IPAddress
    /// The upper-layer protocol (after the IPv6 extension chain; where the walk stopped when it could not go on).
    public var `protocol`: UInt8
    /// UDP/TCP ports when the quote reaches them (nil for other protocols and non-first fragments).
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    /// What the quoted UDP payload (or TCP payload) looks like: .none, .stun, .classicSTUN, .channelData, .dns, .mdns, .llmnr, .nbns.
    public var app: AppKind = .none
    /// STUN transaction id when the quote holds the whole 20-byte STUN header.
    public var stunTransactionID: STUNTransactionID?
    /// DNS message id when the quote holds the 12-byte DNS header.
    public var dnsID: UInt16?
    /// Bytes of the quoted packet present in the ICMP message.
    public var quotedLength: Int
    /// The quoted packet's length by its own IP header.
    public var ipLength: Int

    /// The quote is shorter than the packet it quotes (the usual case).
    @inlinable public var truncated: Bool { quotedLength < ipLength }

    public init(version: UInt8, source: IPAddress, destination: IPAddress, protocol: UInt8,
                sourcePort: UInt16? = nil, destinationPort: UInt16? = nil, app: AppKind = .none,
                stunTransactionID: STUNTransactionID? = nil, dnsID: UInt16? = nil, quotedLength: Int, ipLength: Int) {
        self.version = version
        self.source = source
        self.destination = destination
        self.protocol = `protocol`
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.app = app
        self.stunTransactionID = stunTransactionID
        self.dnsID = dnsID
        self.quotedLength = quotedLength
        self.ipLength = ipLength
    }

    /// Reads `q` (the bytes after the 8-byte ICMP header). Errors name `layer`
    /// (the ICMP layer) with offsets from the start of `q`.
    public init(_ q: ByteView, layer: Layer, maxExtensionHeaders: Int = 16) throws(WireError) {
        guard let b0 = q.integer(at: 0, as: UInt8.self) else {
            throw .truncated(layer: layer, offset: 0, needed: 20, available: 0)
        }
        quotedLength = q.count
        var transport: ByteView?
        switch b0 >> 4 {
        case 4:
            guard q.count >= 20 else { throw .truncated(layer: layer, offset: 0, needed: 20, available: q.count) }
            let ihl = Int(b0 & 0x0F) * 4
            guard ihl >= 20 else { throw .malformed(layer: layer, offset: 0, reason: .init("quoted IPv4 header length below 20")) }
            guard ihl <= q.count else { throw .truncated(layer: layer, offset: 0, needed: ihl, available: q.count) }
            guard let total = q.integer(at: 2, as: UInt16.self), let flags = q.integer(at: 6, as: UInt16.self), let p = q.integer(at: 9, as: UInt8.self), let s = q.integer(at: 12, as: UInt32.self), let d = q.integer(at: 16, as: UInt32.self) else {
                throw .truncated(layer: layer, offset: 0, needed: 20, available: q.count)
            }
            // Total length 0: segmentation offload wrote it; what is quoted is all there is.
            ipLength = total == 0 ? q.count : Int(total)
            guard ipLength >= ihl else {
                throw .malformed(layer: layer, offset: 2, reason: .init("quoted IPv4 total length below header length"))
            }
            version = 4
            source = .v4(s)
            destination = .v4(d)
            `protocol` = p
            // A non-first fragment carries no transport header.
            if flags & 0x1FFF == 0 { transport = q.slice(ihl, min(ipLength, q.count) - ihl) }
        case 6:
            guard q.count >= 40 else { throw .truncated(layer: layer, offset: 0, needed: 40, available: q.count) }
            guard let plen = q.integer(at: 4, as: UInt16.self), var nh = q.integer(at: 6, as: UInt8.self), let s = IPAddress.v6(q, at: 8), let d = IPAddress.v6(q, at: 24) else {
                throw .truncated(layer: layer, offset: 0, needed: 40, available: q.count)
            }
            ipLength = plen == 0 ? q.count : 40 + Int(plen)
            version = 6
            source = s
            destination = d
            let end = min(ipLength, q.count)
            var off = 40
            var walked = 0
            var reachable = true
            chain: while true {
                switch nh {
                case 0, 43, 44, 51, 60, 135, 139, 140:
                    guard walked < maxExtensionHeaders, let next = q.integer(at: off, as: UInt8.self), let lenByte = q.integer(at: off + 1, as: UInt8.self) else {
                        reachable = false
                        break chain
                    }
                    walked += 1
                    let len = nh == 44 ? 8 : nh == 51 ? (Int(lenByte) + 2) * 4 : (Int(lenByte) + 1) * 8
                    guard off + len <= end else { reachable = false; break chain }
                    if nh == 44, let fo = q.integer(at: off + 2, as: UInt16.self), fo & 0xFFF8 != 0 {
                        nh = next
                        reachable = false
                        break chain
                    }
                    nh = next
                    off += len
                default:
                    break chain
                }
            }
            `protocol` = nh
            if reachable, nh != 59 { transport = q.slice(off, end - off) }
        default:
            throw .malformed(layer: layer, offset: 0, reason: .init("quoted packet is not IPv4 or IPv6"))
        }
        if let t = transport { readTransport(t) }
    }

    /// Ports (the first 4 bytes are enough) and what the payload starts like.
    mutating func readTransport(_ t: ByteView) {
        guard `protocol` == 17 || `protocol` == 6, let sp = t.integer(at: 0, as: UInt16.self), let dp = t.integer(at: 2, as: UInt16.self) else { return }
        sourcePort = sp
        destinationPort = dp
        if `protocol` == 17 {
            guard let len = t.integer(at: 4, as: UInt16.self), t.count >= 8 else { return }
            // The UDP length clamps the payload; a bogus one (below 8) leaves what is quoted.
            let end = len < 8 ? t.count : min(Int(len), t.count)
            guard let p = t.slice(8, end - 8), !p.isEmpty else { return }
            classifyUDP(p, sp, dp)
        } else {
            guard let offFlags = t.integer(at: 12, as: UInt16.self) else { return }
            let hlen = Int(offFlags >> 12) * 4
            guard hlen >= 20, let p = t.suffix(from: hlen), !p.isEmpty else { return }
            if let inner = STUNMessage.rfc4571Framed(p) {
                // ICE-TCP (RFC 6544): STUN or ChannelData behind a 2-byte length.
                if STUNMessage.isLikely(inner) { setSTUN(inner, classic: false) } else { app = .channelData }
            } else if Self.hasSTUNCookie(p) {
                setSTUN(p, classic: false)
            }
        }
    }

    /// The UDP dispatch order of `Dissector.dispatchUDP`, reduced to what a quote can tell:
    /// a STUN-looking payload that the dispatcher would give to another parser is not STUN.
    mutating func classifyUDP(_ p: ByteView, _ sp: UInt16, _ dp: UInt16) {
        @inline(__always) func port(_ x: UInt16) -> Bool { sp == x || dp == x }
        // A quote cut short fails STUN's length checks: top bits and magic cookie are enough.
        if Self.hasSTUNCookie(p) { setSTUN(p, classic: false); return }
        let dnsKind: AppKind? = port(53) ? .dns : port(5353) ? .mdns : port(5355) ? .llmnr : port(137) ? .nbns : nil
        if let kind = dnsKind {
            if WireGuardMessage.isLikely(p) && !DNSMessage.isLikely(p) { return }
            // The 12-byte header is enough to call it DNS on a DNS port; the rest may be cut.
            if p.count >= DNSMessage.headerLength, let id = p.integer(at: 0, as: UInt16.self) {
                app = kind
                dnsID = id
            }
            return
        }
        if WireGuardMessage.isLikely(p) || port(4500) || port(500) || port(1701) || port(1194) { return }
        if port(3478) || port(3479), STUNMessage.isLikelyClassic(p) { setSTUN(p, classic: true); return }
        if port(67) || port(68) || port(546) || port(547) { return }
        if port(443), QUICLongHeader.isLikely(p) { return }
        if TURNChannelData.isLikely(p) { app = .channelData; return }
        if p.count > STUNMessage.headerLength, STUNMessage.isLikelyClassic(p) { setSTUN(p, classic: true) }
    }

    static func hasSTUNCookie(_ p: ByteView) -> Bool {
        guard let t = p.integer(at: 0, as: UInt16.self), p.integer(at: 4, as: UInt32.self) == STUNMessage.magicCookie else { return false }
        return t & 0xC000 == 0
    }

    mutating func setSTUN(_ p: ByteView, classic: Bool) {
        app = classic ? .classicSTUN : .stun
        if let hi = p.integer(at: 4, as: UInt64.self), let lo = p.integer(at: 12, as: UInt64.self) { stunTransactionID = STUNTransactionID(hi: hi, lo: lo, classic: classic) }
    }
}
