import OutputText
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import CaptureFiles
@testable import LiveCapture

/// The pcapng section comment of `leakscope capture`: argv[0] named as the
/// tool, secret option values hidden, arguments shell-quoted.
@Suite struct SectionCommentTests {
    func comment(_ argv: [String]) -> String {
        PcapNGWriter.Section.comment(tool: "leakscope", version: "0.1.0", host: "vm", commandLine: argv)
    }

    @Test func browserProbeTurnPasswordIsRedacted() {
        #expect(comment([
            "/work/wt-lab/.build/debug/leakscope", "capture", "-i", "eth0", "-w", "/tmp/a b.pcapng",
            "--browser", "chromium", "--probe-turn", "turn:turn.lab.test:3478?transport=udp",
            "--probe-turn-user", "lab", "--probe-turn-pass", "labpass", "--probe-mdns", "on",
        ]) == "leakscope 0.1.0 on vm: leakscope capture -i eth0 -w '/tmp/a b.pcapng' --browser chromium "
            + "--probe-turn 'turn:turn.lab.test:3478?transport=udp' --probe-turn-user lab --probe-turn-pass *** --probe-mdns on")
    }

    @Test func equalsFormAndQuotedValuesAreRedacted() {
        #expect(comment(["leakscope", "capture", "-i", "lo", "--probe-turn-pass=it's secret", "-w", "x.pcapng"])
            == "leakscope 0.1.0 on vm: leakscope capture -i lo --probe-turn-pass=*** -w x.pcapng")
    }

    @Test func secretOptionsOfTheCommandAfterTheTerminatorAreRedacted() {
        #expect(comment([
            "./leakscope", "capture", "-i", "lo", "-w", "p.pcapng", "--", "leakscope", "probe",
            "--stun", "stun:192.0.2.1:3478", "--turn-user", "lab", "--turn-pass", "labpass",
            "--api-token=abc", "--KEY", "k1", "--client-secret", "s e", "--passphrase", "pp", "--user", "bob",
        ]) == "leakscope 0.1.0 on vm: leakscope capture -i lo -w p.pcapng -- leakscope probe --stun stun:192.0.2.1:3478 "
            + "--turn-user lab --turn-pass *** --api-token=*** --KEY *** --client-secret *** --passphrase *** --user bob")
    }

    @Test func aFollowingLongOptionIsNotTakenAsTheValue() {
        // A value-less secret-looking option (or one at the end) hides nothing else.
        #expect(comment(["leakscope", "capture", "--no-key-check", "--duration", "5", "--turn-pass"])
            == "leakscope 0.1.0 on vm: leakscope capture --no-key-check --duration 5 --turn-pass")
    }

    @Test func ordinaryCommandLinesAreUnchanged() {
        #expect(comment(["/usr/local/bin/leakscope", "capture", "-i", "wg0", "-i", "eth0", "-w", "s.pcapng", "-f", "udp or tcp"])
            == "leakscope 0.1.0 on vm: leakscope capture -i wg0 -i eth0 -w s.pcapng -f 'udp or tcp'")
        #expect(comment([]) == "leakscope 0.1.0 on vm: leakscope")
    }

    @Test func redactionRules() {
        #expect(CommandLineText.redacted(["a", "--turn-pass", "p", "--x", "--token=t", "-", "--"])
            == ["a", "--turn-pass", "***", "--x", "--token=***", "-", "--"])
        #expect(CommandLineText.isSecretOption("--probe-turn-pass"))
        #expect(CommandLineText.isSecretOption("-Password"))
        #expect(CommandLineText.isSecretOption("--ssh-key=x"))
        #expect(!CommandLineText.isSecretOption("--probe-turn-user"))
        #expect(!CommandLineText.isSecretOption("passphrase"))  // a value, not an option
        #expect(!CommandLineText.isSecretOption("--"))
        #expect(!CommandLineText.isSecretOption("--user=keyholder"))  // only the name counts
    }

    @Test func spawnErrorsDoNotPrintSecrets() {
        #expect(throws: LiveCaptureError.spawn(command: "/nonexistent/lcap-cmd probe --turn-pass ***", errno: ENOENT)) {
            try CaptureCommand.start(["/nonexistent/lcap-cmd", "probe", "--turn-pass", "labpass"])
        }
    }

    /// The root tests' names (TestNames) fit Linux's 15-character interface names for any pid.
    @Test func testInterfaceNamesFitIFNAMSIZ() {
        for role in ["-va", "-vb", "tun"] { #expect(TestNames.interface(role, 9).utf8.count <= 15) }
        #expect("lcap-va\(99_999)x9".utf8.count == 14)
    }
}
