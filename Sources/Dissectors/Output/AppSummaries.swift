// What `summary()` of each application view returns: the output-only values
// `DissectionRecord` (dissect --format jsonl, the record's frame views) is
// made of. Strings in them are already escaped as docs/protocols.md says.

public struct HTTPSummary: Encodable, Equatable, Sendable {
    public var method: String
    public var target: String
    public var version: String
    public var host: String?
}

public struct ARPSummary: Encodable, Equatable, Sendable {
    public var op: Int
    public var operation: String
    public var senderMAC: String?
    public var senderIP: String?
    public var targetMAC: String?
    public var targetIP: String?

    enum CodingKeys: String, CodingKey {
        case op, operation, senderMAC = "sender_mac", senderIP = "sender_ip", targetMAC = "target_mac", targetIP = "target_ip"
    }
}

public struct DHCPRouteSummary: Encodable, Equatable, Sendable {
    public var destination: String
    public var router: String
}

public struct DHCPv4Summary: Encodable, Equatable, Sendable {
    public var op: Int
    public var xid: String
    public var messageType: String?
    public var ciaddr: String?
    public var yiaddr: String?
    public var siaddr: String?
    public var giaddr: String?
    public var chaddr: String?
    public var subnetMask: String?
    public var routers: [String]?
    public var dnsServers: [String]?
    public var hostname: String?
    public var requestedIP: String?
    public var leaseTime: UInt32?
    public var serverID: String?
    public var classlessRoutes: [DHCPRouteSummary]?
    public var msClasslessRoutes: [DHCPRouteSummary]?
    /// Option 15.
    public var domainName: String?
    /// Option 252: the proxy auto-config URL (WPAD).
    public var wpad: String?
    /// Option 60.
    public var vendorClass: String?
    /// Option 81.
    public var clientFQDN: String?
    public var options: [Int]

    enum CodingKeys: String, CodingKey {
        case op, xid, messageType = "message_type", ciaddr, yiaddr, siaddr, giaddr, chaddr
        case subnetMask = "subnet_mask", routers, dnsServers = "dns_servers", hostname, requestedIP = "requested_ip"
        case leaseTime = "lease_time", serverID = "server_id", classlessRoutes = "classless_routes"
        case msClasslessRoutes = "ms_classless_routes", domainName = "domain_name", wpad
        case vendorClass = "vendor_class", clientFQDN = "client_fqdn", options
    }
}

public struct DHCPv6Summary: Encodable, Equatable, Sendable {
    public var messageType: String
    public var transactionID: String?
    public var clientID: String?
    public var serverID: String?
    public var addresses: [String]?
    public var dnsServers: [String]?
    public var domains: [String]?
    public var clientFQDN: String?
    public var options: [Int]

    enum CodingKeys: String, CodingKey {
        case messageType = "message_type", transactionID = "transaction_id", clientID = "client_id"
        case serverID = "server_id", addresses, dnsServers = "dns_servers", domains
        case clientFQDN = "client_fqdn", options
    }
}

public struct QUICSummary: Encodable, Equatable, Sendable {
    public var version: String
    public var packetType: String
    public var dcid: String
    public var scid: String
    public var tokenLength: Int?
    /// The ClientHello's server_name, when the Initial decrypts and holds it.
    public var sni: String?
    /// Why there is no `sni` for an Initial.
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case version, packetType = "packet_type", dcid, scid, tokenLength = "token_length", sni, note
    }
}

public struct TLSSummary: Encodable, Equatable, Sendable {
    public var handshake: String
    public var recordVersion: String
    public var clientVersion: String
    public var sni: String?
    public var alpn: [String]?
    /// Only when true: Encrypted Client Hello present, `sni` is the outer name.
    public var ech: Bool?

    enum CodingKeys: String, CodingKey {
        case handshake, recordVersion = "record_version", clientVersion = "client_version", sni, alpn, ech
    }
}

public struct TURNChannelDataSummary: Encodable, Equatable, Sendable {
    public var channel: Int
    public var length: Int
}
