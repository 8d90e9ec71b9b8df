/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * DNS queries that cameras sent and that no answer has matched yet. An
 * answer teaches addresses (rbi_learn.h) only when it answers one of them:
 * same client and server addresses and ports, same transport, same message
 * id and the same question name (RFC 5452 9.1), within the query's
 * timeout. An answer nobody asked for, one spoofed for another query, or a
 * second answer to one query teaches nothing, so a flood of answers cannot
 * put addresses into the learned table, nor push out what real answers put
 * there.
 *
 * The table has a fixed capacity chosen at allocation and never allocates
 * again: an open-addressed hash over a seeded mix of the key, probing at
 * most RBI_DNSQ_PROBE slots. A query that finds every slot of its window
 * pending is refused (-ENOSPC), never let in at the cost of another
 * camera's query: the caller fails the query closed, and the window frees
 * itself as queries are answered or time out.
 *
 * Names are kept as a seeded 64-bit hash of their presentation form
 * (rbi_dns_question() output, A-Z lowered), so that an entry stays small;
 * the seed keeps crafted names from colliding on purpose.
 *
 * Time is the caller's monotonic count of seconds; nothing here reads a
 * clock or locks.
 */
#ifndef RBI_DNSQ_H
#define RBI_DNSQ_H

#include "rbi_compat.h"
#include "rbi_addr.h"

enum {
	/* Stub resolvers give up and ask again well within this. */
	RBI_DNSQ_TIMEOUT = 15,
	RBI_DNSQ_PROBE = 8,
	/* Capacities are powers of two in this range. */
	RBI_DNSQ_CAP_MIN = RBI_DNSQ_PROBE,
	RBI_DNSQ_CAP_MAX = 1 << 20,
};

/* One query on the wire: who asked whom, over what, with which id. */
struct rbi_dnsq_key {
	struct rbi_ip client;
	struct rbi_ip server;
	uint16_t cport;
	uint16_t sport;
	uint16_t id;
	uint8_t l4;		/* RBI_L4_UDP or RBI_L4_TCP */
};

struct rbi_dnsq_stats {
	uint64_t added;		/* queries recorded */
	uint64_t matched;	/* answers that matched one */
	uint64_t unmatched;	/* answers that matched none */
	uint64_t refused;	/* queries refused: window full, or id reused */
	uint32_t pending;	/* live entries at the given time */
	uint32_t capacity;
};

struct rbi_dnsq;

/* NULL when out of memory; capacity is rounded as rbi_learn_alloc() does. */
struct rbi_dnsq *rbi_dnsq_alloc(uint32_t capacity, uint32_t seed);
void rbi_dnsq_free(struct rbi_dnsq *q);

/*
 * Records a query for name[0..len). The same query again (a client's
 * retransmission) only renews its timeout. 0, or -ENOSPC when the key's
 * window is full, or -EEXIST when the same key is pending for another
 * name: two questions under one id would make either answer ambiguous.
 */
int rbi_dnsq_add(struct rbi_dnsq *q, const struct rbi_dnsq_key *k,
		 const char *name, size_t len, uint64_t now);

/*
 * Whether an answer with key k to question name[0..len) answers a pending
 * query; if so the query is no longer pending.
 */
bool rbi_dnsq_answer(struct rbi_dnsq *q, const struct rbi_dnsq_key *k,
		     const char *name, size_t len, uint64_t now);

void rbi_dnsq_get_stats(const struct rbi_dnsq *q, uint64_t now,
			struct rbi_dnsq_stats *s);

/* Bytes the table holds allocated. */
size_t rbi_dnsq_mem(const struct rbi_dnsq *q);

#endif /* RBI_DNSQ_H */
