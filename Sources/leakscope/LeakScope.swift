import ArgumentParser

@main
struct LeakScope: ParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "leakscope",
        abstract: "Find traffic that escaped a VPN tunnel, with packet evidence.",
        version: version,
        subcommands: [
            AnalyzeCommand.self,
            DissectCommand.self,
            CaptureCommand.self,
            InterfacesCommand.self,
            ProbeCommand.self,
            ReportCommand.self,
        ]
    )
}
