import CaptureFiles
@testable import Correlation
import Dissectors
import Foundation
import JSONCoding
import Testing
import TestCaptures

/// The carrier fast path (`CarrierDatagram` + `FactsExtractor.facts(_:_:)`) must give the
/// facts a full dissection gives, packet for packet, and the same analysis byte for byte:
/// over the lab recordings, the shared third-party captures and synthetic carrier captures
/// with every shape the fast path must leave to the full path.
@Suite struct CarrierFastPathTests {
    static let root: String = {
        var p = #filePath
        for _ in 0..<3 { p = String(p[..<(p.lastIndex(of: "/") ?? p.startIndex)]) }
        return p
    }()

    static func captureFiles() -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for dir in [root + "/captures", root + "/../shared/captures"] {
            guard let e = fm.enumerator(atPath: dir) else { continue }
            for case let f as String in e where f.hasSuffix(".pcap") || f.hasSuffix(".pcapng") { out.append(dir + "/" + f) }
        }
        return out.sorted()
    }

    /// Every field of the facts (PacketFacts is plain values: its reflection is all of it).
    static func text(_ f: PacketFacts) -> String { String(reflecting: f) }

    static let host = "192.0.2.2", server = "203.0.113.1"

    /// `payload` as WireGuard over UDP 40001 -> 51820 on Ethernet, sent by the host.
    static func carrier(_ payload: [UInt8], out: Bool = true) -> [UInt8] {
        out ? Pkt.ether(Pkt.ipv4(host, server, proto: 17, Pkt.udp(40001, 51820, payload)), out: true)
            : Pkt.ether(Pkt.ipv4(server, host, proto: 17, Pkt.udp(51820, 40001, payload)), out: false)
    }

    /// Frames the fast path reads (true) or leaves to the full path (false), with why.
    static let shapes: [(String, [UInt8], Bool)] = {
        let data = Pkt.wgData(receiver: 0x1234_5678, counter: 42)
        let udp = Pkt.udp(40001, 51820, data)
        func eth(_ ip: [UInt8]) -> [UInt8] { Pkt.ether(ip) }
        func ip(flags: UInt16 = 0x4000, options: [UInt8] = [], total: Int? = nil, proto: UInt8 = 17, _ p: [UInt8]) -> [UInt8] {
            Pkt.ipv4(src: [192, 0, 2, 2], dst: [203, 0, 113, 1], proto: proto, flags: flags, options: options, totalLength: total, p)
        }
        var r: [(String, [UInt8], Bool)] = [
            ("outbound data", carrier(data), true),
            ("inbound data", carrier(Pkt.wgData(receiver: 7, counter: 1 << 40, size: 1_404), out: false), true),
            ("smallest data (keepalive)", carrier(Pkt.wgData(receiver: 7, counter: 0, size: 16)), true),
            ("no DF", eth(ip(flags: 0, udp)), true),
            ("Ethernet padding after the IP packet", eth(ip(udp)) + [UInt8](repeating: 0, count: 20), true),
            ("UDP length past the IP payload", eth(ip(Pkt.udp(40001, 51820, length: udp.count + 40, data))), true),
            ("bytes in IP after the UDP length", eth(ip(Pkt.udp(40001, 51820, length: udp.count - 16, data))), true),
            ("VLAN tag", Pkt.ethernet(type: 0x0800, vlans: [(0x8100, 5)], ip(udp)), false),
            ("IPv4 options", eth(ip(options: [1, 1, 1, 0], udp)), false),
            ("more fragments", eth(ip(flags: 0x2000, udp)), false),
            ("fragment offset", eth(ip(flags: 0x0001, udp)), false),
            ("total length 0", eth(ip(total: 0, udp)), false),
            ("total length past the capture", eth(ip(total: 20 + udp.count + 8, udp)), false),
            ("total length below the UDP header", eth(ip(total: 24, udp)), false),
            ("UDP length below 8", eth(ip(Pkt.udp(40001, 51820, length: 4, data))), false),
            ("TCP", eth(ip(proto: 6, Pkt.tcp(40001, 51820, data))), false),
            ("reserved byte set", carrier([4, 0, 1, 0] + data.dropFirst(4)), false),
            ("31 bytes", carrier(Array(data.prefix(31))), false),
            ("handshake initiation", carrier(Pkt.wgInitiation(sender: 9)), false),
            ("type 3 (cookie reply)", carrier([3, 0, 0, 0] + [UInt8](repeating: 1, count: 60)), false),
            // The STUN test runs for this receiver index only; a type-4 header (STUN length 0) is never STUN.
            ("receiver index spelling STUN's magic cookie", carrier([4, 0, 0, 0, 0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 1, count: 56)), true),
            ("IPv6", Pkt.ether(Pkt.ipv6(next: 17, Pkt.udp(40001, 51820, data))), false),
            ("raw IP link", ip(udp), false),
        ]
        for port: UInt16 in [53, 137, 2152, 3544, 5072, 5353, 5355] {
            r.append(("port \(port)", eth(ip(Pkt.udp(port, 51820, data))), false))
            r.append(("port \(port) (destination)", eth(ip(Pkt.udp(40001, port, data))), false))
        }
        return r
    }()

    @Test func fastFactsEqualFullFactsOnEveryShape() {
        var dissector = Dissector()
        for (name, bytes, fast) in Self.shapes {
            let link: LinkType = name == "raw IP link" ? .raw : .ethernet
            withPacket(bytes, link: link, frame: 3, time: 1_700_000_000_123_456_789) { p in
                let c = CarrierDatagram.read(p)
                #expect((c != nil) == fast, "\(name)")
                let full = FactsExtractor().facts(dissector.dissect(p))
                if let c {
                    #expect(Self.text(FactsExtractor().facts(p, c)) == Self.text(full), "\(name)")
                    #expect(full.app == .wireguard && full.wireguardType == 4, "\(name)")
                }
            }
        }
    }

    /// Every packet of every shipped capture: where the fast path reads one, its facts are the full path's.
    @Test func fastFactsEqualFullFactsOnTheCaptures() throws {
        let files = Self.captureFiles()
        try #require(!files.isEmpty, "captures/ is absent")
        var read = 0
        for path in files {
            // A file without a readable header (../shared/captures/damaged) has no packets to compare.
            guard let reader = try? CaptureReader(path: path) else { continue }
            var dissector = Dissector()
            var d = Dissection()
            let extractor = FactsExtractor()
            while let p = reader.next() {
                dissector.dissect(p, into: &d)
                guard let c = CarrierDatagram.read(p) else { continue }
                read += 1
                #expect(Self.text(extractor.facts(p, c)) == Self.text(extractor.facts(d)), "\(path) frame \(p.frameNumber)")
            }
        }
        // The lab recordings are WireGuard sessions: the fast path must actually have been taken.
        #expect(read > 1_000)
    }

    /// The analysis JSON, the summaries and the timeline; or the error (an unreadable file's is the same either way).
    static func record(_ paths: [String], fast: Bool, endpoints: [EndpointSpec] = []) throws -> String {
        var o = AnalysisOptions()
        o.carrierFastPath = fast
        o.vpnEndpoints = endpoints
        let run: Correlation.Run
        do { run = try Correlation.analyze(inputs: Correlation.open(paths), options: o, gathering: .init(timelineBuckets: 64)) }
        catch { return "error: \(error)" }
        return try AnalysisJSON.encode(run.analysis) + "\n" + run.summaries.map { String(reflecting: $0) }.joined(separator: "\n")
            + "\n" + String(reflecting: run.histogram)
    }

    @Test(arguments: captureFiles())
    func sameAnalysisWithAndWithoutTheFastPath(path: String) throws {
        #expect(try Self.record([path], fast: true) == Self.record([path], fast: false))
    }

    /// A WireGuard session on eth0 with wg0 beside it (or alone, without its handshake), leaks, and
    /// every shape above mixed into the carrier: the analysis must not change.
    @Test(arguments: [(true, true), (false, true), (true, false), (false, false)])
    func sameAnalysisOnSyntheticCarrierCaptures(handshake: Bool, tunnelInterface: Bool) throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1, addresses: tunnelInterface ? [Self.host] : [])
        let wg = tunnelInterface ? b.interface("wg0", 101) : nil
        if handshake {
            b.add(eth, Self.carrier(Pkt.wgInitiation(sender: 11)))
            b.add(eth, Self.carrier(Pkt.wgResponse(sender: 22, receiver: 11), out: false))
        }
        var counter: UInt64 = 0
        for i in 0..<400 {
            let out = i % 3 != 0
            let inner = Pkt.ipv4("10.0.0.2", "198.51.100.\(i % 7 + 1)", proto: 17, Pkt.udp(5000, 443, [UInt8](repeating: 1, count: i % 50)))
            if let wg, out { b.add(wg, inner, flags: 2) }
            b.add(eth, Self.carrier(Pkt.wgTransport(receiver: out ? 22 : 11, counter: counter, inner: inner.count), out: out),
                  flags: tunnelInterface ? (out ? 2 : 1) : nil)
            if let wg, !out { b.add(wg, inner, flags: 1) }
            counter += 1
            if i % 40 == 7 {
                b.add(eth, Pkt.ether(Pkt.ipv4(Self.host, "198.51.100.53", proto: 17, Pkt.udp(41000 + UInt16(i), 53, Pkt.dnsQuery("n\(i).example.com")))))
            }
            if i % 50 == 9 {
                let (_, bytes, _) = Self.shapes[i / 50 % Self.shapes.count]
                if bytes.first != 0x45 { b.add(eth, bytes) }
            }
        }
        let dir = TempDirectory()
        defer { dir.remove() }
        let pcapng = dir.write("carrier.pcapng", b.pcapng())
        #expect(try Self.record([pcapng], fast: true) == Self.record([pcapng], fast: false))
        if !tunnelInterface {
            let pcap = dir.write("carrier.pcap", b.pcap(linkType: 1))
            #expect(try Self.record([pcap], fast: true) == Self.record([pcap], fast: false))
            // Two inputs go through the merger: the same there.
            #expect(try Self.record([pcap, pcapng], fast: true) == Self.record([pcap, pcapng], fast: false))
        }
    }

    /// Carrier flows that interleave (both directions of two endpoints' flows, a carrier-shaped flow
    /// to no endpoint, the same 5-tuple on a second interface): pass 2 repeats the judgement of the
    /// last two carrier flows (CarrierRun), and must judge every packet as the full path does.
    @Test(arguments: [false, true])
    func sameAnalysisWhenCarrierFlowsInterleave(explicitEndpoints: Bool) throws {
        var b = CaptureBuilder()
        let eth = b.interface("eth0", 1), eth1 = b.interface("eth1", 1)
        let second = "203.0.113.9", stranger = "198.51.100.7"
        func wg(_ src: String, _ dst: String, _ sp: UInt16, _ dp: UInt16, _ payload: [UInt8], out: Bool) -> [UInt8] {
            Pkt.ether(Pkt.ipv4(src, dst, proto: 17, Pkt.udp(sp, dp, payload)), out: out)
        }
        b.add(eth, Self.carrier(Pkt.wgInitiation(sender: 11)))
        b.add(eth, Self.carrier(Pkt.wgResponse(sender: 22, receiver: 11), out: false))
        b.add(eth, wg(Self.host, second, 40002, 51820, Pkt.wgInitiation(sender: 33), out: true))
        b.add(eth, wg(second, Self.host, 51820, 40002, Pkt.wgResponse(sender: 44, receiver: 33), out: false))
        var counter: UInt64 = 0
        for i in 0..<600 {
            let data = Pkt.wgTransport(receiver: 22, counter: counter, inner: 60 + i % 40)
            counter += 1
            switch i % 7 {
            case 0, 1: b.add(eth, Self.carrier(data), flags: 2)
            case 2: b.add(eth, Self.carrier(data, out: false), flags: 1)
            case 3: b.add(eth, wg(Self.host, second, 40002, 51820, data, out: true), flags: 2)
            case 4: b.add(eth, wg(second, Self.host, 51820, 40002, data, out: false), flags: 1)
            case 5: b.add(eth, wg(Self.host, stranger, 40003, 51820, data, out: true), flags: 2)
            default: b.add(eth1, Self.carrier(data), flags: 2)
            }
        }
        let dir = TempDirectory()
        defer { dir.remove() }
        let path = dir.write("interleaved.pcapng", b.pcapng())
        let endpoints = explicitEndpoints
            ? [EndpointSpec(parsing: "\(Self.server):51820"), EndpointSpec(parsing: "\(second):51820")].compactMap { $0 } : []
        #expect(endpoints.count == (explicitEndpoints ? 2 : 0))
        let fast = try Self.record([path], fast: true, endpoints: endpoints)
        #expect(fast == (try Self.record([path], fast: false, endpoints: endpoints)))
        // The flow to no endpoint is judged on its own: it is no carrier of this tunnel.
        #expect(fast.contains("198.51.100.7"))
    }
}
