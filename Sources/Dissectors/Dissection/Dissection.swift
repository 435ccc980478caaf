/// Everything the dissector found in one frame: one slot per layer, filled in
/// place and reused for every packet (gopacket's DecodingLayerParser idea).
///
/// Nothing here owns bytes: views (`udp.payload`, `tcp.payload`, app views)
/// point into the packet or into the `Dissector`'s reassembly buffers, and are
/// valid only until the next call to `Dissector.dissect`. Copy out the values
/// you keep (addresses, ports, decoded fields), never the views.
public struct Dissection {
    // Frame metadata (copied from the Packet).
    public var frameNumber: Int = 0
    public var fileIndex: Int = 0
    public var interfaceID: Int = 0
    public var timestampNanoseconds: Int64 = 0
    public var originalLength: Int = 0
    public var capturedLength: Int = 0
    /// From the capture (pcapng flags), else from the SLL packet type (4 = outgoing, 0-3 = incoming).
    public var direction: PacketDirection = .unknown

    /// The link layer (always set; `kind == .unknown` when the link type is not decoded).
    public var link = LinkInfo()
    /// The outermost IP header.
    public var ip: IPInfo?
    /// The tunnelled IP header (6in4/6to4, IP-in-IP, Teredo, GRE, AYIYA), one level deep.
    public var innerIP: IPInfo?
    /// How `innerIP` was carried.
    public var tunnel: TunnelKind?
    /// UDP that carried a tunnel (Teredo 3544, AYIYA 5072): the outer ports.
    public var tunnelUDP: UDPInfo?
    /// The UDP header above the innermost decoded IP header.
    public var udp: UDPInfo?
    /// The TCP header above the innermost decoded IP header.
    public var tcp: TCPInfo?
    /// GRE protocol type when GRE was seen.
    public var greProtocol: UInt16?

    /// Application layers (see Dissection+App.swift).
    public var app = AppLayers()
    /// The packet an ICMPv4/ICMPv6 error quotes, read one level deep (IP header, ports, STUN/DNS ids).
    public var quoted: ICMPQuote?

    /// Layers found, in order, like tshark's frame.protocols (at most 24; more are counted in `protocols.dropped`).
    public var protocols = FixedList<24, Layer>(filler: .frame)
    /// What was malformed, truncated, or hit a bound (at most 8; more are counted in `notes.dropped`).
    public var notes = FixedList<8, WireError>(filler: .truncated(layer: .frame, offset: 0, needed: 0, available: 0))

    public init() {}

    /// Clears the slots for the next packet without touching inline storage.
    @inlinable public mutating func reset(for packet: Packet) {
        frameNumber = packet.frameNumber
        fileIndex = packet.fileIndex
        interfaceID = packet.interfaceID
        timestampNanoseconds = packet.timestampNanoseconds
        originalLength = packet.originalLength
        capturedLength = packet.capturedLength
        direction = packet.direction
        link.reset()
        // Only clear what is set: assigning nil to these optionals copies a whole empty payload.
        if ip != nil { ip = nil }
        if innerIP != nil { innerIP = nil }
        tunnel = nil
        if tunnelUDP != nil { tunnelUDP = nil }
        if udp != nil { udp = nil }
        if tcp != nil { tcp = nil }
        greProtocol = nil
        app.reset()
        if quoted != nil { quoted = nil }
        protocols.removeAll()
        notes.removeAll()
    }

    /// The innermost IP header (inner when tunnelled, else outer).
    @inlinable public var innermostIP: IPInfo? { innerIP ?? ip }

    /// True when `layer` is among `protocols` (compares names; not for the hot path).
    public func has(_ layer: Layer) -> Bool { protocols.contains { $0 == layer } }

    /// The protocols list joined with ":" like tshark's frame.protocols.
    public var protocolsString: String { protocols.map(\.name).joined(separator: ":") }
}
