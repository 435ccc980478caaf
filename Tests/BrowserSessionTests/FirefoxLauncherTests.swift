import Testing
@testable import BrowserSession

@Suite struct FirefoxLauncherTests {
    @Test func everyRoundWritesAllFiveWebRTCPreferences() {
        let ff = FirefoxLauncher(executable: "/usr/bin/firefox-esr")
        #expect(ff.webRTCSettings(policy: .default, mdns: true) == [
            "media.peerconnection.enabled=true",
            "media.peerconnection.ice.default_address_only=false",
            "media.peerconnection.ice.no_host=false",
            "media.peerconnection.ice.proxy_only=false",
            "media.peerconnection.ice.obfuscate_host_addresses=true",
        ])
        #expect(ff.webRTCSettings(policy: .noHost, mdns: false).filter { $0.hasSuffix("=true") }
                == ["media.peerconnection.enabled=true", "media.peerconnection.ice.no_host=true"])
        #expect(ff.webRTCSettings(policy: .defaultAddressOnly, mdns: true).contains("media.peerconnection.ice.default_address_only=true"))
        #expect(ff.webRTCSettings(policy: .proxyOnly, mdns: true).contains("media.peerconnection.ice.proxy_only=true"))
        #expect(ff.webRTCSettings(policy: .disabled, mdns: true).first == "media.peerconnection.enabled=false")
    }

    @Test func userJSHoldsQuietAndRoundPreferences() {
        let js = FirefoxLauncher.userJS(policy: .noHost, mdns: false)
        #expect(js.contains(#"user_pref("media.peerconnection.ice.no_host", true);"#))
        #expect(js.contains(#"user_pref("media.peerconnection.ice.obfuscate_host_addresses", false);"#))
        #expect(js.contains(#"user_pref("network.trr.mode", 5);"#))
        #expect(js.contains(#"user_pref("network.dns.localDomains", "firefox.settings.services.mozilla.com,firefox-settings-attachments.cdn.mozilla.net,incoming.telemetry.mozilla.org,content-signature-2.cdn.mozilla.net");"#))
        #expect(js.contains(#"user_pref("services.settings.server", "data:,#remote-settings-dummy/v1");"#))
        // Every line is one user_pref call; no preference is written twice.
        let lines = js.split(separator: "\n")
        #expect(lines.allSatisfy { $0.hasPrefix("user_pref(\"") && $0.hasSuffix(");") })
        let names = lines.map { $0.split(separator: "\"")[1] }
        #expect(Set(names).count == names.count)
        #expect(FirefoxLauncher.Preference.string("a\"b\\c\u{1}").description == #""a\"b\\c\u0001""#)
    }

    @Test func argumentsAreHeadlessWithAFreshProfile() {
        let args = FirefoxLauncher(executable: "/usr/bin/firefox-esr").arguments(url: "http://127.0.0.1:1/", profileDirectory: "/tmp/p")
        #expect(args == ["--headless", "--no-remote", "--new-instance", "--profile", "/tmp/p", "http://127.0.0.1:1/"])
    }

    @Test func policiesBelongToTheirBrowser() throws {
        #expect(WebRTCPolicy.all(for: .chromium).map(\.rawValue)
                == ["default", "default_public_interface_only", "default_public_and_private_interfaces", "disable_non_proxied_udp"])
        #expect(WebRTCPolicy.all(for: .firefox).map(\.rawValue)
                == ["default", "default_address_only", "no_host", "proxy_only", "disabled"])
        #expect(throws: LaunchError.self) { try FirefoxLauncher(executable: "/nonexistent").launch(url: "x", policy: .disableNonProxiedUDP) }
        #expect(throws: LaunchError.self) { try ChromiumLauncher(executable: "/nonexistent").launch(url: "x", policy: .noHost) }
    }

    @Test func versionsAndUserAgents() {
        #expect(BrowserVersion.parse("Mozilla Firefox 153.8.0esr\n") == "153.8.0esr")
        #expect(BrowserVersion.parse("Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)\n") == "156.0.8078.114")
        #expect(BrowserVersion.parse("no version here") == nil)
        #expect(ProbeSession.browserName(fromUserAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0")
                == "Firefox/153.0")
        #expect(ProbeSession.browserName(fromUserAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36")
                == "HeadlessChrome/156.0.0.0")
    }

    @Test func aMissingBrowserIsALaunchErrorAndLeavesNoProfile() throws {
        #expect(throws: LaunchError.self) { try FirefoxLauncher(executable: "/nonexistent/firefox").launch(url: "http://127.0.0.1:1/") }
        #expect(FirefoxLauncher(executable: "/nonexistent/firefox").version() == nil)
    }
}
