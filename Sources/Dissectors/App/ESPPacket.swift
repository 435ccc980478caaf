import OutputText

/// An ESP packet (RFC 4303): SPI and sequence number; the rest is encrypted.
/// Used for IP protocol 50 and for ESP-in-UDP (NAT-T).
public struct ESPPacket {
    public let bytes: ByteView
    public let spi: UInt32
    public let sequence: UInt32

    public init(_ bytes: ByteView) throws(WireError) {
        guard let spi = bytes.integer(at: 0, as: UInt32.self), let seq = bytes.integer(at: 4, as: UInt32.self) else {
            throw .truncated(layer: .esp, offset: 0, needed: 8, available: bytes.count)
        }
        guard spi != 0 else {
            throw .malformed(layer: .esp, offset: 0, reason: .init("SPI 0 is reserved"))
        }
        self.bytes = bytes
        self.spi = spi
        self.sequence = seq
    }

    public func summary() -> CarrierSummary {
        var s = CarrierSummary(protocol: "esp", message: "esp")
        s.spi = Hex.number(spi)
        s.sequence = sequence
        s.length = bytes.count
        return s
    }
}

/// What UDP port 4500 carries (RFC 3948): a 1-byte 0xff NAT keepalive, IKE
/// after a 4-byte zero non-ESP marker, or ESP.
public enum NATTraversalPayload {
    case keepalive
    case ike(IKEHeader)
    case esp(ESPPacket)

    public init(_ bytes: ByteView) throws(WireError) {
        if bytes.count == 1, bytes.integer(at: 0, as: UInt8.self) == 0xFF { self = .keepalive; return }
        guard let marker = bytes.integer(at: 0, as: UInt32.self) else {
            throw .truncated(layer: .udpencap, offset: 0, needed: 4, available: bytes.count)
        }
        if marker == 0 {
            guard let rest = bytes.suffix(from: 4) else {
                throw .truncated(layer: .udpencap, offset: 4, needed: 28, available: 0)
            }
            do throws(WireError) {
                self = .ike(try IKEHeader(rest))
            } catch {
                throw Self.shifted(error, by: 4)
            }
            return
        }
        self = .esp(try ESPPacket(bytes))
    }

    /// Error offsets relative to the UDP payload, not the inner IKE header.
    static func shifted(_ e: WireError, by n: Int) -> WireError {
        switch e {
        case .truncated(let l, let o, let need, let have): .truncated(layer: l, offset: o + n, needed: need, available: have)
        case .malformed(let l, let o, let r): .malformed(layer: l, offset: o + n, reason: r)
        case .limitReached(let l, let o, let lim): .limitReached(layer: l, offset: o + n, limit: lim)
        }
    }

    public func summary() -> CarrierSummary {
        switch self {
        case .keepalive:
            return CarrierSummary(protocol: "nat-t", message: "keepalive")
        case .ike(let h):
            return h.summary()
        case .esp(let e):
            return e.summary()
        }
    }
}
