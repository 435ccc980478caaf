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
            "IP traffic went from the host to something that is not a VPN endpoint on a physical interface (split tunnelling, a bypassing application, TunnelCrack's LocalNet/ServerIP cases). The destination sees the real address."
        case .tunnelFailure:
            "The tunnel carried nothing, or its carrier stopped, while non-carrier traffic appeared on a physical interface (a failed kill switch or a reconnect gap). The gap is when leaks happen."
        }
    }
}
