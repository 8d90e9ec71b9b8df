// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/udata.h>

#include "nft/defs.h"
#include "nft/internal.h"

/* Reads the installed table; -ENOENT when there is none. */
static int rbi_nft_fetch(struct rbi_nft_nl *nl, struct rbi_nft_objs *o,
			 bool elems, char digest[65], char *err, size_t len)
{
	int rc = rbi_nft_nl_dump(nl, o, elems, err, len);

	if (!rc && rbi_nft_digest(o, elems, digest)) {
		snprintf(err, len, "out of memory");
		rbi_nft_objs_free(o);
		return -ENOMEM;
	}
	return rc;
}

static size_t rbi_nft_count_elems(const struct rbi_nft_plan *plan)
{
	size_t s, f, n = 0;

	for (s = 0; s < __RBI_NFT_SET_MAX; s++)
		for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
			n += plan->sets[s][f].n;
	return n;
}

static void rbi_nft_table_comment(const struct rbi_nft_objs *o, char *out,
				  size_t len)
{
	uint32_t n = 0;
	const void *ud = nftnl_table_get_data(o->table, NFTNL_TABLE_USERDATA,
					      &n);

	rbi_nft_udata_comment(ud, n, NFTNL_UDATA_TABLE_COMMENT, out, len);
}

static int rbi_nft_find_set(const char *name, enum rbi_nft_family *fam)
{
	const struct rbi_nft_set_info *info;
	size_t n, s;

	for (s = 0; s < __RBI_NFT_SET_MAX; s++) {
		info = rbi_nft_set_info(s);
		n = strlen(info->name);
		if (strncmp(name, info->name, n))
			continue;
		if (!strcmp(name + n, RBI_NFT_V4)) {
			*fam = RBI_NFT_V4_IDX;
			return (int)s;
		}
		if (!strcmp(name + n, RBI_NFT_V6)) {
			*fam = RBI_NFT_V6_IDX;
			return (int)s;
		}
	}
	return -1;
}

static struct nftnl_set *rbi_nft_objs_set(const struct rbi_nft_objs *o,
					  const char *name)
{
	size_t i;

	for (i = 0; i < o->n_sets; i++)
		if (!strcmp(nftnl_set_get_str(o->sets[i], NFTNL_SET_NAME),
			    name))
			return o->sets[i];
	return NULL;
}

/*
 * The learned maps of the installed table, carried into want: a new
 * policy replaces the table, and the addresses DNS answers taught it
 * would otherwise be forgotten until the names were resolved again. In
 * the same transaction, so that no packet meets the new ruleset without
 * them. Reading them back is best effort: without them the policy is
 * still applied.
 */
static size_t rbi_nft_carry_learned(struct rbi_nft_nl *nl,
				    const struct rbi_nft_objs *have,
				    const struct rbi_nft_objs *want,
				    const struct rbi_policy *p)
{
	char err[RBI_NFT_ERR_LEN];
	enum rbi_nft_family fam;
	struct nftnl_set *to;
	const char *name;
	size_t i, n = 0;

	for (i = 0; i < have->n_sets; i++) {
		name = nftnl_set_get_str(have->sets[i], NFTNL_SET_NAME);
		if (rbi_nft_find_set(name, &fam) != RBI_NFT_MAP_LEARNED)
			continue;
		to = rbi_nft_objs_set(want, name);
		if (to && !rbi_nft_nl_get_elems(nl, have->sets[i], err,
						sizeof(err)))
			n += rbi_nft_carry(p, have->sets[i], to);
	}
	return n;
}

/*
 * Whether the installed table (have, NULL when none) is already the one
 * in want: its user data names the same policy, digests and backend, and
 * its light form (all but the set elements) reads back the same. Reading
 * the elements back would cost seconds for a 100,000-network policy.
 */
static void rbi_nft_same(const struct rbi_nft_objs *have,
			 const char *have_light, const struct rbi_nft_objs *want,
			 const char *want_light, bool *same)
{
	uint32_t nh = 0, nw = 0;
	const void *uh, *uw;

	*same = false;
	if (!have)
		return;
	uh = nftnl_table_get_data(have->table, NFTNL_TABLE_USERDATA, &nh);
	uw = nftnl_table_get_data(want->table, NFTNL_TABLE_USERDATA, &nw);
	*same = !strcmp(want_light, have_light) && uh && uw && nh == nw &&
		!memcmp(uh, uw, nh);
}

int rbi_nft_want(const struct rbi_nft_plan *plan,
		 const struct rbi_nft_apply_opts *o, uint32_t avoid,
		 struct rbi_nft_objs *want, char light[65],
		 struct rbi_nft_apply_result *res, char *err, size_t len)
{
	if (rbi_nft_build(plan, avoid, want) ||
	    rbi_nft_digest(want, true, res->sha256) ||
	    rbi_nft_digest(want, false, light)) {
		rbi_nft_objs_free(want);
		snprintf(err, len, "out of memory building the ruleset");
		return -1;
	}
	rbi_nft_set_table_udata(want, plan->p->sha256_hex, res->sha256, light,
				o->backend);
	if (want->failed) {
		rbi_nft_objs_free(want);
		snprintf(err, len, "out of memory building the ruleset");
		return -1;
	}
	return 0;
}

/*
 * A different ruleset never takes the generation of the one it replaces,
 * so that no flow checked against the old one skips the new one's checks:
 * want is built again when it would.
 */
static int rbi_nft_avoid(const struct rbi_nft_plan *plan,
			 const struct rbi_nft_apply_opts *o,
			 uint32_t installed, struct rbi_nft_objs *want,
			 char light[65], struct rbi_nft_apply_result *res,
			 char *err, size_t len)
{
	if (!installed || rbi_nft_checked_gen(want) != installed)
		return 0;
	rbi_nft_objs_free(want);
	return rbi_nft_want(plan, o, installed, want, light, res, err, len);
}

/* Installs the ruleset unless it is installed already. */
static int rbi_nft_install(struct rbi_nft_nl *nl,
			   const struct rbi_nft_plan *plan,
			   const struct rbi_nft_apply_opts *o,
			   struct rbi_nft_apply_result *res, char *err,
			   size_t len)
{
	struct rbi_nft_objs have, want;
	char have_light[65], light[65];
	bool present;
	int rc;

	rc = rbi_nft_fetch(nl, &have, false, have_light, err, len);
	if (rc && rc != -ENOENT)
		return -1;
	present = !rc;
	rc = rbi_nft_want(plan, o, 0, &want, light, res, err, len);
	if (!rc && !o->force)
		rbi_nft_same(present ? &have : NULL, have_light, &want, light,
			     &res->unchanged);
	if (!rc && !res->unchanged && present)
		rc = rbi_nft_avoid(plan, o, rbi_nft_checked_gen(&have), &want,
				   light, res, err, len);
	if (!rc && !res->unchanged) {
		if (present)
			res->carried = rbi_nft_carry_learned(nl, &have, &want,
							     plan->p);
		rc = rbi_nft_nl_commit(nl, &want, true, err, len);
	}
	rbi_nft_objs_free(&want);
	if (present)
		rbi_nft_objs_free(&have);
	return rc;
}

/*
 * The interfaces rbiblock's flowtable is to hook, into plan, when the
 * kernel takes a flowtable on them; otherwise none, and res says why.
 */
static void rbi_nft_offload_devs(struct rbi_nft_nl *nl,
				 struct rbi_nft_devs *d,
				 struct rbi_nft_plan *plan,
				 struct rbi_nft_apply_result *res)
{
	struct rbi_nft_objs ft;
	char why[RBI_NFT_ERR_LEN / 2];

	plan->offload_devs = NULL;
	if (!d) {
		snprintf(res->offload, sizeof(res->offload), "out of memory");
		return;
	}
	if (rbi_nft_devices(d, res->offload, sizeof(res->offload)))
		return;
	if (!d->n) {
		snprintf(res->offload, sizeof(res->offload), "no interface is "
			 "up but loopback");
		return;
	}
	memset(&ft, 0, sizeof(ft));
	ft.flowtable = rbi_nft_flowtable_new(d->v);
	if (!ft.flowtable) {
		snprintf(res->offload, sizeof(res->offload), "out of memory");
		return;
	}
	if (rbi_nft_nl_try(nl, &ft, why, sizeof(why))) {
		snprintf(res->offload, sizeof(res->offload), "%s (a kernel "
			 "without nf_flow_table_inet refuses it)", why);
	} else {
		plan->offload_devs = d->v;
		res->offload_devs = d->n;
	}
	rbi_nft_objs_free(&ft);
}

int rbi_nft_apply(const struct rbi_nft_plan *plan,
		  const struct rbi_nft_apply_opts *o,
		  struct rbi_nft_apply_result *res, char *err, size_t len)
{
	struct rbi_nft_devs *devs = calloc(1, sizeof(*devs));
	struct rbi_nft_plan with = *plan;
	struct rbi_nft_nl *nl;
	int rc;

	memset(res, 0, sizeof(*res));
	res->elements = rbi_nft_count_elems(plan);
	nl = rbi_nft_nl_open(err, len);
	with.offload_devs = NULL;
	if (!o->offload)
		snprintf(res->offload, sizeof(res->offload), "turned off "
			 "(--no-offload)");
	else if (nl)
		rbi_nft_offload_devs(nl, devs, &with, res);
	rc = nl ? rbi_nft_install(nl, &with, o, res, err, len) : -1;
	if (!rc && o->keep)
		rbi_nft_keep_save(nl, plan, o, res, o->keep, res->keep_err,
				  sizeof(res->keep_err));
	rbi_nft_nl_close(nl);
	free(devs);
	if (rc) {
		res->sha256[0] = '\0';
		res->carried = 0;
	}
	return rc ? -1 : 0;
}

int rbi_nft_flush(bool *existed, char *err, size_t len)
{
	struct rbi_nft_nl *nl = rbi_nft_nl_open(err, len);
	int rc;

	*existed = false;
	if (!nl)
		return -1;
	rc = rbi_nft_nl_delete_table(nl, existed, err, len);
	rbi_nft_nl_close(nl);
	return rc;
}

/* ---- reading back ---- */

/* Elements as an operator counts them: an interval's end is not one. */
static size_t rbi_nft_set_size(struct nftnl_set *s)
{
	struct nftnl_set_elems_iter *it = nftnl_set_elems_iter_create(s);
	struct nftnl_set_elem *e;
	size_t n = 0;

	while (it && (e = nftnl_set_elems_iter_next(it)))
		if (!nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_FLAGS) ||
		    !(nftnl_set_elem_get_u32(e, NFTNL_SET_ELEM_FLAGS) &
		      NFT_SET_ELEM_INTERVAL_END))
			n++;
	if (it)
		nftnl_set_elems_iter_destroy(it);
	return n;
}

struct rbi_nft_ctr_find {
	uint64_t packets, bytes;
	bool found;
};

static int rbi_nft_ctr_cb(struct nftnl_expr *e, void *data)
{
	struct rbi_nft_ctr_find *f = data;

	if (strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "counter"))
		return 0;
	f->packets = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
	f->bytes = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES);
	f->found = true;
	return 0;
}

static void rbi_nft_read_rules(const struct rbi_nft_objs *o,
			       struct rbi_nft_state *st)
{
	static const char fc[] = "fail-closed: ";
	struct rbi_nft_ctr_find f;
	struct rbi_nft_counter *c;
	const void *ud;
	uint32_t len;
	size_t i;

	st->counters = calloc(o->n_rules + 1, sizeof(*st->counters));
	for (i = 0; st->counters && i < o->n_rules; i++) {
		memset(&f, 0, sizeof(f));
		nftnl_expr_foreach(o->rules[i], rbi_nft_ctr_cb, &f);
		if (!f.found)
			continue;
		c = &st->counters[st->n_counters++];
		snprintf(c->chain, sizeof(c->chain), "%s",
			 nftnl_rule_get_str(o->rules[i], NFTNL_RULE_CHAIN));
		len = 0;
		ud = nftnl_rule_get_data(o->rules[i], NFTNL_RULE_USERDATA,
					 &len);
		rbi_nft_udata_comment(ud, len, NFTNL_UDATA_RULE_COMMENT,
				      c->comment, sizeof(c->comment));
		c->packets = f.packets;
		c->bytes = f.bytes;
		if (!strcmp(c->chain, RBI_NFT_CH_EGRESS) &&
		    !strncmp(c->comment, fc, sizeof(fc) - 1))
			snprintf(st->fail_closed, sizeof(st->fail_closed),
				 "%s", c->comment + sizeof(fc) - 1);
	}
}

/* Elements of the learned maps alone: bounded by learning's caps. */
static void rbi_nft_read_learned(struct rbi_nft_nl *nl,
				 const struct rbi_nft_objs *o,
				 struct rbi_nft_state *st)
{
	char err[RBI_NFT_ERR_LEN];
	enum rbi_nft_family fam;
	size_t i;

	for (i = 0; i < o->n_sets; i++)
		if (rbi_nft_find_set(nftnl_set_get_str(o->sets[i],
						       NFTNL_SET_NAME),
				     &fam) == RBI_NFT_MAP_LEARNED &&
		    !rbi_nft_nl_get_elems(nl, o->sets[i], err, sizeof(err)))
			st->elements[RBI_NFT_MAP_LEARNED][fam] =
				rbi_nft_set_size(o->sets[i]);
}

/*
 * Whether the objects read back are what the table's user data says was
 * applied: the whole digest with elements, the light one without.
 */
static void rbi_nft_verify(const struct rbi_nft_objs *o, bool full,
			   const char *got, struct rbi_nft_state *st)
{
	char applied[RBI_NFT_COMMENT_MAX], light[65];
	uint32_t n = 0;
	const void *ud = nftnl_table_get_data(o->table, NFTNL_TABLE_USERDATA,
					      &n);

	rbi_nft_udata_digests(ud, n, st->sha256, light);
	if (full) {
		rbi_nft_comment_value(st->comment, RBI_NFT_RULESET_KEY, applied,
				      sizeof(applied));
		st->verified = applied[0] &&
			       !strncmp(applied, got, strlen(applied));
		snprintf(st->sha256, sizeof(st->sha256), "%s", got);
		return;
	}
	st->verified = light[0] && !strcmp(light, got);
}

int rbi_nft_read(struct rbi_nft_state *st, bool full, char *err, size_t len)
{
	struct rbi_nft_nl *nl = rbi_nft_nl_open(err, len);
	enum rbi_nft_family fam;
	struct rbi_nft_objs o;
	char got[65];
	size_t i;
	int rc, s;

	memset(st, 0, sizeof(*st));
	if (!nl)
		return -1;
	rc = rbi_nft_fetch(nl, &o, full, got, err, len);
	if (!rc && !full)
		rbi_nft_read_learned(nl, &o, st);
	rbi_nft_nl_close(nl);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return -1;
	st->present = true;
	st->full = full;
	rbi_nft_table_comment(&o, st->comment, sizeof(st->comment));
	rbi_nft_comment_value(st->comment, RBI_NFT_POLICY_KEY, st->policy,
			      sizeof(st->policy));
	rbi_nft_verify(&o, full, got, st);
	for (i = 0; full && i < o.n_sets; i++) {
		s = rbi_nft_find_set(nftnl_set_get_str(o.sets[i],
						       NFTNL_SET_NAME), &fam);
		if (s >= 0)
			st->elements[s][fam] = rbi_nft_set_size(o.sets[i]);
	}
	rbi_nft_read_rules(&o, st);
	if (o.flowtable)
		rbi_nft_flowtable_devs(o.flowtable, st->offload_devs,
				       sizeof(st->offload_devs));
	rbi_nft_objs_free(&o);
	return 0;
}

void rbi_nft_state_free(struct rbi_nft_state *st)
{
	free(st->counters);
	st->counters = NULL;
	st->n_counters = 0;
}

/* ---- learned addresses ---- */

static struct nftnl_set *rbi_nft_learn_set(enum rbi_nft_family f)
{
	struct nftnl_set *s = nftnl_set_alloc();
	char name[64];

	if (!s)
		return NULL;
	snprintf(name, sizeof(name), "%s%s",
		 rbi_nft_set_info(RBI_NFT_MAP_LEARNED)->name,
		 f == RBI_NFT_V4_IDX ? RBI_NFT_V4 : RBI_NFT_V6);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_INET);
	nftnl_set_set_str(s, NFTNL_SET_TABLE, RBI_NFT_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	return s;
}

static bool rbi_nft_learn_elem(struct nftnl_set *s,
			       const struct rbi_nft_learn *l)
{
	struct nftnl_set_elem *e = nftnl_set_elem_alloc();
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(RBI_NFT_COMMENT_MAX +
							  8);
	char chain[64], cut[RBI_NFT_COMMENT_MAX];
	const char *target;

	if (!e || !u) {
		if (e)
			nftnl_set_elem_free(e);
		if (u)
			nftnl_udata_buf_free(u);
		return false;
	}
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, l->addr,
			   l->family == RBI_IP_V4 ? 4 : 16);
	target = rbi_nft_verdict_chain(l->verdict, chain, sizeof(chain));
	nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_VERDICT,
			       target ? (uint32_t)NFT_GOTO : NF_ACCEPT);
	if (target)
		nftnl_set_elem_set_str(e, NFTNL_SET_ELEM_CHAIN, target);
	nftnl_set_elem_set_u64(e, NFTNL_SET_ELEM_TIMEOUT,
			       (uint64_t)l->timeout * 1000);
	snprintf(cut, sizeof(cut), "%s", l->comment ? l->comment : "");
	nftnl_udata_put_strz(u, NFTNL_UDATA_SET_ELEM_COMMENT, cut);
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_USERDATA, nftnl_udata_buf_data(u),
			   nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
	nftnl_set_elem_add(s, e);
	return true;
}

/* One learned element read back, for the policy p; false to drop it. */
static bool rbi_nft_carry_elem(const struct rbi_policy *p,
			       struct nftnl_set_elem *e,
			       struct rbi_nft_learn *l, char *comment,
			       size_t comment_len)
{
	const void *key, *ud;
	uint32_t klen = 0, ulen = 0;
	uint64_t left;
	uint32_t svc;

	key = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &klen);
	if (!key || (klen != 4 && klen != 16) ||
	    !nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_EXPIRATION))
		return false;
	left = nftnl_set_elem_get_u64(e, NFTNL_SET_ELEM_EXPIRATION);
	ud = nftnl_set_elem_get(e, NFTNL_SET_ELEM_USERDATA, &ulen);
	rbi_nft_udata_comment(ud, ulen, NFTNL_UDATA_SET_ELEM_COMMENT, comment,
			      comment_len);
	svc = rbi_policy_service_by_id(p, comment, strcspn(comment, " "));
	memset(l, 0, sizeof(*l));
	l->verdict = rbi_nft_service_verdict(p, svc);
	if (!left || svc == RBI_NONE ||
	    RBI_NFT_ACTION(l->verdict) < RBI_NFT_LOG)
		return false;
	l->family = klen == 4 ? RBI_IP_V4 : RBI_IP_V6;
	memcpy(l->addr, key, klen);
	/* Whole seconds, rounded up: never shorter than the answer said. */
	l->timeout = (uint32_t)((left + 999) / 1000);
	l->comment = comment;
	return true;
}

size_t rbi_nft_carry(const struct rbi_policy *p, struct nftnl_set *from,
		     struct nftnl_set *to)
{
	struct nftnl_set_elems_iter *it = nftnl_set_elems_iter_create(from);
	char comment[RBI_NFT_COMMENT_MAX];
	struct nftnl_set_elem *e;
	struct rbi_nft_learn l;
	size_t n = 0;

	while (it && (e = nftnl_set_elems_iter_next(it)))
		if (rbi_nft_carry_elem(p, e, &l, comment, sizeof(comment)) &&
		    rbi_nft_learn_elem(to, &l))
			n++;
	if (it)
		nftnl_set_elems_iter_destroy(it);
	return n;
}

int rbi_nft_learn(const struct rbi_nft_learn *l, size_t n, char *err,
		  size_t len)
{
	struct nftnl_set *sets[__RBI_NFT_FAMILY_MAX] = { NULL, NULL };
	size_t have[__RBI_NFT_FAMILY_MAX] = { 0, 0 };
	struct rbi_nft_nl *nl = NULL;
	size_t i, f;
	int rc = 0;

	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
		if (!(sets[f] = rbi_nft_learn_set(f)))
			rc = -1;
	for (i = 0; i < n && !rc; i++) {
		f = l[i].family == RBI_IP_V4 ? RBI_NFT_V4_IDX : RBI_NFT_V6_IDX;
		if (!rbi_nft_learn_elem(sets[f], &l[i]))
			rc = -1;
		have[f]++;
	}
	if (rc)
		snprintf(err, len, "out of memory");
	else
		nl = rbi_nft_nl_open(err, len);
	if (!nl)
		rc = -1;
	for (f = 0; f < __RBI_NFT_FAMILY_MAX && !rc; f++)
		if (have[f])
			rc = rbi_nft_nl_add_elems(nl, sets[f], err, len);
	rbi_nft_nl_close(nl);
	for (f = 0; f < __RBI_NFT_FAMILY_MAX; f++)
		if (sets[f])
			nftnl_set_free(sets[f]);
	return rc;
}
