/// Protocols tokens the dissector emits beyond the shared list (names follow tshark's frame.protocols).
extension Layer {
    public static let raw = Layer(rawValue: "raw")
    public static let ipv6HopOpts = Layer(rawValue: "ipv6.hopopts")
    public static let ipv6Routing = Layer(rawValue: "ipv6.routing")
    public static let ipv6FragHdr = Layer(rawValue: "ipv6.fraghdr")
    public static let ipv6DstOpts = Layer(rawValue: "ipv6.dstopts")
    public static let ipv6Experimental = Layer(rawValue: "ipv6.experimental")
    public static let mipv6 = Layer(rawValue: "mipv6")
    public static let hip = Layer(rawValue: "hip")
    public static let shim6 = Layer(rawValue: "shim6")
    public static let ayiya = Layer(rawValue: "ayiya")
    public static let gtp = Layer(rawValue: "gtp")
    public static let ipip = Layer(rawValue: "ipip")
    public static let data = Layer(rawValue: "data")
}
