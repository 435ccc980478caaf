import Correlation
import JSONCoding
import Testing

/// The record types that write their own JSON object (`JSONObjectStreaming`) give the bytes of
/// their `Encodable` form: the tree encoder's, in both layouts, whichever optionals are present,
/// alone, in arrays (the first element of a pretty array is built as a tree) and deep in a record.
@Suite struct RecordStreamingTests {
    static let cited: [CitedFlow] = [
        CitedFlow(communityId: "1:abc+/=", protocol: "udp", src: "192.0.2.1", srcPort: 40000, dst: "198.51.100.7",
                  dstPort: 53, firstFrame: 12, packets: 3),
        CitedFlow(communityId: "1:def", protocol: "icmp", src: "2001:db8::1", dst: "2001:db8::2", icmpType: 128, icmpCode: 0,
                  firstFrame: 9_000_000_000, packets: 1),
        CitedFlow(communityId: "", protocol: "ip-47", src: "a\"b\\c\u{7}\u{202E}é", dst: "x\ny", firstFrame: -1, packets: 0),
    ]
    static let flows: [FlowEvidence] = [
        FlowEvidence(protocol: "tcp", src: "192.0.2.1", srcPort: 443, dst: "203.0.113.5", dstPort: 51000, packets: 7, bytes: 1500,
                     firstFrame: 4, sni: "example.org", host: "example.org", dnsName: "example.org", dnsResponseFrame: 2),
        FlowEvidence(protocol: "ip-50", src: "192.0.2.1", srcPort: nil, dst: "203.0.113.5", dstPort: nil, packets: 1, bytes: 0,
                     firstFrame: 1),
        FlowEvidence(protocol: "udp", src: "\u{2028}", srcPort: 0, dst: "", dstPort: 65535, packets: Int.max, bytes: Int.min,
                     firstFrame: 0, sni: "ünï\u{0}", host: nil, dnsName: nil, dnsResponseFrame: 0),
    ]

    struct Deep: Encodable {
        var findings: [Inner]
        struct Inner: Encodable {
            var citedFlows: [CitedFlow]
            var evidence: Evidence
            var single: CitedFlow
            enum CodingKeys: String, CodingKey { case citedFlows = "cited_flows", evidence, single }
        }
        struct Evidence: Encodable { var flows: [FlowEvidence]; var one: FlowEvidence? }
    }

    func same<T: Encodable>(_ v: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for layout in [JSONCoding.Layout.pretty, .compact] {
            for keys in [JSONCoding.KeyStyle.asIs, .snakeCase] {
                let tree = try JSONCoding.encode(v, layout: layout, keys: keys)
                var stream: [UInt8] = []
                try JSONCoding.encode(v, layout: layout, keys: keys, chunk: 5) { stream += $0 }
                #expect(String(decoding: stream, as: UTF8.self) == String(decoding: tree, as: UTF8.self), sourceLocation: sourceLocation)
            }
        }
    }

    @Test func citedFlowsAndFlowEvidenceStreamAsTheirTree() throws {
        for c in Self.cited { try same(c) }
        for f in Self.flows { try same(f) }
        try same(Self.cited)
        try same(Self.flows)
        let inner = Deep.Inner(citedFlows: Self.cited, evidence: .init(flows: Self.flows, one: Self.flows[2]), single: Self.cited[1])
        try same(Deep(findings: [inner, inner]))
    }

    /// The field writer buffers an object's bytes (1,024 of them) and falls back to the stream's
    /// own writers where they do not fit: a string longer than the buffer, many fields that fill it
    /// mid-object, and an indent so deep that a key's line alone is longer. The bytes are the same.
    @Test func objectsLargerThanTheFieldBufferStreamAsTheirTree() throws {
        let long = String(repeating: "a", count: 1_500), escaped = String(repeating: "é\"", count: 400)
        let big = FlowEvidence(protocol: long, src: "192.0.2.1", srcPort: 1, dst: escaped, dstPort: 2, packets: 3, bytes: 4,
                               firstFrame: 5, sni: String(repeating: "s", count: 1_020), host: String(repeating: "h", count: 1_023),
                               dnsName: long, dnsResponseFrame: Int.min)
        try same(big)
        try same([big, big])
        // 600 levels of arrays: the object's keys are indented by 1,202 spaces in the pretty layout.
        struct Nest: Encodable {
            var depth: Int
            func encode(to encoder: any Encoder) throws {
                var c = encoder.unkeyedContainer()
                // Two at the bottom: the first element of a pretty array is built as a tree, the second streams.
                if depth == 0 { try c.encode(RecordStreamingTests.cited[0]); try c.encode(RecordStreamingTests.cited[2]) }
                else { try c.encode(Nest(depth: depth - 1)) }
            }
        }
        try same(Nest(depth: 600))
    }
}
