// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "scan/internal.h"

enum {
	RBI_SCAN_LEARN_SEED = 0x5eed,
	RBI_SCAN_SWEEP_US = 10000,
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

void rbi_scan_release(struct rbi_scan *s, struct rbi_scan_dir *d)
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
void rbi_scan_flow_of(const struct rbi_scan *s, uint32_t idx,
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
bool rbi_scan_report(struct rbi_scan *s, uint32_t idx,
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
void rbi_scan_decide(struct rbi_scan *s, uint32_t idx,
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
		s->st.unnamed[f->why]++;
	}
	rbi_scan_report(s, idx, f, name, rbi_flowtab_first(s->flows, idx),
			false);
}

void rbi_scan_claim(struct rbi_scan_flow *f, unsigned int client,
		    enum rbi_app app)
{
	if (!f->init_syn)
		f->init = (uint8_t)client;
	f->app = (uint8_t)app;
}

/* A dissector found the client's side: it names the flow. */
void rbi_scan_named(struct rbi_scan *s, uint32_t idx,
		    struct rbi_scan_flow *f, unsigned int client,
		    enum rbi_app app, const char *name)
{
	rbi_scan_claim(f, client, app);
	if (!name[0])
		rbi_scan_why(f, RBI_UN_NO_NAME);
	rbi_scan_decide(s, idx, f, name[0] ? name : NULL);
}

/* A direction synced on a stream start whose dissector still waits. */
static bool rbi_scan_waiting(const struct rbi_scan_dir *d)
{
	return d->cand && (d->flags & (RBI_DIR_BASE | RBI_DIR_DATA)) ==
			  (RBI_DIR_BASE | RBI_DIR_DATA);
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
		if (rbi_scan_waiting(&f->dir[0]) ||
		    rbi_scan_waiting(&f->dir[1]))
			rbi_scan_why(f, RBI_UN_INCOMPLETE);
		if (f->app == RBI_APP_QUIC) {
			s->st.count[RBI_SC_QUIC_GAVE_UP]++;
			rbi_scan_why(f, RBI_UN_QUIC_NO_HELLO);
		}
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
	if (k->l4 == RBI_PROTO_TCP) {
		cand = RBI_CAND_TCP | (dns ? RBI_CAND_DNS : 0);
	} else {
		cand = dns ? RBI_CAND_DNS : RBI_CAND_QUIC;
		f->why = RBI_UN_UDP_OTHER;
	}
	f->dir[0].cand = cand;
	f->dir[1].cand = cand;
}

/*
 * A reassembly buffer for a direction; when the pool is empty, the
 * direction is given up (counted) and false returned.
 */
bool rbi_scan_buffer(struct rbi_scan *s, uint32_t idx,
		     struct rbi_scan_flow *f, unsigned int side)
{
	struct rbi_scan_dir *d = &f->dir[side];

	if (d->r)
		return true;
	d->r = rbi_reasm_get(&s->pool);
	if (d->r)
		return true;
	s->st.count[RBI_SC_REASM_NO_BUFFER]++;
	rbi_scan_why(f, RBI_UN_LOST_BYTES);
	d->cand = 0;
	d->flags |= RBI_DIR_DONE;
	rbi_scan_dir_done(s, idx, f, side);
	return false;
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
		[RBI_SC_SEG_BEYOND] = "segments_beyond_reassembly_cap",
		[RBI_SC_REASM_NO_BUFFER] = "streams_dropped_no_buffer",
		[RBI_SC_RESYNC] = "midstream_resyncs",
		[RBI_SC_SEG_UNSYNCED] = "midstream_segments_before_a_start",
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

const char *rbi_scan_unnamed_name(enum rbi_scan_unnamed why)
{
	static const char *const names[__RBI_UN_MAX] = {
		[RBI_UN_NO_PAYLOAD] = "no_payload",
		[RBI_UN_UDP_OTHER] = "udp_neither_dns_nor_quic",
		[RBI_UN_NOT_RECOGNISED] = "payload_not_recognised",
		[RBI_UN_MIDSTREAM] = "picked_up_midstream",
		[RBI_UN_INCOMPLETE] = "hello_or_request_incomplete",
		[RBI_UN_LOST_BYTES] = "bytes_lost_to_reassembly",
		[RBI_UN_QUIC_VERSION] = "quic_version_not_read",
		[RBI_UN_QUIC_NO_HELLO] = "quic_without_client_hello",
		[RBI_UN_MALFORMED] = "malformed_or_too_big",
		[RBI_UN_TLS_LATE] = "tls_hello_before_capture",
		[RBI_UN_NO_NAME] = "hello_or_request_without_name",
	};

	return (unsigned int)why < __RBI_UN_MAX ? names[why] : "?";
}
