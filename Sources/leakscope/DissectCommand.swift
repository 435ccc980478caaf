import ArgumentParser
import CaptureFiles
import Dissectors
import JSONCoding
import OutputText

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

    func run() throws {
        var out = StandardStream.Buffered(.output)
        var sawDamage = false, sawInputError = false
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
            while let packet = reader.next() {
                dissector.dissect(packet, into: &d)
                let record = DissectionRecord(d, interfaceName: packet.interfaceName)
                switch format {
                case .jsonl:
                    // The one JSON encoder: keys sorted, controls and bidirectional marks escaped.
                    if let line = try? JSONCoding.encode(record, layout: .compact, keys: .snakeCase) { out.write(line + [0x0A]) }
                case .text:
                    out.write(escapedForTerminal(record.textLine) + "\n")
                }
            }
            out.flush()
            for w in reader.warnings { StandardStream.error.write(escapedForTerminal(w.description) + "\n") }
            if let damage = reader.damage {
                StandardStream.error.write("damaged: \(escapedForTerminal(damage.description))\n")
                sawDamage = true
            }
        }
        out.flush()
        if sawInputError { throw ExitCode.inputError }
        if sawDamage { throw ExitCode.inputDamaged }
    }
}
