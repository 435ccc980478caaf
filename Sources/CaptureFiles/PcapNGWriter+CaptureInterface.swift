extension PcapNGWriter.Interface {
    /// The IDB for an interface read from another capture (evidence
    /// extraction): name, description, link type, snaplen, OS and addresses
    /// carry over; timestamps are always rewritten in nanoseconds.
    public init(_ source: CaptureInterface) {
        self.init(
            name: source.name ?? "interface \(source.id)", description: source.description,
            linkType: source.linkType, snapLength: source.snaplen,
            addresses: source.ipv4Addresses.map { .v4(address: $0.address, mask: $0.netmask) }
                + source.ipv6Addresses.map { .v6(hi: $0.high, lo: $0.low, prefixLength: $0.prefixLength) },
            os: source.os)
    }
}
