/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Service addresses learned from DNS answers. A camera that resolves a
 * prohibited name and then connects by address shows no name on the flow
 * itself (no SNI with ECH, QUIC, a raw TCP protocol): the answer is what
 * ties the address to the service. The kernel module, the daemon and the
 * capture scanner keep one of these each, filled by rbi_learn_answer() from
 * rbi_dns_collect() output, and set rbi_flow.learned from a lookup.
 *
 * The rules of learning are here, so that all three keep them alike:
 *  - what an answer says is believed only for services: an address that
 *    is the policy's own infrastructure (a camera network, a recorder, a
 *    resolver, the resolver that answered) or no host at all (loopback,
 *    unspecified, multicast, link-local, broadcast) is never learned, so
 *    that a forged answer can't block the recorder or the resolver;
 *  - each service holds at most RBI_LEARN_SERVICE_MAX live addresses, and
 *    the table at most three quarters of its capacity, so that one name
 *    (or one wildcard's names) can't fill it;
 *  - what is refused is counted by reason, never dropped silently;
 *  - the names an answer sends the client to without their addresses (a
 *    CNAME-only answer's target, an HTTPS record's target) are remembered
 *    as aliases of the service, so that the answer to the client's next
 *    question teaches the addresses too.
 *
 * The table has a fixed capacity chosen at allocation and never allocates
 * again. It is an open-addressed hash over a seeded mix of the address
 * (the seed keeps crafted answers from aiming at one bucket), probing at
 * most RBI_LEARN_PROBE slots. When every slot of a probe window is live,
 * the entry that expires first gives way and evictions counts it.
 *
 * Time is whatever monotonic count of seconds the caller has (capture time
 * in the scanner, ktime_get_seconds() in the kernel); nothing here reads a
 * clock. Entries expire after the answer's TTL, clamped to
 * [RBI_LEARN_TTL_MIN, RBI_LEARN_TTL_MAX]: a TTL of 0 must still cover the
 * connection the client opens right after the answer, and clients keep
 * answers in their own caches past the TTL for far less than a day.
 *
 * Nothing here locks: the kernel serialises writers itself, the scanner is
 * single-threaded.
 */
#ifndef RBI_LEARN_H
#define RBI_LEARN_H

#include "rbi_compat.h"
#include "rbi_addr.h"
#include "rbi_dns.h"
#include "rbi_verdict.h"

enum {
	RBI_LEARN_TTL_MIN = 60,
	RBI_LEARN_TTL_MAX = 86400,
	RBI_LEARN_PROBE = 8,
	/* Capacities are powers of two in this range. */
	RBI_LEARN_CAP_MIN = RBI_LEARN_PROBE,
	RBI_LEARN_CAP_MAX = 1 << 24,
	/* Live addresses one service may hold. */
	RBI_LEARN_SERVICE_MAX = 1024,
	/* Services counted apart; higher indexes share counts. */
	RBI_LEARN_SERVICE_SLOTS = 4096,
};

/* Why an address was not learned. */
enum rbi_learn_refusal {
	RBI_LEARN_REF_SPECIAL,	/* loopback, unspecified, multicast... */
	RBI_LEARN_REF_ZONE,	/* a camera network */
	RBI_LEARN_REF_RECORDER,
	RBI_LEARN_REF_RESOLVER,	/* one the policy knows, or the one that
				 * answered */
	RBI_LEARN_REF_SERVICE_CAP, /* its service holds SERVICE_MAX already */
	RBI_LEARN_REF_TOTAL_CAP, /* the table is as full as it may be */
	__RBI_LEARN_REF_MAX
};

/* "recorder", "per-service cap"...: for messages and records. */
const char *rbi_learn_refusal_name(enum rbi_learn_refusal r);

struct rbi_learn_stats {
	uint64_t added;		/* addresses not in the table before */
	uint64_t refreshed;	/* already there: expiry and service updated */
	uint64_t evicted;	/* live entries displaced by a full window */
	uint64_t refused[__RBI_LEARN_REF_MAX];
	uint64_t aliases;	/* names remembered as a service's alias */
	uint32_t live;		/* entries not expired at the given time */
	uint32_t capacity;
};

struct rbi_learn_entry {
	struct rbi_ip ip;
	uint32_t service;
	uint64_t expires;	/* the first second it no longer holds */
};

struct rbi_learn;

/*
 * A table of capacity entries, rounded up to a power of two within
 * [RBI_LEARN_CAP_MIN, RBI_LEARN_CAP_MAX]; seed varies the hash. NULL when
 * out of memory.
 */
struct rbi_learn *rbi_learn_alloc(uint32_t capacity, uint32_t seed);
void rbi_learn_free(struct rbi_learn *t);

/*
 * Records that ip belongs to service for ttl seconds from now. A second
 * answer for the same address takes its service and never shortens its
 * life. IPv4-mapped IPv6 (::ffff:a.b.c.d) is kept as the IPv4 address it
 * stands for, as the address tables do (rbi_addr.h), on add and lookup
 * alike. -EINVAL for an unknown family or service RBI_NONE; -ENOSPC when
 * a cap refuses a new address (counted, see *refusal when not NULL);
 * else 0. Only the caps apply here: rbi_learn_check() says what else
 * an answer may not teach.
 */
int rbi_learn_add(struct rbi_learn *t, const struct rbi_ip *ip,
		  uint32_t service, uint32_t ttl, uint64_t now,
		  enum rbi_learn_refusal *refusal);

/*
 * Whether ip may be learned from an answer that from (NULL: unknown)
 * gave: 0, or 1 + the enum rbi_learn_refusal that forbids it.
 */
unsigned int rbi_learn_check(const struct rbi_config *c,
			     const struct rbi_ip *ip,
			     const struct rbi_ip *from);

/*
 * The slot ip's live entry is in, or RBI_NONE: a caller that keeps more
 * per address than the service (the daemon keeps the name the answer gave)
 * keeps it in an array of capacity elements indexed by slot, written on
 * each rbi_learn_add() of that address.
 */
uint32_t rbi_learn_slot(const struct rbi_learn *t, const struct rbi_ip *ip,
			uint64_t now);

/* The service ip was learned for, or RBI_NONE (also once expired). */
uint32_t rbi_learn_lookup(const struct rbi_learn *t, const struct rbi_ip *ip,
			  uint64_t now);

/* One address an answer taught, or would have taught. */
struct rbi_learn_event {
	struct rbi_ip ip;
	uint32_t service;
	uint32_t ttl;		/* as the answer said, before clamping */
	unsigned int name;	/* chain index of the name that decided */
	int refused;		/* enum rbi_learn_refusal, or -1: learned */
};

typedef void (*rbi_learn_cb)(void *ctx, const struct rbi_learn_event *ev);

/*
 * Learns from one answer, which from (NULL: unknown) sent: the first name
 * on the CNAME chain (question first) that is a prohibited service's, or
 * an alias one, decides, and every address owned by that name or a name
 * after it on the chain is learned for that service with its own TTL,
 * unless rbi_learn_check() or a cap refuses it. An alias below a service
 * name belongs to it too; the names before it on the chain (the ones that
 * led there) own nothing of the service. The names the answer points to
 * without addresses become aliases. cb (may be NULL) hears of each
 * address, learned or refused. Returns how many were learned.
 */
unsigned int rbi_learn_answer(struct rbi_learn *t, const struct rbi_config *c,
			      const struct rbi_dns_answer_set *set,
			      const struct rbi_ip *from, uint64_t now,
			      rbi_learn_cb cb, void *ctx);

/* The service name (as text) is an alias of, or RBI_NONE. */
uint32_t rbi_learn_alias(const struct rbi_learn *t, const char *name,
			 uint64_t now);

/*
 * Walks the live entries: start with *pos = 0 and call until false. The
 * order is the table's, stable while nothing is added.
 */
bool rbi_learn_next(const struct rbi_learn *t, uint32_t *pos, uint64_t now,
		    struct rbi_learn_entry *e);

void rbi_learn_get_stats(const struct rbi_learn *t, uint64_t now,
			 struct rbi_learn_stats *s);

/* Bytes the table holds allocated. */
size_t rbi_learn_mem(const struct rbi_learn *t);

#endif /* RBI_LEARN_H */
