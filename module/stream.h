/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RBI_STREAM_H
#define RBI_STREAM_H

#include <linux/skbuff.h>
#include <linux/types.h>

/*
 * The first bytes of one direction of a TCP connection, in order, as the
 * dissectors need them: a ClientHello or a request head cut into segments,
 * or DNS messages over TCP. Segments are taken in sequence only: one that
 * leaves a hole is refused, so that the caller drops it and the sender
 * resends it once the hole is filled; bytes already held are kept as first
 * sent (a retransmission cannot rewrite what was parsed).
 */
struct rbi_stream {
	u8 *buf;
	u32 len;		/* bytes held */
	u32 cap;		/* bytes allocated */
	u32 next;		/* sequence number of the next byte expected */
	u32 skip;		/* bytes to pass over before holding again */
	bool synced;		/* next is known */
};

/* Bytes held by all streams of a namespace, against a limit. */
struct rbi_budget {
	u32 used;
	u32 max;
};

enum rbi_seg {
	RBI_SEG_NEW,		/* bytes were added */
	RBI_SEG_OLD,		/* nothing new: a retransmission */
	RBI_SEG_GAP,		/* starts past the next byte expected */
	RBI_SEG_FULL,		/* would hold more than the stream's max */
	RBI_SEG_NOMEM,		/* the budget or the allocator said no */
	__RBI_SEG_MAX
};

/* The stream starts after the SYN whose sequence number is isn. */
void rbi_stream_sync(struct rbi_stream *s, u32 isn);

/*
 * Takes len payload bytes at offset off of skb, starting at sequence number
 * seq, into a stream that may hold at most max bytes. A stream that never
 * saw its SYN starts at the first segment it is given.
 */
enum rbi_seg rbi_stream_add(struct rbi_stream *s, struct rbi_budget *b,
			    const struct sk_buff *skb, unsigned int off,
			    unsigned int len, u32 seq, u32 max);

/* Forgets every byte held and expects next from now on. */
void rbi_stream_resync(struct rbi_stream *s, u32 next);

/* Forgets the first n bytes held (n <= len), keeping the rest. */
void rbi_stream_consume(struct rbi_stream *s, u32 n);

void rbi_stream_free(struct rbi_stream *s, struct rbi_budget *b);

#endif
