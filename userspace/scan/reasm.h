/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The first bytes of a stream, put back in order: a TCP direction from its
 * first byte, or the CRYPTO stream of QUIC Initial packets. The dissectors
 * only ever need the start of a stream (a ClientHello, a request head), so
 * each buffer holds RBI_REASM_CAP bytes and ignores what lies beyond.
 *
 * Within the cap, segments may arrive in any order, any size down to one
 * byte, repeat or overlap: a bitmap says which bytes past the in-order
 * prefix have arrived, so there is no limit on the number of holes. The
 * first copy of a byte wins, as in the receiving stack for data it has
 * already queued; a retransmission that says something else is not
 * believed.
 *
 * Buffers come from a pool with a fixed maximum, so that memory is bounded
 * by the pool, not by the capture: the scanner takes one only when a
 * message does not fit the segment that starts it.
 */
#ifndef RBI_REASM_H
#define RBI_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	RBI_REASM_CAP = 16384,
};

enum rbi_reasm_result {
	RBI_REASM_GREW,		/* the in-order prefix grew */
	RBI_REASM_HELD,		/* new bytes, kept beyond a hole */
	RBI_REASM_OLD,		/* nothing new: a retransmission */
	RBI_REASM_BEYOND,	/* starts past RBI_REASM_CAP */
	__RBI_REASM_MAX
};

struct rbi_reasm {
	uint32_t have;		/* bytes [0, have) are in order */
	/* Past every byte held beyond have; have when none is. */
	uint32_t end;
	struct rbi_reasm *next;	/* the pool's free list */
	/* Bit i: byte i arrived; meaningful in [have, end), clear beyond. */
	uint8_t held[RBI_REASM_CAP / 8];
	uint8_t data[RBI_REASM_CAP];
};

struct rbi_reasm_stats {
	uint64_t taken;		/* buffers handed out */
	uint64_t exhausted;	/* requests refused: the pool was empty */
	uint32_t in_use;
	uint32_t peak;		/* most buffers in use at once */
	uint32_t max;
};

struct rbi_reasm_pool {
	struct rbi_reasm *free;
	uint32_t allocated;
	struct rbi_reasm_stats st;
};

/* A pool of at most max buffers, allocated as they are first needed. */
void rbi_reasm_pool_init(struct rbi_reasm_pool *p, uint32_t max);
void rbi_reasm_pool_destroy(struct rbi_reasm_pool *p);

/* Empties r, as a buffer fresh from the pool is. */
void rbi_reasm_reset(struct rbi_reasm *r);

/* Whether bytes past the in-order prefix are held, waiting for a hole. */
static inline bool rbi_reasm_waiting(const struct rbi_reasm *r)
{
	return r->end > r->have;
}

/* An empty buffer, or NULL when max buffers are in use. */
struct rbi_reasm *rbi_reasm_get(struct rbi_reasm_pool *p);
void rbi_reasm_put(struct rbi_reasm_pool *p, struct rbi_reasm *r);

/* Adds stream bytes [off, off + len); anything past the cap is dropped. */
enum rbi_reasm_result rbi_reasm_add(struct rbi_reasm *r, uint64_t off,
				    const uint8_t *data, size_t len);

#endif
