import Testing
@testable import LiveCapture
import CaptureFiles

@Suite struct ReorderBufferTests {
    typealias Out = (interface: Int, ts: Int64, bytes: [UInt8])

    func add(_ b: inout ReorderBuffer, _ i: Int, _ ts: Int64, arrival: Int64 = 0, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes {
            b.append(interface: i, timestampNanoseconds: ts, arrivalNanoseconds: arrival, originalLength: bytes.count, bytes: $0)
        }
    }

    func release(_ b: inout ReorderBuffer, wall: Int64, mono: Int64, all: Bool = false) -> [Out] {
        var out: [Out] = []
        b.release(wallClockNanoseconds: wall, monotonicNanoseconds: mono, all: all) { (i, ts, _, bytes) throws(Never) in
            out.append((i, ts, Array(bytes)))
        }
        return out
    }

    @Test func mergesInterfacesInTimestampOrder() {
        var b = ReorderBuffer(interfaces: 2, windowNanoseconds: 50)
        add(&b, 0, 100, [1])
        add(&b, 0, 300, [3])
        add(&b, 1, 200, [2])
        add(&b, 1, 400, [4])
        add(&b, 1, 300, [5])  // tie with interface 0: lower interface id first
        let out = release(&b, wall: 1000, mono: 0)
        #expect(out.map(\.ts) == [100, 200, 300, 400, 300])  // per-interface FIFO: 400 before its own late 300
        #expect(out.map(\.interface) == [0, 1, 0, 1, 1])
        #expect(out.map(\.bytes) == [[1], [2], [3], [4], [5]])
        #expect(b.heldPackets == 0)
    }

    @Test func holdsPacketsYoungerThanTheWindow() {
        var b = ReorderBuffer(interfaces: 2, windowNanoseconds: 50)
        add(&b, 0, 100, arrival: 0, [1])
        add(&b, 1, 200, arrival: 0, [2])
        add(&b, 0, 240, arrival: 0, [3])
        // Wall clock 260: only timestamps <= 210 are safe; nothing was read >= 50 ns ago (mono 10).
        #expect(release(&b, wall: 260, mono: 10).map(\.ts) == [100, 200])
        #expect(b.heldPackets == 1)
        // An older packet from interface 1 arriving now still goes out first.
        add(&b, 1, 230, arrival: 10, [4])
        #expect(release(&b, wall: 300, mono: 20).map(\.ts) == [230, 240])
    }

    @Test func readLongEnoughAgoIsSafeEvenIfTheClockIsBehind() {
        var b = ReorderBuffer(interfaces: 1, windowNanoseconds: 50)
        add(&b, 0, 1_000_000, arrival: 0, [9])
        #expect(release(&b, wall: 0, mono: 49).isEmpty)
        #expect(release(&b, wall: 0, mono: 50).map(\.ts) == [1_000_000])
    }

    @Test func limitReleasesTheOldestEarlyAndCountsIt() {
        var b = ReorderBuffer(interfaces: 2, windowNanoseconds: 1_000, maxPackets: 2, maxBytes: 1 << 20)
        add(&b, 0, 10, [1])
        add(&b, 1, 5, [2])
        add(&b, 0, 20, [3])
        #expect(release(&b, wall: 0, mono: 0).map(\.ts) == [5])
        #expect(b.forcedReleases == 1)
        #expect(b.heldPackets == 2)
        #expect(release(&b, wall: 0, mono: 0, all: true).map(\.ts) == [10, 20])
    }

    @Test func bytesSurviveArenaCompaction() {
        var b = ReorderBuffer(interfaces: 1, windowNanoseconds: 0)
        var released = 0
        for n in 0 ..< 3_000 {
            add(&b, 0, Int64(n), [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 1_000 + n % 7))
            if n % 3 == 2 {  // keep some held so the arena compacts rather than resets
                for p in release(&b, wall: Int64(n - 1), mono: -1) {
                    #expect(p.bytes.count == 1_000 + Int(p.ts) % 7)
                    #expect(p.bytes.allSatisfy { $0 == UInt8(truncatingIfNeeded: p.ts) })
                    #expect(p.ts == Int64(released))
                    released += 1
                }
            }
        }
        released += release(&b, wall: 0, mono: 0, all: true).count
        #expect(released == 3_000)
        #expect(b.heldBytes == 0)
    }
}

@Suite struct TunnelHeuristicTests {
    @Test func namesThatLookLikeTunnels() {
        for name in ["wg0", "tun0", "utun3", "ppp0", "ipsec0", "tap1", "nordlynx", "proton0", "mullvad-wg", "WG1"] {
            #expect(interfaceLooksLikeTunnel(name: name), "\(name)")
        }
        for name in ["eth0", "enp0s3", "wlan0", "lo", "docker0", "any", "br-1"] {
            #expect(!interfaceLooksLikeTunnel(name: name), "\(name)")
        }
    }

    @Test func rawIPOrNoHardwareAddressLooksLikeATunnel() {
        #expect(interfaceLooksLikeTunnel(name: "vpn7", linkType: .raw))
        #expect(interfaceLooksLikeTunnel(name: "vpn7", linkType: .ipv4))
        #expect(!interfaceLooksLikeTunnel(name: "vpn7", linkType: .ethernet))
        #expect(interfaceLooksLikeTunnel(name: "vpn7", linkType: .ethernet, hasLinkLayerAddress: false))
        #expect(!interfaceLooksLikeTunnel(name: "tun0", isLoopback: true))
        #expect(!interfaceLooksLikeTunnel(name: "nfqueue", linkType: .ipv4))
        #expect(!interfaceLooksLikeTunnel(name: "dbus-system", hasLinkLayerAddress: false))
    }
}

@Suite struct LinkTypeMappingTests {
    @Test func dataLinkTypesBecomeFileLinkTypes() {
        #expect(LinkType(dataLinkType: 12) == .raw)  // DLT_RAW -> LINKTYPE_RAW 101
        #expect(LinkType(dataLinkType: 14) == .raw)
        #expect(LinkType(dataLinkType: 1) == .ethernet)
        #expect(LinkType(dataLinkType: 113) == .linuxSLL)
        #expect(LinkType(dataLinkType: 276) == .linuxSLL2)
    }
}

@Suite struct CaptureCommandTests {
    @Test func missingCommandIsATypedError() {
        #expect(throws: LiveCaptureError.spawn(command: "/nonexistent/lcap-cmd", errno: ENOENT)) {
            try CaptureCommand.start(["/nonexistent/lcap-cmd"])
        }
    }

    @Test func usageErrorsBeforeAnyHandleOpens() {
        #expect(throws: LiveCaptureError.usage("no interface given (-i NAME)")) {
            try LiveCapture.run(LiveCaptureOptions(interfaces: [], outputPath: "/tmp/lcap-never.pcapng"))
        }
        #expect(throws: LiveCaptureError.usage("an interface is given twice")) {
            try LiveCapture.run(LiveCaptureOptions(interfaces: ["lo", "lo"], outputPath: "/tmp/lcap-never.pcapng"))
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
