import ArgumentParser
import LiveCapture

struct InterfacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interfaces",
        abstract: "List the interfaces libpcap can capture on, marking likely VPN tunnels.",
        discussion: """
            Link types are shown when the interface can be opened (root or CAP_NET_RAW). "tunnel?" is a guess from the name (wg*, tun*, utun*, ppp*, ipsec*, tap*, nordlynx, proton*, mullvad*...), a raw-IP link type or a missing hardware address.

            Example:
              sudo leakscope interfaces
            """)

    func run() throws {
        let list: [LiveInterface]
        do { list = try LiveInterface.list(probeLinkTypes: true) } catch {
            CaptureCLI.printError("leakscope interfaces: \(error)")
            throw ExitCode.runtimeError
        }
        print(InterfaceTable.text(list), terminator: "")
    }
}

/// The `interfaces` table: name, link type, flags, tunnel guess, addresses, description.
enum InterfaceTable {
    static func text(_ list: [LiveInterface]) -> String {
        var rows = [["NAME", "LINK", "FLAGS", "KIND", "ADDRESSES", "DESCRIPTION"]]
        for i in list {
            var flags: [String] = []
            if i.isUp { flags.append("up") }
            if i.isRunning { flags.append("running") }
            if i.isLoopback { flags.append("loopback") }
            if i.isWireless { flags.append("wireless") }
            let kind = i.isLoopback ? "loopback" : i.looksLikeTunnel ? "tunnel?" : ""
            rows.append([
                i.name, i.linkType.map { "\($0.name)(\($0.rawValue))" } ?? "-", flags.joined(separator: ","), kind,
                i.addresses.map(\.description).joined(separator: " "), i.description ?? "",
            ])
        }
        var widths = [Int](repeating: 0, count: 6)
        for r in rows { for (k, c) in r.enumerated() { widths[k] = max(widths[k], c.count) } }
        var out = ""
        for r in rows {
            var line = ""
            for (k, c) in r.enumerated() {
                line += c
                if k < r.count - 1 { line += String(repeating: " ", count: widths[k] + 2 - c.count) }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
