// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/tally.h"
#include "audit/time.h"
#include "audit/verify.h"
#include "util/grow.h"

enum {
	RBI_TALLY_SLOTS = 2 * RBI_TALLY_MAX,	/* a power of two */
	RBI_TALLY_BIN_US = 1000,		/* the first bins' width */
};

struct rbi_audit_tally *rbi_audit_tally_new(int64_t since, int64_t until)
{
	struct rbi_audit_tally *t = calloc(1, sizeof(*t));

	if (t) {
		t->since = since;
		t->until = until;
		t->cur_pol = -1;
		t->bin_width = RBI_TALLY_BIN_US;
	}
	return t;
}

static void rbi_tally_map_free(struct rbi_tally_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->e[i].key);
	free(m->e);
	free(m->slots);
}

void rbi_audit_tally_free(struct rbi_audit_tally *t)
{
	size_t i;

	if (!t)
		return;
	rbi_tally_map_free(&t->zones);
	rbi_tally_map_free(&t->services);
	rbi_tally_map_free(&t->categories);
	rbi_tally_map_free(&t->log_services);
	for (i = 0; i < t->npol; i++) {
		free(t->pol[i].name);
		free(t->pol[i].source);
		free(t->pol[i].catalog);
		free(t->pol[i].enforced);
		free(t->pol[i].periods.v);
	}
	free(t->pol);
	free(t->proven.v);
	free(t->sessions.v);
	free(t->offsets.v);
	rbi_buf_free(&t->tmp);
	free(t);
}

static uint32_t rbi_tally_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/* The entry for key; a new one while there is room, else "(other)". */
static struct rbi_tally_entry *rbi_tally_find(struct rbi_audit_tally *t,
					      struct rbi_tally_map *m,
					      const char *key)
{
	struct rbi_tally_entry *e;
	uint32_t h, i;
	char *k;

	if (!m->slots) {
		m->slots = calloc(RBI_TALLY_SLOTS, sizeof(*m->slots));
		if (!m->slots)
			return NULL;
	}
	for (;;) {
		h = rbi_tally_hash(key);
		for (i = 0; i < RBI_TALLY_SLOTS; i++) {
			uint32_t *s = &m->slots[(h + i) &
						(RBI_TALLY_SLOTS - 1)];

			if (!*s)
				break;
			if (!strcmp(m->e[*s - 1].key, key))
				return &m->e[*s - 1];
		}
		/* The last key left is "(other)", which takes the rest. */
		if (m->n < RBI_TALLY_MAX - 1 ||
		    !strcmp(key, RBI_TALLY_OTHER_KEY))
			break;
		key = RBI_TALLY_OTHER_KEY;
	}
	k = strdup(key);
	e = k ? rbi_grow_push(m->e, &m->n, &m->cap) : NULL;
	if (!e) {
		free(k);
		t->failed = true;
		return NULL;
	}
	e->key = k;
	m->slots[(h + i) & (RBI_TALLY_SLOTS - 1)] = (uint32_t)m->n;
	return e;
}

static void rbi_tally_add(struct rbi_audit_tally *t, struct rbi_tally_map *m,
			  const char *key, uint64_t packets)
{
	struct rbi_tally_entry *e = rbi_tally_find(t, m, key);

	if (e) {
		e->flows++;
		e->packets += packets;
	}
}

/* Appends [from, until] to v, merged with the last one if they touch. */
static void rbi_tally_iv_add(struct rbi_audit_tally *t,
			     struct rbi_tally_ivs *v, int64_t from,
			     int64_t until)
{
	struct rbi_tally_iv *iv;

	if (until < from)
		return;
	if (v->n && from <= v->v[v->n - 1].until) {
		if (until > v->v[v->n - 1].until)
			v->v[v->n - 1].until = until;
		return;
	}
	iv = rbi_grow_push(v->v, &v->n, &v->cap);
	if (!iv) {
		t->failed = true;
		return;
	}
	iv->from = from;
	iv->until = until;
}

enum rbi_tally_series rbi_audit_tally_series(const char *category)
{
	static const char *const names[] = {
		[RBI_TALLY_RBI] = "remote-biometric-identification",
		[RBI_TALLY_CATEGORISATION] = "biometric-categorisation",
		[RBI_TALLY_EMOTION] = "emotion-recognition",
	};
	unsigned int i;

	for (i = 0; i < RBI_TALLY_OTHER; i++)
		if (!strcmp(category, names[i]))
			return i;
	return RBI_TALLY_OTHER;
}

/*
 * Blocks over time: bins of bin_width from bin_origin; when a block falls
 * past the last bin, pairs of bins merge and the width doubles.
 */
static void rbi_tally_bin(struct rbi_audit_tally *t, int64_t ts,
			  enum rbi_tally_series s)
{
	int64_t i;
	size_t k;

	if (!t->bin_origin)
		t->bin_origin = t->since ? t->since : ts;
	i = ts > t->bin_origin ? (ts - t->bin_origin) / t->bin_width : 0;
	while (i >= RBI_TALLY_BINS) {
		for (k = 0; k < RBI_TALLY_BINS / 2; k++) {
			size_t c;

			for (c = 0; c < __RBI_TALLY_SERIES; c++)
				t->bins[k][c] = t->bins[2 * k][c] +
						t->bins[2 * k + 1][c];
		}
		memset(t->bins[RBI_TALLY_BINS / 2], 0,
		       sizeof(t->bins) / 2);
		t->bin_width *= 2;
		i = (ts - t->bin_origin) / t->bin_width;
	}
	t->bins[i][s]++;
}

static void rbi_tally_flow(struct rbi_audit_tally *t,
			   const struct rbi_audit_rec *r)
{
	uint64_t packets = 1;
	const char *cat;

	rbi_audit_json_u64(rbi_audit_rec_get(r, "count"), &packets);
	if (r->type == RBI_AUDIT_REC_LOG) {
		t->logs++;
		t->log_packets += packets;
		/* What the flow went to: its service, else its name. */
		if (!*rbi_audit_rec_str(r, "service", &t->tmp))
			rbi_audit_rec_str(r, "name", &t->tmp);
		rbi_tally_add(t, &t->log_services, rbi_buf_str(&t->tmp),
			      packets);
		return;
	}
	t->blocks++;
	t->block_packets += packets;
	rbi_tally_add(t, &t->zones, rbi_audit_rec_str(r, "zone", &t->tmp),
		      packets);
	rbi_tally_add(t, &t->services,
		      rbi_audit_rec_str(r, "service", &t->tmp), packets);
	cat = rbi_audit_rec_str(r, "category", &t->tmp);
	rbi_tally_bin(t, r->ts, rbi_audit_tally_series(cat));
	rbi_tally_add(t, &t->categories, cat, packets);
}

/* A JSON object member of r, copied; NULL when absent. */
static char *rbi_tally_obj(struct rbi_audit_tally *t,
			   const struct rbi_audit_rec *r, const char *key)
{
	const struct rbi_audit_jval *v = rbi_audit_rec_get(r, key);
	char *s;

	if (!v || v->type != RBI_AUDIT_JOBJ)
		return NULL;
	s = strndup(v->p, v->n);
	if (!s)
		t->failed = true;
	return s;
}

static long rbi_tally_policy_add(struct rbi_audit_tally *t,
				 const struct rbi_audit_rec *r,
				 const char *sha)
{
	struct rbi_tally_policy *np;
	size_t i;

	for (i = 0; i < t->npol; i++)
		if (!strcmp(t->pol[i].sha, sha))
			return (long)i;
	if (t->npol == RBI_TALLY_POLICIES) {
		t->policies_dropped++;
		return -1;
	}
	np = rbi_grow_push(t->pol, &t->npol, &t->pol_cap);
	if (!np) {
		t->failed = true;
		return -1;
	}
	memset(np, 0, sizeof(*np));
	snprintf(np->sha, sizeof(np->sha), "%s", sha);
	np->name = strdup(rbi_audit_rec_str(r, "name", &t->tmp));
	np->source = strdup(rbi_audit_rec_str(r, "source", &t->tmp));
	np->catalog = rbi_tally_obj(t, r, "catalog");
	np->enforced = rbi_tally_obj(t, r, "enforced");
	if (!np->name || !np->source)
		t->failed = true;
	return (long)(np - t->pol);
}

/* The policy in force stops being so at ts. */
static void rbi_tally_policy_end(struct rbi_audit_tally *t, int64_t ts)
{
	struct rbi_tally_ivs *p;

	if (t->cur_pol < 0)
		return;
	p = &t->pol[t->cur_pol].periods;
	if (p->n)
		p->v[p->n - 1].until = ts;
	t->cur_pol = -1;
}

static void rbi_tally_policy(struct rbi_audit_tally *t,
			     const struct rbi_audit_rec *r)
{
	char sha[2 * RBI_AUDIT_HASH_LEN + 1];
	long k;

	snprintf(sha, sizeof(sha), "%s",
		 rbi_audit_rec_str(r, "sha256", &t->tmp));
	/* The same policy restated (a new segment) goes on in force. */
	if (t->cur_pol >= 0 && !strcmp(t->pol[t->cur_pol].sha, sha))
		return;
	rbi_tally_policy_end(t, r->ts);
	k = rbi_tally_policy_add(t, r, sha);
	if (k < 0)
		return;
	rbi_tally_iv_add(t, &t->pol[k].periods, r->ts, r->ts);
	t->cur_pol = k;
}

static void rbi_tally_offset_at(struct rbi_audit_tally *t,
				const struct rbi_audit_rec *r)
{
	const struct rbi_audit_jval *v = rbi_audit_rec_get(r, "utc_offset");
	struct rbi_tally_offset *o;
	long off;
	char *end;

	if (!v || v->type != RBI_AUDIT_JNUM || v->n > 8)
		return;
	off = strtol(v->p, &end, 10);
	if (end != v->p + v->n || off < -86400 || off > 86400)
		return;
	if (t->offsets.n && t->offsets.v[t->offsets.n - 1].offset == off)
		return;
	o = rbi_grow_push(t->offsets.v, &t->offsets.n, &t->offsets.cap);
	if (!o) {
		t->failed = true;
		return;
	}
	o->ts = r->ts;
	o->offset = (int)off;
}

int rbi_audit_tally_offset(const struct rbi_audit_tally *t, int64_t ts)
{
	size_t lo = 0, hi = t->offsets.n;

	if (!hi)
		return 0;
	/* The last change at or before ts; before the first, the first. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->offsets.v[mid].ts <= ts)
			lo = mid;
		else
			hi = mid;
	}
	return t->offsets.v[lo].offset;
}

/* The open session ends at ts, as how says. */
static void rbi_tally_session_end(struct rbi_audit_tally *t, int64_t ts,
				  enum rbi_tally_end how)
{
	struct rbi_tally_session *s;

	if (!t->in_session || !t->sessions.n)
		return;
	s = &t->sessions.v[t->sessions.n - 1];
	s->end = ts;
	s->how = how;
	t->in_session = false;
	rbi_tally_policy_end(t, ts);
}

static void rbi_tally_start(struct rbi_audit_tally *t,
			    const struct rbi_audit_rec *r)
{
	struct rbi_tally_session *s;
	const char *reason = rbi_audit_rec_str(r, "reason", &t->tmp);

	rbi_tally_session_end(t, t->last_ts, !strcmp(reason, "recovery") ?
			      RBI_TALLY_END_CRASH :
			      !strcmp(reason, "new-origin") ?
			      RBI_TALLY_END_DAMAGED : RBI_TALLY_END_UNKNOWN);
	s = rbi_grow_push(t->sessions.v, &t->sessions.n, &t->sessions.cap);
	if (!s) {
		t->failed = true;
		return;
	}
	memset(s, 0, sizeof(*s));
	s->start = s->end = r->ts;
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
	t->in_session = true;
	t->alive_ts = r->ts;
	t->period = 0;
	snprintf(t->origin, sizeof(t->origin), "%s",
		 rbi_audit_rec_str(r, "origin", &t->tmp));
	snprintf(t->tz, sizeof(t->tz), "%s",
		 rbi_audit_rec_str(r, "tz", &t->tmp));
	rbi_tally_offset_at(t, r);
}

/* Whether ts is within a heartbeat period (and grace) of the last sign. */
static bool rbi_tally_alive(const struct rbi_audit_tally *t, int64_t ts)
{
	return t->in_session && t->period &&
	       ts - t->alive_ts <= (int64_t)t->period * RBI_AUDIT_US +
	       rbi_audit_grace_us(t->period);
}

/*
 * A heartbeat read the ruleset back: enforcement is proven from the last
 * sign of life (the start or the heartbeat before) if that was within a
 * period and its grace, as verify demands.
 */
static void rbi_tally_heartbeat(struct rbi_audit_tally *t,
				const struct rbi_audit_rec *r, bool in_window)
{
	uint64_t period = 0;

	rbi_audit_json_u64(rbi_audit_rec_get(r, "period"), &period);
	rbi_tally_offset_at(t, r);
	if (in_window) {
		t->heartbeats++;
		t->heartbeats_nft_only += rbi_audit_json_eq(
			rbi_audit_rec_get(r, "backend"), "nft");
	}
	t->period = period >= RBI_AUDIT_HEARTBEAT_MIN &&
		    period <= RBI_AUDIT_HEARTBEAT_MAX ?
		    (unsigned int)period : 0;
	if (rbi_tally_alive(t, r->ts) &&
	    *rbi_audit_rec_str(r, "ruleset_sha256", &t->tmp))
		rbi_tally_iv_add(t, &t->proven, t->alive_ts, r->ts);
	t->alive_ts = r->ts;
}

void rbi_audit_tally_record(void *tally, const struct rbi_audit_rec *r,
			    const char *line, size_t len)
{
	struct rbi_audit_tally *t = tally;
	bool in = (!t->since || r->ts >= t->since) &&
		  (!t->until || r->ts <= t->until);

	if (!t->first_ts)
		t->first_ts = r->ts;
	/* A log that starts after pruned segments is already running. */
	if (!t->sessions.n && r->type != RBI_AUDIT_REC_START)
		rbi_tally_start(t, r);
	t->records += in;
	switch (r->type) {
	case RBI_AUDIT_REC_POLICY:
		rbi_tally_policy(t, r);
		break;
	case RBI_AUDIT_REC_BLOCK:
	case RBI_AUDIT_REC_LOG:
		if (in)
			rbi_tally_flow(t, r);
		break;
	case RBI_AUDIT_REC_START:
		rbi_tally_start(t, r);
		break;
	case RBI_AUDIT_REC_STOP:
		/* A stop in time after a heartbeat that proved it. */
		if (rbi_tally_alive(t, r->ts) && t->proven.n &&
		    t->proven.v[t->proven.n - 1].until == t->alive_ts)
			rbi_tally_iv_add(t, &t->proven, t->alive_ts, r->ts);
		rbi_tally_session_end(t, r->ts, RBI_TALLY_END_STOP);
		break;
	case RBI_AUDIT_REC_HEARTBEAT:
		rbi_tally_heartbeat(t, r, in);
		break;
	default:
		break;
	}
	t->last_ts = r->ts;
}

void rbi_audit_tally_end(struct rbi_audit_tally *t)
{
	struct rbi_tally_session *s;

	if (!t->in_session || !t->sessions.n)
		return;
	s = &t->sessions.v[t->sessions.n - 1];
	s->end = t->last_ts;
	s->how = RBI_TALLY_END_OPEN;
	rbi_tally_policy_end(t, t->last_ts);
}
