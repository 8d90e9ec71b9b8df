// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "audit/b64.h"
#include "audit/record.h"
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

void rbi_audit_rec_type_list(struct rbi_buf *out)
{
	int t;

	for (t = 0; t < __RBI_AUDIT_REC_MAX; t++)
		rbi_buf_printf(out, "%s%s", !t ? "" : t + 1 ==
			       __RBI_AUDIT_REC_MAX ? " or " : ", ",
			       rbi_rec_names[t]);
}

/* Every string of a record is cut to its cap (NULL: null). */
static void rbi_rec_kstr(struct rbi_json *j, const char *key, const char *s)
{
	rbi_json_key(j, key);
	rbi_json_str_cap(j, s, RBI_AUDIT_STR_CAP, RBI_AUDIT_TRUNCATED);
}

static void rbi_rec_kts(struct rbi_json *j, const char *key, int64_t us)
{
	char ts[RBI_AUDIT_TS_LEN + 1];

	rbi_audit_ts_format(us, ts);
	rbi_rec_kstr(j, key, ts);
}

static void rbi_rec_begin(struct rbi_json *j, struct rbi_buf *out,
			  const struct rbi_audit_rec_common *c)
{
	rbi_json_init(j, out);
	rbi_json_obj_begin(j);
	rbi_json_kuint(j, "v", 1);
	rbi_rec_kstr(j, "type", rbi_audit_rec_type_name(c->type));
	rbi_json_kuint(j, "idx", c->idx);
	rbi_rec_kts(j, "ts", c->ts);
	rbi_rec_kstr(j, "boot_id", c->boot_id);
}

static int rbi_rec_end(struct rbi_json *j)
{
	rbi_json_obj_end(j);
	if (rbi_buf_failed(j->out))
		return RBI_AUDIT_ENOMEM;
	return j->out->len <= RBI_AUDIT_LEAF_MAX ? RBI_AUDIT_OK :
	       RBI_AUDIT_ERANGE;
}

int rbi_audit_rec_policy_body(struct rbi_buf *body,
			      const struct rbi_audit_policy *p,
			      const char *sha256)
{
	struct rbi_json j;

	if (p->facts && p->facts_len > RBI_AUDIT_FACTS_CAP)
		return RBI_AUDIT_ERANGE;
	rbi_json_init(&j, body);
	rbi_json_obj_begin(&j);
	rbi_rec_kstr(&j, "name", p->name);
	rbi_rec_kstr(&j, "sha256", sha256);
	rbi_rec_kstr(&j, "source", p->source);
	/* Members written by the daemon's own JSON writer, as they are. */
	if (p->facts && p->facts_len) {
		rbi_buf_addc(body, ',');
		rbi_buf_add(body, p->facts, p->facts_len);
	}
	/* The policy text has a larger cap of its own. */
	rbi_json_key(&j, "text");
	if (p->text)
		rbi_json_strn_cap(&j, p->text, p->text_len, RBI_AUDIT_TEXT_CAP,
				  RBI_AUDIT_TRUNCATED);
	else
		rbi_json_null(&j);
	rbi_json_obj_end(&j);
	if (rbi_buf_failed(body))
		return RBI_AUDIT_ENOMEM;
	/* Without its braces: the members that follow the common ones. */
	memmove(body->data, body->data + 1, body->len - 2);
	body->len -= 2;
	body->data[body->len] = '\0';
	return RBI_AUDIT_OK;
}

int rbi_audit_rec_body(struct rbi_buf *out,
		       const struct rbi_audit_rec_common *c, const char *body,
		       size_t len)
{
	struct rbi_json j;

	rbi_rec_begin(&j, out, c);
	if (len) {
		rbi_buf_addc(out, ',');
		rbi_buf_add(out, body, len);
	}
	return rbi_rec_end(&j);
}

int rbi_audit_rec_block(struct rbi_buf *out,
			const struct rbi_audit_rec_common *c,
			const struct rbi_audit_block *b)
{
	struct rbi_json j;

	rbi_rec_begin(&j, out, c);
	rbi_rec_kstr(&j, "zone", b->zone);
	rbi_rec_kstr(&j, "camera", b->camera);
	rbi_rec_kstr(&j, "src", b->src);
	rbi_rec_kstr(&j, "dst", b->dst);
	rbi_json_kuint(&j, "dport", b->dport);
	rbi_rec_kstr(&j, "l4", b->l4);
	rbi_rec_kstr(&j, "app", b->app);
	rbi_rec_kstr(&j, "name", b->name);
	rbi_json_key(&j, "ech");
	if (b->ech == RBI_AUDIT_ECH_YES || b->ech == RBI_AUDIT_ECH_NO)
		rbi_json_bool(&j, b->ech == RBI_AUDIT_ECH_YES);
	else
		rbi_json_null(&j);
	rbi_rec_kstr(&j, "service", b->service);
	rbi_rec_kstr(&j, "category", b->category);
	rbi_rec_kstr(&j, "rule", b->rule);
	rbi_rec_kstr(&j, "basis", b->basis);
	rbi_rec_kstr(&j, "policy_sha256", b->policy_sha256);
	rbi_rec_kstr(&j, "direction", b->direction);
	rbi_json_kuint(&j, "count", b->count ? b->count : 1);
	rbi_rec_kstr(&j, "backend", b->backend);
	if (b->fail)
		rbi_rec_kstr(&j, "fail", b->fail);
	return rbi_rec_end(&j);
}

int rbi_audit_rec_heartbeat(struct rbi_buf *out,
			    const struct rbi_audit_rec_common *c,
			    const struct rbi_audit_heartbeat *h, uint64_t seq,
			    unsigned int period)
{
	struct rbi_json j;
	const char *name;
	size_t i;

	rbi_rec_begin(&j, out, c);
	rbi_json_kuint(&j, "seq", seq);
	rbi_json_kuint(&j, "period", period);
	rbi_rec_kstr(&j, "policy_sha256", h->policy_sha256);
	rbi_rec_kstr(&j, "ruleset_sha256", h->ruleset_sha256);
	rbi_json_kbool(&j, "module", h->module);
	rbi_rec_kstr(&j, "backend", h->backend);
	rbi_json_kint(&j, "utc_offset", rbi_audit_utc_offset(c->ts));
	rbi_json_key(&j, "counters");
	rbi_json_obj_begin(&j);
	for (i = 0; i < h->ncounters && i < RBI_AUDIT_COUNTERS_MAX; i++) {
		name = h->counters[i].name ? h->counters[i].name : "";
		rbi_json_keyn(&j, name, strnlen(name,
						RBI_AUDIT_COUNTER_NAME_CAP));
		rbi_json_uint(&j, h->counters[i].value);
	}
	rbi_json_obj_end(&j);
	return rbi_rec_end(&j);
}

/* The root of a checkpoint, in base64 as in its note. */
static void rbi_rec_kroot(struct rbi_json *j, const char *key,
			  const struct rbi_audit_hash *root)
{
	struct rbi_buf b64 = RBI_BUF_INIT;

	rbi_audit_b64_encode(&b64, root->b, RBI_AUDIT_HASH_LEN);
	if (rbi_buf_failed(&b64))
		j->out->failed = true;
	rbi_json_key(j, key);
	rbi_json_strn(j, rbi_buf_str(&b64), b64.len);
	rbi_buf_free(&b64);
}

int rbi_audit_rec_start(struct rbi_buf *out,
			const struct rbi_audit_rec_common *c,
			const struct rbi_audit_start *s)
{
	struct rbi_json j;

	rbi_rec_begin(&j, out, c);
	rbi_rec_kstr(&j, "origin", s->origin);
	rbi_rec_kstr(&j, "version", s->version);
	rbi_json_key(&j, "prev");
	if (!s->prev) {
		rbi_json_null(&j);
	} else {
		rbi_json_obj_begin(&j);
		rbi_json_kstr(&j, "origin", s->prev->origin);
		rbi_json_kuint(&j, "size", s->prev->size);
		rbi_rec_kroot(&j, "root", &s->prev->root);
		rbi_json_obj_end(&j);
	}
	rbi_rec_kstr(&j, "reason", s->reason);
	rbi_rec_kstr(&j, "tz", s->tz ? s->tz : "");
	rbi_json_kint(&j, "utc_offset", rbi_audit_utc_offset(c->ts));
	return rbi_rec_end(&j);
}

int rbi_audit_rec_stop(struct rbi_buf *out,
		       const struct rbi_audit_rec_common *c,
		       const char *reason)
{
	struct rbi_json j;

	rbi_rec_begin(&j, out, c);
	rbi_rec_kstr(&j, "reason", reason);
	return rbi_rec_end(&j);
}

int rbi_audit_rec_gap(struct rbi_buf *out,
		      const struct rbi_audit_rec_common *c,
		      const struct rbi_audit_gap *g)
{
	struct rbi_json j;

	rbi_rec_begin(&j, out, c);
	rbi_rec_kstr(&j, "what", g->what);
	rbi_rec_kts(&j, "from", g->from);
	rbi_rec_kts(&j, "until", g->until);
	rbi_json_kuint(&j, "count", g->count);
	rbi_rec_kstr(&j, "detail", g->detail);
	return rbi_rec_end(&j);
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
