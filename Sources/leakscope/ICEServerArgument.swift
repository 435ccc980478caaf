import ArgumentParser
import BrowserCandidates

/// `--stun stun:203.0.113.10:3478` (probe) and `--probe-stun` (capture): an ICE
/// server URL parsed once with the arguments (`ICEServerURL`, the parser the
/// join uses), so a bad value is a usage error naming the option before
/// anything starts. `text` is the value as given (with `?transport=`), which
/// the probe page hands to the browser.
struct STUNServerArgument: ExpressibleByArgument, Sendable {
    var url: ICEServerURL
    var text: String
    init?(argument: String) {
        guard let url = ICEServerURL(argument), !url.isTURN else { return nil }
        self.url = url
        text = argument
    }
}

/// `--turn turn:203.0.113.10:3478?transport=udp` (probe) and `--probe-turn` (capture).
struct TURNServerArgument: ExpressibleByArgument, Sendable {
    var url: ICEServerURL
    var text: String
    init?(argument: String) {
        guard let url = ICEServerURL(argument), url.isTURN else { return nil }
        self.url = url
        text = argument
    }
}
