/// How every renderer presents `exposed_public_addresses`: split by `path`.
/// A `tunnel` entry is the VPN's exit address as a server saw it through the
/// tunnel (expected, not a leak); listing it under "exposed" read like a leak
/// on clean captures. Anything not marked `tunnel` is shown as a real
/// exposure (an unknown path errs on the alarming side). The record itself
/// keeps one list; this is presentation only.
public enum ExposedAddressSections {
    public static let outsideHeading = "Real addresses exposed outside the tunnel"
    public static let tunnelHeading = "Addresses servers saw through the tunnel (the VPN's exit address, expected)"

    public static func isThroughTunnel(path: String?) -> Bool { path == "tunnel" }

    /// (outside the tunnel, through the tunnel), each in record order.
    public static func split<T>(_ xs: [T], path: (T) -> String?) -> (outside: [T], tunnel: [T]) {
        var outside: [T] = [], tunnel: [T] = []
        for x in xs { if isThroughTunnel(path: path(x)) { tunnel.append(x) } else { outside.append(x) } }
        return (outside, tunnel)
    }
}
