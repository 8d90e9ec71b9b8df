// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_dnsq.h"

struct rbi_dnsq_slot {
	struct rbi_dnsq_key k;
	uint64_t name;
	uint64_t expires;	/* 0 or at most now: free */
};

struct rbi_dnsq {
	uint32_t mask;
	uint32_t seed;
	uint64_t added;
	uint64_t matched;
	uint64_t unmatched;
	uint64_t refused;
	struct rbi_dnsq_slot slots[];
};

struct rbi_dnsq *rbi_dnsq_alloc(uint32_t capacity, uint32_t seed)
{
	uint32_t cap = RBI_DNSQ_CAP_MIN;
	struct rbi_dnsq *q;

	while (cap < capacity && cap < RBI_DNSQ_CAP_MAX)
		cap <<= 1;
	q = rbi_zalloc(sizeof(*q) + (size_t)cap * sizeof(q->slots[0]));
	if (!q)
		return NULL;
	q->mask = cap - 1;
	q->seed = seed;
	return q;
}

void rbi_dnsq_free(struct rbi_dnsq *q)
{
	rbi_free(q);
}

static uint32_t rbi_dnsq_mix(uint32_t h, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 4 <= len; i += 4)
		h = rbi_hash32(h ^ rbi_get_be32(p + i));
	for (; i < len; i++)
		h = rbi_hash32(h ^ p[i]);
	return h;
}

static uint32_t rbi_dnsq_hash(const struct rbi_dnsq *q,
			      const struct rbi_dnsq_key *k)
{
	uint32_t h = q->seed ^ k->l4;

	h = rbi_dnsq_mix(h, k->client.a, sizeof(k->client.a));
	h = rbi_dnsq_mix(h, k->server.a, sizeof(k->server.a));
	return rbi_hash32(h ^ ((uint32_t)k->cport << 16 | k->id) ^
			  ((uint32_t)k->sport << 8 | k->client.family));
}

/* Two seeded 32-bit hashes of the name, one 64-bit value. */
static uint64_t rbi_dnsq_name(const struct rbi_dnsq *q, const char *name,
			      size_t len)
{
	uint32_t lo = rbi_dnsq_mix(q->seed, (const uint8_t *)name, len);
	uint32_t hi = rbi_dnsq_mix(~q->seed ^ (uint32_t)len,
				   (const uint8_t *)name, len);

	return (uint64_t)hi << 32 | lo;
}

static bool rbi_dnsq_key_eq(const struct rbi_dnsq_key *a,
			    const struct rbi_dnsq_key *b)
{
	return a->l4 == b->l4 && a->id == b->id && a->cport == b->cport &&
	       a->sport == b->sport && a->client.family == b->client.family &&
	       a->server.family == b->server.family &&
	       !rbi_memcmp(a->client.a, b->client.a, sizeof(a->client.a)) &&
	       !rbi_memcmp(a->server.a, b->server.a, sizeof(a->server.a));
}

/* The live slot of k, or NULL; *free is a free slot of its window or NULL. */
static struct rbi_dnsq_slot *rbi_dnsq_find(struct rbi_dnsq *q,
					   const struct rbi_dnsq_key *k,
					   uint64_t now,
					   struct rbi_dnsq_slot **free)
{
	uint32_t h = rbi_dnsq_hash(q, k), i;
	struct rbi_dnsq_slot *s;

	*free = NULL;
	for (i = 0; i < RBI_DNSQ_PROBE; i++) {
		s = &q->slots[(h + i) & q->mask];
		if (s->expires <= now) {
			if (!*free)
				*free = s;
			continue;
		}
		if (rbi_dnsq_key_eq(&s->k, k))
			return s;
	}
	return NULL;
}

int rbi_dnsq_add(struct rbi_dnsq *q, const struct rbi_dnsq_key *k,
		 const char *name, size_t len, uint64_t now)
{
	uint64_t n = rbi_dnsq_name(q, name, len);
	struct rbi_dnsq_slot *s, *free;

	s = rbi_dnsq_find(q, k, now, &free);
	if (s && s->name != n) {
		q->refused++;
		return -EEXIST;
	}
	if (!s) {
		if (!free) {
			q->refused++;
			return -ENOSPC;
		}
		s = free;
		rbi_memset(s, 0, sizeof(*s));
		s->k = *k;
		s->name = n;
		q->added++;
	}
	s->expires = now + RBI_DNSQ_TIMEOUT;
	return 0;
}

bool rbi_dnsq_answer(struct rbi_dnsq *q, const struct rbi_dnsq_key *k,
		     const char *name, size_t len, uint64_t now)
{
	struct rbi_dnsq_slot *s, *free;

	s = rbi_dnsq_find(q, k, now, &free);
	if (!s || s->name != rbi_dnsq_name(q, name, len)) {
		q->unmatched++;
		return false;
	}
	s->expires = 0;
	q->matched++;
	return true;
}

void rbi_dnsq_get_stats(const struct rbi_dnsq *q, uint64_t now,
			struct rbi_dnsq_stats *s)
{
	uint32_t i;

	rbi_memset(s, 0, sizeof(*s));
	s->added = q->added;
	s->matched = q->matched;
	s->unmatched = q->unmatched;
	s->refused = q->refused;
	s->capacity = q->mask + 1;
	for (i = 0; i <= q->mask; i++)
		s->pending += q->slots[i].expires > now;
}

size_t rbi_dnsq_mem(const struct rbi_dnsq *q)
{
	return sizeof(*q) + ((size_t)q->mask + 1) * sizeof(q->slots[0]);
}
