import Correlation

/// Plain-words text the reports share: verdict headlines and why each class
/// is a leak, in the language of the leak model (docs/leak-model.md).
public enum LeakClassText {
    public static func headline(_ status: Analysis.Verdict.Status) -> String {
        switch status {
        case .leaksFound: "Leaks found"
        case .noLeakSeen: "No leak seen"
        case .cannotTell: "Cannot tell"
        }
    }

    /// What the verdict means, one sentence.
    public static func meaning(_ status: Analysis.Verdict.Status) -> String {
        switch status {
        case .leaksFound: "Traffic left a physical interface outside the VPN tunnel; the findings below name the frames."
        case .noLeakSeen: "Nothing but carrier traffic and link housekeeping left the physical interfaces in the captured time."
        case .cannotTell: "The captures cannot show whether traffic escaped the tunnel (for example, no physical interface was captured)."
        }
    }

    public static func why(_ leakClass: LeakClass) -> String {
        switch leakClass {
        case .webrtc:
            "STUN/TURN messages (WebRTC) were sent on a physical interface, outside the tunnel. The STUN server, and through it the web page, learns the host's real public address; ICE connectivity checks open a peer-to-peer path around the VPN."
        case .dns:
            "Unicast DNS went to a resolver outside the tunnel. That resolver (often the ISP's) sees every name the host looks up; an EDNS Client Subnet option leaks the client's subnet even through a remote resolver."
        case .ipv6:
            "Non-link-local IPv6 traffic left a physical interface. Many VPNs only tunnel IPv4, so IPv6 goes around them with a globally unique source address that identifies the host."
        case .traffic:
            "IP traffic went from the host to something that is not a VPN endpoint on a physical interface (split tunnelling, a bypassing application, a route outside the tunnel). The destination sees the real address."
        case .tunnelFailure:
            "The tunnel went quiet, reconnected, switched endpoint or vanished while traffic that used it (or new traffic) went out a physical interface: a failed kill switch or a reconnect gap. The leak window is when leaks happen."
        case .routeInjection:
            "A DHCP server (option 121/249) or a router advertisement (RFC 4191 route information) on the local link pushed a route more specific than the tunnel's, and traffic to it left the physical interface while the tunnel was up (TunnelVision, CVE-2024-3661). Whoever answers DHCP or sends router advertisements on that link chooses what leaks."
        case .localnet:
            "The physical interface's own network holds globally routable addresses, so traffic to them went out as local LAN traffic, never through the tunnel (TunnelCrack LocalNet). Whoever runs the LAN chose that range and receives the traffic in the clear."
        case .serverip:
            "The VPN server's address came from a DNS answer seen outside the tunnel, and traffic to that address went outside the tunnel (TunnelCrack ServerIP). An attacker who spoofs that answer picks an address whose traffic then bypasses the tunnel in the clear."
        }
    }
}
