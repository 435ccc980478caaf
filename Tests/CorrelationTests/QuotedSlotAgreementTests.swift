import CaptureFiles
@testable import Correlation
import Dissectors
import Foundation
import Testing
import TestCaptures

/// The correlator used to dissect every ICMP error's quote with a second
/// `Dissector`; it now reads the dissector's one-level `quoted` slot. This
/// keeps the old way as an oracle: over the lab recordings and the shared
/// third-party captures, both must give the same facts for every ICMP error.
@Suite struct QuotedSlotAgreementTests {
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

    /// What the correlator computed before the slot: a full second dissection of the quote.
    static func oracle(_ q: ByteView, _ outer: Dissection, _ dis: inout Dissector, _ quoted: inout Dissection) -> String? {
        let p = Packet(frameNumber: outer.frameNumber, fileIndex: outer.fileIndex, linkType: .raw,
                       timestampNanoseconds: outer.timestampNanoseconds, originalLength: q.count, bytes: q)
        dis.dissect(p, into: &quoted)
        guard let ip = quoted.ip else { return nil }
        var sp: UInt16 = 0, dp: UInt16 = 0, stun = quoted.app.stun != nil || quoted.app.channelData != nil
        if let u = quoted.udp {
            sp = u.sourcePort; dp = u.destinationPort
            if !stun, u.payload.integer(at: 4, as: UInt32.self) == STUNMessage.magicCookie, let t = u.payload.integer(at: 0, as: UInt16.self), t & 0xC000 == 0 { stun = true }
        } else if let t = quoted.tcp {
            sp = t.sourcePort; dp = t.destinationPort
        }
        return "\(ip.source) \(ip.destination) \(ip.protocol) \(sp) \(dp) \(stun)"
    }

    static func slot(_ d: Dissection) -> String? {
        guard let q = d.quoted else { return nil }
        let f = QuotedPacket(q)
        return "\(f.source) \(f.destination) \(f.ipProtocol) \(f.sourcePort) \(f.destinationPort) \(f.isSTUN)"
    }

    @Test func slotAgreesWithASecondDissection() throws {
        let files = Self.captureFiles()
        try #require(!files.isEmpty)
        var compared = 0, stunQuotes = 0
        var differences: [String] = []
        for path in files {
            guard let reader = try? CaptureReader(path: path, fileIndex: 0) else { continue }
            var dis = Dissector(), quoteDissector = Dissector()
            var d = Dissection(), quoted = Dissection()
            while let packet = reader.next() {
                dis.dissect(packet, into: &d)
                let q: ByteView? = d.app.icmp?.quotedPacket ?? d.app.icmpv6?.quotedPacket
                guard let q else { continue }
                compared += 1
                let old = Self.oracle(q, d, &quoteDissector, &quoted), new = Self.slot(d)
                if new?.hasSuffix("true") == true { stunQuotes += 1 }
                if old != new {
                    let name = path.split(separator: "/").suffix(2).joined(separator: "/")
                    differences.append("\(name) frame \(packet.frameNumber): second dissection \(old ?? "nil"), slot \(new ?? "nil")")
                }
            }
        }
        print("quoted slot vs second dissection: \(compared) ICMP errors in \(files.count) files, \(stunQuotes) quoting STUN, \(differences.count) differences")
        for line in differences { print("  " + line) }
        #expect(compared > 0)
        #expect(differences == [])
    }

    /// Every prefix of varied quotes (truncation at every byte), each through a fresh second
    /// dissector. Designed differences: the slot reads ports from the first 4 transport bytes
    /// (RFC 792 guarantees 8), where a second dissection needs the whole UDP (8) or TCP (20)
    /// header; and a cut STUN message over TCP is STUN by its magic cookie.
    @Test func slotAgreesOnEveryPrefixOfVariedQuotes() throws {
        let h4 = "192.0.2.10", r4 = "198.51.100.7", h6 = "2001:db8::10", r6 = "2001:db8::7"
        let stun = Pkt.bindingRequest(Pkt.txn(4), software: "t")
        let classic = be16(0x0001) + be16(0) + [UInt8](repeating: 7, count: 16)
        let channel = be16(0x4001) + be16(8) + [UInt8](repeating: 1, count: 8)
        let dstOpts: [UInt8] = [17, 0, 1, 4, 0, 0, 0, 0]
        let cases: [(name: String, quote: [UInt8], transportAt: Int)] = [
            ("v4 stun", Pkt.udp(h4, 40000, r4, 3478, stun), 20),
            ("v4 dns", Pkt.udp(h4, 40001, r4, 53, Pkt.dnsQuery("example.com", id: 7)), 20),
            ("v4 channeldata", Pkt.udp(h4, 40002, r4, 50000, channel), 20),
            ("v4 classic stun", Pkt.udp(h4, 40003, r4, 3478, classic), 20),
            ("v4 cookie on 4500", Pkt.udp(h4, 4500, r4, 4500, stun), 20),
            ("v4 tcp stun", Pkt.tcp(h4, 40004, r4, 3478, flags: Pkt.psh | Pkt.ack, stun), 20),
            ("v6 stun", Pkt.udp(h6, 40005, r6, 19302, stun), 40),
            ("v6 dns", Pkt.udp(h6, 40006, r6, 53, Pkt.dnsQuery("example.org", id: 8, type: 28)), 40),
            ("v6 dstopts stun", Pkt.ipv6(h6, r6, next: 60, dstOpts + be16(40007) + be16(3478) + be16(UInt16(8 + stun.count)) + [0, 0] + stun), 48),
        ]
        var compared = 0
        var differences: [String] = []
        for c in cases {
            for n in 0...c.quote.count {
                let quote = Array(c.quote.prefix(n))
                let outer = c.quote[0] >> 4 == 6
                    ? Pkt.ipv6(r6, h6, next: 58, [1, 4, 0, 0, 0, 0, 0, 0] + quote)
                    : Pkt.ipv4(r4, h4, proto: 1, [3, 3, 0, 0, 0, 0, 0, 0] + quote)
                let frame = Pkt.ether(outer)
                var dis = Dissector(), second = Dissector()
                var quoted = Dissection()
                let (old, new): (String?, String?) = frame.withUnsafeBytes { raw in
                    let d = dis.dissect(Packet(frameNumber: 1, linkType: .ethernet, timestampNanoseconds: 0,
                                               originalLength: frame.count, bytes: ByteView(raw)))
                    guard let q = d.app.icmp?.quotedPacket ?? d.app.icmpv6?.quotedPacket else { return (nil, nil) }
                    return (Self.oracle(q, d, &second, &quoted), Self.slot(d))
                }
                compared += 1
                let transportBytes = n - c.transportAt
                let headerNeeded = c.name.contains("tcp") ? 20 : 8
                if transportBytes >= 4, transportBytes < headerNeeded {
                    // The designed difference: ports from a short transport header.
                    #expect(old?.contains(" 0 0 ") == true, "\(c.name) cut at \(n): \(old ?? "nil")")
                    #expect(new?.contains(" 0 0 ") == false, "\(c.name) cut at \(n): \(new ?? "nil")")
                } else if c.name.contains("tcp"), transportBytes >= 28, n < c.quote.count {
                    // The second: a cut STUN message over TCP is STUN by its cookie, as over UDP
                    // (a second dissection only recognised a whole one).
                    #expect(old?.hasSuffix("false") == true && new?.hasSuffix("true") == true, "\(c.name) cut at \(n)")
                } else if old != new {
                    differences.append("\(c.name) cut at \(n): second dissection \(old ?? "nil"), slot \(new ?? "nil")")
                }
            }
        }
        #expect(compared == cases.reduce(0) { $0 + $1.quote.count + 1 })
        #expect(differences == [])
    }
}
