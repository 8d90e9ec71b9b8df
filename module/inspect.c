// SPDX-License-Identifier: GPL-2.0
/*
 * The slow path, for packets of flows without a verdict yet. The
 * inspection engine (core/rbi_inspect.h) decides them, as the daemon's
 * NFQUEUE backend does from the same bytes; this file hands it the
 * packets, keeps the states of the TCP flows it reads, writes its
 * decisions into conntrack labels for the ruleset, counts them and
 * reports them.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sched/clock.h>
#include <net/netfilter/nf_conntrack_ecache.h>

#include "event.h"
#include "flow.h"
#include "inspect.h"
#include "modcfg.h"
#include "offload.h"
#include "pernet.h"
#include "scratch.h"

static_assert(BIT_WORD(RBI_CT_LABEL_DECIDED) == BIT_WORD(RBI_CT_LABEL_HIGHEST));
static_assert(RBI_CT_LABEL_RULE(__RBI_RULE_MAX - 1) == RBI_CT_LABEL_RULE_LAST);
static_assert(RBI_STAT_FAIL(__RBI_FAIL_MAX - 1) == RBI_STAT_FAIL_LAST);

struct rbi_ctx {
	struct rbi_pernet *pn;
	struct rbi_modcfg *mc;
	struct rbi_scratch *scr;
	const struct rbi_pkt *p;
	struct rbi_insp_env env;
	struct rbi_flow flow;
	u8 hook;
};

static void rbi_ip_from(struct rbi_ip *ip, u16 l3num,
			const union nf_inet_addr *a)
{
	memset(ip, 0, sizeof(*ip));
	if (l3num == NFPROTO_IPV4) {
		ip->family = RBI_IP_V4;
		memcpy(ip->a, &a->ip, 4);
	} else {
		ip->family = RBI_IP_V6;
		memcpy(ip->a, a->ip6, 16);
	}
}

/*
 * The flow as its two ends see it: the initiator as it sent the first
 * packet (before any source NAT), the responder as it answers (the reply
 * tuple's source, after destination NAT), so that a port forward is
 * judged by the camera it reaches.
 */
static void rbi_flow_from_ct(const struct nf_conn *ct, struct rbi_flow *f)
{
	const struct nf_conntrack_tuple *o =
		&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct nf_conntrack_tuple *r =
		&ct->tuplehash[IP_CT_DIR_REPLY].tuple;

	memset(f, 0, sizeof(*f));
	rbi_ip_from(&f->src, o->src.l3num, &o->src.u3);
	rbi_ip_from(&f->dst, r->src.l3num, &r->src.u3);
	f->l4 = o->dst.protonum;
	if (f->l4 == IPPROTO_TCP || f->l4 == IPPROTO_UDP) {
		f->sport = ntohs(o->src.u.all);
		f->dport = ntohs(r->src.u.all);
	}
	f->learned = RBI_NONE;
}

/*
 * Sets bits of the flow's labels in one atomic step, so that no CPU sees a
 * decided flow without its rule bit. With once, false (and nothing set)
 * when another packet of the flow decided it first.
 */
static bool rbi_labels_or(struct nf_conn *ct, struct nf_conn_labels *l,
			  unsigned long set, bool once)
{
	unsigned long *word = &l->bits[BIT_WORD(RBI_CT_LABEL_DECIDED)];
	unsigned long old = READ_ONCE(*word);

	do {
		if (once && old & BIT_MASK(RBI_CT_LABEL_DECIDED))
			return false;
		if ((old | set) == old)
			return true;
	} while (!try_cmpxchg(word, &old, old | set));
	nf_conntrack_event_cache(IPCT_LABEL, ct);
	return true;
}

static unsigned long rbi_labels_of(const struct rbi_insp_result *res)
{
	unsigned long set = BIT_MASK(RBI_CT_LABEL_DECIDED);

	if (res->d.verdict == RBI_BLOCK)
		set |= BIT_MASK(RBI_CT_LABEL_RULE(res->d.rule));
	if (res->d.log)
		set |= BIT_MASK(RBI_CT_LABEL_LOG);
	if (res->watch)
		set |= BIT_MASK(RBI_CT_LABEL_WATCH);
	return set;
}

static void rbi_count(struct rbi_pernet *pn, const struct rbi_insp_result *res)
{
	unsigned int stats[RBI_INSP_STATS_MAX];
	size_t i, n = rbi_insp_stats(res, stats);

	for (i = 0; i < n; i++)
		rbi_stat_add(pn, stats[i], 1);
}

/*
 * Writes what the engine decided into the flow's labels; a flow another
 * CPU decided first keeps that decision, and this one is not counted.
 * False when the result is not to be reported.
 */
static bool rbi_record(struct rbi_ctx *x, struct nf_conn *ct,
		       struct nf_conn_labels *l,
		       struct rbi_insp_result *res)
{
	if (res->decided && !rbi_labels_or(ct, l, rbi_labels_of(res), true))
		return false;
	if (!res->decided)
		rbi_labels_or(ct, l, BIT_MASK(RBI_CT_LABEL_INSPECTING), false);
	rbi_count(x->pn, res);
	return res->report;
}

static void rbi_report(struct rbi_ctx *x, const struct rbi_insp_result *res)
{
	rbi_event_flow(x->pn, x->mc, &res->flow, &res->d, x->hook);
}

/*
 * An answer matched a camera's query: its addresses of services count,
 * but never the responder's own (rbi_learn.h: what is never learned).
 */
static void rbi_answer_learn(void *ctx, const struct rbi_dns_answer_set *set)
{
	struct rbi_ctx *x = ctx;
	unsigned int n;

	spin_lock(&x->pn->learn_lock);
	n = rbi_learn_answer(x->mc->learned, x->mc->cfg, set, &x->flow.dst,
			     x->env.now, NULL, NULL);
	spin_unlock(&x->pn->learn_lock);
	rbi_stat_add(x->pn, RBI_STAT_LEARNED, n);
}

static void rbi_ctx_init(struct rbi_ctx *x, struct rbi_pernet *pn,
			 struct rbi_modcfg *mc)
{
	x->pn = pn;
	x->mc = mc;
	x->scr = rbi_scratch_get();
	x->env.cfg = mc->cfg;
	x->env.scr = &x->scr->insp;
	x->env.dnsq = pn->dnsq;
	x->env.now = ktime_get_seconds();
	x->env.learn = rbi_answer_learn;
	x->env.ctx = x;
}

/*
 * Hands p to the engine, its payload linear (in place, or copied into
 * scratch). A packet larger than scratch (BIG TCP) is more than the
 * engine reads at once: it fails closed.
 */
static enum rbi_insp_verdict rbi_feed(struct rbi_ctx *x, struct rbi_insp *in)
{
	const struct rbi_pkt *p = x->p;
	struct rbi_insp_result *res = &x->scr->res;
	struct rbi_insp_pkt ip = {
		.len = p->len, .seq = p->seq, .ack = p->ack,
		.flags = p->flags,
	};

	if (p->len > sizeof(x->scr->pkt)) {
		rbi_insp_fail(in, &x->env, RBI_FAIL_TOO_BIG, res);
		return RBI_INSP_PASS;
	}
	ip.data = skb_header_pointer(p->skb, p->off, p->len, x->scr->pkt);
	if (!ip.data) {
		rbi_insp_fail(in, &x->env, RBI_FAIL_MIDSTREAM, res);
		return RBI_INSP_PASS;
	}
	return rbi_insp_packet(in, &x->env, &ip, res);
}

/* The engine touches the pending queries only for flows to port 53. */
static enum rbi_insp_verdict rbi_feed_locked(struct rbi_ctx *x,
					     struct rbi_insp *in)
{
	enum rbi_insp_verdict v;

	if (x->flow.dport != RBI_INSP_PORT_DNS)
		return rbi_feed(x, in);
	spin_lock(&x->pn->dnsq_lock);
	v = rbi_feed(x, in);
	spin_unlock(&x->pn->dnsq_lock);
	return v;
}

/*
 * A packet of a flow that has no state: the first one, which the engine
 * may decide on the spot; a TCP flow left open gets a state, and when
 * there is no room for one it fails closed. Flows lock held for TCP.
 */
static enum rbi_insp_verdict rbi_first(struct rbi_ctx *x,
				       struct rbi_flow_state **stp)
{
	struct rbi_insp *fresh = &x->scr->fresh;
	struct rbi_insp_result *res = &x->scr->res;
	struct rbi_flow_state *st;
	enum rbi_insp_verdict v;

	*stp = NULL;
	rbi_insp_open(fresh, &x->flow);
	v = rbi_feed_locked(x, fresh);
	if (res->decided || x->flow.l4 != IPPROTO_TCP)
		return v;
	st = rbi_flows_add(&x->pn->flows, x->p->ct,
			   x->hook == NF_INET_FORWARD);
	if (!st) {
		rbi_insp_fail(fresh, &x->env, RBI_FAIL_TABLE_FULL, res);
		return RBI_INSP_PASS;
	}
	st->insp = *fresh;
	st->out_ifindex = x->p->out_ifindex;
	st->hook = x->hook;
	*stp = st;
	return v;
}

/*
 * Only the responder's own packets (they come in where the initiator's go
 * out) may acknowledge client bytes or answer a switch: one forged from
 * the camera's side must not release what the module still compares.
 */
static bool rbi_from_responder(const struct rbi_flow_state *st,
			       const struct rbi_pkt *p)
{
	return p->dir == IP_CT_DIR_ORIGINAL ||
	       p->in_ifindex == st->out_ifindex;
}

/* A packet of a TCP flow with a state; flows lock held. */
static enum rbi_insp_verdict rbi_tcp_state(struct rbi_ctx *x,
					   struct rbi_flow_state *st)
{
	struct rbi_flows *fl = &x->pn->flows;
	const struct rbi_pkt *p = x->p;
	struct rbi_insp_pkt probe = { .len = p->len, .seq = p->seq,
				      .flags = p->flags };
	bool reply = p->dir == IP_CT_DIR_REPLY;
	u32 room;

	if (!rbi_from_responder(st, p))
		return RBI_INSP_PASS;
	st->last = jiffies;
	room = rbi_insp_room(&st->insp, &probe);
	if (room && !rbi_flows_room(fl, st, reply, room)) {
		rbi_insp_fail(&st->insp, &x->env, RBI_FAIL_MEMORY,
			      &x->scr->res);
		return RBI_INSP_PASS;
	}
	return rbi_feed_locked(x, &st->insp);
}

static unsigned int rbi_tcp(struct rbi_ctx *x)
{
	struct rbi_flows *fl = &x->pn->flows;
	struct rbi_insp_result *res = &x->scr->res;
	const struct rbi_pkt *p = x->p;
	struct rbi_flow_state *st;
	enum rbi_insp_verdict v;
	bool report = false;

	spin_lock(&fl->lock);
	/* Another CPU may have decided the flow since the hook looked. */
	if (test_bit(RBI_CT_LABEL_DECIDED, p->labels->bits)) {
		spin_unlock(&fl->lock);
		return NF_ACCEPT;
	}
	memset(res, 0, sizeof(*res));
	st = rbi_flows_find(fl, p->ct);
	if (st)
		v = rbi_tcp_state(x, st);
	else
		v = rbi_first(x, &st);
	/* Under the lock: no CPU may see a state gone and no decision. */
	report = rbi_record(x, p->ct, p->labels, res);
	/*
	 * The labels first: a packet that starts through the hooks after
	 * the state goes (and is not waited for by its grace period) must
	 * meet the decision.
	 */
	if (st && res->decided)
		rbi_flows_del(fl, st);
	spin_unlock(&fl->lock);
	if (report)
		rbi_report(x, res);
	return v == RBI_INSP_DROP ? NF_DROP : NF_ACCEPT;
}

/*
 * A forwarded flow the module goes on reading without a state (DNS over
 * UDP, a datagram flow watched for QUIC) is kept out of every flowtable
 * from its first packet; false when it could not be.
 */
static bool rbi_stateless_forbid(struct rbi_ctx *x,
				 const struct rbi_insp_result *res)
{
	if (x->hook != NF_INET_FORWARD || (res->decided && !res->watch))
		return true;
	return rbi_offload_forbid(x->p->ct);
}

/* UDP and the rest keep no state: each packet is a first one. */
static unsigned int rbi_stateless(struct rbi_ctx *x)
{
	struct rbi_insp_result *res = &x->scr->res;
	struct rbi_flow_state *none;

	rbi_first(x, &none);
	if (!rbi_stateless_forbid(x, res))
		rbi_insp_fail(&x->scr->fresh, &x->env, RBI_FAIL_MEMORY, res);
	if (rbi_record(x, x->p->ct, x->p->labels, res))
		rbi_report(x, res);
	return NF_ACCEPT;
}

/*
 * Acknowledgements of the initiator carry nothing the engine reads: only
 * its SYN, FIN, RST, urgent data and payload, and every responder packet
 * (whose acknowledgements free the window), count.
 */
static bool rbi_says_nothing(const struct rbi_pkt *p)
{
	return p->l4 == IPPROTO_TCP && !p->len &&
	       p->dir == IP_CT_DIR_ORIGINAL &&
	       !(p->flags & (RBI_INSP_SYN | RBI_INSP_FIN | RBI_INSP_RST |
			     RBI_INSP_URG));
}

static unsigned int rbi_dispatch(struct rbi_ctx *x)
{
	rbi_flow_from_ct(x->p->ct, &x->flow);
	spin_lock(&x->pn->learn_lock);
	x->flow.learned = rbi_learn_lookup(x->mc->learned, &x->flow.dst,
					   x->env.now);
	spin_unlock(&x->pn->learn_lock);
	if (x->p->l4 == IPPROTO_TCP)
		return rbi_tcp(x);
	return rbi_stateless(x);
}

unsigned int rbi_inspect(struct rbi_pernet *pn, const struct rbi_pkt *p)
{
	struct rbi_ctx x = { .p = p, .hook = p->hook };
	unsigned int verdict = NF_ACCEPT;
	struct rbi_modcfg *mc;
	u64 start;

	if (rbi_says_nothing(p))
		return NF_ACCEPT;
	local_bh_disable();
	/* A clock read costs next to nothing here, whatever the clocksource. */
	start = local_clock();
	mc = rcu_dereference(pn->config);
	if (mc) {
		rbi_ctx_init(&x, pn, mc);
		verdict = rbi_dispatch(&x);
	}
	rbi_stat_add(pn, RBI_STAT_PACKETS, 1);
	rbi_stat_add(pn, RBI_STAT_INSPECT_NS, local_clock() - start);
	local_bh_enable();
	return verdict;
}

void rbi_inspect_watched(struct rbi_pernet *pn, const struct rbi_pkt *p)
{
	struct rbi_ctx x = { .p = p, .hook = p->hook };
	struct rbi_insp_result *res;
	struct rbi_modcfg *mc;
	struct rbi_flow_state *none;

	local_bh_disable();
	mc = rcu_dereference(pn->config);
	if (!mc)
		goto out;
	rbi_ctx_init(&x, pn, mc);
	rbi_flow_from_ct(p->ct, &x.flow);
	rbi_first(&x, &none);
	res = &x.scr->res;
	/* Decided already: only a QUIC verdict adds its bits. */
	if (!res->decided || res->flow.app != RBI_APP_QUIC ||
	    (res->d.verdict != RBI_BLOCK && !res->d.log))
		goto out;
	rbi_labels_or(p->ct, p->labels, rbi_labels_of(res), false);
	rbi_count(pn, res);
	rbi_report(&x, res);
out:
	local_bh_enable();
}

void rbi_inspect_expire(struct rbi_pernet *pn, struct rbi_flow_state *st,
			enum rbi_fail why)
{
	struct nf_conn_labels *l = nf_ct_labels_find(st->ct);
	struct rbi_ctx x = { .hook = st->hook };
	struct rbi_insp_result *res;
	struct rbi_modcfg *mc;

	rcu_read_lock();
	mc = rcu_dereference(pn->config);
	if (!mc || !l)
		goto out;
	rbi_ctx_init(&x, pn, mc);
	res = &x.scr->res;
	rbi_insp_fail(&st->insp, &x.env, why, res);
	if (rbi_record(&x, st->ct, l, res))
		rbi_report(&x, res);
out:
	rcu_read_unlock();
}
