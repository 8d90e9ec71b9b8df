// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "rbi_analytics.h"
#include "rbi_dns.h"
#include "rbi_http.h"
#include "scan/quic.h"
#include "rbi_rtsp.h"
#include "scan/scan.h"
#include "rbi_tls.h"

/* Dissectors that may still name a direction's stream. */
enum rbi_scan_cand {
	RBI_CAND_TLS = 1 << 0,
	RBI_CAND_HTTP = 1 << 1,
	RBI_CAND_RTSP = 1 << 2,
	RBI_CAND_DNS = 1 << 3,
	RBI_CAND_QUIC = 1 << 4,
	RBI_CAND_TCP = RBI_CAND_TLS | RBI_CAND_HTTP | RBI_CAND_RTSP,
};

enum rbi_scan_dir_flag {
	RBI_DIR_BASE = 1 << 0,	/* base is known */
	RBI_DIR_SYN = 1 << 1,	/* base came from a SYN */
	RBI_DIR_FIN = 1 << 2,	/* a FIN or RST was sent */
	RBI_DIR_DATA = 1 << 3,	/* payload was read */
	RBI_DIR_WATCH = 1 << 4,	/* still read for markers */
};

enum {
	RBI_SCAN_PORT_DNS = 53,
	/* A mid-stream direction may start over at a later segment. */
	RBI_SCAN_RESYNC_MAX = 4,
	/* Datagrams a UDP flow gets to show a client hello in. */
	RBI_SCAN_QUIC_TRIES = 8,
	RBI_SIDE_NONE = 2,
	RBI_SEQ_BEFORE = 0x80000000u,
	RBI_SCAN_LEARN_SEED = 0x5eed,
	RBI_SCAN_SWEEP_US = 10000,
	RBI_SCAN_DNS_SEEN = 8,
	/* Further questions of a DNS flow reported whatever they name. */
	RBI_SCAN_DNS_REPORT = 16,
};

/* How long a flow to a camera waits for the camera's first bytes. */
#define RBI_SCAN_WATCH_US	(30ull * 1000000)

enum rbi_scan_flow_state {
	RBI_FLOW_OPEN,
	/*
	 * Named, but camera-analytics markers could still change what the
	 * policy does with it: both directions' first bytes are read on.
	 */
	RBI_FLOW_WATCHING,
	RBI_FLOW_DECIDED,
	__RBI_FLOW_STATE_MAX
};

struct rbi_scan_dir {
	uint32_t base;		/* TCP: sequence number of stream byte 0 */
	uint32_t need;		/* stream length worth dissecting again */
	uint32_t dns_off;	/* DNS over TCP: the next frame */
	uint8_t cand;		/* enum rbi_scan_cand */
	uint8_t flags;		/* enum rbi_scan_dir_flag */
	uint8_t resyncs;
	struct rbi_reasm *r;	/* NULL until a message spans segments */
};

/* The question names a DNS flow has reported, by hash. */
struct rbi_scan_dns {
	uint32_t seen[RBI_SCAN_DNS_SEEN];
	uint8_t n;		/* how many were reported; the last ones kept */
	uint8_t pending;	/* queries not answered yet */
};

/* What every packet reads comes first, in the flow's first cache line. */
struct rbi_scan_flow {
	uint8_t state;		/* enum rbi_scan_flow_state */
	uint8_t app;		/* what a dissector recognised */
	uint8_t init;		/* the initiator's side, or RBI_SIDE_NONE */
	uint8_t first;		/* the side of the first packet */
	uint8_t tries;		/* UDP datagrams that named nothing */
	bool init_syn;		/* init came from a SYN: the last word */
	bool ech;
	uint8_t named;		/* the side whose request named it */
	uint32_t markers;	/* camera-analytics markers, either side */
	uint16_t marked[2];	/* stream bytes of each side searched */
	struct rbi_scan_dir dir[2];
	union {
		struct rbi_quic_conn quic;
		struct rbi_scan_dns dns;
	};
};

struct rbi_scan {
	const struct rbi_policy *policy;
	rbi_scan_emit_fn emit;
	void *ctx;
	uint64_t now;
	uint64_t next_sweep;	/* capture time of the next idle sweep */
	struct rbi_flowtab *flows;	/* each with its rbi_scan_flow */
	struct rbi_reasm_pool pool;
	struct rbi_ipfrag *frags;
	struct rbi_learn *learn;
	struct rbi_quic *quic;
	struct rbi_scan_stats st;
	/* The dissectors' outputs: too big for the stack, one at a time. */
	struct rbi_tls_hello hello;
	struct rbi_http_req http;
	struct rbi_rtsp_req rtsp;
	struct rbi_dns_answer_set answers;
	char name[RBI_NAME_BUF];
};

static void rbi_scan_flow_end(void *ctx, uint32_t idx, enum rbi_flow_end why);

struct rbi_scan *rbi_scan_alloc(const struct rbi_policy *p,
				const struct rbi_scan_opts *o,
				rbi_scan_emit_fn emit, void *ctx)
{
	const uint64_t idle[__RBI_FLOW_IDLE_MAX] = {
		[RBI_FLOW_IDLE_TCP] = o->idle_tcp_us,
		[RBI_FLOW_IDLE_UDP] = o->idle_udp_us,
		[RBI_FLOW_IDLE_SHORT] = o->idle_dns_us,
	};
	struct rbi_scan *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->policy = p;
	s->emit = emit;
	s->ctx = ctx;
	rbi_reasm_pool_init(&s->pool, o->reasm_buffers);
	s->flows = rbi_flowtab_alloc(o->max_flows, sizeof(struct rbi_scan_flow),
				     idle, rbi_scan_flow_end, s);
	s->frags = rbi_ipfrag_alloc(RBI_IPFRAG_SLOTS);
	/*
	 * A fixed seed: the same capture gives the same report, and a capture
	 * crafted against it can at worst evict what it taught itself.
	 */
	s->learn = rbi_learn_alloc(o->learn_capacity, RBI_SCAN_LEARN_SEED);
	s->quic = rbi_quic_alloc();
	if (!s->flows || !s->frags || !s->learn || !s->quic) {
		rbi_scan_free(s);
		return NULL;
	}
	return s;
}

void rbi_scan_free(struct rbi_scan *s)
{
	if (!s)
		return;
	if (s->flows)
		rbi_flowtab_end_all(s->flows, RBI_FLOW_END_DONE);
	rbi_flowtab_free(s->flows);
	rbi_reasm_pool_destroy(&s->pool);
	rbi_ipfrag_free(s->frags);
	rbi_learn_free(s->learn);
	rbi_quic_free(s->quic);
	free(s);
}

static void rbi_scan_release(struct rbi_scan *s, struct rbi_scan_dir *d)
{
	rbi_reasm_put(&s->pool, d->r);
	d->r = NULL;
}

/* The endpoint on side (0: the key's a, 1: its b). */
static void rbi_scan_side(const struct rbi_flow_key *k, unsigned int side,
			  struct rbi_ip *ip, uint16_t *port)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = k->family;
	memcpy(ip->a, side ? k->b : k->a, sizeof(ip->a));
	*port = side ? k->bport : k->aport;
}

bool rbi_scan_matched(const struct rbi_decision *d)
{
	return d->service != RBI_NONE || d->doh != RBI_NONE ||
	       d->rule != RBI_RULE_NONE || d->log;
}

static void rbi_scan_count_decision(struct rbi_scan *s,
				    const struct rbi_decision *d)
{
	s->st.count[RBI_SC_FLOWS_REPORTED]++;
	if (d->verdict == RBI_BLOCK)
		s->st.count[RBI_SC_FLOWS_BLOCKED]++;
	else if (d->log)
		s->st.count[RBI_SC_FLOWS_LOGGED]++;
}

/* What the classifier is told of the flow, under name (NULL: none). */
static void rbi_scan_flow_of(const struct rbi_scan *s, uint32_t idx,
			     const struct rbi_scan_flow *f, const char *name,
			     struct rbi_flow *fl)
{
	const struct rbi_flow_key *k = rbi_flowtab_key(s->flows, idx);
	unsigned int init = f->init != RBI_SIDE_NONE ? f->init : f->first;

	memset(fl, 0, sizeof(*fl));
	rbi_scan_side(k, init, &fl->src, &fl->sport);
	rbi_scan_side(k, !init, &fl->dst, &fl->dport);
	fl->l4 = k->l4;
	fl->app = f->app;
	fl->ech = f->ech;
	fl->name = name;
	fl->name_len = name ? strlen(name) : 0;
	fl->learned = rbi_learn_lookup(s->learn, &fl->dst,
				       rbi_flowtab_first(s->flows, idx) /
				       1000000);
	/* A ClientHello is no request, whatever its bytes spell. */
	if (f->app != RBI_APP_TLS && f->app != RBI_APP_QUIC)
		fl->markers = f->markers;
}

/*
 * Classifies the flow under name (NULL: none) and reports it if the
 * policy or a marker matched it, or if it has a name and !need_match; ts
 * is the record's time. Returns whether it was reported.
 */
static bool rbi_scan_report(struct rbi_scan *s, uint32_t idx,
			    const struct rbi_scan_flow *f, const char *name,
			    uint64_t ts, bool need_match)
{
	struct rbi_scan_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.ts = ts;
	rbi_scan_flow_of(s, idx, f, name, &rec.flow);
	rbi_classify(s->policy->config, &rec.flow, &rec.d);
	if ((need_match || !rec.flow.name_len) && !rbi_scan_matched(&rec.d) &&
	    !rec.flow.markers)
		return false;
	if (rec.flow.markers)
		s->st.count[RBI_SC_FLOWS_MARKED]++;
	rbi_scan_count_decision(s, &rec.d);
	s->emit(s->ctx, &rec);
	return true;
}

/*
 * Decides the flow with what is known of it. Only DNS keeps reading
 * afterwards, since every answer may teach an address and every question
 * may name a service.
 */
static void rbi_scan_decide(struct rbi_scan *s, uint32_t idx,
			    struct rbi_scan_flow *f, const char *name)
{
	unsigned int i;

	f->state = RBI_FLOW_DECIDED;
	for (i = 0; i < 2; i++) {
		f->dir[i].cand &= RBI_CAND_DNS;
		f->dir[i].flags &= (uint8_t)~RBI_DIR_WATCH;
		if (!f->dir[i].cand)
			rbi_scan_release(s, &f->dir[i]);
	}
	if (name) {
		s->st.count[RBI_SC_FLOWS_NAMED]++;
		s->st.named[f->app]++;
	} else {
		s->st.count[RBI_SC_FLOWS_UNNAMED]++;
	}
	rbi_scan_report(s, idx, f, name, rbi_flowtab_first(s->flows, idx),
			false);
}

static void rbi_scan_claim(struct rbi_scan_flow *f, unsigned int client,
			   enum rbi_app app)
{
	if (!f->init_syn)
		f->init = (uint8_t)client;
	f->app = (uint8_t)app;
}

/* A dissector found the client's side: it names the flow. */
static void rbi_scan_named(struct rbi_scan *s, uint32_t idx,
			   struct rbi_scan_flow *f, unsigned int client,
			   enum rbi_app app, const char *name)
{
	rbi_scan_claim(f, client, app);
	rbi_scan_decide(s, idx, f, name[0] ? name : NULL);
}

/*
 * Whether camera-analytics markers not seen yet could change what the
 * policy does with the flow under name: block it, or record it.
 */
static bool rbi_scan_markers_matter(const struct rbi_scan *s, uint32_t idx,
				    const struct rbi_scan_flow *f,
				    const char *name)
{
	struct rbi_decision now, all;
	struct rbi_flow fl;

	rbi_scan_flow_of(s, idx, f, name, &fl);
	rbi_classify(s->policy->config, &fl, &now);
	fl.markers = RBI_MARKER_ALL;
	rbi_classify(s->policy->config, &fl, &all);
	return now.verdict != all.verdict || now.log != all.log;
}

static const char *rbi_scan_http_name(const struct rbi_scan *s)
{
	return s->http.has_host ? s->http.host.name : "";
}

static const char *rbi_scan_rtsp_name(const struct rbi_scan *s)
{
	return s->rtsp.has_host ? s->rtsp.host.name : "";
}

/* The name of a watched flow, read again from its client's request. */
static const char *rbi_scan_watched_name(struct rbi_scan *s,
					 const struct rbi_scan_flow *f)
{
	const struct rbi_reasm *r = f->dir[f->named].r;
	const char *name = "";

	if (f->app == RBI_APP_HTTP &&
	    rbi_http_parse_request(r->data, r->have, &s->http) ==
	    RBI_PARSE_OK)
		name = rbi_scan_http_name(s);
	else if (f->app == RBI_APP_RTSP &&
		 rbi_rtsp_parse_request(r->data, r->have, &s->rtsp) ==
		 RBI_PARSE_OK)
		name = rbi_scan_rtsp_name(s);
	return name[0] ? name : NULL;
}

static void rbi_scan_watch_end(struct rbi_scan *s, uint32_t idx,
			       struct rbi_scan_flow *f)
{
	rbi_scan_decide(s, idx, f, rbi_scan_watched_name(s, f));
}

/*
 * Ends the watch once the camera's first bytes are in: its direction is
 * full, finished or without a buffer, or the flow is older than the watch
 * lasts. False when it ended.
 */
static bool rbi_scan_watch_check(struct rbi_scan *s, uint32_t idx,
				 struct rbi_scan_flow *f)
{
	const struct rbi_scan_dir *answer = &f->dir[!f->named];

	if (answer->flags & RBI_DIR_WATCH && !(answer->flags & RBI_DIR_FIN) &&
	    s->now - rbi_flowtab_first(s->flows, idx) <= RBI_SCAN_WATCH_US)
		return true;
	rbi_scan_watch_end(s, idx, f);
	return false;
}

/*
 * A direction's first bytes can still be read for markers: it has not
 * finished, and it holds every byte it sent so far.
 */
static bool rbi_scan_watchable(const struct rbi_scan_dir *d)
{
	return !(d->flags & RBI_DIR_FIN) &&
	       (d->r ? d->r->have < RBI_REASM_CAP : !(d->flags & RBI_DIR_DATA));
}

/*
 * A request named the flow, to a camera whose answer may still carry
 * markers that change what the policy does with it: both directions'
 * first bytes are read on. The client's are kept, so that its request
 * names the flow again at the end. False when it is to be decided now.
 */
static bool rbi_scan_watch(struct rbi_scan *s, uint32_t idx,
			   struct rbi_scan_flow *f, unsigned int client,
			   const char *name, const uint8_t *buf, size_t len)
{
	struct rbi_scan_dir *d;
	unsigned int i;

	if (!rbi_scan_watchable(&f->dir[!client]) ||
	    !rbi_scan_markers_matter(s, idx, f, name))
		return false;
	d = &f->dir[client];
	if (!d->r) {
		d->r = rbi_reasm_get(&s->pool);
		if (!d->r) {
			s->st.count[RBI_SC_REASM_NO_BUFFER]++;
			return false;
		}
		rbi_reasm_add(d->r, 0, buf, len);
	}
	f->state = RBI_FLOW_WATCHING;
	f->named = (uint8_t)client;
	for (i = 0; i < 2; i++) {
		d = &f->dir[i];
		d->cand = 0;
		if (rbi_scan_watchable(d))
			d->flags |= RBI_DIR_WATCH;
		d->need = d->r ? d->r->have + 1 : 0;
	}
	s->st.count[RBI_SC_FLOWS_WATCHED]++;
	return true;
}

/* An HTTP or RTSP request names the flow, now or once watched. */
static void rbi_scan_named_request(struct rbi_scan *s, uint32_t idx,
				   struct rbi_scan_flow *f,
				   unsigned int client, enum rbi_app app,
				   const char *name, const uint8_t *buf,
				   size_t len)
{
	rbi_scan_claim(f, client, app);
	if (!rbi_scan_watch(s, idx, f, client, name[0] ? name : NULL, buf,
			    len))
		rbi_scan_decide(s, idx, f, name[0] ? name : NULL);
}

/*
 * Searches a direction's stream, up to len, for markers from where the
 * last search ended; a ClientHello's bytes are no request and are left
 * alone. True when the flow's markers grew.
 */
static bool rbi_scan_mark(struct rbi_scan_flow *f, unsigned int side,
			  const uint8_t *buf, size_t len)
{
	uint32_t before = f->markers;

	if (f->state == RBI_FLOW_DECIDED || f->dir[side].cand & RBI_CAND_TLS)
		return false;
	f->markers |= rbi_analytics_scan_more(buf, len, f->marked[side]);
	f->marked[side] = (uint16_t)RBI_MIN(len, (size_t)UINT16_MAX);
	return f->markers != before;
}

/*
 * A watched direction's stream grew to len: true while its bytes are
 * still wanted. The watch ends as soon as no marker can change the
 * decision any more.
 */
static bool rbi_scan_watch_more(struct rbi_scan *s, uint32_t idx,
				struct rbi_scan_flow *f, unsigned int side,
				size_t len, bool grew)
{
	struct rbi_scan_dir *d = &f->dir[side];

	if (len >= RBI_REASM_CAP)
		d->flags &= (uint8_t)~RBI_DIR_WATCH;
	d->need = (uint32_t)RBI_MIN(len + 1, (size_t)RBI_REASM_CAP);
	if (grew && !rbi_scan_markers_matter(s, idx, f, NULL)) {
		rbi_scan_watch_end(s, idx, f);
		return false;
	}
	return rbi_scan_watch_check(s, idx, f) && d->flags & RBI_DIR_WATCH;
}

static void rbi_scan_flow_end(void *ctx, uint32_t idx, enum rbi_flow_end why)
{
	struct rbi_scan *s = ctx;
	struct rbi_scan_flow *f = rbi_flowtab_user(s->flows, idx);

	if (f->state == RBI_FLOW_WATCHING) {
		rbi_scan_watch_end(s, idx, f);
	} else if (f->state != RBI_FLOW_DECIDED) {
		if (why == RBI_FLOW_END_EVICTED &&
		    (f->dir[0].cand | f->dir[1].cand))
			s->st.count[RBI_SC_EVICTED_UNDECIDED]++;
		if (f->app == RBI_APP_QUIC)
			s->st.count[RBI_SC_QUIC_GAVE_UP]++;
		rbi_scan_decide(s, idx, f, NULL);
	}
	rbi_scan_release(s, &f->dir[0]);
	rbi_scan_release(s, &f->dir[1]);
}

static void rbi_scan_flow_init(struct rbi_scan_flow *f,
			       const struct rbi_flow_key *k, unsigned int side)
{
	bool dns = k->aport == RBI_SCAN_PORT_DNS ||
		   k->bport == RBI_SCAN_PORT_DNS;
	uint8_t cand;

	memset(f, 0, sizeof(*f));
	f->init = RBI_SIDE_NONE;
	f->first = (uint8_t)side;
	if (k->l4 == RBI_PROTO_TCP)
		cand = RBI_CAND_TCP | (dns ? RBI_CAND_DNS : 0);
	else
		cand = dns ? RBI_CAND_DNS : RBI_CAND_QUIC;
	f->dir[0].cand = cand;
	f->dir[1].cand = cand;
}

/* Learns from a response: service addresses, for flows that follow. */
static void rbi_scan_learn(struct rbi_scan *s, const struct rbi_dns_msg *m)
{
	/* A broken record still leaves what came before it usable. */
	rbi_dns_collect(m, &s->answers);
	s->st.count[RBI_SC_DNS_LEARNED] +=
		rbi_learn_answer(s->learn, s->policy->config, &s->answers,
				 s->now / 1000000);
}

/* FNV-1a: enough to tell a flow's few question names apart. */
static uint32_t rbi_scan_name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	while (*name)
		h = (h ^ (uint8_t)*name++) * 16777619u;
	return h;
}

/* Whether the flow reported name already; remembers it if not. */
static bool rbi_scan_dns_seen(struct rbi_scan_flow *f, const char *name)
{
	uint32_t h = rbi_scan_name_hash(name);
	unsigned int i, n = RBI_MIN(f->dns.n, (uint8_t)RBI_SCAN_DNS_SEEN);

	for (i = 0; i < n; i++)
		if (f->dns.seen[i] == h)
			return true;
	f->dns.seen[f->dns.n % RBI_SCAN_DNS_SEEN] = h;
	if (f->dns.n < UINT8_MAX)
		f->dns.n++;
	return false;
}

/*
 * One DNS message sent by side: learn from it, and name the flow by its
 * question. A socket that asks several questions (a stub resolver walking
 * its search list, say) reports each new one as well, at the time it was
 * asked: the one that names a service may well not be the first.
 */
static void rbi_scan_dns_question(struct rbi_scan *s, uint32_t idx,
				  struct rbi_scan_flow *f, unsigned int side,
				  const struct rbi_dns_msg *m)
{
	uint16_t qtype, qclass;

	if (rbi_dns_question(m, s->name, &qtype, &qclass) != RBI_PARSE_OK) {
		s->st.count[RBI_SC_DNS_MALFORMED]++;
		return;
	}
	if (!s->name[0] || rbi_scan_dns_seen(f, s->name))
		return;
	if (f->state == RBI_FLOW_OPEN) {
		/* The question names it even when only the answer was seen. */
		rbi_scan_named(s, idx, f, rbi_dns_is_response(m) ? !side : side,
			       RBI_APP_DNS, s->name);
		return;
	}
	/*
	 * A tunnel over DNS asks a new name in every query: past the first
	 * few, only the questions the policy matches are worth a record.
	 */
	if (rbi_scan_report(s, idx, f, s->name, s->now,
			    f->dns.n > RBI_SCAN_DNS_REPORT))
		s->st.count[RBI_SC_DNS_MORE_NAMES]++;
	else
		s->st.count[RBI_SC_DNS_UNREPORTED]++;
}

/*
 * One DNS message sent by side. True once it leaves no query of the flow
 * unanswered.
 */
static bool rbi_scan_dns_msg(struct rbi_scan *s, uint32_t idx,
			     struct rbi_scan_flow *f, unsigned int side,
			     const uint8_t *msg, size_t len)
{
	struct rbi_dns_msg m;

	s->st.count[RBI_SC_DNS_MESSAGES]++;
	if (rbi_dns_parse(msg, len, &m) != RBI_PARSE_OK) {
		s->st.count[RBI_SC_DNS_MALFORMED]++;
		return !f->dns.pending;
	}
	f->app = RBI_APP_DNS;
	if (rbi_dns_is_response(&m)) {
		rbi_scan_learn(s, &m);
		if (f->dns.pending)
			f->dns.pending--;
	} else if (f->dns.pending < UINT8_MAX) {
		f->dns.pending++;
	}
	rbi_scan_dns_question(s, idx, f, side, &m);
	return !f->dns.pending;
}

/* DNS over TCP: every whole frame from where the last one ended. */
static bool rbi_scan_dns_tcp(struct rbi_scan *s, uint32_t idx,
			     struct rbi_scan_flow *f, unsigned int side,
			     const uint8_t *buf, size_t len)
{
	struct rbi_scan_dir *d = &f->dir[side];
	size_t off = d->dns_off, mlen;
	enum rbi_parse_result r;
	const uint8_t *msg;

	for (;;) {
		r = rbi_dns_tcp_next(buf, len, &off, &msg, &mlen);
		d->dns_off = (uint32_t)off;
		if (r == RBI_PARSE_NEED_MORE)
			return true;
		if (r != RBI_PARSE_OK) {
			s->st.count[RBI_SC_DNS_MALFORMED]++;
			d->cand &= ~RBI_CAND_DNS;
			return false;
		}
		rbi_scan_dns_msg(s, idx, f, side, msg, mlen);
	}
}

/*
 * What a dissector's result means for its candidate bit: NEED_MORE keeps
 * it; anything else drops it, and a MALFORMED or TOO_BIG stream is still
 * that application's, unnamed.
 */
static bool rbi_scan_result(struct rbi_scan *s, struct rbi_scan_flow *f,
			    unsigned int side, enum rbi_parse_result r,
			    uint8_t cand, enum rbi_app app,
			    enum rbi_scan_count malformed)
{
	if (r == RBI_PARSE_NEED_MORE)
		return true;
	f->dir[side].cand &= (uint8_t)~cand;
	if (r == RBI_PARSE_MALFORMED || r == RBI_PARSE_TOO_BIG) {
		s->st.count[malformed + (r == RBI_PARSE_TOO_BIG)]++;
		if (f->app == RBI_APP_NONE)
			f->app = (uint8_t)app;
	}
	return false;
}

static bool rbi_scan_tls(struct rbi_scan *s, uint32_t idx,
			 struct rbi_scan_flow *f, unsigned int side,
			 const uint8_t *buf, size_t len, size_t *need)
{
	size_t hint = 0;
	enum rbi_parse_result r;

	r = rbi_tls_parse_client_hello(buf, len, &s->hello, &hint);
	if (r == RBI_PARSE_OK) {
		f->ech = s->hello.ech || s->hello.esni;
		rbi_scan_named(s, idx, f, side, RBI_APP_TLS,
			       s->hello.has_sni ? s->hello.sni : "");
		return false;
	}
	if (r == RBI_PARSE_NEED_MORE && hint > *need)
		*need = hint;
	return rbi_scan_result(s, f, side, r, RBI_CAND_TLS, RBI_APP_TLS,
			       RBI_SC_TLS_MALFORMED);
}

static bool rbi_scan_http(struct rbi_scan *s, uint32_t idx,
			  struct rbi_scan_flow *f, unsigned int side,
			  const uint8_t *buf, size_t len)
{
	enum rbi_parse_result r = rbi_http_parse_request(buf, len, &s->http);

	if (r == RBI_PARSE_OK) {
		rbi_scan_named_request(s, idx, f, side, RBI_APP_HTTP,
				       rbi_scan_http_name(s), buf, len);
		return false;
	}
	return rbi_scan_result(s, f, side, r, RBI_CAND_HTTP, RBI_APP_HTTP,
			       RBI_SC_HTTP_MALFORMED);
}

static bool rbi_scan_rtsp(struct rbi_scan *s, uint32_t idx,
			  struct rbi_scan_flow *f, unsigned int side,
			  const uint8_t *buf, size_t len)
{
	enum rbi_parse_result r = rbi_rtsp_parse_request(buf, len, &s->rtsp);

	if (r == RBI_PARSE_OK) {
		rbi_scan_named_request(s, idx, f, side, RBI_APP_RTSP,
				       rbi_scan_rtsp_name(s), buf, len);
		return false;
	}
	return rbi_scan_result(s, f, side, r, RBI_CAND_RTSP, RBI_APP_RTSP,
			       RBI_SC_RTSP_MALFORMED);
}

/*
 * A direction no dissector can name any more. A stream picked up in the
 * middle may start over at a later segment (the next request of a
 * keep-alive connection); otherwise, once neither side can be named, the
 * flow is decided unnamed.
 */
static void rbi_scan_dir_done(struct rbi_scan *s, uint32_t idx,
			      struct rbi_scan_flow *f, unsigned int side)
{
	struct rbi_scan_dir *d = &f->dir[side];
	const struct rbi_flow_key *k;

	if (f->state == RBI_FLOW_WATCHING) {
		d->flags &= (uint8_t)~RBI_DIR_WATCH;
		rbi_scan_watch_check(s, idx, f);
		return;
	}
	rbi_scan_release(s, d);
	if (f->state == RBI_FLOW_DECIDED)
		return;
	if ((d->flags & (RBI_DIR_BASE | RBI_DIR_SYN)) == RBI_DIR_BASE &&
	    d->resyncs < RBI_SCAN_RESYNC_MAX) {
		k = rbi_flowtab_key(s->flows, idx);
		d->resyncs++;
		d->flags &= (uint8_t)~RBI_DIR_BASE;
		d->cand = RBI_CAND_TCP;
		if (k->aport == RBI_SCAN_PORT_DNS ||
		    k->bport == RBI_SCAN_PORT_DNS)
			d->cand |= RBI_CAND_DNS;
		d->dns_off = 0;
		d->need = 0;
		f->marked[side] = 0;
		s->st.count[RBI_SC_RESYNC]++;
		return;
	}
	if (!f->dir[!side].cand)
		rbi_scan_decide(s, idx, f, NULL);
}

/*
 * Runs the direction's candidates over its stream prefix, and looks for
 * markers in it. True when one of them, or the watch, needs more bytes;
 * d->need says how many are worth waiting for.
 */
static bool rbi_scan_dissect(struct rbi_scan *s, uint32_t idx,
			     struct rbi_scan_flow *f, unsigned int side,
			     const uint8_t *buf, size_t len)
{
	struct rbi_scan_dir *d = &f->dir[side];
	size_t need = len + 1;
	bool more = false, grew;

	if (d->cand & RBI_CAND_TLS)
		more |= rbi_scan_tls(s, idx, f, side, buf, len, &need);
	grew = rbi_scan_mark(f, side, buf, len);
	if (f->state == RBI_FLOW_OPEN && d->cand & RBI_CAND_HTTP)
		more |= rbi_scan_http(s, idx, f, side, buf, len);
	if (f->state == RBI_FLOW_OPEN && d->cand & RBI_CAND_RTSP)
		more |= rbi_scan_rtsp(s, idx, f, side, buf, len);
	if (d->cand & RBI_CAND_DNS)
		more |= rbi_scan_dns_tcp(s, idx, f, side, buf, len);
	if (f->state == RBI_FLOW_WATCHING)
		return rbi_scan_watch_more(s, idx, f, side, len, grew);
	/* A full buffer that still is not enough never will be. */
	if (more && len >= RBI_REASM_CAP) {
		more = false;
		d->cand = 0;
	}
	if (!d->cand) {
		rbi_scan_dir_done(s, idx, f, side);
		return false;
	}
	d->need = (uint32_t)RBI_MIN(need, (size_t)RBI_REASM_CAP);
	return more;
}

static bool rbi_scan_buffer(struct rbi_scan *s, uint32_t idx,
			    struct rbi_scan_flow *f, unsigned int side)
{
	struct rbi_scan_dir *d = &f->dir[side];

	if (d->r)
		return true;
	d->r = rbi_reasm_get(&s->pool);
	if (d->r)
		return true;
	s->st.count[RBI_SC_REASM_NO_BUFFER]++;
	d->cand = 0;
	rbi_scan_dir_done(s, idx, f, side);
	return false;
}

static void rbi_scan_count_reasm(struct rbi_scan *s, enum rbi_reasm_result r)
{
	static const uint8_t counter[__RBI_REASM_MAX] = {
		[RBI_REASM_GREW] = __RBI_SC_MAX,
		[RBI_REASM_HELD] = RBI_SC_SEG_HELD,
		[RBI_REASM_OLD] = RBI_SC_SEG_OLD,
		[RBI_REASM_FULL] = RBI_SC_SEG_HOLES_FULL,
		[RBI_REASM_BEYOND] = RBI_SC_SEG_BEYOND,
	};

	if (counter[r] < __RBI_SC_MAX)
		s->st.count[counter[r]]++;
}

/*
 * Stream bytes [off, off + len) of side. The first segment is dissected
 * where it lies; only a message that goes on past it is copied.
 */
static void rbi_scan_stream(struct rbi_scan *s, uint32_t idx,
			    struct rbi_scan_flow *f, unsigned int side,
			    uint32_t off, const uint8_t *data, size_t len)
{
	struct rbi_scan_dir *d = &f->dir[side];
	enum rbi_reasm_result r;

	if (!d->r && !off) {
		if (rbi_scan_dissect(s, idx, f, side, data, len) &&
		    rbi_scan_buffer(s, idx, f, side))
			rbi_reasm_add(d->r, 0, data, len);
		return;
	}
	if (!rbi_scan_buffer(s, idx, f, side))
		return;
	r = rbi_reasm_add(d->r, off, data, len);
	rbi_scan_count_reasm(s, r);
	if (r == RBI_REASM_GREW && d->r->have >= d->need)
		rbi_scan_dissect(s, idx, f, side, d->r->data, d->r->have);
}

/* A SYN that opens a new connection on the endpoints of a finished one. */
static bool rbi_scan_reused(const struct rbi_scan_flow *f, unsigned int side,
			    const struct rbi_frame *pkt)
{
	const struct rbi_scan_dir *d = &f->dir[side];

	if ((pkt->tcp_flags & (RBI_TCP_SYN | RBI_TCP_ACK)) != RBI_TCP_SYN)
		return false;
	if ((f->dir[0].flags | f->dir[1].flags) & RBI_DIR_FIN)
		return true;
	if (!(d->flags & RBI_DIR_BASE))
		return false;
	/* The same SYN again is a retransmission, not a new connection. */
	return !(d->flags & RBI_DIR_SYN) || d->base != pkt->seq + 1;
}

static void rbi_scan_syn(struct rbi_scan_flow *f, unsigned int side,
			 const struct rbi_frame *pkt)
{
	struct rbi_scan_dir *d = &f->dir[side];

	/* A SYN-ACK sent again with another ISN counts until data flows. */
	if (!(d->flags & RBI_DIR_DATA)) {
		d->base = pkt->seq + 1;
		d->flags |= RBI_DIR_BASE | RBI_DIR_SYN;
	}
	if (!f->init_syn) {
		f->init = (uint8_t)(pkt->tcp_flags & RBI_TCP_ACK ? !side : side);
		f->init_syn = true;
	}
}

static void rbi_scan_payload(struct rbi_scan *s, uint32_t idx,
			     struct rbi_scan_flow *f, unsigned int side,
			     const struct rbi_frame *pkt)
{
	struct rbi_scan_dir *d = &f->dir[side];
	uint32_t off;

	if (!(d->flags & RBI_DIR_BASE)) {
		d->base = pkt->seq;
		d->flags |= RBI_DIR_BASE;
	}
	off = pkt->seq - d->base;
	if (off >= RBI_SEQ_BEFORE) {
		s->st.count[RBI_SC_SEG_BEFORE_START]++;
		return;
	}
	d->flags |= RBI_DIR_DATA;
	rbi_scan_stream(s, idx, f, side, off, pkt->data, pkt->len);
}

/* A FIN both ways or a RST ends the connection, and with it the flow. */
static bool rbi_scan_closed(const struct rbi_scan_flow *f,
			    const struct rbi_frame *pkt)
{
	return pkt->tcp_flags & RBI_TCP_RST ||
	       f->dir[0].flags & f->dir[1].flags & RBI_DIR_FIN;
}

static void rbi_scan_tcp(struct rbi_scan *s, uint32_t idx,
			 struct rbi_scan_flow *f, unsigned int side,
			 const struct rbi_frame *pkt)
{
	struct rbi_scan_dir *d = &f->dir[side];

	if (pkt->tcp_flags & RBI_TCP_SYN)
		rbi_scan_syn(f, side, pkt);
	if (pkt->tcp_flags & (RBI_TCP_FIN | RBI_TCP_RST))
		d->flags |= RBI_DIR_FIN;
	if (pkt->len && (d->cand || d->flags & RBI_DIR_WATCH))
		rbi_scan_payload(s, idx, f, side, pkt);
	if (f->state == RBI_FLOW_WATCHING)
		rbi_scan_watch_check(s, idx, f);
	if (rbi_scan_closed(f, pkt))
		rbi_flowtab_end(s->flows, idx, RBI_FLOW_END_CLOSED);
}

static void rbi_scan_quic_gave_up(struct rbi_scan *s, uint32_t idx,
				  struct rbi_scan_flow *f)
{
	if (f->app == RBI_APP_QUIC)
		s->st.count[RBI_SC_QUIC_GAVE_UP]++;
	f->dir[0].cand = 0;
	f->dir[1].cand = 0;
	rbi_scan_decide(s, idx, f, NULL);
}

/* The client's hello so far, from its CRYPTO stream. */
static void rbi_scan_quic_hello(struct rbi_scan *s, uint32_t idx,
				struct rbi_scan_flow *f, unsigned int side)
{
	const struct rbi_reasm *r = f->dir[side].r;
	enum rbi_parse_result res;

	res = rbi_tls_parse_handshake(r->data, r->have, &s->hello);
	if (res == RBI_PARSE_NEED_MORE && r->have < RBI_REASM_CAP)
		return;
	if (res != RBI_PARSE_OK) {
		s->st.count[RBI_SC_QUIC_MALFORMED]++;
		rbi_scan_quic_gave_up(s, idx, f);
		return;
	}
	f->ech = s->hello.ech || s->hello.esni;
	rbi_scan_named(s, idx, f, side, RBI_APP_QUIC,
		       s->hello.has_sni ? s->hello.sni : "");
}

static void rbi_scan_quic(struct rbi_scan *s, uint32_t idx,
			  struct rbi_scan_flow *f, unsigned int side,
			  const uint8_t *data, size_t len)
{
	struct rbi_scan_dir *d = &f->dir[side];
	enum rbi_quic_result r = RBI_QUIC_NOT_MINE;

	if (rbi_quic_maybe(data, len) && rbi_scan_buffer(s, idx, f, side))
		r = rbi_quic_datagram(s->quic, data, len, &f->quic, d->r,
				      s->name);
	if (r != RBI_QUIC_NOT_MINE)
		f->app = RBI_APP_QUIC;
	switch (r) {
	case RBI_QUIC_CHLO:
		rbi_scan_named(s, idx, f, side, RBI_APP_QUIC, s->name);
		return;
	case RBI_QUIC_CRYPTO:
		s->st.count[RBI_SC_QUIC_INITIALS]++;
		rbi_scan_quic_hello(s, idx, f, side);
		return;
	case RBI_QUIC_MALFORMED:
		s->st.count[RBI_SC_QUIC_MALFORMED]++;
		break;
	default:
		break;
	}
	/* A buffer that got nothing goes back until a client Initial does. */
	if (d->r && !d->r->have && !d->r->runs)
		rbi_scan_release(s, d);
	if (f->state == RBI_FLOW_OPEN && ++f->tries >= RBI_SCAN_QUIC_TRIES)
		rbi_scan_quic_gave_up(s, idx, f);
}

static void rbi_scan_udp(struct rbi_scan *s, uint32_t idx,
			 struct rbi_scan_flow *f, unsigned int side,
			 const struct rbi_frame *pkt)
{
	s->st.count[RBI_SC_UDP_DATAGRAMS]++;
	/*
	 * A DNS flow whose every query has its answer is as good as over:
	 * clients send each lookup from a fresh port (RFC 5452), and reuse
	 * one only for the lookups that follow at once (A, then AAAA).
	 * Keeping it for the full UDP timeout would only fill the table.
	 */
	if (f->dir[side].cand & RBI_CAND_DNS)
		rbi_flowtab_set_idle(s->flows, idx,
				     rbi_scan_dns_msg(s, idx, f, side,
						      pkt->data, pkt->len) ?
				     RBI_FLOW_IDLE_SHORT : RBI_FLOW_IDLE_UDP);
	else if (f->dir[side].cand & RBI_CAND_QUIC)
		rbi_scan_quic(s, idx, f, side, pkt->data, pkt->len);
}

static void rbi_scan_l4(struct rbi_scan *s, const struct rbi_frame *pkt)
{
	struct rbi_scan_flow *f;
	struct rbi_flow_key k;
	bool created, create, tcp;
	unsigned int side;
	uint32_t idx;

	rbi_flow_key_make(&k, &pkt->src, pkt->sport, &pkt->dst, pkt->dport,
			  pkt->l4, &side);
	/*
	 * A TCP segment with neither payload nor SYN tells nothing about a
	 * flow not seen before: the last ACK of a closed one, say.
	 */
	tcp = pkt->l4 == RBI_PROTO_TCP;
	create = !tcp || pkt->len || pkt->tcp_flags & RBI_TCP_SYN;
	idx = rbi_flowtab_get(s->flows, &k, s->now, create, &created);
	if (tcp)
		s->st.count[idx == RBI_FLOWTAB_NONE ? RBI_SC_TCP_NO_FLOW :
			    RBI_SC_TCP_SEGMENTS]++;
	if (idx == RBI_FLOWTAB_NONE)
		return;
	f = rbi_flowtab_user(s->flows, idx);
	if (!created && tcp && rbi_scan_reused(f, side, pkt)) {
		s->st.count[RBI_SC_FLOWS_REUSED]++;
		rbi_flowtab_end(s->flows, idx, RBI_FLOW_END_REUSED);
		idx = rbi_flowtab_get(s->flows, &k, s->now, true, &created);
		f = rbi_flowtab_user(s->flows, idx);
	}
	if (created)
		rbi_scan_flow_init(f, &k, side);
	if (pkt->l4 == RBI_PROTO_TCP)
		rbi_scan_tcp(s, idx, f, side, pkt);
	else
		rbi_scan_udp(s, idx, f, side, pkt);
}

void rbi_scan_packet(struct rbi_scan *s, enum rbi_link link, uint64_t ts,
		     const uint8_t *frame, size_t caplen, size_t wirelen)
{
	enum rbi_frame_result r;
	struct rbi_frame pkt;

	s->now = ts;
	s->st.count[RBI_SC_PACKETS]++;
	s->st.count[RBI_SC_BYTES] += wirelen;
	if (caplen < wirelen)
		s->st.count[RBI_SC_CAPTURE_CUT]++;
	/*
	 * Idle flows also end when their next packet finds them: sweeping
	 * for the others every few milliseconds of capture time is enough.
	 */
	if (ts >= s->next_sweep || ts + RBI_SCAN_SWEEP_US < s->next_sweep) {
		rbi_flowtab_expire(s->flows, ts);
		s->next_sweep = ts + RBI_SCAN_SWEEP_US;
	}
	r = rbi_frame_decode(link, frame, caplen, s->frags, ts, &pkt);
	s->st.decode[r]++;
	if (r == RBI_FRAME_OK)
		rbi_scan_l4(s, &pkt);
}

void rbi_scan_tick(struct rbi_scan *s, uint64_t ts)
{
	s->now = ts;
	rbi_flowtab_expire(s->flows, ts);
}

void rbi_scan_end(struct rbi_scan *s)
{
	rbi_flowtab_end_all(s->flows, RBI_FLOW_END_DONE);
	rbi_ipfrag_flush(s->frags);
}

const struct rbi_scan_stats *rbi_scan_stats(const struct rbi_scan *s)
{
	return &s->st;
}

const struct rbi_flowtab_stats *rbi_scan_flow_stats(const struct rbi_scan *s)
{
	return rbi_flowtab_stats(s->flows);
}

const struct rbi_reasm_stats *rbi_scan_reasm_stats(const struct rbi_scan *s)
{
	return &s->pool.st;
}

const struct rbi_ipfrag_stats *rbi_scan_frag_stats(const struct rbi_scan *s)
{
	return rbi_ipfrag_stats(s->frags);
}

void rbi_scan_learn_stats(const struct rbi_scan *s,
			  struct rbi_learn_stats *st)
{
	rbi_learn_get_stats(s->learn, s->now / 1000000, st);
}

size_t rbi_scan_mem_bound(const struct rbi_scan *s)
{
	return sizeof(*s) + rbi_flowtab_mem(s->flows) +
	       (size_t)s->pool.st.max * sizeof(struct rbi_reasm) +
	       rbi_ipfrag_mem_bound(s->frags) + rbi_learn_mem(s->learn) +
	       rbi_quic_mem();
}

const char *rbi_scan_count_name(enum rbi_scan_count c)
{
	static const char *const names[__RBI_SC_MAX] = {
		[RBI_SC_PACKETS] = "packets",
		[RBI_SC_BYTES] = "bytes",
		[RBI_SC_CAPTURE_CUT] = "records_cut_by_snaplen",
		[RBI_SC_TCP_SEGMENTS] = "tcp_segments",
		[RBI_SC_TCP_NO_FLOW] = "tcp_bare_segments_of_no_flow",
		[RBI_SC_UDP_DATAGRAMS] = "udp_datagrams",
		[RBI_SC_SEG_BEFORE_START] = "segments_before_stream_start",
		[RBI_SC_SEG_OLD] = "segments_retransmitted",
		[RBI_SC_SEG_HELD] = "segments_out_of_order",
		[RBI_SC_SEG_HOLES_FULL] = "segments_dropped_too_many_holes",
		[RBI_SC_SEG_BEYOND] = "segments_beyond_reassembly_cap",
		[RBI_SC_REASM_NO_BUFFER] = "streams_dropped_no_buffer",
		[RBI_SC_RESYNC] = "midstream_resyncs",
		[RBI_SC_FLOWS_REUSED] = "flows_reused",
		[RBI_SC_FLOWS_NAMED] = "flows_named",
		[RBI_SC_FLOWS_UNNAMED] = "flows_unnamed",
		[RBI_SC_FLOWS_REPORTED] = "flows_reported",
		[RBI_SC_FLOWS_BLOCKED] = "flows_blocked",
		[RBI_SC_FLOWS_LOGGED] = "flows_logged",
		[RBI_SC_EVICTED_UNDECIDED] = "flows_evicted_undecided",
		[RBI_SC_TLS_MALFORMED] = "tls_malformed",
		[RBI_SC_TLS_TOO_BIG] = "tls_too_big",
		[RBI_SC_HTTP_MALFORMED] = "http_malformed",
		[RBI_SC_HTTP_TOO_BIG] = "http_too_big",
		[RBI_SC_RTSP_MALFORMED] = "rtsp_malformed",
		[RBI_SC_RTSP_TOO_BIG] = "rtsp_too_big",
		[RBI_SC_DNS_MESSAGES] = "dns_messages",
		[RBI_SC_DNS_MALFORMED] = "dns_malformed",
		[RBI_SC_DNS_LEARNED] = "dns_addresses_learned",
		[RBI_SC_DNS_MORE_NAMES] = "dns_further_questions_reported",
		[RBI_SC_DNS_UNREPORTED] = "dns_further_questions_not_reported",
		[RBI_SC_QUIC_INITIALS] = "quic_client_initials",
		[RBI_SC_QUIC_MALFORMED] = "quic_malformed",
		[RBI_SC_QUIC_GAVE_UP] = "quic_hello_incomplete",
		[RBI_SC_FLOWS_WATCHED] = "flows_watched_for_markers",
		[RBI_SC_FLOWS_MARKED] = "flows_reported_with_markers",
	};

	return (unsigned int)c < __RBI_SC_MAX ? names[c] : "?";
}
