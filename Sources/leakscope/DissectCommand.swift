import ArgumentParser
import CaptureFiles
import Dissectors
import JSONCoding
import OutputText

#if canImport(Glibc)
import Glibc
#endif

/// `leakscope dissect FILE...`: one line per frame, text or JSONL (docs/dissect.md).
struct DissectCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, jsonl }

    static let configuration = CommandConfiguration(
        commandName: "dissect",
        abstract: "Print what the dissector sees in each frame.",
        discussion: """
            One line per frame: layers (like tshark's frame.protocols), addresses,
            ports, STUN/DNS/VPN carrier fields and notes on malformed parts.
            JSONL keys are documented in docs/dissect.md.

            Example:
              leakscope dissect capture.pcapng --format jsonl | jq -c '{frame, protocols}'

            Exit codes: 0 ok, 3 a file is damaged (dissected up to the damage),
            4 a file cannot be opened or is not a capture.
            """
    )

    @Argument(help: "Capture files (pcap or pcapng).")
    var files: [String]

    @Option(help: "Output format: text or jsonl.")
    var format: Format = .text

    @OptionGroup var progress: ProgressOptions

    func run() throws {
        var out = DissectionLineWriter()
        let jsonl = format == .jsonl  // read once: a property wrapper's getter per packet costs
        var sawDamage = false, sawInputError = false
        let meter = progress.start(command: "dissect", inputBytes: Self.sizes(files))
        defer { meter?.stop() }
        for (index, path) in files.enumerated() {
            let reader: CaptureReader
            do {
                reader = try CaptureReader(path: path, fileIndex: index)
            } catch {
                StandardStream.error.write("error: \(escapedForTerminal(error.description))\n")
                sawInputError = true
                continue
            }
            var dissector = Dissector()
            var d = Dissection()
            var ticker = ProgressTicker()
            // Each line is written straight into one buffer (DissectionLineWriter: the bytes a
            // DissectionRecord would encode to), handed to stdout in 64 KiB pieces.
            while let packet = reader.next() {
                ticker.count(packet)
                dissector.dissect(packet, into: &d)
                if jsonl {
                    out.appendJSONLine(d, interfaceName: reader.interfaceName(of: packet))
                } else {
                    out.appendTextLine(d, interfaceName: reader.interfaceName(of: packet))
                }
                if out.count >= 1 << 16 { flush(&out) }
            }
            flush(&out)
            for w in reader.warnings { StandardStream.error.write(escapedForTerminal(w.description) + "\n") }
            if let damage = reader.damage {
                StandardStream.error.write("damaged: \(escapedForTerminal(damage.description))\n")
                sawDamage = true
            }
        }
        if sawInputError { throw ExitCode.inputError }
        if sawDamage { throw ExitCode.inputDamaged }
    }

    private func flush(_ out: inout DissectionLineWriter) {
        out.withBytes { StandardStream.output.write($0) }
        out.removeAll()
    }

    /// Regular files' sizes (the progress line's total); a pipe counts 0.
    static func sizes(_ paths: [String]) -> Int {
        paths.reduce(0) { sum, p in
            var st = stat()
            return sum + (p != "-" && stat(p, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : 0)
        }
    }
}
