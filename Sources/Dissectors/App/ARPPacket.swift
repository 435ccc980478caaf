import OutputText

/// An ARP packet (RFC 826). Addresses are read for Ethernet/IPv4 (hardware
/// length 6, protocol length 4); other sizes keep their fields as views.
public struct ARPPacket {
    public let bytes: ByteView
    public let hardwareType: UInt16
    public let protocolType: UInt16
    public let hardwareLength: UInt8
    public let protocolLength: UInt8
    public let operation: UInt16
    public var problem: WireError?

    public init(_ bytes: ByteView) throws(WireError) {
        guard let ht = bytes.integer(at: 0, as: UInt16.self), let pt = bytes.integer(at: 2, as: UInt16.self), let hl = bytes.integer(at: 4, as: UInt8.self), let pl = bytes.integer(at: 5, as: UInt8.self),
              let op = bytes.integer(at: 6, as: UInt16.self) else {
            throw .truncated(layer: .arp, offset: 0, needed: 8, available: bytes.count)
        }
        self.bytes = bytes
        hardwareType = ht
        protocolType = pt
        hardwareLength = hl
        protocolLength = pl
        operation = op
        let need = 8 + 2 * (Int(hl) + Int(pl))
        if bytes.count < need {
            problem = .truncated(layer: .arp, offset: 8, needed: need - 8, available: bytes.count - 8)
        }
    }

    public var senderHardwareAddress: ByteView? { bytes.slice(8, Int(hardwareLength)) }
    public var senderProtocolAddress: ByteView? { bytes.slice(8 + Int(hardwareLength), Int(protocolLength)) }
    public var targetHardwareAddress: ByteView? { bytes.slice(8 + Int(hardwareLength) + Int(protocolLength), Int(hardwareLength)) }
    public var targetProtocolAddress: ByteView? { bytes.slice(8 + 2 * Int(hardwareLength) + Int(protocolLength), Int(protocolLength)) }

    /// IPv4 sender/target when the protocol is IPv4 with 4-byte addresses.
    public var senderIP: IPAddress? {
        guard protocolType == 0x0800, protocolLength == 4, let a = senderProtocolAddress else { return nil }
        return IPAddress.v4(a, at: 0)
    }
    public var targetIP: IPAddress? {
        guard protocolType == 0x0800, protocolLength == 4, let a = targetProtocolAddress else { return nil }
        return IPAddress.v4(a, at: 0)
    }

    public func summary() -> ARPSummary {
        ARPSummary(
            op: Int(operation),
            operation: operation == 1 ? "request" : operation == 2 ? "reply" : "\(operation)",
            senderMAC: senderHardwareAddress.map { Hex.string($0.base, separator: ":") },
            senderIP: senderIP?.description,
            targetMAC: targetHardwareAddress.map { Hex.string($0.base, separator: ":") },
            targetIP: targetIP?.description)
    }
}

