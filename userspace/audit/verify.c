// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/hasher.h"
#include "audit/store.h"
#include "audit/time.h"
#include "audit/tree.h"
#include "audit/verify.h"
#include "util/grow.h"
#include "util/plural.h"

enum { RBI_VFY_NONE = -1 };

struct rbi_vfy_cp {
	uint64_t size;
	struct rbi_audit_hash root;
};

/* State of one verification; the epoch part is reset per epoch. */
struct rbi_vfy {
	const struct rbi_audit_key *key;
	const struct rbi_audit_verify_opts *opts;
	struct rbi_audit_result *res;
	int dirfd;
	struct rbi_audit_rec rec;
	struct rbi_buf tmp;
	struct rbi_audit_checkpoint prev_epoch_cp;
	bool have_prev_epoch_cp;

	unsigned int epoch;
	int efd;
	size_t ei;		/* index of this epoch's info */
	struct rbi_audit_map hm;
	const struct rbi_audit_hash *h;
	uint64_t nhash;
	struct rbi_vfy_cp *cps;
	size_t ncps, cps_cap;
	uint64_t signed_size;
	struct rbi_audit_edge edge;
	struct rbi_audit_hasher hasher;
	struct rbi_audit_hash *seg_hash;	/* a segment's leaf hashes */
	uint64_t pos;
	uint64_t good_cp_size;	/* the last checkpoint whose root matched */
	int64_t good_cp_ts;
	int64_t signed_ts;	/* ts of the last signed record */

	long open_rec, open_pol;
	int64_t prev_ts;
	bool have_prev_ts;

	bool in_session, stopped, need_restart_gap;
	int64_t stop_ts;
	uint64_t stop_idx;
	unsigned int period;
	int64_t alive_ts;
	uint64_t alive_idx;
	bool have_policy;
	char policy[2 * RBI_AUDIT_HASH_LEN + 1];
};

int64_t rbi_audit_grace_us(unsigned int period)
{
	int64_t g = (int64_t)period * RBI_AUDIT_US / 4;

	if (g < 2 * RBI_AUDIT_US)
		g = 2 * RBI_AUDIT_US;
	if (g > 60 * RBI_AUDIT_US)
		g = 60 * RBI_AUDIT_US;
	return g;
}

static int64_t rbi_vfy_limit(unsigned int period)
{
	return (int64_t)period * RBI_AUDIT_US + rbi_audit_grace_us(period);
}

static struct rbi_audit_span *rbi_vfy_push(struct rbi_audit_spans *s)
{
	return rbi_grow_push(s->v, &s->n, &s->cap);
}

static struct rbi_audit_span *rbi_vfy_vspan(struct rbi_audit_spans *s,
					    unsigned int kind,
					    unsigned int epoch, uint64_t from,
					    uint64_t to, int64_t from_ts,
					    int64_t until_ts, const char *fmt,
					    va_list ap)
	__attribute__((format(printf, 8, 0)));

static struct rbi_audit_span *rbi_vfy_vspan(struct rbi_audit_spans *s,
					    unsigned int kind,
					    unsigned int epoch, uint64_t from,
					    uint64_t to, int64_t from_ts,
					    int64_t until_ts, const char *fmt,
					    va_list ap)
{
	struct rbi_audit_span *sp = rbi_vfy_push(s);

	if (!sp)
		return NULL;
	sp->kind = kind;
	sp->epoch = epoch;
	sp->from_idx = from;
	sp->to_idx = to;
	sp->from_ts = from_ts;
	sp->until_ts = until_ts;
	vsnprintf(sp->detail, sizeof(sp->detail), fmt, ap);
	return sp;
}

static void rbi_vfy_fault(struct rbi_vfy *v, unsigned int kind, uint64_t from,
			  uint64_t to, int64_t from_ts, int64_t until_ts,
			  const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void rbi_vfy_fault(struct rbi_vfy *v, unsigned int kind, uint64_t from,
			  uint64_t to, int64_t from_ts, int64_t until_ts,
			  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rbi_vfy_vspan(&v->res->faults, kind, v->epoch, from, to, from_ts,
		      until_ts, fmt, ap);
	va_end(ap);
}

static void rbi_vfy_note(struct rbi_vfy *v, uint64_t from, uint64_t to,
			 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void rbi_vfy_note(struct rbi_vfy *v, uint64_t from, uint64_t to,
			 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rbi_vfy_vspan(&v->res->notes, 0, v->epoch, from, to, 0, 0, fmt, ap);
	va_end(ap);
}

/*
 * A fault at leaf idx that continues the open one of the same kind (same
 * cause, next leaf) widens it instead of repeating it: a shifted segment
 * is one finding, not thousands.
 */
static void rbi_vfy_run(struct rbi_vfy *v, long *open, unsigned int kind,
			uint64_t idx, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void rbi_vfy_run(struct rbi_vfy *v, long *open, unsigned int kind,
			uint64_t idx, const char *fmt, ...)
{
	struct rbi_audit_span *sp;
	va_list ap;

	if (*open != RBI_VFY_NONE) {
		sp = &v->res->faults.v[*open];
		if (sp->to_idx + 1 == idx) {
			sp->to_idx = idx;
			sp->count++;
			return;
		}
	}
	va_start(ap, fmt);
	sp = rbi_vfy_vspan(&v->res->faults, kind, v->epoch, idx, idx,
			   v->have_prev_ts ? v->prev_ts : 0, 0, fmt, ap);
	va_end(ap);
	if (sp) {
		sp->count = 1;
		*open = (long)(sp - v->res->faults.v);
	}
}

/* A good record ends an open run; its time bounds the run. */
static void rbi_vfy_close(struct rbi_vfy *v, long *open, int64_t ts)
{
	if (*open == RBI_VFY_NONE)
		return;
	v->res->faults.v[*open].until_ts = ts;
	*open = RBI_VFY_NONE;
}

/* ---- checkpoints ---- */

static bool rbi_vfy_add_cp(struct rbi_vfy *v,
			   const struct rbi_audit_checkpoint *cp)
{
	struct rbi_vfy_cp *c = rbi_grow_push(v->cps, &v->ncps, &v->cps_cap);

	if (!c)
		return false;
	c->size = cp->size;
	c->root = cp->root;
	if (cp->size > v->signed_size)
		v->signed_size = cp->size;
	return true;
}

/* Size claimed by an unverifiable note, to locate the fault. */
static uint64_t rbi_vfy_claimed(const char *note, size_t len)
{
	struct rbi_audit_checkpoint cp;
	const char *end = memmem(note, len, "\n\n", 2);

	if (end && !rbi_audit_checkpoint_parse(note, (size_t)(end - note) + 1,
					       &cp))
		return cp.size;
	return 0;
}

static void rbi_vfy_one_cp(struct rbi_vfy *v, const char *note, size_t len,
			   unsigned int k)
{
	struct rbi_audit_epoch_info *ei = &v->res->epochs[v->ei];
	struct rbi_audit_checkpoint cp;
	int rc;

	rc = rbi_audit_checkpoint_open(note, len, v->key, 1, &cp);
	if (rc) {
		rbi_vfy_fault(v, RBI_AUDIT_F_SIGNATURE, rbi_vfy_claimed(note,
			      len), rbi_vfy_claimed(note, len), 0, 0,
			      "checkpoint %u of the history: %s for key %s",
			      k, rbi_audit_strerror(rc), v->key->name);
		return;
	}
	if (!ei->origin[0])
		snprintf(ei->origin, sizeof(ei->origin), "%s", cp.origin);
	if (strcmp(cp.origin, ei->origin))
		rbi_vfy_fault(v, RBI_AUDIT_F_CHECKPOINT, cp.size, cp.size, 0, 0,
			      "checkpoint %u has origin %s, not %s", k,
			      cp.origin, ei->origin);
	if (v->ncps && cp.size < v->cps[v->ncps - 1].size)
		rbi_vfy_fault(v, RBI_AUDIT_F_CHECKPOINT, cp.size,
			      v->cps[v->ncps - 1].size, 0, 0,
			      "checkpoint %u signs %llu %s after one of "
			      "%llu: the log cannot shrink", k,
			      (unsigned long long)cp.size,
			      rbi_plural(cp.size, "leaf", "leaves"),
			      (unsigned long long)v->cps[v->ncps - 1].size);
	rbi_vfy_add_cp(v, &cp);
	ei->checkpoints++;
}

/* The latest file must be the history's last entry (or, after a crash
 * between appending and replacing, the one before).
 */
static void rbi_vfy_latest(struct rbi_vfy *v, const char *last, size_t llen,
			   const char *before, size_t blen)
{
	struct rbi_audit_checkpoint cp;
	struct rbi_audit_map m;
	int rc;

	if (rbi_audit_map(v->efd, RBI_AUDIT_LATEST_FILE, &m)) {
		/*
		 * Made by rename, it can't go missing once it exists: only a
		 * crash between the history's first entry and its creation
		 * leaves none.
		 */
		if (last && !before)
			rbi_vfy_note(v, 0, 0, "%s is not written yet (a crash "
				     "after the first checkpoint's history "
				     "entry)", RBI_AUDIT_LATEST_FILE);
		else if (last)
			rbi_vfy_fault(v, RBI_AUDIT_F_CHECKPOINT, 0, 0, 0, 0,
				      "%s is missing", RBI_AUDIT_LATEST_FILE);
		return;
	}
	rc = rbi_audit_checkpoint_open(m.p, m.n, v->key, 1, &cp);
	if (rc)
		rbi_vfy_fault(v, RBI_AUDIT_F_SIGNATURE, cp.size, cp.size, 0, 0,
			      "%s: %s for key %s", RBI_AUDIT_LATEST_FILE,
			      rbi_audit_strerror(rc), v->key->name);
	else if (last && llen == m.n && !memcmp(last, m.p, m.n))
		;
	else if (before && blen == m.n && !memcmp(before, m.p, m.n))
		rbi_vfy_note(v, cp.size, cp.size, "%s lags the history by one "
			     "entry (a crash between the two writes)",
			     RBI_AUDIT_LATEST_FILE);
	else
		rbi_vfy_fault(v, RBI_AUDIT_F_CHECKPOINT, cp.size, cp.size, 0,
			      0, "%s (size %llu) is not the last checkpoint "
			      "of the history: replaced", RBI_AUDIT_LATEST_FILE,
			      (unsigned long long)cp.size);
	rbi_audit_unmap(&m);
}

static void rbi_vfy_checkpoints(struct rbi_vfy *v)
{
	const char *note, *last = NULL, *before = NULL;
	size_t len, llen = 0, blen = 0, pos = 0;
	struct rbi_audit_map m;
	unsigned int k = 0;

	if (rbi_audit_map(v->efd, RBI_AUDIT_HISTORY_FILE, &m))
		m.n = 0;
	while (rbi_audit_history_next(m.p, m.n, &pos, &note, &len)) {
		rbi_vfy_one_cp(v, note, len, ++k);
		before = last;
		blen = llen;
		last = note;
		llen = len;
	}
	if (pos < m.n)
		rbi_vfy_note(v, 0, 0, "%s ends in an incomplete entry (a "
			     "crash while appending)", RBI_AUDIT_HISTORY_FILE);
	rbi_vfy_latest(v, last, llen, before, blen);
	rbi_audit_unmap(&m);
}

/* ---- the tree ---- */

/* Checks every checkpoint whose size the tree has just reached. */
static void rbi_vfy_roots(struct rbi_vfy *v)
{
	struct rbi_audit_hash root;
	size_t i;

	for (i = 0; i < v->ncps; i++) {
		if (v->cps[i].size != v->edge.size)
			continue;
		rbi_audit_edge_root(&v->edge, &root);
		if (rbi_audit_hash_eq(&root, &v->cps[i].root)) {
			v->good_cp_size = v->edge.size;
			v->good_cp_ts = v->have_prev_ts ? v->prev_ts : 0;
			continue;
		}
		rbi_vfy_fault(v, RBI_AUDIT_F_ROOT, v->good_cp_size,
			      v->edge.size ? v->edge.size - 1 : 0,
			      v->good_cp_ts, v->have_prev_ts ? v->prev_ts : 0,
			      "checkpoint %zu (size %llu): its root does not "
			      "match the leaves; they changed after leaf %llu",
			      i + 1, (unsigned long long)v->edge.size,
			      (unsigned long long)v->good_cp_size);
	}
	if (v->edge.size == v->signed_size && v->have_prev_ts)
		v->signed_ts = v->prev_ts;
}

static void rbi_vfy_feed(struct rbi_vfy *v, const struct rbi_audit_hash *h)
{
	rbi_audit_edge_append(&v->edge, h);
	v->pos++;
	rbi_vfy_roots(v);
}

/* ---- record semantics ---- */

static void rbi_vfy_session_end(struct rbi_vfy *v, uint64_t idx, int64_t ts)
{
	if (v->period && ts - v->alive_ts > rbi_vfy_limit(v->period))
		rbi_vfy_fault(v, RBI_AUDIT_F_HEARTBEAT, v->alive_idx, idx,
			      v->alive_ts, ts, "no heartbeat for %llds "
			      "(period %us + grace %llds)",
			      (long long)((ts - v->alive_ts) / RBI_AUDIT_US),
			      v->period, (long long)(rbi_audit_grace_us(
			      v->period) / RBI_AUDIT_US));
}

static bool rbi_vfy_cp_eq(const struct rbi_audit_checkpoint *a,
			  const struct rbi_audit_checkpoint *b)
{
	return a->size == b->size && !strcmp(a->origin, b->origin) &&
	       rbi_audit_hash_eq(&a->root, &b->root);
}

/* The checkpoint a start at idx must cite: the last one signed before. */
static bool rbi_vfy_expected_prev(struct rbi_vfy *v, uint64_t idx,
				  struct rbi_audit_checkpoint *cp)
{
	size_t i;
	bool found = false;

	memset(cp, 0, sizeof(*cp));
	if (idx == 0) {
		*cp = v->prev_epoch_cp;
		return v->have_prev_epoch_cp;
	}
	for (i = 0; i < v->ncps; i++) {
		if (v->cps[i].size > idx)
			continue;
		if (!found || v->cps[i].size >= cp->size) {
			cp->size = v->cps[i].size;
			cp->root = v->cps[i].root;
			found = true;
		}
	}
	snprintf(cp->origin, sizeof(cp->origin), "%s",
		 v->res->epochs[v->ei].origin);
	return found;
}

static void rbi_vfy_start(struct rbi_vfy *v, const struct rbi_audit_rec *r)
{
	struct rbi_audit_epoch_info *ei = &v->res->epochs[v->ei];
	struct rbi_audit_checkpoint want, got;
	bool has_want, has_got;
	char hex[65];

	if (v->in_session && !v->stopped) {
		rbi_vfy_session_end(v, r->idx, v->prev_ts);
		v->need_restart_gap = true;
	}
	if (v->in_session && v->stopped) {
		struct rbi_audit_span *sp = rbi_vfy_push(&v->res->gaps);

		if (sp) {
			*sp = (struct rbi_audit_span){ 0, v->epoch, v->stop_idx,
				r->idx, v->stop_ts, r->ts, 0, "stopped", "" };
			snprintf(sp->detail, sizeof(sp->detail),
				 "rbiblock was stopped");
		}
	}
	if (!ei->origin[0])
		snprintf(ei->origin, sizeof(ei->origin), "%s",
			 rbi_audit_rec_str(r, "origin", &v->tmp));
	has_want = rbi_vfy_expected_prev(v, r->idx, &want);
	has_got = rbi_audit_rec_prev(r, &got);
	if (has_want != has_got || (has_want && !rbi_vfy_cp_eq(&want, &got))) {
		rbi_audit_hash_hex(&want.root, hex);
		rbi_vfy_fault(v, RBI_AUDIT_F_START, r->idx, r->idx, r->ts, r->ts,
			      "start does not cite the last checkpoint before "
			      "it (%s size %llu root %.16s...)",
			      has_want ? want.origin : "none",
			      (unsigned long long)want.size,
			      has_want ? hex : "-");
	}
	v->in_session = true;
	v->stopped = false;
	v->period = 0;
	v->alive_ts = r->ts;
	v->alive_idx = r->idx;
	v->have_policy = false;
}

static void rbi_vfy_gap(struct rbi_vfy *v, const struct rbi_audit_rec *r)
{
	struct rbi_audit_span *sp = rbi_vfy_push(&v->res->gaps);
	uint64_t count = 0;

	if (!sp)
		return;
	sp->epoch = v->epoch;
	sp->from_idx = sp->to_idx = r->idx;
	rbi_audit_rec_time(r, "from", &sp->from_ts);
	rbi_audit_rec_time(r, "until", &sp->until_ts);
	rbi_audit_json_u64(rbi_audit_rec_get(r, "count"), &count);
	sp->count = count;
	snprintf(sp->what, sizeof(sp->what), "%s",
		 rbi_audit_rec_str(r, "what", &v->tmp));
	snprintf(sp->detail, sizeof(sp->detail), "%s",
		 rbi_audit_rec_str(r, "detail", &v->tmp));
	/* A gap record is written by a live writer: it counts as a sign of
	 * life, and what it declares is listed, not hidden.
	 */
	v->alive_ts = r->ts;
	v->alive_idx = r->idx;
}

static void rbi_vfy_cites(struct rbi_vfy *v, const struct rbi_audit_rec *r)
{
	const char *sha = rbi_audit_rec_str(r, "policy_sha256", &v->tmp);

	if (!v->have_policy) {
		rbi_vfy_run(v, &v->open_pol, RBI_AUDIT_F_POLICY, r->idx,
			    "%s record with no policy record in force",
			    rbi_audit_rec_type_name(r->type));
	} else if (strcmp(sha, v->policy)) {
		rbi_vfy_run(v, &v->open_pol, RBI_AUDIT_F_POLICY, r->idx,
			    "cites policy %.12s... but the policy in force is "
			    "%.12s...: a policy change without a policy record",
			    sha, v->policy);
	} else {
		rbi_vfy_close(v, &v->open_pol, r->ts);
	}
}

static void rbi_vfy_policy(struct rbi_vfy *v, const struct rbi_audit_rec *r)
{
	static const size_t mark = sizeof(RBI_AUDIT_TRUNCATED) - 1;
	struct rbi_audit_hash h;
	const char *text;
	char hex[65];

	snprintf(v->policy, sizeof(v->policy), "%s",
		 rbi_audit_rec_str(r, "sha256", &v->tmp));
	v->have_policy = true;
	text = rbi_audit_rec_str(r, "text", &v->tmp);
	/* A cut text cannot be hashed; its sha256 stands alone. */
	if (v->tmp.len >= mark &&
	    !memcmp(text + v->tmp.len - mark, RBI_AUDIT_TRUNCATED, mark))
		return;
	rbi_audit_sha256(text, v->tmp.len, &h);
	rbi_audit_hash_hex(&h, hex);
	if (strcmp(hex, v->policy))
		rbi_vfy_fault(v, RBI_AUDIT_F_POLICY, r->idx, r->idx, r->ts,
			      r->ts, "policy record's sha256 is not that of "
			      "its text");
}

static void rbi_vfy_heartbeat(struct rbi_vfy *v, const struct rbi_audit_rec *r)
{
	uint64_t period = 0;

	rbi_audit_json_u64(rbi_audit_rec_get(r, "period"), &period);
	if (period < RBI_AUDIT_HEARTBEAT_MIN ||
	    period > RBI_AUDIT_HEARTBEAT_MAX)
		rbi_vfy_fault(v, RBI_AUDIT_F_RECORD, r->idx, r->idx, r->ts,
			      r->ts, "heartbeat period %llu out of range",
			      (unsigned long long)period);
	else
		v->period = (unsigned int)period;
	rbi_vfy_session_end(v, r->idx, r->ts);
	v->alive_ts = r->ts;
	v->alive_idx = r->idx;
	rbi_vfy_cites(v, r);
}

static void rbi_vfy_time(struct rbi_vfy *v, const struct rbi_audit_rec *r)
{
	if (!v->have_prev_ts || r->ts >= v->prev_ts)
		return;
	if (r->type == RBI_AUDIT_REC_GAP &&
	    rbi_audit_json_eq(rbi_audit_rec_get(r, "what"), "clock-jump"))
		return;
	rbi_vfy_fault(v, RBI_AUDIT_F_TIME, r->idx, r->idx, v->prev_ts, r->ts,
		      "time goes back without a clock-jump gap record");
}

static void rbi_vfy_semantics(struct rbi_vfy *v, const struct rbi_audit_rec *r,
			      bool first)
{
	bool restart_gap;

	rbi_vfy_time(v, r);
	if (first && r->type != RBI_AUDIT_REC_START && !r->idx)
		rbi_vfy_fault(v, RBI_AUDIT_F_START, 0, 0, r->ts, r->ts,
			      "the log does not begin with a start record");
	if (first && r->idx) {
		/* After pruned segments: the session is already running. */
		v->in_session = true;
		v->alive_ts = r->ts;
		v->alive_idx = r->idx;
	}
	restart_gap = r->type == RBI_AUDIT_REC_GAP &&
		      rbi_audit_json_eq(rbi_audit_rec_get(r, "what"),
					"log-restart");
	if (v->need_restart_gap && r->type != RBI_AUDIT_REC_START) {
		if (!restart_gap)
			rbi_vfy_fault(v, RBI_AUDIT_F_HEARTBEAT, r->idx, r->idx,
				      v->prev_ts, r->ts, "a session ended "
				      "without a stop record and the restart "
				      "declares no gap");
		v->need_restart_gap = false;
	}
	switch (r->type) {
	case RBI_AUDIT_REC_START:
		rbi_vfy_start(v, r);
		break;
	case RBI_AUDIT_REC_GAP:
		rbi_vfy_gap(v, r);
		break;
	case RBI_AUDIT_REC_POLICY:
		rbi_vfy_policy(v, r);
		break;
	case RBI_AUDIT_REC_HEARTBEAT:
		rbi_vfy_heartbeat(v, r);
		break;
	case RBI_AUDIT_REC_BLOCK:
	case RBI_AUDIT_REC_LOG:
		rbi_vfy_cites(v, r);
		break;
	case RBI_AUDIT_REC_STOP:
		rbi_vfy_session_end(v, r->idx, r->ts);
		v->stopped = true;
		v->stop_ts = r->ts;
		v->stop_idx = r->idx;
		break;
	default:
		break;
	}
	v->prev_ts = r->ts;
	v->have_prev_ts = true;
}

/* ---- records and segments ---- */

static void rbi_vfy_line(struct rbi_vfy *v, const char *line, size_t len,
			 const struct rbi_audit_hash *h, bool first)
{
	struct rbi_audit_epoch_info *ei = &v->res->epochs[v->ei];
	struct rbi_audit_rec *r = &v->rec;
	uint64_t idx = v->pos;
	bool bad = false;

	if (idx < v->nhash && !rbi_audit_hash_eq(h, &v->h[idx])) {
		rbi_vfy_run(v, &v->open_rec, RBI_AUDIT_F_RECORD, idx,
			    "record bytes do not match %s (changed, "
			    "inserted, deleted or moved)",
			    RBI_AUDIT_LEAVES_FILE);
		bad = true;
	}
	if (rbi_audit_rec_parse(line, len, r)) {
		if (!bad)
			rbi_vfy_run(v, &v->open_rec, RBI_AUDIT_F_RECORD, idx,
				    "record is not a valid audit record");
		bad = true;
	} else if (r->idx != idx) {
		if (!bad)
			rbi_vfy_run(v, &v->open_rec, RBI_AUDIT_F_RECORD, idx,
				    "record at leaf %llu says idx %llu",
				    (unsigned long long)idx,
				    (unsigned long long)r->idx);
		bad = true;
	}
	v->res->records++;
	v->res->bytes += len + 1;
	if (!bad) {
		rbi_vfy_close(v, &v->open_rec, r->ts);
		rbi_vfy_semantics(v, r, first);
		if (!ei->first_ts)
			ei->first_ts = r->ts;
		ei->last_ts = r->ts;
		if (v->opts && v->opts->on_record)
			v->opts->on_record(v->opts->ctx, r, line, len);
	}
	rbi_vfy_feed(v, idx < v->nhash ? &v->h[idx] : h);
}

/* Verifies segment seg, which should start at leaf v->pos. */
static void rbi_vfy_segment(struct rbi_vfy *v, uint64_t seg, bool last,
			    bool *first)
{
	char name[RBI_AUDIT_FILE_NAME_MAX];
	uint64_t start = v->pos, lines = 0;
	struct rbi_audit_map m;
	const char *line;
	size_t len, pos = 0;

	rbi_audit_seg_name(seg, name);
	if (rbi_audit_map(v->efd, name, &m)) {
		rbi_vfy_fault(v, RBI_AUDIT_F_MISSING, start, start, 0, 0,
			      "%s: %s", name, strerror(errno));
		return;
	}
	rbi_audit_hasher_start(&v->hasher, m.p, m.n, RBI_AUDIT_SEG_LEAVES,
			       v->seg_hash);
	while (rbi_audit_line_next(m.p, m.n, &pos, &line, &len)) {
		if (lines == RBI_AUDIT_SEG_LEAVES) {
			rbi_vfy_fault(v, RBI_AUDIT_F_RECORD, v->pos, v->pos,
				      0, 0, "%s holds more than %u records",
				      name, RBI_AUDIT_SEG_LEAVES);
			break;
		}
		rbi_vfy_line(v, line, len,
			     rbi_audit_hasher_get(&v->hasher, lines, line, len),
			     *first);
		*first = false;
		lines++;
	}
	rbi_audit_hasher_stop(&v->hasher);
	if (pos < m.n && (!last || v->pos < v->signed_size))
		rbi_vfy_fault(v, RBI_AUDIT_F_MISSING, v->pos, v->pos,
			      v->prev_ts, 0, "%s ends in a partial record",
			      name);
	else if (pos < m.n)
		rbi_vfy_note(v, v->pos, v->pos, "%s ends in a partial record "
			     "written after the last checkpoint and never "
			     "acknowledged (a crash); the next start cuts it",
			     name);
	if (!last && lines < RBI_AUDIT_SEG_LEAVES)
		rbi_vfy_fault(v, RBI_AUDIT_F_MISSING, v->pos,
			      start + RBI_AUDIT_SEG_LEAVES - 1, v->prev_ts, 0,
			      "%s holds %llu of its %u records: truncated",
			      name, (unsigned long long)lines,
			      RBI_AUDIT_SEG_LEAVES);
	rbi_audit_unmap(&m);
}

/* Leaves without records (pruned or lost): only their hashes count. */
static void rbi_vfy_hash_only(struct rbi_vfy *v, uint64_t to)
{
	while (v->pos < to && v->pos < v->nhash)
		rbi_vfy_feed(v, &v->h[v->pos]);
}

static void rbi_vfy_segments(struct rbi_vfy *v)
{
	uint64_t *segs = NULL, expect;
	struct rbi_audit_span *sp;
	size_t count = 0, i;
	bool first = true;

	rbi_audit_list_segs(v->efd, &segs, &count);
	if (count && segs[0] > 0) {
		expect = segs[0] * RBI_AUDIT_SEG_LEAVES;
		sp = rbi_vfy_push(&v->res->pruned);
		if (sp) {
			sp->epoch = v->epoch;
			sp->to_idx = expect - 1;
			sp->count = expect;
			snprintf(sp->what, sizeof(sp->what), "retention");
			snprintf(sp->detail, sizeof(sp->detail),
				 "segments 0-%llu deleted; checked by their "
				 "leaf hashes only",
				 (unsigned long long)segs[0] - 1);
		}
		if (v->nhash < expect)
			rbi_vfy_fault(v, RBI_AUDIT_F_MISSING, v->nhash,
				      expect - 1, 0, 0, "leaf hashes of pruned "
				      "leaves are missing");
		rbi_vfy_hash_only(v, expect);
	}
	for (i = 0; i < count; i++) {
		expect = segs[i] * RBI_AUDIT_SEG_LEAVES;
		if (v->pos < expect) {
			rbi_vfy_fault(v, RBI_AUDIT_F_MISSING, v->pos,
				      expect - 1, v->prev_ts, 0,
				      "segment(s) holding leaves %llu-%llu "
				      "are missing", (unsigned long long)v->pos,
				      (unsigned long long)expect - 1);
			rbi_vfy_hash_only(v, expect);
			v->pos = expect;
		}
		rbi_vfy_segment(v, segs[i], i + 1 == count, &first);
	}
	free(segs);
}

/* ---- epochs ---- */

/*
 * Leaf hashes past the last record count only as far as a checkpoint
 * signs leaves. Any beyond are no part of the log (a crash between
 * cutting a torn record and its hash leaves some; the next start cuts
 * them): said, and not read, so that a file grown with holes is not read
 * to its end.
 */
static void rbi_vfy_extra_hashes(struct rbi_vfy *v)
{
	uint64_t upto = v->pos;
	size_t i;

	for (i = 0; i < v->ncps; i++)
		if (v->cps[i].size > upto)
			upto = v->cps[i].size;
	rbi_vfy_hash_only(v, upto < v->nhash ? upto : v->nhash);
	if (v->nhash > upto)
		rbi_vfy_note(v, upto, v->nhash - 1, "%s holds %llu leaf "
			     "hashes past the last record and checkpoint: no "
			     "part of the log, not read", RBI_AUDIT_LEAVES_FILE,
			     (unsigned long long)(v->nhash - upto));
}

static void rbi_vfy_tail(struct rbi_vfy *v)
{
	unsigned int period = v->period ? v->period : RBI_AUDIT_HEARTBEAT_MAX;
	size_t i;

	if (v->nhash > v->pos) {
		if (v->pos < v->signed_size)
			rbi_vfy_fault(v, RBI_AUDIT_F_MISSING, v->pos,
				      v->signed_size - 1, v->prev_ts, 0,
				      "records of signed leaves %llu-%llu are "
				      "missing (segment truncated)",
				      (unsigned long long)v->pos,
				      (unsigned long long)v->signed_size - 1);
		rbi_vfy_extra_hashes(v);
	}
	for (i = 0; i < v->ncps; i++)
		if (v->cps[i].size > v->edge.size)
			rbi_vfy_fault(v, RBI_AUDIT_F_MISSING, v->edge.size,
				      v->cps[i].size - 1, v->prev_ts, 0,
				      "checkpoint %zu signs %llu %s; the log "
				      "has %llu", i + 1,
				      (unsigned long long)v->cps[i].size,
				      rbi_plural(v->cps[i].size, "leaf",
						 "leaves"),
				      (unsigned long long)v->edge.size);
	if (!v->ncps && v->pos > 2)
		rbi_vfy_fault(v, RBI_AUDIT_F_SIGNATURE, 0, v->pos - 1, 0,
			      v->prev_ts, "no checkpoint signs this log");
	if (v->ncps && v->pos > v->signed_size) {
		rbi_vfy_note(v, v->signed_size, v->pos - 1,
			     "%llu %s after the last checkpoint, not yet signed",
			     (unsigned long long)(v->pos - v->signed_size),
			     rbi_plural(v->pos - v->signed_size, "record",
					"records"));
		if (v->signed_ts && v->prev_ts - v->signed_ts >
		    rbi_vfy_limit(period))
			rbi_vfy_fault(v, RBI_AUDIT_F_CHECKPOINT,
				      v->signed_size, v->pos - 1, v->signed_ts,
				      v->prev_ts, "records after the last "
				      "checkpoint span more than a heartbeat "
				      "period: checkpoints are missing");
	}
	if (v->in_session && !v->stopped && v->have_prev_ts)
		rbi_vfy_session_end(v, v->pos ? v->pos - 1 : 0, v->prev_ts);
}

static void rbi_vfy_epoch_reset(struct rbi_vfy *v)
{
	free(v->cps);
	rbi_audit_unmap(&v->hm);
	if (v->efd >= 0)
		close(v->efd);
	v->efd = -1;
	v->cps = NULL;
	v->ncps = v->cps_cap = 0;
	v->signed_size = v->pos = v->good_cp_size = 0;
	v->good_cp_ts = v->signed_ts = 0;
	v->open_rec = v->open_pol = RBI_VFY_NONE;
	v->have_prev_ts = v->in_session = v->stopped = false;
	v->need_restart_gap = v->have_policy = false;
	v->period = 0;
	rbi_audit_edge_init(&v->edge);
}

/* The last checkpoint of an epoch, for the next epoch's first start. */
static void rbi_vfy_hand_over(struct rbi_vfy *v)
{
	struct rbi_audit_epoch_info *ei = &v->res->epochs[v->ei];
	size_t i, best = 0;

	v->have_prev_epoch_cp = v->ncps > 0;
	if (!v->ncps)
		return;
	for (i = 1; i < v->ncps; i++)
		if (v->cps[i].size >= v->cps[best].size)
			best = i;
	snprintf(v->prev_epoch_cp.origin, sizeof(v->prev_epoch_cp.origin),
		 "%s", ei->origin);
	v->prev_epoch_cp.size = v->cps[best].size;
	v->prev_epoch_cp.root = v->cps[best].root;
}

static int rbi_vfy_epoch(struct rbi_vfy *v, unsigned int num)
{
	struct rbi_audit_epoch_info *ne;
	char name[RBI_AUDIT_FILE_NAME_MAX];

	ne = rbi_grow_push(v->res->epochs, &v->res->nepochs,
			   &v->res->epochs_cap);
	if (!ne)
		return RBI_AUDIT_ENOMEM;
	v->ei = (size_t)(ne - v->res->epochs);
	ne->num = num;
	v->epoch = num;
	rbi_audit_epoch_name(num, name);
	v->efd = openat(v->dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (v->efd < 0)
		return RBI_AUDIT_EIO;
	if (rbi_audit_map(v->efd, RBI_AUDIT_LEAVES_FILE, &v->hm))
		rbi_vfy_fault(v, RBI_AUDIT_F_MISSING, 0, 0, 0, 0, "%s: %s",
			      RBI_AUDIT_LEAVES_FILE, strerror(errno));
	v->h = (const void *)v->hm.p;
	v->nhash = v->hm.n / RBI_AUDIT_HASH_LEN;
	if (v->hm.n % RBI_AUDIT_HASH_LEN)
		rbi_vfy_note(v, v->nhash, v->nhash, "%s ends in a partial "
			     "hash", RBI_AUDIT_LEAVES_FILE);
	rbi_vfy_checkpoints(v);
	rbi_vfy_roots(v);
	rbi_vfy_segments(v);
	rbi_vfy_tail(v);
	ne = &v->res->epochs[v->ei];
	ne->leaves = v->edge.size;
	ne->signed_size = v->signed_size;
	rbi_vfy_hand_over(v);
	return RBI_AUDIT_OK;
}

/* "name+keyid", as a vkey starts. */
static void rbi_vfy_key_label(const char *name, const uint8_t *id, char *out,
			      size_t len)
{
	snprintf(out, len, "%s+%02x%02x%02x%02x", name, id[0], id[1], id[2],
		 id[3]);
}

/*
 * Whether the key signs none of the epochs' latest checkpoints, another
 * key signing them instead: then the key given is not this log's, which
 * is one finding, not a fault for each checkpoint and the chaining faults
 * that follow. signer gets the other key's label.
 */
static bool rbi_vfy_other_key(struct rbi_vfy *v, const unsigned int *nums,
			      size_t count, char *signer, size_t len)
{
	char name[RBI_AUDIT_FILE_NAME_MAX], sname[RBI_AUDIT_NAME_MAX];
	struct rbi_audit_checkpoint cp;
	struct rbi_audit_map m;
	uint8_t id[RBI_AUDIT_KEYID_LEN];
	int efd, rc = RBI_AUDIT_OK;
	size_t i;

	signer[0] = '\0';
	for (i = 0; i < count && !rc; i++) {
		rbi_audit_epoch_name(nums[i], name);
		efd = openat(v->dirfd, name, O_RDONLY | O_DIRECTORY |
			     O_CLOEXEC);
		if (efd < 0 || rbi_audit_map(efd, RBI_AUDIT_LATEST_FILE, &m)) {
			rc = RBI_AUDIT_EIO;
		} else {
			rc = rbi_audit_checkpoint_open(m.p, m.n, v->key, 1,
						       &cp);
			if (rc == RBI_AUDIT_ENOSIG && !signer[0] &&
			    !rbi_audit_note_signer(m.p, m.n, sname,
						   sizeof(sname), id))
				rbi_vfy_key_label(sname, id, signer, len);
			rbi_audit_unmap(&m);
		}
		if (efd >= 0)
			close(efd);
		if (rc == RBI_AUDIT_ENOSIG)
			rc = RBI_AUDIT_OK;
		else
			rc = RBI_AUDIT_EMISMATCH;
	}
	return !rc && signer[0];
}

int rbi_audit_verify_dir(const char *dir, const struct rbi_audit_key *key,
			 const struct rbi_audit_verify_opts *opts,
			 struct rbi_audit_result *res, char *err,
			 size_t err_len)
{
	char signer[RBI_AUDIT_NAME_MAX + 16], given[RBI_AUDIT_NAME_MAX + 16];
	unsigned int *nums;
	struct rbi_vfy *v;
	size_t count = 0, i;
	int rc = RBI_AUDIT_OK;

	memset(res, 0, sizeof(*res));
	v = calloc(1, sizeof(*v));
	nums = calloc(RBI_AUDIT_EPOCHS_MAX, sizeof(*nums));
	if (v)
		v->seg_hash = calloc(RBI_AUDIT_SEG_LEAVES, sizeof(*v->seg_hash));
	if (!v || !nums || !v->seg_hash) {
		if (v)
			free(v->seg_hash);
		free(v);
		free(nums);
		snprintf(err, err_len, "out of memory");
		return RBI_AUDIT_ENOMEM;
	}
	v->key = key;
	v->opts = opts;
	v->res = res;
	v->efd = -1;
	v->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (v->dirfd < 0 || rbi_audit_list_epochs(v->dirfd, nums,
						   RBI_AUDIT_EPOCHS_MAX,
						   &count)) {
		snprintf(err, err_len, "%s: %s", dir, strerror(errno));
		rc = RBI_AUDIT_EIO;
	} else if (!count) {
		snprintf(err, err_len, "%s: %s", dir, RBI_AUDIT_NO_LOG);
		rc = RBI_AUDIT_EIO;
	}
	if (!rc && rbi_vfy_other_key(v, nums, count, signer, sizeof(signer))) {
		rbi_vfy_key_label(key->name, key->id, given, sizeof(given));
		v->epoch = nums[0];
		rbi_vfy_fault(v, RBI_AUDIT_F_SIGNATURE, 0, 0, 0, 0, "this log "
			      "is signed by key %s, not by the key given, %s: "
			      "check that --pub is this gateway's public key",
			      signer, given);
		res->other_key = true;
		count = 0;
	}
	for (i = 0; !rc && i < count; i++) {
		rbi_vfy_epoch_reset(v);
		if (i && nums[i] != nums[i - 1] + 1)
			rbi_vfy_fault(v, RBI_AUDIT_F_MISSING, 0, 0, 0, 0,
				      "epoch(s) %u-%u are missing",
				      nums[i - 1] + 1, nums[i] - 1);
		rc = rbi_vfy_epoch(v, nums[i]);
		if (rc)
			snprintf(err, err_len, "%s: epoch %u: %s", dir,
				 nums[i], strerror(errno));
	}
	rbi_vfy_epoch_reset(v);
	for (i = 0; i < res->nepochs; i++) {
		if (res->epochs[i].first_ts && (!res->first_ts ||
		    res->epochs[i].first_ts < res->first_ts))
			res->first_ts = res->epochs[i].first_ts;
		if (res->epochs[i].last_ts > res->last_ts)
			res->last_ts = res->epochs[i].last_ts;
	}
	if (opts && opts->strict)
		for (i = 0; i < res->gaps.n; i++) {
			struct rbi_audit_span *sp = rbi_vfy_push(&res->faults);

			if (sp) {
				*sp = res->gaps.v[i];
				sp->kind = RBI_AUDIT_F_GAP;
			}
		}
	res->ok = !rc && !res->faults.n;
	if (v->dirfd >= 0)
		close(v->dirfd);
	rbi_buf_free(&v->tmp);
	free(v->seg_hash);
	free(v);
	free(nums);
	return rc;
}
