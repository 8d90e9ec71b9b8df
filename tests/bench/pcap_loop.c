// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The floor of the scan benchmark: libpcap reading every packet of a
 * capture and doing nothing with it but count its bytes. rbictl scan's
 * time is compared with this one.
 */
#include <stdio.h>

#include <pcap/pcap.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	unsigned long long packets = 0, bytes = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;

	if (argc != 2) {
		fprintf(stderr, "usage: pcap_loop CAPTURE\n");
		return 2;
	}
	pc = pcap_open_offline(argv[1], err);
	if (!pc) {
		fprintf(stderr, "pcap_loop: %s\n", err);
		return 1;
	}
	while (pcap_next_ex(pc, &h, &data) == 1) {
		packets++;
		bytes += h->caplen + data[0];
	}
	pcap_close(pc);
	printf("%llu packets, %llu bytes\n", packets, bytes);
	return 0;
}
