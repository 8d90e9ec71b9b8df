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
	pthread_mutex_init(&m->lock, NULL);
	return rbi_memo_alloc(m);
}

static void rbi_memo_release(struct rbi_learn *t,
			     char (*names)[RBI_NFT_COMMENT_MAX])
{
	rbi_learn_free(t);
	free(names);
}

void rbi_memo_destroy(struct rbi_memo *m)
{
	rbi_memo_release(m->t, m->names);
	pthread_mutex_destroy(&m->lock);
	memset(m, 0, sizeof(*m));
}

static void rbi_memo_put(struct rbi_memo *m, const struct rbi_ip *ip,
			 uint32_t service, uint32_t ttl, const char *comment,
			 uint64_t now)
{
	uint32_t slot;

	if (!m->t || rbi_learn_add(m->t, ip, service, ttl, now, NULL))
		return;
	slot = rbi_learn_slot(m->t, ip, now);
	if (slot != RBI_NONE)
		snprintf(m->names[slot], sizeof(m->names[slot]), "%s",
			 comment);
}

void rbi_memo_add(struct rbi_memo *m, const struct rbi_ip *ip,
		  uint32_t service, uint32_t ttl, const char *comment)
{
	pthread_mutex_lock(&m->lock);
	rbi_memo_put(m, ip, service, ttl, comment, rbi_memo_now());
	pthread_mutex_unlock(&m->lock);
}

void rbi_memo_learn(struct rbi_memo *m, const struct rbi_config *c,
		    const struct rbi_dns_answer_set *set,
		    const struct rbi_ip *from, rbi_learn_cb cb, void *ctx)
{
	pthread_mutex_lock(&m->lock);
	if (m->t)
		rbi_learn_answer(m->t, c, set, from, rbi_memo_now(), cb, ctx);
	pthread_mutex_unlock(&m->lock);
}

void rbi_memo_name(struct rbi_memo *m, const struct rbi_ip *ip,
		   const char *comment)
{
	uint32_t slot = m->t ? rbi_learn_slot(m->t, ip, rbi_memo_now()) :
			RBI_NONE;

	if (slot != RBI_NONE)
		snprintf(m->names[slot], sizeof(m->names[slot]), "%s",
			 comment);
}

bool rbi_memo_next(struct rbi_memo *m, uint32_t *pos,
		   struct rbi_memo_entry *e)
{
	uint64_t now = rbi_memo_now();
	struct rbi_learn_entry le;
	bool more;

	pthread_mutex_lock(&m->lock);
	more = m->t && rbi_learn_next(m->t, pos, now, &le);
	if (more) {
		e->ip = le.ip;
		e->service = le.service;
		e->left = (uint32_t)(le.expires - now);
		snprintf(e->comment, sizeof(e->comment), "%s",
			 m->names[*pos - 1]);
	}
	pthread_mutex_unlock(&m->lock);
	return more;
}

void rbi_memo_stats(struct rbi_memo *m, struct rbi_learn_stats *st)
{
	pthread_mutex_lock(&m->lock);
	if (m->t)
		rbi_learn_get_stats(m->t, rbi_memo_now(), st);
	else
		memset(st, 0, sizeof(*st));
	pthread_mutex_unlock(&m->lock);
}

uint32_t rbi_memo_find(struct rbi_memo *m, const struct rbi_ip *ip,
		       char *name, size_t len)
{
	uint64_t now = rbi_memo_now();
	uint32_t slot, service = RBI_NONE;
	const char *sp;

	pthread_mutex_lock(&m->lock);
	slot = m->t ? rbi_learn_slot(m->t, ip, now) : RBI_NONE;
	if (slot != RBI_NONE) {
		if (name) {
			sp = strchr(m->names[slot], ' ');
			snprintf(name, len, "%s", sp ? sp + 1 : "");
		}
		service = rbi_learn_lookup(m->t, ip, now);
	}
	pthread_mutex_unlock(&m->lock);
	return service;
}

void rbi_memo_remap(struct rbi_memo *m, const struct rbi_policy *np)
{
	uint64_t now = rbi_memo_now();
	struct rbi_learn_entry e;
	struct rbi_memo old;
	uint32_t pos = 0, slot, service;
	const char *comment;

	pthread_mutex_lock(&m->lock);
	old.t = m->t;
	old.names = m->names;
	if (!old.t || rbi_memo_alloc(m)) {
		rbi_memo_release(old.t, old.names);
		m->t = NULL;
		m->names = NULL;
		pthread_mutex_unlock(&m->lock);
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
	rbi_memo_release(old.t, old.names);
	pthread_mutex_unlock(&m->lock);
}
