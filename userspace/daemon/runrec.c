// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "daemon/runrec.h"

enum {
	RBI_SEEN_PROBE = 8,	/* slots a flow may sit in, from its hash */
};

/* A flow recorded from the module's verdict; until_ms 0: a free slot. */
struct rbi_seen {
	struct rbi_runrec_key key;	/* canonical: see rbi_key_canon() */
	uint8_t kind;
	uint64_t until_ms;
};

struct rbi_runrecs {
	rbi_runrec_emit emit;
	void *ctx;
	size_t n_pend;
	struct rbi_runrec pend[RBI_RUNREC_PENDING];
	struct rbi_seen seen[RBI_RUNREC_SEEN];
};

struct rbi_runrecs *rbi_runrecs_new(rbi_runrec_emit emit, void *ctx)
{
	struct rbi_runrecs *t = calloc(1, sizeof(*t));

	if (t) {
		t->emit = emit;
		t->ctx = ctx;
	}
	return t;
}

void rbi_runrecs_free(struct rbi_runrecs *t)
{
	free(t);
}

size_t rbi_runrecs_pending(const struct rbi_runrecs *t)
{
	return t->n_pend;
}

static bool rbi_ip_eq(const struct rbi_ip *a, const struct rbi_ip *b)
{
	return a->family == b->family && !memcmp(a->a, b->a, sizeof(a->a));
}

static bool rbi_key_eq(const struct rbi_runrec_key *a,
		       const struct rbi_runrec_key *b)
{
	return a->l4 == b->l4 && a->sport == b->sport &&
	       a->dport == b->dport && rbi_ip_eq(&a->src, &b->src) &&
	       rbi_ip_eq(&a->dst, &b->dst);
}

/* b is a, or a seen from the other end (a reply the module's chain saw). */
static bool rbi_key_same_flow(const struct rbi_runrec_key *a,
			      const struct rbi_runrec_key *b)
{
	return rbi_key_eq(a, b) ||
	       (a->l4 == b->l4 && a->sport == b->dport &&
		a->dport == b->sport && rbi_ip_eq(&a->src, &b->dst) &&
		rbi_ip_eq(&a->dst, &b->src));
}

/* One orientation per flow, whichever end a packet came from. */
static void rbi_key_canon(const struct rbi_runrec_key *k,
			  struct rbi_runrec_key *out)
{
	int c = memcmp(k->src.a, k->dst.a, sizeof(k->src.a));

	memset(out, 0, sizeof(*out));
	out->l4 = k->l4;
	if (c < 0 || (!c && k->sport <= k->dport)) {
		out->src = k->src;
		out->dst = k->dst;
		out->sport = k->sport;
		out->dport = k->dport;
	} else {
		out->src = k->dst;
		out->dst = k->src;
		out->sport = k->dport;
		out->dport = k->sport;
	}
}

static uint32_t rbi_fnv(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

static uint32_t rbi_seen_hash(const struct rbi_runrec_key *c, uint8_t kind)
{
	uint32_t h = 2166136261u;

	h = rbi_fnv(h, &c->src.family, 1);
	h = rbi_fnv(h, c->src.a, sizeof(c->src.a));
	h = rbi_fnv(h, c->dst.a, sizeof(c->dst.a));
	h = rbi_fnv(h, &c->sport, sizeof(c->sport));
	h = rbi_fnv(h, &c->dport, sizeof(c->dport));
	h = rbi_fnv(h, &c->l4, 1);
	return rbi_fnv(h, &kind, 1);
}

/*
 * The slot of flow k: where it is (*hit), else the one a new entry takes:
 * free or expired, else the one that expires first.
 */
static struct rbi_seen *rbi_seen_slot(struct rbi_runrecs *t,
				      const struct rbi_runrec_key *k,
				      enum rbi_runrec_kind kind,
				      uint64_t now_ms, bool *hit)
{
	struct rbi_runrec_key c;
	struct rbi_seen *s, *best = NULL;
	uint32_t h;
	size_t i;

	rbi_key_canon(k, &c);
	h = rbi_seen_hash(&c, (uint8_t)kind);
	*hit = false;
	for (i = 0; i < RBI_SEEN_PROBE; i++) {
		s = &t->seen[(h + i) & (RBI_RUNREC_SEEN - 1)];
		if (s->until_ms > now_ms && s->kind == kind &&
		    rbi_key_eq(&s->key, &c)) {
			*hit = true;
			return s;
		}
		if (!best || s->until_ms < best->until_ms)
			best = s;
	}
	return best;
}

/*
 * Whether the flow was recorded already. A flow found, or added (add),
 * stays remembered RBI_RUNREC_SEEN_MS from now.
 */
static bool rbi_seen(struct rbi_runrecs *t, const struct rbi_runrec_key *k,
		     enum rbi_runrec_kind kind, uint64_t now_ms, bool add)
{
	bool hit;
	struct rbi_seen *s = rbi_seen_slot(t, k, kind, now_ms, &hit);

	if (!hit && !add)
		return false;
	rbi_key_canon(k, &s->key);
	s->kind = (uint8_t)kind;
	s->until_ms = now_ms + RBI_RUNREC_SEEN_MS;
	return hit;
}

static bool rbi_rule_fits(enum rbi_rule a, enum rbi_rule b)
{
	return a == b || a == RBI_RULE_NONE || b == RBI_RULE_NONE;
}

/*
 * The pending record of a flow. The ruleset's own copies of one flow come
 * from its first packets, as they were sent; the module's chain also sees
 * the flow's replies, and a module log copy names no rule.
 */
static struct rbi_runrec *rbi_pend_find(struct rbi_runrecs *t,
					const struct rbi_runrec_key *k,
					enum rbi_runrec_kind kind,
					enum rbi_rule rule, bool module)
{
	struct rbi_runrec *r;
	size_t i;

	for (i = 0; i < t->n_pend; i++) {
		r = &t->pend[i];
		if (r->kind != kind || r->module != module)
			continue;
		if (!module && r->rule == rule && rbi_key_eq(&r->key, k))
			return r;
		if (module && rbi_rule_fits(r->rule, rule) &&
		    rbi_key_same_flow(&r->key, k))
			return r;
	}
	return NULL;
}

static void rbi_emit(struct rbi_runrecs *t, const struct rbi_runrec *r,
		     uint64_t now_ms)
{
	t->emit(t->ctx, r);
	if (r->module)
		rbi_seen(t, &r->key, r->kind, now_ms, true);
}

void rbi_runrecs_flush(struct rbi_runrecs *t, bool all, uint64_t now_ms)
{
	size_t i, k = 0;

	for (i = 0; i < t->n_pend; i++) {
		if (all ||
		    now_ms - t->pend[i].first_ms >= RBI_RUNREC_MERGE_MS) {
			rbi_emit(t, &t->pend[i], now_ms);
			continue;
		}
		if (k != i)
			t->pend[k] = t->pend[i];
		k++;
	}
	t->n_pend = k;
}

static struct rbi_runrec *rbi_pend_add(struct rbi_runrecs *t,
				       const struct rbi_runrec_key *k,
				       enum rbi_runrec_kind kind,
				       enum rbi_rule rule, bool module,
				       uint64_t now_ms)
{
	struct rbi_runrec *r;

	if (t->n_pend == RBI_RUNREC_PENDING)
		rbi_runrecs_flush(t, true, now_ms);
	r = &t->pend[t->n_pend++];
	memset(r, 0, sizeof(*r));
	r->key = *k;
	r->kind = kind;
	r->rule = rule;
	r->module = module;
	r->first_ms = now_ms;
	return r;
}

void rbi_runrecs_copy(struct rbi_runrecs *t, const struct rbi_runrec_key *k,
		      enum rbi_runrec_kind kind, enum rbi_rule rule,
		      bool module, uint64_t now_ms)
{
	struct rbi_runrec *r = rbi_pend_find(t, k, kind, rule, module);

	if (!r) {
		if (module && rbi_seen(t, k, kind, now_ms, false))
			return;
		r = rbi_pend_add(t, k, kind, rule, module, now_ms);
	}
	if (r->rule == RBI_RULE_NONE)
		r->rule = rule;
	r->count++;
}

void rbi_runrecs_event(struct rbi_runrecs *t,
		       const struct rbi_modctl_event *ev, uint64_t now_ms)
{
	enum rbi_runrec_kind kind = ev->d.verdict == RBI_BLOCK ?
				    RBI_RUNREC_BLOCK : RBI_RUNREC_LOG;
	enum rbi_rule rule = (enum rbi_rule)ev->d.rule;
	struct rbi_runrec_key k;
	struct rbi_runrec *r;

	memset(&k, 0, sizeof(k));
	k.src = ev->flow.src;
	k.dst = ev->flow.dst;
	k.sport = ev->flow.sport;
	k.dport = ev->flow.dport;
	k.l4 = ev->flow.l4;
	r = rbi_pend_find(t, &k, kind, rule, true);
	if (!r) {
		if (rbi_seen(t, &k, kind, now_ms, false))
			return;
		r = rbi_pend_add(t, &k, kind, rule, true, now_ms);
	} else if (r->has_event) {
		return;
	}
	/* The event knows which end opened the flow; a copy may not. */
	r->key = k;
	r->rule = rule;
	r->has_event = true;
	r->ev = *ev;
	r->ev.flow.name = r->ev.name;
}
