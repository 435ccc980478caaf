import CaptureFiles

/// Writes the evidence capture: only the frames findings cite, with their
/// original bytes, timestamps and direction, one IDB per source interface
/// (name, link type, addresses carried over; the description says which
/// input file it came from), and a per-packet comment naming the findings:
/// "F1 webrtc: STUN Binding ... (frame 41 of s.pcapng)". Files in input order,
/// frames in file order. Written atomically by `PcapNGWriter`.
public enum EvidenceWriter {
    public static func write(
        findings: [RecordFinding], inputs: [InputFile], tunnel: RecordTunnel = RecordTunnel(fields: [:]), to path: String,
        section: PcapNGWriter.Section
    ) throws(ReportError) -> OutputFileInfo {
        var comments: [Int: [Int: [String]]] = [:]  // input index -> frame -> comment parts
        // A classic pcap's interface has no name: use the one the findings give it.
        var fallbackName: [Int: String] = [:]
        for f in findings {
            guard let input = f.input(in: inputs) else { continue }
            for frame in f.frames {
                comments[input.index, default: [:]][Int(frame), default: []]
                    .append("\(f.id) \(f.leakClass): \(f.title) (frame \(frame) of \(input.name))")
            }
            if let i = f.interface, fallbackName[input.index] == nil { fallbackName[input.index] = i }
        }
        // Hashed as written: the evidence may go to a FIFO or standard output, which cannot be read back.
        let digest = StreamingDigest()
        let writer: PcapNGWriter
        do { writer = try PcapNGWriter(path: path, section: section, observer: digest.update) }
        catch { throw .output(error.description) }
        var written = 0
        do throws(ReportError) {
            for input in inputs {
                guard let wanted = comments[input.index], !wanted.isEmpty else { continue }
                let reader: CaptureReader
                do { reader = try CaptureReader(path: input.path, fileIndex: input.index) }
                catch { throw ReportError.capture(path: input.path, reason: error.description) }
                var idbs: [Int: UInt32] = [:]
                var remaining = wanted.count
                while remaining > 0, let packet = reader.next() {
                    guard let parts = wanted[packet.frameNumber] else { continue }
                    remaining -= 1
                    let id: UInt32
                    if let known = idbs[packet.interfaceID] {
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
                            idb = PcapNGWriter.Interface(name: packet.interfaceName ?? "interface \(packet.interfaceID)",
                                                         description: "from \(input.name)", linkType: packet.linkType,
                                                         snapLength: 0, addresses: [], os: nil)
                        }
                        do { id = try writer.addInterface(idb) } catch { throw ReportError.output(error.description) }
                        idbs[packet.interfaceID] = id
                    }
                    do { try writer.writePacket(packet, interfaceID: id, comment: parts.joined(separator: "; ")) }
                    catch { throw ReportError.output(error.description) }
                    written += 1
                }
            }
            do { try writer.close() } catch { throw ReportError.output(error.description) }
        } catch {
            writer.abandon()
            throw error
        }
        let result = digest.result
        return OutputFileInfo(name: CaptureScan.baseName(path), size: result.size, sha256: result.sha256, frames: written)
    }
}
