import CaptureFiles

extension LinkType {
    /// The file link type (LINKTYPE_) for a libpcap DLT_ value from
    /// `pcap_datalink`. They differ for a few values, most importantly raw IP:
    /// DLT_RAW is 12 (14 on BSD/OS) but files say LINKTYPE_RAW (101), which is
    /// what WireGuard and tun interfaces capture as. (libpcap's own
    /// dlt_to_linktype is not public.) Values as on Linux and macOS.
    public init(dataLinkType dlt: Int32) {
        switch dlt {
        case 12, 14: self = .raw          // DLT_RAW
        case 19: self = LinkType(106)     // DLT_ATM_CLIP -> LINKTYPE_ATM_CLIP
        default: self = LinkType(UInt32(bitPattern: dlt))
        }
    }
}
