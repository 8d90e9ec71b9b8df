/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Capture sources for the scanner, through libpcap: pcap and pcapng files,
 * and live interfaces. Only the link types rbi_frame decodes are accepted; a
 * capture of another kind is refused up front with a message that names
 * its link type, rather than read as noise.
 */
#ifndef RBI_PCAP_H
#define RBI_PCAP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scan/frame.h"

enum {
	RBI_PCAP_ERR_LEN = 1024,
	RBI_PCAP_WHY_LEN = 512,	/* a reason, before the name is added */
	RBI_PCAP_SNAPLEN = 65535,
	/* How often a live capture with no traffic wakes up. */
	RBI_PCAP_TICK_MS = 500,
	/*
	 * A capture file is read through a buffer this big. stdio's own (the
	 * file system's 4 KiB block) makes a read() per 4 KiB, half the time
	 * of the bare libpcap loop; one bigger than the per-core cache makes
	 * the kernel's copy into it miss on every line while the flow table
	 * has the cache (1 MiB: more system time than 4 KiB).
	 */
	RBI_PCAP_READ_BUF = 1 << 16,
};

enum rbi_pcap_end {
	RBI_PCAP_EOF,		/* the whole file was read */
	RBI_PCAP_STOPPED,	/* stop was set, or the count was reached */
	RBI_PCAP_ERROR,		/* a truncated or corrupt file */
	__RBI_PCAP_END_MAX
};

struct rbi_pcap {
	void *pc;		/* pcap_t */
	enum rbi_link link;
	bool live;
	/* A live capture's packets lost before rbictl saw them. */
	uint64_t dropped;	/* by the kernel: the buffer was full */
	uint64_t if_dropped;	/* by the interface or its driver */
	char err[RBI_PCAP_ERR_LEN];
	char *buf;		/* a capture file's read buffer */
};

/*
 * Opens the capture file path ("-": standard input) for libpcap, read
 * through buf of RBI_PCAP_READ_BUF bytes, which must outlive it. Returns a
 * pcap_t, or NULL with the reason in err (PCAP_ERRBUF_SIZE bytes).
 */
void *rbi_pcap_open_file(const char *path, char *buf, char *err);

/* Receives each frame; ts is in microseconds since the epoch. */
typedef void (*rbi_pcap_frame_fn)(void *ctx, enum rbi_link link, uint64_t ts,
				  const uint8_t *frame, size_t caplen,
				  size_t wirelen);
/* Called when a live capture has been quiet for a while. */
typedef void (*rbi_pcap_tick_fn)(void *ctx, uint64_t now);

/*
 * Opens a capture file, or an interface when live (monitor only: not
 * promiscuous unless promisc). filter, if not NULL, is a BPF expression.
 * Returns 0, or -1 with the reason in c->err.
 */
int rbi_pcap_open(struct rbi_pcap *c, const char *what, bool live,
		  bool promisc, const char *filter);
void rbi_pcap_close(struct rbi_pcap *c);

/* How far into a capture file reading has got; -1 when it cannot say. */
int64_t rbi_pcap_offset(const struct rbi_pcap *c);

/*
 * Reads frames until the end of the file, until *stop becomes non-zero, or
 * after count frames (0: no limit). On RBI_PCAP_ERROR, c->err says why.
 * A live capture ticks every RBI_PCAP_TICK_MS when quiet, and a SIGINT or
 * SIGTERM whose handler sets *stop ends it at once: those two signals are
 * held back except while it waits for packets.
 */
enum rbi_pcap_end rbi_pcap_run(struct rbi_pcap *c, rbi_pcap_frame_fn frame,
			       rbi_pcap_tick_fn tick, void *ctx,
			       volatile sig_atomic_t *stop, uint64_t count);

#endif
