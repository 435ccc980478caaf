// Expected outputs, byte for byte. When a change is intended, the failing
// test writes the new output to /tmp/leakscope-golden-*.{json,md,jsonl}:
// review it and paste it here (Scripts-free: see /tmp/golden.py in the report).
enum Golden {
    static let recordJSON = #"""
    {
      "assumptions": [
        "Interface wg0 in s.pcapng is tunnel (name pattern wg*).",
        "Interface eth0 in s.pcapng is physical (link type beside Ethernet).",
        "VPN endpoint wireguard 203.0.113.1:51820 (WireGuard handshake initiation/response, frames 1/2 of s.pcapng).",
        "Host address 192.0.2.2 on eth0 (source of the carrier flow)."
      ],
      "bounds": {
        "evidence_items_omitted": 0,
        "findings_dropped": 0,
        "findings_with_frames_omitted": 0,
        "flows_refused": 0,
        "max_evidence_items": 256,
        "max_findings": 10000,
        "max_flows": 65536,
        "max_frames_per_finding": 1000,
        "max_pending_transactions": 4096,
        "model_bounds_hit": 0,
        "packets_in_dropped_findings": 0,
        "transactions_dropped": 0
      },
      "capture_notes": ["s.pcapng: the capturing system dropped 3 packets; evidence may be incomplete."],
      "evidence_capture": {
        "format": "pcapng",
        "frames": 3,
        "name": "leaks.pcapng",
        "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "size": 512
      },
      "exposed_public_addresses": [
        {
          "address": "198.51.100.2",
          "finding_id": "F1",
          "how": "XOR-MAPPED-ADDRESS from 203.0.113.10, frame 6",
          "path": "physical"
        }
      ],
      "files": [
        {
          "file": "s.pcapng",
          "packets": 8,
          "warnings": []
        }
      ],
      "findings": [
        {
          "bytes": 200,
          "class": "webrtc",
          "evidence": {
            "also_via_tunnel": true,
            "exposed_addresses": ["198.51.100.2:40000"],
            "software": ["\u001b[31mevil\u0007"],
            "stun_server": "203.0.113.10:3478",
            "transactions": [
              {
                "id": "a1b2c3d4e5f60718293a4b5c",
                "mapped_address": "198.51.100.2:40000",
                "request_frame": 5,
                "response_frame": 6
              }
            ]
          },
          "file": "s.pcapng",
          "file_index": 0,
          "first_ns": 1700000002000000000,
          "first_time": "2023-11-14T22:13:22.000000000Z",
          "frames": [5, 6],
          "frames_omitted": 0,
          "id": "F1",
          "interface": "eth0",
          "last_ns": 1700000002050000000,
          "last_time": "2023-11-14T22:13:22.050000000Z",
          "packets": 2,
          "severity": "high",
          "severity_reason": "rule of the fixture",
          "title": "STUN Binding to 203.0.113.10:3478 outside the tunnel revealed 198.51.100.2"
        },
        {
          "bytes": 80,
          "class": "dns",
          "evidence": {
            "queries": [
              {
                "frame": 7,
                "name": "<script>alert(1)</script>.example",
                "type": "A"
              }
            ],
            "resolver": "198.51.100.53:53"
          },
          "file": "s.pcapng",
          "file_index": 0,
          "first_ns": 1700000003000000000,
          "first_time": "2023-11-14T22:13:23.000000000Z",
          "frames": [7],
          "frames_omitted": 0,
          "id": "F2",
          "interface": "eth0",
          "last_ns": 1700000003000000000,
          "last_time": "2023-11-14T22:13:23.000000000Z",
          "packets": 1,
          "severity": "high",
          "severity_reason": "rule of the fixture",
          "title": "DNS query for <script>alert(1)</script>.example to 198.51.100.53 outside the tunnel"
        },
        {
          "bytes": 280,
          "class": "tunnel-failure",
          "evidence": {
            "end_ns": 1700000004000000000,
            "leaked_frames": [5, 6, 7],
            "start_ns": 1700000001500000000
          },
          "file": "s.pcapng",
          "file_index": 0,
          "first_ns": 1700000001500000000,
          "first_time": "2023-11-14T22:13:21.500000000Z",
          "frames": [5, 6, 7],
          "frames_omitted": 0,
          "id": "F3",
          "interface": "eth0",
          "last_ns": 1700000004000000000,
          "last_time": "2023-11-14T22:13:24.000000000Z",
          "packets": 3,
          "severity": "medium",
          "severity_reason": "rule of the fixture",
          "title": "Tunnel silent for 2.5 s while eth0 carried other traffic"
        }
      ],
      "frame_views": [
        {
          "captured_length": 20,
          "file": "s.pcapng",
          "finding": "F1",
          "frame": 5,
          "hex": "020000000001020000000002080045003c736372",
          "hex_truncated": false,
          "interface": "eth0",
          "layers": [
            {
              "fields": [
                {
                  "name": "src",
                  "value": "02:00:00:00:00:02"
                },
                {
                  "name": "dst",
                  "value": "02:00:00:00:00:01"
                }
              ],
              "name": "eth"
            }
          ],
          "link_type": "ether",
          "notes": ["ip: truncated"],
          "original_length": 20,
          "time": "2023-11-14T22:13:22Z",
          "time_ns": 1700000002000000000
        }
      ],
      "inputs": [
        {
          "capture": {
            "capturing_tool": "leakscope 0.1.0 (capture)",
            "damage": [],
            "dropped_packets": 3,
            "first_ns": 1700000000000000000,
            "first_time": "2023-11-14T22:13:20Z",
            "format": "pcapng",
            "interfaces": [
              {
                "addresses": ["10.8.0.2/32"],
                "id": 0,
                "link_type": "rawip",
                "link_type_code": 101,
                "name": "wg0",
                "packets": 2,
                "snaplen": 262144,
                "statistics": {
                  "isb_ifdrop": 0,
                  "isb_osdrop": 0
                }
              },
              {
                "addresses": ["192.0.2.2/24"],
                "id": 1,
                "link_type": "ether",
                "link_type_code": 1,
                "name": "eth0",
                "packets": 6,
                "snaplen": 262144,
                "statistics": {
                  "isb_ifdrop": 1,
                  "isb_osdrop": 2
                }
              }
            ],
            "last_ns": 1700000005000000000,
            "last_time": "2023-11-14T22:13:25Z",
            "link_types": ["rawip", "ether"],
            "packets": 8,
            "sections": [
              {
                "index": 0,
                "os": "Linux",
                "user_application": "leakscope 0.1.0 (capture)"
              }
            ]
          },
          "index": 0,
          "name": "s.pcapng",
          "path": "captures/s.pcapng",
          "sha256": "06db86ef5af70e06ea821e658ad31912d5de6b7427faaad74ad17d7ad2c5496a",
          "size": 1234
        }
      ],
      "invocation": {
        "arguments": ["leakscope", "analyze", "captures/s.pcapng", "--format", "json", "--deterministic"],
        "options": {
          "deterministic": true,
          "format": "json"
        }
      },
      "observations": [
        {
          "file": "s.pcapng",
          "frames": [8],
          "frames_omitted": 0,
          "interface": "eth0",
          "kind": "mdns",
          "names": ["1f2e3d4c.local"],
          "note": "multicast DNS on the link",
          "packets": 1
        }
      ],
      "packet_verdicts": {
        "carrier": 2,
        "leak": 3,
        "local": 1,
        "tunnel": 2
      },
      "schema_version": "1.5",
      "settings": {
        "group_gap_ns": 60000000000,
        "tunnel_gap_ns": 2000000000
      },
      "timeline": {
        "bucket_ns": 500000001,
        "buckets": 10,
        "end_ns": 1700000005000000000,
        "series": [
          {
            "all": [1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
            "file": "s.pcapng",
            "interface": "wg0",
            "interface_id": 0,
            "leaked": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            "role": "tunnel"
          },
          {
            "all": [2, 0, 0, 1, 1, 1, 0, 0, 0, 1],
            "file": "s.pcapng",
            "interface": "eth0",
            "interface_id": 1,
            "leaked": [0, 0, 0, 1, 1, 1, 0, 0, 0, 0],
            "role": "physical"
          }
        ],
        "spans": [
          {
            "end_ns": 1700000004000000000,
            "finding": "F3",
            "start_ns": 1700000001500000000
          }
        ],
        "start_ns": 1700000000000000000
      },
      "tool": {
        "name": "leakscope",
        "version": "0.1.0"
      },
      "totals": {
        "by_class": [
          {
            "bytes": 200,
            "class": "webrtc",
            "findings": 1,
            "high": 1,
            "low": 0,
            "medium": 0,
            "packets": 2
          },
          {
            "bytes": 80,
            "class": "dns",
            "findings": 1,
            "high": 1,
            "low": 0,
            "medium": 0,
            "packets": 1
          },
          {
            "bytes": 280,
            "class": "tunnel-failure",
            "findings": 1,
            "high": 0,
            "low": 0,
            "medium": 1,
            "packets": 3
          }
        ],
        "by_interface": [
          {
            "file": "s.pcapng",
            "findings": 0,
            "interface": "wg0",
            "interface_id": 0,
            "leaked_packets": 0,
            "packets": 2,
            "role": "tunnel"
          },
          {
            "file": "s.pcapng",
            "findings": 3,
            "interface": "eth0",
            "interface_id": 1,
            "leaked_packets": 3,
            "packets": 6,
            "role": "physical"
          }
        ],
        "by_severity": {
          "high": 2,
          "low": 0,
          "medium": 1
        },
        "findings": 3
      },
      "tunnel": {
        "host_addresses": [
          {
            "address": "192.0.2.2",
            "decided_by": "source of the carrier flow",
            "file": "s.pcapng",
            "interface": "eth0"
          }
        ],
        "interfaces": [
          {
            "decided_by": "name pattern wg*",
            "file": "s.pcapng",
            "id": 0,
            "link_type": "rawip",
            "name": "wg0",
            "packets": 2,
            "role": "tunnel"
          },
          {
            "decided_by": "link type beside Ethernet",
            "file": "s.pcapng",
            "id": 1,
            "link_type": "ether",
            "name": "eth0",
            "packets": 6,
            "role": "physical"
          }
        ],
        "vpn_endpoints": [
          {
            "address": "203.0.113.1",
            "decided_by": "WireGuard handshake initiation/response, frames 1/2 of s.pcapng",
            "port": 51820,
            "protocol": "wireguard",
            "transport": "udp"
          }
        ]
      },
      "verdict": {
        "reason": "2 high findings on eth0 outside the tunnel",
        "status": "leaks-found"
      }
    }

    """#

    static let markdown = #"""
    # LeakScope report: Leaks found

    **Verdict:** leaks-found — 2 high findings on eth0 outside the tunnel

    Traffic left a physical interface outside the VPN tunnel; the findings below name the frames.

    3 findings (2 high, 1 medium, 0 low) in s.pcapng.

    **What was analysed:** 1 file, 8 packets, 2023-11-14T22:13:20Z to 2023-11-14T22:13:25Z (5.000 s), 3 packets dropped by the capturing system, no damage.

    | File | Packets | Time span | Interfaces (role) | Drops | Damage |
    |---|---:|---|---|---:|---|
    | captures/s.pcapng (pcapng) | 8 | 2023-11-14T22:13:20Z to 2023-11-14T22:13:25Z (5.000 s) | wg0 tunnel (2 packets), eth0 physical (6 packets) | 3 | none |

    | Class | High | Medium | Low | Findings | Packets | Bytes |
    |---|---:|---:|---:|---:|---:|---:|
    | webrtc | 1 | 0 | 0 | 1 | 2 | 200 |
    | dns | 1 | 0 | 0 | 1 | 1 | 80 |
    | tunnel-failure | 0 | 1 | 0 | 1 | 3 | 280 |

    ## Real addresses exposed outside the tunnel

    | Address | Exposures | Ports | How | Findings |
    |---|---:|---|---|---|
    | 198.51.100.2 | 1 |  | XOR-MAPPED-ADDRESS from 203.0.113.10, frame 6 | F1 |

    ## File s.pcapng

    pcapng, 8 packets; 2023-11-14T22:13:20Z to 2023-11-14T22:13:25Z; captured with leakscope 0.1.0 (capture); 3 dropped

    ### F1 · webrtc · high: STUN Binding to 203.0.113.10:3478 outside the tunnel revealed 198.51.100.2

    > STUN/TURN messages (WebRTC) were sent on a physical interface, outside the tunnel. The STUN server, and through it the web page, learns the host's real public address; ICE connectivity checks open a peer-to-peer path around the VPN.

    - File s.pcapng, interface eth0
    - Time: 2023-11-14T22:13:22Z to 2023-11-14T22:13:22.050Z
    - Packets: 2, bytes: 200
    - Frames: 5, 6
    - Evidence:
      - also\_via\_tunnel: yes
      - exposed\_addresses: 198.51.100.2:40000
      - software: \u{1b}\[31mevil\u{7}
      - stun\_server: 203.0.113.10:3478
      - transactions:
        - id: a1b2c3d4e5f60718293a4b5c; mapped\_address: 198.51.100.2:40000; request\_frame: 5; response\_frame: 6

    ### F2 · dns · high: DNS query for &lt;script&gt;alert(1)&lt;/script&gt;.example to 198.51.100.53 outside the tunnel

    > Unicast DNS went to a resolver outside the tunnel. That resolver (often the ISP's) sees every name the host looks up; an EDNS Client Subnet option leaks the client's subnet even through a remote resolver.

    - File s.pcapng, interface eth0
    - Time: 2023-11-14T22:13:23Z to 2023-11-14T22:13:23Z
    - Packets: 1, bytes: 80
    - Frames: 7
    - Evidence:
      - queries:
        - frame: 7; name: &lt;script&gt;alert(1)&lt;/script&gt;.example; type: A
      - resolver: 198.51.100.53:53

    ### F3 · tunnel-failure · medium: Tunnel silent for 2.5 s while eth0 carried other traffic

    > The tunnel went quiet, reconnected, switched endpoint or vanished while traffic that used it (or new traffic) went out a physical interface: a failed kill switch or a reconnect gap. The leak window is when leaks happen.

    - File s.pcapng, interface eth0
    - Time: 2023-11-14T22:13:21.500Z to 2023-11-14T22:13:24Z
    - Packets: 3, bytes: 280
    - Frames: 5, 6, 7
    - Evidence:
      - end\_ns: 1700000004000000000
      - leaked\_frames: 5, 6, 7
      - start\_ns: 1700000001500000000

    ## Observations (not leaks)

    - file: s.pcapng; frames: 8; frames\_omitted: 0; interface: eth0; kind: mdns; names: 1f2e3d4c.local; note: multicast DNS on the link; packets: 1

    ## Provenance

    - Tool: leakscope 0.1.0, record schema 1.5
    - Analysed at: not recorded (--deterministic)
    - Command line: `leakscope analyze captures/s.pcapng --format json --deterministic`
    - Input s.pcapng: 1234 bytes, SHA-256 `06db86ef5af70e06ea821e658ad31912d5de6b7427faaad74ad17d7ad2c5496a`
    - Evidence capture leaks.pcapng: 3 frames, 512 bytes, SHA-256 `e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`
    - Assumption: Interface wg0 in s.pcapng is tunnel (name pattern wg\*).
    - Assumption: Interface eth0 in s.pcapng is physical (link type beside Ethernet).
    - Assumption: VPN endpoint wireguard 203.0.113.1:51820 (WireGuard handshake initiation/response, frames 1/2 of s.pcapng).
    - Assumption: Host address 192.0.2.2 on eth0 (source of the carrier flow).
    - Capture note: s.pcapng: the capturing system dropped 3 packets; evidence may be incomplete.

    """#

    static let jsonl = #"""
    {"@timestamp":"2023-11-14T22:13:22Z","destination":{"ip":"203.0.113.10","port":3478},"event":{"category":["network"],"dataset":"leakscope.finding","end":"2023-11-14T22:13:22.050Z","kind":"alert","module":"leakscope","reason":"STUN/TURN messages (WebRTC) were sent on a physical interface, outside the tunnel. The STUN server, and through it the web page, learns the host's real public address; ICE connectivity checks open a peer-to-peer path around the VPN.","severity":73,"start":"2023-11-14T22:13:22Z","type":["connection"]},"file":{"hash":{"sha256":"06db86ef5af70e06ea821e658ad31912d5de6b7427faaad74ad17d7ad2c5496a"},"name":"s.pcapng","path":"captures/s.pcapng","size":1234},"leakscope":{"bytes":200,"class":"webrtc","evidence":{"also_via_tunnel":true,"exposed_addresses":["198.51.100.2:40000"],"software":["\u001b[31mevil\u0007"],"stun_server":"203.0.113.10:3478","transactions":[{"id":"a1b2c3d4e5f60718293a4b5c","mapped_address":"198.51.100.2:40000","request_frame":5,"response_frame":6}]},"finding_id":"F1","first_ns":1700000002000000000,"frames":[5,6],"last_ns":1700000002050000000,"packets":2,"severity":"high","verdict":"leaks-found"},"message":"STUN Binding to 203.0.113.10:3478 outside the tunnel revealed 198.51.100.2","network":{"type":"ipv4"},"observer":{"ingress":{"interface":{"name":"eth0"}},"product":"leakscope","type":"analyzer","version":"0.1.0"},"related":{"ip":["192.0.2.2","198.51.100.2","203.0.113.10"]},"rule":{"category":"vpn-leak","description":"STUN/TURN messages (WebRTC) were sent on a physical interface, outside the tunnel. The STUN server, and through it the web page, learns the host's real public address; ICE connectivity checks open a peer-to-peer path around the VPN.","name":"webrtc"},"source":{"ip":"192.0.2.2"}}
    {"@timestamp":"2023-11-14T22:13:23Z","destination":{"ip":"198.51.100.53","port":53},"dns":{"question":{"name":"<script>alert(1)</script>.example","type":"A"}},"event":{"category":["network"],"dataset":"leakscope.finding","end":"2023-11-14T22:13:23Z","kind":"alert","module":"leakscope","reason":"Unicast DNS went to a resolver outside the tunnel. That resolver (often the ISP's) sees every name the host looks up; an EDNS Client Subnet option leaks the client's subnet even through a remote resolver.","severity":73,"start":"2023-11-14T22:13:23Z","type":["connection"]},"file":{"hash":{"sha256":"06db86ef5af70e06ea821e658ad31912d5de6b7427faaad74ad17d7ad2c5496a"},"name":"s.pcapng","path":"captures/s.pcapng","size":1234},"leakscope":{"bytes":80,"class":"dns","evidence":{"queries":[{"frame":7,"name":"<script>alert(1)</script>.example","type":"A"}],"resolver":"198.51.100.53:53"},"finding_id":"F2","first_ns":1700000003000000000,"frames":[7],"last_ns":1700000003000000000,"packets":1,"severity":"high","verdict":"leaks-found"},"message":"DNS query for <script>alert(1)</script>.example to 198.51.100.53 outside the tunnel","network":{"transport":"udp","type":"ipv4"},"observer":{"ingress":{"interface":{"name":"eth0"}},"product":"leakscope","type":"analyzer","version":"0.1.0"},"related":{"ip":["192.0.2.2","198.51.100.2","198.51.100.53"]},"rule":{"category":"vpn-leak","description":"Unicast DNS went to a resolver outside the tunnel. That resolver (often the ISP's) sees every name the host looks up; an EDNS Client Subnet option leaks the client's subnet even through a remote resolver.","name":"dns"},"source":{"ip":"192.0.2.2"}}
    {"@timestamp":"2023-11-14T22:13:21.500Z","event":{"category":["network"],"dataset":"leakscope.finding","end":"2023-11-14T22:13:24Z","kind":"alert","module":"leakscope","reason":"The tunnel went quiet, reconnected, switched endpoint or vanished while traffic that used it (or new traffic) went out a physical interface: a failed kill switch or a reconnect gap. The leak window is when leaks happen.","severity":47,"start":"2023-11-14T22:13:21.500Z","type":["connection"]},"file":{"hash":{"sha256":"06db86ef5af70e06ea821e658ad31912d5de6b7427faaad74ad17d7ad2c5496a"},"name":"s.pcapng","path":"captures/s.pcapng","size":1234},"leakscope":{"bytes":280,"class":"tunnel-failure","evidence":{"end_ns":1700000004000000000,"leaked_frames":[5,6,7],"start_ns":1700000001500000000},"finding_id":"F3","first_ns":1700000001500000000,"frames":[5,6,7],"last_ns":1700000004000000000,"packets":3,"severity":"medium","verdict":"leaks-found"},"message":"Tunnel silent for 2.5 s while eth0 carried other traffic","observer":{"ingress":{"interface":{"name":"eth0"}},"product":"leakscope","type":"analyzer","version":"0.1.0"},"related":{"ip":["198.51.100.2"]},"rule":{"category":"vpn-leak","description":"The tunnel went quiet, reconnected, switched endpoint or vanished while traffic that used it (or new traffic) went out a physical interface: a failed kill switch or a reconnect gap. The leak window is when leaks happen.","name":"tunnel-failure"}}

    """#
}
