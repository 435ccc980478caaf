/// An IP address and a port as one value: what STUN's address attributes
/// carry, and what the correlator keys flows and transactions by.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    @inlinable public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// `198.51.100.2:3478`, or `[2001:db8::1]:3478` for IPv6.
    public var description: String {
        address.isV4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }
}
