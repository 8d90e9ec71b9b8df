// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Catalogue entries: what each service is, who runs it, what it offers
 * and by which operation, the names and networks it answers on, and for
 * every one of those facts the public evidence behind it, with the date it
 * was retrieved. Entries that a policy adds itself (catalog.services) use
 * the same schema, with evidence optional.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rbi_name.h"
#include "policy/internal.h"

static const char *const rbi_service_keys[] = {
	"id", "name", "provider", "product", "company", "jurisdiction",
	"categories", "names", "networks", "ports", "networks-evidence",
	"shared", "confidence", "evidence", "lifecycle", "operator-names",
	"tests", "sources", "notes", NULL
};
static const char *const rbi_catalog_file_keys[] = {
	"services", "doh-resolvers", "exclusions", "release", "about", NULL
};
static const char *const rbi_evidence_keys[] = {
	"id", "kind", "url", "repo", "path", "retrieved", "shows", NULL
};
static const char *const rbi_name_keys[] = {
	"pattern", "shared", "confidence", "evidence", NULL
};
static const char *const rbi_cat_keys[] = {
	"category", "operation", "evidence", NULL
};
static const char *const rbi_lifecycle_keys[] = {
	"status", "since", "retires", "evidence", NULL
};
static const char *const rbi_listed_keys[] = {
	"pattern", "what", "evidence", NULL
};
static const char *const rbi_tests_keys[] = { "match", "no-match", NULL };
static const char *const rbi_exclusion_keys[] = {
	"id", "provider", "product", "uses", "names", "reason",
	"reason-source", "applies", "evidence", "tests", "notes", NULL
};
static const char *const rbi_exclusion_tests_keys[] = { "not-blocked", NULL };
static const char *const rbi_release_keys[] = {
	"version", "date", "maintainer", "notes", NULL
};
static const char *const rbi_category_words[] = {
	"remote-biometric-identification", "biometric-categorisation",
	"emotion-recognition", NULL
};
static const char *const rbi_confidence_words[] = {
	"confirmed", "unconfirmed", NULL
};
static const char *const rbi_evidence_words[__RBI_EV_MAX + 1] = {
	[RBI_EV_VENDOR_DOCS] = "vendor-docs",
	[RBI_EV_VENDOR_SDK] = "vendor-sdk",
	[RBI_EV_CLIENT_CODE] = "client-code",
	[RBI_EV_THIRD_PARTY] = "third-party",
};
static const char *const rbi_lifecycle_words[__RBI_LIFE_MAX + 1] = {
	[RBI_LIFE_ACTIVE] = "active",
	[RBI_LIFE_CLOSED] = "closed-to-new-customers",
	[RBI_LIFE_RETIRED] = "retired",
};
static const char *const rbi_use_words[__RBI_USE_MAX + 1] = {
	[RBI_USE_LIVENESS] = "liveness",
	[RBI_USE_VERIFICATION] = "one-to-one-verification",
	[RBI_USE_DEVICE_UNLOCK] = "device-unlock",
};
static const char *const rbi_catalog_kind_words[__RBI_CATALOG_MAX] = {
	[RBI_CATALOG_BUILTIN] = "built-in",
	[RBI_CATALOG_DIR] = "directory",
	[RBI_CATALOG_FILE] = "file",
};

enum {
	RBI_CONF_CONFIRMED,
	RBI_CONF_UNCONFIRMED,
	RBI_CONF_UNSAID,
};

const char *rbi_evidence_kind_name(enum rbi_evidence_kind k)
{
	return (unsigned int)k < __RBI_EV_MAX ? rbi_evidence_words[k] : NULL;
}

const char *rbi_lifecycle_name(enum rbi_lifecycle_status s)
{
	return (unsigned int)s < __RBI_LIFE_MAX ? rbi_lifecycle_words[s] : NULL;
}

const char *rbi_exclusion_use_name(enum rbi_exclusion_use u)
{
	return (unsigned int)u < __RBI_USE_MAX ? rbi_use_words[u] : NULL;
}

const char *rbi_catalog_kind_name(enum rbi_catalog_kind k)
{
	return (unsigned int)k < __RBI_CATALOG_MAX ? rbi_catalog_kind_words[k] :
	       NULL;
}

void rbi_port_range_format(const struct rbi_port_range *r, char *buf,
			   size_t len)
{
	const char *l4 = r->l4 == RBI_L4_TCP ? "/tcp" :
			 r->l4 == RBI_L4_UDP ? "/udp" : "";

	if (r->lo == r->hi)
		snprintf(buf, len, "%u%s", r->lo, l4);
	else
		snprintf(buf, len, "%u-%u%s", r->lo, r->hi, l4);
}

static const struct rbi_service *rbi_find_in(const struct rbi_service *v,
					     size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].id, id))
			return &v[i];
	return NULL;
}

const struct rbi_exclusion *rbi_policy_exclusion(const struct rbi_policy *p,
						 const char *id)
{
	size_t i;

	for (i = 0; i < p->n_exclusions; i++)
		if (!strcmp(p->exclusions[i].id, id))
			return &p->exclusions[i];
	return NULL;
}

const struct rbi_service *rbi_policy_entry(const struct rbi_policy *p,
					   const char *id)
{
	const struct rbi_service *s = rbi_find_in(p->services, p->n_services,
						  id);

	if (!s)
		s = rbi_find_in(p->doh, p->n_doh, id);
	if (!s)
		s = rbi_find_in(p->retired, p->n_retired, id);
	return s;
}

/* An evidence entry: a URL or a repository path, a date, what it shows. */
static bool rbi_read_evidence(const struct rbi_yctx *y,
			      const struct rbi_ynode *n, struct rbi_evidence *e)
{
	unsigned int kind = __RBI_EV_MAX;
	bool ok;

	rbi_loc_set(&e->loc, y->file, n);
	if (!rbi_ymap_check(y, n, "an evidence entry", rbi_evidence_keys))
		return false;
	ok = rbi_yget_id(y, n, "id", &e->id, "evidence id");
	if (!rbi_ymap_get(n, "kind")) {
		rbi_yerr(y, n, "missing required key 'kind': vendor-docs, "
			 "vendor-sdk, client-code or third-party");
		ok = false;
	} else {
		ok &= rbi_yget_enum(y, n, "kind", rbi_evidence_words, &kind);
	}
	e->kind = (enum rbi_evidence_kind)kind;
	ok &= rbi_yget_str(y, n, "url", &e->url, false);
	ok &= rbi_yget_str(y, n, "repo", &e->repo, false);
	ok &= rbi_yget_str(y, n, "path", &e->path, false);
	ok &= rbi_read_date(y, n, "retrieved", e->retrieved, true);
	ok &= rbi_yget_str(y, n, "shows", &e->shows, true);
	if (!ok)
		return false;
	if (!e->url == !(e->repo && e->path) || (e->url && e->repo)) {
		rbi_yerr(y, n, "evidence '%s' needs either 'url' or both "
			 "'repo' and 'path'", e->id);
		return false;
	}
	if (e->url && strncmp(e->url, "https://", 8) &&
	    strncmp(e->url, "http://", 7)) {
		rbi_yerr(y, rbi_ymap_get(n, "url"), "evidence '%s': 'url' "
			 "must start with https:// or http://", e->id);
		return false;
	}
	if (e->repo && (!strchr(e->repo, '/') || strchr(e->repo, ' '))) {
		rbi_yerr(y, rbi_ymap_get(n, "repo"), "evidence '%s': 'repo' "
			 "must be owner/name, such as aws/aws-sdk-js-v3",
			 e->id);
		return false;
	}
	return true;
}

static bool rbi_read_evidence_list(const struct rbi_yctx *y,
				   const struct rbi_ynode *map,
				   struct rbi_evidence **arr, size_t *n)
{
	struct rbi_ynode *seq;
	size_t i, k;
	bool ok;

	if (!rbi_read_seq(y, map, "evidence", &seq))
		return false;
	if (!seq)
		return true;
	ok = RBI_READ_LIST(y, seq, arr, n, rbi_read_evidence);
	for (i = 0; ok && i < *n; i++) {
		for (k = 0; k < i; k++) {
			if (strcmp((*arr)[i].id, (*arr)[k].id))
				continue;
			rbi_yerr(y, seq->kids[i], "duplicate evidence id '%s' "
				 "(first at line %u)", (*arr)[i].id,
				 (*arr)[k].loc.line);
			ok = false;
		}
	}
	return ok;
}

/* key: [ids] into indexes of the entry's evidence. */
static bool rbi_read_cites(const struct rbi_yctx *y,
			   const struct rbi_ynode *map, const char *key,
			   const struct rbi_evidence *ev, size_t n_ev,
			   struct rbi_cites *c)
{
	const char *words[65];
	struct rbi_ynode **items;
	const char *hint;
	size_t n, i, k;
	bool ok = true;

	if (!rbi_yget_list(y, map, key, &items, &n, false))
		return false;
	if (!n)
		return true;
	c->v = calloc(n, sizeof(*c->v));
	if (!c->v)
		return false;
	/* Evidence that failed to read may have no id: never cited. */
	for (i = k = 0; k < n_ev && i < 64; k++)
		if (ev[k].id)
			words[i++] = ev[k].id;
	words[i] = NULL;
	for (i = 0; i < n; i++) {
		for (k = 0; k < n_ev && (!ev[k].id ||
					 strcmp(ev[k].id, items[i]->str)); k++)
			;
		if (k < n_ev) {
			c->v[c->n++] = k;
			continue;
		}
		hint = rbi_did_you_mean(items[i]->str, words);
		rbi_yerr(y, items[i], "no evidence '%s' in this entry's "
			 "'evidence'%s%s%s", items[i]->str,
			 hint ? "; did you mean '" : "", hint ? hint : "",
			 hint ? "'?" : "");
		ok = false;
	}
	return ok;
}

/* Whether the vendor itself says it: its documentation or its code. */
static bool rbi_cites_vendor(const struct rbi_cites *c,
			     const struct rbi_evidence *ev)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (ev[c->v[i]].kind == RBI_EV_VENDOR_DOCS ||
		    ev[c->v[i]].kind == RBI_EV_VENDOR_SDK)
			return true;
	return false;
}

/*
 * A fact's confidence: confirmed only when the vendor's own evidence says
 * it, so that "unsaid" can never mean confirmed. said is what the file
 * says (RBI_CONF_*); a fact of the policy's own entries, with no evidence,
 * is as the entry says.
 */
static bool rbi_confidence(const struct rbi_yctx *y, const struct rbi_ynode *at,
			   const struct rbi_service *s,
			   const struct rbi_cites *c, unsigned int said,
			   bool *unconfirmed)
{
	if (s->local || (!c->n && !s->n_evidence)) {
		*unconfirmed = said != RBI_CONF_CONFIRMED &&
			       (said == RBI_CONF_UNCONFIRMED || !s->local);
		return true;
	}
	*unconfirmed = said == RBI_CONF_UNCONFIRMED ||
		       !rbi_cites_vendor(c, s->evidence);
	if (said == RBI_CONF_CONFIRMED && *unconfirmed) {
		rbi_yerr(y, at, "'%s': 'confidence: confirmed' needs "
			 "vendor-docs or vendor-sdk evidence; client code and "
			 "third-party text leave a fact unconfirmed", s->id);
		return false;
	}
	return true;
}

static bool rbi_read_confidence(const struct rbi_yctx *y,
				const struct rbi_ynode *map, unsigned int dflt,
				unsigned int *said)
{
	*said = dflt;
	return rbi_yget_enum(y, map, "confidence", rbi_confidence_words,
			     said);
}

/* Lower case and no trailing dot: one spelling per pattern. */
static char *rbi_pattern_norm(const char *s)
{
	char *t = strdup(s);
	size_t k, len;

	if (!t)
		return NULL;
	for (k = 0; t[k]; k++)
		t[k] = rbi_tolower(t[k]);
	len = strlen(t);
	if (len > 1 && t[len - 1] == '.')
		t[len - 1] = '\0';
	return t;
}

static bool rbi_pattern_valid(const struct rbi_yctx *y,
			      const struct rbi_ynode *n, const char *s)
{
	const char *why = NULL;

	if (!rbi_name_pattern_check(s, strlen(s), &why))
		return true;
	rbi_yerr(y, n, "bad name pattern '%s': %s", s, why);
	return false;
}

/* One item of 'names': a pattern, or a mapping with its evidence. */
static bool rbi_read_name(const struct rbi_yctx *y, const struct rbi_ynode *n,
			  struct rbi_service *s, struct rbi_pattern *pt,
			  unsigned int entry_said)
{
	const struct rbi_ynode *text = n;
	unsigned int said = entry_said;
	bool ok = true;

	rbi_loc_set(&pt->loc, y->file, n);
	pt->shared = s->shared;
	if (n->kind == RBI_Y_MAP) {
		if (!rbi_ymap_check(y, n, "a name", rbi_name_keys))
			return false;
		text = rbi_ymap_get(n, "pattern");
		if (!text || text->kind != RBI_Y_SCALAR) {
			rbi_yerr(y, n, "a name needs 'pattern', such as "
				 "\"api.example.com\"");
			return false;
		}
		ok &= rbi_yget_bool(y, n, "shared", &pt->shared, false);
		ok &= rbi_read_confidence(y, n, entry_said, &said);
		ok &= rbi_read_cites(y, n, "evidence", s->evidence,
				     s->n_evidence, &pt->ev);
	} else if (n->kind != RBI_Y_SCALAR) {
		rbi_yerr(y, n, "items of 'names' must be patterns or "
			 "mappings with 'pattern', not %s",
			 rbi_ynode_kind_name(n->kind));
		return false;
	}
	pt->text = rbi_pattern_norm(text->str);
	if (!pt->text)
		return false;
	ok &= rbi_pattern_valid(y, text, text->str);
	return ok && rbi_confidence(y, n, s, &pt->ev, said, &pt->unconfirmed);
}

static bool rbi_read_names(const struct rbi_yctx *y,
			   const struct rbi_ynode *map, struct rbi_service *s,
			   struct rbi_pattern **arr, size_t *n,
			   unsigned int said)
{
	struct rbi_ynode *seq;
	size_t i;
	bool ok = true;

	if (!rbi_read_seq(y, map, "names", &seq))
		return false;
	if (!seq || !seq->n_kids)
		return true;
	*arr = calloc(seq->n_kids, sizeof(**arr));
	if (!*arr)
		return false;
	for (i = 0; i < seq->n_kids; i++) {
		ok &= rbi_read_name(y, seq->kids[i], s, &(*arr)[i], said);
		*n = i + 1;
	}
	return ok;
}

/* One item of 'categories': a word, or with its operation and evidence. */
static bool rbi_read_cat(const struct rbi_yctx *y, const struct rbi_ynode *n,
			 struct rbi_service *s, struct rbi_service_cat *c)
{
	const struct rbi_ynode *word = n;
	const char *hint;
	unsigned int w;
	bool ok = true;

	rbi_loc_set(&c->loc, y->file, n);
	if (n->kind == RBI_Y_MAP) {
		if (!rbi_ymap_check(y, n, "a category", rbi_cat_keys))
			return false;
		word = rbi_ymap_get(n, "category");
		if (!word || word->kind != RBI_Y_SCALAR) {
			rbi_yerr(y, n, "a category needs 'category', such as "
				 "remote-biometric-identification");
			return false;
		}
		ok &= rbi_yget_str(y, n, "operation", &c->operation, false);
		ok &= rbi_read_cites(y, n, "evidence", s->evidence,
				     s->n_evidence, &c->ev);
	} else if (n->kind != RBI_Y_SCALAR) {
		rbi_yerr(y, n, "items of 'categories' must be categories or "
			 "mappings with 'category', not %s",
			 rbi_ynode_kind_name(n->kind));
		return false;
	}
	for (w = 0; rbi_category_words[w] &&
	     strcmp(rbi_category_words[w], word->str); w++)
		;
	if (!rbi_category_words[w]) {
		hint = rbi_did_you_mean(word->str, rbi_category_words);
		rbi_yerr(y, word, "unknown category '%s'%s%s%s", word->str,
			 hint ? "; did you mean '" : "", hint ? hint : "",
			 hint ? "'?" : "");
		return false;
	}
	if (s->categories & RBI_CAT_BIT(w)) {
		rbi_yerr(y, word, "category '%s' is listed twice", word->str);
		return false;
	}
	c->cat = (enum rbi_category)w;
	s->categories |= RBI_CAT_BIT(w);
	return ok;
}

static bool rbi_read_cats(const struct rbi_yctx *y, const struct rbi_ynode *map,
			  struct rbi_service *s)
{
	struct rbi_ynode *seq = rbi_ymap_get(map, "categories");
	size_t i;
	bool ok = true;

	if (!seq) {
		rbi_yerr(y, map, "missing required key 'categories'");
		return false;
	}
	if (!rbi_read_seq(y, map, "categories", &seq))
		return false;
	if (!seq || !seq->n_kids) {
		rbi_yerr(y, seq ? seq : rbi_ymap_get(map, "categories"),
			 "'categories' is empty; a service must offer at "
			 "least one");
		return false;
	}
	s->cats = calloc(seq->n_kids, sizeof(*s->cats));
	if (!s->cats)
		return false;
	for (i = 0; i < seq->n_kids; i++) {
		ok &= rbi_read_cat(y, seq->kids[i], s, &s->cats[i]);
		s->n_cats = i + 1;
	}
	return ok;
}

static bool rbi_read_lifecycle(const struct rbi_yctx *y,
			       const struct rbi_ynode *map,
			       struct rbi_service *s)
{
	struct rbi_ynode *n = rbi_ymap_get(map, "lifecycle");
	struct rbi_lifecycle *l = &s->life;
	unsigned int status = RBI_LIFE_ACTIVE;
	bool ok;

	rbi_loc_set(&l->loc, y->file, n ? n : map);
	if (!n)
		return true;
	if (!rbi_ymap_check(y, n, "'lifecycle'", rbi_lifecycle_keys))
		return false;
	if (!rbi_ymap_get(n, "status")) {
		rbi_yerr(y, n, "missing required key 'status': active, "
			 "closed-to-new-customers or retired");
		return false;
	}
	ok = rbi_yget_enum(y, n, "status", rbi_lifecycle_words, &status);
	l->status = (enum rbi_lifecycle_status)status;
	ok &= rbi_read_date(y, n, "since", l->since,
			    ok && l->status != RBI_LIFE_ACTIVE);
	ok &= rbi_read_date(y, n, "retires", l->retires, false);
	ok &= rbi_read_cites(y, n, "evidence", s->evidence, s->n_evidence,
			     &l->ev);
	if (ok && l->status == RBI_LIFE_RETIRED && l->retires[0]) {
		rbi_yerr(y, rbi_ymap_get(n, "retires"), "'%s' is retired "
			 "already: 'since' says when, 'retires' is for an "
			 "announced end", s->id);
		return false;
	}
	return ok;
}

static bool rbi_read_listed(const struct rbi_yctx *y,
			    const struct rbi_ynode *map, struct rbi_service *s)
{
	struct rbi_ynode *n = rbi_ymap_get(map, "operator-names");
	struct rbi_operator_names *o;
	bool ok;

	if (!n)
		return true;
	if (!rbi_ymap_check(y, n, "'operator-names'", rbi_listed_keys))
		return false;
	o = s->listed = calloc(1, sizeof(*o));
	if (!o)
		return false;
	rbi_loc_set(&o->loc, y->file, n);
	ok = rbi_yget_str(y, n, "pattern", &o->pattern, true);
	ok &= rbi_yget_str(y, n, "what", &o->what, true);
	ok &= rbi_read_cites(y, n, "evidence", s->evidence, s->n_evidence,
			     &o->ev);
	if (ok && (strncmp(o->pattern, "{}.", 3) ||
		   strstr(o->pattern + 3, "{}"))) {
		rbi_yerr(y, rbi_ymap_get(n, "pattern"), "'operator-names' "
			 "pattern must be '{}.' and a domain, such as "
			 "\"{}.cognitiveservices.azure.com\"");
		return false;
	}
	return ok && rbi_pattern_valid(y, rbi_ymap_get(n, "pattern"),
				       o->pattern + 3);
}

static bool rbi_read_texts(const struct rbi_yctx *y,
			   const struct rbi_ynode *map, const char *key,
			   struct rbi_text **out, size_t *n_out)
{
	struct rbi_ynode **items;
	size_t n, i;

	if (!rbi_yget_list(y, map, key, &items, &n, false))
		return false;
	if (!n)
		return true;
	*out = calloc(n, sizeof(**out));
	if (!*out)
		return false;
	for (i = 0; i < n; i++) {
		rbi_loc_set(&(*out)[i].loc, y->file, items[i]);
		(*out)[i].s = strdup(items[i]->str);
		if (!(*out)[i].s)
			return false;
		*n_out = i + 1;
	}
	return true;
}

static bool rbi_read_tests(const struct rbi_yctx *y,
			   const struct rbi_ynode *map, struct rbi_service *s)
{
	struct rbi_ynode *n = rbi_ymap_get(map, "tests");

	if (!n)
		return true;
	if (!rbi_ymap_check(y, n, "'tests'", rbi_tests_keys))
		return false;
	return rbi_read_texts(y, n, "match", &s->must_match,
			      &s->n_must_match) &
	       rbi_read_texts(y, n, "no-match", &s->must_not_match,
			      &s->n_must_not_match);
}

static bool rbi_read_sources(const struct rbi_yctx *y,
			     const struct rbi_ynode *map, struct rbi_service *s)
{
	struct rbi_ynode **items;
	size_t n, i;

	if (!rbi_yget_list(y, map, "sources", &items, &n, false))
		return false;
	s->sources = calloc(n ? n : 1, sizeof(*s->sources));
	if (!s->sources)
		return false;
	for (i = 0; i < n; i++) {
		s->sources[i] = strdup(items[i]->str);
		if (!s->sources[i])
			return false;
		s->n_sources = i + 1;
	}
	return true;
}

/* Who and where: the operating company and its country. */
static bool rbi_read_jurisdiction(const struct rbi_yctx *y,
				  const struct rbi_ynode *map,
				  struct rbi_service *s)
{
	const char *j;

	if (!rbi_yget_str(y, map, "jurisdiction", &s->jurisdiction, false))
		return false;
	j = s->jurisdiction;
	if (!j || !strcmp(j, "unknown") ||
	    (strlen(j) == 2 && j[0] >= 'A' && j[0] <= 'Z' && j[1] >= 'A' &&
	     j[1] <= 'Z'))
		return true;
	rbi_yerr(y, rbi_ymap_get(map, "jurisdiction"), "'jurisdiction' must "
		 "be a country code such as US or CN (ISO 3166-1 alpha-2), or "
		 "'unknown', not '%s'", j);
	return false;
}

static bool rbi_read_identity(const struct rbi_yctx *y,
			      const struct rbi_ynode *n, struct rbi_service *s)
{
	bool ok = rbi_yget_id(y, n, "id", &s->id, "service id");

	ok &= rbi_yget_str(y, n, "provider", &s->provider, false);
	ok &= rbi_yget_str(y, n, "product", &s->product, false);
	if (!s->product)
		ok &= rbi_yget_str(y, n, "name", &s->product, false);
	else if (rbi_ymap_get(n, "name"))
		rbi_ywarn(y, rbi_ymap_get(n, "name"),
			  "'name' is ignored when 'product' is given");
	ok &= rbi_yget_str(y, n, "company", &s->company, false);
	ok &= rbi_read_jurisdiction(y, n, s);
	ok &= rbi_yget_str(y, n, "notes", &s->notes, false);
	return ok;
}

/* Networks and ports, with the evidence for them. */
static bool rbi_read_addressing(const struct rbi_yctx *y,
				const struct rbi_ynode *n,
				struct rbi_service *s, unsigned int said)
{
	bool ok = rbi_read_nets(y, n, false, &s->nets, &s->n_nets);
	size_t i;

	ok &= rbi_read_ports(y, n, true, &s->ports, &s->n_ports);
	if (s->n_ports && !s->n_nets) {
		rbi_yerr(y, rbi_ymap_get(n, "ports"), "'ports' needs "
			 "'networks': ports narrow the service's networks");
		ok = false;
	}
	for (i = 0; ok && !s->n_ports && i < s->n_nets; i++) {
		if (s->nets[i].prefix.len)
			continue;
		rbi_diag_add(y->diags, RBI_DIAG_ERROR, s->nets[i].loc.file,
			     s->nets[i].loc.line, s->nets[i].loc.col,
			     "network /0 of '%s' without 'ports' would match "
			     "every flow: a /0 is a port signature, so give "
			     "its ports", s->id);
		ok = false;
	}
	ok &= rbi_read_cites(y, n, "networks-evidence", s->evidence,
			     s->n_evidence, &s->nets_ev);
	return ok && (!s->n_nets ||
		      rbi_confidence(y, n, s, &s->nets_ev, said,
				     &s->nets_unconfirmed));
}

/*
 * A catalogue entry, in a catalogue file or in the policy's own
 * catalog.services: a biometric service, or a DoH resolver.
 */
static bool rbi_read_service(const struct rbi_yctx *y,
			     const struct rbi_ynode *n, struct rbi_service *s,
			     enum rbi_service_kind kind, size_t source)
{
	unsigned int said = RBI_CONF_UNSAID;
	struct rbi_ynode *cat;
	bool ok;

	s->kind = kind;
	s->source = source;
	s->local = source == RBI_LOCAL;
	rbi_loc_set(&s->loc, y->file, n);
	rbi_loc_set(&s->life.loc, y->file, n);
	if (!rbi_ymap_check(y, n, kind == RBI_KIND_DOH ? "a resolver entry" :
			    "a service entry", rbi_service_keys))
		return false;
	ok = rbi_read_identity(y, n, s);
	/* Every later message names the entry. */
	if (!s->id)
		return false;
	ok &= rbi_read_evidence_list(y, n, &s->evidence, &s->n_evidence);
	ok &= rbi_yget_bool(y, n, "shared", &s->shared, false);
	ok &= rbi_read_confidence(y, n, RBI_CONF_UNSAID, &said);
	cat = rbi_ymap_get(n, "categories");
	if (kind == RBI_KIND_DOH && cat) {
		rbi_yerr(y, cat, "a DNS-over-HTTPS resolver has no categories");
		ok = false;
	} else if (kind == RBI_KIND_SERVICE) {
		ok &= rbi_read_cats(y, n, s);
	}
	ok &= rbi_read_names(y, n, s, &s->names, &s->n_names, said);
	ok &= rbi_read_addressing(y, n, s, said);
	ok &= rbi_read_lifecycle(y, n, s);
	ok &= rbi_read_listed(y, n, s);
	ok &= rbi_read_tests(y, n, s);
	ok &= rbi_read_sources(y, n, s);
	if (ok && !s->n_names && !s->n_nets && !s->listed) {
		rbi_yerr(y, n, "'%s' needs 'names', 'networks' or "
			 "'operator-names' to be recognisable", s->id);
		ok = false;
	}
	if (ok && !s->local && !s->n_evidence && !s->n_sources) {
		rbi_yerr(y, n, "catalogue entry '%s' needs its public "
			 "evidence in 'evidence'", s->id);
		ok = false;
	}
	return ok;
}

static bool rbi_read_services(const struct rbi_yctx *y,
			      const struct rbi_ynode *map, const char *key,
			      struct rbi_service **arr, size_t *n,
			      enum rbi_service_kind kind, size_t source)
{
	struct rbi_ynode *seq;

	if (!rbi_read_seq(y, map, key, &seq))
		return false;
	if (!seq)
		return true;
	return RBI_READ_LIST(y, seq, arr, n, rbi_read_service, kind, source);
}

static bool rbi_read_exclusion_names(const struct rbi_yctx *y,
				     const struct rbi_ynode *n,
				     struct rbi_exclusion *x)
{
	struct rbi_service tmp;
	bool ok;

	/* Names read as an entry's are: the same keys and evidence. */
	memset(&tmp, 0, sizeof(tmp));
	tmp.id = x->id;
	tmp.evidence = x->evidence;
	tmp.n_evidence = x->n_evidence;
	ok = rbi_read_names(y, n, &tmp, &x->names, &x->n_names,
			    RBI_CONF_UNSAID);
	if (ok && !x->n_names) {
		rbi_yerr(y, n, "exclusion '%s' needs 'names': what the "
			 "catalogue leaves out", x->id);
		return false;
	}
	return ok;
}

static bool rbi_read_exclusion(const struct rbi_yctx *y,
			       const struct rbi_ynode *n,
			       struct rbi_exclusion *x, size_t source)
{
	struct rbi_ynode *t;
	bool ok;

	x->source = source;
	rbi_loc_set(&x->loc, y->file, n);
	if (!rbi_ymap_check(y, n, "an exclusion", rbi_exclusion_keys))
		return false;
	ok = rbi_yget_id(y, n, "id", &x->id, "exclusion id");
	if (!x->id)
		return false;
	ok &= rbi_yget_str(y, n, "provider", &x->provider, false);
	ok &= rbi_yget_str(y, n, "product", &x->product, false);
	ok &= rbi_read_words(y, n, "uses", "use", rbi_use_words, &x->uses,
			     true);
	ok &= rbi_yget_str(y, n, "reason", &x->reason, true);
	ok &= rbi_yget_str(y, n, "reason-source", &x->reason_source, true);
	ok &= rbi_yget_str(y, n, "applies", &x->applies, true);
	ok &= rbi_read_evidence_list(y, n, &x->evidence, &x->n_evidence);
	if (!ok)
		return false;
	ok = rbi_read_exclusion_names(y, n, x);
	t = rbi_ymap_get(n, "tests");
	if (t && rbi_ymap_check(y, t, "'tests'", rbi_exclusion_tests_keys))
		ok &= rbi_read_texts(y, t, "not-blocked", &x->not_blocked,
				     &x->n_not_blocked);
	else if (t)
		ok = false;
	return ok;
}

static bool rbi_read_release(struct rbi_policy *p, const struct rbi_yctx *y,
			     const struct rbi_ynode *root, size_t source)
{
	struct rbi_ynode *n = rbi_ymap_get(root, "release");
	struct rbi_catalog *c;
	char date[11];
	bool ok;

	if (!n)
		return true;
	if (source == RBI_LOCAL || source >= p->n_catalogs)
		return false;
	c = &p->catalogs[source];
	if (c->version) {
		rbi_yerr(y, n, "a second 'release' in one catalogue (first at "
			 "%s:%u:%u)", c->release_loc.file, c->release_loc.line,
			 c->release_loc.col);
		return false;
	}
	if (!rbi_ymap_check(y, n, "'release'", rbi_release_keys))
		return false;
	rbi_loc_set(&c->release_loc, y->file, n);
	ok = rbi_yget_str(y, n, "version", &c->version, true);
	ok &= rbi_read_date(y, n, "date", date, true);
	ok &= rbi_yget_str(y, n, "maintainer", &c->maintainer, false);
	if (ok)
		c->date = strdup(date);
	if (ok && (!*c->version || strpbrk(c->version, " \t\n"))) {
		rbi_yerr(y, rbi_ymap_get(n, "version"), "'version' must be "
			 "one word, such as 2026.12.1");
		ok = false;
	}
	return ok && c->date;
}

bool rbi_catalog_read_file(struct rbi_policy *p, const struct rbi_yctx *y,
			   const struct rbi_ynode *root, size_t source)
{
	struct rbi_ynode *seq;
	bool ok;

	if (!rbi_ymap_check(y, root, "a catalogue file", rbi_catalog_file_keys))
		return false;
	ok = rbi_read_services(y, root, "services", &p->services,
			       &p->n_services, RBI_KIND_SERVICE, source);
	ok &= rbi_read_services(y, root, "doh-resolvers", &p->doh, &p->n_doh,
				RBI_KIND_DOH, source);
	ok &= rbi_read_seq(y, root, "exclusions", &seq);
	if (seq)
		ok &= RBI_READ_LIST(y, seq, &p->exclusions, &p->n_exclusions,
				    rbi_read_exclusion, source);
	ok &= rbi_read_release(p, y, root, source);
	return ok;
}

bool rbi_catalog_read_local(struct rbi_policy *p, const struct rbi_yctx *y,
			    const struct rbi_ynode *cat)
{
	return rbi_read_services(y, cat, "services", &p->services,
				 &p->n_services, RBI_KIND_SERVICE, RBI_LOCAL);
}

/* Adds label.<domain> of the operator-names pattern to s's names. */
static bool rbi_listed_add(const struct rbi_yctx *y, const struct rbi_ynode *n,
			   struct rbi_service *s)
{
	struct rbi_pattern *pt;
	char *text;
	size_t cap = s->n_names;
	bool ok;

	if (!rbi_check_id(y, n, n->str, "an operator name") ||
	    strchr(n->str, '.')) {
		if (strchr(n->str, '.'))
			rbi_yerr(y, n, "'%s' is one label of a name, without "
				 "dots: it takes the place of '{}' in '%s'",
				 n->str, s->listed->pattern);
		return false;
	}
	if (asprintf(&text, "%s%s", n->str, s->listed->pattern + 2) < 0)
		return false;
	ok = rbi_pattern_valid(y, n, text);
	if (!ok || rbi_grow_to(&s->names, &cap, s->n_names + 1,
			       sizeof(*s->names))) {
		free(text);
		return false;
	}
	pt = &s->names[s->n_names++];
	memset(pt, 0, sizeof(*pt));
	pt->text = rbi_pattern_norm(text);
	free(text);
	rbi_loc_set(&pt->loc, y->file, n);
	/* The operator names it to block it, whatever else it serves. */
	pt->listed = true;
	return pt->text != NULL;
}

static struct rbi_service *rbi_service_find(struct rbi_policy *p,
					    const char *id)
{
	size_t i;

	for (i = 0; i < p->n_services; i++)
		if (!strcmp(p->services[i].id, id))
			return &p->services[i];
	return NULL;
}

bool rbi_catalog_read_listed(struct rbi_policy *p, const struct rbi_yctx *y,
			     const struct rbi_ynode *cat)
{
	struct rbi_ynode *map = rbi_ymap_get(cat, "operator-names"), **items;
	struct rbi_service *s;
	const struct rbi_ynode *key;
	size_t i, k, n;
	bool ok = true;

	if (!map || rbi_ynode_is_null(map))
		return true;
	if (map->kind != RBI_Y_MAP) {
		rbi_yerr(y, map, "'operator-names' must be a mapping of "
			 "service ids to lists of names, such as "
			 "{azure-face: [city-face]}");
		return false;
	}
	for (i = 0; i < rbi_ymap_len(map); i++) {
		key = rbi_ymap_key(map, i);
		s = key->kind == RBI_Y_SCALAR ? rbi_service_find(p, key->str) :
		    NULL;
		if (!s || !s->listed) {
			rbi_yerr(y, key, "'%s' is no catalogue service that "
				 "takes operator names", key->kind ==
				 RBI_Y_SCALAR ? key->str : "?");
			ok = false;
			continue;
		}
		if (!rbi_yget_list(y, map, key->str, &items, &n, false)) {
			ok = false;
			continue;
		}
		for (k = 0; k < n; k++)
			ok &= rbi_listed_add(y, items[k], s);
	}
	return ok;
}

/* Every name agrees on shared; networks take the entry's word. */
static bool rbi_settle_shared(struct rbi_service *s, struct rbi_diags *d)
{
	const struct rbi_pattern *first = NULL;
	size_t i;

	for (i = 0; i < s->n_names; i++) {
		if (s->names[i].listed)
			continue;
		if (!first) {
			first = &s->names[i];
			continue;
		}
		if (s->names[i].shared == first->shared)
			continue;
		rbi_diag_add(d, RBI_DIAG_ERROR, s->names[i].loc.file,
			     s->names[i].loc.line, s->names[i].loc.col,
			     "'%s': name '%s' is %s but '%s' is %s; a DNS "
			     "answer teaches addresses per entry, so "
			     "shared-hosts can only apply per entry: put them "
			     "in two entries", s->id, s->names[i].text,
			     s->names[i].shared ? "shared" : "dedicated",
			     first->text, first->shared ? "shared" :
			     "dedicated");
		return false;
	}
	if (first && s->n_nets && first->shared != s->shared) {
		rbi_diag_add(d, RBI_DIAG_ERROR, s->loc.file, s->loc.line,
			     s->loc.col, "'%s': its names are %s but its "
			     "networks are %s (the entry's 'shared'); put them "
			     "in two entries", s->id, first->shared ?
			     "shared" : "dedicated", s->shared ? "shared" :
			     "dedicated");
		return false;
	}
	if (first)
		s->shared = first->shared;
	/* Only the operator's own names: they are there to be blocked. */
	else if (s->n_names && !s->n_nets)
		s->shared = false;
	return true;
}

static void rbi_settle_confidence(struct rbi_service *s)
{
	size_t i;

	s->unconfirmed = s->n_nets && s->nets_unconfirmed;
	for (i = 0; i < s->n_names; i++)
		s->unconfirmed |= s->names[i].unconfirmed;
}

bool rbi_catalog_settle(struct rbi_policy *p, struct rbi_diags *d)
{
	size_t i, k = 0, cap = 0;
	bool ok = true;

	for (i = 0; i < p->n_services; i++) {
		ok &= rbi_settle_shared(&p->services[i], d);
		rbi_settle_confidence(&p->services[i]);
	}
	for (i = 0; i < p->n_doh; i++) {
		ok &= rbi_settle_shared(&p->doh[i], d);
		rbi_settle_confidence(&p->doh[i]);
	}
	/* Retired services stay on record, out of what is enforced. */
	for (i = 0; i < p->n_services; i++) {
		if (p->services[i].life.status != RBI_LIFE_RETIRED) {
			p->services[k++] = p->services[i];
			continue;
		}
		if (rbi_grow_to(&p->retired, &cap, p->n_retired + 1,
				sizeof(*p->retired))) {
			rbi_service_free(&p->services[i]);
			ok = false;
			continue;
		}
		p->retired[p->n_retired++] = p->services[i];
	}
	p->n_services = k;
	return ok;
}

static void rbi_cites_free(struct rbi_cites *c)
{
	free(c->v);
}

static void rbi_evidence_free(struct rbi_evidence *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].url);
		free(v[i].repo);
		free(v[i].path);
		free(v[i].shows);
	}
	free(v);
}

static void rbi_patterns_free(struct rbi_pattern *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].text);
		rbi_cites_free(&v[i].ev);
	}
	free(v);
}

static void rbi_texts_free(struct rbi_text *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].s);
	free(v);
}

void rbi_service_free(struct rbi_service *s)
{
	size_t i;

	free(s->id);
	free(s->provider);
	free(s->product);
	free(s->company);
	free(s->jurisdiction);
	for (i = 0; i < s->n_cats; i++) {
		free(s->cats[i].operation);
		rbi_cites_free(&s->cats[i].ev);
	}
	free(s->cats);
	rbi_patterns_free(s->names, s->n_names);
	free(s->nets);
	free(s->ports);
	rbi_cites_free(&s->nets_ev);
	rbi_evidence_free(s->evidence, s->n_evidence);
	rbi_cites_free(&s->life.ev);
	if (s->listed) {
		free(s->listed->pattern);
		free(s->listed->what);
		rbi_cites_free(&s->listed->ev);
		free(s->listed);
	}
	rbi_texts_free(s->must_match, s->n_must_match);
	rbi_texts_free(s->must_not_match, s->n_must_not_match);
	for (i = 0; i < s->n_sources; i++)
		free(s->sources[i]);
	free(s->sources);
	free(s->notes);
}

void rbi_exclusion_free(struct rbi_exclusion *x)
{
	free(x->id);
	free(x->provider);
	free(x->product);
	rbi_patterns_free(x->names, x->n_names);
	free(x->reason);
	free(x->reason_source);
	free(x->applies);
	rbi_evidence_free(x->evidence, x->n_evidence);
	rbi_texts_free(x->not_blocked, x->n_not_blocked);
}
