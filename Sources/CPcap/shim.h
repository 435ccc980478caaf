#ifndef LEAKSCOPE_CPCAP_SHIM_H
#define LEAKSCOPE_CPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
