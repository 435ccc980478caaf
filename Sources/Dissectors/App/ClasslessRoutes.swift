/// RFC 3442 classless static routes (DHCPv4 option 121, or Microsoft's copy,
/// 249): per route the prefix width, the significant octets of the
/// destination, and the router.
///
/// A long value may be split over several instances of the option; RFC 3396
/// makes them one value, concatenated in order, and a route may straddle two
/// instances. The walk reads across the instances without copying. It stops
/// at the first route that is malformed (a width above 32) or runs past the
/// end of the value, and says why in the iterator's `problem` (offsets from
/// the start of the DHCP message). Work is linear in the message's bytes and
/// needs no memory: thousands of routes cost a walk, nothing more.
public struct ClasslessRoutes: Sequence {
    /// The message's options and the option code (every instance is read)...
    let options: DHCPv4Options?
    let message: ByteView?
    let code: UInt8
    /// ...or one option value on its own (tests, fuzzing).
    let single: ByteView?

    init(_ m: DHCPv4Message, code: UInt8) { options = m.options; message = m.bytes; self.code = code; single = nil }
    init(bytes: ByteView?) { options = nil; message = nil; code = 0; single = bytes }

    public func makeIterator() -> Iterator {
        if let single { return Iterator(single: single) }
        return Iterator(options: options, message: message, code: code)
    }

    public struct Iterator: IteratorProtocol {
        let message: ByteView?
        let code: UInt8
        var options: DHCPv4Options.Iterator?
        /// The instance being read, its offset in the message, and the read position in it.
        var chunk: ByteView?
        var chunkOffset = 0
        var position = 0
        var finished = false
        /// Why the walk stopped early (nil: every route was read).
        public private(set) var problem: WireError?
        /// Routes read so far.
        public private(set) var count = 0

        init(single: ByteView) {
            message = nil; code = 0; options = nil
            chunk = single
        }

        init(options: DHCPv4Options?, message: ByteView?, code: UInt8) {
            self.message = message
            self.code = code
            self.options = options?.makeIterator()
        }

        /// The value's next byte and its offset in the message (nil at the end of the value).
        mutating func byte() -> (value: UInt8, offset: Int)? {
            while true {
                if let c = chunk, position < c.count {
                    defer { position += 1 }
                    return (c.base[position], chunkOffset + position)
                }
                guard var it = options else { return nil }
                var next: ByteView?
                while let o = it.next() {
                    if o.code == code { next = o.data; break }
                }
                options = it
                guard let n = next else { chunk = nil; return nil }
                chunk = n
                position = 0
                chunkOffset = Self.offset(of: n, in: message)
            }
        }

        /// Where `part` starts inside `whole` (both views of the same bytes).
        static func offset(of part: ByteView, in whole: ByteView?) -> Int {
            guard let w = whole, let a = part.base.baseAddress, let b = w.base.baseAddress else { return 0 }
            return a - b
        }

        public mutating func next() -> (destination: IPAddress, prefixLength: UInt8, router: IPAddress)? {
            guard !finished else { return nil }
            guard let (width, at) = byte() else { finished = true; return nil }
            guard width <= 32 else {
                problem = .malformed(layer: .dhcp, offset: at, reason: .init("classless route prefix width above 32"))
                finished = true
                return nil
            }
            let octets = (Int(width) + 7) / 8
            var destination: UInt32 = 0, router: UInt32 = 0
            for i in 0..<(octets + 4) {
                guard let (b, _) = byte() else {
                    problem = .truncated(layer: .dhcp, offset: at, needed: 1 + octets + 4, available: 1 + i)
                    finished = true
                    return nil
                }
                if i < octets { destination |= UInt32(b) << (24 - 8 * i) } else { router = router << 8 | UInt32(b) }
            }
            count += 1
            return (.v4(destination), width, .v4(router))
        }
    }
}
