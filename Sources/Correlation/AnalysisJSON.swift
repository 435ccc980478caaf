import JSONCoding

/// The analysis alone as JSON (the one deterministic encoding, JSONCoding's):
/// equal analyses give byte-identical text. `leakscope analyze --format json`
/// writes the whole record (Reports' `RecordJSON`), which holds these keys at
/// the same place.
public enum AnalysisJSON {
    public static func encode(_ a: Analysis) throws(JSONCodingError) -> String {
        String(decoding: try JSONCoding.encode(a), as: UTF8.self)
    }

    public static func decode(_ s: String) throws(JSONCodingError) -> Analysis {
        try JSONCoding.decode(Analysis.self, from: Array(s.utf8)).value
    }
}

// The record's most numerous objects write their keys straight into the stream (a hostile
// capture's record has 256 of each per finding). Keys as in their CodingKeys, in byte order.

extension CitedFlow: JSONObjectStreaming {
    public func writeFields(_ w: inout JSONFieldWriter) {
        w.field("community_id", communityId)
        w.field("dst", dst)
        w.field("dst_port", dstPort)
        w.field("first_frame", firstFrame)
        w.field("icmp_code", icmpCode)
        w.field("icmp_type", icmpType)
        w.field("packets", packets)
        w.field("protocol", `protocol`)
        w.field("src", src)
        w.field("src_port", srcPort)
    }
}

extension FlowEvidence: JSONObjectStreaming {
    public func writeFields(_ w: inout JSONFieldWriter) {
        w.field("bytes", bytes)
        w.field("dns_name", dnsName)
        w.field("dns_response_frame", dnsResponseFrame)
        w.field("dst", dst)
        w.field("dst_port", dstPort)
        w.field("first_frame", firstFrame)
        w.field("host", host)
        w.field("packets", packets)
        w.field("protocol", `protocol`)
        w.field("sni", sni)
        w.field("src", src)
        w.field("src_port", srcPort)
    }
}
