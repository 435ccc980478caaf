import CaptureFiles
import Dissectors
import Foundation
import Testing
@testable import CommunityID

/// Every flow of the lab captures (captures/lab-*.pcapng, read with the project's
/// own reader and dissectors) hashed here and by the Python `communityid`
/// package (pycommunityid, the specification's reference implementation).
/// Skipped with a message when python3 or the package is missing (Scripts/setup installs it).
@Suite struct PythonOracleTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let oracleAvailable: Bool = (try? python(["-c", "import communityid"], input: "").status) == 0

    static func python(_ args: [String], input: String) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        let stdin = Pipe(), stdout = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = FileHandle.nullDevice
        try p.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The distinct flows of a capture, one per direction as seen.
    static func flows(_ path: String) throws -> [FlowTuple] {
        let reader = try CaptureReader(path: path)
        var dissector = Dissector()
        var d = Dissection()
        var seen = Set<FlowTuple>(), order: [FlowTuple] = []
        while let packet = reader.next() {
            dissector.dissect(packet, into: &d)
            guard let ip = d.innerIP ?? d.ip else { continue }
            var t = FlowTuple(source: ip.source, sourcePort: nil, destination: ip.destination, destinationPort: nil, ipProtocol: ip.protocol)
            if let u = d.udp { t.sourcePort = u.sourcePort; t.destinationPort = u.destinationPort }
            else if let c = d.tcp { t.sourcePort = c.sourcePort; t.destinationPort = c.destinationPort }
            else if let m = d.app.icmp { t.sourcePort = UInt16(m.type); t.destinationPort = UInt16(m.code) }
            else if let m = d.app.icmpv6 { t.sourcePort = UInt16(m.type); t.destinationPort = UInt16(m.code) }
            if FlowTuple.portProtocols.contains(t.ipProtocol) && t.sourcePort == nil { continue }  // transport not decoded
            if seen.insert(t).inserted { order.append(t) }
        }
        return order
    }

    static let script = """
        import sys, communityid
        cid = communityid.CommunityID()
        for line in sys.stdin:
            p, s, d, sp, dp = line.split()
            sp = None if sp == "-" else int(sp)
            dp = None if dp == "-" else int(dp)
            print(cid.calc(communityid.FlowTuple(int(p), s, d, sp, dp)))
        """

    @Test(.enabled(if: oracleAvailable, "python3 with the communityid package is missing (pip install communityid; Scripts/setup does it)"))
    func labCapturesAgreeWithPycommunityid() throws {
        let dir = Self.repo.appendingPathComponent("captures")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasPrefix("lab-") && $0.hasSuffix(".pcapng") }.sorted()
        #expect(files.count >= 7)
        var tuples: [FlowTuple] = []
        for f in files { tuples += try Self.flows(dir.appendingPathComponent(f).path) }
        let protocols = Set(tuples.map(\.ipProtocol))
        #expect(protocols.isSuperset(of: [6, 17, 58]), "\(protocols)")  // TCP, UDP and ICMPv6 at least
        let input = tuples.map { t in
            "\(t.ipProtocol) \(t.source) \(t.destination) \(t.sourcePort.map(String.init) ?? "-") \(t.destinationPort.map(String.init) ?? "-")\n"
        }.joined()
        let (status, output) = try Self.python(["-c", Self.script], input: input)
        #expect(status == 0)
        let theirs = output.split(separator: "\n").map(String.init)
        #expect(theirs.count == tuples.count)
        var mismatches: [String] = []
        for (t, want) in zip(tuples, theirs) where t.communityID() != want {
            mismatches.append("\(t.ipProtocol) \(t.source):\(t.sourcePort ?? 0) -> \(t.destination):\(t.destinationPort ?? 0): ours \(t.communityID()), pycommunityid \(want)")
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        print("Community ID: \(tuples.count) flows of \(files.count) lab captures agree with pycommunityid (protocols \(protocols.sorted()))")
    }
}
