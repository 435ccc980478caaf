import ArgumentParser
import CaptureFiles
import Dissectors
import Foundation
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var out = StandardOutput()
        var sawDamage = false, sawInputError = false
        for (index, path) in files.enumerated() {
            let reader: CaptureReader
            do {
                reader = try CaptureReader(path: path, fileIndex: index)
            } catch {
                FileHandle.standardError.write(Data("error: \(escapedForTerminal(error.description))\n".utf8))
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
                    if let data = try? encoder.encode(record) { out.write(data); out.write(Data([0x0A])) }
                case .text:
                    out.write(Data((escapedForTerminal(record.textLine) + "\n").utf8))
                }
            }
            out.flush()
            for w in reader.warnings { FileHandle.standardError.write(Data((escapedForTerminal(w.description) + "\n").utf8)) }
            if let damage = reader.damage {
                FileHandle.standardError.write(Data("damaged: \(escapedForTerminal(damage.description))\n".utf8))
                sawDamage = true
            }
        }
        out.flush()
        if sawInputError { throw ExitCode.inputError }
        if sawDamage { throw ExitCode.inputDamaged }
    }
}

/// Buffers stdout writes (a line per frame adds up).
private struct StandardOutput {
    var buffer = Data()
    mutating func write(_ d: Data) {
        buffer.append(d)
        if buffer.count > 1 << 16 { flush() }
    }
    mutating func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
