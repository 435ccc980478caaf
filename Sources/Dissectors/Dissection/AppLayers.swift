/// Application-layer slots. Each holds the app parser's view (offsets into the
/// payload) or a small value; set only when that protocol was found.
public struct AppLayers {
    /// The layer the app payload was dispatched as (nil when none was recognized).
    public var layer: Layer?
    /// The app payload that was dissected (UDP payload, or the TCP message).
    public var payload: ByteView?

    /// QUIC long header (version, connection ids) on UDP 443.
    public var quic: QUICLongHeader?

    public init() {}

    @inlinable public mutating func reset() {
        layer = nil
        payload = nil
        quic = nil
    }
}
