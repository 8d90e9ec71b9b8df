/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The scanner's flow table: flows by their unordered endpoint pair and
 * transport, with a fixed capacity set at allocation so that memory is
 * bounded by the table, never by the capture.
 *
 * Entries are numbered 0..capacity-1 and carry the caller's per-flow
 * state beside the table's own. Each idle class (TCP, UDP, and
 * a short one the caller moves flows to when they are done) has its own
 * timeout and its own least recently used list, in order to within a
 * second. When the table is full, a new flow takes the place of the flow
 * that has been quiet longest, and the caller's end() hook is told first
 * (RBI_FLOW_END_EVICTED), as it is for flows idle past their class's
 * timeout (RBI_FLOW_END_IDLE) and for every flow at the end
 * (RBI_FLOW_END_DONE).
 */
#ifndef RBI_FLOWTAB_H
#define RBI_FLOWTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rbi_addr.h"

#define RBI_FLOWTAB_NONE	0xffffffffu

enum {
	RBI_FLOWTAB_CAP_MIN = 16,
	RBI_FLOWTAB_CAP_MAX = 1 << 26,
};

/*
 * Endpoint a is the lesser (address, port) pair; see rbi_flow_key_make.
 * Forty bytes, the last two zero, compared as five words.
 */
struct rbi_flow_key {
	uint8_t a[16];
	uint8_t b[16];
	uint16_t aport;
	uint16_t bport;
	uint8_t family;
	uint8_t l4;
	uint8_t zero[2];
};

enum rbi_flow_end {
	RBI_FLOW_END_IDLE,	/* quiet past its timeout */
	RBI_FLOW_END_EVICTED,	/* made room for a new flow */
	RBI_FLOW_END_REUSED,	/* its endpoints started a new connection */
	RBI_FLOW_END_CLOSED,	/* FIN both ways, or a RST */
	RBI_FLOW_END_DONE,	/* the capture ended */
	__RBI_FLOW_END_MAX
};

/* How long a flow may stay quiet; new flows start by their transport. */
enum rbi_flow_idle {
	RBI_FLOW_IDLE_TCP,	/* TCP, and anything but UDP */
	RBI_FLOW_IDLE_UDP,
	RBI_FLOW_IDLE_SHORT,	/* the caller's: a flow that looks done */
	__RBI_FLOW_IDLE_MAX
};

struct rbi_flowtab_stats {
	uint64_t created;
	uint64_t ended[__RBI_FLOW_END_MAX];
	uint32_t live;
	uint32_t peak;
	uint32_t capacity;
};

struct rbi_flowtab;

typedef void (*rbi_flow_end_fn)(void *ctx, uint32_t idx,
				enum rbi_flow_end why);

/*
 * A table of capacity flows (clamped to [RBI_FLOWTAB_CAP_MIN,
 * RBI_FLOWTAB_CAP_MAX]), each with user_size bytes for the caller beside
 * the table's own (rbi_flowtab_user()). A flow ends once quiet for longer
 * than its idle class's idle_us[]; end is called for each flow that ends.
 * NULL when out of memory.
 */
struct rbi_flowtab *rbi_flowtab_alloc(uint32_t capacity, size_t user_size,
				      const uint64_t idle_us[__RBI_FLOW_IDLE_MAX],
				      rbi_flow_end_fn end, void *ctx);

/*
 * The caller's bytes of flow idx: zeroed when the table is made, and left
 * as the last flow in the entry had them when an entry is used again.
 */
void *rbi_flowtab_user(const struct rbi_flowtab *t, uint32_t idx);
void rbi_flowtab_free(struct rbi_flowtab *t);
uint32_t rbi_flowtab_capacity(const struct rbi_flowtab *t);

/*
 * Builds the key of the flow from (src, sport) to (dst, dport) and says
 * which side src is: 0 when it is endpoint a, 1 when b.
 */
void rbi_flow_key_make(struct rbi_flow_key *k, const struct rbi_ip *src,
		       uint16_t sport, const struct rbi_ip *dst,
		       uint16_t dport, uint8_t l4, unsigned int *dir);

/*
 * Finds the flow of k, or adds it when create (evicting the least recently
 * used flow when full); either way it becomes the most recently used, last
 * seen at now. A flow found quiet past its timeout ends first and a new
 * one takes its place, as rbi_flowtab_expire() would have done. *created
 * says which. RBI_FLOWTAB_NONE only when k has no flow and !create.
 */
uint32_t rbi_flowtab_get(struct rbi_flowtab *t, const struct rbi_flow_key *k,
			 uint64_t now, bool create, bool *created);

/* Moves flow idx to another idle class, as its most recent flow. */
void rbi_flowtab_set_idle(struct rbi_flowtab *t, uint32_t idx,
			  enum rbi_flow_idle idle);

/* Ends flow idx now (the caller's hook runs) and frees its entry. */
void rbi_flowtab_end(struct rbi_flowtab *t, uint32_t idx,
		     enum rbi_flow_end why);

/*
 * Ends, least recently used first, the flows of each class quiet past its
 * timeout; stops at the first that is not, so each call costs little.
 */
void rbi_flowtab_expire(struct rbi_flowtab *t, uint64_t now);

/* Ends every flow, oldest first within each class. */
void rbi_flowtab_end_all(struct rbi_flowtab *t, enum rbi_flow_end why);

const struct rbi_flow_key *rbi_flowtab_key(const struct rbi_flowtab *t,
					   uint32_t idx);
uint64_t rbi_flowtab_first(const struct rbi_flowtab *t, uint32_t idx);
uint64_t rbi_flowtab_last(const struct rbi_flowtab *t, uint32_t idx);

const struct rbi_flowtab_stats *rbi_flowtab_stats(const struct rbi_flowtab *t);

/* Bytes the table holds allocated. */
size_t rbi_flowtab_mem(const struct rbi_flowtab *t);

#endif
