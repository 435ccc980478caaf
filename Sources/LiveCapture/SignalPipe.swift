#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Write end of the active self-pipe; the only thing the signal handler touches.
nonisolated(unsafe) private var signalPipeWriteFD: Int32 = -1

/// The handler does one async-signal-safe thing: write the signal number to
/// the pipe (non-blocking, errno preserved). The capture loop polls the read end.
private let signalPipeHandler: @convention(c) (Int32) -> Void = { signal in
    let saved = errno
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(signalPipeWriteFD, &byte, 1)
    errno = saved
}

/// Turns SIGINT/SIGTERM/SIGHUP into a readable file descriptor (the self-pipe
/// trick), so the poll loop stops cleanly instead of dying mid-write.
/// One at a time per process.
final class SignalPipe {
    let readFD: Int32
    private let writeFD: Int32
    private var previous: [(Int32, sighandler_t?)] = []

    init(signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]) throws(LiveCaptureError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .system(call: "pipe", errno: errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
        signalPipeWriteFD = writeFD
        for s in signals { previous.append((s, signal(s, signalPipeHandler))) }
        // A parent may have started us with these blocked (the mask is
        // inherited); a capture that cannot be stopped cleanly is worse.
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    deinit { restore() }

    /// The last signal received since the previous call, if any.
    func take() -> Int32? {
        var last: Int32?
        var buffer = [UInt8](repeating: 0, count: 16)
        while true {
            let n = read(readFD, &buffer, buffer.count)
            guard n > 0 else { break }
            last = Int32(buffer[n - 1])
        }
        return last
    }

    /// Puts the previous handlers back and closes the pipe.
    func restore() {
        guard !previous.isEmpty else { return }
        for (s, handler) in previous { signal(s, handler) }
        previous = []
        signalPipeWriteFD = -1
        close(readFD)
        close(writeFD)
    }
}
