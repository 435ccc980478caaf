#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CaptureFiles

/// The routing table of this process's network namespace (the one the capture
/// runs in), read over rtnetlink: IPv4 and IPv6, every table but `local`
/// (policy routing such as wg-quick's table 51820 included), one route per
/// next hop, nexthop objects (`nhid`) resolved. Linux only; elsewhere the
/// snapshot says the table is unavailable.
enum RouteTable {
    /// Every route, sorted (so two reads of an unchanged table compare equal).
    /// `looksLikeTunnel` marks devices the capture takes for VPN tunnels.
    static func read(looksLikeTunnel: (String) -> Bool) -> Result<[RouteSnapshot.Route], RouteTableError> {
        #if os(Linux)
        let socket: NetlinkSocket
        switch NetlinkSocket.open(groups: 0) {
        case .success(let s): socket = s
        case .failure(let e): return .failure(e)
        }
        defer { socket.close() }
        var raw: [RawRoute] = []
        for family in [UInt8(AF_INET), UInt8(AF_INET6)] {
            switch socket.dump(type: RTNL.getRoute, body: [family] + [UInt8](repeating: 0, count: 11), each: { m in
                if let r = RawRoute(message: m) { raw.append(r) }
            }) {
            case .success: break
            case .failure(let e): return .failure(e)
            }
            if raw.count > RouteTable.maximumRoutes { break }
        }
        var nexthops: [UInt32: [RawNexthop]] = [:]
        if raw.contains(where: { $0.nexthopID != nil }) {
            var groups: [UInt32: [UInt32]] = [:]
            var single: [UInt32: RawNexthop] = [:]
            _ = socket.dump(type: RTNL.getNexthop, body: [UInt8](repeating: 0, count: 8), each: { m in
                guard let n = NexthopMessage(message: m) else { return }
                if !n.group.isEmpty { groups[n.id] = n.group } else { single[n.id] = n.hop }
            })
            for (id, h) in single { nexthops[id] = [h] }
            for (id, members) in groups { nexthops[id] = members.compactMap { single[$0] } }
        }
        var names: [UInt32: String] = [:]
        func name(_ index: UInt32) -> String {
            if let n = names[index] { return n }
            var buf = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
            let n = if_indextoname(index, &buf) != nil ? String(cString: buf) : "if\(index)"
            names[index] = n
            return n
        }
        var out: [RouteSnapshot.Route] = []
        for r in raw.prefix(RouteTable.maximumRoutes) {
            var hops = r.hops
            if let id = r.nexthopID {
                // A route through a nexthop object: its hops (an unknown object leaves the device unknown).
                hops = nexthops[id] ?? [RawNexthop(ifindex: 0, gateway: nil, flags: 0, blackhole: false)]
            }
            if hops.isEmpty { hops = [RawNexthop(ifindex: 0, gateway: nil, flags: r.flags, blackhole: false)] }
            for h in hops {
                let dev = h.ifindex == 0 ? (r.nexthopID.map { "nhid\($0)" }) : name(h.ifindex)
                out.append(RouteSnapshot.Route(
                    family: r.family == UInt8(AF_INET) ? .ipv4 : .ipv6, type: h.blackhole ? "blackhole" : r.typeName,
                    destination: r.destination, prefixLength: Int(r.prefixLength), gateway: h.gateway, device: dev,
                    deviceLooksLikeTunnel: dev.map(looksLikeTunnel) ?? false, metric: r.metric, table: r.tableName,
                    linkDown: (h.flags | r.flags) & RTNL.nexthopLinkDown != 0))
            }
        }
        return .success(sorted(out))
        #else
        return .failure(RouteTableError(step: "rtnetlink", detail: "routing tables are read on Linux only"))
        #endif
    }

    /// Bound on routes read per snapshot (a full BGP table is not a VPN client's).
    static let maximumRoutes = 20_000

    static func sorted(_ r: [RouteSnapshot.Route]) -> [RouteSnapshot.Route] {
        r.sorted { a, b in
            if a.family != b.family { return a.family == .ipv4 }
            if a.table != b.table { return a.table < b.table }
            if a.destination != b.destination { return a.destination < b.destination }
            if a.prefixLength != b.prefixLength { return a.prefixLength < b.prefixLength }
            if a.metric != b.metric { return (a.metric ?? 0) < (b.metric ?? 0) }
            return a.line < b.line
        }
    }

    /// `net:[4026531840]`: which network namespace the table belongs to.
    static func namespaceID() -> String? {
        var buf = [CChar](repeating: 0, count: 128)
        let n = readlink("/proc/self/ns/net", &buf, buf.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buf[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Why the routing table could not be read: the step and the system's words.
struct RouteTableError: Error, CustomStringConvertible {
    var step: String
    var detail: String
    var description: String { "\(step): \(detail)" }
}

#if os(Linux)
/// rtnetlink numbers (linux/netlink.h, linux/rtnetlink.h, linux/nexthop.h: a stable kernel ABI).
enum RTNL {
    static let protocolRoute: Int32 = 0  // NETLINK_ROUTE
    static let newRoute: UInt16 = 24, getRoute: UInt16 = 26
    static let newNexthop: UInt16 = 104, getNexthop: UInt16 = 106
    static let flagRequest: UInt16 = 1, flagDump: UInt16 = 0x300
    static let messageError: UInt16 = 2, messageDone: UInt16 = 3
    static let groupIPv4Route: UInt32 = 0x40, groupIPv6Route: UInt32 = 0x400
    /// Links and addresses too: IPv4 removes the routes of a device that goes down without
    /// announcing their deletion (RTM_NEWLINK is all there is).
    static let groupLink: UInt32 = 0x1, groupIPv4Address: UInt32 = 0x10, groupIPv6Address: UInt32 = 0x100
    // Route attributes.
    static let rtaDestination: UInt16 = 1, rtaOutputInterface: UInt16 = 4, rtaGateway: UInt16 = 5
    static let rtaPriority: UInt16 = 6, rtaMultipath: UInt16 = 9, rtaTable: UInt16 = 15, rtaVia: UInt16 = 18
    static let rtaNexthopID: UInt16 = 30
    // Nexthop object attributes.
    static let nhaID: UInt16 = 1, nhaGroup: UInt16 = 2, nhaBlackhole: UInt16 = 3, nhaOutputInterface: UInt16 = 5
    static let nhaGateway: UInt16 = 6
    static let nexthopLinkDown: UInt32 = 16  // RTNH_F_LINKDOWN
    static let routeCloned: UInt32 = 0x200   // RTM_F_CLONED: a cache entry, not a route
    static let tableLocal: UInt32 = 255
}

/// One rtnetlink socket: a dump (request, then messages until NLMSG_DONE) or, with
/// `groups`, the kernel's route change notifications (non-blocking).
struct NetlinkSocket {
    let fd: Int32

    static func open(groups: UInt32) -> Result<NetlinkSocket, RouteTableError> {
        var type = Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        if groups != 0 { type |= Int32(SOCK_NONBLOCK.rawValue) }
        let fd = socket(AF_NETLINK, type, RTNL.protocolRoute)
        guard fd >= 0 else { return .failure(RouteTableError(step: "socket(AF_NETLINK)", detail: errnoText())) }
        // A dump that does not answer within a second is given up (never hang a capture on it).
        var tv = timeval(tv_sec: 1, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        // struct sockaddr_nl: family (2), pad (2), pid (4), groups (4).
        var address = [UInt8](repeating: 0, count: 12)
        address[0] = UInt8(AF_NETLINK & 0xFF); address[1] = UInt8(AF_NETLINK >> 8)
        withUnsafeBytes(of: groups.littleEndian) { for i in 0..<4 { address[8 + i] = $0[i] } }
        let rc = address.withUnsafeBytes { b in
            bind(fd, b.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(12))
        }
        guard rc == 0 else {
            let e = errnoText()
            Glibc.close(fd)
            return .failure(RouteTableError(step: "bind(AF_NETLINK)", detail: e))
        }
        return .success(NetlinkSocket(fd: fd))
    }

    func close() { _ = Glibc.close(fd) }

    /// Sends a dump request (`type` with `body` after the netlink header) and hands every
    /// answer message (header included) to `each`.
    func dump(type: UInt16, body: [UInt8], each: (NetlinkMessage) -> Void) -> Result<Void, RouteTableError> {
        let seq = UInt32.random(in: 1...UInt32.max)
        var request: [UInt8] = []
        request.appendHost(UInt32(16 + body.count))
        request.appendHost(type)
        request.appendHost(RTNL.flagRequest | RTNL.flagDump)
        request.appendHost(seq)
        request.appendHost(UInt32(0))
        request += body
        let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard sent == request.count else { return .failure(RouteTableError(step: "send(RTM_GET)", detail: errnoText())) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var messages = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(RouteTableError(step: "recv(RTM_GET)", detail: errnoText()))
            }
            if n == 0 { return .failure(RouteTableError(step: "recv(RTM_GET)", detail: "the kernel closed the socket")) }
            var done = false
            buffer.withUnsafeBytes { raw in
                var off = 0
                let all = UnsafeRawBufferPointer(rebasing: raw[..<n])
                while off + 16 <= n {
                    let len = Int(all.loadUnaligned(fromByteOffset: off, as: UInt32.self))
                    guard len >= 16, off + len <= n else { done = true; return }
                    let m = NetlinkMessage(bytes: UnsafeRawBufferPointer(rebasing: all[off..<(off + len)]))
                    if m.sequence == seq {
                        switch m.type {
                        case RTNL.messageDone: done = true; return
                        case RTNL.messageError:
                            // An error answer to a dump (e.g. no nexthop support): nothing more comes.
                            done = true; return
                        default:
                            messages += 1
                            if messages <= RouteTable.maximumRoutes * 2 { each(m) }
                        }
                    }
                    off += (len + 3) & ~3
                }
            }
            if done { return .success(()) }
        }
    }

    /// True when a route change notification arrived since the last call (the socket is drained).
    func changed() -> Bool {
        var any = false
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 { any = true; continue }
            if n < 0 && errno == EINTR { continue }
            // ENOBUFS: notifications were lost; the table changed in any case.
            if n < 0 && errno == ENOBUFS { any = true; continue }
            return any
        }
    }
}

/// One netlink message: header fields and the bytes after the 16-byte header.
struct NetlinkMessage {
    let bytes: UnsafeRawBufferPointer
    var type: UInt16 { bytes.loadUnaligned(fromByteOffset: 4, as: UInt16.self) }
    var sequence: UInt32 { bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self) }
    var body: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[16...]) }

    /// rtattrs from `offset` in the body: (type without flag bits, value).
    static func attributes(_ b: UnsafeRawBufferPointer, from offset: Int) -> [(UInt16, UnsafeRawBufferPointer)] {
        var out: [(UInt16, UnsafeRawBufferPointer)] = []
        var off = offset
        while off + 4 <= b.count, out.count < 256 {
            let len = Int(b.loadUnaligned(fromByteOffset: off, as: UInt16.self))
            let type = b.loadUnaligned(fromByteOffset: off + 2, as: UInt16.self) & 0x3FFF
            guard len >= 4, off + len <= b.count else { break }
            out.append((type, UnsafeRawBufferPointer(rebasing: b[(off + 4)..<(off + len)])))
            off += (len + 3) & ~3
        }
        return out
    }
}

struct RawNexthop {
    var ifindex: UInt32
    var gateway: IPAddress?
    var flags: UInt32
    var blackhole: Bool
}

/// An RTM_NEWROUTE message: struct rtmsg (12 bytes) and its attributes.
struct RawRoute {
    var family: UInt8
    var prefixLength: UInt8
    var table: UInt32
    var type: UInt8
    var flags: UInt32
    var destination: IPAddress
    var metric: UInt32?
    var hops: [RawNexthop] = []
    var nexthopID: UInt32?

    init?(message m: NetlinkMessage) {
        let b = m.body
        guard m.type == RTNL.newRoute, b.count >= 12 else { return nil }
        family = b[0]
        prefixLength = b[1]
        table = UInt32(b[4])
        type = b[7]
        flags = b.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        guard family == UInt8(AF_INET) || family == UInt8(AF_INET6), flags & RTNL.routeCloned == 0 else { return nil }
        destination = family == UInt8(AF_INET) ? .v4(0) : .v6(0, 0)
        var oif: UInt32?, gateway: IPAddress?
        for (t, v) in NetlinkMessage.attributes(b, from: 12) {
            switch t {
            case RTNL.rtaDestination: if let a = address(v, family: family) { destination = a }
            case RTNL.rtaOutputInterface where v.count >= 4: oif = v.loadUnaligned(as: UInt32.self)
            case RTNL.rtaGateway: gateway = address(v, family: family)
            case RTNL.rtaVia where v.count >= 2:
                // struct rtvia: family (2 bytes, host order), address.
                let f = v.loadUnaligned(as: UInt16.self)
                gateway = address(UnsafeRawBufferPointer(rebasing: v[2...]), family: UInt8(truncatingIfNeeded: f))
            case RTNL.rtaPriority where v.count >= 4: metric = v.loadUnaligned(as: UInt32.self)
            case RTNL.rtaTable where v.count >= 4: table = v.loadUnaligned(as: UInt32.self)
            case RTNL.rtaNexthopID where v.count >= 4: nexthopID = v.loadUnaligned(as: UInt32.self)
            case RTNL.rtaMultipath:
                // struct rtnexthop: len (2), flags (1), hops (1), ifindex (4), then attributes.
                var off = 0
                while off + 8 <= v.count, hops.count < 64 {
                    let len = Int(v.loadUnaligned(fromByteOffset: off, as: UInt16.self))
                    guard len >= 8, off + len <= v.count else { break }
                    var hop = RawNexthop(ifindex: v.loadUnaligned(fromByteOffset: off + 4, as: UInt32.self), gateway: nil,
                                         flags: UInt32(v[off + 2]), blackhole: false)
                    let sub = UnsafeRawBufferPointer(rebasing: v[off..<(off + len)])
                    for (st, sv) in NetlinkMessage.attributes(sub, from: 8) where st == RTNL.rtaGateway {
                        hop.gateway = address(sv, family: family)
                    }
                    hops.append(hop)
                    off += (len + 3) & ~3
                }
            default: break
            }
        }
        guard table != RTNL.tableLocal else { return nil }
        if hops.isEmpty, let oif { hops = [RawNexthop(ifindex: oif, gateway: gateway, flags: flags, blackhole: false)] }
        else if hops.isEmpty, gateway != nil { hops = [RawNexthop(ifindex: 0, gateway: gateway, flags: flags, blackhole: false)] }
    }

    var typeName: String {
        let names = ["unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable",
                     "prohibit", "throw", "nat"]
        return Int(type) < names.count ? names[Int(type)] : "type\(type)"
    }

    var tableName: String {
        switch table {
        case 254: "main"
        case 253: "default"
        case 255: "local"
        default: String(table)
        }
    }
}

/// An RTM_NEWNEXTHOP message: struct nhmsg (8 bytes) and its attributes.
struct NexthopMessage {
    var id: UInt32 = 0
    var hop = RawNexthop(ifindex: 0, gateway: nil, flags: 0, blackhole: false)
    var group: [UInt32] = []

    init?(message m: NetlinkMessage) {
        let b = m.body
        guard m.type == RTNL.newNexthop, b.count >= 8 else { return nil }
        let family = b[0]
        hop.flags = b.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        for (t, v) in NetlinkMessage.attributes(b, from: 8) {
            switch t {
            case RTNL.nhaID where v.count >= 4: id = v.loadUnaligned(as: UInt32.self)
            case RTNL.nhaOutputInterface where v.count >= 4: hop.ifindex = v.loadUnaligned(as: UInt32.self)
            case RTNL.nhaGateway: hop.gateway = address(v, family: family)
            case RTNL.nhaBlackhole: hop.blackhole = true
            case RTNL.nhaGroup:
                // struct nexthop_grp: id (4), weight (1), reserved (3).
                var off = 0
                while off + 8 <= v.count, group.count < 64 {
                    group.append(v.loadUnaligned(fromByteOffset: off, as: UInt32.self))
                    off += 8
                }
            default: break
            }
        }
        guard id != 0 else { return nil }
    }
}

/// Network-order address bytes of `family`, nil when the length does not fit.
private func address(_ v: UnsafeRawBufferPointer, family: UInt8) -> IPAddress? {
    if family == UInt8(AF_INET), v.count >= 4 {
        return .v4(UInt32(bigEndian: v.loadUnaligned(as: UInt32.self)))
    }
    if family == UInt8(AF_INET6), v.count >= 16 {
        return .v6(UInt64(bigEndian: v.loadUnaligned(as: UInt64.self)),
                   UInt64(bigEndian: v.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }
    return nil
}

private func errnoText() -> String { "\(String(cString: strerror(errno))) (errno \(errno))" }

extension Array where Element == UInt8 {
    fileprivate mutating func appendHost<T: FixedWidthInteger>(_ v: T) {
        Swift.withUnsafeBytes(of: v) { append(contentsOf: $0) }
    }
}
#endif
