import OutputText
import CaptureFiles
import ProcessSpawning

/// The command given after `--` (or the browser session): started through
/// ProcessSpawning with PATH lookup, the capture's standard streams, default
/// signal dispositions and an empty signal mask.
enum CaptureCommand {
    static func start(_ argv: [String]) throws(LiveCaptureError) -> SpawnedProcess {
        guard !argv.isEmpty else { throw .usage("empty command after --") }
        do {
            return try SpawnedProcess(argv, options: SpawnOptions(searchPath: true))
        } catch {
            // Only the redacted line goes into messages: the browser session's argv holds the TURN password.
            throw .spawn(command: CommandLineText.redacted(argv).joined(separator: " "), errno: error.errno)
        }
    }
}
