import CaptureFiles
import CommunityID

/// One flow of a traffic or IPv6 finding while the finding is built: typed and
/// fixed-size. A finding keeps up to `maxEvidenceItems` of these, so a flood of
/// distinct flows keeps hundreds of findings' worth of them; the text of
/// `FlowEvidence` (five Strings, 168 bytes) is made once, when the finding is
/// made. The rare names (TLS SNI, HTTP Host, a leaked DNS answer) are kept
/// beside the tallies (`FlowNames`), by flow index.
///
/// The fields are declared so that the small ones fill the gaps an address
/// leaves (`IPAddress` is 17 bytes, aligned to 8): 72 bytes a flow.
struct FlowTally: Equatable {
    var host: IPAddress
    var hostPort: UInt16
    var ipProtocol: UInt8
    var remote: IPAddress
    var remotePort: UInt16
    var packets = 0
    var bytes = 0
    var firstFrame: Int

    init(key: Correlator.FlowKey, ipProtocol: UInt8, firstFrame: Int) {
        host = key.host; hostPort = key.hostPort; remote = key.remote; remotePort = key.remotePort
        self.ipProtocol = ipProtocol; self.firstFrame = firstFrame
    }

    var hasPorts: Bool { ipProtocol == IPProtocolNumber.tcp || ipProtocol == IPProtocolNumber.udp }

    var protocolName: String { CitedFlowKey.protocolName(ipProtocol) }

    /// The record's form of this flow, with its names if it has any.
    func evidence(_ names: FlowNames?) -> FlowEvidence {
        FlowEvidence(protocol: protocolName, src: host.description, srcPort: hasPorts ? hostPort : nil,
                     dst: remote.description, dstPort: hasPorts ? remotePort : nil,
                     packets: packets, bytes: bytes, firstFrame: firstFrame, sni: names?.sni, host: names?.host,
                     dnsName: names?.dnsName, dnsResponseFrame: names?.dnsResponseFrame)
    }
}

/// What names a flow of a traffic or IPv6 finding: from its own packets (TLS
/// SNI, HTTP Host) or from a leaked DNS answer for its remote address.
struct FlowNames: Equatable {
    var sni: String?
    var host: String?
    var dnsName: String?
    var dnsResponseFrame: Int?
}
