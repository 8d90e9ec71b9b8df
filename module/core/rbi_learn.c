// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_learn.h"

struct rbi_learn_slot {
	uint8_t a[16];
	uint64_t expires;	/* 0 or at most now: free */
	uint32_t service;
	uint8_t family;
};

struct rbi_learn {
	uint32_t mask;
	uint32_t seed;
	uint64_t added;
	uint64_t refreshed;
	uint64_t evicted;
	struct rbi_learn_slot slots[];
};

static uint32_t rbi_learn_cap(uint32_t want)
{
	uint32_t cap = RBI_LEARN_CAP_MIN;

	while (cap < want && cap < RBI_LEARN_CAP_MAX)
		cap <<= 1;
	return cap;
}

struct rbi_learn *rbi_learn_alloc(uint32_t capacity, uint32_t seed)
{
	uint32_t cap = rbi_learn_cap(capacity);
	struct rbi_learn *t;

	t = rbi_zalloc(sizeof(*t) + (size_t)cap * sizeof(t->slots[0]));
	if (!t)
		return NULL;
	t->mask = cap - 1;
	t->seed = seed;
	return t;
}

void rbi_learn_free(struct rbi_learn *t)
{
	rbi_free(t);
}

static uint32_t rbi_learn_hash(const struct rbi_learn *t,
			       const struct rbi_ip *ip)
{
	uint32_t h = t->seed ^ ip->family;
	unsigned int i, words = ip->family == RBI_IP_V4 ? 1 : 4;

	for (i = 0; i < words; i++)
		h = rbi_hash32(h ^ rbi_get_be32(ip->a + 4 * i));
	return h;
}

/*
 * The key an address is stored under: IPv4-mapped IPv6 as the IPv4 address
 * it stands for, as in the address tables (rbi_addr.h), so that an AAAA
 * answer of ::ffff:a.b.c.d covers the flows that reach a.b.c.d. False for
 * an unknown family.
 */
static bool rbi_learn_key(const struct rbi_ip *ip, struct rbi_ip *key)
{
	if (ip->family != RBI_IP_V4 && ip->family != RBI_IP_V6)
		return false;
	*key = *ip;
	rbi_ip_unmap(key);
	return true;
}

static bool rbi_learn_same(const struct rbi_learn_slot *s,
			   const struct rbi_ip *ip)
{
	return s->family == ip->family && !rbi_memcmp(s->a, ip->a, 16);
}

static uint32_t rbi_learn_clamp(uint32_t ttl)
{
	if (ttl < RBI_LEARN_TTL_MIN)
		return RBI_LEARN_TTL_MIN;
	return ttl > RBI_LEARN_TTL_MAX ? RBI_LEARN_TTL_MAX : ttl;
}

/*
 * The slot ip lives in, else the one it should take: the first free slot
 * of its window, else the live one that expires first (*evict set).
 */
static struct rbi_learn_slot *rbi_learn_place(struct rbi_learn *t,
					      const struct rbi_ip *ip,
					      uint64_t now, bool *found,
					      bool *evict)
{
	struct rbi_learn_slot *s, *free = NULL, *oldest = NULL;
	uint32_t h = rbi_learn_hash(t, ip);
	unsigned int i;

	*found = false;
	*evict = false;
	for (i = 0; i < RBI_LEARN_PROBE; i++) {
		s = &t->slots[(h + i) & t->mask];
		if (s->expires <= now) {
			if (!free)
				free = s;
			continue;
		}
		if (rbi_learn_same(s, ip)) {
			*found = true;
			return s;
		}
		if (!oldest || s->expires < oldest->expires)
			oldest = s;
	}
	if (free)
		return free;
	*evict = true;
	return oldest;
}

int rbi_learn_add(struct rbi_learn *t, const struct rbi_ip *ip,
		  uint32_t service, uint32_t ttl, uint64_t now)
{
	uint64_t expires = now + rbi_learn_clamp(ttl);
	struct rbi_learn_slot *s;
	struct rbi_ip key;
	bool found, evict;

	if (!rbi_learn_key(ip, &key) || service == RBI_NONE)
		return -EINVAL;
	s = rbi_learn_place(t, &key, now, &found, &evict);
	if (found) {
		t->refreshed++;
		if (expires < s->expires)
			expires = s->expires;
	} else {
		t->added++;
		t->evicted += evict;
		s->family = key.family;
		rbi_memcpy(s->a, key.a, 16);
	}
	s->service = service;
	s->expires = expires;
	return 0;
}

uint32_t rbi_learn_slot(const struct rbi_learn *t, const struct rbi_ip *ip,
			uint64_t now)
{
	const struct rbi_learn_slot *s;
	struct rbi_ip key;
	uint32_t h, slot;
	unsigned int i;

	if (!rbi_learn_key(ip, &key))
		return RBI_NONE;
	h = rbi_learn_hash(t, &key);
	for (i = 0; i < RBI_LEARN_PROBE; i++) {
		slot = (h + i) & t->mask;
		s = &t->slots[slot];
		if (s->expires > now && rbi_learn_same(s, &key))
			return slot;
	}
	return RBI_NONE;
}

uint32_t rbi_learn_lookup(const struct rbi_learn *t, const struct rbi_ip *ip,
			  uint64_t now)
{
	uint32_t slot = rbi_learn_slot(t, ip, now);

	return slot == RBI_NONE ? RBI_NONE : t->slots[slot].service;
}

/* Index of the first chain name that is a service's, or name_count. */
static unsigned int rbi_learn_owner(const struct rbi_config *c,
				    const struct rbi_dns_answer_set *set,
				    uint32_t *service)
{
	unsigned int k;

	for (k = 0; k < set->name_count && k < RBI_DNS_CHAIN_MAX; k++) {
		*service = rbi_config_name_service(c, set->names[k],
						   rbi_strlen(set->names[k]),
						   NULL);
		if (*service != RBI_NONE)
			break;
	}
	return k;
}

unsigned int rbi_learn_answer(struct rbi_learn *t, const struct rbi_config *c,
			      const struct rbi_dns_answer_set *set,
			      uint64_t now)
{
	const struct rbi_dns_addr *a;
	uint32_t service = RBI_NONE;
	unsigned int first, i, n = 0;
	struct rbi_ip ip;

	first = rbi_learn_owner(c, set, &service);
	if (service == RBI_NONE)
		return 0;
	for (i = 0; i < set->addr_count && i < RBI_DNS_ADDRS_MAX; i++) {
		a = &set->addrs[i];
		if (a->name < first)
			continue;
		ip.family = a->family;
		rbi_memcpy(ip.a, a->bytes, 16);
		if (!rbi_learn_add(t, &ip, service, a->ttl, now))
			n++;
	}
	return n;
}

bool rbi_learn_next(const struct rbi_learn *t, uint32_t *pos, uint64_t now,
		    struct rbi_learn_entry *e)
{
	const struct rbi_learn_slot *s;

	for (; *pos <= t->mask; (*pos)++) {
		s = &t->slots[*pos];
		if (s->expires <= now)
			continue;
		e->ip.family = s->family;
		rbi_memcpy(e->ip.a, s->a, 16);
		e->service = s->service;
		e->expires = s->expires;
		(*pos)++;
		return true;
	}
	return false;
}

void rbi_learn_get_stats(const struct rbi_learn *t, uint64_t now,
			 struct rbi_learn_stats *s)
{
	uint32_t i;

	rbi_memset(s, 0, sizeof(*s));
	s->added = t->added;
	s->refreshed = t->refreshed;
	s->evicted = t->evicted;
	s->capacity = t->mask + 1;
	for (i = 0; i <= t->mask; i++)
		s->live += t->slots[i].expires > now;
}

size_t rbi_learn_mem(const struct rbi_learn *t)
{
	return sizeof(*t) + ((size_t)t->mask + 1) * sizeof(t->slots[0]);
}
