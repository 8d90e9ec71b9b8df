// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The queue backend's ruleset: packets of undecided public-zone flows,
 * both ways, and DNS answers of the gateway's own resolver go to queues,
 * through the nft queue expression or the NFQUEUE target, with bypass only
 * under on-failure: open; every rule that lets a public-zone flow go sends
 * it to be inspected first; the daemon's decisions, marked on the packets
 * it lets go, become the module's label bits in a base chain right after
 * the one that queued them. Without the queue backend none of it exists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/xt_NFQUEUE.h>
#include <libnftnl/expr.h>

#include "policy_load.h"
#include "nft/defs.h"
#include "nft/internal.h"

static const char policy_text[] =
"rbiblock: 1\n"
"name: queue-test\n"
"basis: test\n"
"prohibit:\n"
"  categories: [remote-biometric-identification]\n"
"  timing: [real-time, post]\n"
"  actors: [public, private]\n"
"  exceptions: []\n"
"zones:\n"
"  - name: square\n"
"    publicly-accessible: true\n"
"    networks: [10.20.0.0/16, \"2001:db8:20::/64\"]\n"
"  - name: depot\n"
"    publicly-accessible: false\n"
"    networks: [10.30.0.0/16]\n"
"recorders:\n"
"  - name: vms\n"
"    networks: [203.0.113.5/32]\n"
"    ports: [554]\n"
"catalog:\n"
"  include: []\n"
"  services:\n"
"    - id: blocked\n"
"      categories: [remote-biometric-identification]\n"
"      networks: [198.51.100.0/28]\n"
"    - id: feelings\n"
"      categories: [emotion-recognition]\n"
"      networks: [198.51.100.64/28]\n"
"enforce:\n"
"  quic: block\n"
"  on-failure: closed\n";

struct ruleset {
	struct rbi_policy *p;
	struct rbi_nft_plan plan;
	struct rbi_nft_objs o;
};

static void build(struct ruleset *r, enum rbi_nft_queue_kind kind,
		  bool bypass, bool inner)
{
	r->p = rbi_test_policy_load("queue.yaml", policy_text);
	assert_int_equal(rbi_nft_plan_build(r->p, &r->plan), 0);
	r->plan.queue.kind = kind;
	r->plan.queue.n = 2;
	r->plan.queue.bypass = bypass;
	r->plan.queue.inner = inner;
	assert_int_equal(rbi_nft_build(&r->plan, 0, &r->o), 0);
}

static void done(struct ruleset *r)
{
	rbi_nft_objs_free(&r->o);
	rbi_nft_plan_free(&r->plan);
	rbi_policy_free(r->p);
}

static struct nftnl_chain *chain(const struct ruleset *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->o.n_chains; i++)
		if (!strcmp(nftnl_chain_get_str(r->o.chains[i],
						NFTNL_CHAIN_NAME), name))
			return r->o.chains[i];
	return NULL;
}

/* The text of every rule of a chain, one per line. */
static void rules(const struct ruleset *r, const char *name, char *out,
		  size_t len)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < r->o.n_rules && n < len; i++) {
		if (strcmp(nftnl_rule_get_str(r->o.rules[i], NFTNL_RULE_CHAIN),
			   name))
			continue;
		n += (size_t)nftnl_rule_snprintf(out + n, len - n,
						 r->o.rules[i],
						 NFTNL_OUTPUT_DEFAULT, 0);
		if (n < len - 1)
			out[n++] = '\n';
		out[n < len ? n : len - 1] = '\0';
	}
}

static size_t count(const char *text, const char *what)
{
	size_t n = 0;

	for (; (text = strstr(text, what)); text++)
		n++;
	return n;
}

/* The queue expressions of every rule: num, total and flags of each. */
struct queues {
	size_t n;
	unsigned int num[64], total[64], flags[64];
	bool native[64];
};

static int queue_expr(struct nftnl_expr *e, void *data)
{
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	const struct xt_NFQ_info_v3 *info;
	struct queues *q = data;
	uint32_t len;

	if (!strcmp(name, "queue")) {
		q->num[q->n] = nftnl_expr_get_u16(e, NFTNL_EXPR_QUEUE_NUM);
		q->total[q->n] = nftnl_expr_get_u16(e, NFTNL_EXPR_QUEUE_TOTAL);
		q->flags[q->n] = nftnl_expr_get_u16(e, NFTNL_EXPR_QUEUE_FLAGS);
		q->native[q->n++] = true;
	} else if (!strcmp(name, "target")) {
		assert_string_equal(nftnl_expr_get_str(e, NFTNL_EXPR_TG_NAME),
				    "NFQUEUE");
		assert_int_equal(nftnl_expr_get_u32(e, NFTNL_EXPR_TG_REV), 3);
		info = nftnl_expr_get(e, NFTNL_EXPR_TG_INFO, &len);
		assert_true(len >= sizeof(*info));
		q->num[q->n] = info->queuenum;
		q->total[q->n] = info->queues_total;
		q->flags[q->n] = info->flags;
		q->native[q->n++] = false;
	}
	return 0;
}

static void queues_of(const struct ruleset *r, const char *name,
		      struct queues *q)
{
	size_t i;

	memset(q, 0, sizeof(*q));
	for (i = 0; i < r->o.n_rules; i++)
		if (!strcmp(nftnl_rule_get_str(r->o.rules[i],
					       NFTNL_RULE_CHAIN), name))
			nftnl_expr_foreach(r->o.rules[i], queue_expr, q);
}

static void no_queue_backend(void **state)
{
	struct ruleset r;
	struct queues q;
	char text[16384];

	(void)state;
	build(&r, RBI_NFT_QUEUE_NONE, false, true);
	assert_null(chain(&r, RBI_NFT_CH_INSPECT));
	assert_null(chain(&r, RBI_NFT_CH_QVERDICTS));
	queues_of(&r, RBI_NFT_CH_REPLIES, &q);
	assert_int_equal(q.n, 0);
	rules(&r, RBI_NFT_CH_REPLIES, text, sizeof(text));
	/* UDP and TCP, from port 53 and 5353. */
	assert_int_equal(count(text, "log group 4712"), 8);
	rules(&r, RBI_NFT_CH_EGRESS, text, sizeof(text));
	assert_int_equal(count(text, "goto -> inspect"), 0);
	done(&r);
}

static void every_undecided_packet_queued(void **state)
{
	struct ruleset r;
	struct queues q;
	char text[16384];
	size_t i;

	(void)state;
	build(&r, RBI_NFT_QUEUE_XT, false, true);
	assert_non_null(chain(&r, RBI_NFT_CH_INSPECT));
	/*
	 * Both ways: the client's packets, those conntrack opened an entry
	 * for marked as such, and the responder's replies. A client's bare
	 * acknowledgement passes where the kernel can tell it has no data.
	 */
	queues_of(&r, RBI_NFT_CH_INSPECT, &q);
	assert_int_equal(q.n, 5);
	rules(&r, RBI_NFT_CH_INSPECT, text, sizeof(text));
	assert_int_equal(count(text, "0x02000000"), 2);
	assert_int_equal(count(text, "& 0x00000027"), 2);
	queues_of(&r, RBI_NFT_CH_REPLIES, &q);
	assert_int_equal(q.n, 4);
	for (i = 0; i < q.n; i++) {
		assert_int_equal(q.num[i], RBI_NFT_QUEUE_FIRST);
		assert_int_equal(q.total[i], 2);
		/* on-failure: closed: no daemon, no packet. */
		assert_int_equal(q.flags[i], 0);
		assert_false(q.native[i]);
	}
	rules(&r, RBI_NFT_CH_REPLIES, text, sizeof(text));
	/* The way a packet goes is in its mark's top byte. */
	assert_int_equal(count(text, "0x01000000"), 4);
	assert_int_equal(count(text, "log group"), 0);
	/* The gateway's own resolver: its answers held until learned. */
	queues_of(&r, RBI_NFT_CH_OUTPUT, &q);
	assert_int_equal(q.n, 8);
	for (i = 0; i < q.n; i++)
		assert_int_equal(q.num[i], RBI_NFT_QUEUE_DNS);
	done(&r);
}

static void passing_means_inspected(void **state)
{
	struct nftnl_set_elems_iter *it;
	struct nftnl_set_elem *e;
	struct ruleset r;
	char text[16384];
	size_t i, gotos = 0, accepts = 0;

	(void)state;
	build(&r, RBI_NFT_QUEUE_XT, false, true);
	rules(&r, RBI_NFT_CH_EGRESS, text, sizeof(text));
	/* The recorder: a name may still block what goes there. */
	assert_int_equal(count(text, "goto -> inspect"), 2);
	rules(&r, RBI_NFT_CH_INGRESS, text, sizeof(text));
	assert_int_equal(count(text, "goto -> inspect"), 4);
	rules(&r, RBI_NFT_CH_FORWARD, text, sizeof(text));
	assert_int_equal(count(text, "goto -> inspect"), 4);
	/* A network the policy lets through: its flows still inspected. */
	for (i = 0; i < r.o.n_sets; i++) {
		it = nftnl_set_elems_iter_create(r.o.sets[i]);
		while ((e = nftnl_set_elems_iter_next(it))) {
			if (!nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_VERDICT))
				continue;
			if (nftnl_set_elem_get_u32(e, NFTNL_SET_ELEM_VERDICT) ==
			    NF_ACCEPT)
				accepts++;
			else if (!strcmp(nftnl_set_elem_get_str(e,
					 NFTNL_SET_ELEM_CHAIN),
					 RBI_NFT_CH_INSPECT))
				gotos++;
		}
		nftnl_set_elems_iter_destroy(it);
	}
	assert_int_equal(accepts, 0);
	assert_true(gotos > 0);
	done(&r);
}

static void decisions_become_labels(void **state)
{
	struct nftnl_chain *c;
	struct ruleset r;
	char text[32768], want[64];
	unsigned int rule;

	(void)state;
	build(&r, RBI_NFT_QUEUE_NATIVE, true, true);
	c = chain(&r, RBI_NFT_CH_QVERDICTS);
	assert_non_null(c);
	assert_int_equal(nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM),
			 NF_INET_FORWARD);
	assert_int_equal(nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO),
			 RBI_NFT_PRIORITY + 1);
	rules(&r, RBI_NFT_CH_QVERDICTS, text, sizeof(text));
	/* Each block is logged as the module's verdict, and dropped. */
	for (rule = RBI_RULE_NONE + 1; rule < __RBI_RULE_MAX; rule++) {
		snprintf(want, sizeof(want), "0x%08x ]",
			 RBI_NFT_QMARK_BLOCK(rule));
		assert_int_equal(count(text, want), 1);
	}
	assert_int_equal(count(text, "prefix rbiblock block "),
			 __RBI_RULE_MAX - 1);
	assert_int_equal(count(text, "module"), __RBI_RULE_MAX - 1);
	assert_int_equal(count(text, "ct set label"), __RBI_RULE_MAX + 2);
	/* A packet the bypass let through leaves with its mark as it came. */
	assert_int_equal(count(text, "not held: no daemon"), 2);
	done(&r);
}

static void bypass_and_native(void **state)
{
	struct ruleset r;
	struct queues q;

	(void)state;
	build(&r, RBI_NFT_QUEUE_NATIVE, true, false);
	queues_of(&r, RBI_NFT_CH_INSPECT, &q);
	assert_int_equal(q.n, 4);
	assert_true(q.native[0]);
	assert_int_equal(q.flags[0], NFT_QUEUE_FLAG_BYPASS);
	/* No inner-header reads on this kernel: no QUIC watch rule. */
	queues_of(&r, RBI_NFT_CH_FORWARD, &q);
	assert_int_equal(q.n, 0);
	done(&r);
	build(&r, RBI_NFT_QUEUE_XT, true, true);
	queues_of(&r, RBI_NFT_CH_FORWARD, &q);
	assert_int_equal(q.n, 1);
	assert_int_equal(q.flags[0], NFQ_FLAG_BYPASS);
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_queue_backend),
		cmocka_unit_test(every_undecided_packet_queued),
		cmocka_unit_test(passing_means_inspected),
		cmocka_unit_test(decisions_become_labels),
		cmocka_unit_test(bypass_and_native),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
