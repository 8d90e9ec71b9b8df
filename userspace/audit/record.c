// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <string.h>

#include "audit/b64.h"
#include "audit/record.h"
#include "util/utf8.h"
#include "audit/time.h"
#include "util/json.h"

static const char *const rbi_rec_names[__RBI_AUDIT_REC_MAX] = {
	[RBI_AUDIT_REC_POLICY] = "policy",
	[RBI_AUDIT_REC_BLOCK] = "block",
	[RBI_AUDIT_REC_HEARTBEAT] = "heartbeat",
	[RBI_AUDIT_REC_START] = "start",
	[RBI_AUDIT_REC_STOP] = "stop",
	[RBI_AUDIT_REC_GAP] = "gap",
	[RBI_AUDIT_REC_LOG] = "log",
};

const char *rbi_audit_rec_type_name(enum rbi_audit_rec_type t)
{
	return t < __RBI_AUDIT_REC_MAX ? rbi_rec_names[t] : "unknown";
}

int rbi_audit_rec_type_parse(const char *s, size_t n)
{
	int t;

	for (t = 0; t < __RBI_AUDIT_REC_MAX; t++)
		if (strlen(rbi_rec_names[t]) == n &&
		    !memcmp(rbi_rec_names[t], s, n))
			return t;
	return -1;
}

/*
 * Records are written here rather than with rbi_json: the writer formats
 * every event, and copying runs of plain bytes at once (instead of one
 * buffer call per character) is most of the append rate. The escaping is
 * rbi_json_escape's, which this defers to for every byte that needs it.
 */

static bool rbi_rec_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/*
 * Escaped size of the character at s[0..n) under rbi_json_escape's rules;
 * *used gets the input bytes it takes.
 */
static size_t rbi_rec_esc_len(const char *s, size_t n, size_t *used)
{
	unsigned char c = (unsigned char)s[0];
	size_t k;

	*used = 1;
	if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t')
		return 2;
	if (c < 0x20 || c == 0x7f)
		return 6;
	if (c < 0x80)
		return 1;
	k = rbi_utf8_seq(s, n);
	if (!k)
		return 6;	/* \ufffd */
	*used = k;
	return k;
}

static void rbi_rec_esc(struct rbi_buf *out, const char *s, size_t n)
{
	size_t i = 0, run, k;

	while (i < n) {
		for (run = i; run < n && rbi_rec_plain((unsigned char)s[run]);)
			run++;
		if (run > i) {
			rbi_buf_add(out, s + i, run - i);
			i = run;
			continue;
		}
		k = (unsigned char)s[i] >= 0x80 ?
		    rbi_utf8_seq(s + i, n - i) : 0;
		if (k)
			rbi_buf_add(out, s + i, k);
		else
			rbi_json_escape(out, s + i, 1);
		i += k ? k : 1;
	}
}

/* Input bytes of s[0..n) whose escaped form, plus the marker, fits cap. */
static size_t rbi_rec_cut(const char *s, size_t n, size_t cap, bool *cut)
{
	static const size_t mark = sizeof(RBI_AUDIT_TRUNCATED) - 1;
	size_t i = 0, esc = 0, keep = 0, e, used;

	*cut = false;
	/* Six bytes is the most any input byte escapes to. */
	if (n <= cap / 6)
		return n;
	while (i < n) {
		e = rbi_rec_esc_len(s + i, n - i, &used);
		if (esc + e > cap) {
			*cut = true;
			return keep;
		}
		esc += e;
		i += used;
		if (esc + mark <= cap)
			keep = i;
	}
	return n;
}

static void rbi_rec_key(struct rbi_buf *out, const char *key)
{
	rbi_buf_addc(out, ',');
	rbi_buf_addc(out, '"');
	rbi_buf_adds(out, key);
	rbi_buf_addc(out, '"');
	rbi_buf_addc(out, ':');
}

/* "key":"s" with s cut so that its escaped form fits in cap; NULL: null. */
static void rbi_rec_kstrn(struct rbi_buf *out, const char *key, const char *s,
			  size_t n, size_t cap)
{
	size_t keep;
	bool cut;

	rbi_rec_key(out, key);
	if (!s) {
		rbi_buf_adds(out, "null");
		return;
	}
	keep = rbi_rec_cut(s, n, cap, &cut);
	rbi_buf_addc(out, '"');
	rbi_rec_esc(out, s, keep);
	if (cut)
		rbi_buf_adds(out, RBI_AUDIT_TRUNCATED);
	rbi_buf_addc(out, '"');
}

static void rbi_rec_kstr(struct rbi_buf *out, const char *key, const char *s)
{
	rbi_rec_kstrn(out, key, s, s ? strlen(s) : 0, RBI_AUDIT_STR_CAP);
}

static void rbi_rec_uint(struct rbi_buf *out, uint64_t v)
{
	char d[20];
	int i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	rbi_buf_add(out, d + i, sizeof(d) - (size_t)i);
}

static void rbi_rec_kuint(struct rbi_buf *out, const char *key, uint64_t v)
{
	rbi_rec_key(out, key);
	rbi_rec_uint(out, v);
}

static void rbi_rec_kbool(struct rbi_buf *out, const char *key, bool v)
{
	rbi_rec_key(out, key);
	rbi_buf_adds(out, v ? "true" : "false");
}

static void rbi_rec_kts(struct rbi_buf *out, const char *key, int64_t us)
{
	char ts[RBI_AUDIT_TS_LEN + 1];

	rbi_audit_ts_format(us, ts);
	rbi_rec_kstr(out, key, ts);
}

static void rbi_rec_begin(struct rbi_buf *out,
			  const struct rbi_audit_rec_common *c)
{
	rbi_buf_adds(out, "{\"v\":1");
	rbi_rec_kstr(out, "type", rbi_audit_rec_type_name(c->type));
	rbi_rec_kuint(out, "idx", c->idx);
	rbi_rec_kts(out, "ts", c->ts);
	rbi_rec_kstr(out, "boot_id", c->boot_id);
}

static int rbi_rec_end(struct rbi_buf *out)
{
	rbi_buf_addc(out, '}');
	if (rbi_buf_failed(out))
		return RBI_AUDIT_ENOMEM;
	return out->len <= RBI_AUDIT_LEAF_MAX ? RBI_AUDIT_OK : RBI_AUDIT_ERANGE;
}

int rbi_audit_rec_policy(struct rbi_buf *out,
			 const struct rbi_audit_rec_common *c,
			 const struct rbi_audit_policy *p, const char *sha256)
{
	rbi_rec_begin(out, c);
	rbi_rec_kstr(out, "name", p->name);
	rbi_rec_kstr(out, "sha256", sha256);
	rbi_rec_kstr(out, "source", p->source);
	rbi_rec_kstrn(out, "text", p->text, p->text_len, RBI_AUDIT_TEXT_CAP);
	return rbi_rec_end(out);
}

int rbi_audit_rec_block(struct rbi_buf *out,
			const struct rbi_audit_rec_common *c,
			const struct rbi_audit_block *b)
{
	rbi_rec_begin(out, c);
	rbi_rec_kstr(out, "zone", b->zone);
	rbi_rec_kstr(out, "camera", b->camera);
	rbi_rec_kstr(out, "dst", b->dst);
	rbi_rec_kuint(out, "dport", b->dport);
	rbi_rec_kstr(out, "l4", b->l4);
	rbi_rec_kstr(out, "app", b->app);
	rbi_rec_kstr(out, "name", b->name);
	rbi_rec_key(out, "ech");
	rbi_buf_adds(out, b->ech == RBI_AUDIT_ECH_YES ? "true" :
		     b->ech == RBI_AUDIT_ECH_NO ? "false" : "null");
	rbi_rec_kstr(out, "service", b->service);
	rbi_rec_kstr(out, "category", b->category);
	rbi_rec_kstr(out, "rule", b->rule);
	rbi_rec_kstr(out, "basis", b->basis);
	rbi_rec_kstr(out, "policy_sha256", b->policy_sha256);
	rbi_rec_kstr(out, "direction", b->direction);
	rbi_rec_kuint(out, "count", b->count ? b->count : 1);
	rbi_rec_kstr(out, "backend", b->backend);
	return rbi_rec_end(out);
}

int rbi_audit_rec_heartbeat(struct rbi_buf *out,
			    const struct rbi_audit_rec_common *c,
			    const struct rbi_audit_heartbeat *h, uint64_t seq,
			    unsigned int period)
{
	const char *name;
	size_t i;

	rbi_rec_begin(out, c);
	rbi_rec_kuint(out, "seq", seq);
	rbi_rec_kuint(out, "period", period);
	rbi_rec_kstr(out, "policy_sha256", h->policy_sha256);
	rbi_rec_kstr(out, "ruleset_sha256", h->ruleset_sha256);
	rbi_rec_kbool(out, "module", h->module);
	rbi_rec_kstr(out, "backend", h->backend);
	rbi_rec_key(out, "counters");
	rbi_buf_addc(out, '{');
	for (i = 0; i < h->ncounters && i < RBI_AUDIT_COUNTERS_MAX; i++) {
		name = h->counters[i].name ? h->counters[i].name : "";
		if (i)
			rbi_buf_addc(out, ',');
		rbi_buf_addc(out, '"');
		rbi_rec_esc(out, name, strnlen(name,
					       RBI_AUDIT_COUNTER_NAME_CAP));
		rbi_buf_adds(out, "\":");
		rbi_rec_uint(out, h->counters[i].value);
	}
	rbi_buf_addc(out, '}');
	return rbi_rec_end(out);
}

int rbi_audit_rec_start(struct rbi_buf *out,
			const struct rbi_audit_rec_common *c,
			const struct rbi_audit_start *s)
{
	rbi_rec_begin(out, c);
	rbi_rec_kstr(out, "origin", s->origin);
	rbi_rec_kstr(out, "version", s->version);
	rbi_rec_key(out, "prev");
	if (!s->prev) {
		rbi_buf_adds(out, "null");
	} else {
		rbi_buf_adds(out, "{\"origin\":\"");
		rbi_rec_esc(out, s->prev->origin, strlen(s->prev->origin));
		rbi_buf_addc(out, '"');
		rbi_rec_kuint(out, "size", s->prev->size);
		rbi_rec_key(out, "root");
		rbi_buf_addc(out, '"');
		rbi_audit_b64_encode(out, s->prev->root.b, RBI_AUDIT_HASH_LEN);
		rbi_buf_adds(out, "\"}");
	}
	rbi_rec_kstr(out, "reason", s->reason);
	return rbi_rec_end(out);
}

int rbi_audit_rec_stop(struct rbi_buf *out,
		       const struct rbi_audit_rec_common *c,
		       const char *reason)
{
	rbi_rec_begin(out, c);
	rbi_rec_kstr(out, "reason", reason);
	return rbi_rec_end(out);
}

int rbi_audit_rec_gap(struct rbi_buf *out,
		      const struct rbi_audit_rec_common *c,
		      const struct rbi_audit_gap *g)
{
	rbi_rec_begin(out, c);
	rbi_rec_kstr(out, "what", g->what);
	rbi_rec_kts(out, "from", g->from);
	rbi_rec_kts(out, "until", g->until);
	rbi_rec_kuint(out, "count", g->count);
	rbi_rec_kstr(out, "detail", g->detail);
	return rbi_rec_end(out);
}

/* The common fields lead every record, in this order. */
static const char *const rbi_rec_common_keys[] = {
	"v", "type", "idx", "ts", "boot_id",
};

enum { RBI_REC_COMMON = sizeof(rbi_rec_common_keys) / sizeof(char *) };

int rbi_audit_rec_parse(const char *line, size_t n, struct rbi_audit_rec *r)
{
	const struct rbi_audit_jfield *f = r->obj.f;
	size_t i;
	int t;

	if (n > RBI_AUDIT_LEAF_MAX || rbi_audit_json_parse(line, n, &r->obj) ||
	    r->obj.count < RBI_REC_COMMON)
		return RBI_AUDIT_EMALFORMED;
	for (i = 0; i < RBI_REC_COMMON; i++)
		if (f[i].key_len != strlen(rbi_rec_common_keys[i]) ||
		    memcmp(f[i].key, rbi_rec_common_keys[i], f[i].key_len))
			return RBI_AUDIT_EMALFORMED;
	if (f[0].v.type != RBI_AUDIT_JNUM || f[0].v.n != 1 ||
	    f[0].v.p[0] != '1' || f[1].v.type != RBI_AUDIT_JSTR ||
	    !rbi_audit_json_u64(&f[2].v, &r->idx) ||
	    f[3].v.type != RBI_AUDIT_JSTR ||
	    rbi_audit_ts_parse(f[3].v.p, f[3].v.n, &r->ts))
		return RBI_AUDIT_EMALFORMED;
	t = rbi_audit_rec_type_parse(f[1].v.p, f[1].v.n);
	if (t < 0)
		return RBI_AUDIT_EMALFORMED;
	r->type = (enum rbi_audit_rec_type)t;
	return RBI_AUDIT_OK;
}

const struct rbi_audit_jval *rbi_audit_rec_get(const struct rbi_audit_rec *r,
					       const char *key)
{
	return rbi_audit_json_get(&r->obj, key);
}

const char *rbi_audit_rec_str(const struct rbi_audit_rec *r, const char *key,
			      struct rbi_buf *tmp)
{
	rbi_buf_reset(tmp);
	if (!rbi_audit_json_str(rbi_audit_rec_get(r, key), tmp))
		return "";
	return rbi_buf_str(tmp);
}

bool rbi_audit_rec_time(const struct rbi_audit_rec *r, const char *key,
			int64_t *us)
{
	const struct rbi_audit_jval *v = rbi_audit_rec_get(r, key);

	return v && v->type == RBI_AUDIT_JSTR &&
	       !rbi_audit_ts_parse(v->p, v->n, us);
}

bool rbi_audit_rec_prev(const struct rbi_audit_rec *r,
			struct rbi_audit_checkpoint *cp)
{
	const struct rbi_audit_jval *v = rbi_audit_rec_get(r, "prev");
	const struct rbi_audit_jval *o, *sz, *root;
	uint8_t raw[RBI_AUDIT_HASH_LEN + 3];
	struct rbi_audit_jobj obj;
	size_t len;

	memset(cp, 0, sizeof(*cp));
	if (!v || v->type != RBI_AUDIT_JOBJ ||
	    rbi_audit_json_parse(v->p, v->n, &obj))
		return false;
	o = rbi_audit_json_get(&obj, "origin");
	sz = rbi_audit_json_get(&obj, "size");
	root = rbi_audit_json_get(&obj, "root");
	if (!o || o->type != RBI_AUDIT_JSTR || o->n >= sizeof(cp->origin) ||
	    !rbi_audit_json_u64(sz, &cp->size) || !root ||
	    root->type != RBI_AUDIT_JSTR ||
	    rbi_audit_b64_decode(root->p, root->n, raw, sizeof(raw), &len) ||
	    len != RBI_AUDIT_HASH_LEN)
		return false;
	memcpy(cp->origin, o->p, o->n);
	memcpy(cp->root.b, raw, RBI_AUDIT_HASH_LEN);
	return true;
}
