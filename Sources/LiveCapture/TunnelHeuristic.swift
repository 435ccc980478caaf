import CaptureFiles

/// Interface name prefixes VPN clients commonly use for their tunnel device.
public let tunnelInterfacePrefixes = [
    "wg", "tun", "utun", "ppp", "ipsec", "tap", "nordlynx", "proton", "mullvad", "tailscale", "zt",
]

/// A guess, for display, whether an interface is a VPN tunnel: its name looks
/// like one (`wg0`, `tun0`, `utun3`, `ppp0`, `ipsec0`, `tap0`, `nordlynx`,
/// `proton0`, `mullvad-wg`...), or it carries raw IP (no link-layer header),
/// or it has no link-layer address. Loopback and libpcap pseudo-devices
/// (any, nflog, nfqueue, dbus-*, bluetooth*, usbmon*) never are.
///
/// The correlator has its own policy; this only labels `leakscope interfaces`.
public func interfaceLooksLikeTunnel(
    name: String, linkType: LinkType? = nil, hasLinkLayerAddress: Bool? = nil, isLoopback: Bool = false
) -> Bool {
    let lower = name.lowercased()
    if isLoopback || lower == "lo" || lower.hasPrefix("lo0") { return false }
    // libpcap pseudo-devices are not network interfaces.
    if ["any", "nflog", "nfqueue"].contains(lower)
        || ["dbus", "bluetooth", "usbmon", "rdma", "dpdk"].contains(where: { lower.hasPrefix($0) }) {
        return false
    }
    if tunnelInterfacePrefixes.contains(where: { lower.hasPrefix($0) }) { return true }
    if let linkType, [LinkType.raw, .rawOpenBSD, .rawBSDOS, .ipv4, .ipv6, .ppp].contains(linkType) { return true }
    if hasLinkLayerAddress == false { return true }
    return false
}
