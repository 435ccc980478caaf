/// Every output format is a rendering of one record.
extension AnalysisRecord {
    /// The bytes of `format`; `color` is for `.text` on a terminal.
    public func rendered(as format: ReportFormat, color: Bool = false) throws(ReportError) -> [UInt8] {
        switch format {
        case .json: try RecordJSON.encode(self)
        case .html: Array(HTMLReport.render(self).utf8)
        case .markdown: Array(MarkdownReport.render(self).utf8)
        case .jsonl: try JSONLReport.render(self)
        case .text: Array(TerminalReport.render(self, color: color).utf8)
        }
    }
}
