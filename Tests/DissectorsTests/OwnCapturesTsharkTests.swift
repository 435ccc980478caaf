import Foundation
import Testing
@testable import Dissectors
import TestCaptures

/// Captures built byte-exact here, dissected by us and by tshark (when
/// installed), compared field by field with the same rules as the shared
/// captures (TsharkComparison).
@Suite struct OwnCapturesTsharkTests {
    static let tshark = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static let fields = """
        frame.number frame.interface_id frame.interface_name frame.len eth.type ip.src ip.dst ipv6.src ipv6.dst ipv6.nxt \
        udp.srcport udp.dstport tcp.srcport tcp.dstport stun.type stun.id stun.att.ipv4-xord stun.att.ipv6-xord \
        stun.att.port-xord stun.att.ipv4 stun.att.port stun.channel dns.id dns.flags.response dns.qry.name dns.qry.type \
        dns.a dns.aaaa _ws.malformed _ws.expert frame.cap_len frame.encap_type frame.protocols sll.pkttype sll.etype \
        classicstun.type classicstun.id classicstun.att.ipv4 classicstun.att.port stun.att.ipv6 dns.flags.rcode \
        ipv6.fraghdr.offset ipv6.fraghdr.more ipv6.fraghdr.ident wg.type openvpn.opcode esp.spi
        """.split(separator: " ").map(String.init)

    static func runTshark(_ path: String) throws -> [TsharkComparison.Row] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tshark ?? "/usr/bin/tshark")
        p.arguments = ["-r", path, "-T", "fields", "-E", "header=y", "-E", "separator=/t"] + fields.flatMap { ["-e", $0] }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let tmp = path + ".tsv"
        try data.write(to: URL(fileURLWithPath: tmp))
        return TsharkComparison.readTSV(tmp) ?? []
    }

    static func ethernetFrames() -> [[UInt8]] {
        let dns = Pkt.udp(53000, 53, Pkt.dnsQuery("example.com"))
        var frames: [[UInt8]] = []
        func v4(_ proto: UInt8, _ p: [UInt8], src: [UInt8] = [192, 0, 2, 1], dst: [UInt8] = [198, 51, 100, 7], id: UInt16 = 1, flags: UInt16 = 0) -> [UInt8] {
            Pkt.ethernet(type: 0x0800, Pkt.ipv4(src: src, dst: dst, proto: proto, id: id, flags: flags, p))
        }
        func v6(_ next: UInt8, _ p: [UInt8], dst: [UInt8] = Pkt.v6dst) -> [UInt8] {
            Pkt.ethernet(type: 0x86DD, Pkt.ipv6(dst: dst, next: next, p))
        }
        // STUN (RFC 5769 vectors), ChannelData.
        frames.append(v4(17, Pkt.udp(50000, 3478, RFC5769.sampleRequest)))
        frames.append(v4(17, Pkt.udp(3478, 50000, RFC5769.ipv4Response), src: [198, 51, 100, 7], dst: [192, 0, 2, 1]))
        frames.append(v6(17, Pkt.udp(3478, 50000, RFC5769.ipv6Response)))
        frames.append(v4(17, Pkt.udp(50000, 3478, [0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0])))
        // DNS family.
        frames.append(v4(17, dns))
        frames.append(v6(17, Pkt.udp(5353, 5353, Pkt.dnsQuery("host.local", id: 0)), dst: [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb]))
        // WireGuard initiation (148 bytes) and transport data.
        frames.append(v4(17, Pkt.udp(40000, 51820, [1, 0, 0, 0] + Array(repeating: 0xA5, count: 144))))
        frames.append(v4(17, Pkt.udp(51820, 40000, [4, 0, 0, 0, 1, 0, 0, 0] + Array(repeating: 0, count: 8) + Array(repeating: 0x5A, count: 32))))
        // ESP, IKEv2 SA_INIT header, OpenVPN hard reset.
        frames.append(v4(50, be32(0x1234) + be32(1) + Array(repeating: 0xEE, count: 24)))
        let ike: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8] + Array(repeating: 0, count: 8) + [0, 0x20, 34, 0x08] + be32(0) + be32(28)
        frames.append(v4(17, Pkt.udp(500, 500, ike)))
        frames.append(v4(17, Pkt.udp(40001, 1194, [0x38, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0])))
        // Tunnels: 6in4, Teredo, GRE.
        frames.append(v4(41, Pkt.ipv6(next: 17, dns)))
        let echo: [UInt8] = [128, 0, 0, 0, 0, 1, 0, 1]
        frames.append(v4(17, Pkt.udp(3544, 40002, Pkt.ipv6(src: [0x20, 0x01, 0, 0, 0xc0, 0, 2, 1, 0, 0, 0x63, 0x5b, 0x3f, 0xff, 0xfd, 0xfe], next: 58, echo))))
        frames.append(v4(47, [0, 0, 0x08, 0x00] + Pkt.ipv4(src: [10, 0, 0, 1], dst: [10, 0, 0, 2], proto: 17, dns)))
        // QinQ.
        frames.append(Pkt.ethernet(type: 0x0800, vlans: [(0x88A8, 10), (0x8100, 20)], Pkt.ipv4(proto: 17, dns)))
        // IPv6 with hop-by-hop and destination options, then UDP DNS.
        frames.append(v6(0, Pkt.ext(next: 60) + Pkt.ext(next: 17) + dns))
        // IPv6 fragments of a UDP DNS datagram (first 16 bytes, then the rest).
        let whole6 = dns
        frames.append(v6(44, Pkt.fragment(next: 17, offset: 0, more: true, id: 0xABCD) + Array(whole6[0..<16])))
        frames.append(v6(44, Pkt.fragment(next: 17, offset: 16, more: false, id: 0xABCD) + Array(whole6[16...])))
        // IPv4 fragments of the same.
        frames.append(v4(17, Array(dns[0..<16]), id: 77, flags: 0x2000))
        frames.append(v4(17, Array(dns[16...]), id: 77, flags: 2))
        // DNS over TCP split over two segments.
        let q = Pkt.dnsQuery("split.example", id: 0x4242)
        let framed = be16(UInt16(q.count)) + q
        frames.append(v4(6, Pkt.tcp(50001, 53, seq: 1000, Array(framed[0..<10]))))
        frames.append(v4(6, Pkt.tcp(50001, 53, seq: 1010, Array(framed[10...]))))
        // STUN over TCP split over two segments.
        let s = RFC5769.sampleRequest
        frames.append(v4(6, Pkt.tcp(50002, 3478, seq: 5000, Array(s[0..<30]))))
        frames.append(v4(6, Pkt.tcp(50002, 3478, seq: 5030, Array(s[30...]))))
        return frames
    }

    @Test(.enabled(if: tshark != nil, "tshark is not installed"))
    func ownCapturesAgreeWithTshark() throws {
        let cases: [(String, UInt32, [[UInt8]])] = [
            ("ethernet.pcap", 1, Self.ethernetFrames()),
            ("sll2.pcap", 276, [[0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 2, 0, 0, 0, 0, 9, 0, 0]
                                + Pkt.ipv4(proto: 17, Pkt.udp(53000, 53, Pkt.dnsQuery("sll2.example")))]),
            ("null.pcap", 0, [[30, 0, 0, 0] + Pkt.ipv6(next: 17, Pkt.udp(53000, 53, Pkt.dnsQuery("null.example")))]),
            ("raw.pcap", 101, [Pkt.ipv4(proto: 17, Pkt.udp(50000, 3478, RFC5769.sampleRequest))]),
        ]
        var unexplained: [String] = []
        for (name, link, frames) in cases {
            var pcap = PcapBytes(snaplen: 262_144, linkType: link)
            for (i, f) in frames.enumerated() { pcap.record(seconds: 1_700_000_000 + UInt32(i), fraction: 0, data: f) }
            let path = TempDirectory().write(name, pcap.bytes)
            let rows = try Self.runTshark(path)
            #expect(rows.count == frames.count)
            let result = TsharkComparison.run(capture: path, rows: rows, name: name)
            print(result.summary)
            for diff in result.diffs {
                print("  DIFF: \(diff)")
                unexplained.append("\(name): \(diff)")
            }
        }
        #expect(unexplained.isEmpty, "\(unexplained.joined(separator: "\n"))")
    }
}
