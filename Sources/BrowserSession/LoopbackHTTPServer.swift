#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port) for the probe page:
/// one request per connection, a thread per connection (at most
/// `maxConnections`), 5 s receive timeout, bounded request sizes.
public final class LoopbackHTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    public let port: UInt16
    private let fd: Int32
    private let handler: Handler
    private let limits: HTTPLimits
    private let state = Mutex(State())
    public static let maxConnections = 16

    private struct State { var stopped = false; var active = 0 }

    public struct StartError: Error, CustomStringConvertible {
        public var call: String
        public var errno: Int32
        public var description: String { "loopback server: \(call) failed: \(String(cString: strerror(errno)))" }
    }

    public init(limits: HTTPLimits = HTTPLimits(), handler: @escaping Handler) throws(StartError) {
        self.limits = limits
        self.handler = handler
        #if canImport(Glibc)
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let s = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard s >= 0 else { throw StartError(call: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { let e = errno; close(s); throw StartError(call: "bind 127.0.0.1", errno: e) }
        guard listen(s, 16) == 0 else { let e = errno; close(s); throw StartError(call: "listen", errno: e) }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
        }
        self.fd = s
        self.port = UInt16(bigEndian: bound.sin_port)
        let thread = Thread { [self] in self.acceptLoop() }
        thread.name = "leakscope-probe-http"
        thread.start()
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Stops accepting; connections in flight finish on their own (bounded by the timeout).
    public func stop() {
        let first = state.withLock { s -> Bool in
            defer { s.stopped = true }
            return !s.stopped
        }
        if first {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    deinit { stop() }

    private func acceptLoop() {
        while !state.withLock({ $0.stopped }) {
            let c = accept(fd, nil, nil)
            if c < 0 {
                if errno == EINTR { continue }
                return   // closed by stop()
            }
            let admitted = state.withLock { s -> Bool in
                guard s.active < Self.maxConnections else { return false }
                s.active += 1
                return true
            }
            guard admitted else { close(c); continue }
            let t = Thread { [self] in
                self.serve(c)
                self.state.withLock { $0.active -= 1 }
            }
            t.start()
        }
    }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buf: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let cap = limits.maxHeaderBytes + 4 + limits.maxBodyBytes
        var response: HTTPResponse
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(c, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }   // closed, error or timeout before a full request
            buf.append(contentsOf: chunk[0..<n])
            switch HTTPRequestParser.parse(buf, limits: limits) {
            case .incomplete:
                if buf.count > cap { response = HTTPResponse(status: 413, text: "too large\n") } else { continue }
            case .reject(let status, let reason):
                response = HTTPResponse(status: status, text: reason + "\n")
            case .complete(let request):
                response = handler(request)
            }
            break
        }
        let out = response.serialized()
        var sent = 0
        while sent < out.count {
            let n = out.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return send(c, base + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return }
            sent += n
        }
    }
}
