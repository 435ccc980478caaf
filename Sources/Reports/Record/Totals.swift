import Correlation

/// Counts the summary tables show, computed from the findings and the capture.
public struct Totals: Codable, Sendable, Hashable {
    public var findings: Int
    public var bySeverity: [String: Int]
    public var byClass: [ClassTotal]
    public var byInterface: [InterfaceTotal]

    public init(findings: Int = 0, bySeverity: [String: Int] = [:], byClass: [ClassTotal] = [],
                byInterface: [InterfaceTotal] = []) {
        self.findings = findings; self.bySeverity = bySeverity; self.byClass = byClass; self.byInterface = byInterface
    }
    enum CodingKeys: String, CodingKey {
        case findings
        case bySeverity = "by_severity", byClass = "by_class", byInterface = "by_interface"
    }
}

public struct ClassTotal: Codable, Sendable, Hashable {
    public var leakClass: LeakClass
    public var findings: Int
    public var high: Int
    public var medium: Int
    public var low: Int
    public var packets: Int64
    public var bytes: Int64
    public init(leakClass: LeakClass, findings: Int = 0, high: Int = 0, medium: Int = 0, low: Int = 0,
                packets: Int64 = 0, bytes: Int64 = 0) {
        self.leakClass = leakClass; self.findings = findings; self.high = high; self.medium = medium; self.low = low
        self.packets = packets; self.bytes = bytes
    }
    enum CodingKeys: String, CodingKey {
        case findings, high, medium, low, packets, bytes
        case leakClass = "class"
    }
}

public struct InterfaceTotal: Codable, Sendable, Hashable {
    public var file: String
    public var interfaceId: Int?
    public var interface: String
    public var role: String
    /// All packets of the interface in the file (nil when the capture was not read).
    public var packets: Int?
    /// Packets cited by findings.
    public var leakedPackets: Int
    public var findings: Int
    public init(file: String, interfaceId: Int?, interface: String, role: String, packets: Int?,
                leakedPackets: Int, findings: Int) {
        self.file = file; self.interfaceId = interfaceId; self.interface = interface; self.role = role
        self.packets = packets; self.leakedPackets = leakedPackets; self.findings = findings
    }
    enum CodingKeys: String, CodingKey {
        case file, interface, role, packets, findings
        case interfaceId = "interface_id", leakedPackets = "leaked_packets"
    }
}
