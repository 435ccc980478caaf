/// Which UDP payload or TCP message goes to which application parser, by
/// structure first and by port where structure is not enough.
extension Dissector {
    @usableFromInline mutating func dispatchUDP(_ udp: UDPInfo, base: Int, into d: inout Dissection) {
        let p = udp.payload
        guard !p.isEmpty else { return }
        if udp.hasPort(443), let q = QUICLongHeader(p) {
            d.add(.quic)
            d.app.layer = .quic
            d.app.payload = p
            d.app.quic = q
            return
        }
    }

    @usableFromInline mutating func dispatchTCP(_ tcp: TCPInfo, message: ByteView, framing: TCPFraming?, base: Int, into d: inout Dissection) {
    }

    @usableFromInline mutating func decodeICMPv4(_ b: ByteView, base: Int, into d: inout Dissection) {
        d.add(.icmp)
    }

    @usableFromInline mutating func decodeICMPv6(_ b: ByteView, base: Int, into d: inout Dissection) {
        d.add(.icmpv6)
    }

    @usableFromInline mutating func decodeESP(_ b: ByteView, base: Int, into d: inout Dissection) {
        d.add(.esp)
    }

    @usableFromInline mutating func decodeARP(_ b: ByteView, base: Int, into d: inout Dissection) {
        d.add(.arp)
    }
}
