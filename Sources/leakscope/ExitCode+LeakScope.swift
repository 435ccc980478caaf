import ArgumentParser

/// LeakScope's exit codes (docs/exit-codes.md). CI jobs gate on them, so they
/// never change meaning.
extension ExitCode {
    /// Analysis finished; no finding at or above `--fail-on`.
    static let noLeak = ExitCode(0)
    /// Findings at or above `--fail-on`.
    static let leaksFound = ExitCode(1)
    /// The capture cannot show a leak (e.g. only tunnel interfaces were captured).
    static let cannotTell = ExitCode(2)
    /// Input damaged: read up to the damage, analysed what was there, no leak found in it.
    static let inputDamaged = ExitCode(3)
    /// Input unusable: missing, unreadable, not a capture.
    static let inputError = ExitCode(4)
    /// A runtime failure outside the input (cannot write output, capture failed, no privilege).
    static let runtimeError = ExitCode(5)
    // 64 (EX_USAGE): bad command line, from swift-argument-parser.
}
