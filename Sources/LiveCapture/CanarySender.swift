#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CaptureFiles

/// Where one canary goes: bound to `interface`, to `destination` (a documentation
/// address unless the user named one), port 9 (discard).
public struct CanaryTarget: Sendable, Equatable {
    public var interface: String
    public var path: CanaryRecord.Path
    public var destination: IPAddress
    public var port: UInt16
    public init(interface: String, path: CanaryRecord.Path, destination: IPAddress, port: UInt16 = CanaryRecord.defaultPort) {
        self.interface = interface; self.path = path; self.destination = destination; self.port = port
    }
}

/// Sends the canaries of one capture. One socket per target and moment is
/// opened and bound to its interface (SO_BINDTODEVICE: the kernel routes the
/// datagram out of that interface or refuses it, whatever the main routes say)
/// when the capture starts, before `-Z` drops privilege (binding needs
/// CAP_NET_RAW on older kernels). Each socket sends once: connect (the kernel
/// picks the route and the source), send, close. It is never disconnected and
/// reused, because disconnecting a UDP socket (connect AF_UNSPEC) also clears
/// its SO_BINDTODEVICE on Linux, and the next datagram would take the main
/// routes, through the tunnel. Nothing is read back: what the wire shows is
/// the capture's business.
final class CanarySender {
    let token: CanaryToken
    private var sockets: [String: [(target: CanaryTarget, fd: Int32, openFailure: String?)]] = [:]
    private var number = 0

    init(targets: [CanaryTarget], moments: [String] = ["start", "stop"], token: CanaryToken = .random()) {
        self.token = token
        for m in moments {
            sockets[m] = targets.map { t in
                let (fd, failure) = Self.open(t)
                return (t, fd, failure)
            }
        }
    }

    deinit { close() }

    func close() {
        for (m, list) in sockets {
            for s in list where s.fd >= 0 { _ = Glibc.close(s.fd) }
            sockets[m] = []
        }
    }

    /// One canary per target, labelled `INTERFACE/FAMILY/MOMENT`; returns what happened to each.
    func send(moment: String) -> [CanaryRecord] {
        let list = sockets[moment] ?? []
        sockets[moment] = []
        defer { for s in list where s.fd >= 0 { _ = Glibc.close(s.fd) } }
        return list.map { s in
            defer { number += 1 }
            let family = s.target.destination.isV4 ? "ipv4" : "ipv6"
            var record = CanaryRecord(
                token: token, number: number, label: "\(s.target.interface)/\(family)/\(moment)", path: s.target.path,
                interface: s.target.interface, timeNanoseconds: Clock.wall(), destination: s.target.destination,
                destinationPort: s.target.port)
            if let f = s.openFailure { record.failure = f; return record }
            Self.transmit(s.fd, &record)
            return record
        }
    }

    private static func open(_ t: CanaryTarget) -> (Int32, String?) {
        #if os(Linux)
        let family = t.destination.isV4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return (-1, "socket: \(errnoText())") }
        var name = Array(t.interface.utf8CString)
        let rc = setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, &name, socklen_t(name.count))
        guard rc == 0 else {
            let e = "SO_BINDTODEVICE \(t.interface): \(errnoText())"
            _ = Glibc.close(fd)
            return (-1, e)
        }
        return (fd, nil)
        #else
        return (-1, "canaries are sent on Linux only (SO_BINDTODEVICE)")
        #endif
    }

    /// connect (the kernel picks the route out of the bound interface and the source), getsockname,
    /// send; every refusal is written into `record.failure` with the step that failed.
    private static func transmit(_ fd: Int32, _ record: inout CanaryRecord) {
        var address = SocketAddress(record.destination, port: record.destinationPort)
        let connected = address.withSockaddr { connect(fd, $0, $1) }
        guard connected == 0 else { record.failure = "connect: \(errnoText())"; return }
        var local = SocketAddress.empty
        if local.read(fd) { (record.source, record.sourcePort) = (local.address, local.port) }
        let payload = record.payload
        let n = payload.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if n != payload.count { record.failure = n < 0 ? "send: \(errnoText())" : "send: \(n) of \(payload.count) bytes" }
    }
}

/// A sockaddr_in / sockaddr_in6 in a byte buffer big enough for either.
struct SocketAddress {
    var storage = sockaddr_storage()

    static var empty: SocketAddress { SocketAddress() }
    private init() {}

    init(_ a: IPAddress, port: UInt16) {
        withUnsafeMutableBytes(of: &storage) { raw in
            switch a {
            case .v4(let v):
                var s = sockaddr_in()
                s.sin_family = sa_family_t(AF_INET)
                s.sin_port = port.bigEndian
                s.sin_addr = in_addr(s_addr: v.bigEndian)
                withUnsafeBytes(of: s) { raw.copyMemory(from: $0) }
            case .v6(let hi, let lo):
                var s = sockaddr_in6()
                s.sin6_family = sa_family_t(AF_INET6)
                s.sin6_port = port.bigEndian
                withUnsafeMutableBytes(of: &s.sin6_addr) { b in
                    withUnsafeBytes(of: hi.bigEndian) { b.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: 8) }
                    withUnsafeBytes(of: lo.bigEndian) { (b.baseAddress! + 8).copyMemory(from: $0.baseAddress!, byteCount: 8) }
                }
                withUnsafeBytes(of: s) { raw.copyMemory(from: $0) }
            }
        }
    }

    var length: socklen_t {
        socklen_t(Int32(storage.ss_family) == AF_INET6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
    }

    mutating func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        let len = length
        return withUnsafePointer(to: &storage) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, len) }
        }
    }

    /// getsockname into this buffer.
    mutating func read(_ fd: Int32) -> Bool {
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &storage) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) == 0 }
        }
    }

    var address: IPAddress? {
        withUnsafeBytes(of: storage) { raw in
            switch Int32(storage.ss_family) {
            case AF_INET:
                let s = raw.loadUnaligned(as: sockaddr_in.self)
                return .v4(UInt32(bigEndian: s.sin_addr.s_addr))
            case AF_INET6:
                let s = raw.loadUnaligned(as: sockaddr_in6.self)
                return withUnsafeBytes(of: s.sin6_addr) { b in
                    .v6(UInt64(bigEndian: b.loadUnaligned(as: UInt64.self)),
                        UInt64(bigEndian: b.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
                }
            default: return nil
            }
        }
    }

    var port: UInt16? {
        withUnsafeBytes(of: storage) { raw in
            switch Int32(storage.ss_family) {
            case AF_INET: UInt16(bigEndian: raw.loadUnaligned(as: sockaddr_in.self).sin_port)
            case AF_INET6: UInt16(bigEndian: raw.loadUnaligned(as: sockaddr_in6.self).sin6_port)
            default: nil
            }
        }
    }
}

private func errnoText() -> String { "\(String(cString: strerror(errno))) (errno \(errno))" }
