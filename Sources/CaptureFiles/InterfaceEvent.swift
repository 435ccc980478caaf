import OutputText
/// An interface that stopped during a live capture before the capture did:
/// it vanished (deleted, unplugged, a VPN tearing its tunnel down), went
/// down, or its handle failed. `leakscope capture` writes it as that
/// interface's Interface Statistics Block: `isb_endtime` is when it stopped,
/// `opt_comment` is `comment`; the analysis reads it back with
/// `init?(statistics:)` (a vanished tunnel is the kill-switch moment).
public struct InterfaceEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The interface no longer exists.
        case vanished
        /// The interface exists but is down.
        case wentDown = "went down"
        /// Reading failed for another reason.
        case failed
    }

    public var kind: Kind
    /// When the capture saw it stop (wall clock, ns since the epoch).
    public var timeNanoseconds: Int64
    /// What libpcap said.
    public var detail: String

    public init(kind: Kind, timeNanoseconds: Int64, detail: String) {
        self.kind = kind
        self.timeNanoseconds = timeNanoseconds
        self.detail = detail
    }

    /// libpcap's error text, classified.
    public init(libpcapError text: String, timeNanoseconds: Int64) {
        let t = text.lowercased()
        let kind: Kind = if t.contains("disappeared") || t.contains("no such device") || t.contains("enodev") {
            .vanished
        } else if t.contains("went down") || t.contains("network is down") || t.contains("not up") {
            .wentDown
        } else {
            .failed
        }
        self.init(kind: kind, timeNanoseconds: timeNanoseconds, detail: text)
    }

    static let prefix = "leakscope: interface "

    /// `leakscope: interface vanished at 2025-01-02T03:04:05.123456789Z: <detail>`
    public var comment: String {
        "\(Self.prefix)\(kind.rawValue) at \(ISO8601Nanoseconds.format(timeNanoseconds)): \(detail)"
    }

    /// The event an ISB records, when its comment is one (the time is `isb_endtime`).
    public init?(statistics s: InterfaceStatistics) {
        for c in s.comments where c.hasPrefix(Self.prefix) {
            let rest = c.dropFirst(Self.prefix.count)
            guard let kind = Kind.allCases.first(where: { rest.hasPrefix($0.rawValue + " at ") }) else { continue }
            let afterTime = rest.dropFirst(kind.rawValue.count + 4).drop { $0 != " " }
            let detail = afterTime.hasPrefix(" ") ? String(afterTime.dropFirst()) : ""
            self.init(kind: kind, timeNanoseconds: s.endTimeNanoseconds ?? s.timestampNanoseconds, detail: detail)
            return
        }
        return nil
    }
}
