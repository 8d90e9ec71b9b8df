// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdint.h>
#include <string.h>

#include "policy/describe.h"
#include "policy/facts.h"

enum {
	RBI_FACTS_STR_CAP = 256,	/* escaped bytes of a name */
	RBI_FACTS_TAIL = 512,		/* room kept to close the facts */
};

static const char *const rbi_enforce_names[__RBI_ENF_MAX] = {
	[RBI_ENF_SHARED_HOSTS] = "shared-hosts",
	[RBI_ENF_ECH] = "encrypted-client-hello",
	[RBI_ENF_QUIC] = "quic",
	[RBI_ENF_DOH] = "dns-over-https",
	[RBI_ENF_ANALYTICS] = "camera-analytics",
};

const char *rbi_enforce_name(unsigned int i)
{
	return i < __RBI_ENF_MAX ? rbi_enforce_names[i] : "unknown";
}

const char *rbi_policy_timing_name(unsigned int i)
{
	return i ? "post" : "real-time";
}

const char *rbi_policy_actor_name(unsigned int i)
{
	return i ? "private" : "public";
}

void rbi_policy_json_nets(struct rbi_json *j, const struct rbi_network *nets,
			  size_t n)
{
	char buf[64];
	size_t i;

	rbi_json_key(j, "networks");
	rbi_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		rbi_prefix_format(&nets[i].prefix, buf, sizeof(buf));
		rbi_json_str(j, buf);
	}
	rbi_json_arr_end(j);
}

void rbi_policy_json_prohibit(struct rbi_json *j, const struct rbi_policy *p)
{
	rbi_json_key(j, "prohibit");
	rbi_json_obj_begin(j);
	rbi_json_bits(j, "categories", p->prohibited, rbi_cat_word,
		      __RBI_CAT_MAX);
	rbi_json_bits(j, "timing", p->timing, rbi_policy_timing_name, 2);
	rbi_json_bits(j, "actors", p->actors, rbi_policy_actor_name, 2);
	rbi_json_kuint(j, "exceptions", p->n_exceptions);
	rbi_json_obj_end(j);
}

void rbi_policy_json_enforce(struct rbi_json *j, const struct rbi_policy *p)
{
	size_t i;

	rbi_json_key(j, "enforce");
	rbi_json_obj_begin(j);
	for (i = 0; i < __RBI_ENF_MAX; i++)
		rbi_json_kstr(j, rbi_enforce_names[i],
			      rbi_mode_name(p->mode[i]));
	rbi_json_kstr(j, "on-failure", p->fail_closed ? "closed" : "open");
	rbi_json_obj_end(j);
}

/*
 * What the output held before a part that may not fit: if the part goes
 * past limit, it is taken back.
 */
struct rbi_facts_mark {
	struct rbi_json j;
	size_t len;
};

static void rbi_facts_keep(struct rbi_facts_mark *m, const struct rbi_json *j)
{
	m->j = *j;
	m->len = j->out->len;
}

/* True when the part since the mark did not fit and was taken back. */
static bool rbi_facts_undo(const struct rbi_facts_mark *m, struct rbi_json *j,
			   size_t limit)
{
	struct rbi_buf *out = j->out;

	if (out->len <= limit || rbi_buf_failed(out))
		return false;
	*j = m->j;
	out->len = m->len;
	out->data[out->len] = '\0';
	return true;
}

static void rbi_facts_zones(struct rbi_json *j, const struct rbi_policy *p,
			    size_t limit)
{
	struct rbi_facts_mark m;
	const struct rbi_zone *z;
	size_t i;

	rbi_json_key(j, "zones");
	rbi_json_arr_begin(j);
	for (i = 0; i < p->n_zones; i++) {
		z = &p->zones[i];
		rbi_facts_keep(&m, j);
		rbi_json_obj_begin(j);
		rbi_json_key(j, "name");
		rbi_json_str_cap(j, z->name, RBI_FACTS_STR_CAP, "...");
		rbi_json_kbool(j, "publicly_accessible", z->public);
		rbi_policy_json_nets(j, z->nets, z->n_nets);
		rbi_json_obj_end(j);
		if (rbi_facts_undo(&m, j, limit))
			break;
	}
	rbi_json_arr_end(j);
	if (limit != SIZE_MAX)
		rbi_json_kuint(j, "zones_omitted", p->n_zones - i);
}

void rbi_policy_json_zones(struct rbi_json *j, const struct rbi_policy *p)
{
	rbi_facts_zones(j, p, SIZE_MAX);
}

void rbi_policy_catalog_text(const struct rbi_policy *p, const char *indent,
			     bool files, struct rbi_buf *out)
{
	const struct rbi_catalog *c;
	const struct rbi_file *f;
	size_t i, k;

	if (p->replaces_builtin)
		rbi_buf_printf(out, "%scatalogue: built-in catalogue not used "
			       "(replace-builtin)\n", indent);
	for (i = 0; i < p->n_catalogs; i++) {
		c = &p->catalogs[i];
		rbi_buf_printf(out, "%scatalogue: ", indent);
		rbi_catalog_describe(c, out);
		rbi_buf_addc(out, '\n');
		for (k = 0; files && k < c->n_files; k++) {
			f = &p->files[c->first_file + k];
			rbi_buf_printf(out, "%s  %s sha256 %s\n", indent,
				       f->path, f->sha256_hex);
		}
	}
}

/* The newest date any service's evidence was retrieved, or NULL. */
static const char *rbi_facts_newest(const struct rbi_policy *p)
{
	const char *best = NULL, *d;
	size_t i;

	for (i = 0; i < p->n_services; i++) {
		d = rbi_service_newest(&p->services[i]);
		if (d[0] && (!best || strcmp(d, best) > 0))
			best = d;
	}
	return best;
}

static void rbi_facts_catalog(struct rbi_json *j, const struct rbi_policy *p,
			      size_t limit)
{
	struct rbi_facts_mark m;
	uint64_t local = 0;
	size_t i;

	for (i = 0; i < p->n_services; i++)
		local += p->services[i].local;
	rbi_json_key(j, "catalog");
	rbi_json_obj_begin(j);
	rbi_json_kstr(j, "sha256", p->catalog_sha256_hex);
	rbi_json_kuint(j, "services", p->n_services - local);
	rbi_json_kuint(j, "local_services", local);
	rbi_json_kuint(j, "doh_resolvers", p->n_doh);
	rbi_json_kstr(j, "newest", rbi_facts_newest(p));
	rbi_json_kbool(j, "replaces_builtin", p->replaces_builtin);
	rbi_facts_keep(&m, j);
	rbi_json_key(j, "catalogs");
	rbi_catalogs_json(p, j);
	if (rbi_facts_undo(&m, j, limit))
		rbi_json_kuint(j, "catalogs_omitted", p->n_catalogs);
	rbi_json_obj_end(j);
}

int rbi_policy_facts(const struct rbi_policy *p, struct rbi_buf *out,
		     size_t cap)
{
	struct rbi_json j;
	size_t start = out->len;

	rbi_json_init(&j, out);
	rbi_json_obj_begin(&j);
	/* Half the room for the catalogues' files, the rest for the zones. */
	rbi_facts_catalog(&j, p, start + cap / 2);
	rbi_json_key(&j, "enforced");
	rbi_json_obj_begin(&j);
	rbi_json_key(&j, "basis");
	rbi_json_str_cap(&j, p->basis, 4 * RBI_FACTS_STR_CAP, "...");
	rbi_policy_json_prohibit(&j, p);
	rbi_policy_json_enforce(&j, p);
	rbi_facts_zones(&j, p, start + cap - RBI_FACTS_TAIL);
	rbi_json_obj_end(&j);
	rbi_json_obj_end(&j);
	if (rbi_buf_failed(out))
		return -1;
	/* The members, without the braces around them. */
	memmove(out->data + start, out->data + start + 1,
		out->len - start - 2);
	out->len -= 2;
	out->data[out->len] = '\0';
	return 0;
}
