import CaptureFiles
import Correlation

extension Timeline {
    /// The record's timeline from the passes' histogram: `inputs` names the
    /// files and interfaces, `tunnel` gives the roles.
    public init(_ h: PacketHistogram, inputs: [InputFile], tunnel: Analysis.TunnelReport) {
        let series = h.rows.map { row -> TimelineSeries in
            let input = inputs.first { $0.index == row.fileIndex }
            let capIf = input?.capture.interfaces.first { $0.id == row.interfaceID }
            let model = input.flatMap { tunnel.interface(of: $0, id: row.interfaceID) }
            return TimelineSeries(file: input?.name ?? "file\(row.fileIndex)", interfaceId: row.interfaceID,
                                  interface: capIf?.name ?? model?.name ?? "if\(row.interfaceID)",
                                  role: model?.role.rawValue ?? "unknown", all: row.all, leaked: row.leaked)
        }
        self.init(buckets: h.buckets, startNs: h.startNs, endNs: h.endNs, bucketNs: h.bucketNs, series: series)
    }
}
