import CaptureFiles
@testable import Correlation
import Dissectors
import Foundation
import Testing
import TestCaptures

/// Reading each pass's packets on a second thread (`ReadAhead`) changes who reads, never what
/// the analysis sees: the same packets in the same order, the same interfaces registered before
/// the same packets, and the same analysis byte for byte, on every capture and on files long
/// enough to go round the ring many times.
@Suite struct ReadAheadTests {
    /// The analysis JSON, summaries and timeline, read ahead on a thread (`threaded`) or not.
    static func record(_ paths: [String], threaded: Bool, busyDuringPass1: Bool = false) throws -> String {
        var o = AnalysisOptions()
        o.readAheadMinimumBytes = threaded ? 0 : nil
        let run: Correlation.Run
        do {
            run = try Correlation.analyze(inputs: Correlation.open(paths), options: o,
                                          gathering: .init(timelineBuckets: 64, busyDuringPass1: busyDuringPass1))
        }
        catch { return "error: \(error)" }
        return try AnalysisJSON.encode(run.analysis) + "\n" + run.summaries.map { String(reflecting: $0) }.joined(separator: "\n")
            + "\n" + String(reflecting: run.histogram)
    }

    @Test(arguments: CarrierFastPathTests.captureFiles())
    func sameAnalysisReadAheadOrNot(path: String) throws {
        #expect(try Self.record([path], threaded: true) == Self.record([path], threaded: false))
    }

    static let host = "192.0.2.2", server = "203.0.113.1"

    /// A pcapng of `n` rounds of WireGuard carrier with a DNS leak every 97th round, where a second
    /// interface (wg0, with an address) is described half-way, and a second section with its own
    /// interface follows: interfaces appear while the ring is full of earlier packets.
    static func longCapture(rounds n: Int) -> [UInt8] {
        var b = PcapNGBytes()
        b.section()
        b.interface(linkType: 1, snaplen: 262_144, options: [b.string(2, "eth0"), (4, [192, 0, 2, 2, 255, 255, 255, 0]), b.u8(9, 9)])
        var t: UInt64 = 1_700_000_000_000_000_000
        func carrier(_ payload: [UInt8], out: Bool) -> [UInt8] {
            out ? Pkt.ether(Pkt.ipv4(host, server, proto: 17, Pkt.udp(40001, 51820, payload)), out: true)
                : Pkt.ether(Pkt.ipv4(server, host, proto: 17, Pkt.udp(51820, 40001, payload)), out: false)
        }
        b.enhancedPacket(interface: 0, timestamp: t, data: carrier(Pkt.wgInitiation(sender: 11), out: true)); t += 1_000
        b.enhancedPacket(interface: 0, timestamp: t, data: carrier(Pkt.wgResponse(sender: 22, receiver: 11), out: false)); t += 1_000
        var tunnel = false
        for i in 0..<n {
            if i == n / 2 {
                b.interface(linkType: 101, snaplen: 262_144, options: [b.string(2, "wg0"), (4, [10, 0, 0, 2, 255, 255, 255, 255]), b.u8(9, 9)])
                tunnel = true
            }
            let inner = Pkt.ipv4("10.0.0.2", "198.51.100.\(i % 5 + 1)", proto: 17, Pkt.udp(5000, 443, [UInt8](repeating: 7, count: i % 90)))
            if tunnel { b.enhancedPacket(interface: 1, timestamp: t, data: inner); t += 1_000 }
            b.enhancedPacket(interface: 0, timestamp: t, data: carrier(Pkt.wgTransport(receiver: i % 3 == 0 ? 11 : 22, counter: UInt64(i),
                                                                                      inner: inner.count), out: i % 3 != 0))
            t += 1_000
            if i % 97 == 5 {
                let q = Pkt.dnsQuery("n\(i).example.com")
                b.enhancedPacket(interface: 0, timestamp: t, data: Pkt.ether(Pkt.ipv4(host, "198.51.100.53", proto: 17, Pkt.udp(41000, 53, q))))
                t += 1_000
            }
        }
        b.section()
        b.interface(linkType: 1, snaplen: 262_144, options: [b.string(2, "eth1"), b.u8(9, 9)])
        for i in 0..<300 {
            b.enhancedPacket(interface: 0, timestamp: t, data: carrier(Pkt.wgTransport(receiver: 22, counter: UInt64(n + i), inner: 80), out: true))
            t += 1_000
        }
        return b.bytes
    }

    @Test func sameAnalysisOnAFileThatGoesRoundTheRing() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let path = dir.write("long.pcapng", Self.longCapture(rounds: 6 * ReadAhead.capacity))
        let threaded = try Self.record([path], threaded: true)
        #expect(threaded == (try Self.record([path], threaded: false)))
        // Read ahead in pass 2 only (what the record pipeline asks for while it hashes the inputs).
        #expect(threaded == (try Self.record([path], threaded: true, busyDuringPass1: true)))
        #expect(threaded.contains("\"eth1\"") && threaded.contains("\"wg0\""))
        // Two inputs: the merger runs on the producer thread.
        let other = try #require(CarrierFastPathTests.captureFiles().first { $0.hasSuffix("/captures/lab-webrtc-leak.pcapng") })
        #expect(try Self.record([path, other], threaded: true) == Self.record([path, other], threaded: false))
    }

    /// Large packets (the byte budget binds before the ring is full), and a second file whose next
    /// packet waits in the merger behind megabytes of other blocks (its reader stands past the
    /// budget until the end): read ahead, the analysis is the same, and it ends.
    @Test(.timeLimit(.minutes(2))) func sameAnalysisWhenTheByteBudgetBinds() throws {
        var big = CaptureBuilder()
        let eth = big.interface("eth0", 1, addresses: [Self.host])
        for i in 0..<400 {
            let q = Pkt.dnsQuery("big\(i).example.com") + [UInt8](repeating: 0x41, count: 60_000)
            big.add(eth, Pkt.ether(Pkt.ipv4(Self.host, "198.51.100.53", proto: 17, Pkt.udp(41000, 53, q))), at: 1_000_000_000 + Int64(i) * 1_000_000)
        }
        var late = PcapNGBytes()
        late.section()
        late.interface(linkType: 1, snaplen: 262_144, options: [late.string(2, "eth1"), late.u8(9, 9)])
        let leak = Pkt.ether(Pkt.ipv4(Self.host, "198.51.100.54", proto: 17, Pkt.udp(41001, 53, Pkt.dnsQuery("late.example.com"))))
        late.enhancedPacket(interface: 0, timestamp: 1_000_000_000, data: leak)
        for _ in 0..<6 { late.block(type: 0x4000_0BAD, body: [UInt8](repeating: 0, count: 1 << 20)) }  // local-use blocks: skipped
        late.enhancedPacket(interface: 0, timestamp: 2_000_000_000, data: leak)
        let dir = TempDirectory()
        defer { dir.remove() }
        let a = dir.write("big.pcapng", big.pcapng()), b = dir.write("late.pcapng", late.bytes)
        let threaded = try Self.record([a, b], threaded: true)
        #expect(threaded == (try Self.record([a, b], threaded: false)))
        #expect(threaded.contains("late.example.com") && threaded.contains("big0.example.com"))
        #expect(threaded.contains("\"packets\": 400") && threaded.contains("\"packets\": 2"))
    }

    /// The slots: every packet, in order, with its carrier read and its reader's interface count
    /// as a read on this thread gives them.
    @Test func slotsAreWhatTheReaderGives() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let path = dir.write("long.pcapng", Self.longCapture(rounds: 3 * ReadAhead.capacity + 17))
        let direct = try CaptureReader(path: path)
        let feed = ReadAhead(CaptureMerger(readers: [try CaptureReader(path: path)]), carrierFastPath: true, threaded: true)
        #expect(feed.threaded)
        var n = 0, carriers = 0, changes = 0, lastCount = 0
        while let s = feed.next() {
            let p = try #require(direct.next())
            #expect(s.pointee.packet.frameNumber == p.frameNumber && s.pointee.packet.timestampNanoseconds == p.timestampNanoseconds
                    && s.pointee.packet.interfaceID == p.interfaceID && s.pointee.packet.capturedLength == p.capturedLength)
            #expect(s.pointee.interfaceCount == direct.interfaceCount)
            #expect((s.pointee.carrier != nil) == (CarrierDatagram.read(p) != nil))
            #expect(feed.interfaces(ofFile: 0).count >= s.pointee.interfaceCount)
            if s.pointee.carrier != nil { carriers += 1 }
            if s.pointee.interfaceCount != lastCount { changes += 1; lastCount = s.pointee.interfaceCount }
            n += 1
        }
        feed.finish()
        #expect(direct.next() == nil)
        let rounds = 3 * ReadAhead.capacity + 17
        // Handshakes, carrier, wg0 from half-way, the DNS leaks, the second section.
        #expect(n == 2 + rounds + (rounds - rounds / 2) + (rounds + 91) / 97 + 300)
        #expect(carriers == rounds + 300)  // transport data only: not the handshakes
        #expect(changes == 3)  // eth0, then wg0, then eth1
    }

    /// A pass that stops early (an error, a consumer done before the end) stops the thread.
    @Test func finishingEarlyStopsTheProducer() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let path = dir.write("long.pcapng", Self.longCapture(rounds: 4 * ReadAhead.capacity))
        let reader = try CaptureReader(path: path)
        let feed = ReadAhead(CaptureMerger(readers: [reader]), carrierFastPath: true, threaded: true)
        for frame in 1...10 { #expect(feed.next()?.pointee.packet.frameNumber == frame) }
        feed.finish()
        // The producer stopped with the ring full: it read no further than one ring (and a batch) ahead.
        #expect(reader.framesRead <= 10 + ReadAhead.capacity + 1)
        #expect(reader.framesRead >= 10)
        feed.finish()  // idempotent
    }
}
