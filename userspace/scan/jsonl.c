// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "rbi_analytics.h"
#include "util/buf.h"
#include "policy/explain.h"
#include "util/json.h"
#include "scan/jsonl.h"

/* A key and its value, rendered: ,"key":"value" or ,"key":null. */
struct rbi_jsonl_frag {
	char *s;
	size_t len;
};

struct rbi_scan_jsonl {
	const struct rbi_policy *p;
	struct rbi_scan_clock clock;
	/* Each table ends with the null value, for indexes out of range. */
	struct rbi_jsonl_frag app[__RBI_APP_MAX + 1];
	struct rbi_jsonl_frag verdict[__RBI_VERDICT_MAX + 1];
	struct rbi_jsonl_frag category[__RBI_CAT_MAX + 1];
	struct rbi_jsonl_frag rule[__RBI_RULE_MAX + 1];
	struct rbi_jsonl_frag *zone;	/* n_zones + 1 */
	struct rbi_jsonl_frag *service;	/* services, resolvers, null */
	struct rbi_buf slow;		/* a name that needs escapes */
	char *line;
	size_t cap;
};

void rbi_scan_clock_text(struct rbi_scan_clock *c, uint64_t us,
			 char out[RBI_AUDIT_TS_LEN + 1])
{
	uint32_t frac = (uint32_t)(us % 1000000);
	int i;

	if (!c->valid || c->sec != us / 1000000) {
		rbi_audit_ts_format((int64_t)(us - frac), c->text);
		c->sec = us / 1000000;
		c->valid = true;
	}
	memcpy(out, c->text, sizeof(c->text));
	/* YYYY-MM-DDTHH:MM:SS.ffffffZ: the six digits before the Z. */
	for (i = RBI_AUDIT_TS_LEN - 2; i >= RBI_AUDIT_TS_LEN - 7; i--) {
		out[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
}

/* Renders ,"key":value as rbi_json would; false when out of memory. */
static bool rbi_jsonl_frag(struct rbi_jsonl_frag *f, const char *key,
			   const char *value)
{
	struct rbi_buf b = RBI_BUF_INIT;

	rbi_buf_printf(&b, ",\"%s\":", key);
	if (value) {
		rbi_buf_addc(&b, '"');
		rbi_json_escape(&b, value, strlen(value));
		rbi_buf_addc(&b, '"');
	} else {
		rbi_buf_adds(&b, "null");
	}
	if (rbi_buf_failed(&b)) {
		rbi_buf_free(&b);
		return false;
	}
	f->s = b.data;
	f->len = b.len;
	return true;
}

/* Fills frags[0..n] from name(i), frags[n] being null; the longest. */
static size_t rbi_jsonl_table(struct rbi_jsonl_frag *frags, size_t n,
			      const char *key,
			      const char *(*name)(const void *ctx, size_t i),
			      const void *ctx)
{
	size_t i, longest = 0;

	for (i = 0; i <= n; i++) {
		if (!rbi_jsonl_frag(&frags[i], key, i < n ? name(ctx, i) :
				    NULL))
			return 0;
		if (frags[i].len > longest)
			longest = frags[i].len;
	}
	return longest;
}

/*
 * Each value by the same function policy explain uses, from a decision
 * that says only that.
 */
static const char *rbi_jsonl_zone(const void *ctx, size_t i)
{
	struct rbi_decision d = { .zone = (uint32_t)i };

	return rbi_decision_zone(ctx, &d);
}

static const char *rbi_jsonl_service(const void *ctx, size_t i)
{
	const struct rbi_policy *p = ctx;
	struct rbi_decision d = { .service = RBI_NONE, .doh = RBI_NONE };

	if (i < p->n_services)
		d.service = (uint32_t)i;
	else
		d.doh = (uint32_t)(i - p->n_services);
	return rbi_decision_service(p, &d);
}

static const char *rbi_jsonl_category(const void *ctx, size_t i)
{
	struct rbi_decision d = { .category = (uint8_t)i };

	(void)ctx;
	return rbi_decision_category(&d);
}

static const char *rbi_jsonl_rule(const void *ctx, size_t i)
{
	struct rbi_decision d = { .rule = (uint8_t)i };

	(void)ctx;
	return rbi_decision_rule(&d);
}

static const char *rbi_jsonl_verdict(const void *ctx, size_t i)
{
	(void)ctx;
	return rbi_verdict_name((enum rbi_verdict)i);
}

static const char *rbi_jsonl_app(const void *ctx, size_t i)
{
	(void)ctx;
	return rbi_app_name((enum rbi_app)i);
}

/* The longest markers field: every marker, each quoted, with commas. */
static size_t rbi_jsonl_markers_max(void)
{
	size_t n = sizeof(",\"markers\":[]") - 1;
	unsigned int m;

	for (m = 0; m < __RBI_MARKER_MAX; m++)
		n += strlen(rbi_marker_name((enum rbi_marker)m)) + 3;
	return n;
}

/* The tables, and a line long enough for any record. */
static bool rbi_jsonl_build(struct rbi_scan_jsonl *w)
{
	const struct rbi_policy *p = w->p;
	size_t max[6];

	max[0] = rbi_jsonl_table(w->app, __RBI_APP_MAX, "app", rbi_jsonl_app,
				 p);
	max[1] = rbi_jsonl_table(w->verdict, __RBI_VERDICT_MAX, "verdict",
				 rbi_jsonl_verdict, p);
	max[2] = rbi_jsonl_table(w->category, __RBI_CAT_MAX, "category",
				 rbi_jsonl_category, p);
	max[3] = rbi_jsonl_table(w->rule, __RBI_RULE_MAX, "rule",
				 rbi_jsonl_rule, p);
	max[4] = rbi_jsonl_table(w->zone, p->n_zones, "zone", rbi_jsonl_zone,
				 p);
	max[5] = rbi_jsonl_table(w->service, p->n_services + p->n_doh,
				 "service", rbi_jsonl_service, p);
	if (!max[0] || !max[1] || !max[2] || !max[3] || !max[4] || !max[5])
		return false;
	/*
	 * Keys, the time, two addresses and ports take well under 256 bytes;
	 * a name escaped at worst six bytes for one.
	 */
	w->cap = 256 + 6 * RBI_NAME_BUF + max[0] + max[1] + max[2] + max[3] +
		 max[4] + max[5] + rbi_jsonl_markers_max();
	w->line = malloc(w->cap);
	return w->line != NULL;
}

struct rbi_scan_jsonl *rbi_scan_jsonl_alloc(const struct rbi_policy *p)
{
	struct rbi_scan_jsonl *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->p = p;
	w->zone = calloc(p->n_zones + 1, sizeof(*w->zone));
	w->service = calloc(p->n_services + p->n_doh + 1,
			    sizeof(*w->service));
	if (!w->zone || !w->service || !rbi_jsonl_build(w)) {
		rbi_scan_jsonl_free(w);
		return NULL;
	}
	return w;
}

static void rbi_jsonl_frags_free(struct rbi_jsonl_frag *f, size_t n)
{
	size_t i;

	for (i = 0; f && i < n; i++)
		free(f[i].s);
}

void rbi_scan_jsonl_free(struct rbi_scan_jsonl *w)
{
	if (!w)
		return;
	rbi_jsonl_frags_free(w->app, __RBI_APP_MAX + 1);
	rbi_jsonl_frags_free(w->verdict, __RBI_VERDICT_MAX + 1);
	rbi_jsonl_frags_free(w->category, __RBI_CAT_MAX + 1);
	rbi_jsonl_frags_free(w->rule, __RBI_RULE_MAX + 1);
	if (w->p) {
		rbi_jsonl_frags_free(w->zone, w->p->n_zones + 1);
		rbi_jsonl_frags_free(w->service, w->p->n_services +
				     w->p->n_doh + 1);
	}
	free(w->zone);
	free(w->service);
	rbi_buf_free(&w->slow);
	free(w->line);
	free(w);
}

static char *rbi_jsonl_put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define RBI_JSONL_LIT(p, lit)	rbi_jsonl_put(p, lit, sizeof(lit) - 1)

static char *rbi_jsonl_frag_put(char *p, const struct rbi_jsonl_frag *t,
				size_t n, size_t i)
{
	const struct rbi_jsonl_frag *f = &t[i < n ? i : n];

	return rbi_jsonl_put(p, f->s, f->len);
}

/* Quoted; IPv4 written here, the common case, IPv6 by rbi_ip_format(). */
static char *rbi_jsonl_ip(char *p, const struct rbi_ip *ip)
{
	int i;

	*p++ = '"';
	if (ip->family != RBI_IP_V4) {
		p += rbi_ip_format(ip, p, RBI_IP_STRLEN);
	} else {
		for (i = 0; i < 4; i++) {
			p = rbi_json_put_uint(p, ip->a[i]);
			*p++ = i < 3 ? '.' : '"';
		}
		return p;
	}
	*p++ = '"';
	return p;
}

static char *rbi_jsonl_name(struct rbi_scan_jsonl *w, char *p,
			    const struct rbi_flow *f)
{
	if (!f->name_len)
		return RBI_JSONL_LIT(p, ",\"name\":null");
	p = RBI_JSONL_LIT(p, ",\"name\":\"");
	if (rbi_json_plain(f->name, f->name_len) == f->name_len) {
		p = rbi_jsonl_put(p, f->name, f->name_len);
	} else {
		rbi_buf_reset(&w->slow);
		rbi_json_escape(&w->slow, f->name, f->name_len);
		p = rbi_jsonl_put(p, rbi_buf_str(&w->slow), w->slow.len);
	}
	*p++ = '"';
	return p;
}

/* The service or resolver, as rbi_decision_service() picks it. */
static size_t rbi_jsonl_service_index(const struct rbi_policy *p,
				      const struct rbi_decision *d)
{
	if (d->service < p->n_services)
		return d->service;
	if (d->doh < p->n_doh)
		return p->n_services + d->doh;
	return p->n_services + p->n_doh;
}

/*
 * The camera-analytics markers after the design's keys, and only when
 * there are some, so that a record without any keeps the design's form.
 * Marker names are plain ASCII.
 */
static char *rbi_jsonl_markers(char *p, uint32_t markers)
{
	const char *name;
	char sep = '[';
	unsigned int m;

	markers &= RBI_MARKER_ALL;
	if (!markers)
		return p;
	p = RBI_JSONL_LIT(p, ",\"markers\":");
	for (m = 0; m < __RBI_MARKER_MAX; m++) {
		if (!(markers & RBI_MARKER_BIT(m)))
			continue;
		name = rbi_marker_name((enum rbi_marker)m);
		*p++ = sep;
		*p++ = '"';
		p = rbi_jsonl_put(p, name, strlen(name));
		*p++ = '"';
		sep = ',';
	}
	*p++ = ']';
	return p;
}

const char *rbi_scan_jsonl_line(struct rbi_scan_jsonl *w,
				const struct rbi_scan_record *r, size_t *len)
{
	const struct rbi_policy *pol = w->p;
	const struct rbi_flow *f = &r->flow;
	char *p = w->line;

	p = RBI_JSONL_LIT(p, "{\"ts\":\"");
	rbi_scan_clock_text(&w->clock, r->ts, p);
	p += RBI_AUDIT_TS_LEN;
	if (f->l4 == RBI_L4_UDP)
		p = RBI_JSONL_LIT(p, "\",\"l4\":\"udp\",\"src\":");
	else
		p = RBI_JSONL_LIT(p, "\",\"l4\":\"tcp\",\"src\":");
	p = rbi_jsonl_ip(p, &f->src);
	p = RBI_JSONL_LIT(p, ",\"sport\":");
	p = rbi_json_put_uint(p, f->sport);
	p = RBI_JSONL_LIT(p, ",\"dst\":");
	p = rbi_jsonl_ip(p, &f->dst);
	p = RBI_JSONL_LIT(p, ",\"dport\":");
	p = rbi_json_put_uint(p, f->dport);
	p = rbi_jsonl_frag_put(p, w->app, __RBI_APP_MAX, f->app);
	p = rbi_jsonl_name(w, p, f);
	p = f->ech ? RBI_JSONL_LIT(p, ",\"ech\":true") :
		     RBI_JSONL_LIT(p, ",\"ech\":false");
	p = rbi_jsonl_frag_put(p, w->zone, pol->n_zones, r->d.zone);
	p = rbi_jsonl_frag_put(p, w->verdict, __RBI_VERDICT_MAX,
			       r->d.verdict);
	p = rbi_jsonl_frag_put(p, w->service, pol->n_services + pol->n_doh,
			       rbi_jsonl_service_index(pol, &r->d));
	p = rbi_jsonl_frag_put(p, w->category, __RBI_CAT_MAX, r->d.category);
	p = rbi_jsonl_frag_put(p, w->rule, __RBI_RULE_MAX, r->d.rule);
	p = rbi_jsonl_markers(p, f->markers);
	p = RBI_JSONL_LIT(p, "}\n");
	*len = (size_t)(p - w->line);
	return w->line;
}
