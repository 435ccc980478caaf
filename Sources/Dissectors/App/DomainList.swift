/// Uncompressed DNS names one after another (DHCPv6 option 24, ND DNSSL),
/// decoded to text (outputs only). Stops at padding or anything malformed.
struct DomainList: Sequence {
    let bytes: ByteView

    func makeIterator() -> Iterator { Iterator(bytes: bytes) }

    struct Iterator: IteratorProtocol {
        let bytes: ByteView
        var offset = 0

        mutating func next() -> String? {
            var s = ""
            var total = 0
            while let len = bytes.integer(at: offset, as: UInt8.self) {
                offset += 1
                if len == 0 { return s.isEmpty ? nil : s }
                total += Int(len) + 1
                guard len < 64, total <= 255, let label = bytes.slice(offset, Int(len)) else { offset = bytes.count; return nil }
                if !s.isEmpty { s += "." }
                s += AppText.escaped(label, escapeDots: true)
                offset += Int(len)
            }
            // A partial name (no root label) at the very end, as DHCP FQDN options allow.
            return s.isEmpty ? nil : s
        }
    }
}
