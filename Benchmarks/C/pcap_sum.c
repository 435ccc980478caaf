/* The reference loop of Scripts/bench-analyze (docs/benchmarks.md): libpcap's pcap_next_ex
   over a capture (pcap or pcapng), once, summing captured lengths. Read-only, no analysis:
   the floor any tool that reads the file through libpcap pays. With --parse it also reads the
   Ethernet/IPv4/IPv6 header and the UDP/TCP ports of each packet (like pcap_parse.c).

   libpcap (1.10) refuses a pcapng whose interfaces have different link types (Ethernet +
   raw-IP wg0): --walk reads such a file the way libpcap reads pcapng (fread into a buffer,
   block by block, checking each block's length) and sums the packet blocks' lengths.

     cc -O2 -o pcap_sum pcap_sum.c -lpcap
     ./pcap_sum [--parse|--walk] FILE      prints: packets N bytes B [udp U tcp T ports P]  */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rd32(const uint8_t *p, int swap) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return swap ? __builtin_bswap32(v) : v;
}

static int walk(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return 4; }
    setvbuf(f, NULL, _IOFBF, 1 << 16);
    size_t cap = 1 << 20;
    uint8_t *buf = malloc(cap), h[8];
    unsigned long long n = 0, bytes = 0;
    int swap = 0, seen_shb = 0;
    while (fread(h, 1, 8, f) == 8) {
        uint32_t type = rd32(h, 0), len;
        if (type == 0x0A0D0D0A) { /* section header: its byte-order magic decides */
            uint8_t bom[4];
            if (fread(bom, 1, 4, f) != 4) break;
            swap = rd32(bom, 0) != 0x1A2B3C4D;
            len = rd32(h + 4, swap);
            if (len < 28 || len % 4 || len - 12 > cap) { fprintf(stderr, "%s: bad section header\n", path); return 3; }
            memcpy(buf, bom, 4);
            if (fread(buf + 4, 1, len - 12, f) != len - 12) break;
            seen_shb = 1;
            continue;
        }
        if (!seen_shb) { fprintf(stderr, "%s: not pcapng\n", path); return 4; }
        type = rd32(h, swap); len = rd32(h + 4, swap);
        if (len < 12 || len % 4) { fprintf(stderr, "%s: bad block length %u\n", path, len); return 3; }
        if (len - 8 > cap) { cap = len; buf = realloc(buf, cap); }
        if (fread(buf, 1, len - 8, f) != len - 8) { fprintf(stderr, "%s: truncated block\n", path); return 3; }
        if (rd32(buf + len - 12, swap) != len) { fprintf(stderr, "%s: block lengths differ\n", path); return 3; }
        if (type == 6 && len >= 32) { n++; bytes += rd32(buf + 12, swap); }
        else if (type == 3 && len >= 16) { n++; bytes += len - 16; }
    }
    fclose(f);
    free(buf);
    printf("packets %llu bytes %llu\n", n, bytes);
    return 0;
}

int main(int argc, char **argv) {
    int parse = argc == 3 && strcmp(argv[1], "--parse") == 0;
    if (argc == 3 && strcmp(argv[1], "--walk") == 0) return walk(argv[2]);
    if (argc != 2 + parse) { fprintf(stderr, "usage: %s [--parse|--walk] FILE\n", argv[0]); return 2; }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(argv[1 + parse], err);
    if (!p) { fprintf(stderr, "%s\n", err); return 4; }
    struct pcap_pkthdr *h;
    const u_char *b;
    unsigned long long n = 0, bytes = 0, udp = 0, tcp = 0, ports = 0;
    int r;
    while ((r = pcap_next_ex(p, &h, &b)) == 1) {
        n++;
        bytes += h->caplen;
        if (!parse) continue;
        /* pcapng files mix link types: only Ethernet and raw IP here. */
        uint32_t len = h->caplen, off;
        int link = pcap_datalink(p);
        if (link == DLT_EN10MB) {
            if (len < 14) continue;
            uint16_t type = (uint16_t)(b[12] << 8 | b[13]);
            if (type != 0x0800 && type != 0x86DD) continue;
            off = 14;
        } else {
            off = 0;
        }
        if (len < off + 1) continue;
        uint8_t proto;
        if ((b[off] >> 4) == 4) {
            if (len < off + 20) continue;
            proto = b[off + 9]; off += (b[off] & 0xF) * 4u;
        } else if ((b[off] >> 4) == 6) {
            if (len < off + 40) continue;
            proto = b[off + 6]; off += 40;
        } else continue;
        if (len < off + 4) continue;
        if (proto == 17) udp++; else if (proto == 6) tcp++;
        ports += (unsigned)(b[off] << 8 | b[off + 1]) + (unsigned)(b[off + 2] << 8 | b[off + 3]);
    }
    if (r == -1) { fprintf(stderr, "%s\n", pcap_geterr(p)); pcap_close(p); return 3; }
    pcap_close(p);
    if (parse) printf("packets %llu bytes %llu udp %llu tcp %llu ports %llu\n", n, bytes, udp, tcp, ports);
    else printf("packets %llu bytes %llu\n", n, bytes);
    return 0;
}
