import JSONCoding

/// Every output format is a rendering of one record.
extension AnalysisRecord {
    /// Writes the rendering of `format` to `write` as it is made: the JSON
    /// record and JSONL stream through a bounded buffer (never a whole
    /// document in memory), the text, HTML and Markdown are handed over as the
    /// one string they are built as (no copies of it). `color` is for `.text`
    /// on a terminal. Throws `ReportError.encoding`, or what `write` throws.
    public func render(as format: ReportFormat, color: Bool = false, to write: (UnsafeRawBufferPointer) throws -> Void) throws {
        switch format {
        case .json: try RecordJSON.write(self, to: write)
        case .jsonl: try JSONLReport.write(self, to: write)
        case .html: try Self.hand(HTMLReport.render(self), to: write)
        case .markdown: try Self.hand(MarkdownReport.render(self), to: write)
        case .text: try Self.hand(TerminalReport.render(self, color: color), to: write)
        }
    }

    /// The bytes of `format` (the same bytes `render(as:color:to:)` writes).
    public func rendered(as format: ReportFormat, color: Bool = false) throws(ReportError) -> [UInt8] {
        var out: [UInt8] = []
        do { try render(as: format, color: color) { out += $0 } } catch let e as ReportError { throw e } catch {
            throw .encoding(reason: "\(error)")
        }
        return out
    }

    static func hand(_ text: String, to write: (UnsafeRawBufferPointer) throws -> Void) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }
}
