/// The correlator's analysis as the JSON contract defines it
/// (docs/analysis-json.md): what the record wraps. It is decoded from the
/// correlator's own JSON encoding, so the reports depend on the contract's
/// keys, not on the correlator's Swift types.
public struct AnalysisCore: Codable, Sendable, Hashable {
    public var schemaVersion: String
    public var verdict: Verdict
    public var tunnel: TunnelModel
    public var findings: [Finding]
    public var observations: [Observation]
    public var exposedPublicAddresses: [ExposedAddress]
    /// Top-level keys the correlator adds beyond the contract's minimum.
    public var extra: [String: JSONValue]

    static let knownKeys: Set<String> = [
        "schema_version", "verdict", "tunnel", "findings", "observations", "exposed_public_addresses",
    ]

    public init(
        schemaVersion: String = AnalysisRecord.currentSchemaVersion, verdict: Verdict,
        tunnel: TunnelModel = TunnelModel(fields: [:]), findings: [Finding] = [], observations: [Observation] = [],
        exposedPublicAddresses: [ExposedAddress] = [], extra: [String: JSONValue] = [:]
    ) {
        self.schemaVersion = schemaVersion
        self.verdict = verdict
        self.tunnel = tunnel
        self.findings = findings
        self.observations = observations
        self.exposedPublicAddresses = exposedPublicAddresses
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", verdict, tunnel, findings, observations
        case exposedPublicAddresses = "exposed_public_addresses"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decodeIfPresent(String.self, forKey: .schemaVersion) ?? AnalysisRecord.currentSchemaVersion
        verdict = try c.decode(Verdict.self, forKey: .verdict)
        tunnel = try c.decodeIfPresent(TunnelModel.self, forKey: .tunnel) ?? TunnelModel(fields: [:])
        findings = try c.decodeIfPresent([Finding].self, forKey: .findings) ?? []
        observations = try c.decodeIfPresent([Observation].self, forKey: .observations) ?? []
        exposedPublicAddresses = try c.decodeIfPresent([ExposedAddress].self, forKey: .exposedPublicAddresses) ?? []
        extra = try extraKeys(from: decoder, known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(tunnel, forKey: .tunnel)
        try c.encode(findings, forKey: .findings)
        try c.encode(observations, forKey: .observations)
        try c.encode(exposedPublicAddresses, forKey: .exposedPublicAddresses)
        try encodeExtra(extra, to: encoder)
    }
}
