import CaptureFiles

/// The carrier fast path: a WireGuard transport-data message in UDP over an
/// unfragmented IPv4 header without options, on Ethernet without VLAN tags,
/// read in a few fixed-offset loads instead of a full `dissect`.
///
/// `read(_:)` returns a value only when `Dissector.dissect` would decode the
/// packet to exactly these fields (Ethernet, IPv4, UDP, WireGuard type 4, no
/// tunnel, no STUN, no canary) and nothing else the analysis reads; any other
/// shape returns nil and takes the full path. Every condition below mirrors one
/// decision of the full path (LinkDecoder, IPv4Decoder, UDPDecoder, AppDispatch):
/// the ports where UDP tunnels or DNS are tried first are left to it.
///
/// Skipping `dissect` for such a packet leaves the dissector's state as
/// `dissect` would: it touches no reassembly table (not a fragment, not TCP)
/// and no OpenVPN conversation (WireGuard is dispatched before they are
/// looked up). Tests compare whole analyses with and without this path.
public struct CarrierDatagram {
    public var source: UInt32
    public var destination: UInt32
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// IPv4 total length.
    public var ipTotalLength: Int
    /// UDP length field.
    public var udpLength: UInt16
    /// UDP payload bytes present (the length field, clamped to what was captured).
    public var payloadLength: Int
    public var receiverIndex: UInt32
    public var counter: UInt64

    @inlinable
    init(source: UInt32, destination: UInt32, sourcePort: UInt16, destinationPort: UInt16, ipTotalLength: Int,
         udpLength: UInt16, payloadLength: Int, receiverIndex: UInt32, counter: UInt64) {
        self.source = source; self.destination = destination
        self.sourcePort = sourcePort; self.destinationPort = destinationPort
        self.ipTotalLength = ipTotalLength; self.udpLength = udpLength; self.payloadLength = payloadLength
        self.receiverIndex = receiverIndex; self.counter = counter
    }

    @inlinable @inline(__always)
    public static func read(_ packet: Packet) -> CarrierDatagram? {
        guard packet.linkType.rawValue == 1 else { return nil }
        let b = packet.bytes
        // Ethernet II, EtherType IPv4 (0x0800) right after the MACs; IPv4 version 4, IHL 5.
        guard b.count >= 14 + 20 + 8 + 32, b.integer(at: 12, as: UInt16.self) == 0x0800,
              b.integer(at: 14, as: UInt8.self) == 0x45, b.integer(at: 23, as: UInt8.self) == 17,
              let total16 = b.integer(at: 16, as: UInt16.self), let flags = b.integer(at: 20, as: UInt16.self),
              flags & 0x3FFF == 0,  // neither more fragments nor an offset
              let src = b.integer(at: 26, as: UInt32.self), let dst = b.integer(at: 30, as: UInt32.self)
        else { return nil }
        let total = Int(total16)
        // The full path notes a zero or short total length, or one past the capture: those take it.
        guard total >= 28, total <= b.count &- 14,
              let sp = b.integer(at: 34, as: UInt16.self), let dp = b.integer(at: 36, as: UInt16.self),
              let len = b.integer(at: 38, as: UInt16.self), len >= 8
        else { return nil }
        // Ports where UDPDecoder tries a tunnel (Teredo, AYIYA, GTP-U) or AppDispatch tries DNS first.
        @inline(__always) func special(_ p: UInt16) -> Bool {
            p == 53 || p == 137 || p == 2152 || p == 3544 || p == 5072 || p == 5353 || p == 5355
        }
        guard !special(sp), !special(dp) else { return nil }
        let udpBytes = total &- 20
        let end = Swift.min(Int(len), udpBytes)
        guard let payload = b.slice(14 + 20 + 8, end &- 8) else { return nil }
        // WireGuard transport data: type 4, reserved zero, >= 32 bytes (WireGuardMessage.isLikely);
        // a STUN magic cookie wins first in AppDispatch. Type 4 never starts a canary ("l").
        // The STUN test only when the receiver index is the magic cookie's bytes (isLikely needs them).
        guard payload.count >= 32, payload.integer(at: 0, endianness: .little, as: UInt32.self) == 4,
              let receiver = payload.integer(at: 4, endianness: .little, as: UInt32.self),
              receiver != 0x42A4_1221 || !STUNMessage.isLikely(payload),  // the cookie 0x2112A442, read little-endian
              let counter = payload.integer(at: 8, endianness: .little, as: UInt64.self)
        else { return nil }
        return CarrierDatagram(source: src, destination: dst, sourcePort: sp, destinationPort: dp, ipTotalLength: total,
                               udpLength: len, payloadLength: payload.count, receiverIndex: receiver, counter: counter)
    }
}
