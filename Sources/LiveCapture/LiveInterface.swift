#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPcap
import CaptureFiles

/// An interface libpcap can capture on (from `pcap_findalldevs`).
public struct LiveInterface: Sendable, Equatable {
    public var name: String
    public var description: String?
    /// IPv4/IPv6 addresses with mask / prefix, ready for the pcapng IDB.
    public var addresses: [PcapNGWriter.Address]
    public var isUp: Bool
    public var isRunning: Bool
    public var isLoopback: Bool
    public var isWireless: Bool
    /// From the AF_PACKET entry (Linux): false when the interface has no
    /// hardware address (WireGuard, tun); nil when libpcap did not say.
    public var hasLinkLayerAddress: Bool?
    /// Link type when the interface could be opened (`list(probeLinkTypes:)`).
    public var linkType: LinkType?

    /// The tunnel guess shown by `leakscope interfaces`.
    public var looksLikeTunnel: Bool {
        interfaceLooksLikeTunnel(
            name: name, linkType: linkType, hasLinkLayerAddress: hasLinkLayerAddress, isLoopback: isLoopback)
    }

    public init(
        name: String, description: String? = nil, addresses: [PcapNGWriter.Address] = [], isUp: Bool = false,
        isRunning: Bool = false, isLoopback: Bool = false, isWireless: Bool = false,
        hasLinkLayerAddress: Bool? = nil, linkType: LinkType? = nil
    ) {
        self.name = name
        self.description = description
        self.addresses = addresses
        self.isUp = isUp
        self.isRunning = isRunning
        self.isLoopback = isLoopback
        self.isWireless = isWireless
        self.hasLinkLayerAddress = hasLinkLayerAddress
        self.linkType = linkType
    }

    /// All interfaces libpcap reports. With `probeLinkTypes`, each is opened
    /// briefly to read its link type (needs capture privilege; left nil when
    /// it cannot be opened).
    public static func list(probeLinkTypes: Bool = false) throws(LiveCaptureError) -> [LiveInterface] {
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        var head: UnsafeMutablePointer<pcap_if_t>?
        guard pcap_findalldevs(&head, &errbuf) == 0 else {
            throw .listInterfaces(detail: cString(errbuf))
        }
        defer { pcap_freealldevs(head) }
        var out: [LiveInterface] = []
        var node = head
        while let dev = node {
            var item = LiveInterface(
                name: String(cString: dev.pointee.name),
                description: dev.pointee.description.map { String(cString: $0) },
                isUp: dev.pointee.flags & UInt32(PCAP_IF_UP) != 0,
                isRunning: dev.pointee.flags & UInt32(PCAP_IF_RUNNING) != 0,
                isLoopback: dev.pointee.flags & UInt32(PCAP_IF_LOOPBACK) != 0,
                isWireless: dev.pointee.flags & UInt32(PCAP_IF_WIRELESS) != 0)
            var addr = dev.pointee.addresses
            while let a = addr {
                if let sa = a.pointee.addr {
                    if let converted = Self.address(sa, mask: a.pointee.netmask) {
                        item.addresses.append(converted)
                    }
                    #if os(Linux)
                    if Int32(sa.pointee.sa_family) == AF_PACKET {
                        // struct sockaddr_ll: family(2) protocol(2) ifindex(4) hatype(2) pkttype(1) halen(1)
                        let halen = UnsafeRawPointer(sa).load(fromByteOffset: 11, as: UInt8.self)
                        item.hasLinkLayerAddress = halen > 0
                    }
                    #endif
                }
                addr = a.pointee.next
            }
            if probeLinkTypes { item.linkType = Self.probeLinkType(item.name) }
            out.append(item)
            node = dev.pointee.next
        }
        return out
    }

    /// The addresses of one interface (empty when unknown or not listed).
    public static func addresses(of name: String) -> [PcapNGWriter.Address] {
        (try? list())?.first { $0.name == name }?.addresses ?? []
    }

    static func probeLinkType(_ name: String) -> LinkType? {
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let p = pcap_create(name, &errbuf) else { return nil }
        defer { pcap_close(p) }
        _ = pcap_set_snaplen(p, 128)
        _ = pcap_set_timeout(p, 1)
        guard pcap_activate(p) >= 0 else { return nil }
        return LinkType(dataLinkType: pcap_datalink(p))
    }

    /// IPv4 / IPv6 socket address plus netmask to an IDB address.
    static func address(_ sa: UnsafeMutablePointer<sockaddr>, mask: UnsafeMutablePointer<sockaddr>?) -> PcapNGWriter.Address? {
        let raw = UnsafeRawPointer(sa)
        switch Int32(sa.pointee.sa_family) {
        case AF_INET:
            let a = UInt32(bigEndian: raw.assumingMemoryBound(to: sockaddr_in.self).pointee.sin_addr.s_addr)
            var m: UInt32 = 0xFFFF_FFFF
            if let mask, Int32(mask.pointee.sa_family) == AF_INET || mask.pointee.sa_family == 0 {
                m = UInt32(bigEndian: UnsafeRawPointer(mask).assumingMemoryBound(to: sockaddr_in.self).pointee.sin_addr.s_addr)
            }
            return .v4(address: a, mask: m)
        case AF_INET6:
            let (hi, lo) = Self.v6Words(raw.assumingMemoryBound(to: sockaddr_in6.self).pointee.sin6_addr)
            var prefix: UInt8 = 128
            if let mask, Int32(mask.pointee.sa_family) == AF_INET6 {
                let (mh, ml) = Self.v6Words(UnsafeRawPointer(mask).assumingMemoryBound(to: sockaddr_in6.self).pointee.sin6_addr)
                prefix = UInt8(mh.nonzeroBitCount + ml.nonzeroBitCount)
            }
            return .v6(hi: hi, lo: lo, prefixLength: prefix)
        default:
            return nil
        }
    }

    static func v6Words(_ a: in6_addr) -> (UInt64, UInt64) {
        var copy = a
        return withUnsafeBytes(of: &copy) { b in
            var hi: UInt64 = 0, lo: UInt64 = 0
            for i in 0 ..< 8 { hi = hi << 8 | UInt64(b[i]) }
            for i in 8 ..< 16 { lo = lo << 8 | UInt64(b[i]) }
            return (hi, lo)
        }
    }
}
