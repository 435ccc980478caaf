/// Differences from tshark 4.0.17 that are tshark's mistakes or deliberate
/// choices of ours. Each entry names the capture, the frames (nil = all), the
/// fields, and why; docs/dissect.md lists the same table.
enum KnownDifferences {
    struct Entry {
        let file: String
        let frames: Set<Int>?
        let fields: Set<String>?
        let reason: String
    }

    static let entries: [Entry] = [
        Entry(file: "dns__suricata-verify__llmnr-tcp.pcap", frames: [4, 6], fields: nil,
              reason: "LLMNR over TCP 5355 (RFC 4795 2.5); tshark registers LLMNR on UDP only (its decode-as view agrees with us)"),
        Entry(file: "ipv6__suricata-verify__frag-15.pcap", frames: [59], fields: ["protocols"],
              reason: "fragments add up to more than 65535 bytes (an evasion); we refuse the datagram with a note, tshark reassembles it"),
        Entry(file: "ipv6__tcpdump__ipv6-mobility-header-oobr.pcap", frames: [1], fields: ["protocols"],
              reason: "next header 62 is CFTP per IANA; tshark decodes it as the pre-RFC 3775 Mobile IPv6 draft header"),
        Entry(file: "ipv6__zeek__ipv6-http-atomic-frag.pcap", frames: [8, 16, 26, 36], fields: ["protocols"],
              reason: "TCP spurious retransmissions of an HTTP request: tshark does not dissect retransmitted data, we keep no per-flow sequence state outside reassembly"),
        Entry(file: "ipv6__zeek__ipv6-mobility-dst-opts.pcap", frames: [1], fields: ["protocols", "udp.srcport", "udp.dstport"],
              reason: "Destination Options with a Home Address option (RFC 6275 6.3) are valid; tshark 4.0 flags them malformed and stops"),
        Entry(file: "linktype__tcpdump__LINKTYPE_IPV6_invalid.pcap", frames: [1], fields: nil,
              reason: "an IPv4 packet under LINKTYPE_IPV6: tshark shows nothing, we decode it and add a note"),
        Entry(file: "stun__corelight-stun__stun-attribute-length-ffff.pcap", frames: [2], fields: ["stun.att.ipv4", "stun.att.port"],
              reason: "the MAPPED-ADDRESS attribute's length (0xffff) runs past the message: we keep no value from it (noted), tshark decodes its first bytes"),
    ]

    static func reason(file: String, diff: TsharkComparison.Difference) -> String? {
        for e in entries where e.file == file {
            if let f = e.frames, !f.contains(diff.frame) { continue }
            if let f = e.fields, !f.contains(diff.field) { continue }
            return e.reason
        }
        // HTTP responses: tshark marks the frame that completes a response body
        // (body reassembly by Content-Length); we do not reassemble HTTP bodies
        // and mark only requests.
        if diff.field == "protocols", diff.theirs == diff.ours + ":http" {
            return "HTTP response: tshark marks the frame completing the body; we mark requests only"
        }
        return nil
    }
}
