extension WireError: CustomStringConvertible {
    /// One line saying what and where, e.g. "udp: truncated at byte 34: needs 8 bytes, 3 captured".
    /// Offsets are from the frame start; "in reassembled data" when they are not.
    public var description: String {
        func at(_ o: Int) -> String { o < 0 ? "in reassembled data" : "at byte \(o)" }
        switch self {
        case .truncated(let l, let o, let n, let a): return "\(l.name): truncated \(at(o)): needs \(n) bytes, \(a) captured"
        case .malformed(let l, let o, let r): return "\(l.name): malformed \(at(o)): \(r)"
        case .limitReached(let l, let o, let x): return "\(l.name): limit reached \(at(o)): \(x)"
        }
    }
}
