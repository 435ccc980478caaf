import CaptureFiles

/// Every report output goes through CaptureFiles' `AtomicFileWriter`: a
/// temporary file beside the target, renamed over it only when complete. A
/// failure (or Ctrl-C) leaves the old file as it was.
public enum OutputFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(ReportError) {
        try write(to: path) { try $0.write(bytes) }
    }

    public static func write(_ text: String, to path: String) throws(ReportError) {
        try write(to: path) { try $0.write(text) }
    }

    /// Runs `body` against a writer for `path`; commits when it returns,
    /// abandons (removing the temporary file) when it throws.
    public static func write(to path: String, _ body: (AtomicFileWriter) throws -> Void) throws(ReportError) {
        let writer: AtomicFileWriter
        do { writer = try AtomicFileWriter(path: path) } catch { throw .output(error.description) }
        do {
            try body(writer)
            try writer.commit()
        } catch {
            writer.abandon()
            if let e = error as? ReportError { throw e }
            throw .output(String(describing: error))
        }
    }
}
