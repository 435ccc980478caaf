import ArgumentParser
import CaptureFiles
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `--progress` / `--no-progress`, shared by `analyze` and `dissect`.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .customLong("progress"), inversion: .prefixedNo, help: ArgumentHelp(
        "A progress line on stderr (bytes and packets done, rate, time left). Default: only when stderr is a terminal and the work runs longer than a second."))
    var progress: Bool?

    /// The meter, running, when progress is wanted; `inputBytes` times `passes` is the work.
    func start(command: String, inputBytes: Int, passes: Int = 1) -> ProgressMeter? {
        let terminal = isatty(2) == 1
        guard progress ?? terminal else { return nil }
        return ProgressMeter(command: command, totalBytes: inputBytes * passes, inPlace: terminal)
    }
}

/// Prints `WorkProgress` (the packet loops' shared counters) on stderr from a
/// timer of its own, so the loops pay nothing for the printing. On a terminal
/// the line is rewritten in place 4 times a second and cleared at the end; into
/// a pipe or file (only with `--progress`) one line a second, and a last line
/// with the totals. Nothing is printed during the first second.
// @unchecked: the state is behind a Mutex; the Dispatch timer is safe from any thread.
final class ProgressMeter: @unchecked Sendable {
    let command: String
    let totalBytes: Int
    let inPlace: Bool
    let start: UInt64
    let startDone: (packets: Int, bytes: Int)
    private let state = Mutex<State>(State())
    private let timer: DispatchSourceTimer

    struct State {
        var shown = false
        var stopped = false
    }

    init(command: String, totalBytes: Int, inPlace: Bool) {
        self.command = command
        self.totalBytes = totalBytes
        self.inPlace = inPlace
        start = Self.now()
        startDone = WorkProgress.done
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        let interval: DispatchTimeInterval = inPlace ? .milliseconds(250) : .seconds(1)
        timer.schedule(deadline: .now() + .seconds(1), repeating: interval)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    private func tick() {
        state.withLock { s in
            guard !s.stopped else { return }
            s.shown = true
            let line = self.line(final: false)
            StandardStream.error.write(inPlace ? "\r" + line + "\u{1B}[K" : line + "\n")
        }
    }

    /// Stops the timer; clears the line on a terminal, prints the totals into a pipe.
    func stop() {
        timer.cancel()
        state.withLock { s in
            guard !s.stopped else { return }
            s.stopped = true
            if inPlace {
                if s.shown { StandardStream.error.write("\r\u{1B}[K") }
            } else {
                StandardStream.error.write(line(final: true) + "\n")
            }
        }
    }

    /// `leakscope analyze: 41% 812.0 MB/1.9 GB, 4.21 M packets, 162.4 MB/s, 842 k packets/s, 0:06 left`
    /// or, at the end, `leakscope analyze: done: 1.9 GB, 10.00 M packets in 11.9 s, 162.4 MB/s, 842 k packets/s`.
    func line(final: Bool) -> String {
        let done = WorkProgress.done
        let packets = done.packets - startDone.packets, bytes = done.bytes - startDone.bytes
        let seconds = max(Double(Self.now() - start) / 1e9, 1e-9)
        let byteRate = Double(bytes) / seconds, packetRate = Double(packets) / seconds
        let rates = "\(Self.bytes(byteRate))/s, \(Self.count(packetRate)) packets/s"
        if final {
            return "leakscope \(command): done: \(Self.bytes(Double(bytes))), \(Self.count(Double(packets))) packets in "
                + "\(Self.fixed(seconds, 1)) s, \(rates)"
        }
        var s = "leakscope \(command): "
        if totalBytes > 0 {
            let shown = min(bytes, totalBytes)
            s += "\(shown * 100 / totalBytes)% \(Self.bytes(Double(shown)))/\(Self.bytes(Double(totalBytes))), "
        } else {
            s += "\(Self.bytes(Double(bytes))), "
        }
        s += "\(Self.count(Double(packets))) packets, \(rates)"
        if totalBytes > 0, byteRate > 0 {
            let left = Int((Double(max(totalBytes - bytes, 0)) / byteRate).rounded(.up))
            s += ", \(left / 60):\(left % 60 < 10 ? "0" : "")\(left % 60) left"
        }
        return s
    }

    /// Decimal units: 812.0 MB, 1.9 GB, 412 B.
    static func bytes(_ b: Double) -> String {
        if b >= 1e9 { return fixed(b / 1e9, 1) + " GB" }
        if b >= 1e6 { return fixed(b / 1e6, 1) + " MB" }
        if b >= 1e3 { return fixed(b / 1e3, 1) + " kB" }
        return "\(Int(b)) B"
    }

    /// 4.21 M, 842 k, 17.
    static func count(_ n: Double) -> String {
        if n >= 1e6 { return fixed(n / 1e6, 2) + " M" }
        if n >= 1e3 { return "\(Int(n / 1e3)) k" }
        return "\(Int(n))"
    }

    static func fixed(_ v: Double, _ digits: Int) -> String {
        let scale = digits == 1 ? 10.0 : 100.0
        let r = Int((v * scale).rounded())
        let whole = r / Int(scale), frac = r % Int(scale)
        return "\(whole)." + (digits == 2 && frac < 10 ? "0" : "") + "\(frac)"
    }
}
