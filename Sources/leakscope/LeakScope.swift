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
            ReportCommand.self,
            DiffCommand.self,
            DissectCommand.self,
            CaptureCommand.self,
            ProbeCommand.self,
            InterfacesCommand.self,
        ]
    )
}
