// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "scan/flowtab.h"
#include "scan/frame.h"

struct rbi_flowtab_ent {
	struct rbi_flow_key key;
	uint32_t hash;
	uint32_t chain;		/* next in the bucket or free list */
	uint32_t older;		/* LRU neighbours */
	uint32_t newer;
	uint8_t idle;		/* enum rbi_flow_idle: which LRU list */
	uint64_t first;
	uint64_t last;
	uint64_t moved;		/* when it last became the most recent */
};

/*
 * Moving a flow to the head of the LRU list touches its neighbours: two
 * more cache misses per packet in a big table. Doing it at most once a
 * second per flow keeps the order right to within that second, which is
 * all eviction and idle expiry need.
 */
#define RBI_FLOWTAB_MOVE_US	1000000ull

enum {
	RBI_FLOWTAB_BUCKETS_MIN = 4096,
	RBI_FLOWTAB_LINE = 64,
};

struct rbi_flowtab {
	uint32_t cap;
	/*
	 * Buckets in use - 1. The array is allocated for two buckets a flow
	 * at full capacity, but only as many are used as the live flows
	 * need: a bucket array that fits the cache matters more per packet
	 * than anything else here.
	 */
	uint32_t mask;
	uint32_t max_mask;
	uint32_t *bucket;
	/*
	 * Entries of stride bytes: the table's own fields, then the
	 * caller's, so that one flow's state is one run of cache lines.
	 */
	uint8_t *ent;
	size_t stride;
	uint32_t free;		/* entries ended, for reuse */
	/*
	 * Entries below fresh have been used. Handing out fresh ones before
	 * building a free list leaves untouched pages unmapped, so a big
	 * table costs memory only as flows fill it.
	 */
	uint32_t fresh;
	uint32_t newest[__RBI_FLOW_IDLE_MAX];
	uint32_t oldest[__RBI_FLOW_IDLE_MAX];
	uint64_t idle[__RBI_FLOW_IDLE_MAX];
	rbi_flow_end_fn end;
	void *ctx;
	struct rbi_flowtab_stats st;
};

static struct rbi_flowtab_ent *rbi_flowtab_ent(const struct rbi_flowtab *t,
					       uint32_t i)
{
	return (struct rbi_flowtab_ent *)(t->ent + (size_t)i * t->stride);
}

void *rbi_flowtab_user(const struct rbi_flowtab *t, uint32_t idx)
{
	return t->ent + (size_t)idx * t->stride +
	       sizeof(struct rbi_flowtab_ent);
}

_Static_assert(sizeof(struct rbi_flow_key) == 5 * sizeof(uint64_t),
	       "a flow key is five words");

/*
 * Keys are read a word at a time, through scalars: the per-packet path
 * keeps no arrays on its stack, and so no stack canary either.
 */
static uint64_t rbi_load64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Five word compares; memcmp() is a call for every packet otherwise. */
static bool rbi_flow_key_same(const struct rbi_flow_key *a,
			      const struct rbi_flow_key *b)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
	uint64_t d = 0;
	size_t i;

	for (i = 0; i < sizeof(*a); i += sizeof(d))
		d |= rbi_load64(x + i) ^ rbi_load64(y + i);
	return !d;
}

struct rbi_flowtab *rbi_flowtab_alloc(uint32_t capacity, size_t user_size,
				      const uint64_t idle_us[__RBI_FLOW_IDLE_MAX],
				      rbi_flow_end_fn end, void *ctx)
{
	struct rbi_flowtab *t = calloc(1, sizeof(*t));
	uint32_t buckets = RBI_FLOWTAB_BUCKETS_MIN;
	unsigned int c;

	if (!t)
		return NULL;
	if (capacity < RBI_FLOWTAB_CAP_MIN)
		capacity = RBI_FLOWTAB_CAP_MIN;
	if (capacity > RBI_FLOWTAB_CAP_MAX)
		capacity = RBI_FLOWTAB_CAP_MAX;
	/* At least two buckets a flow keeps chains short. */
	while (buckets < 2 * capacity)
		buckets <<= 1;
	t->cap = capacity;
	t->max_mask = buckets - 1;
	t->mask = RBI_FLOWTAB_BUCKETS_MIN - 1;
	t->bucket = malloc(buckets * sizeof(*t->bucket));
	t->stride = (sizeof(struct rbi_flowtab_ent) + user_size +
		     RBI_FLOWTAB_LINE - 1) / RBI_FLOWTAB_LINE * RBI_FLOWTAB_LINE;
	/* calloc's pages are mapped zeroed only as flows first touch them. */
	t->ent = calloc(capacity, t->stride);
	if (!t->bucket || !t->ent) {
		rbi_flowtab_free(t);
		return NULL;
	}
	memset(t->bucket, 0xff, RBI_FLOWTAB_BUCKETS_MIN * sizeof(*t->bucket));
	t->free = RBI_FLOWTAB_NONE;
	for (c = 0; c < __RBI_FLOW_IDLE_MAX; c++) {
		t->newest[c] = RBI_FLOWTAB_NONE;
		t->oldest[c] = RBI_FLOWTAB_NONE;
		t->idle[c] = idle_us[c];
	}
	t->end = end;
	t->ctx = ctx;
	t->st.capacity = capacity;
	return t;
}

void rbi_flowtab_free(struct rbi_flowtab *t)
{
	if (!t)
		return;
	free(t->bucket);
	free(t->ent);
	free(t);
}

uint32_t rbi_flowtab_capacity(const struct rbi_flowtab *t)
{
	return t->cap;
}

/* memcmp()'s order of two addresses, from two big-endian words each. */
static int rbi_flow_addr_cmp(const uint8_t *x, const uint8_t *y)
{
	uint64_t a, b;
	unsigned int i;

	for (i = 0; i < 16; i += 8) {
		a = __builtin_bswap64(rbi_load64(x + i));
		b = __builtin_bswap64(rbi_load64(y + i));
		if (a != b)
			return a < b ? -1 : 1;
	}
	return 0;
}

void rbi_flow_key_make(struct rbi_flow_key *k, const struct rbi_ip *src,
		       uint16_t sport, const struct rbi_ip *dst,
		       uint16_t dport, uint8_t l4, unsigned int *dir)
{
	int c = rbi_flow_addr_cmp(src->a, dst->a);

	*dir = c > 0 || (c == 0 && sport > dport);
	memcpy(k->a, *dir ? dst->a : src->a, sizeof(k->a));
	memcpy(k->b, *dir ? src->a : dst->a, sizeof(k->b));
	k->aport = *dir ? dport : sport;
	k->bport = *dir ? sport : dport;
	k->family = src->family;
	k->l4 = l4;
	k->zero[0] = 0;
	k->zero[1] = 0;
}

static uint64_t rbi_flowtab_mix(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

static uint32_t rbi_flowtab_hash(const struct rbi_flow_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = 0x9e3779b97f4a7c15ull;
	size_t i;

	for (i = 0; i < sizeof(*k); i += sizeof(h))
		h = rbi_flowtab_mix(h, rbi_load64(p + i));
	return (uint32_t)h;
}

static void rbi_flowtab_unlink_lru(struct rbi_flowtab *t, uint32_t i)
{
	struct rbi_flowtab_ent *e = rbi_flowtab_ent(t, i);

	if (e->older != RBI_FLOWTAB_NONE)
		rbi_flowtab_ent(t, e->older)->newer = e->newer;
	else
		t->oldest[e->idle] = e->newer;
	if (e->newer != RBI_FLOWTAB_NONE)
		rbi_flowtab_ent(t, e->newer)->older = e->older;
	else
		t->newest[e->idle] = e->older;
}

static void rbi_flowtab_link_newest(struct rbi_flowtab *t, uint32_t i)
{
	struct rbi_flowtab_ent *e = rbi_flowtab_ent(t, i);

	e->older = t->newest[e->idle];
	e->newer = RBI_FLOWTAB_NONE;
	if (t->newest[e->idle] != RBI_FLOWTAB_NONE)
		rbi_flowtab_ent(t, t->newest[e->idle])->newer = i;
	else
		t->oldest[e->idle] = i;
	t->newest[e->idle] = i;
}

static void rbi_flowtab_unlink_bucket(struct rbi_flowtab *t, uint32_t i)
{
	uint32_t *at = &t->bucket[rbi_flowtab_ent(t, i)->hash & t->mask];

	while (*at != i)
		at = &rbi_flowtab_ent(t, *at)->chain;
	*at = rbi_flowtab_ent(t, i)->chain;
}

void rbi_flowtab_end(struct rbi_flowtab *t, uint32_t idx,
		     enum rbi_flow_end why)
{
	if (t->end)
		t->end(t->ctx, idx, why);
	rbi_flowtab_unlink_bucket(t, idx);
	rbi_flowtab_unlink_lru(t, idx);
	rbi_flowtab_ent(t, idx)->chain = t->free;
	t->free = idx;
	t->st.ended[why]++;
	t->st.live--;
}

/* Doubles the buckets in use, once live flows outnumber half of them. */
static void rbi_flowtab_grow(struct rbi_flowtab *t)
{
	unsigned int c;
	uint32_t i, *b;

	if (t->mask == t->max_mask || t->st.live < (t->mask + 1) / 2)
		return;
	t->mask = t->mask * 2 + 1;
	memset(t->bucket, 0xff, ((size_t)t->mask + 1) * sizeof(*t->bucket));
	for (c = 0; c < __RBI_FLOW_IDLE_MAX; c++) {
		for (i = t->newest[c]; i != RBI_FLOWTAB_NONE;
		     i = rbi_flowtab_ent(t, i)->older) {
			b = &t->bucket[rbi_flowtab_ent(t, i)->hash & t->mask];
			rbi_flowtab_ent(t, i)->chain = *b;
			*b = i;
		}
	}
}

/* The flow quiet longest: the oldest of the lists' oldest. */
static uint32_t rbi_flowtab_stalest(const struct rbi_flowtab *t)
{
	uint32_t best = RBI_FLOWTAB_NONE, i;
	unsigned int c;

	for (c = 0; c < __RBI_FLOW_IDLE_MAX; c++) {
		i = t->oldest[c];
		if (i != RBI_FLOWTAB_NONE &&
		    (best == RBI_FLOWTAB_NONE || rbi_flowtab_ent(t, i)->last <
						 rbi_flowtab_ent(t, best)->last))
			best = i;
	}
	return best;
}

static uint32_t rbi_flowtab_take(struct rbi_flowtab *t)
{
	uint32_t i;

	if (t->free == RBI_FLOWTAB_NONE) {
		if (t->fresh < t->cap)
			return t->fresh++;
		rbi_flowtab_end(t, rbi_flowtab_stalest(t),
				RBI_FLOW_END_EVICTED);
	}
	i = t->free;
	t->free = rbi_flowtab_ent(t, i)->chain;
	return i;
}

static bool rbi_flowtab_idle(const struct rbi_flowtab *t,
			     const struct rbi_flowtab_ent *e, uint64_t now)
{
	return now > e->last && now - e->last > t->idle[e->idle];
}

static uint32_t rbi_flowtab_find(struct rbi_flowtab *t,
				 const struct rbi_flow_key *k, uint32_t h)
{
	uint32_t i;

	for (i = t->bucket[h & t->mask]; i != RBI_FLOWTAB_NONE;
	     i = rbi_flowtab_ent(t, i)->chain)
		if (rbi_flowtab_ent(t, i)->hash == h &&
		    rbi_flow_key_same(&rbi_flowtab_ent(t, i)->key, k))
			return i;
	return RBI_FLOWTAB_NONE;
}

uint32_t rbi_flowtab_get(struct rbi_flowtab *t, const struct rbi_flow_key *k,
			 uint64_t now, bool create, bool *created)
{
	uint32_t h = rbi_flowtab_hash(k), i = rbi_flowtab_find(t, k, h);
	struct rbi_flowtab_ent *e;

	if (i != RBI_FLOWTAB_NONE &&
	    rbi_flowtab_idle(t, rbi_flowtab_ent(t, i), now)) {
		rbi_flowtab_end(t, i, RBI_FLOW_END_IDLE);
		i = RBI_FLOWTAB_NONE;
	}
	if (i != RBI_FLOWTAB_NONE) {
		e = rbi_flowtab_ent(t, i);
		if (t->newest[e->idle] != i &&
		    (now < e->moved || now - e->moved >= RBI_FLOWTAB_MOVE_US)) {
			rbi_flowtab_unlink_lru(t, i);
			rbi_flowtab_link_newest(t, i);
			e->moved = now;
		}
		e->last = now;
		*created = false;
		return i;
	}
	*created = false;
	if (!create)
		return RBI_FLOWTAB_NONE;
	i = rbi_flowtab_take(t);
	e = rbi_flowtab_ent(t, i);
	e->key = *k;
	e->hash = h;
	e->first = now;
	e->last = now;
	e->moved = now;
	e->idle = k->l4 == RBI_PROTO_UDP ? RBI_FLOW_IDLE_UDP :
		  RBI_FLOW_IDLE_TCP;
	e->chain = t->bucket[h & t->mask];
	t->bucket[h & t->mask] = i;
	rbi_flowtab_link_newest(t, i);
	t->st.created++;
	if (++t->st.live > t->st.peak)
		t->st.peak = t->st.live;
	rbi_flowtab_grow(t);
	*created = true;
	return i;
}

void rbi_flowtab_set_idle(struct rbi_flowtab *t, uint32_t idx,
			  enum rbi_flow_idle idle)
{
	if (rbi_flowtab_ent(t, idx)->idle == idle)
		return;
	rbi_flowtab_unlink_lru(t, idx);
	rbi_flowtab_ent(t, idx)->idle = (uint8_t)idle;
	rbi_flowtab_link_newest(t, idx);
	rbi_flowtab_ent(t, idx)->moved = rbi_flowtab_ent(t, idx)->last;
}

void rbi_flowtab_expire(struct rbi_flowtab *t, uint64_t now)
{
	unsigned int c;

	for (c = 0; c < __RBI_FLOW_IDLE_MAX; c++)
		while (t->oldest[c] != RBI_FLOWTAB_NONE &&
		       rbi_flowtab_idle(t, rbi_flowtab_ent(t, t->oldest[c]), now))
			rbi_flowtab_end(t, t->oldest[c], RBI_FLOW_END_IDLE);
}

void rbi_flowtab_end_all(struct rbi_flowtab *t, enum rbi_flow_end why)
{
	unsigned int c;

	for (c = 0; c < __RBI_FLOW_IDLE_MAX; c++)
		while (t->oldest[c] != RBI_FLOWTAB_NONE)
			rbi_flowtab_end(t, t->oldest[c], why);
}

const struct rbi_flow_key *rbi_flowtab_key(const struct rbi_flowtab *t,
					   uint32_t idx)
{
	return &rbi_flowtab_ent(t, idx)->key;
}

uint64_t rbi_flowtab_first(const struct rbi_flowtab *t, uint32_t idx)
{
	return rbi_flowtab_ent(t, idx)->first;
}

uint64_t rbi_flowtab_last(const struct rbi_flowtab *t, uint32_t idx)
{
	return rbi_flowtab_ent(t, idx)->last;
}

const struct rbi_flowtab_stats *rbi_flowtab_stats(const struct rbi_flowtab *t)
{
	return &t->st;
}

size_t rbi_flowtab_mem(const struct rbi_flowtab *t)
{
	return sizeof(*t) + ((size_t)t->max_mask + 1) * sizeof(*t->bucket) +
	       (size_t)t->cap * t->stride;
}
