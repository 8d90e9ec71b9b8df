/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * DNS over TCP as the daemon hears it: NFLOG copies of the answering
 * side's segments, in the order they cross the gateway, which a resolver
 * may choose (a length prefix alone, a message cut anywhere, segments
 * reordered or sent twice). Each stream is put back in order from its
 * first byte (the SYN-ACK says where that is; without one, from the first
 * segment seen), and every message that comes out whole is handed on.
 *
 * Bounded: RBI_DNSSTREAM_MAX streams (the least recently used gives way),
 * a window of RBI_DNSSTREAM_CAP bytes from the next message's start (two
 * of the largest messages), RBI_DNSSTREAM_HOLES separate runs held past a
 * hole. What falls outside is counted as unread, never silently lost.
 */
#ifndef RBI_DNSSTREAM_H
#define RBI_DNSSTREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "scan/frame.h"

enum {
	RBI_DNSSTREAM_MAX = 128,
	RBI_DNSSTREAM_CAP = 2 * (2 + 65535),
	RBI_DNSSTREAM_HOLES = 16,
	RBI_DNSSTREAM_IDLE_MS = 60000,
};

struct rbi_dnsstreams;

/* Returns false to refuse the message, and with it the stream. */
typedef bool (*rbi_dnsstream_msg)(void *ctx, const struct rbi_frame *f,
				  const uint8_t *msg, size_t len);

/* NULL when out of memory. */
struct rbi_dnsstreams *rbi_dnsstreams_new(void);
void rbi_dnsstreams_free(struct rbi_dnsstreams *t);

/*
 * One segment from the answering side (f->src is the resolver). Hands
 * each message it completes to cb; returns how many bytes of the stream
 * had to be given up (outside the window, too many holes, a frame too
 * short to be DNS, a stream evicted with a message half read).
 *
 * *refused: this stream gave up bytes of its own or cb refused one of its
 * messages, with this segment or before. One who holds the segments (the
 * queue backend) drops them all from then on: a resolver that sends a
 * dropped segment again would otherwise get through with bytes the
 * stream has read already.
 */
uint64_t rbi_dnsstreams_segment(struct rbi_dnsstreams *t,
				const struct rbi_frame *f, uint64_t now_ms,
				rbi_dnsstream_msg cb, void *ctx,
				bool *refused);

#endif
