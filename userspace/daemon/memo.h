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
