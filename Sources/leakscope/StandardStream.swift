import OutputFiles

/// Standard output and standard error, written unbuffered with the one write
/// loop (OutputFiles' `writeAll`: short writes continued, EINTR retried), so
/// messages interleave sanely with output and nothing is lost to a buffer
/// at exit. `Buffered` batches many small writes (a line per frame).
enum StandardStream {
    case output
    case error

    var descriptor: Int32 { self == .output ? 1 : 2 }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        // Nothing to tell anyone if standard output or error cannot be written.
        _ = writeAll(descriptor, bytes)
    }

    /// Collects writes and hands them to the stream in 64 KiB pieces.
    struct Buffered {
        let stream: StandardStream
        var buffer: [UInt8] = []
        init(_ stream: StandardStream) { self.stream = stream; buffer.reserveCapacity(1 << 16) }
        mutating func write(_ bytes: [UInt8]) {
            buffer += bytes
            if buffer.count >= 1 << 16 { flush() }
        }
        mutating func write(_ text: String) { write(Array(text.utf8)) }
        mutating func flush() {
            stream.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
