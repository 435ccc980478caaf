import CaptureFiles
import Dissectors
import Foundation

/// Reads the input captures for the record: identity (size, SHA-256),
/// metadata (sections, interfaces, statistics, damage), the timeline
/// histogram, and decoded + hex views of the first frames of each finding.
///
/// Two streaming passes per file (the first finds the time range the
/// histogram needs); memory is constant per file apart from the frames kept
/// for views (`framesPerFinding` per finding for the first
/// `maxFindingsWithViews` findings, `FrameView.hexLimit` bytes each) and the
/// set of cited frame numbers (bounded by the correlator's own caps).
public struct CaptureScan: Sendable {
    public var inputs: [InputFile]
    public var timeline: Timeline
    public var frameViews: [FrameView]
    /// Findings beyond this many get no decoded/hex view (the record stays small).
    public static let maxFindingsWithViews = 500

    public static func scan(
        paths: [String], findings: [RecordFinding], tunnel: RecordTunnel, buckets: Int = 100, framesPerFinding: Int = 3
    ) throws(ReportError) -> CaptureScan {
        var inputs: [InputFile] = []
        for (index, path) in paths.enumerated() {
            inputs.append(try describe(path: path, index: index))
        }
        let firsts = inputs.compactMap(\.capture.firstNs), lasts = inputs.compactMap(\.capture.lastNs)
        var acc = TimelineAccumulator(startNs: firsts.min() ?? 0, endNs: lasts.max() ?? 0, buckets: buckets)

        // Which frames are cited (all of them, for the histogram) and which get a view.
        var cited: [Int: Set<Int>] = [:]  // input index -> frames
        var wanted: [Int: [Int: [String]]] = [:]  // input index -> frame -> finding ids
        var wantedFindings = 0
        for f in findings {
            guard let input = f.input(in: inputs) else { continue }
            cited[input.index, default: []].formUnion(f.frames.map { Int($0) })
            guard wantedFindings < maxFindingsWithViews else { continue }
            wantedFindings += 1
            for frame in f.frames.prefix(framesPerFinding) { wanted[input.index, default: [:]][Int(frame), default: []].append(f.id) }
        }

        var views: [FrameView] = []
        for input in inputs {
            for i in input.capture.interfaces { acc.declare(fileIndex: input.index, interfaceID: i.id) }
            let reader: CaptureReader
            do { reader = try CaptureReader(path: input.path, fileIndex: input.index) }
            catch { throw .capture(path: input.path, reason: error.description) }
            let citedHere = cited[input.index] ?? []
            let wantedHere = wanted[input.index] ?? [:]
            var dissector = Dissector()
            while let packet = reader.next() {
                acc.add(fileIndex: input.index, interfaceID: packet.interfaceID, timestampNs: packet.timestampNanoseconds,
                        leaked: citedHere.contains(packet.frameNumber))
                guard let ids = wantedHere[packet.frameNumber] else { continue }
                // One dissector call per cited frame; reassembly state is not
                // needed for a per-frame view.
                dissector.resetState()
                let d = dissector.dissect(packet)
                let layers = FrameDecoding.layers(DissectionRecord(d, interfaceName: packet.interfaceName))
                let notes = FrameDecoding.notes(d)
                let bytes = Array(packet.bytes.prefix(FrameView.hexLimit + 1).toArray())
                for id in ids {
                    var v = FrameView(finding: id, file: input.name, frame: packet.frameNumber, timeNs: packet.timestampNanoseconds,
                                      interface: packet.interfaceName, linkType: packet.linkType.name,
                                      originalLength: packet.originalLength, bytes: bytes, layers: layers.layers, notes: notes)
                    v.capturedLength = packet.capturedLength
                    v.hexTruncated = packet.capturedLength > FrameView.hexLimit
                    views.append(v)
                }
            }
        }
        // Findings' order, then frame order.
        let order = Dictionary(findings.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        views.sort { (order[$0.finding] ?? .max, $0.frame) < (order[$1.finding] ?? .max, $1.frame) }
        return CaptureScan(inputs: inputs, timeline: acc.timeline(inputs: inputs, tunnel: tunnel), frameViews: views)
    }

    /// Size, SHA-256 and capture metadata of one file (one pass over its packets).
    public static func describe(path: String, index: Int) throws(ReportError) -> InputFile {
        let digest = try FileDigest.sha256(path: path)
        let reader: CaptureReader
        do { reader = try CaptureReader(path: path, fileIndex: index) }
        catch { throw .capture(path: path, reason: error.description) }
        var summary = CaptureSummary(reader: reader)
        while let packet = reader.next() { summary.add(packet) }
        summary.finish(reader: reader)
        return InputFile(index: index, name: baseName(path), path: path, size: digest.size, sha256: digest.sha256,
                         capture: captureInfo(summary, interfaces: reader.interfaces))
    }

    static func captureInfo(_ s: CaptureSummary, interfaces: [CaptureInterface]) -> CaptureInfo {
        // The last ISB of each interface holds its final counters.
        var stats: [Int: CaptureFiles.InterfaceStatistics] = [:]
        for st in s.statistics { stats[st.interfaceID] = st }
        var linkTypes: [String] = []
        var ifaces: [InputInterface] = []
        for t in s.interfaces {
            let meta = interfaces.first { $0.id == t.interfaceID }
            let lt = meta?.linkType ?? t.linkType
            if !linkTypes.contains(lt.name) { linkTypes.append(lt.name) }
            let addrs = (meta?.ipv4Addresses.map { v4text($0) } ?? []) + (meta?.ipv6Addresses.map { v6text($0) } ?? [])
            ifaces.append(InputInterface(
                id: t.interfaceID, name: meta?.name ?? t.name, description: meta?.description, linkType: lt.name,
                linkTypeCode: lt.rawValue, snaplen: meta.map { Int($0.snaplen) }, addresses: addrs, packets: t.packets,
                statistics: stats[t.interfaceID].map {
                    InputInterfaceStatistics(received: $0.interfaceReceived.map(i64), ifDrop: $0.interfaceDropped.map(i64),
                                             filterAccept: $0.filterAccepted.map(i64), osDrop: $0.osDropped.map(i64),
                                             userDelivered: $0.userDelivered.map(i64))
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
        return CaptureInfo(
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

    public static func baseName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }
}
