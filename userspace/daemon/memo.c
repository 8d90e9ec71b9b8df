// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>

#include "daemon/memo.h"

/* The learned table's clock: seconds that never go back. */
static uint64_t rbi_memo_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

static int rbi_memo_alloc(struct rbi_memo *m)
{
	struct rbi_learn_stats st;
	uint32_t seed = 0;

	/* A seed answers can't guess keeps them from aiming at one window. */
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint32_t)rbi_memo_now() ^ (uint32_t)(uintptr_t)m;
	m->t = rbi_learn_alloc(RBI_MEMO_CAPACITY, seed);
	if (!m->t)
		return -ENOMEM;
	rbi_learn_get_stats(m->t, 0, &st);
	m->capacity = st.capacity;
	m->names = calloc(m->capacity, sizeof(*m->names));
	if (!m->names) {
		rbi_learn_free(m->t);
		m->t = NULL;
		return -ENOMEM;
	}
	return 0;
}

int rbi_memo_init(struct rbi_memo *m)
{
	memset(m, 0, sizeof(*m));
	return rbi_memo_alloc(m);
}

void rbi_memo_destroy(struct rbi_memo *m)
{
	rbi_learn_free(m->t);
	free(m->names);
	memset(m, 0, sizeof(*m));
}

static void rbi_memo_put(struct rbi_memo *m, const struct rbi_ip *ip,
			 uint32_t service, uint32_t ttl, const char *comment,
			 uint64_t now)
{
	uint32_t slot;

	if (!m->t || rbi_learn_add(m->t, ip, service, ttl, now))
		return;
	slot = rbi_learn_slot(m->t, ip, now);
	if (slot != RBI_NONE)
		snprintf(m->names[slot], sizeof(m->names[slot]), "%s",
			 comment);
}

void rbi_memo_add(struct rbi_memo *m, const struct rbi_ip *ip,
		  uint32_t service, uint32_t ttl, const char *comment)
{
	rbi_memo_put(m, ip, service, ttl, comment, rbi_memo_now());
}

uint32_t rbi_memo_find(const struct rbi_memo *m, const struct rbi_ip *ip,
		       const char **name)
{
	uint64_t now = rbi_memo_now();
	const char *sp;
	uint32_t slot;

	if (!m->t)
		return RBI_NONE;
	slot = rbi_learn_slot(m->t, ip, now);
	if (slot == RBI_NONE)
		return RBI_NONE;
	if (name) {
		sp = strchr(m->names[slot], ' ');
		*name = sp ? sp + 1 : NULL;
	}
	return rbi_learn_lookup(m->t, ip, now);
}

void rbi_memo_remap(struct rbi_memo *m, const struct rbi_policy *np)
{
	uint64_t now = rbi_memo_now();
	struct rbi_learn_entry e;
	struct rbi_memo old = *m;
	uint32_t pos = 0, slot, service;
	const char *comment;

	if (!old.t)
		return;
	if (rbi_memo_alloc(m)) {
		rbi_memo_destroy(&old);
		memset(m, 0, sizeof(*m));
		return;
	}
	while (rbi_learn_next(old.t, &pos, now, &e)) {
		slot = rbi_learn_slot(old.t, &e.ip, now);
		comment = old.names[slot];
		service = rbi_policy_service_by_id(np, comment,
						   strcspn(comment, " "));
		if (service != RBI_NONE)
			rbi_memo_put(m, &e.ip, service,
				     (uint32_t)(e.expires - now), comment,
				     now);
	}
	rbi_memo_destroy(&old);
}
