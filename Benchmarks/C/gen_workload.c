/* Seeded, deterministic capture workloads for Scripts/bench-analyze (docs/benchmarks.md).

     cc -O2 -o gen_workload gen_workload.c
     ./gen_workload SHAPE COUNT SEED OUT TRUTH.json

   Benign shapes (COUNT = packets on the physical interface):
     vpn       classic pcap (Ethernet, microseconds) of a WireGuard session: one handshake,
               ~99% type-4 data messages (stable receiver index per direction, increasing
               counters, 32 + 16n bytes, both directions of one 5-tuple, keepalives), ~1%
               leaks (DNS to an outside resolver, STUN Binding, TURN Allocate, IPv6 TCP).
     vpn-nohs  the same session without the handshake (a capture started mid-session).
     vpn2if    the same session as pcapng: eth0 (Ethernet) + wg0 (raw IP, the inner packets
               of the carrier, 25 us before/after their outer packet).
   Hostile shapes (classic pcap; COUNT = hostile units; a handshake first and a carrier
   packet after every 9 hostile ones, 20 us apart):
     flows     one UDP packet (a uTP SYN) per distinct 5-tuple;
     frags     IPv6 first fragments (offset 0, M=1, distinct ids) that never complete;
     stun      Binding requests with distinct transaction ids (every 2nd answered);
     dns       queries for distinct names (every 2nd answered, NXDOMAIN).

   The session depends on SEED only; COUNT cuts it, so a smaller file is a prefix of a
   larger one with the same seed. TRUTH gets what was written (packets, bytes, and the
   verdicts LeakScope must give). Addresses are documentation ranges only. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_VERSION 1

/* ---- random numbers: xoshiro256** seeded by splitmix64 ---- */
static uint64_t rs[4];
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t rnd(void) {
    uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
    rs[2] ^= rs[0]; rs[3] ^= rs[1]; rs[1] ^= rs[2]; rs[0] ^= rs[3]; rs[2] ^= t; rs[3] = rotl(rs[3], 45);
    return r;
}
static void seed_rng(uint64_t seed) {
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull; z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        rs[i] = z ^ (z >> 31);
    }
}
static double unif(void) { return (rnd() >> 11) * 0x1.0p-53; }
static uint32_t below(uint32_t n) { return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32); }

/* Encrypted payloads and random-looking bytes come from this pool (filled once). */
#define POOL (1 << 20)
static uint8_t pool[POOL + 2048];
static const uint8_t *pool_at(uint64_t k) { return pool + (k * 2654435761u) % POOL; }

/* ---- bytes ---- */
static void put16(uint8_t *p, uint32_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static void le16(uint8_t *p, uint32_t v) { p[0] = v; p[1] = v >> 8; }
static void le32(uint8_t *p, uint32_t v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }
static void le64(uint8_t *p, uint64_t v) { le32(p, (uint32_t)v); le32(p + 4, (uint32_t)(v >> 32)); }
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s) {
    for (; n > 1; p += 2, n -= 2) s += (uint32_t)(p[0] << 8 | p[1]);
    if (n) s += (uint32_t)p[0] << 8;
    return s;
}
static uint16_t fold(uint32_t s) { while (s >> 16) s = (s & 0xffff) + (s >> 16); return (uint16_t)~s; }
static uint32_t crc32(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    while (n--) { c ^= *p++; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & -(c & 1)); }
    return ~c;
}

/* ---- the network (documentation ranges) ---- */
#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
static const uint32_t HOST4 = IP4(192, 0, 2, 2), ENDPOINT4 = IP4(203, 0, 113, 1), RESOLVER4 = IP4(198, 51, 100, 53),
                      STUN4 = IP4(203, 0, 113, 10), TURN4 = IP4(203, 0, 113, 20), PUBLIC4 = IP4(198, 51, 100, 2),
                      TUN4 = IP4(10, 66, 0, 2);
static const uint16_t HOST_WG_PORT = 40001, WG_PORT = 51820;
static const uint8_t HOST_MAC[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x02}, GW_MAC[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
static uint8_t host6[16], server6[8][16];

enum { OUT = 1, IN = 0 };
enum { L2 = 14 };

static void ethernet(uint8_t *f, int out, uint16_t type) {
    memcpy(f, out ? GW_MAC : HOST_MAC, 6); memcpy(f + 6, out ? HOST_MAC : GW_MAC, 6); put16(f + 12, type);
}
/* IPv4 header at p for a payload of plen bytes already at p+20. */
static void ipv4(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto, size_t plen, uint16_t id, uint8_t ttl) {
    p[0] = 0x45; p[1] = 0; put16(p + 2, (uint32_t)(20 + plen)); put16(p + 4, id); put16(p + 6, 0x4000);
    p[8] = ttl; p[9] = proto; put16(p + 10, 0); put32(p + 12, src); put32(p + 16, dst);
    put16(p + 10, fold(sum16(p, 20, 0)));
}
static void ipv6(uint8_t *p, const uint8_t *src, const uint8_t *dst, uint8_t next, size_t plen, uint32_t label) {
    put32(p, 0x60000000u | (label & 0xFFFFF)); put16(p + 4, (uint32_t)plen); p[6] = next; p[7] = 64;
    memcpy(p + 8, src, 16); memcpy(p + 24, dst, 16);
}
/* Transport checksum (UDP or TCP) over the pseudo header; l4 points at the segment. */
static void l4sum4(uint8_t *l4, size_t n, uint32_t src, uint32_t dst, uint8_t proto, int off) {
    uint32_t s = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + (uint32_t)n;
    l4[off] = l4[off + 1] = 0;
    uint16_t c = fold(sum16(l4, n, s));
    put16(l4 + off, proto == 17 && c == 0 ? 0xffff : c);
}
static void l4sum6(uint8_t *l4, size_t n, const uint8_t *src, const uint8_t *dst, uint8_t proto, int off) {
    uint32_t s = sum16(src, 16, 0); s = sum16(dst, 16, s); s += (uint32_t)n + proto;
    l4[off] = l4[off + 1] = 0;
    uint16_t c = fold(sum16(l4, n, s));
    put16(l4 + off, proto == 17 && c == 0 ? 0xffff : c);
}
/* Ethernet + IPv4 + UDP around the plen payload bytes at f+42; returns the frame length. */
static uint32_t udp4(uint8_t *f, int out, uint32_t a, uint16_t ap, uint32_t b, uint16_t bp, size_t plen, uint16_t id) {
    uint32_t src = out ? a : b, dst = out ? b : a; uint16_t sp = out ? ap : bp, dp = out ? bp : ap;
    ethernet(f, out, 0x0800);
    uint8_t *u = f + L2 + 20;
    put16(u, sp); put16(u + 2, dp); put16(u + 4, (uint32_t)(8 + plen));
    l4sum4(u, 8 + plen, src, dst, 17, 6);
    ipv4(f + L2, src, dst, 17, 8 + plen, id, out ? 64 : 52);
    return (uint32_t)(L2 + 28 + plen);
}

/* ---- capture output ---- */
static FILE *out;
static int pcapng, hostile;
static uint64_t phys_limit, phys, tun, caplen_sum, last_t, first_t;
enum { C_CARRIER, C_DNS, C_WEBRTC, C_IPV6, C_TRAFFIC, C_TUNNEL, C_N };
static uint64_t cat_count[C_N];
static const char *cat_name[C_N] = {"carrier", "dns", "webrtc", "ipv6", "traffic", "tunnel"};

static void pad4(uint32_t n) { static const uint8_t z[4]; if (n & 3) fwrite(z, 1, 4 - (n & 3), out); }
static void block(uint32_t type, const uint8_t *body, uint32_t n) {
    uint8_t h[8]; uint32_t total = 12 + ((n + 3) & ~3u);
    le32(h, type); le32(h + 4, total); fwrite(h, 1, 8, out); fwrite(body, 1, n, out); pad4(n); fwrite(h + 4, 1, 4, out);
}
static uint32_t opt(uint8_t *p, uint16_t code, const void *v, uint16_t n) {
    le16(p, code); le16(p + 2, n); memcpy(p + 4, v, n); uint32_t m = (n + 3) & ~3u; memset(p + 4 + n, 0, m - n);
    return 4 + m;
}
static void write_header(void) {
    if (!pcapng) {
        uint8_t h[24]; le32(h, 0xa1b2c3d4); le16(h + 4, 2); le16(h + 6, 4); le32(h + 8, 0); le32(h + 12, 0);
        le32(h + 16, 262144); le32(h + 20, 1); fwrite(h, 1, 24, out);
        return;
    }
    uint8_t b[256]; uint32_t n = 0;
    le32(b, 0x1A2B3C4D); le16(b + 4, 1); le16(b + 6, 0); memset(b + 8, 0xff, 8); n = 16;
    n += opt(b + n, 4, "leakscope gen_workload", 22); n += opt(b + n, 0, "", 0);
    block(0x0A0D0D0A, b, n);
    const char *names[2] = {"eth0", "wg0"}; uint16_t links[2] = {1, 101};
    for (int i = 0; i < 2; i++) {
        le16(b, links[i]); le16(b + 2, 0); le32(b + 4, 262144); n = 8;
        n += opt(b + n, 2, names[i], (uint16_t)strlen(names[i]));
        uint8_t res = 6; n += opt(b + n, 9, &res, 1); n += opt(b + n, 0, "", 0);
        block(1, b, n);
    }
}
static void write_trailer(void) {
    if (!pcapng) return;
    uint64_t recv[2] = {phys, tun};
    for (int i = 0; i < 2; i++) {  /* interface statistics, as dumpcap writes them at the end */
        uint8_t b[96], v[8]; uint32_t n = 0; uint64_t us = last_t / 1000;
        le32(b, i); le32(b + 4, (uint32_t)(us >> 32)); le32(b + 8, (uint32_t)us); n = 12;
        uint64_t s = first_t / 1000; le32(v, (uint32_t)(s >> 32)); le32(v + 4, (uint32_t)s); n += opt(b + n, 2, v, 8);
        le32(v, (uint32_t)(us >> 32)); le32(v + 4, (uint32_t)us); n += opt(b + n, 3, v, 8);
        le64(v, recv[i]); n += opt(b + n, 4, v, 8);
        le64(v, 0); n += opt(b + n, 5, v, 8);
        n += opt(b + n, 0, "", 0);
        block(5, b, n);
    }
}
/* Writes one packet: interface 0 = physical (Ethernet), 1 = tunnel (raw IP, pcapng only).
   Physical packets past COUNT, and anything after it, are dropped. */
static void emit(uint64_t t, int iface, const uint8_t *f, uint32_t n, int cat) {
    if (phys >= phys_limit || (iface == 1 && !pcapng)) return;
    if (t < last_t) t = last_t; /* never backwards */
    if (phys + tun == 0) first_t = t;
    last_t = t;
    uint64_t us = t / 1000;
    if (!pcapng) {
        uint8_t h[16]; le32(h, (uint32_t)(us / 1000000)); le32(h + 4, (uint32_t)(us % 1000000)); le32(h + 8, n); le32(h + 12, n);
        fwrite(h, 1, 16, out); fwrite(f, 1, n, out);
    } else {
        uint8_t h[28]; le32(h, 6); le32(h + 4, 32 + ((n + 3) & ~3u)); le32(h + 8, iface);
        le32(h + 12, (uint32_t)(us >> 32)); le32(h + 16, (uint32_t)us); le32(h + 20, n); le32(h + 24, n);
        fwrite(h, 1, 28, out); fwrite(f, 1, n, out); pad4(n); fwrite(h + 4, 1, 4, out);
    }
    if (iface == 0) phys++; else tun++;
    caplen_sum += n; cat_count[cat]++;
}

/* Packets due later (responses), emitted in time order before anything later. */
#define QMAX 512
static struct pend { uint64_t t, seq; int iface, cat; uint32_t n; uint8_t f[1600]; } q[QMAX];
static int qn; static uint64_t qseq;
static uint8_t *later(uint64_t t, int iface, int cat) {
    if (qn == QMAX) { fprintf(stderr, "gen_workload: queue full\n"); exit(1); }
    struct pend *p = &q[qn++]; p->t = t; p->seq = qseq++; p->iface = iface; p->cat = cat;
    return p->f;
}
static void later_len(uint32_t n) { q[qn - 1].n = n; }
static void flush_until(uint64_t t) {
    for (;;) {
        int best = -1;
        for (int i = 0; i < qn; i++)
            if (q[i].t <= t && (best < 0 || q[i].t < q[best].t || (q[i].t == q[best].t && q[i].seq < q[best].seq))) best = i;
        if (best < 0) return;
        emit(q[best].t, q[best].iface, q[best].f, q[best].n, q[best].cat);
        q[best] = q[--qn];
    }
}

/* ---- WireGuard carrier ---- */
static uint32_t host_index, peer_index;
static uint64_t ctr_out, ctr_in;
static uint16_t ipid_out, ipid_in;
static uint64_t carrier_seq;

/* Type-4 data message carrying an inner packet of inner_len bytes (0 = keepalive). */
static uint32_t wg_data(uint8_t *f, int dir, uint32_t inner_len) {
    uint8_t *w = f + L2 + 28;
    uint32_t padded = (inner_len + 15) & ~15u;
    w[0] = 4; w[1] = w[2] = w[3] = 0;
    le32(w + 4, dir == OUT ? peer_index : host_index);
    le64(w + 8, dir == OUT ? ctr_out++ : ctr_in++);
    memcpy(w + 16, pool_at(carrier_seq++), padded + 16);
    return udp4(f, dir, HOST4, HOST_WG_PORT, ENDPOINT4, WG_PORT, 32 + padded, dir == OUT ? ipid_out++ : ipid_in++);
}
static void wg_handshake(uint64_t t) {
    uint8_t f[256];
    uint8_t *w = f + L2 + 28;
    memset(w, 0, 148); w[0] = 1; le32(w + 4, host_index); memcpy(w + 8, pool_at(rnd()), 140);
    memset(w + 132, 0, 16); /* mac2 is zero without a cookie */
    emit(t, 0, f, udp4(f, OUT, HOST4, HOST_WG_PORT, ENDPOINT4, WG_PORT, 148, ipid_out++), C_CARRIER);
    memset(w, 0, 92); w[0] = 2; le32(w + 4, peer_index); le32(w + 8, host_index); memcpy(w + 12, pool_at(rnd()), 64);
    emit(t + 23000000, 0, f, udp4(f, IN, HOST4, HOST_WG_PORT, ENDPOINT4, WG_PORT, 92, ipid_in++), C_CARRIER);
}

/* Inner packets (what wg0 sees): TCP to a few HTTPS servers, UDP media; no randomness used,
   so the classic pcap and the pcapng are the same session. */
static uint32_t tcp_seq[2][4], inner_id[2];
static uint32_t inner_packet(uint8_t *p, int dir, int kind, uint32_t len) {
    int flow = (int)((carrier_seq >> 10) & 3);
    uint32_t server = IP4(198, 51, 100, 80 + flow);
    uint32_t src = dir == OUT ? TUN4 : server, dst = dir == OUT ? server : TUN4;
    uint8_t *l4 = p + 20;
    if (kind == 1) { /* UDP media */
        uint32_t m = IP4(198, 51, 100, 90); src = dir == OUT ? TUN4 : m; dst = dir == OUT ? m : TUN4;
        put16(l4, dir == OUT ? 50100 : 3480); put16(l4 + 2, dir == OUT ? 3480 : 50100); put16(l4 + 4, len - 20);
        uint8_t *rtp = l4 + 8; /* SRTP: RTP v2 header, Opus, then ciphertext */
        memcpy(rtp, pool_at(carrier_seq * 7), len - 28);
        rtp[0] = 0x80; rtp[1] = 111; put16(rtp + 2, (uint32_t)carrier_seq); put32(rtp + 4, (uint32_t)carrier_seq * 960);
        put32(rtp + 8, dir == OUT ? 0x1234abcd : 0x5678ef01);
        l4sum4(l4, len - 20, src, dst, 17, 6);
        ipv4(p, src, dst, 17, len - 20, (uint16_t)inner_id[dir]++, dir == OUT ? 64 : 58);
        return len;
    }
    uint32_t data = len - 52;
    put16(l4, dir == OUT ? 50000 + flow : 443); put16(l4 + 2, dir == OUT ? 443 : 50000 + flow);
    put32(l4 + 4, tcp_seq[dir][flow]); put32(l4 + 8, tcp_seq[!dir][flow]);
    tcp_seq[dir][flow] += data;
    l4[12] = 8 << 4; l4[13] = data ? 0x18 : 0x10; put16(l4 + 14, 502); put16(l4 + 18, 0);
    l4[20] = 1; l4[21] = 1; l4[22] = 8; l4[23] = 10; put32(l4 + 24, (uint32_t)(carrier_seq * 3)); put32(l4 + 28, (uint32_t)(carrier_seq * 3 - 40));
    memcpy(l4 + 32, pool_at(carrier_seq * 5), data);
    l4sum4(l4, len - 20, src, dst, 6, 16);
    ipv4(p, src, dst, 6, len - 20, (uint16_t)inner_id[dir]++, dir == OUT ? 64 : 58);
    return len;
}

/* One carrier packet at time t, with its inner packet on wg0 (pcapng). */
static void carrier(uint64_t t) {
    int dir = unif() < 0.55 ? IN : OUT;
    double k = unif();
    int kind; uint32_t len;
    /* Inbound: downloads and media; outbound: mostly ACKs. Tuned for ~190 bytes/packet on the wire. */
    double full = dir == IN ? 0.018 : 0.003, medium = dir == IN ? 0.035 : 0.02, small = dir == IN ? 0.22 : 0.20;
    if (k < full) { kind = 2; len = 1420; }
    else if (k < full + medium) { kind = 2; len = 52 + 160 + below(400); }
    else if (k < full + medium + small) { kind = 1; len = 28 + 40 + below(120); }
    else { kind = 0; len = 52; }
    uint8_t f[1600], inner[1600];
    uint32_t n = wg_data(f, dir, len);
    uint32_t m = pcapng ? inner_packet(inner, dir, kind, len) : 0;
    if (dir == OUT) {
        flush_until(t); emit(t, 1, inner, m, C_TUNNEL);
        flush_until(t + 25000); emit(t + 25000, 0, f, n, C_CARRIER);
    } else {
        flush_until(t); emit(t, 0, f, n, C_CARRIER);
        flush_until(t + 25000); emit(t + 25000, 1, inner, m, C_TUNNEL);
    }
}
static void keepalive(uint64_t t, int dir) {
    uint8_t f[128]; uint32_t n = wg_data(f, dir, 0);
    flush_until(t); emit(t, 0, f, n, C_CARRIER);
}

/* ---- leaks ---- */
static char names[300][64];
static void make_names(void) {
    static const char *label[] = {"www", "api", "cdn", "img", "static", "login", "mail", "news", "video", "chat", "media", "push", "telemetry", "update", "auth", "ws"};
    static const char *domain[] = {"example.com", "example.net", "example.org", "shop.test", "social.test", "video.test", "news.test", "maps.test"};
    for (int i = 0; i < 300; i++) {
        int d = below(3);
        if (d == 0) snprintf(names[i], 64, "%s.%s", label[below(16)], domain[below(8)]);
        else snprintf(names[i], 64, "%s%u.%s", label[below(16)], below(40), domain[below(8)]);
    }
}
static size_t dns_name(uint8_t *p, const char *name) {
    size_t n = 0;
    while (*name) {
        const char *dot = strchr(name, '.'); size_t l = dot ? (size_t)(dot - name) : strlen(name);
        p[n++] = (uint8_t)l; memcpy(p + n, name, l); n += l; name += l + (dot ? 1 : 0);
    }
    p[n++] = 0; return n;
}
/* A DNS query (and, when answered, its response `rtt` later, rcode 0 with the name's address or NXDOMAIN). */
static void dns(uint64_t t, const char *name, int aaaa, uint32_t addr_seed, int answered, int nxdomain, uint64_t rtt) {
    uint8_t f[600]; uint8_t *d = f + L2 + 28;
    uint16_t id = (uint16_t)rnd(), port = (uint16_t)(32768 + below(28000));
    put16(d, id); put16(d + 2, 0x0100); put16(d + 4, 1); put16(d + 6, 0); put16(d + 8, 0); put16(d + 10, 0);
    size_t n = 12 + dns_name(d + 12, name);
    put16(d + n, aaaa ? 28 : 1); put16(d + n + 2, 1); n += 4;
    flush_until(t); emit(t, 0, f, udp4(f, OUT, HOST4, port, RESOLVER4, 53, n, ipid_out++), C_DNS);
    if (!answered) return;
    uint8_t *r = later(t + rtt, 0, C_DNS), *rd = r + L2 + 28;
    memcpy(rd, d, n);
    put16(rd + 2, nxdomain ? 0x8183 : 0x8180);
    size_t m = n;
    if (!nxdomain) {
        int answers = 1 + (addr_seed & 1);
        put16(rd + 6, answers);
        for (int a = 0; a < answers; a++) {
            put16(rd + m, 0xC00C); put16(rd + m + 2, aaaa ? 28 : 1); put16(rd + m + 4, 1); put32(rd + m + 6, 300);
            m += 10;
            if (aaaa) { put16(rd + m, 16); memcpy(rd + m + 2, server6[(addr_seed + a) & 7], 16); m += 18; }
            else { put16(rd + m, 4); put32(rd + m + 2, IP4(203, 0, 113, 100 + (addr_seed + a) % 100)); m += 6; }
        }
    }
    later_len(udp4(r, IN, HOST4, port, RESOLVER4, 53, m, ipid_in++));
}
static size_t stun_attr(uint8_t *p, uint16_t type, const void *v, uint16_t n) {
    put16(p, type); put16(p + 2, n); memcpy(p + 4, v, n); size_t m = (n + 3) & ~3u; memset(p + 4 + n, 0, m - n);
    return 4 + m;
}
static size_t xor_addr(uint8_t *p, uint16_t type, uint32_t addr, uint16_t port) {
    uint8_t v[8] = {0, 1}; put16(v + 2, port ^ 0x2112); put32(v + 4, addr ^ 0x2112A442u);
    return stun_attr(p, type, v, 8);
}
/* STUN header at p with attributes already after it (alen bytes); FINGERPRINT appended. */
static size_t stun_finish(uint8_t *p, uint16_t type, const uint8_t tid[12], size_t alen, int fingerprint) {
    put16(p, type); put32(p + 4, 0x2112A442u); memcpy(p + 8, tid, 12);
    if (fingerprint) {
        put16(p + 2, (uint32_t)(alen + 8));
        uint8_t v[4]; put32(v, crc32(p, 20 + alen) ^ 0x5354554eu);
        alen += stun_attr(p + 20 + alen, 0x8028, v, 4);
    }
    put16(p + 2, (uint32_t)alen);
    return 20 + alen;
}
static void stun_binding(uint64_t t, uint32_t server, uint16_t port, int answered, uint64_t rtt) {
    uint8_t f[300], tid[12]; uint8_t *s = f + L2 + 28;
    memcpy(tid, pool_at(rnd()), 12);
    size_t n = stun_finish(s, 0x0001, tid, 0, 0);
    flush_until(t); emit(t, 0, f, udp4(f, OUT, HOST4, port, server, 3478, n, ipid_out++), C_WEBRTC);
    if (!answered) return;
    uint8_t *r = later(t + rtt, 0, C_WEBRTC), *rs_ = r + L2 + 28 + 20;
    size_t a = xor_addr(rs_, 0x0020, PUBLIC4, (uint16_t)(port + 1000));
    a += stun_attr(rs_ + a, 0x8022, "Coturn-4.6.1", 12);
    later_len(udp4(r, IN, HOST4, port, server, 3478, stun_finish(r + L2 + 28, 0x0101, tid, a, 1), ipid_in++));
}
static void turn_allocate(uint64_t t, uint64_t rtt) {
    uint16_t port = (uint16_t)(50000 + below(10000));
    uint8_t tid1[12], tid2[12], tr[4] = {17, 0, 0, 0}, nonce[16], mi[20];
    memcpy(tid1, pool_at(rnd()), 12); memcpy(tid2, pool_at(rnd()), 12);
    for (int i = 0; i < 16; i++) nonce[i] = "0123456789abcdef"[below(16)];
    memcpy(mi, pool_at(rnd()), 20);
    uint8_t f[400]; uint8_t *s = f + L2 + 28; size_t a;
    a = stun_attr(s + 20, 0x0019, tr, 4);
    flush_until(t); emit(t, 0, f, udp4(f, OUT, HOST4, port, TURN4, 3478, stun_finish(s, 0x0003, tid1, a, 1), ipid_out++), C_WEBRTC);
    uint8_t *r = later(t + rtt, 0, C_WEBRTC), *ra = r + L2 + 28 + 20;
    uint8_t err[16] = {0, 0, 4, 1}; memcpy(err + 4, "Unauthorized", 12);
    a = stun_attr(ra, 0x0009, err, 16); a += stun_attr(ra + a, 0x0014, "lab.test", 8); a += stun_attr(ra + a, 0x0015, nonce, 16);
    later_len(udp4(r, IN, HOST4, port, TURN4, 3478, stun_finish(r + L2 + 28, 0x0113, tid1, a, 1), ipid_in++));
    uint8_t *q2 = later(t + rtt + 300000, 0, C_WEBRTC), *qa = q2 + L2 + 28 + 20;
    a = stun_attr(qa, 0x0019, tr, 4); a += stun_attr(qa + a, 0x0006, "bench:user", 10);
    a += stun_attr(qa + a, 0x0014, "lab.test", 8); a += stun_attr(qa + a, 0x0015, nonce, 16); a += stun_attr(qa + a, 0x0008, mi, 20);
    later_len(udp4(q2, OUT, HOST4, port, TURN4, 3478, stun_finish(q2 + L2 + 28, 0x0003, tid2, a, 1), ipid_out++));
    uint8_t *r2 = later(t + 2 * rtt + 300000, 0, C_WEBRTC), *r2a = r2 + L2 + 28 + 20;
    uint8_t life[4]; put32(life, 600);
    a = xor_addr(r2a, 0x0016, TURN4, (uint16_t)(49152 + below(16000))); a += xor_addr(r2a + a, 0x0020, PUBLIC4, (uint16_t)(port + 1000));
    a += stun_attr(r2a + a, 0x000d, life, 4); a += stun_attr(r2a + a, 0x0008, mi, 20);
    later_len(udp4(r2, IN, HOST4, port, TURN4, 3478, stun_finish(r2 + L2 + 28, 0x0103, tid2, a, 1), ipid_in++));
}
/* Ethernet + IPv6 + TCP segment (header 20 + olen options, then data) to/from host6. */
static uint32_t tcp6(uint8_t *f, int out, const uint8_t *server, uint16_t hp, uint32_t seq, uint32_t ack, uint8_t flags,
                     const uint8_t *opts, size_t olen, const uint8_t *data, size_t dlen, uint32_t label) {
    ethernet(f, out, 0x86DD);
    uint8_t *t = f + L2 + 40; size_t hl = 20 + olen;
    put16(t, out ? hp : 443); put16(t + 2, out ? 443 : hp); put32(t + 4, seq); put32(t + 8, ack);
    t[12] = (uint8_t)((hl / 4) << 4); t[13] = flags; put16(t + 14, 64800); put16(t + 18, 0);
    if (olen) memcpy(t + 20, opts, olen);
    if (dlen) memcpy(t + hl, data, dlen);
    const uint8_t *src = out ? host6 : server, *dst = out ? server : host6;
    l4sum6(t, hl + dlen, src, dst, 6, 16);
    ipv6(f + L2, src, dst, 6, hl + dlen, label);
    return (uint32_t)(L2 + 40 + hl + dlen);
}
static size_t client_hello(uint8_t *p, const char *sni) {
    size_t sl = strlen(sni), n = 0;
    p[n++] = 0x16; p[n++] = 3; p[n++] = 1; n += 2;             /* record, length later */
    p[n++] = 1; n += 3;                                         /* ClientHello, length later */
    p[n++] = 3; p[n++] = 3; memcpy(p + n, pool_at(rnd()), 32); n += 32;
    p[n++] = 32; memcpy(p + n, pool_at(rnd()), 32); n += 32;   /* session id */
    static const uint8_t suites[] = {0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xc0, 0x2b, 0xc0, 0x2f};
    put16(p + n, sizeof suites); n += 2; memcpy(p + n, suites, sizeof suites); n += sizeof suites;
    p[n++] = 1; p[n++] = 0;
    size_t ext = n; n += 2;
    put16(p + n, 0); put16(p + n + 2, (uint32_t)(sl + 5)); put16(p + n + 4, (uint32_t)(sl + 3)); p[n + 6] = 0;
    put16(p + n + 7, (uint32_t)sl); memcpy(p + n + 9, sni, sl); n += 9 + sl;
    static const uint8_t versions[] = {0, 0x2b, 0, 3, 2, 3, 4};
    memcpy(p + n, versions, sizeof versions); n += sizeof versions;
    put16(p + ext, (uint32_t)(n - ext - 2));
    put16(p + 3, (uint32_t)(n - 5)); p[6] = 0; put16(p + 7, (uint32_t)(n - 9));
    return n;
}
static void ipv6_flow(uint64_t t, uint64_t rtt) {
    int s = (int)below(8); const uint8_t *server = server6[s];
    uint16_t hp = (uint16_t)(32768 + below(28000)); uint32_t iss = (uint32_t)rnd(), irs = (uint32_t)rnd(), label = (uint32_t)rnd();
    static const uint8_t syn_opts[20] = {2, 4, 0x05, 0x8c, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
    uint8_t f[800], hello[400];
    flush_until(t); emit(t, 0, f, tcp6(f, OUT, server, hp, iss, 0, 0x02, syn_opts, 20, NULL, 0, label), C_IPV6);
    uint8_t *p = later(t + rtt, 0, C_IPV6);
    later_len(tcp6(p, IN, server, hp, irs, iss + 1, 0x12, syn_opts, 20, NULL, 0, label));
    p = later(t + rtt + 60000, 0, C_IPV6);
    later_len(tcp6(p, OUT, server, hp, iss + 1, irs + 1, 0x10, NULL, 0, NULL, 0, label));
    char sni[64]; snprintf(sni, sizeof sni, "%s", names[below(300)]);
    size_t h = client_hello(hello, sni);
    p = later(t + rtt + 90000, 0, C_IPV6);
    later_len(tcp6(p, OUT, server, hp, iss + 1, irs + 1, 0x18, NULL, 0, hello, h, label));
    p = later(t + 2 * rtt + 90000, 0, C_IPV6);
    later_len(tcp6(p, IN, server, hp, irs + 1, iss + 1 + (uint32_t)h, 0x10, NULL, 0, NULL, 0, label));
}
/* One leak event: ~2.9 packets on average. */
static void leak(uint64_t t) {
    double k = unif(); uint64_t rtt = 8000000 + below(30000000);
    if (k < 0.40) { uint32_t i = below(300); dns(t, names[i], unif() < 0.3, i, 1, 0, rtt); }
    else if (k < 0.65) stun_binding(t, STUN4, (uint16_t)(50000 + below(10000)), 1, rtt);
    else if (k < 0.75) turn_allocate(t, rtt);
    else ipv6_flow(t, rtt);
}

/* ---- sessions ---- */
static const uint64_t T0 = 1767225600ull * 1000000000ull; /* 2026-01-01T00:00:00Z */
static void session_setup(uint64_t seed) {
    seed_rng(seed);
    for (size_t i = 0; i < POOL + 2048; i += 8) { uint64_t r = rnd(); memcpy(pool + i, &r, 8); }
    host_index = (uint32_t)rnd(); peer_index = (uint32_t)rnd();
    static const uint8_t p6[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0};
    memcpy(host6, p6, 8); uint64_t iid = rnd(); memcpy(host6 + 8, &iid, 8); host6[8] &= ~0x02; /* private IID: u bit 0 */
    for (int i = 0; i < 8; i++) { static const uint8_t s6[15] = {0x20, 0x01, 0x0d, 0xb8, 0, 2}; memcpy(server6[i], s6, 15); server6[i][15] = (uint8_t)(0x10 + i); }
    make_names();
    ipid_out = (uint16_t)rnd(); ipid_in = (uint16_t)rnd();
    for (int d = 0; d < 2; d++) for (int f = 0; f < 4; f++) tcp_seq[d][f] = (uint32_t)rnd();
}
static void vpn_session(int handshake) {
    uint64_t t = T0 + 1000000000ull * (rnd() % 3600);
    if (handshake) wg_handshake(t); else { (void)rnd(); (void)rnd(); ipid_out++; ipid_in++; }
    t += 30000000;
    uint64_t next_ka_out = t, next_ka_in = t + 12000000000ull;
    const double p_leak = 0.00345;
    while (phys < phys_limit) {
        if (t >= next_ka_out) { keepalive(t, OUT); next_ka_out += 25000000000ull; t += 40000; }
        if (t >= next_ka_in) { keepalive(t, IN); next_ka_in += 25000000000ull; t += 40000; }
        if (unif() < p_leak) leak(t); else carrier(t);
        /* ~2,000 packets/s: at least 30 us apart, exponential mean 470 us, a short pause now and then */
        uint64_t gap = 30000 + (uint64_t)(-log(1.0 - unif()) * 470000.0);
        if (gap > 300000000) gap = 300000000;
        if (unif() < 0.0005) gap += 100000000 + below(600000000);
        t += gap;
    }
    flush_until(UINT64_MAX);
}
static void hostile_session(const char *shape, uint64_t units) {
    uint64_t t = T0 + 1000000000ull * (rnd() % 3600);
    wg_handshake(t); t += 30000000;
    phys_limit = UINT64_MAX;
    for (uint64_t i = 0; i < units; i++, t += 20000) {
        if (i % 9 == 0) { carrier(t); t += 20000; }
        if (!strcmp(shape, "flows")) {
            uint8_t f[128]; uint32_t dst = (i & 1 ? IP4(203, 0, 113, 0) : IP4(198, 51, 100, 0)) | (uint32_t)(100 + (i >> 1) % 150);
            uint64_t j = i / 300; uint16_t sp = (uint16_t)(10000 + j % 50000), dp = (uint16_t)(9000 + j / 50000);
            uint8_t *u = f + L2 + 28; /* a BitTorrent uTP SYN (BEP 29), as a DHT/peer sweep sends them */
            memcpy(u, pool_at(i), 32);
            u[0] = 0x41; u[1] = 0; put16(u + 2, (uint32_t)(0x1000 + (i & 0xEFFF))); put32(u + 4, (uint32_t)(t / 1000));
            put32(u + 8, 0); put32(u + 12, 0x100000); put16(u + 16, 1); put16(u + 18, 0);
            flush_until(t); emit(t, 0, f, udp4(f, OUT, HOST4, sp, dst, dp, 20, ipid_out++), C_TRAFFIC);
        } else if (!strcmp(shape, "frags")) {
            uint8_t f[700]; uint8_t *fh = f + L2 + 40, *u = fh + 8;
            ethernet(f, OUT, 0x86DD);
            fh[0] = 17; fh[1] = 0; put16(fh + 2, 1); put32(fh + 4, (uint32_t)(0x10000000u + i)); /* offset 0, M = 1 */
            put16(u, (uint16_t)(40000 + i % 20000)); put16(u + 2, 443); put16(u + 4, 1232); put16(u + 6, (uint16_t)rnd());
            memcpy(u + 8, pool_at(i), 504);
            ipv6(f + L2, host6, server6[i & 7], 44, 8 + 512, (uint32_t)i);
            flush_until(t); emit(t, 0, f, L2 + 40 + 8 + 512, C_IPV6);
        } else if (!strcmp(shape, "stun")) {
            stun_binding(t, IP4(203, 0, 113, 10 + (i & 15)), (uint16_t)(50000 + i % 10000), (i & 1) == 0, 5000);
        } else { /* dns */
            char name[64]; snprintf(name, sizeof name, "n%llu.flood.example.com", (unsigned long long)i);
            dns(t, name, 0, (uint32_t)i, (i & 1) == 0, 1, 5000);
        }
    }
    flush_until(UINT64_MAX);
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s vpn|vpn-nohs|vpn2if|flows|frags|stun|dns COUNT SEED OUT TRUTH.json\n", argv[0]);
        return 2;
    }
    const char *shape = argv[1];
    uint64_t count = strtoull(argv[2], NULL, 10), seed = strtoull(argv[3], NULL, 10);
    int benign = !strcmp(shape, "vpn") || !strcmp(shape, "vpn-nohs") || !strcmp(shape, "vpn2if");
    hostile = !benign;
    if (hostile && strcmp(shape, "flows") && strcmp(shape, "frags") && strcmp(shape, "stun") && strcmp(shape, "dns")) {
        fprintf(stderr, "gen_workload: unknown shape %s\n", shape); return 2;
    }
    pcapng = !strcmp(shape, "vpn2if");
    out = fopen(argv[4], "wb");
    if (!out) { perror(argv[4]); return 1; }
    setvbuf(out, NULL, _IOFBF, 8 << 20);
    session_setup(seed);
    write_header();
    phys_limit = count;
    if (benign) vpn_session(strcmp(shape, "vpn-nohs") != 0); else hostile_session(shape, count);
    write_trailer();
    long bytes = ftell(out);
    if (fclose(out) != 0) { perror(argv[4]); return 1; }
    FILE *t = fopen(argv[5], "w");
    if (!t) { perror(argv[5]); return 1; }
    uint64_t leaks = cat_count[C_DNS] + cat_count[C_WEBRTC] + cat_count[C_IPV6] + cat_count[C_TRAFFIC];
    fprintf(t, "{\n  \"generator_version\": %d,\n  \"shape\": \"%s\",\n  \"count\": %llu,\n  \"seed\": %llu,\n", GEN_VERSION, shape,
            (unsigned long long)count, (unsigned long long)seed);
    fprintf(t, "  \"file_bytes\": %ld,\n  \"packets\": %llu,\n  \"physical_packets\": %llu,\n  \"tunnel_packets\": %llu,\n  \"caplen_sum\": %llu,\n",
            bytes, (unsigned long long)(phys + tun), (unsigned long long)phys, (unsigned long long)tun, (unsigned long long)caplen_sum);
    fprintf(t, "  \"first_ns\": %llu,\n  \"last_ns\": %llu,\n  \"leak_packets\": %llu,\n  \"packets_by_kind\": {",
            (unsigned long long)first_t, (unsigned long long)last_t, (unsigned long long)leaks);
    for (int c = 0; c < C_N; c++) fprintf(t, "%s\"%s\": %llu", c ? ", " : "", cat_name[c], (unsigned long long)cat_count[c]);
    fprintf(t, "}\n}\n");
    return fclose(t) != 0;
}
