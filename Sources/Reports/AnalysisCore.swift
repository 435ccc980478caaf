/// The correlator's analysis as the JSON contract defines it
/// (docs/analysis-json.md): what the record wraps. It is decoded from the
/// correlator's own JSON encoding, so the reports depend on the contract's
/// keys, not on the correlator's Swift types.
public struct AnalysisCore: Codable, Sendable, Hashable {
    public var schemaVersion: String
    public var verdict: RecordVerdict
    public var tunnel: RecordTunnel
    public var findings: [RecordFinding]
    public var observations: [RecordObservation]
    public var exposedPublicAddresses: [RecordExposedAddress]
    /// What the analysis took as given (interface roles, endpoints, host
    /// addresses), in plain words.
    public var assumptions: [String]
    /// Top-level keys the correlator adds beyond the contract's minimum.
    public var extra: [String: JSONValue]

    static let knownKeys: Set<String> = [
        "schema_version", "verdict", "tunnel", "findings", "observations", "exposed_public_addresses", "assumptions",
    ]

    public init(
        schemaVersion: String = AnalysisRecord.currentSchemaVersion, verdict: RecordVerdict,
        tunnel: RecordTunnel = RecordTunnel(fields: [:]), findings: [RecordFinding] = [], observations: [RecordObservation] = [],
        exposedPublicAddresses: [RecordExposedAddress] = [], assumptions: [String] = [], extra: [String: JSONValue] = [:]
    ) {
        self.schemaVersion = schemaVersion
        self.verdict = verdict
        self.tunnel = tunnel
        self.findings = findings
        self.observations = observations
        self.exposedPublicAddresses = exposedPublicAddresses
        self.assumptions = assumptions
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", verdict, tunnel, findings, observations
        case exposedPublicAddresses = "exposed_public_addresses", assumptions
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decodeIfPresent(String.self, forKey: .schemaVersion) ?? AnalysisRecord.currentSchemaVersion
        verdict = try c.decode(RecordVerdict.self, forKey: .verdict)
        tunnel = try c.decodeIfPresent(RecordTunnel.self, forKey: .tunnel) ?? RecordTunnel(fields: [:])
        findings = try c.decodeIfPresent([RecordFinding].self, forKey: .findings) ?? []
        observations = try c.decodeIfPresent([RecordObservation].self, forKey: .observations) ?? []
        exposedPublicAddresses = try c.decodeIfPresent([RecordExposedAddress].self, forKey: .exposedPublicAddresses) ?? []
        assumptions = try c.decodeIfPresent([String].self, forKey: .assumptions) ?? []
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
        try c.encode(assumptions, forKey: .assumptions)
        try encodeExtra(extra, to: encoder)
    }

    /// From a parsed JSON object (the fast path; see `JSONParser`).
    public init(json o: [String: JSONValue]) throws(ReportError) {
        guard let v = o["verdict"]?.objectValue else { throw .badRecord(path: "", reason: "no verdict object") }
        schemaVersion = o["schema_version"]?.stringValue ?? AnalysisRecord.currentSchemaVersion
        verdict = RecordVerdict(fields: v)
        tunnel = RecordTunnel(fields: o["tunnel"]?.objectValue ?? [:])
        findings = (o["findings"]?.arrayValue ?? []).compactMap { $0.objectValue.map(RecordFinding.init(fields:)) }
        observations = (o["observations"]?.arrayValue ?? []).compactMap { $0.objectValue.map(RecordObservation.init(fields:)) }
        exposedPublicAddresses = (o["exposed_public_addresses"]?.arrayValue ?? []).compactMap {
            $0.objectValue.map(RecordExposedAddress.init(fields:))
        }
        assumptions = (o["assumptions"]?.arrayValue ?? []).compactMap(\.stringValue)
        extra = o.filter { !Self.knownKeys.contains($0.key) }
    }

    /// As a JSON object, keys as in the contract.
    public var json: [String: JSONValue] {
        var o = extra
        o["schema_version"] = .string(schemaVersion)
        o["verdict"] = .object(verdict.fields)
        o["tunnel"] = .object(tunnel.fields)
        o["findings"] = .array(findings.map { .object($0.fields) })
        o["observations"] = .array(observations.map { .object($0.fields) })
        o["exposed_public_addresses"] = .array(exposedPublicAddresses.map { .object($0.fields) })
        o["assumptions"] = .array(assumptions.map { .string($0) })
        return o
    }
}
