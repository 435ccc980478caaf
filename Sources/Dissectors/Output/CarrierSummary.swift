/// The decoded, output-ready form of a VPN carrier message (WireGuard,
/// OpenVPN, IKE, ESP, NAT-T, L2TP). Keys are present only when they apply;
/// indices, SPIs and session IDs are `0x` hex strings (as tshark shows them).
public struct CarrierSummary: Encodable, Equatable, Sendable {
    public var `protocol`: String
    public var message: String
    public var senderIndex: String?
    public var receiverIndex: String?
    public var counter: UInt64?
    public var opcode: Int?
    public var keyID: Int?
    public var sessionID: String?
    public var peerID: Int?
    public var spi: String?
    public var sequence: UInt32?
    public var version: String?
    public var exchangeType: Int?
    public var initiatorSPI: String?
    public var responderSPI: String?
    public var messageID: UInt32?
    public var tunnelID: Int?
    public var controlConnectionID: String?
    public var length: Int?

    public init(protocol: String, message: String) {
        self.protocol = `protocol`
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case `protocol`, message, senderIndex = "sender_index", receiverIndex = "receiver_index", counter, opcode
        case keyID = "key_id", sessionID = "session_id", peerID = "peer_id", spi, sequence, version
        case exchangeType = "exchange_type", initiatorSPI = "initiator_spi", responderSPI = "responder_spi"
        case messageID = "message_id", tunnelID = "tunnel_id", controlConnectionID = "control_connection_id", length
    }
}
