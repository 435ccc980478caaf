/* Reference figure: read a pcap with libpcap and parse Ethernet/IPv4/IPv6/UDP/TCP
   headers (ports), like the minimum LeakScope's dissector does.
   gcc -O2 -o pcap_parse pcap_parse.c -lpcap && ./pcap_parse mix.pcap */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdint.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s file.pcap\n", argv[0]); return 2; }
    char err[PCAP_ERRBUF_SIZE];
    unsigned long n = 0, udp = 0, tcp = 0, sum = 0;
    double t0 = now();
    for (int round = 0; round < 10; round++) {
        pcap_t *p = pcap_open_offline(argv[1], err);
        if (!p) { fprintf(stderr, "%s\n", err); return 4; }
        struct pcap_pkthdr *h; const u_char *b;
        while (pcap_next_ex(p, &h, &b) == 1) {
            n++;
            uint32_t len = h->caplen;
            if (len < 14) continue;
            uint16_t type = (b[12] << 8) | b[13];
            uint32_t off = 14; uint8_t proto;
            if (type == 0x0800) {
                if (len < off + 20) continue;
                uint32_t ihl = (b[off] & 0xF) * 4;
                proto = b[off + 9]; off += ihl;
            } else if (type == 0x86DD) {
                if (len < off + 40) continue;
                proto = b[off + 6]; off += 40;
            } else continue;
            if (len < off + 4) continue;
            uint16_t sp = (b[off] << 8) | b[off + 1], dp = (b[off + 2] << 8) | b[off + 3];
            if (proto == 17) udp++; else if (proto == 6) tcp++;
            sum += sp + dp;
        }
        pcap_close(p);
    }
    double dt = now() - t0;
    printf("C libpcap: %lu packets in %.3f s CPU = %.2f Mpps (read + parse eth/ip/udp/tcp) [udp %lu tcp %lu sum %lu]\n",
           n, dt, n / dt / 1e6, udp, tcp, sum);
    return 0;
}
