/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef RBI_CMD_SCAN_H
#define RBI_CMD_SCAN_H

int rbi_cmd_scan(int argc, char **argv);
int rbi_cmd_watch(int argc, char **argv);

extern const char rbi_help_scan[];
extern const char rbi_help_watch[];

/* Entries for rbictl's command table. */
#define RBI_CMDS_SCAN \
	{ "scan", "CAPTURE... [-p POLICY] [--format text|jsonl] " \
	  "[--fail-on-block] [--filter BPF] [--max-flows N]", \
	  "find RBI traffic in pcap/pcapng captures, as the gateway would", \
	  rbi_help_scan, rbi_cmd_scan }, \
	{ "watch", "-i IFACE [-p POLICY] [--format text|jsonl] " \
	  "[--filter BPF] [--promisc] [-c COUNT] [--max-flows N]", \
	  "classify live traffic without blocking anything", \
	  rbi_help_watch, rbi_cmd_watch }

#endif
