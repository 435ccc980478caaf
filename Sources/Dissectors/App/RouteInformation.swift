/// RFC 4191 Route Information options in a Router Advertisement: the IPv6 way
/// to push routes more specific than the tunnel's (TunnelVision over IPv6).
/// A receiver must ignore a malformed one (RFC 4191 3.1); the dissector notes
/// it, so a route that was not read is never silent.
extension NDOption {
    /// Why this Route Information option is malformed (nil when it is well formed
    /// or not type 24): a prefix length above 128, or an option too short for its
    /// prefix (length 1 holds only ::/0, 2 up to /64, 3 up to /128), or longer than 3.
    /// `offset` is the option's offset for the error.
    public func routeInformationProblem(offset: Int) -> WireError? {
        guard type == 24, data.count >= 8 else { return nil }
        let length = data.base[2], units = data.count / 8
        if length > 128 {
            return .malformed(layer: .icmpv6, offset: offset + 2, reason: .init("route information prefix length above 128"))
        }
        if units > 3 {
            return .malformed(layer: .icmpv6, offset: offset + 1, reason: .init("route information option longer than 3 units"))
        }
        if (length > 64 && units < 3) || (length > 0 && units < 2) {
            return .malformed(layer: .icmpv6, offset: offset + 1, reason: .init("route information option too short for its prefix length"))
        }
        return nil
    }
}

extension ICMPv6Message {
    /// The first malformed Route Information option of a Router Advertisement.
    static func routeInformationProblem(_ m: ICMPv6Message) -> WireError? {
        guard m.type == 134, let start = m.optionsOffset else { return nil }
        var offset = start
        for o in m.options {
            if let p = o.routeInformationProblem(offset: offset) { return p }
            offset += o.data.count
        }
        return nil
    }
}
