/// A checked view whose header decoded, while a later part may be malformed
/// or truncated: `problem` says what and where (offsets relative to the view).
/// The dispatcher turns it into a note on the packet.
public protocol PartiallyDecoded {
    var problem: WireError? { get }
}

extension TURNChannelData: PartiallyDecoded {}
extension DNSMessage: PartiallyDecoded {}
extension WireGuardMessage: PartiallyDecoded {}
extension OpenVPNPacket: PartiallyDecoded {}
extension IKEHeader: PartiallyDecoded {}
extension L2TPHeader: PartiallyDecoded {}
extension QUICLongHeader: PartiallyDecoded {}
extension DHCPv4Message: PartiallyDecoded {}
extension DHCPv6Message: PartiallyDecoded {}
extension ARPPacket: PartiallyDecoded {}
extension STUNMessage: PartiallyDecoded {}
extension ICMPv6Message: PartiallyDecoded {}
extension TLSClientHello: PartiallyDecoded {}
