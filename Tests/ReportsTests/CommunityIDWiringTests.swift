import Correlation
import Foundation
import Testing
@testable import Reports

/// Issue 15, item 3: every flow a finding cites carries its Community ID v1 in
/// the record (`findings[].cited_flows`), in the JSONL (`network.community_id`)
/// and in the evidence capture's packet comments. Checked on every lab
/// capture against independent oracles: tshark reads the 5-tuple of each
/// cited frame, and the Python `communityid` package (pycommunityid, the
/// specification's reference implementation) hashes it.
@Suite struct CommunityIDWiringTests {
    static var oracles: Bool {
        guard TestSupport.hasTshark, TestSupport.hasLabCaptures, let py = TestSupport.which("python3") else { return false }
        return (try? TestSupport.run(py, ["-c", "import communityid"]).0) == 0
    }

    /// Reads "key proto src dst sport dport" lines ("-" for no port), prints "key community-id".
    static let hashScript = """
        import sys, communityid
        cid = communityid.CommunityID()
        for line in sys.stdin:
            if not line.strip(): continue
            k, p, s, d, sp, dp = line.split()
            sp = None if sp == "-" else int(sp)
            dp = None if dp == "-" else int(dp)
            print(k, cid.calc(communityid.FlowTuple(int(p), s, d, sp, dp)))
        """

    static func pycommunityid(_ lines: [String]) throws -> [String: String] {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = "\(dir)/tuples"
        try lines.joined(separator: "\n").appending("\n").write(toFile: input, atomically: true, encoding: .utf8)
        let (status, out, err) = try TestSupport.run("/bin/sh", ["-c", "python3 -c \"$1\" < \"$2\"", "sh", hashScript, input])
        #expect(status == 0, "\(err)")
        var r: [String: String] = [:]
        for l in out.split(separator: "\n") {
            let p = l.split(separator: " ")
            if p.count == 2 { r[String(p[0])] = String(p[1]) }
        }
        return r
    }

    /// tshark's view of each frame's flow: "proto src dst sport dport" (the outer IP header; ICMP type and
    /// code in place of ports), by frame number; and the frame comments.
    static func tsharkTuples(_ path: String) throws -> (tuples: [Int: String], comments: [Int: String]) {
        let fields = ["frame.number", "ip.src", "ip.dst", "ip.proto", "ipv6.src", "ipv6.dst", "ipv6.nxt",
                      "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "icmp.type", "icmp.code",
                      "icmpv6.type", "icmpv6.code", "frame.comment"]
        let (status, out, err) = try TestSupport.run(TestSupport.which("tshark")!,
            ["-r", path, "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"] + fields.flatMap { ["-e", $0] })
        #expect(status == 0, "\(err)")
        var tuples: [Int: String] = [:], comments: [Int: String] = [:]
        for line in out.split(separator: "\n", omittingEmptySubsequences: true) {
            let v = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard v.count == fields.count, let frame = Int(v[0]) else { continue }
            if !v[15].isEmpty { comments[frame] = v[15] }
            let v4 = !v[1].isEmpty
            let (src, dst, proto) = v4 ? (v[1], v[2], v[3]) : (v[4], v[5], v[6])
            guard !src.isEmpty, let p = Int(proto) else { continue }
            var ports = ("-", "-")
            switch p {
            case 6: ports = (v[7], v[8])
            case 17: ports = (v[9], v[10])
            case 1: ports = (v[11], v[12])
            case 58: ports = (v[13], v[14])
            default: break
            }
            if ports.0.isEmpty || ports.1.isEmpty { ports = ("-", "-") }
            tuples[frame] = "\(p) \(src) \(dst) \(ports.0) \(ports.1)"
        }
        return (tuples, comments)
    }

    static func line(_ x: CitedFlow) -> String {
        let p = x.protocol == "udp" ? 17 : x.protocol == "tcp" ? 6 : x.protocol == "icmp" ? 1 : x.protocol == "icmpv6" ? 58
            : Int(x.protocol.dropFirst(3)) ?? -1
        let sp = x.srcPort.map(Int.init) ?? x.icmpType.map(Int.init), dp = x.dstPort.map(Int.init) ?? x.icmpCode.map(Int.init)
        return "\(p) \(x.src) \(x.dst) \(sp.map(String.init) ?? "-") \(dp.map(String.init) ?? "-")"
    }

    @Test(.enabled(if: oracles, "needs tshark, python3 with communityid and the lab captures (Scripts/setup)"))
    func labFindingsCarryTheFlowsCommunityIDsEverywhere() throws {
        let dir = TestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let names = try FileManager.default.contentsOfDirectory(atPath: "\(TestSupport.repoRoot)/captures")
            .filter { $0.hasPrefix("lab-") && $0.hasSuffix(".pcapng") }.sorted()
        #expect(names.count >= 7)
        var flowsChecked = 0, framesChecked = 0, commentsChecked = 0, findingsChecked = 0
        var protocols = Set<String>()
        for name in names {
            let path = "\(TestSupport.repoRoot)/captures/\(name)"
            let ev = "\(dir)/\(name).evidence.pcapng"
            let r = try TestSupport.record([path], evidence: ev)
            let (tuples, _) = try Self.tsharkTuples(path)
            let (evidenceTuples, comments) = try Self.tsharkTuples(ev)

            // Every key is hashed by pycommunityid once: the record's own tuples, and tshark's
            // tuples of the cited frames and of the evidence frames.
            var lines: [String] = []
            for (i, f) in r.analysis.findings.enumerated() {
                for (j, x) in (f.citedFlows ?? []).enumerated() { lines.append("r\(i).\(j) " + Self.line(x)) }
                for frame in f.frames { if let t = tuples[frame] { lines.append("f\(frame) " + t) } }
            }
            for (frame, t) in evidenceTuples { lines.append("e\(frame) " + t) }
            let oracle = try Self.pycommunityid(lines)

            for (i, f) in r.analysis.findings.enumerated() {
                let flows = try #require(f.citedFlows, "\(name) \(f.id) has no cited flows")
                findingsChecked += 1
                // The record's tuples hash as pycommunityid hashes them.
                for (j, x) in flows.enumerated() {
                    #expect(x.communityId == oracle["r\(i).\(j)"], "\(name) \(f.id) \(Self.line(x))")
                    flowsChecked += 1
                    protocols.insert(x.protocol)
                }
                // tshark's flows of the finding's frames are exactly the cited flows, packet counts included.
                guard f.framesOmitted == 0, f.citedFlowsOmitted == nil else { continue }
                var fromFrames: [String: Int] = [:]
                for frame in f.frames {
                    let id = try #require(oracle["f\(frame)"], "\(name) frame \(frame) has no IP flow in tshark")
                    fromFrames[id, default: 0] += 1
                    framesChecked += 1
                }
                #expect(fromFrames == Dictionary(uniqueKeysWithValues: flows.map { ($0.communityId, $0.packets) }), "\(name) \(f.id)")
            }

            // JSON Lines: each finding's alert (leak windows have their own events) lists its flows in network.community_id.
            let docs = try String(decoding: try JSONLReport.render(r), as: UTF8.self).split(separator: "\n").map {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
            }
            let alerts = docs.filter { ($0["event"] as? [String: Any])?["dataset"] as? String == "leakscope.finding" }
            #expect(alerts.count == r.analysis.findings.count, "\(name)")
            for (doc, f) in zip(alerts, r.analysis.findings) {
                #expect((doc["leakscope"] as? [String: Any])?["finding_id"] as? String == f.id)
                let network = doc["network"] as? [String: Any]
                #expect(network?["community_id"] as? [String] == f.citedFlows?.map(\.communityId), "\(name) \(f.id)")
            }

            // The evidence capture: each packet's comment ends with its own flow's Community ID.
            #expect(comments.count == Set(r.analysis.findings.flatMap(\.frames)).count)
            let cited = Set(r.analysis.findings.flatMap { $0.citedFlows ?? [] }.map(\.communityId))
            for (frame, comment) in comments {
                let id = try #require(comment.range(of: "; community_id ").map { String(comment[$0.upperBound...]) }, "\(name) evidence frame \(frame): \(comment)")
                #expect(id == oracle["e\(frame)"], "\(name) evidence frame \(frame)")
                #expect(cited.contains(id), "\(name) evidence frame \(frame)")
                commentsChecked += 1
            }
        }
        #expect(flowsChecked > 50)
        #expect(protocols.isSuperset(of: ["udp", "tcp"]), "\(protocols)")
        print("Community ID: \(flowsChecked) cited flows of \(findingsChecked) findings in \(names.count) lab captures (\(protocols.sorted().joined(separator: ", "))) agree with pycommunityid; \(framesChecked) cited frames read by tshark give exactly those flows; \(commentsChecked) evidence packet comments carry their flow's ID")
    }
}
