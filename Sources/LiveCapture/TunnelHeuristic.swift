import CaptureFiles

/// Interface name prefixes VPN clients commonly use for their tunnel device.
public let tunnelInterfacePrefixes = [
    "wg", "tun", "utun", "ppp", "ipsec", "tap", "nordlynx", "proton", "mullvad", "tailscale", "zt",
]

/// A guess, for display, whether an interface is a VPN tunnel: its name looks
/// like one (`wg0`, `tun0`, `utun3`, `ppp0`, `ipsec0`, `tap0`, `nordlynx`,
/// `proton0`, `mullvad-wg`...), or it carries raw IP (no link-layer header),
/// or it has no link-layer address. Loopback is never a tunnel.
///
/// The correlator has its own policy; this only labels `leakscope interfaces`.
public func interfaceLooksLikeTunnel(
    name: String, linkType: LinkType? = nil, hasLinkLayerAddress: Bool? = nil, isLoopback: Bool = false
) -> Bool {
    if isLoopback || name == "lo" || name.hasPrefix("lo0") || name == "any" { return false }
    let lower = name.lowercased()
    if tunnelInterfacePrefixes.contains(where: { lower.hasPrefix($0) }) { return true }
    if let linkType, [LinkType.raw, .rawOpenBSD, .rawBSDOS, .ipv4, .ipv6, .ppp].contains(linkType) { return true }
    if hasLinkLayerAddress == false { return true }
    return false
}
