import CaptureFiles
import JSONCoding
@testable import Correlation
import Testing

/// The per-flow state a flood of distinct flows fills (issue 11: hostile-flows in 64 MB):
/// its sizes, and that packing it loses nothing.
@Suite struct CompactStateTests {
    /// The sizes the memory bound was worked out with (docs/benchmarks.md, "stop 20"): a field
    /// added in the wrong place grows each of 131,072 table buckets or 153,600 cited keys.
    @Test func perFlowStateSizes() {
        #expect(MemoryLayout<Correlator.FlowKey>.stride == 64)
        #expect(MemoryLayout<Correlator.FlowState>.stride == 24)
        #expect(MemoryLayout<CitedFlowKey>.stride == 48)
        #expect(MemoryLayout<FlowTally>.stride == 72)
    }

    /// The record's flows, which every finding holds until the record is written (300 findings
    /// of 256 each in hostile-flows): typed ports and the small optionals declared last.
    @Test func recordFlowSizes() {
        #expect(MemoryLayout<FlowEvidence>.stride == 144)
        #expect(MemoryLayout<CitedFlow>.stride == 96)
    }

    /// Ports and ICMP type/code keep their full range through the typed fields, into the JSON.
    @Test func recordFlowsWriteTheirFullRange() throws {
        let f = CitedFlow(communityId: "1:x", protocol: "icmpv6", src: "2001:db8::1", dst: "2001:db8::2",
                          icmpType: 255, icmpCode: 0, firstFrame: 1, packets: 1)
        let e = FlowEvidence(protocol: "udp", src: "192.0.2.1", srcPort: 65535, dst: "192.0.2.2", dstPort: 0,
                             packets: 1, bytes: 0, firstFrame: 1)
        // Whitespace dropped: the encoder's layout is not what is tested.
        let fj = String(decoding: try JSONCoding.encode(f), as: UTF8.self).filter { !$0.isWhitespace }
        let ej = String(decoding: try JSONCoding.encode(e), as: UTF8.self).filter { !$0.isWhitespace }
        #expect(fj.contains("\"icmp_type\":255") && fj.contains("\"icmp_code\":0") && !fj.contains("port"))
        #expect(ej.contains("\"src_port\":65535") && ej.contains("\"dst_port\":0"))
    }

    /// The flow key gives back the interface it was made with, including an SLL2 interface
    /// index and the largest pcapng interface id.
    @Test func flowKeyKeepsItsInterface() {
        for iface in [InterfaceKey(fileIndex: 0, interfaceID: 0), InterfaceKey(fileIndex: 3, interfaceID: 7, interfaceIndex: 12),
                      InterfaceKey(fileIndex: 1, interfaceID: Int(UInt32.max), interfaceIndex: 0)] {
            let k = Correlator.FlowKey(interface: iface, ipProtocol: 17, host: .v4(0xC000_0202), hostPort: 40000,
                                       remote: .v6(0x2001_0db8_0000_0000, 1), remotePort: 443)
            #expect(k.interface == iface)
            #expect(k.host == .v4(0xC000_0202) && k.hostPort == 40000 && k.remotePort == 443 && k.ipProtocol == 17)
        }
        let a = Correlator.FlowKey(interface: InterfaceKey(fileIndex: 0, interfaceID: 1), ipProtocol: 6, host: .v4(1), hostPort: 1,
                                   remote: .v4(2), remotePort: 2)
        let b = Correlator.FlowKey(interface: InterfaceKey(fileIndex: 0, interfaceID: 1, interfaceIndex: 1), ipProtocol: 6,
                                   host: .v4(1), hostPort: 1, remote: .v4(2), remotePort: 2)
        #expect(a != b)
    }

    /// `hostSent` and `flowIndex` share a word: setting either leaves the other as it was.
    @Test func flowStateBitsAreIndependent() {
        var s = Correlator.FlowState(lastSeen: 5)
        #expect(s.flowIndex == nil && !s.hostSent && s.group == nil)
        s.hostSent = true
        #expect(s.hostSent && s.flowIndex == nil)
        s.flowIndex = 0
        #expect(s.hostSent && s.flowIndex == 0)
        s.flowIndex = 255
        s.hostSent = false
        #expect(!s.hostSent && s.flowIndex == 255)
        s.hostSent = true
        s.flowIndex = nil
        #expect(s.hostSent && s.flowIndex == nil)
        s.group = 70_000
        #expect(s.group == 70_000 && s.hostSent && s.lastSeen == 5)
    }

    /// A tally becomes the same `FlowEvidence` the correlator used to build on the flow's first
    /// packet: protocol names, ports only for TCP and UDP, the names beside it.
    @Test func tallyBecomesTheRecordsFlowEvidence() {
        let iface = InterfaceKey(fileIndex: 0, interfaceID: 0)
        let key = Correlator.FlowKey(interface: iface, ipProtocol: 0, host: .v4(0xC000_0202), hostPort: 40000,
                                     remote: .v4(0xCB00_710A), remotePort: 443)
        var t = FlowTally(key: key, ipProtocol: 6, firstFrame: 9)
        t.packets = 3; t.bytes = 180
        #expect(t.evidence(nil) == FlowEvidence(protocol: "tcp", src: "192.0.2.2", srcPort: 40000, dst: "203.0.113.10",
                                                dstPort: 443, packets: 3, bytes: 180, firstFrame: 9))
        let names = FlowNames(sni: "example.com", host: nil, dnsName: "example.com", dnsResponseFrame: 4)
        #expect(t.evidence(names) == FlowEvidence(protocol: "tcp", src: "192.0.2.2", srcPort: 40000, dst: "203.0.113.10",
                                                  dstPort: 443, packets: 3, bytes: 180, firstFrame: 9, sni: "example.com",
                                                  dnsName: "example.com", dnsResponseFrame: 4))
        for (p, name, ports) in [(17, "udp", true), (1, "icmp", false), (58, "icmpv6", false), (47, "ip-47", false)] as [(UInt8, String, Bool)] {
            let e = FlowTally(key: key, ipProtocol: p, firstFrame: 1).evidence(nil)
            #expect(e.protocol == name)
            #expect(e.srcPort == (ports ? 40000 : nil) && e.dstPort == (ports ? 443 : nil))
        }
    }
}
