// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The floor of the scan benchmark: libpcap reading every packet of a
 * capture and doing nothing with it but count its bytes. rbictl scan's
 * time is compared with this one. With -b the file is opened as rbictl
 * opens it (rbi_pcap_open_file, with its read buffer), which tells how
 * much of the difference is reading rather than analysis.
 */
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "scan/pcap.h"

int main(int argc, char **argv)
{
	static char buf[RBI_PCAP_READ_BUF];
	char err[PCAP_ERRBUF_SIZE];
	unsigned long long packets = 0, bytes = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;

	if (argc == 3 && !strcmp(argv[1], "-b")) {
		pc = rbi_pcap_open_file(argv[2], buf, err);
	} else if (argc == 2) {
		pc = pcap_open_offline(argv[1], err);
	} else {
		fprintf(stderr, "usage: pcap_loop [-b] CAPTURE\n");
		return 2;
	}
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
