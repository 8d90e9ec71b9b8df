// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "policy/describe.h"
#include "util/plural.h"

const char *rbi_cat_word(unsigned int i)
{
	return rbi_category_name(i);
}

static const char *rbi_use_word(unsigned int i)
{
	return rbi_exclusion_use_name(i);
}

void rbi_json_bits(struct rbi_json *j, const char *key, uint32_t bits,
		   const char *(*name)(unsigned int), unsigned int max)
{
	unsigned int i;

	rbi_json_key(j, key);
	rbi_json_arr_begin(j);
	for (i = 0; i < max; i++)
		if (bits & (1u << i))
			rbi_json_str(j, name(i));
	rbi_json_arr_end(j);
}

void rbi_ports_text(const struct rbi_port_range *v, size_t n,
		    struct rbi_buf *out)
{
	char buf[24];
	size_t i;

	for (i = 0; i < n; i++) {
		rbi_port_range_format(&v[i], buf, sizeof(buf));
		rbi_buf_printf(out, "%s%s", i ? "," : "", buf);
	}
}

void rbi_catalog_describe(const struct rbi_catalog *c, struct rbi_buf *out)
{
	rbi_buf_adds(out, c->kind == RBI_CATALOG_BUILTIN ? "built-in" :
		     c->path);
	if (c->version)
		rbi_buf_printf(out, " %s (%s)", c->version, c->date);
	else
		rbi_buf_adds(out, " (no release)");
	rbi_buf_printf(out, ", sha256 %s, %zu %s, ", c->sha256_hex,
		       c->n_files, rbi_plural(c->n_files, "file", "files"));
	if (c->kind == RBI_CATALOG_BUILTIN)
		rbi_buf_adds(out, "part of rbictl");
	else if (c->signer)
		rbi_buf_printf(out, "signed by %s", c->signer);
	else if (c->unchecked)
		rbi_buf_adds(out, "signature not checked");
	else
		rbi_buf_adds(out, "unsigned");
}

void rbi_catalogs_json(const struct rbi_policy *p, struct rbi_json *j)
{
	const struct rbi_catalog *c;
	const struct rbi_file *f;
	size_t i, k;

	rbi_json_arr_begin(j);
	for (i = 0; i < p->n_catalogs; i++) {
		c = &p->catalogs[i];
		rbi_json_obj_begin(j);
		rbi_json_kstr(j, "kind", rbi_catalog_kind_name(c->kind));
		rbi_json_kstr(j, "path", c->path);
		rbi_json_kstr(j, "version", c->version);
		rbi_json_kstr(j, "date", c->date);
		rbi_json_kstr(j, "sha256", c->sha256_hex);
		rbi_json_kstr(j, "signer", c->signer);
		rbi_json_kbool(j, "signature_unchecked", c->unchecked != NULL);
		rbi_json_key(j, "files");
		rbi_json_arr_begin(j);
		for (k = 0; k < c->n_files; k++) {
			f = &p->files[c->first_file + k];
			rbi_json_obj_begin(j);
			rbi_json_kstr(j, "path", f->path);
			rbi_json_kstr(j, "sha256", f->sha256_hex);
			rbi_json_obj_end(j);
		}
		rbi_json_arr_end(j);
		rbi_json_obj_end(j);
	}
	rbi_json_arr_end(j);
}

static void rbi_cites_json(const struct rbi_cites *c,
			   const struct rbi_evidence *ev, struct rbi_json *j)
{
	size_t i;

	rbi_json_key(j, "evidence");
	rbi_json_arr_begin(j);
	for (i = 0; i < c->n; i++)
		rbi_json_str(j, ev[c->v[i]].id);
	rbi_json_arr_end(j);
}

/* "https://...", or "owner/name:path" for a repository's file. */
static void rbi_json_evidence_place(struct rbi_json *j,
				    const struct rbi_evidence *e)
{
	struct rbi_buf b = RBI_BUF_INIT;

	if (e->url) {
		rbi_json_str(j, e->url);
		return;
	}
	rbi_buf_printf(&b, "%s:%s", e->repo, e->path);
	rbi_json_str(j, rbi_buf_str(&b));
	rbi_buf_free(&b);
}

static void rbi_evidence_json(const struct rbi_evidence *v, size_t n,
			      struct rbi_json *j)
{
	size_t i;

	rbi_json_key(j, "evidence");
	rbi_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		rbi_json_obj_begin(j);
		rbi_json_kstr(j, "id", v[i].id);
		rbi_json_kstr(j, "kind", rbi_evidence_kind_name(v[i].kind));
		if (v[i].url) {
			rbi_json_kstr(j, "url", v[i].url);
		} else {
			rbi_json_kstr(j, "repo", v[i].repo);
			rbi_json_kstr(j, "path", v[i].path);
		}
		rbi_json_kstr(j, "retrieved", v[i].retrieved);
		rbi_json_kstr(j, "shows", v[i].shows);
		rbi_json_obj_end(j);
	}
	rbi_json_arr_end(j);
}

static void rbi_names_json(const struct rbi_pattern *v, size_t n,
			   const struct rbi_evidence *ev, bool detail,
			   struct rbi_json *j)
{
	size_t i;

	rbi_json_key(j, detail ? "name_facts" : "names");
	rbi_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		if (!detail) {
			rbi_json_str(j, v[i].text);
			continue;
		}
		rbi_json_obj_begin(j);
		rbi_json_kstr(j, "pattern", v[i].text);
		rbi_json_kbool(j, "shared", v[i].shared);
		rbi_json_kstr(j, "confidence", v[i].unconfirmed ?
			      "unconfirmed" : "confirmed");
		rbi_json_kbool(j, "operator_listed", v[i].listed);
		rbi_cites_json(&v[i].ev, ev, j);
		rbi_json_obj_end(j);
	}
	rbi_json_arr_end(j);
}

static void rbi_texts_json(struct rbi_json *j, const char *key,
			   const struct rbi_text *v, size_t n)
{
	size_t i;

	rbi_json_key(j, key);
	rbi_json_arr_begin(j);
	for (i = 0; i < n; i++)
		rbi_json_str(j, v[i].s);
	rbi_json_arr_end(j);
}

static void rbi_nets_json(struct rbi_json *j, const struct rbi_service *s)
{
	struct rbi_buf b = RBI_BUF_INIT;
	char buf[RBI_PREFIX_STRLEN];
	size_t i;

	rbi_json_key(j, "networks");
	rbi_json_arr_begin(j);
	for (i = 0; i < s->n_nets; i++) {
		rbi_prefix_format(&s->nets[i].prefix, buf, sizeof(buf));
		rbi_json_str(j, buf);
	}
	rbi_json_arr_end(j);
	rbi_json_key(j, "ports");
	rbi_json_arr_begin(j);
	for (i = 0; i < s->n_ports; i++) {
		rbi_buf_reset(&b);
		rbi_ports_text(&s->ports[i], 1, &b);
		rbi_json_str(j, rbi_buf_str(&b));
	}
	rbi_json_arr_end(j);
	rbi_buf_free(&b);
}

static void rbi_lifecycle_json(const struct rbi_service *s, bool detail,
			       struct rbi_json *j)
{
	rbi_json_key(j, "lifecycle");
	rbi_json_obj_begin(j);
	rbi_json_kstr(j, "status", rbi_lifecycle_name(s->life.status));
	rbi_json_kstr(j, "since", s->life.since[0] ? s->life.since : NULL);
	rbi_json_kstr(j, "retires", s->life.retires[0] ? s->life.retires :
		      NULL);
	if (detail)
		rbi_cites_json(&s->life.ev, s->evidence, j);
	rbi_json_obj_end(j);
}

static void rbi_service_detail_json(const struct rbi_policy *p,
				    const struct rbi_service *s,
				    struct rbi_json *j)
{
	size_t i;

	rbi_json_kstr(j, "source", s->source == RBI_LOCAL ? p->files[0].path :
		      p->catalogs[s->source].path);
	rbi_json_kstr(j, "file", s->loc.file);
	rbi_json_kuint(j, "line", s->loc.line);
	rbi_json_key(j, "operations");
	rbi_json_arr_begin(j);
	for (i = 0; i < s->n_cats; i++) {
		rbi_json_obj_begin(j);
		rbi_json_kstr(j, "category", rbi_category_name(s->cats[i].cat));
		rbi_json_kstr(j, "operation", s->cats[i].operation);
		rbi_cites_json(&s->cats[i].ev, s->evidence, j);
		rbi_json_obj_end(j);
	}
	rbi_json_arr_end(j);
	rbi_names_json(s->names, s->n_names, s->evidence, true, j);
	rbi_json_key(j, "networks_evidence");
	rbi_json_obj_begin(j);
	rbi_cites_json(&s->nets_ev, s->evidence, j);
	rbi_json_obj_end(j);
	if (s->listed) {
		rbi_json_key(j, "operator_names");
		rbi_json_obj_begin(j);
		rbi_json_kstr(j, "pattern", s->listed->pattern);
		rbi_json_kstr(j, "what", s->listed->what);
		rbi_cites_json(&s->listed->ev, s->evidence, j);
		rbi_json_obj_end(j);
	}
	rbi_evidence_json(s->evidence, s->n_evidence, j);
	rbi_texts_json(j, "must_match", s->must_match, s->n_must_match);
	rbi_texts_json(j, "must_not_match", s->must_not_match,
		       s->n_must_not_match);
	rbi_json_kstr(j, "notes", s->notes);
}

void rbi_service_json(const struct rbi_policy *p, const struct rbi_service *s,
		      bool detail, struct rbi_json *j)
{
	size_t i;

	rbi_json_obj_begin(j);
	rbi_json_kstr(j, "id", s->id);
	rbi_json_kstr(j, "provider", s->provider);
	rbi_json_kstr(j, "product", s->product);
	if (s->kind == RBI_KIND_SERVICE)
		rbi_json_bits(j, "categories", s->categories, rbi_cat_word,
			      __RBI_CAT_MAX);
	rbi_names_json(s->names, s->n_names, s->evidence, false, j);
	rbi_nets_json(j, s);
	rbi_json_kbool(j, "shared", s->shared);
	rbi_json_kstr(j, "confidence", s->unconfirmed ? "unconfirmed" :
		      "confirmed");
	rbi_json_kbool(j, "local", s->local);
	/* Where the facts come from: free text, or the evidence's places. */
	rbi_json_key(j, "sources");
	rbi_json_arr_begin(j);
	for (i = 0; i < s->n_sources; i++)
		rbi_json_str(j, s->sources[i]);
	for (i = 0; !s->n_sources && i < s->n_evidence; i++)
		rbi_json_evidence_place(j, &s->evidence[i]);
	rbi_json_arr_end(j);
	rbi_json_kstr(j, "company", s->company);
	rbi_json_kstr(j, "jurisdiction", s->jurisdiction);
	rbi_lifecycle_json(s, detail, j);
	rbi_json_kstr(j, "newest_evidence", rbi_service_newest(s)[0] ?
		      rbi_service_newest(s) : NULL);
	if (detail)
		rbi_service_detail_json(p, s, j);
	rbi_json_obj_end(j);
}

void rbi_exclusion_json(const struct rbi_exclusion *x, struct rbi_json *j)
{
	rbi_json_obj_begin(j);
	rbi_json_kstr(j, "id", x->id);
	rbi_json_kstr(j, "provider", x->provider);
	rbi_json_kstr(j, "product", x->product);
	rbi_json_bits(j, "uses", x->uses, rbi_use_word, __RBI_USE_MAX);
	rbi_names_json(x->names, x->n_names, x->evidence, false, j);
	rbi_json_kstr(j, "reason", x->reason);
	rbi_json_kstr(j, "reason_source", x->reason_source);
	rbi_json_kstr(j, "applies", x->applies);
	rbi_evidence_json(x->evidence, x->n_evidence, j);
	rbi_texts_json(j, "not_blocked", x->not_blocked, x->n_not_blocked);
	rbi_json_obj_end(j);
}

const char *rbi_service_newest(const struct rbi_service *s)
{
	const char *newest = "";
	size_t i;

	for (i = 0; i < s->n_evidence; i++)
		if (strcmp(s->evidence[i].retrieved, newest) > 0)
			newest = s->evidence[i].retrieved;
	return newest;
}
