// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rbiblock's own flowtable in the ruleset: there only when apply found
 * interfaces for it, on those interfaces, with one rule that offloads
 * flows checked against this ruleset with no verdict of the module's on
 * them, decided by the module when it is in use, and (without it) never a
 * DNS flow, whose answers are copied for learning. The digest covers the
 * flowtable, whatever order the kernel lists its interfaces in. What other
 * tables' flowtables leave unenforced, as apply and status word it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/udata.h>

#include "daemon/backend.h"
#include "policy_load.h"
#include "nft/defs.h"
#include "nft/internal.h"

/* A camera zone and a recorder, the catalogue built in. */
static const char policy_text[] = RBI_TEST_POLICY_RBI("offload-test")
"zones:\n"
"  - name: plaza\n"
"    publicly-accessible: true\n"
"    networks: [10.40.0.0/16]\n"
"recorders:\n"
"  - name: vms\n"
"    networks: [203.0.113.9/32]\n"
"    ports: [554]\n";

/* What the offload rule of a ruleset is made of. */
struct offload_rule {
	int rules;		/* rules with a flow_offload expression */
	int index;		/* its place in the forward chain */
	char table[64];		/* the flowtable it names */
	int port_cmps;		/* != compares on a port (DNS left out) */
	bool counter;		/* a counter after the offload */
	bool seen;		/* flow_offload met in the rule walked */
};

static int rule_expr(struct nftnl_expr *e, void *data)
{
	struct offload_rule *r = data;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	if (!strcmp(name, "flow_offload")) {
		r->seen = true;
		snprintf(r->table, sizeof(r->table), "%s",
			 nftnl_expr_get_str(e, NFTNL_EXPR_FLOW_TABLE_NAME));
	} else if (!strcmp(name, "counter") && r->seen) {
		r->counter = true;
	} else if (!strcmp(name, "cmp") &&
		   nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP) == NFT_CMP_NEQ) {
		r->port_cmps++;
	}
	return 0;
}

static void find_offload(const struct rbi_nft_objs *o, struct offload_rule *r)
{
	struct offload_rule one;
	int at = 0;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->index = -1;
	for (i = 0; i < o->n_rules; i++) {
		if (strcmp(nftnl_rule_get_str(o->rules[i], NFTNL_RULE_CHAIN),
			   RBI_NFT_CH_FORWARD))
			continue;
		memset(&one, 0, sizeof(one));
		nftnl_expr_foreach(o->rules[i], rule_expr, &one);
		if (one.seen) {
			one.rules = r->rules + 1;
			one.index = at;
			*r = one;
		}
		at++;
	}
}

static void build(const struct rbi_nft_plan *plan, struct rbi_nft_objs *o,
		  char digest[65])
{
	assert_int_equal(rbi_nft_build(plan, 0, o), 0);
	assert_int_equal(rbi_nft_digest(o, true, digest), 0);
}

static void test_flowtable(void **state)
{
	const char *devs[] = { "wan0", "lan0", NULL };
	const char *swapped[] = { "lan0", "wan0", NULL };
	const char *other[] = { "lan0", NULL };
	struct rbi_policy *p = rbi_test_policy_load("offload.yaml",
						    policy_text);
	char none_d[65], devs_d[65], swapped_d[65], other_d[65], devs_s[64];
	const char *const *got;
	struct rbi_nft_plan plan;
	struct offload_rule r;
	struct rbi_nft_objs o;

	assert_int_equal(rbi_nft_plan_build(p, &plan), 0);
	plan.module = true;
	build(&plan, &o, none_d);
	assert_null(o.flowtable);
	find_offload(&o, &r);
	assert_int_equal(r.rules, 0);
	rbi_nft_objs_free(&o);

	plan.offload_devs = devs;
	build(&plan, &o, devs_d);
	assert_non_null(o.flowtable);
	assert_string_equal(nftnl_flowtable_get_str(o.flowtable,
						    NFTNL_FLOWTABLE_NAME),
			    RBI_NFT_FLOWTABLE);
	assert_int_equal(nftnl_flowtable_get_u32(o.flowtable,
						 NFTNL_FLOWTABLE_HOOKNUM),
			 NF_NETDEV_INGRESS);
	assert_int_equal(nftnl_flowtable_get_u32(o.flowtable,
						 NFTNL_FLOWTABLE_FLAGS),
			 NFT_FLOWTABLE_COUNTER);
	got = nftnl_flowtable_get_array(o.flowtable, NFTNL_FLOWTABLE_DEVICES);
	assert_string_equal(got[0], "wan0");
	assert_string_equal(got[1], "lan0");
	assert_null(got[2]);
	rbi_nft_flowtable_devs(o.flowtable, devs_s, sizeof(devs_s));
	assert_string_equal(devs_s, "lan0 wan0");
	find_offload(&o, &r);
	/* One rule, first in the chain: before the fast path's accept. */
	assert_int_equal(r.rules, 1);
	assert_int_equal(r.index, 0);
	assert_string_equal(r.table, RBI_NFT_FLOWTABLE);
	assert_true(r.counter);
	assert_int_equal(r.port_cmps, 0);
	assert_string_not_equal(devs_d, none_d);
	rbi_nft_objs_free(&o);

	plan.offload_devs = swapped;
	build(&plan, &o, swapped_d);
	rbi_nft_objs_free(&o);
	assert_string_equal(swapped_d, devs_d);
	plan.offload_devs = other;
	build(&plan, &o, other_d);
	rbi_nft_objs_free(&o);
	assert_string_not_equal(other_d, devs_d);

	/* Without the module: the same, DNS flows left out. */
	plan.module = false;
	plan.offload_devs = devs;
	build(&plan, &o, devs_d);
	find_offload(&o, &r);
	assert_int_equal(r.rules, 1);
	assert_int_equal(r.port_cmps, 2);
	rbi_nft_objs_free(&o);
	rbi_nft_plan_free(&plan);
	rbi_policy_free(p);
}

static void test_offload_gap(void **state)
{
	struct rbi_nft_foreign f;
	char why[RBI_NFT_COMMENT_MAX];

	memset(&f, 0, sizeof(f));
	rbi_backend_offload_gap(&f, false, NULL, why, sizeof(why));
	assert_string_equal(why, "");
	f.n = 1;
	snprintf(f.what[0], sizeof(f.what[0]), "table inet fw4, flowtable ft "
		 "(lan wan), flow add in chain forward");
	rbi_backend_offload_gap(&f, true, NULL, why, sizeof(why));
	assert_string_equal(why, "");
	rbi_backend_offload_gap(&f, false, NULL, why, sizeof(why));
	assert_string_equal(why, "table inet fw4 offloads flows past what "
			    "rbiblock reads (no rbiblock.ko)");
	f.n = 0;
	rbi_backend_offload_gap(&f, false, "Operation not permitted", why,
				sizeof(why));
	assert_string_equal(why, "other tables' flowtables unreadable "
			    "(Operation not permitted)");
	rbi_backend_offload_gap(&f, true, "Operation not permitted", why,
				sizeof(why));
	assert_string_equal(why, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flowtable),
		cmocka_unit_test(test_offload_gap),
	};

	return cmocka_run_group_tests_name("nft_offload", tests, NULL, NULL);
}
