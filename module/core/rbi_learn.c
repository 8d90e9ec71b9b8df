// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_learn.h"

struct rbi_learn_slot {
	uint8_t a[16];
	uint64_t expires;	/* 0: free; at most now: expired, still counted */
	uint32_t service;
	uint8_t family;
};

/* A name the client was sent to, by a seeded 64-bit hash of its text. */
struct rbi_learn_alias {
	uint64_t key;
	uint64_t expires;
	uint32_t service;
};

struct rbi_learn {
	uint32_t mask;
	uint32_t amask;		/* alias slots - 1 */
	uint32_t seed;
	uint32_t used;		/* slots holding an entry, expired or not */
	uint64_t swept;		/* when expired entries were last freed */
	uint64_t added;
	uint64_t refreshed;
	uint64_t evicted;
	uint64_t aliases;
	uint64_t refused[__RBI_LEARN_REF_MAX];
	/* Entries held per service, by service index modulo the slots. */
	uint32_t per_service[RBI_LEARN_SERVICE_SLOTS];
	struct rbi_learn_alias *alias;	/* after the slots */
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
	uint32_t cap = rbi_learn_cap(capacity), acap = rbi_learn_cap(cap / 4);
	struct rbi_learn *t;

	t = rbi_zalloc(sizeof(*t) + (size_t)cap * sizeof(t->slots[0]) +
		       (size_t)acap * sizeof(t->alias[0]));
	if (!t)
		return NULL;
	t->mask = cap - 1;
	t->amask = acap - 1;
	t->seed = seed;
	t->alias = (struct rbi_learn_alias *)&t->slots[cap];
	return t;
}

void rbi_learn_free(struct rbi_learn *t)
{
	rbi_free(t);
}

const char *rbi_learn_refusal_name(enum rbi_learn_refusal r)
{
	static const char *const names[__RBI_LEARN_REF_MAX] = {
		[RBI_LEARN_REF_SPECIAL] = "not a host address",
		[RBI_LEARN_REF_ZONE] = "camera network",
		[RBI_LEARN_REF_RECORDER] = "recorder",
		[RBI_LEARN_REF_RESOLVER] = "resolver",
		[RBI_LEARN_REF_SERVICE_CAP] = "per-service cap",
		[RBI_LEARN_REF_TOTAL_CAP] = "table cap",
	};

	return (unsigned int)r < __RBI_LEARN_REF_MAX ? names[r] : "?";
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

static uint32_t *rbi_learn_count(struct rbi_learn *t, uint32_t service)
{
	return &t->per_service[service % RBI_LEARN_SERVICE_SLOTS];
}

/* Frees slot s, live or expired, and takes it off the counts. */
static void rbi_learn_release(struct rbi_learn *t, struct rbi_learn_slot *s)
{
	if (!s->expires)
		return;
	(*rbi_learn_count(t, s->service))--;
	t->used--;
	s->expires = 0;
}

/* Frees every expired entry, at most once a second. */
static bool rbi_learn_sweep(struct rbi_learn *t, uint64_t now)
{
	uint32_t i;

	if (t->swept == now)
		return false;
	t->swept = now;
	for (i = 0; i <= t->mask; i++)
		if (t->slots[i].expires <= now)
			rbi_learn_release(t, &t->slots[i]);
	return true;
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

/* The cap a new entry for service would break, or -1. */
static int rbi_learn_capped(struct rbi_learn *t, uint32_t service)
{
	if (*rbi_learn_count(t, service) >= RBI_LEARN_SERVICE_MAX)
		return RBI_LEARN_REF_SERVICE_CAP;
	if (t->used >= (t->mask + 1) / 4 * 3)
		return RBI_LEARN_REF_TOTAL_CAP;
	return -1;
}

int rbi_learn_add(struct rbi_learn *t, const struct rbi_ip *ip,
		  uint32_t service, uint32_t ttl, uint64_t now,
		  enum rbi_learn_refusal *refusal)
{
	uint64_t expires = now + rbi_learn_clamp(ttl);
	struct rbi_learn_slot *s;
	struct rbi_ip key;
	bool found, evict;
	int cap;

	if (!rbi_learn_key(ip, &key) || service == RBI_NONE)
		return -EINVAL;
	s = rbi_learn_place(t, &key, now, &found, &evict);
	if (found) {
		t->refreshed++;
		if (expires < s->expires)
			expires = s->expires;
		(*rbi_learn_count(t, s->service))--;
		(*rbi_learn_count(t, service))++;
		s->service = service;
		s->expires = expires;
		return 0;
	}
	cap = rbi_learn_capped(t, service);
	if (cap >= 0 && rbi_learn_sweep(t, now))
		cap = rbi_learn_capped(t, service);
	if (cap >= 0) {
		t->refused[cap]++;
		if (refusal)
			*refusal = (enum rbi_learn_refusal)cap;
		return -ENOSPC;
	}
	rbi_learn_release(t, s);
	t->added++;
	t->evicted += evict;
	t->used++;
	(*rbi_learn_count(t, service))++;
	s->family = key.family;
	rbi_memcpy(s->a, key.a, 16);
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

/* No host: unspecified, loopback, link-local, multicast, broadcast. */
static bool rbi_learn_special(const struct rbi_ip *ip)
{
	const uint8_t *a = ip->a;
	static const uint8_t zero[15];

	if (ip->family == RBI_IP_V4)
		return !a[0] || a[0] == 127 || a[0] >= 224 ||
		       (a[0] == 169 && a[1] == 254);
	if (a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
		return true;
	return !rbi_memcmp(a, zero, sizeof(zero)) && a[15] <= 1;
}

unsigned int rbi_learn_check(const struct rbi_config *c,
			     const struct rbi_ip *ip,
			     const struct rbi_ip *from)
{
	struct rbi_ip key, sender;

	if (!rbi_learn_key(ip, &key) || rbi_learn_special(&key))
		return 1 + RBI_LEARN_REF_SPECIAL;
	switch (rbi_config_infra(c, &key)) {
	case RBI_INFRA_ZONE:
		return 1 + RBI_LEARN_REF_ZONE;
	case RBI_INFRA_RECORDER:
		return 1 + RBI_LEARN_REF_RECORDER;
	case RBI_INFRA_RESOLVER:
		return 1 + RBI_LEARN_REF_RESOLVER;
	default:
		break;
	}
	if (from && rbi_learn_key(from, &sender) &&
	    sender.family == key.family && !rbi_memcmp(sender.a, key.a, 16))
		return 1 + RBI_LEARN_REF_RESOLVER;
	return 0;
}

/* ---- aliases ---- */

static uint64_t rbi_learn_name_key(const struct rbi_learn *t,
				   const char *name)
{
	uint64_t h = 14695981039346656037ull ^ t->seed;

	while (*name)
		h = (h ^ (uint8_t)*name++) * 1099511628211ull;
	return h | 1;
}

uint32_t rbi_learn_alias(const struct rbi_learn *t, const char *name,
			 uint64_t now)
{
	uint64_t key = rbi_learn_name_key(t, name);
	const struct rbi_learn_alias *a;
	unsigned int i;

	for (i = 0; i < RBI_LEARN_PROBE; i++) {
		a = &t->alias[(key + i) & t->amask];
		if (a->expires > now && a->key == key)
			return a->service;
	}
	return RBI_NONE;
}

static void rbi_learn_alias_add(struct rbi_learn *t, const char *name,
				uint32_t service, uint32_t ttl, uint64_t now)
{
	uint64_t key = rbi_learn_name_key(t, name);
	uint64_t expires = now + rbi_learn_clamp(ttl);
	struct rbi_learn_alias *a, *best = NULL;
	unsigned int i;

	for (i = 0; i < RBI_LEARN_PROBE; i++) {
		a = &t->alias[(key + i) & t->amask];
		if (a->expires > now && a->key == key) {
			best = a;
			if (expires < a->expires)
				expires = a->expires;
			break;
		}
		if (!best || a->expires < best->expires)
			best = a;
	}
	if (best->key != key || best->expires <= now)
		t->aliases++;
	best->key = key;
	best->service = service;
	best->expires = expires;
}

/*
 * The first chain name that is a prohibited service's, or an alias of
 * one; name_count when none is. name is a caller's RBI_NAME_BUF buffer.
 */
static unsigned int rbi_learn_owner(const struct rbi_learn *t,
				    const struct rbi_config *c,
				    const struct rbi_dns_answer_set *set,
				    uint64_t now, char *name,
				    uint32_t *service)
{
	unsigned int k;

	for (k = 0; k < set->name_count; k++) {
		rbi_dns_chain_name(set, k, name);
		*service = rbi_config_name_service(c, name, rbi_strlen(name),
						   NULL);
		if (*service == RBI_NONE)
			*service = rbi_learn_alias(t, name, now);
		if (*service != RBI_NONE)
			break;
	}
	return k;
}

unsigned int rbi_learn_answer(struct rbi_learn *t, const struct rbi_config *c,
			      const struct rbi_dns_answer_set *set,
			      const struct rbi_ip *from, uint64_t now,
			      rbi_learn_cb cb, void *ctx)
{
	struct rbi_learn_event ev;
	enum rbi_learn_refusal why;
	char name[RBI_NAME_BUF];
	unsigned int first, pos = 0, k, n = 0, bad;
	struct rbi_dns_addr a;
	uint32_t service = RBI_NONE;

	first = rbi_learn_owner(t, c, set, now, name, &service);
	if (first == set->name_count)
		return 0;
	while (rbi_dns_addr_next(set, &pos, &a)) {
		if (a.name < first)
			continue;
		rbi_memset(&ev, 0, sizeof(ev));
		ev.ip.family = a.family;
		rbi_memcpy(ev.ip.a, a.bytes, 16);
		ev.service = service;
		ev.ttl = a.ttl;
		ev.name = first;
		ev.refused = -1;
		bad = rbi_learn_check(c, &ev.ip, from);
		if (bad) {
			t->refused[bad - 1]++;
			ev.refused = (int)bad - 1;
		} else if (rbi_learn_add(t, &ev.ip, service, a.ttl, now,
					 &why)) {
			ev.refused = (int)why;
		} else {
			n++;
		}
		if (cb)
			cb(ctx, &ev);
	}
	pos = 0;
	while (rbi_dns_target_next(set, &pos, &k, name))
		if (k >= first)
			rbi_learn_alias_add(t, name, service,
					    set->chain[k].ttl, now);
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
	s->aliases = t->aliases;
	for (i = 0; i < __RBI_LEARN_REF_MAX; i++)
		s->refused[i] = t->refused[i];
	s->capacity = t->mask + 1;
	for (i = 0; i <= t->mask; i++)
		s->live += t->slots[i].expires > now;
}

size_t rbi_learn_mem(const struct rbi_learn *t)
{
	return sizeof(*t) + ((size_t)t->mask + 1) * sizeof(t->slots[0]) +
	       ((size_t)t->amask + 1) * sizeof(t->alias[0]);
}
