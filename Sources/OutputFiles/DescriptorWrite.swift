#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one write loop: all of `bytes` to descriptor `fd`, short writes
/// continued, EINTR and EAGAIN retried. Output files and the CLI's standard
/// output and error all write through it. Returns nil, or the errno of the
/// write that failed.
public func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    guard var p = bytes.baseAddress else { return nil }
    var left = bytes.count
    while left > 0 {
        #if canImport(Glibc)
        let n = Glibc.write(fd, p, left)
        #else
        let n = Darwin.write(fd, p, left)
        #endif
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { continue }
            return errno
        }
        if n == 0 { return EIO }
        p += n
        left -= n
    }
    return nil
}
