import CaptureFiles
import Correlation

/// Writes the evidence capture while the cited frames are visited: only the
/// frames findings cite, with their original bytes, timestamps and direction,
/// one IDB per source interface (name, link type, addresses carried over; the
/// description says which input file it came from), and a per-packet comment
/// naming the findings and the packet's flow: "F1 webrtc: STUN Binding ... (frame 41
/// of s.pcapng); community_id 1:...".
/// Files in input order, frames in file order. Written atomically by
/// `PcapNGWriter`.
final class EvidenceWriter {
    let path: String
    let writer: PcapNGWriter
    /// Hashed as written: the evidence may go to a FIFO or standard output, which cannot be read back.
    let digest = StreamingDigest()
    /// Per input index: frame -> comment parts.
    let comments: [Int: [Int: [String]]]
    /// A classic pcap's interface has no name: the one its findings give it.
    let fallbackName: [Int: String]
    /// (input index, interface id) -> IDB written.
    var idbs: [Int: [Int: UInt32]] = [:]
    private(set) var written = 0

    init(path: String, section: PcapNGWriter.Section, findings: [Finding], inputs: [InputFile]) throws(ReportError) {
        var comments: [Int: [Int: [String]]] = [:]
        var fallbackName: [Int: String] = [:]
        for f in findings {
            guard let input = f.input(in: inputs) else { continue }
            for frame in f.frames {
                comments[input.index, default: [:]][frame, default: []]
                    .append("\(f.id) \(f.className): \(f.title) (frame \(frame) of \(input.name))")
            }
            if fallbackName[input.index] == nil { fallbackName[input.index] = f.interface }
        }
        self.path = path
        self.comments = comments
        self.fallbackName = fallbackName
        do { writer = try PcapNGWriter(path: path, section: section, observer: digest.update) }
        catch { throw .output(error.description) }
    }

    /// Frames of `input` that go into the evidence capture.
    func frames(of input: InputFile) -> Set<Int> { comments[input.index].map { Set($0.keys) } ?? [] }

    /// Writes `packet` (a cited frame of `input`, read by `reader`), adding its interface first if new.
    /// `communityID` is the packet's flow's (`CitedFlow.communityID(of:)`), as the record's `cited_flows` name it.
    func add(_ packet: Packet, of input: InputFile, reader: CaptureReader, tunnel: Analysis.TunnelReport,
             communityID: String?) throws(ReportError) {
        guard var parts = comments[input.index]?[packet.frameNumber] else { return }
        if let communityID { parts[parts.count - 1] += "; community_id \(communityID)" }
        let id: UInt32
        if let known = idbs[input.index]?[packet.interfaceID] {
            id = known
        } else {
            var idb: PcapNGWriter.Interface
            if let source = reader.interfaces.first(where: { $0.id == packet.interfaceID }) {
                idb = PcapNGWriter.Interface(source)
                if source.name == nil, let n = tunnel.interface(of: input, id: source.id)?.name ?? fallbackName[input.index] {
                    idb.name = n
                }
                idb.description = (source.description.map { "\($0); " } ?? "") + "from \(input.name)"
            } else {
                idb = PcapNGWriter.Interface(name: reader.interfaceName(of: packet) ?? "interface \(packet.interfaceID)",
                                             description: "from \(input.name)", linkType: packet.linkType,
                                             snapLength: 0, addresses: [], os: nil)
            }
            do { id = try writer.addInterface(idb) } catch { throw .output(error.description) }
            idbs[input.index, default: [:]][packet.interfaceID] = id
        }
        do { try writer.writePacket(packet, interfaceID: id, comment: parts.joined(separator: "; ")) }
        catch { throw .output(error.description) }
        written += 1
    }

    /// Closes the file; its size and SHA-256 go into the record.
    func finish() throws(ReportError) -> OutputFileInfo {
        do { try writer.close() } catch { throw .output(error.description) }
        let result = digest.result
        return OutputFileInfo(name: InputFile.baseName(path), size: result.size, sha256: result.sha256, frames: written)
    }

    func abandon() { writer.abandon() }
}
