import Testing
@testable import Dissectors

/// Routes a DHCP server or router pushes (TunnelVision): RFC 3442 classless routes read across
/// every instance of the option (RFC 3396), RFC 4191 Route Information checked, and malformed or
/// truncated route lists noted on the packet, never silently cut.
@Suite struct RoutePushes {
    /// A DHCP ACK whose options (after the cookie) are `options`, then the end option.
    func ack(_ options: [UInt8]) -> [UInt8] {
        var m: [UInt8] = [2, 1, 6, 0, 0xde, 0xad, 0xbe, 0xef] + [UInt8](repeating: 0, count: 8)
        m += [192, 168, 1, 2] + [192, 168, 1, 1] + [0, 0, 0, 0] + [2, 0, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 10 + 64 + 128)
        return m + [0x63, 0x82, 0x53, 0x63, 53, 1, 5] + options + [255]
    }

    func routes(_ m: DHCPv4Message, _ code: UInt8 = 121) -> [String] {
        m.classlessRoutes(option: code).map { "\($0.destination)/\($0.prefixLength) via \($0.router)" }
    }

    @Test func aRouteSplitAcrossTwoInstancesIsOneValue() throws {
        // 203.0.113.0/24 via 192.168.1.1 = 18 cb 00 71 c0 a8 01 01, split after 3 bytes; then 10.0.0.0/8.
        let bytes = ack([121, 3, 24, 203, 0, 121, 11, 113, 192, 168, 1, 1, 8, 10, 192, 168, 1, 1])
        try withView(bytes) { v in
            let m = try DHCPv4Message(v)
            #expect(m.problem == nil)
            #expect(routes(m) == ["203.0.113.0/24 via 192.168.1.1", "10.0.0.0/8 via 192.168.1.1"])
        }
    }

    @Test func aWidthAbove32IsNotedAndStopsTheWalk() throws {
        // Option data at 245: /32 route (9 bytes), then width 33 at 254.
        let bytes = ack([121, 14] + [32, 203, 0, 113, 10, 192, 168, 1, 1] + [33, 1, 2, 3, 4])
        try withView(bytes) { v in
            let m = try DHCPv4Message(v)
            #expect(m.problem == .malformed(layer: .dhcp, offset: 254, reason: .init("classless route prefix width above 32")))
            #expect(routes(m) == ["203.0.113.10/32 via 192.168.1.1"])
            var it = m.classlessRoutes().makeIterator()
            while it.next() != nil {}
            #expect(it.count == 1)
            #expect(it.problem == m.problem)
        }
    }

    @Test func aTruncatedRouteIsNoted() throws {
        // /24 needs 1 + 3 + 4 bytes; only 5 are there.
        let bytes = ack([121, 5, 24, 203, 0, 113, 192])
        try withView(bytes) { v in
            let m = try DHCPv4Message(v)
            #expect(m.problem == .truncated(layer: .dhcp, offset: 245, needed: 8, available: 5))
            #expect(routes(m).isEmpty)
        }
        // Option 249 too.
        try withView(ack([249, 2, 8, 10])) { v in
            let m = try DHCPv4Message(v)
            #expect(m.problem == .truncated(layer: .dhcp, offset: 245, needed: 6, available: 2))
        }
    }

    @Test func thousandsOfRoutesAreAWalkNotAnAllocation() throws {
        // 250 instances of 31 /24 routes each: 7,750 routes in one 64 KB message.
        var options: [UInt8] = []
        for i in 0..<250 {
            options += [121, 248]
            for j in 0..<31 { options += [24, 198, UInt8(i % 256), UInt8(j)] + [192, 168, 1, 1] }
        }
        try withView(ack(options)) { v in
            let m = try DHCPv4Message(v)
            #expect(m.problem == nil)
            var it = m.classlessRoutes().makeIterator()
            var last: (destination: IPAddress, prefixLength: UInt8, router: IPAddress)?
            while let r = it.next() { last = r }
            #expect(it.count == 7_750)
            #expect(last.map { "\($0.destination)/\($0.prefixLength)" } == "198.249.30.0/24")
        }
    }

    @Test func routeInformationOptionsAreChecked() throws {
        // RA header (16 bytes), then one Route Information option.
        func ra(_ option: [UInt8]) -> [UInt8] { [134, 0, 0, 0, 64, 0, 0x07, 0x08] + [UInt8](repeating: 0, count: 8) + option }
        let good: [UInt8] = [24, 2, 48, 0x08, 0, 0, 0x07, 0x08, 0x20, 0x01, 0x0d, 0xb8, 0, 0xff, 0, 0]
        try withView(ra(good)) { v in
            let m = try ICMPv6Message(v)
            #expect(m.problem == nil)
            let r = try #require(Array(m.options).first { $0.type == 24 }?.routeInformation)
            #expect("\(r.prefix)/\(r.length)" == "2001:db8:ff::/48" && r.preference == 1 && r.lifetime == 1800)
        }
        var tooLong = good
        tooLong[2] = 200
        try withView(ra(tooLong)) { v in
            let m = try ICMPv6Message(v)
            #expect(m.problem == .malformed(layer: .icmpv6, offset: 18, reason: .init("route information prefix length above 128")))
        }
        // Length 1 holds only ::/0.
        try withView(ra([24, 1, 48, 0, 0, 0, 0x07, 0x08])) { v in
            let m = try ICMPv6Message(v)
            #expect(m.problem == .malformed(layer: .icmpv6, offset: 17, reason: .init("route information option too short for its prefix length")))
            let o = Array(m.options)
            #expect(o.count == 1 && o[0].routeInformation == nil)
        }
        // A /96 needs length 3.
        var short = good
        short[2] = 96
        try withView(ra(short)) { v in
            let m = try ICMPv6Message(v)
            #expect(m.problem == .malformed(layer: .icmpv6, offset: 17, reason: .init("route information option too short for its prefix length")))
        }
        try withView(ra([24, 4, 48, 0] + [UInt8](repeating: 0, count: 28))) { v in
            let m = try ICMPv6Message(v)
            #expect(m.problem == .malformed(layer: .icmpv6, offset: 17, reason: .init("route information option longer than 3 units")))
        }
    }
}
