/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the daemon remembers of the addresses it taught the learned maps:
 * the service and the name the answer gave, so that the audit record of a
 * flow the maps block can say which name led to the address (the kernel's
 * maps hold only a verdict). The addresses live in the core's learned-
 * address table (rbi_learn.h), the names beside it by slot. Its own lock
 * lets the queue backend's threads learn and look up while the main
 * thread writes records.
 */
#ifndef RBI_MEMO_H
#define RBI_MEMO_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "rbi_learn.h"
#include "nft/nft.h"
#include "policy/policy.h"

enum {
	/* Addresses remembered: the learned maps' own size. */
	RBI_MEMO_CAPACITY = 1 << 16,
};

struct rbi_memo {
	pthread_mutex_t lock;
	struct rbi_learn *t;
	/* "service-id name", the learned map element's comment, by slot. */
	char (*names)[RBI_NFT_COMMENT_MAX];
	uint32_t capacity;
};

int rbi_memo_init(struct rbi_memo *m);
void rbi_memo_destroy(struct rbi_memo *m);

/* Remembers ip for service for ttl seconds, by the element's comment. */
void rbi_memo_add(struct rbi_memo *m, const struct rbi_ip *ip,
		  uint32_t service, uint32_t ttl, const char *comment);

/*
 * Learns from an answer through rbi_learn_answer() (from: the resolver
 * that sent it); cb hears of each address, under the memo's lock: it may
 * give the address its name with rbi_memo_name(), and call nothing else
 * of the memo. A learned address has no name until then.
 */
void rbi_memo_learn(struct rbi_memo *m, const struct rbi_config *c,
		    const struct rbi_dns_answer_set *set,
		    const struct rbi_ip *from, rbi_learn_cb cb, void *ctx);

/* The comment of ip's live entry, "service-id name": from cb only. */
void rbi_memo_name(struct rbi_memo *m, const struct rbi_ip *ip,
		   const char *comment);

/* A live entry, as the learned maps hold it. */
struct rbi_memo_entry {
	struct rbi_ip ip;
	uint32_t service;
	uint32_t left;		/* seconds until it expires */
	char comment[RBI_NFT_COMMENT_MAX];
};

/* Walks the live entries: *pos = 0 first, then until false. */
bool rbi_memo_next(struct rbi_memo *m, uint32_t *pos,
		   struct rbi_memo_entry *e);

/* What learning refused and remembered since the start. */
void rbi_memo_stats(struct rbi_memo *m, struct rbi_learn_stats *st);

/*
 * The service ip was learned for, or RBI_NONE; name (if not NULL) then
 * holds the name the answer gave ("" when none), cut to len bytes.
 */
uint32_t rbi_memo_find(struct rbi_memo *m, const struct rbi_ip *ip,
		       char *name, size_t len);

/*
 * A new policy numbers its services anew: what was learned keeps its
 * service by id, as the carried-over learned maps do, or is forgotten.
 * On failure (no memory) everything is forgotten.
 */
void rbi_memo_remap(struct rbi_memo *m, const struct rbi_policy *np);

#endif
