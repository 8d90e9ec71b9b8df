// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/udata.h>

#include "rbi_nft_defs.h"
#include "rbi_nft_int.h"

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

/*
 * Whether the installed table is already the one in want: its comment
 * names the same policy, digest and backend, and its light form (all but
 * the set elements) reads back the same. Reading the elements back is
 * what status and heartbeats do; here it would cost seconds for a
 * 100,000-network policy.
 */
static int rbi_nft_same(struct rbi_nft_nl *nl, struct rbi_nft_objs *want,
			bool *same, char *err, size_t len)
{
	char light[65], have_light[65];
	char c_want[RBI_NFT_COMMENT_MAX], c_have[RBI_NFT_COMMENT_MAX];
	struct rbi_nft_objs have;
	int rc;

	*same = false;
	if (rbi_nft_digest(want, false, light)) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	rc = rbi_nft_fetch(nl, &have, false, have_light, err, len);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return -1;
	rbi_nft_table_comment(want, c_want, sizeof(c_want));
	rbi_nft_table_comment(&have, c_have, sizeof(c_have));
	*same = !strcmp(light, have_light) && !strcmp(c_want, c_have);
	rbi_nft_objs_free(&have);
	return 0;
}

int rbi_nft_apply(const struct rbi_nft_plan *plan,
		  const struct rbi_nft_apply_opts *o,
		  struct rbi_nft_apply_result *res, char *err, size_t len)
{
	struct rbi_nft_objs want;
	struct rbi_nft_nl *nl;
	int rc;

	memset(res, 0, sizeof(*res));
	res->elements = rbi_nft_count_elems(plan);
	if (rbi_nft_build(plan, &want) ||
	    rbi_nft_digest(&want, true, res->sha256)) {
		rbi_nft_objs_free(&want);
		snprintf(err, len, "out of memory building the ruleset");
		return -1;
	}
	rbi_nft_set_table_comment(&want, plan->p->sha256_hex, res->sha256,
				  o->backend);
	nl = rbi_nft_nl_open(err, len);
	rc = nl ? rbi_nft_same(nl, &want, &res->unchanged, err, len) : -1;
	if (!rc && !res->unchanged)
		rc = rbi_nft_nl_commit(nl, &want, true, err, len);
	rbi_nft_objs_free(&want);
	rbi_nft_nl_close(nl);
	if (rc)
		res->sha256[0] = '\0';
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
		if (!strncmp(c->comment, fc, sizeof(fc) - 1))
			snprintf(st->fail_closed, sizeof(st->fail_closed),
				 "%s", c->comment + sizeof(fc) - 1);
	}
}

int rbi_nft_read(struct rbi_nft_state *st, char *err, size_t len)
{
	struct rbi_nft_nl *nl = rbi_nft_nl_open(err, len);
	char applied[RBI_NFT_COMMENT_MAX];
	enum rbi_nft_family fam;
	struct rbi_nft_objs o;
	size_t i;
	int rc, s;

	memset(st, 0, sizeof(*st));
	if (!nl)
		return -1;
	rc = rbi_nft_fetch(nl, &o, true, st->sha256, err, len);
	rbi_nft_nl_close(nl);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return -1;
	st->present = true;
	rbi_nft_table_comment(&o, st->comment, sizeof(st->comment));
	rbi_nft_comment_ruleset(st->comment, applied, sizeof(applied));
	st->verified = applied[0] &&
		       !strncmp(applied, st->sha256, strlen(applied));
	for (i = 0; i < o.n_sets; i++) {
		s = rbi_nft_find_set(nftnl_set_get_str(o.sets[i],
						       NFTNL_SET_NAME), &fam);
		if (s >= 0)
			st->elements[s][fam] = rbi_nft_set_size(o.sets[i]);
	}
	rbi_nft_read_rules(&o, st);
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
