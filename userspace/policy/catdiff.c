// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/catdiff.h"
#include "policy/describe.h"
#include "util/grow.h"

/* An entry of either catalogue, whichever array it is in. */
struct rbi_centry {
	const char *kind;
	const struct rbi_service *s;
};

struct rbi_diffctx {
	struct rbi_catdiff *out;
	struct rbi_catdiff_item *cur;	/* the changed entry being compared */
	size_t cap;
	bool failed;
};

static void rbi_change(struct rbi_diffctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void rbi_change(struct rbi_diffctx *c, const char *fmt, ...)
{
	struct rbi_catdiff_item *it = c->cur;
	va_list ap;
	char *line;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0 || rbi_grow_to(&it->changes, &c->cap, it->n_changes + 1,
				 sizeof(*it->changes))) {
		if (n >= 0)
			free(line);
		c->failed = true;
		return;
	}
	it->changes[it->n_changes++] = line;
}

static const char *rbi_or_none(const char *s)
{
	return s ? s : "(none)";
}

static bool rbi_same(const char *a, const char *b)
{
	return (a && b && !strcmp(a, b)) || (!a && !b);
}

static void rbi_diff_str(struct rbi_diffctx *c, const char *what,
			 const char *a, const char *b)
{
	if (rbi_same(a, b))
		return;
	rbi_change(c, "~ %s: %s -> %s", what, rbi_or_none(a), rbi_or_none(b));
}

static const struct rbi_service_cat *rbi_cat_in(const struct rbi_service *s,
						enum rbi_category cat)
{
	size_t i;

	for (i = 0; i < s->n_cats; i++)
		if (s->cats[i].cat == cat)
			return &s->cats[i];
	return NULL;
}

static void rbi_diff_cats(struct rbi_diffctx *c, const struct rbi_service *a,
			  const struct rbi_service *b)
{
	const struct rbi_service_cat *x, *y;
	unsigned int cat;

	for (cat = 0; cat < __RBI_CAT_MAX; cat++) {
		x = rbi_cat_in(a, cat);
		y = rbi_cat_in(b, cat);
		if (!x && y)
			rbi_change(c, "+ category %s: %s",
				   rbi_category_name(cat),
				   rbi_or_none(y->operation));
		else if (x && !y)
			rbi_change(c, "- category %s", rbi_category_name(cat));
		else if (x && y && !rbi_same(x->operation, y->operation))
			rbi_change(c, "~ category %s operation: %s -> %s",
				   rbi_category_name(cat),
				   rbi_or_none(x->operation),
				   rbi_or_none(y->operation));
	}
}

static const struct rbi_pattern *rbi_name_in(const struct rbi_service *s,
					     const char *text)
{
	size_t i;

	for (i = 0; i < s->n_names; i++)
		if (!strcmp(s->names[i].text, text))
			return &s->names[i];
	return NULL;
}

static const char *rbi_conf(bool unconfirmed)
{
	return unconfirmed ? "unconfirmed" : "confirmed";
}

static const char *rbi_shared(bool shared)
{
	return shared ? "shared" : "dedicated";
}

static void rbi_diff_names(struct rbi_diffctx *c, const struct rbi_service *a,
			   const struct rbi_service *b)
{
	const struct rbi_pattern *x, *y;
	size_t i;

	for (i = 0; i < b->n_names; i++) {
		y = &b->names[i];
		x = rbi_name_in(a, y->text);
		if (!x) {
			rbi_change(c, "+ name %s (%s, %s)", y->text,
				   rbi_shared(y->shared),
				   rbi_conf(y->unconfirmed));
			continue;
		}
		if (x->unconfirmed != y->unconfirmed)
			rbi_change(c, "~ name %s: %s -> %s", y->text,
				   rbi_conf(x->unconfirmed),
				   rbi_conf(y->unconfirmed));
		if (x->shared != y->shared)
			rbi_change(c, "~ name %s: %s -> %s", y->text,
				   rbi_shared(x->shared),
				   rbi_shared(y->shared));
	}
	for (i = 0; i < a->n_names; i++)
		if (!rbi_name_in(b, a->names[i].text))
			rbi_change(c, "- name %s", a->names[i].text);
}

static bool rbi_net_in(const struct rbi_service *s, const struct rbi_prefix *p)
{
	size_t i;

	for (i = 0; i < s->n_nets; i++)
		if (s->nets[i].prefix.len == p->len &&
		    !memcmp(&s->nets[i].prefix.ip, &p->ip, sizeof(p->ip)))
			return true;
	return false;
}

static void rbi_diff_nets(struct rbi_diffctx *c, const struct rbi_service *a,
			  const struct rbi_service *b)
{
	struct rbi_buf x = RBI_BUF_INIT, y = RBI_BUF_INIT;
	char buf[RBI_PREFIX_STRLEN];
	size_t i;

	for (i = 0; i < b->n_nets; i++) {
		if (rbi_net_in(a, &b->nets[i].prefix))
			continue;
		rbi_prefix_format(&b->nets[i].prefix, buf, sizeof(buf));
		rbi_change(c, "+ network %s", buf);
	}
	for (i = 0; i < a->n_nets; i++) {
		if (rbi_net_in(b, &a->nets[i].prefix))
			continue;
		rbi_prefix_format(&a->nets[i].prefix, buf, sizeof(buf));
		rbi_change(c, "- network %s", buf);
	}
	rbi_ports_text(a->ports, a->n_ports, &x);
	rbi_ports_text(b->ports, b->n_ports, &y);
	if (strcmp(rbi_buf_str(&x), rbi_buf_str(&y)))
		rbi_change(c, "~ ports: %s -> %s", a->n_ports ?
			   rbi_buf_str(&x) : "any", b->n_ports ?
			   rbi_buf_str(&y) : "any");
	rbi_buf_free(&x);
	rbi_buf_free(&y);
}

static const struct rbi_evidence *rbi_ev_in(const struct rbi_service *s,
					    const char *id)
{
	size_t i;

	for (i = 0; i < s->n_evidence; i++)
		if (!strcmp(s->evidence[i].id, id))
			return &s->evidence[i];
	return NULL;
}

static const char *rbi_ev_where(const struct rbi_evidence *e, char *buf,
				size_t len)
{
	if (e->url)
		return e->url;
	snprintf(buf, len, "%s:%s", e->repo, e->path);
	return buf;
}

static void rbi_diff_evidence(struct rbi_diffctx *c,
			      const struct rbi_service *a,
			      const struct rbi_service *b)
{
	const struct rbi_evidence *x, *y;
	char w1[1024], w2[1024];
	size_t i;

	for (i = 0; i < b->n_evidence; i++) {
		y = &b->evidence[i];
		x = rbi_ev_in(a, y->id);
		if (!x) {
			rbi_change(c, "+ evidence %s: %s (%s, retrieved %s)",
				   y->id, rbi_ev_where(y, w2, sizeof(w2)),
				   rbi_evidence_kind_name(y->kind),
				   y->retrieved);
			continue;
		}
		if (strcmp(rbi_ev_where(x, w1, sizeof(w1)),
			   rbi_ev_where(y, w2, sizeof(w2))))
			rbi_change(c, "~ evidence %s: %s -> %s", y->id, w1,
				   w2);
		if (strcmp(x->retrieved, y->retrieved))
			rbi_change(c, "~ evidence %s: retrieved %s -> %s",
				   y->id, x->retrieved, y->retrieved);
		if (x->kind != y->kind)
			rbi_change(c, "~ evidence %s: %s -> %s", y->id,
				   rbi_evidence_kind_name(x->kind),
				   rbi_evidence_kind_name(y->kind));
	}
	for (i = 0; i < a->n_evidence; i++)
		if (!rbi_ev_in(b, a->evidence[i].id))
			rbi_change(c, "- evidence %s", a->evidence[i].id);
	if (a->n_sources && !b->n_sources)
		rbi_change(c, "- sources (free text)");
}

static void rbi_lifecycle_text(const struct rbi_service *s, char *buf,
			       size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s", rbi_lifecycle_name(s->life.status),
		 s->life.since[0] ? " since " : "", s->life.since,
		 s->life.retires[0] ? ", retires " : "", s->life.retires);
}

static void rbi_diff_service(struct rbi_diffctx *c, const struct rbi_service *a,
			     const struct rbi_service *b)
{
	char x[80], y[80];

	rbi_diff_str(c, "provider", a->provider, b->provider);
	rbi_diff_str(c, "product", a->product, b->product);
	rbi_diff_str(c, "company", a->company, b->company);
	rbi_diff_str(c, "jurisdiction", a->jurisdiction, b->jurisdiction);
	rbi_diff_cats(c, a, b);
	rbi_diff_names(c, a, b);
	rbi_diff_nets(c, a, b);
	if (a->shared != b->shared)
		rbi_change(c, "~ enforced as %s -> %s", rbi_shared(a->shared),
			   rbi_shared(b->shared));
	if (a->unconfirmed != b->unconfirmed)
		rbi_change(c, "~ confidence: %s -> %s",
			   rbi_conf(a->unconfirmed), rbi_conf(b->unconfirmed));
	rbi_lifecycle_text(a, x, sizeof(x));
	rbi_lifecycle_text(b, y, sizeof(y));
	rbi_diff_str(c, "lifecycle", x, y);
	rbi_diff_str(c, "operator-names", a->listed ? a->listed->pattern :
		     NULL, b->listed ? b->listed->pattern : NULL);
	rbi_diff_evidence(c, a, b);
}

static size_t rbi_centries(const struct rbi_policy *p, struct rbi_centry *v)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_services; i++)
		if (!p->services[i].local)
			v[n++] = (struct rbi_centry){ "service",
						      &p->services[i] };
	for (i = 0; i < p->n_retired; i++)
		v[n++] = (struct rbi_centry){ "service", &p->retired[i] };
	for (i = 0; i < p->n_doh; i++)
		v[n++] = (struct rbi_centry){ "resolver", &p->doh[i] };
	return n;
}

static const struct rbi_centry *rbi_centry_find(const struct rbi_centry *v,
						size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].s->id, id))
			return &v[i];
	return NULL;
}

static struct rbi_catdiff_item *rbi_item(struct rbi_diffctx *c, char sign,
					 const char *kind, const char *id)
{
	struct rbi_catdiff_item *it = rbi_grow_push(c->out->v, &c->out->n,
						    &c->out->cap);

	if (!it) {
		c->failed = true;
		return NULL;
	}
	/* A slot an unchanged entry gave back is reused. */
	memset(it, 0, sizeof(*it));
	it->sign = sign;
	it->kind = kind;
	it->id = id;
	c->cur = it;
	c->cap = 0;
	return it;
}

static void rbi_summary(struct rbi_diffctx *c, struct rbi_catdiff_item *it,
			const struct rbi_service *s)
{
	struct rbi_buf b = RBI_BUF_INIT;
	unsigned int i;
	const char *sep = "; ";

	rbi_buf_printf(&b, "%s, %s", rbi_or_none(s->provider),
		       rbi_or_none(s->product));
	for (i = 0; i < __RBI_CAT_MAX; i++) {
		if (!(s->categories & RBI_CAT_BIT(i)))
			continue;
		rbi_buf_printf(&b, "%s%s", sep, rbi_category_name(i));
		sep = ", ";
	}
	it->summary = strdup(rbi_buf_str(&b));
	c->failed |= !it->summary || rbi_buf_failed(&b);
	rbi_buf_free(&b);
}

static void rbi_diff_entries(struct rbi_diffctx *c, const struct rbi_centry *a,
			     size_t na, const struct rbi_centry *b, size_t nb)
{
	struct rbi_catdiff_item *it;
	const struct rbi_centry *o;
	size_t i;

	for (i = 0; i < nb && !c->failed; i++) {
		o = rbi_centry_find(a, na, b[i].s->id);
		it = rbi_item(c, o ? '~' : '+', b[i].kind, b[i].s->id);
		if (it && !o)
			rbi_summary(c, it, b[i].s);
		else if (it)
			rbi_diff_service(c, o->s, b[i].s);
		/* Unchanged entries are not reported. */
		if (it && o && !it->n_changes)
			c->out->n--;
	}
	for (i = 0; i < na && !c->failed; i++) {
		if (rbi_centry_find(b, nb, a[i].s->id))
			continue;
		it = rbi_item(c, '-', a[i].kind, a[i].s->id);
		if (it)
			rbi_summary(c, it, a[i].s);
	}
}

static void rbi_diff_exclusions(struct rbi_diffctx *c,
				const struct rbi_policy *a,
				const struct rbi_policy *b)
{
	struct rbi_service x, y;
	const struct rbi_exclusion *o;
	struct rbi_catdiff_item *it;
	size_t i;

	for (i = 0; i < b->n_exclusions && !c->failed; i++) {
		o = rbi_policy_exclusion(a, b->exclusions[i].id);
		it = rbi_item(c, o ? '~' : '+', "exclusion",
			      b->exclusions[i].id);
		if (!it)
			return;
		if (!o) {
			it->summary = strdup(b->exclusions[i].reason);
			continue;
		}
		/* Their names compare as an entry's do. */
		memset(&x, 0, sizeof(x));
		memset(&y, 0, sizeof(y));
		x.names = o->names;
		x.n_names = o->n_names;
		y.names = b->exclusions[i].names;
		y.n_names = b->exclusions[i].n_names;
		rbi_diff_names(c, &x, &y);
		rbi_diff_str(c, "reason", o->reason, b->exclusions[i].reason);
		if (!it->n_changes)
			c->out->n--;
	}
	for (i = 0; i < a->n_exclusions && !c->failed; i++)
		if (!rbi_policy_exclusion(b, a->exclusions[i].id))
			rbi_item(c, '-', "exclusion", a->exclusions[i].id);
}

int rbi_catalog_diff(const struct rbi_policy *old, const struct rbi_policy *new,
		     struct rbi_catdiff *out)
{
	struct rbi_diffctx c = { out, NULL, 0, false };
	struct rbi_centry *a, *b;
	size_t na, nb;

	memset(out, 0, sizeof(*out));
	a = calloc(old->n_services + old->n_retired + old->n_doh + 1,
		   sizeof(*a));
	b = calloc(new->n_services + new->n_retired + new->n_doh + 1,
		   sizeof(*b));
	if (a && b) {
		na = rbi_centries(old, a);
		nb = rbi_centries(new, b);
		rbi_diff_entries(&c, a, na, b, nb);
		rbi_diff_exclusions(&c, old, new);
	}
	free(a);
	free(b);
	if (!a || !b || c.failed) {
		rbi_catdiff_free(out);
		return -ENOMEM;
	}
	return 0;
}

void rbi_catdiff_free(struct rbi_catdiff *d)
{
	size_t i, k;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].summary);
		for (k = 0; k < d->v[i].n_changes; k++)
			free(d->v[i].changes[k]);
		free(d->v[i].changes);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}
