import CaptureFiles
import OutputText

extension InputFile {
    /// What the record states about one input: its identity (`size`,
    /// `sha256`, computed over the analysis's own mapping) and what pass 1
    /// read (`summary`; `interfaces` are the reader's descriptions).
    public init(index: Int, path: String, size: Int64, sha256: String, summary: CaptureSummary, interfaces: [CaptureInterface]) {
        self.init(index: index, name: Self.baseName(path), path: path, size: size, sha256: sha256,
                  capture: CaptureInfo(summary, interfaces: interfaces))
    }

    public static func baseName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }
}

extension CaptureInfo {
    init(_ s: CaptureSummary, interfaces: [CaptureInterface]) {
        // The last ISB of each interface holds its final counters.
        var stats: [Int: CaptureFiles.InterfaceStatistics] = [:]
        for st in s.statistics { stats[st.interfaceID] = st }
        var linkTypes: [String] = []
        var ifaces: [InputInterface] = []
        for t in s.interfaces {
            let meta = interfaces.first { $0.id == t.interfaceID }
            let lt = meta?.linkType ?? t.linkType
            if !linkTypes.contains(lt.name) { linkTypes.append(lt.name) }
            let addrs = (meta?.ipv4Addresses.map(Self.v4text) ?? []) + (meta?.ipv6Addresses.map(Self.v6text) ?? [])
            ifaces.append(InputInterface(
                id: t.interfaceID, name: meta?.name ?? t.name, description: meta?.description, linkType: lt.name,
                linkTypeCode: lt.rawValue, snaplen: meta.map { Int($0.snaplen) }, addresses: addrs, packets: t.packets,
                statistics: stats[t.interfaceID].map {
                    InputInterfaceStatistics(received: $0.interfaceReceived.map(Self.i64), ifDrop: $0.interfaceDropped.map(Self.i64),
                                             filterAccept: $0.filterAccepted.map(Self.i64), osDrop: $0.osDropped.map(Self.i64),
                                             userDelivered: $0.userDelivered.map(Self.i64))
                }))
        }
        let drops = ifaces.compactMap { $0.statistics?.dropped }
        let sections = s.format == .pcapng ? s.sections.enumerated().map { i, sec in
            InputSection(index: i, userApplication: sec.userApplication, hardware: sec.hardware, os: sec.os,
                         comment: sec.comments.isEmpty ? nil : sec.comments.joined(separator: "\n"))
        } : []
        let firsts = s.interfaces.compactMap(\.firstTimestampNanoseconds), lasts = s.interfaces.compactMap(\.lastTimestampNanoseconds)
        var damage: [DamagedRegion] = []
        if let d = s.damage { damage.append(DamagedRegion(offset: Int64(d.offset), what: d.reason)) }
        self.init(
            format: s.format == .pcapng ? "pcapng" : "pcap", linkTypes: linkTypes, sections: sections, interfaces: ifaces,
            capturingTool: s.sections.lazy.compactMap(\.userApplication).first, firstNs: firsts.min(), lastNs: lasts.max(),
            packets: s.packets, droppedPackets: drops.isEmpty ? nil : drops.reduce(0, +), damage: damage)
    }

    static func i64(_ v: UInt64) -> Int64 { Int64(clamping: v) }

    static func v4text(_ a: InterfaceIPv4Address) -> String {
        let ip = IPAddress.v4(a.address).description
        let prefix = a.netmask.leadingZeroBitCount == 0 ? a.netmask.nonzeroBitCount : 0
        return a.netmask == 0 ? ip : (a.netmask == (UInt32.max << (32 - UInt32(prefix))) ? "\(ip)/\(prefix)" : "\(ip)/\(IPAddress.v4(a.netmask))")
    }

    static func v6text(_ a: InterfaceIPv6Address) -> String {
        "\(IPAddress.v6(a.high, a.low))/\(a.prefixLength)"
    }
}
