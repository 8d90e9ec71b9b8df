// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Other tables that offload flows: a flowtable outside table inet rbiblock
 * and a rule of its table that adds flows to it (`flow add @ft`, as
 * OpenWrt's fw4 writes it with software offloading on). A flow in such a
 * flowtable skips the forward hook, rbiblock.ko and rbiblock's chains with
 * it, from the packet after the one that offloaded it; nothing here tells
 * whether the rule's matches could take a camera's flow, so every such
 * rule counts. Read only: nothing is ever sent to those tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "nft/defs.h"
#include "nft/internal.h"
#include "util/grow.h"

/* A flowtable of another table, and where rules add flows to it. */
struct rbi_foreign_ft {
	uint32_t family;
	char table[64];
	char name[64];
	char devs[64];		/* its interfaces, as far as they fit */
	char chain[64];		/* the first chain with a rule adding to it */
};

struct rbi_foreign_walk {
	struct rbi_foreign_ft *v;
	size_t n, cap;
	const struct rbi_foreign_ft *table;	/* whose rules are read */
	bool failed;
};

static const char *rbi_foreign_family(uint32_t family)
{
	switch (family) {
	case NFPROTO_INET:
		return "inet";
	case NFPROTO_IPV4:
		return "ip";
	case NFPROTO_IPV6:
		return "ip6";
	default:
		return "?";
	}
}

static int rbi_foreign_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void rbi_nft_flowtable_devs(const struct nftnl_flowtable *ft, char *out,
			    size_t len)
{
	const char *const *devs = NULL;
	const char *v[RBI_NFT_DEVS_MAX];
	size_t i, n = 0, at = 0;

	out[0] = '\0';
	if (nftnl_flowtable_is_set(ft, NFTNL_FLOWTABLE_DEVICES))
		devs = nftnl_flowtable_get_array(ft, NFTNL_FLOWTABLE_DEVICES);
	while (devs && devs[n] && n < RBI_NFT_DEVS_MAX) {
		v[n] = devs[n];
		n++;
	}
	qsort(v, n, sizeof(v[0]), rbi_foreign_strcmp);
	for (i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%s", i ? " " : "",
				       v[i]);
}

static int rbi_foreign_flowtable(const struct nlmsghdr *nlh, void *data)
{
	struct rbi_foreign_walk *w = data;
	struct nftnl_flowtable *ft = nftnl_flowtable_alloc();
	struct rbi_foreign_ft *f;
	const char *table, *name;
	uint32_t family;

	if (!ft || nftnl_flowtable_nlmsg_parse(nlh, ft) < 0) {
		w->failed = true;
		goto out;
	}
	family = nftnl_flowtable_get_u32(ft, NFTNL_FLOWTABLE_FAMILY);
	table = nftnl_flowtable_get_str(ft, NFTNL_FLOWTABLE_TABLE);
	name = nftnl_flowtable_get_str(ft, NFTNL_FLOWTABLE_NAME);
	if (!table || !name ||
	    (family == NFPROTO_INET && !strcmp(table, RBI_NFT_TABLE)))
		goto out;
	f = rbi_grow_push(w->v, &w->n, &w->cap);
	if (!f) {
		w->failed = true;
		goto out;
	}
	f->family = family;
	snprintf(f->table, sizeof(f->table), "%s", table);
	snprintf(f->name, sizeof(f->name), "%s", name);
	rbi_nft_flowtable_devs(ft, f->devs, sizeof(f->devs));
out:
	if (ft)
		nftnl_flowtable_free(ft);
	return MNL_CB_OK;
}

struct rbi_foreign_rule {
	struct rbi_foreign_walk *w;
	const char *chain;
};

/* A `flow add` expression: the flowtable of its table it names. */
static int rbi_foreign_expr(struct nftnl_expr *e, void *data)
{
	struct rbi_foreign_rule *r = data;
	struct rbi_foreign_walk *w = r->w;
	const char *ft;
	size_t i;

	if (strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "flow_offload") ||
	    !nftnl_expr_is_set(e, NFTNL_EXPR_FLOW_TABLE_NAME))
		return 0;
	ft = nftnl_expr_get_str(e, NFTNL_EXPR_FLOW_TABLE_NAME);
	for (i = 0; i < w->n; i++)
		if (w->v[i].family == w->table->family &&
		    !strcmp(w->v[i].table, w->table->table) &&
		    !strcmp(w->v[i].name, ft) && !w->v[i].chain[0])
			snprintf(w->v[i].chain, sizeof(w->v[i].chain), "%s",
				 r->chain);
	return 0;
}

static int rbi_foreign_rule(const struct nlmsghdr *nlh, void *data)
{
	struct rbi_foreign_walk *w = data;
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct rbi_foreign_rule fr = { w, NULL };

	if (!r || nftnl_rule_nlmsg_parse(nlh, r) < 0) {
		w->failed = true;
	} else if (nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY) ==
		   w->table->family) {
		fr.chain = nftnl_rule_get_str(r, NFTNL_RULE_CHAIN);
		if (fr.chain)
			nftnl_expr_foreach(r, rbi_foreign_expr, &fr);
	}
	if (r)
		nftnl_rule_free(r);
	return MNL_CB_OK;
}

/* Whether ft's table was read already, through an earlier flowtable. */
static bool rbi_foreign_seen(const struct rbi_foreign_walk *w, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++)
		if (w->v[i].family == w->v[k].family &&
		    !strcmp(w->v[i].table, w->v[k].table))
			return true;
	return false;
}

static void rbi_foreign_report(const struct rbi_foreign_walk *w,
			       struct rbi_nft_foreign *out)
{
	const struct rbi_foreign_ft *f;
	size_t i;

	for (i = 0; i < w->n; i++) {
		f = &w->v[i];
		if (!f->chain[0])
			continue;
		if (out->n == RBI_NFT_FOREIGN_MAX) {
			out->more++;
			continue;
		}
		snprintf(out->what[out->n++], sizeof(out->what[0]),
			 "table %s %s, flowtable %s (%s), flow add in chain %s",
			 rbi_foreign_family(f->family), f->table, f->name,
			 f->devs[0] ? f->devs : "no interface", f->chain);
	}
}

int rbi_nft_foreign_read(struct rbi_nft_foreign *out, char *err, size_t len)
{
	struct rbi_foreign_walk w = { NULL, 0, 0, NULL, false };
	struct rbi_nft_nl *nl = rbi_nft_nl_open(err, len);
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!nl)
		return -1;
	rc = rbi_nft_nl_walk(nl, NFT_MSG_GETFLOWTABLE, NFPROTO_UNSPEC, NULL,
			     rbi_foreign_flowtable, &w, err, len);
	for (i = 0; !rc && i < w.n; i++) {
		if (rbi_foreign_seen(&w, i))
			continue;
		w.table = &w.v[i];
		rc = rbi_nft_nl_walk(nl, NFT_MSG_GETRULE,
				     (uint16_t)w.v[i].family, w.v[i].table,
				     rbi_foreign_rule, &w, err, len);
	}
	rbi_nft_nl_close(nl);
	if (!rc && w.failed) {
		snprintf(err, len, "reading other tables' flowtables: out of "
			 "memory or a reply libnftnl could not parse");
		rc = -1;
	}
	if (!rc)
		rbi_foreign_report(&w, out);
	free(w.v);
	return rc;
}
