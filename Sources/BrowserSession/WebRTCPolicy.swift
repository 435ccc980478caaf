/// A round's WebRTC IP handling: Chromium's `--webrtc-ip-handling-policy` values,
/// and for Firefox one `media.peerconnection.*` preference each. `default` means
/// the browser's own defaults in both. mDNS (hiding host addresses) is set apart,
/// per round, with `--mdns`.
public enum WebRTCPolicy: String, Sendable, CaseIterable, Codable {
    case `default` = "default"
    // Chromium
    case defaultPublicInterfaceOnly = "default_public_interface_only"
    case defaultPublicAndPrivateInterfaces = "default_public_and_private_interfaces"
    case disableNonProxiedUDP = "disable_non_proxied_udp"
    // Firefox
    /// media.peerconnection.ice.default_address_only = true
    case defaultAddressOnly = "default_address_only"
    /// media.peerconnection.ice.no_host = true
    case noHost = "no_host"
    /// media.peerconnection.ice.proxy_only = true
    case proxyOnly = "proxy_only"
    /// media.peerconnection.enabled = false (no RTCPeerConnection at all)
    case disabled = "disabled"

    public var browsers: [BrowserKind] {
        switch self {
        case .default: [.chromium, .firefox]
        case .defaultPublicInterfaceOnly, .defaultPublicAndPrivateInterfaces, .disableNonProxiedUDP: [.chromium]
        case .defaultAddressOnly, .noHost, .proxyOnly, .disabled: [.firefox]
        }
    }

    public func isSupported(by browser: BrowserKind) -> Bool { browsers.contains(browser) }

    public static func all(for browser: BrowserKind) -> [WebRTCPolicy] { allCases.filter { $0.isSupported(by: browser) } }
}
