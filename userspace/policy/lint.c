// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rbi_name.h"
#include "policy/internal.h"
#include "policy/lint.h"

enum {
	RBI_LABELS_MAX = 128,	/* a 253-byte name has at most 127 labels */
};

void rbi_today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The labels of a pattern, rightmost first. */
static size_t rbi_labels(const char *s, const char **lab, size_t *len)
{
	size_t n = 0, end = strlen(s), i = end;

	while (n < RBI_LABELS_MAX) {
		while (i && s[i - 1] != '.')
			i--;
		lab[n] = s + i;
		len[n++] = end - i;
		if (!i)
			break;
		end = --i;
	}
	return n;
}

static bool rbi_is_star(const char *l, size_t n)
{
	return n == 1 && *l == '*';
}

/* Appends a label to ex (rightmost first); '*' becomes "x". */
static void rbi_ex_add(char *ex, size_t len, const char *lab, size_t ll)
{
	size_t used = strlen(ex);

	if (rbi_is_star(lab, ll)) {
		lab = "x";
		ll = 1;
	}
	snprintf(ex + used, len - used, "%s%.*s", used ? "." : "", (int)ll,
		 lab);
}

/*
 * a[i..] and b[j..] (rightmost first) against each other: a leftmost '*'
 * (the last label of a pattern of several) stands for one or more labels,
 * any other '*' for exactly one. Builds a common name into ex.
 */
static bool rbi_overlap_from(const char **a, const size_t *al, size_t na,
			     size_t i, const char **b, const size_t *bl,
			     size_t nb, size_t j, char *ex, size_t len)
{
	bool a_deep, b_deep;

	if (i == na || j == nb)
		return i == na && j == nb;
	a_deep = i + 1 == na && na > 1 && rbi_is_star(a[i], al[i]);
	b_deep = j + 1 == nb && nb > 1 && rbi_is_star(b[j], bl[j]);
	if (a_deep && b_deep) {
		rbi_ex_add(ex, len, "x", 1);
		return true;
	}
	/* The deep side takes every label left on the other, one at least. */
	for (; a_deep && j < nb; j++)
		rbi_ex_add(ex, len, b[j], bl[j]);
	for (; b_deep && i < na; i++)
		rbi_ex_add(ex, len, a[i], al[i]);
	if (a_deep || b_deep)
		return true;
	if (!rbi_is_star(a[i], al[i]) && !rbi_is_star(b[j], bl[j]) &&
	    (al[i] != bl[j] || memcmp(a[i], b[j], al[i])))
		return false;
	if (rbi_is_star(a[i], al[i]))
		rbi_ex_add(ex, len, b[j], bl[j]);
	else
		rbi_ex_add(ex, len, a[i], al[i]);
	return rbi_overlap_from(a, al, na, i + 1, b, bl, nb, j + 1, ex, len);
}

/* The labels of ex were written rightmost first: reverse them. */
static void rbi_reverse_labels(char *ex)
{
	const char *lab[RBI_LABELS_MAX];
	size_t len[RBI_LABELS_MAX], n, i;
	char *copy = strdup(ex), *w = ex;

	if (!copy)
		return;
	n = rbi_labels(copy, lab, len);
	for (i = 0; i < n; i++)
		w += sprintf(w, "%s%.*s", i ? "." : "", (int)len[i], lab[i]);
	free(copy);
}

bool rbi_pattern_overlap(const char *a, const char *b, char *example,
			 size_t len)
{
	const char *al[RBI_LABELS_MAX], *bl[RBI_LABELS_MAX];
	size_t an[RBI_LABELS_MAX], bn[RBI_LABELS_MAX];
	size_t na = rbi_labels(a, al, an), nb = rbi_labels(b, bl, bn);

	example[0] = '\0';
	if (!rbi_overlap_from(al, an, na, 0, bl, bn, nb, 0, example, len))
		return false;
	rbi_reverse_labels(example);
	return true;
}

/* The entries a lint looks at: the catalogue's, enforced or on record. */
struct rbi_lint {
	const struct rbi_policy *p;
	const char *today;
	char year_ago[24];
	struct rbi_diags *d;
	const struct rbi_service **v;	/* enforced: services, resolvers */
	size_t n;
	struct rbi_name_table *names;	/* their patterns: index into v */
};

static void rbi_lint_cites(struct rbi_lint *l, const struct rbi_service *s,
			   const struct rbi_cites *c, const struct rbi_loc *at,
			   const char *what)
{
	if (!c->n)
		rbi_pdiag(l->d, RBI_DIAG_ERROR, at, "'%s': %s cites no "
			  "evidence", s->id, what);
}

static void rbi_lint_evidence(struct rbi_lint *l, const struct rbi_service *s)
{
	const struct rbi_evidence *e;
	bool used;
	size_t i, k, c;

	for (i = 0; i < s->n_evidence; i++) {
		e = &s->evidence[i];
		if (strcmp(e->retrieved, l->today) > 0)
			rbi_pdiag(l->d, RBI_DIAG_ERROR, &e->loc, "'%s': "
				  "evidence '%s' was retrieved on %s, after "
				  "today (%s)", s->id, e->id, e->retrieved,
				  l->today);
		used = false;
		for (k = 0; k < s->n_names && !used; k++)
			for (c = 0; c < s->names[k].ev.n; c++)
				used |= s->names[k].ev.v[c] == i;
		for (k = 0; k < s->n_cats && !used; k++)
			for (c = 0; c < s->cats[k].ev.n; c++)
				used |= s->cats[k].ev.v[c] == i;
		for (c = 0; c < s->nets_ev.n; c++)
			used |= s->nets_ev.v[c] == i;
		for (c = 0; c < s->life.ev.n; c++)
			used |= s->life.ev.v[c] == i;
		for (c = 0; s->listed && c < s->listed->ev.n; c++)
			used |= s->listed->ev.v[c] == i;
		if (!used)
			rbi_pdiag(l->d, RBI_DIAG_WARNING, &e->loc, "'%s': "
				  "evidence '%s' is cited by nothing", s->id,
				  e->id);
	}
}

/* Evidence for every fact, and who runs the service. */
static void rbi_lint_facts(struct rbi_lint *l, const struct rbi_service *s)
{
	size_t i;

	if (!s->n_evidence) {
		rbi_pdiag(l->d, RBI_DIAG_ERROR, &s->loc, "'%s' has no "
			  "structured 'evidence' (url or repo and path, kind, "
			  "retrieved, shows)%s", s->id, s->n_sources ?
			  ", only free-text 'sources'" : "");
		return;
	}
	for (i = 0; i < s->n_names; i++)
		if (!s->names[i].listed)
			rbi_lint_cites(l, s, &s->names[i].ev, &s->names[i].loc,
				       "a name");
	for (i = 0; i < s->n_cats; i++) {
		if (!s->cats[i].operation)
			rbi_pdiag(l->d, RBI_DIAG_ERROR, &s->cats[i].loc, "'%s':"
				  " category %s does not say which operation "
				  "provides it ('operation')", s->id,
				  rbi_category_name(s->cats[i].cat));
		rbi_lint_cites(l, s, &s->cats[i].ev, &s->cats[i].loc,
			       "a category");
	}
	if (s->n_nets)
		rbi_lint_cites(l, s, &s->nets_ev, &s->loc, "'networks' "
			       "('networks-evidence')");
	if (s->life.status != RBI_LIFE_ACTIVE)
		rbi_lint_cites(l, s, &s->life.ev, &s->life.loc,
			       "its lifecycle");
	if (s->listed)
		rbi_lint_cites(l, s, &s->listed->ev, &s->listed->loc,
			       "'operator-names'");
	if (!s->company || !s->jurisdiction)
		rbi_pdiag(l->d, RBI_DIAG_WARNING, &s->loc, "'%s' does not say "
			  "who operates it ('company' and 'jurisdiction'; "
			  "'unknown' where it is not established)", s->id);
	rbi_lint_evidence(l, s);
}

/* Staleness and lifecycle, as of today. */
static void rbi_lint_dates(struct rbi_lint *l, const struct rbi_service *s)
{
	const char *newest = "";
	size_t i;

	for (i = 0; i < s->n_evidence; i++)
		if (strcmp(s->evidence[i].retrieved, newest) > 0)
			newest = s->evidence[i].retrieved;
	if (*newest && strcmp(newest, l->year_ago) < 0)
		rbi_pdiag(l->d, RBI_DIAG_WARNING, &s->loc, "'%s': its newest "
			  "evidence was retrieved on %s, more than a year "
			  "before %s: check it again", s->id, newest,
			  l->today);
	if (s->life.status != RBI_LIFE_RETIRED && s->life.retires[0] &&
	    strcmp(s->life.retires, l->today) <= 0)
		rbi_pdiag(l->d, RBI_DIAG_WARNING, &s->life.loc, "'%s' retired "
			  "on %s by its lifecycle but is still blocked: set "
			  "'status: retired' (kept on record, not enforced) "
			  "or correct the date", s->id, s->life.retires);
	for (i = 0; i < s->n_ports; i++)
		if (!s->ports[i].l4)
			rbi_pdiag(l->d, RBI_DIAG_WARNING, &s->loc, "'%s': port "
				  "%u has no protocol, so it matches TCP and "
				  "UDP alike; write %u/tcp or %u/udp", s->id,
				  s->ports[i].lo, s->ports[i].lo,
				  s->ports[i].lo);
}

/* Which entry the catalogue gives name to; n for none. */
static size_t rbi_lint_owner(const struct rbi_name_table *t, const char *name,
			     size_t n)
{
	uint32_t v;

	if (!rbi_name_table_lookup(t, name, strlen(name), &v) || v >= n)
		return n;
	return v;
}

static struct rbi_name_table *rbi_lint_table(const struct rbi_service *const *v,
					     size_t n)
{
	struct rbi_name_table *t = rbi_name_table_alloc();
	const struct rbi_service *s;
	size_t i, k;

	for (i = 0; t && i < n; i++) {
		s = v[i];
		for (k = 0; k < s->n_names; k++)
			rbi_name_table_add(t, s->names[k].text,
					   strlen(s->names[k].text),
					   (uint32_t)i);
	}
	return t;
}

/* The entry's test names, through the same name table as the classifier. */
static void rbi_lint_tests(struct rbi_lint *l, const struct rbi_service *s,
			   size_t self)
{
	const struct rbi_name_table *t = l->names;
	struct rbi_name_table *own = NULL;
	const struct rbi_service *const *v = l->v;
	size_t i, n = l->n, who;

	if (self == l->n) {
		/* On record only: matched against its own names. */
		own = rbi_lint_table(&s, 1);
		if (!own)
			return;
		t = own;
		v = &s;
		n = 1;
		self = 0;
	}
	if (s->n_names && !s->n_must_match && !s->n_must_not_match)
		rbi_pdiag(l->d, RBI_DIAG_WARNING, &s->loc, "'%s' has no test "
			  "names ('tests: {match: [...], no-match: [...]}')",
			  s->id);
	for (i = 0; i < s->n_must_match; i++) {
		who = rbi_lint_owner(t, s->must_match[i].s, n);
		if (who == self)
			continue;
		rbi_pdiag(l->d, RBI_DIAG_ERROR, &s->must_match[i].loc, "'%s': "
			  "test name '%s' must match it, but %s%s", s->id,
			  s->must_match[i].s, who < n ? "matches " :
			  "matches no entry", who < n ? v[who]->id : "");
	}
	for (i = 0; i < s->n_must_not_match; i++) {
		if (rbi_lint_owner(t, s->must_not_match[i].s, n) != self)
			continue;
		rbi_pdiag(l->d, RBI_DIAG_ERROR, &s->must_not_match[i].loc,
			  "'%s': test name '%s' must not match it, but does",
			  s->id, s->must_not_match[i].s);
	}
	rbi_name_table_free(own);
}

static void rbi_lint_exclusion(struct rbi_lint *l,
			       const struct rbi_exclusion *x)
{
	size_t i, who;

	for (i = 0; i < x->n_not_blocked; i++) {
		who = rbi_lint_owner(l->names, x->not_blocked[i].s, l->n);
		if (who == l->n || l->v[who]->kind != RBI_KIND_SERVICE)
			continue;
		rbi_pdiag(l->d, RBI_DIAG_ERROR, &x->not_blocked[i].loc,
			  "exclusion '%s': '%s' is excluded (%s), but '%s' "
			  "blocks it", x->id, x->not_blocked[i].s, x->reason,
			  l->v[who]->id);
	}
	if (!x->n_not_blocked)
		rbi_pdiag(l->d, RBI_DIAG_WARNING, &x->loc, "exclusion '%s' has "
			  "no test names ('tests: {not-blocked: [...]}')",
			  x->id);
}

/* One name pattern, keyed by its literal labels, rightmost first. */
struct rbi_lint_pat {
	char key[256];		/* "com.amazonaws" for rekognition.*... */
	const struct rbi_pattern *pt;
	size_t entry;		/* index into l->v, or n + exclusion */
};

static int rbi_lint_pat_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rbi_lint_pat *)a)->key,
		      ((const struct rbi_lint_pat *)b)->key);
}

static void rbi_lint_key(const char *text, char *key, size_t len)
{
	const char *lab[RBI_LABELS_MAX];
	size_t ll[RBI_LABELS_MAX], n = rbi_labels(text, lab, ll), i;

	key[0] = '\0';
	for (i = 0; i < n && !rbi_is_star(lab[i], ll[i]); i++)
		snprintf(key + strlen(key), len - strlen(key), "%s%.*s",
			 i ? "." : "", (int)ll[i], lab[i]);
}

static const char *rbi_lint_pat_owner(const struct rbi_lint *l, size_t entry)
{
	return entry < l->n ? l->v[entry]->id :
	       l->p->exclusions[entry - l->n].id;
}

/* Two patterns of different entries: a warning, or an error for exclusions. */
static void rbi_lint_pat_pair(struct rbi_lint *l, const struct rbi_lint_pat *a,
			      const struct rbi_lint_pat *b)
{
	const struct rbi_lint_pat *x = b->entry >= l->n ? b : a;
	const struct rbi_lint_pat *o = x == b ? a : b;
	char ex[300];

	if (a->entry == b->entry || (a->entry >= l->n && b->entry >= l->n) ||
	    !rbi_pattern_overlap(a->pt->text, b->pt->text, ex, sizeof(ex)))
		return;
	if (x->entry >= l->n)
		rbi_pdiag(l->d, RBI_DIAG_ERROR, &o->pt->loc, "name pattern '%s'"
			  " of '%s' blocks names that exclusion '%s' leaves "
			  "out ('%s', %s:%u:%u), such as %s", o->pt->text,
			  rbi_lint_pat_owner(l, o->entry),
			  rbi_lint_pat_owner(l, x->entry), x->pt->text,
			  x->pt->loc.file, x->pt->loc.line, x->pt->loc.col,
			  ex);
	else
		rbi_pdiag(l->d, RBI_DIAG_WARNING, &b->pt->loc, "name pattern "
			  "'%s' of '%s' overlaps '%s' of '%s' (%s:%u:%u): "
			  "both match %s", b->pt->text,
			  rbi_lint_pat_owner(l, b->entry), a->pt->text,
			  rbi_lint_pat_owner(l, a->entry), a->pt->loc.file,
			  a->pt->loc.line, a->pt->loc.col, ex);
}

static bool rbi_lint_pat_add(struct rbi_lint_pat **v, size_t *n, size_t *cap,
			     const struct rbi_pattern *pt, size_t entry)
{
	struct rbi_lint_pat *x = rbi_grow_push(*v, n, cap);

	if (!x)
		return false;
	rbi_lint_key(pt->text, x->key, sizeof(x->key));
	x->pt = pt;
	x->entry = entry;
	return true;
}

/*
 * Patterns of two entries can only meet when one's literal labels (from
 * the right) are a label-prefix of the other's: sorted by those, the
 * candidates of each pattern follow it in one run.
 */
static void rbi_lint_overlaps(struct rbi_lint *l)
{
	struct rbi_lint_pat *v = NULL;
	size_t n = 0, cap = 0, i, j, k, klen;
	bool ok = true;

	for (i = 0; ok && i < l->n; i++)
		for (k = 0; ok && k < l->v[i]->n_names; k++)
			ok = rbi_lint_pat_add(&v, &n, &cap, &l->v[i]->names[k],
					      i);
	for (i = 0; ok && i < l->p->n_exclusions; i++)
		for (k = 0; ok && k < l->p->exclusions[i].n_names; k++)
			ok = rbi_lint_pat_add(&v, &n, &cap,
					      &l->p->exclusions[i].names[k],
					      l->n + i);
	if (ok && n)
		qsort(v, n, sizeof(*v), rbi_lint_pat_cmp);
	for (i = 0; ok && i < n; i++) {
		klen = strlen(v[i].key);
		for (j = i + 1; j < n && !strncmp(v[j].key, v[i].key, klen);
		     j++)
			if (!klen || v[j].key[klen] == '.' ||
			    !v[j].key[klen])
				rbi_lint_pat_pair(l, &v[i], &v[j]);
	}
	free(v);
}

/* Networks of a and b that overlap on a port both list. */
static void rbi_lint_net_pair(struct rbi_lint *l, const struct rbi_service *a,
			      const struct rbi_service *b)
{
	char x[RBI_PREFIX_STRLEN], y[RBI_PREFIX_STRLEN];
	size_t m, k;

	if (a->kind != b->kind ||
	    !rbi_ports_meet(a->ports, a->n_ports, b->ports, b->n_ports))
		return;
	for (m = 0; m < a->n_nets; m++) {
		for (k = 0; k < b->n_nets; k++) {
			if (!rbi_prefix_overlap(&a->nets[m].prefix,
						&b->nets[k].prefix))
				continue;
			rbi_prefix_format(&a->nets[m].prefix, x, sizeof(x));
			rbi_prefix_format(&b->nets[k].prefix, y, sizeof(y));
			rbi_pdiag(l->d, RBI_DIAG_WARNING, &b->nets[k].loc,
				  "network %s of '%s' overlaps %s of '%s' on "
				  "the same ports", y, b->id, x, a->id);
		}
	}
}

static void rbi_lint_nets(struct rbi_lint *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++)
		for (j = i + 1; j < l->n; j++)
			rbi_lint_net_pair(l, l->v[i], l->v[j]);
}

void rbi_catalog_lint(const struct rbi_policy *p, const char *today,
		      struct rbi_diags *d)
{
	struct rbi_lint l = { .p = p, .today = today, .d = d };
	size_t i, n = 0;

	snprintf(l.year_ago, sizeof(l.year_ago), "%04d%s",
		 atoi(today) - 1, today + 4);
	l.v = calloc(p->n_services + p->n_doh + 1, sizeof(*l.v));
	if (!l.v)
		return;
	for (i = 0; i < p->n_services; i++)
		if (!p->services[i].local)
			l.v[n++] = &p->services[i];
	for (i = 0; i < p->n_doh; i++)
		l.v[n++] = &p->doh[i];
	l.n = n;
	l.names = rbi_lint_table(l.v, n);
	for (i = 0; l.names && i < n; i++) {
		rbi_lint_facts(&l, l.v[i]);
		rbi_lint_dates(&l, l.v[i]);
		rbi_lint_tests(&l, l.v[i], i);
	}
	for (i = 0; l.names && i < p->n_retired; i++) {
		rbi_lint_facts(&l, &p->retired[i]);
		rbi_lint_tests(&l, &p->retired[i], n);
	}
	for (i = 0; l.names && i < p->n_exclusions; i++)
		rbi_lint_exclusion(&l, &p->exclusions[i]);
	if (l.names) {
		rbi_lint_overlaps(&l);
		rbi_lint_nets(&l);
	}
	rbi_name_table_free(l.names);
	free(l.v);
}
