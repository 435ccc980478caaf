import OutputText

/// A 48-bit MAC address in the low bits of a UInt64 (no allocation).
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    @inlinable public init(rawValue: UInt64) { self.rawValue = rawValue & 0xFFFF_FFFF_FFFF }

    @inlinable static func read(_ b: ByteView, _ offset: Int) -> MACAddress? {
        guard let hi = b.integer(at: offset, as: UInt16.self), let lo = b.integer(at: offset + 2, as: UInt32.self) else { return nil }
        return MACAddress(rawValue: UInt64(hi) << 32 | UInt64(lo))
    }

    public var isMulticast: Bool { (rawValue >> 40) & 1 == 1 }
    public var isBroadcast: Bool { rawValue == 0xFFFF_FFFF_FFFF }

    public var description: String {
        Hex.string((0..<6).map { UInt8(truncatingIfNeeded: rawValue >> (40 - 8 * UInt64($0))) }, separator: ":")
    }
}

/// Which link-layer framing the frame had.
public enum LinkKind: UInt8, Sendable, Hashable {
    case unknown, ethernet, linuxSLL, linuxSLL2, null, loop, raw, ppp

    /// The protocols token (tshark's: eth, sll, null, raw, ppp).
    public var layer: Layer? {
        switch self {
        case .ethernet: .eth
        case .linuxSLL, .linuxSLL2: .sll
        case .null, .loop: .null
        case .raw: .raw
        case .ppp: .ppp
        case .unknown: nil
        }
    }
}

/// One 802.1Q / 802.1ad tag: the TPID it was announced with and its TCI.
public struct VLANTag: Hashable, Sendable {
    public var tpid: UInt16
    public var tci: UInt16
    public var id: UInt16 { tci & 0x0FFF }
    public var priority: UInt8 { UInt8(tci >> 13) }
    public init(tpid: UInt16, tci: UInt16) { self.tpid = tpid; self.tci = tci }
}

/// The link layer of a frame.
public struct LinkInfo: Sendable {
    public var kind: LinkKind = .unknown
    /// Ethernet (and SLL link-layer address when it is 6 bytes long).
    public var source: MACAddress?
    public var destination: MACAddress?
    /// Outermost first. At most 4 kept; deeper stacks are noted.
    public var vlanTags = FixedList<4, VLANTag>(filler: VLANTag(tpid: 0, tci: 0))
    /// The EtherType (or SLL protocol) that selected the network layer.
    public var etherType: UInt16?
    /// SLL/SLL2: packet type (0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing).
    public var sllPacketType: UInt16?
    /// SLL2: interface index (the `any` device's per-packet interface).
    public var sllInterfaceIndex: UInt32?
    /// SLL/SLL2 ARPHRD type.
    public var sllHardwareType: UInt16?
    /// BSD null/loop and utun: the address family value as read.
    public var addressFamily: UInt32?
    /// PPP protocol id.
    public var pppProtocol: UInt16?
    /// Bytes of link header (network layer starts here).
    public var headerLength: Int = 0

    public init() {}

    /// Clears every field, keeping the inline tag storage.
    @inlinable public mutating func reset() {
        kind = .unknown
        source = nil
        destination = nil
        vlanTags.removeAll()
        etherType = nil
        sllPacketType = nil
        sllInterfaceIndex = nil
        sllHardwareType = nil
        addressFamily = nil
        pppProtocol = nil
        headerLength = 0
    }
}
