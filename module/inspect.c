// SPDX-License-Identifier: GPL-2.0
/*
 * The slow path, for packets of flows without a verdict yet. A flow is
 * decided as soon as what is known of it can no longer change the verdict:
 * its addresses alone block it or put it outside every public zone, the
 * camera-analytics markers of its request block it, or the dissectors
 * named it, or none of them can. Until then the client's first bytes are
 * reassembled, and the segment that completes a ClientHello or a request
 * head (or carries a blocking marker) is the one whose verdict the nft
 * chains see first.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sched/clock.h>
#include <net/netfilter/nf_conntrack_ecache.h>

#include "core/rbi_analytics.h"
#include "dnslearn.h"
#include "event.h"
#include "flow.h"
#include "inspect.h"
#include "modcfg.h"
#include "pernet.h"
#include "scratch.h"

enum rbi_dissector {
	RBI_DIS_TLS = 1 << 0,
	RBI_DIS_HTTP = 1 << 1,
	RBI_DIS_RTSP = 1 << 2,
	RBI_DIS_ALL = RBI_DIS_TLS | RBI_DIS_HTTP | RBI_DIS_RTSP,
};

enum {
	RBI_PORT_DNS = 53,
	/* The longest stream any dissector reads. */
	RBI_CLIENT_MAX = RBI_TLS_HELLO_MAX,
	RBI_HEAD_MAX = RBI_HTTP_HEAD_MAX,
};

static_assert((int)RBI_RTSP_HEAD_MAX == (int)RBI_HEAD_MAX);
static_assert(BIT_WORD(RBI_CT_LABEL_DECIDED) == BIT_WORD(RBI_CT_LABEL_HIGHEST));
static_assert(RBI_CT_LABEL_RULE(__RBI_RULE_MAX - 1) == RBI_CT_LABEL_RULE_LAST);

struct rbi_ctx {
	struct rbi_pernet *pn;
	struct rbi_modcfg *mc;
	struct rbi_scratch *scr;
	const struct rbi_pkt *p;
	struct rbi_flow flow;
	struct rbi_decision d;
	bool event;		/* this packet decided the flow: report it */
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

/* The flow as its initiator opened it, before any NAT. */
static void rbi_flow_from_ct(const struct nf_conn *ct, struct rbi_flow *f)
{
	const struct nf_conntrack_tuple *t =
		&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;

	memset(f, 0, sizeof(*f));
	rbi_ip_from(&f->src, t->src.l3num, &t->src.u3);
	rbi_ip_from(&f->dst, t->src.l3num, &t->dst.u3);
	f->l4 = t->dst.protonum;
	if (f->l4 == IPPROTO_TCP || f->l4 == IPPROTO_UDP) {
		f->sport = ntohs(t->src.u.all);
		f->dport = ntohs(t->dst.u.all);
	}
	f->learned = RBI_NONE;
}

static bool rbi_flow_is_dns(const struct rbi_flow *f)
{
	return (f->l4 == IPPROTO_TCP || f->l4 == IPPROTO_UDP) &&
	       (f->dport == RBI_PORT_DNS || f->sport == RBI_PORT_DNS);
}

/*
 * Sets the verdict's bits and "decided" in one atomic step, so that no
 * CPU sees a decided flow without its rule bit. False when another packet
 * of the flow decided it first.
 */
static bool rbi_labels_write(struct nf_conn *ct, struct nf_conn_labels *l,
			     const struct rbi_decision *d)
{
	unsigned long *word = &l->bits[BIT_WORD(RBI_CT_LABEL_DECIDED)];
	unsigned long set = BIT_MASK(RBI_CT_LABEL_DECIDED);
	unsigned long old = READ_ONCE(*word);

	if (d->verdict == RBI_BLOCK)
		set |= BIT_MASK(RBI_CT_LABEL_RULE(d->rule));
	if (d->log)
		set |= BIT_MASK(RBI_CT_LABEL_LOG);
	do {
		if (old & BIT_MASK(RBI_CT_LABEL_DECIDED))
			return false;
	} while (!try_cmpxchg(word, &old, old | set));
	nf_conntrack_event_cache(IPCT_LABEL, ct);
	return true;
}

/*
 * Gives the flow its verdict for good: classifies it with what is known of
 * it now and writes the verdict into its labels, unless another packet of
 * it did first; then counts it and has it reported.
 */
static void rbi_conclude(struct rbi_ctx *x)
{
	struct rbi_pernet *pn = x->pn;

	rbi_classify(x->mc->cfg, &x->flow, &x->d);
	if (!rbi_labels_write(x->p->ct, x->p->labels, &x->d))
		return;
	rbi_stat_add(pn, RBI_STAT_FLOWS, 1);
	if (x->flow.name_len)
		rbi_stat_add(pn, RBI_STAT_NAMED, 1);
	if (x->d.verdict == RBI_BLOCK)
		rbi_stat_add(pn, RBI_STAT_BLOCKS, 1);
	if (x->d.log)
		rbi_stat_add(pn, RBI_STAT_LOGS, 1);
	x->event = x->d.verdict == RBI_BLOCK || x->d.log;
}

/*
 * Whether the addresses alone are conclusive: a block needs no name, and
 * a flow outside every public zone cannot be blocked by one.
 */
static bool rbi_addresses_conclusive(struct rbi_ctx *x)
{
	rbi_classify(x->mc->cfg, &x->flow, &x->d);
	return x->d.verdict == RBI_BLOCK || x->d.reason == RBI_WHY_NO_ZONE ||
	       x->d.reason == RBI_WHY_NOT_PUBLIC;
}

static void rbi_name_flow(struct rbi_flow *f, enum rbi_app app,
			  const char *name, size_t len)
{
	f->app = app;
	f->name = name;
	f->name_len = len;
}

/*
 * A request head is worth parsing again only once a blank line that was
 * not there before has arrived, or the head has outgrown its bound:
 * searching only the bytes not searched yet keeps a head sent a byte at a
 * time linear, and each blank line costs one parse.
 */
static bool rbi_head_ready(struct rbi_flow_state *st)
{
	const u8 *b = st->orig.buf;
	u32 i, len = st->orig.len;

	if (len >= RBI_HEAD_MAX)
		return true;
	for (i = st->head_scan; i < len; i++) {
		if (b[i] != '\n')
			continue;
		if ((i + 1 < len && b[i + 1] == '\n') ||
		    (i + 2 < len && b[i + 1] == '\r' && b[i + 2] == '\n')) {
			st->head_scan = i + 1;
			return true;
		}
	}
	st->head_scan = len > 2 ? len - 2 : 0;
	return false;
}

/*
 * Whether dissector dis parsed its request. Anything but NEED_MORE rules
 * it out: it has said all it will of this flow.
 */
static bool rbi_dissected(struct rbi_flow_state *st, enum rbi_dissector dis,
			  enum rbi_parse_result res)
{
	if (res != RBI_PARSE_NEED_MORE)
		st->apps_left &= ~dis;
	return res == RBI_PARSE_OK;
}

static bool rbi_dissect_tls(struct rbi_ctx *x, struct rbi_flow_state *st)
{
	struct rbi_tls_hello *h = &x->scr->app.tls;
	enum rbi_parse_result r;
	size_t need;

	if (!(st->apps_left & RBI_DIS_TLS) || st->orig.len < st->tls_need)
		return false;
	r = rbi_tls_parse_client_hello(st->orig.buf, st->orig.len, h, &need);
	if (r == RBI_PARSE_NEED_MORE)
		st->tls_need = need;
	if (!rbi_dissected(st, RBI_DIS_TLS, r))
		return false;
	rbi_name_flow(&x->flow, RBI_APP_TLS, h->sni,
		      h->has_sni ? strlen(h->sni) : 0);
	x->flow.ech = h->ech || h->esni;
	return true;
}

/*
 * HTTP, then RTSP: request heads, which name the flow by their host. The
 * two share the scratch area, each read right after its own parse.
 */
static bool rbi_dissect_heads(struct rbi_ctx *x, struct rbi_flow_state *st)
{
	struct rbi_http_req *http = &x->scr->app.http;
	struct rbi_rtsp_req *rtsp = &x->scr->app.rtsp;
	const u8 *b = st->orig.buf;
	u32 len = st->orig.len;

	if ((st->apps_left & RBI_DIS_HTTP) &&
	    rbi_dissected(st, RBI_DIS_HTTP,
			  rbi_http_parse_request(b, len, http))) {
		rbi_name_flow(&x->flow, RBI_APP_HTTP, http->host.name,
			      http->has_host ? http->host.len : 0);
		return true;
	}
	if ((st->apps_left & RBI_DIS_RTSP) &&
	    rbi_dissected(st, RBI_DIS_RTSP,
			  rbi_rtsp_parse_request(b, len, rtsp))) {
		rbi_name_flow(&x->flow, RBI_APP_RTSP, rtsp->host.name,
			      rtsp->has_host ? rtsp->host.len : 0);
		return true;
	}
	return false;
}

/*
 * Runs the dissectors not yet ruled out on the client's stream. True when
 * the flow can be decided: one of them named it, or none is left.
 */
static bool rbi_dissect(struct rbi_ctx *x, struct rbi_flow_state *st)
{
	bool heads = !st->parsed || rbi_head_ready(st);

	st->parsed = true;
	if (rbi_dissect_tls(x, st))
		return true;
	if (heads && rbi_dissect_heads(x, st))
		return true;
	return !st->apps_left;
}

/*
 * A host that asks a camera for face analytics says so in its request:
 * the camera-analytics markers of what the client sent so far, head and
 * any body bytes that came with it, searched from where the last search
 * ended. True when they grew.
 */
static bool rbi_mark(struct rbi_ctx *x, struct rbi_flow_state *st)
{
	u32 before = st->markers;

	st->markers |= rbi_analytics_scan_more(st->orig.buf, st->orig.len,
					       st->marked);
	st->marked = st->orig.len;
	x->flow.markers = st->markers;
	return st->markers != before;
}

/*
 * A request not complete yet whose markers already block it is decided
 * now, so that the camera receives nothing from the segment that carries
 * them on. A ClientHello shows no markers.
 */
static bool rbi_marked_block(struct rbi_ctx *x, struct rbi_flow_state *st)
{
	if (st->apps_left & RBI_DIS_TLS || !rbi_mark(x, st))
		return false;
	rbi_classify(x->mc->cfg, &x->flow, &x->d);
	return x->d.verdict == RBI_BLOCK;
}

/* Concludes a flow being reassembled, with its markers, and forgets it. */
static void rbi_conclude_held(struct rbi_ctx *x, struct rbi_flow_state *st)
{
	if (x->flow.app != RBI_APP_TLS)
		rbi_mark(x, st);
	rbi_conclude(x);
	rbi_flows_del(&x->pn->flows, st);
}

/* A client segment of a flow being reassembled; flows lock held. */
static unsigned int rbi_tcp_client(struct rbi_ctx *x, struct rbi_flow_state *st)
{
	struct rbi_pernet *pn = x->pn;
	const struct rbi_pkt *p = x->p;

	switch (rbi_stream_add(&st->orig, &pn->flows.budget, p->skb, p->off,
			       p->len, p->seq, RBI_CLIENT_MAX)) {
	case RBI_SEG_GAP:
		/* Dropped, the client resends it after the missing bytes. */
		rbi_stat_add(pn, RBI_STAT_OOO_DROPS, 1);
		return NF_DROP;
	case RBI_SEG_OLD:
		rbi_stat_add(pn, RBI_STAT_RETRANS, 1);
		st->last = jiffies;
		return NF_ACCEPT;
	case RBI_SEG_NEW:
		st->last = jiffies;
		if (!rbi_dissect(x, st) && !rbi_marked_block(x, st))
			return NF_ACCEPT;
		break;
	case RBI_SEG_NOMEM:
		rbi_stat_add(pn, RBI_STAT_UNCLASSIFIED, 1);
		break;
	default:
		break;
	}
	rbi_conclude_held(x, st);
	return NF_ACCEPT;
}

/* DNS over TCP stays undecided: every answer on it is learned from. */
static unsigned int rbi_tcp_dns(struct rbi_ctx *x, struct rbi_flow_state *st)
{
	const struct rbi_pkt *p = x->p;

	if (p->dir != IP_CT_DIR_REPLY || !p->len)
		return NF_ACCEPT;
	st->last = jiffies;
	return rbi_dns_learn_tcp(x->pn, x->mc, x->scr, p, st);
}

static unsigned int rbi_tcp_locked(struct rbi_ctx *x, bool dns)
{
	struct rbi_flows *fl = &x->pn->flows;
	const struct rbi_pkt *p = x->p;
	struct rbi_flow_state *st;

	st = rbi_flows_find(fl, p->ct);
	if (!st) {
		st = rbi_flows_add(fl, p->ct);
		if (!st) {
			rbi_stat_add(x->pn, RBI_STAT_UNCLASSIFIED, 1);
			if (!dns)
				rbi_conclude(x);
			return NF_ACCEPT;
		}
		st->apps_left = RBI_DIS_ALL;
	}
	if (p->syn) {
		rbi_stream_sync(p->dir == IP_CT_DIR_ORIGINAL ?
				&st->orig : &st->reply, p->seq);
		if (!p->len)
			return NF_ACCEPT;
	}
	if (dns)
		return rbi_tcp_dns(x, st);
	if (p->dir == IP_CT_DIR_ORIGINAL && p->len)
		return rbi_tcp_client(x, st);
	/*
	 * The client closed without naming, or the server spoke before the
	 * client did: no dissector will see a name on this flow.
	 */
	if (p->len || (p->fin && p->dir == IP_CT_DIR_ORIGINAL))
		rbi_conclude_held(x, st);
	return NF_ACCEPT;
}

static unsigned int rbi_tcp(struct rbi_ctx *x, bool dns)
{
	struct rbi_flows *fl = &x->pn->flows;
	unsigned int verdict = NF_ACCEPT;

	spin_lock(&fl->lock);
	/* Another CPU may have decided the flow since the hook looked. */
	if (!test_bit(RBI_CT_LABEL_DECIDED, x->p->labels->bits))
		verdict = rbi_tcp_locked(x, dns);
	spin_unlock(&fl->lock);
	return verdict;
}

/* Datagrams other than DNS are decided on the first one. */
static unsigned int rbi_udp(struct rbi_ctx *x, bool dns)
{
	if (!dns)
		rbi_conclude(x);
	else if (x->p->dir == IP_CT_DIR_REPLY && x->p->len)
		rbi_dns_learn_udp(x->pn, x->mc, x->scr, x->p);
	return NF_ACCEPT;
}

/*
 * Acknowledgements and the server's SYN carry nothing a dissector reads:
 * only the client's SYN, FIN and data, and anything of DNS, count.
 */
static bool rbi_tcp_says_nothing(const struct rbi_pkt *p)
{
	return p->l4 == IPPROTO_TCP && !p->len &&
	       (p->dir == IP_CT_DIR_REPLY || (!p->syn && !p->fin));
}

static unsigned int rbi_classify_packet(struct rbi_ctx *x)
{
	bool dns = rbi_flow_is_dns(&x->flow);

	if (!dns && rbi_tcp_says_nothing(x->p))
		return NF_ACCEPT;
	if (dns)
		x->flow.app = RBI_APP_DNS;
	else if (x->flow.l4 == IPPROTO_UDP && x->flow.dport == RBI_PORT_HTTPS)
		x->flow.app = RBI_APP_QUIC;
	spin_lock(&x->pn->learn_lock);
	x->flow.learned = rbi_learn_lookup(x->mc->learned, &x->flow.dst,
					   ktime_get_seconds());
	spin_unlock(&x->pn->learn_lock);
	/* A DNS flow is only ever decided to block it: the rest learn. */
	if (rbi_addresses_conclusive(x) &&
	    (!dns || x->d.verdict == RBI_BLOCK)) {
		rbi_conclude(x);
		return NF_ACCEPT;
	}
	switch (x->p->l4) {
	case IPPROTO_TCP:
		return rbi_tcp(x, dns);
	case IPPROTO_UDP:
		return rbi_udp(x, dns);
	default:
		rbi_conclude(x);
		return NF_ACCEPT;
	}
}

unsigned int rbi_inspect(struct rbi_pernet *pn, const struct rbi_pkt *p)
{
	struct rbi_ctx x = { .pn = pn, .p = p };
	unsigned int verdict = NF_ACCEPT;
	u64 start;

	local_bh_disable();
	/* A clock read costs next to nothing here, whatever the clocksource. */
	start = local_clock();
	x.mc = rcu_dereference(pn->config);
	if (x.mc) {
		x.scr = rbi_scratch_get();
		rbi_flow_from_ct(p->ct, &x.flow);
		verdict = rbi_classify_packet(&x);
		if (x.event)
			rbi_event_flow(pn, x.mc, &x.flow, &x.d, p->hook);
	}
	rbi_stat_add(pn, RBI_STAT_PACKETS, 1);
	rbi_stat_add(pn, RBI_STAT_INSPECT_NS, local_clock() - start);
	local_bh_enable();
	return verdict;
}
