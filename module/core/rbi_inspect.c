// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The inspection engine; rbi_inspect.h states the contract. Offsets are
 * 32-bit positions in a stream, counted from its first byte and compared
 * through their signed difference, as TCP compares sequence numbers.
 */
#include "rbi_analytics.h"
#include "rbi_inspect.h"
#include "../uapi/rbiblock.h"

enum rbi_insp_phase {
	RBI_PH_FRESH,		/* nothing seen */
	RBI_PH_OPEN,		/* being inspected */
	RBI_PH_SWITCH,		/* an Upgrade or CONNECT awaits its answer */
	RBI_PH_CONFIRM,		/* allowed once the responder acknowledges */
	RBI_PH_DONE,		/* decided */
};

/* What the client's stream has turned out to be. */
enum rbi_insp_mode {
	RBI_M_FIRST,		/* too few bytes to tell */
	RBI_M_DNS,		/* DNS over TCP: framed queries */
	RBI_M_TLS,		/* a ClientHello in TLS records */
	RBI_M_SSL2,		/* maybe an SSL 2.0 CLIENT-HELLO */
	RBI_M_TEXT,		/* the first request head, HTTP or RTSP */
	RBI_M_HTTP,
	RBI_M_RTSP,
};

/* Where a request stream stands between heads. */
enum rbi_insp_body {
	RBI_B_HEAD,		/* a request head starts at pos */
	RBI_B_LENGTH,		/* left bytes of body, or of RTSP data */
	RBI_B_CHUNK_LINE,	/* a chunk-size line */
	RBI_B_CHUNK_DATA,	/* left bytes of chunk data */
	RBI_B_CHUNK_END,	/* the line end after chunk data */
	RBI_B_TRAILER,		/* trailer lines, left bytes of them allowed */
};

enum rbi_insp_bit {
	RBI_BIT_SYNACK = 1 << 0,	/* risn is known */
	RBI_BIT_MARKERS = 1 << 1,	/* the responder is in a public zone */
	RBI_BIT_LOGGED = 1 << 2,	/* a logged request was reported */
	RBI_BIT_CONNECT = 1 << 3,	/* the switch awaited is a CONNECT */
	RBI_BIT_REQUESTS = 1 << 4,	/* a request head was read */
	RBI_BIT_TRIED = 1 << 5,		/* the head at pos was parsed once */
	RBI_BIT_LINE = 1 << 6,		/* ... its first line has ended */
	RBI_BIT_LINE_TRIED = 1 << 7,	/* ... and it was parsed then */
	RBI_BIT_NOT_DNS = 1 << 8,	/* port 53, but not DNS */
	RBI_BIT_FIN = 1 << 9,		/* the client's FIN ends the stream */
	RBI_BIT_ZONED = 1 << 10,	/* RBI_BIT_MARKERS is known */
};

enum {
	RBI_TLS_CT_HANDSHAKE = 22,
	RBI_TLS_REC_HDR = 5,
	RBI_TLS_HS_HDR = 4,
	RBI_TLS_REC_MAX = 16384,
	RBI_TLS_CLIENT_HELLO = 1,
	RBI_RTSP_DATA_HDR = 4,		/* '$', channel, 16-bit length */
	RBI_CHUNK_HEX_MAX = 15,		/* digits of a chunk size */
	RBI_QUIC_CID_MAX = 20,
	RBI_QUIC_LONG_MIN = 7,		/* flags, version, two CID lengths */
};

/* Whether a step moved on, waits for bytes, or ended the inspection. */
enum rbi_insp_step {
	RBI_STEP_MORE,
	RBI_STEP_WAIT,
	RBI_STEP_END,
};

struct rbi_insp_ctx {
	struct rbi_insp *st;
	const struct rbi_insp_env *env;
	const struct rbi_insp_pkt *p;
	struct rbi_insp_result *res;
};

static const char rbi_h2_preface[] = "PRI * HTTP/2.0\r\n";

static uint32_t rbi_insp_end(const struct rbi_insp *st)
{
	return st->base + st->len;
}

static bool rbi_insp_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static uint8_t rbi_insp_byte(const struct rbi_insp *st, uint32_t off)
{
	return st->buf[off - st->base];
}

static const uint8_t *rbi_insp_at(const struct rbi_insp *st, uint32_t off)
{
	return st->buf + (off - st->base);
}

/* ---- decisions ---- */

/*
 * A datagram flow of a public zone allowed is watched for QUIC only where
 * a QUIC long header would change what it was decided (quic: block or
 * log, and no recorder or allowed service decided it first): a watched
 * flow never leaves the forward path, no flowtable may take it.
 */
static bool rbi_insp_watch(const struct rbi_insp_ctx *x)
{
	const struct rbi_insp_result *res = x->res;
	struct rbi_flow quic = res->flow;
	struct rbi_decision d;

	if (quic.l4 != RBI_L4_UDP || res->d.verdict != RBI_ALLOW ||
	    quic.app == RBI_APP_QUIC ||
	    !rbi_config_ip_public(x->env->cfg, &quic.src))
		return false;
	quic.app = RBI_APP_QUIC;
	rbi_classify(x->env->cfg, &quic, &d);
	return d.verdict != res->d.verdict || d.rule != res->d.rule ||
	       d.log != res->d.log;
}

static void rbi_insp_done(struct rbi_insp_ctx *x)
{
	struct rbi_insp_result *res = x->res;

	x->st->phase = RBI_PH_DONE;
	res->decided = true;
	res->report = res->d.verdict == RBI_BLOCK || res->d.log;
	res->watch = rbi_insp_watch(x);
}

/* Decides what rbi_classify() says of the flow as known now. */
static void rbi_insp_decide(struct rbi_insp_ctx *x)
{
	rbi_classify(x->env->cfg, &x->res->flow, &x->res->d);
	rbi_insp_done(x);
}

/* A positive decision waiting for its bytes to be acknowledged is due. */
static void rbi_insp_confirm(struct rbi_insp_ctx *x)
{
	struct rbi_insp *st = x->st;

	if (st->phase != RBI_PH_CONFIRM ||
	    rbi_insp_before(st->acked, st->settle))
		return;
	x->res->d = st->d;
	st->phase = RBI_PH_DONE;
	x->res->decided = true;
}

/*
 * Decides a TCP flow from the client's bytes before upto: at once when
 * they block it, else once the responder has acknowledged them. A logged
 * allow is reported now, while its name is at hand.
 */
static void rbi_insp_settle(struct rbi_insp_ctx *x, uint32_t upto)
{
	struct rbi_insp *st = x->st;
	struct rbi_decision *d = &x->res->d;

	rbi_classify(x->env->cfg, &x->res->flow, d);
	if (d->verdict == RBI_BLOCK) {
		rbi_insp_done(x);
		return;
	}
	st->d = *d;
	st->settle = upto;
	st->phase = RBI_PH_CONFIRM;
	x->res->report = d->log;
	rbi_insp_confirm(x);
}

static void rbi_insp_fail_ctx(struct rbi_insp_ctx *x, enum rbi_fail why)
{
	rbi_decide_fail(x->env->cfg, &x->res->flow, why, &x->res->d);
	rbi_insp_done(x);
}

static enum rbi_insp_step rbi_insp_failed(struct rbi_insp_ctx *x,
					  enum rbi_fail why)
{
	rbi_insp_fail_ctx(x, why);
	return RBI_STEP_END;
}

static void rbi_insp_name(struct rbi_insp_ctx *x, enum rbi_app app,
			  const char *name, size_t len)
{
	x->st->flow.app = (uint8_t)app;
	x->res->flow.app = (uint8_t)app;
	x->res->flow.name = len ? name : NULL;
	x->res->flow.name_len = len;
}

/*
 * Searches the client's new bytes for camera-analytics markers when the
 * responder is in a public zone. True when they now block the flow, which
 * is then decided.
 */
static bool rbi_insp_marked(struct rbi_insp_ctx *x)
{
	struct rbi_insp *st = x->st;
	uint32_t end = rbi_insp_end(st), found;

	/* Looked up when first needed: a ClientHello never is. */
	if (!(st->bits & RBI_BIT_ZONED)) {
		st->bits |= RBI_BIT_ZONED;
		if (rbi_config_ip_public(x->env->cfg, &st->flow.dst))
			st->bits |= RBI_BIT_MARKERS;
	}
	if (!(st->bits & RBI_BIT_MARKERS) || st->marked == end)
		return false;
	found = rbi_analytics_scan_more(st->buf, st->len,
					st->marked - st->base);
	st->marked = end;
	if (!(found & ~st->flow.markers))
		return false;
	st->flow.markers |= found;
	x->res->flow.markers = st->flow.markers;
	rbi_classify(x->env->cfg, &x->res->flow, &x->res->d);
	if (x->res->d.verdict != RBI_BLOCK)
		return false;
	rbi_insp_done(x);
	return true;
}

/* A protocol no dissector reads: its addresses and markers decide. */
static enum rbi_insp_step rbi_insp_unknown(struct rbi_insp_ctx *x)
{
	if (!rbi_insp_marked(x))
		rbi_insp_settle(x, rbi_insp_end(x->st));
	return RBI_STEP_END;
}

/* ---- DNS ---- */

static void rbi_insp_dns_key(const struct rbi_flow *f, uint16_t id,
			     struct rbi_dnsq_key *k)
{
	rbi_memset(k, 0, sizeof(*k));
	k->client = f->src;
	k->server = f->dst;
	k->cport = f->sport;
	k->sport = f->dport;
	k->id = id;
	k->l4 = f->l4;
}

/* Reads msg as a message with one question into scratch; false if not. */
static bool rbi_insp_dns_read(struct rbi_insp_ctx *x, const uint8_t *msg,
			      size_t len, bool response)
{
	struct rbi_insp_scratch *scr = x->env->scr;
	uint16_t qtype, qclass;

	return rbi_dns_parse(msg, len, &scr->dns_msg) == RBI_PARSE_OK &&
	       rbi_dns_is_response(&scr->dns_msg) == response &&
	       rbi_dns_question(&scr->dns_msg, scr->qname, &qtype,
				&qclass) == RBI_PARSE_OK;
}

/*
 * A client's message to port 53: 1 when it is a query (remembered when
 * the client is in a public zone), 0 when it is no DNS query, -1 when the
 * query could not be remembered and the flow failed closed.
 */
static int rbi_insp_query(struct rbi_insp_ctx *x, const uint8_t *msg,
			  size_t len)
{
	const struct rbi_insp_env *env = x->env;
	const struct rbi_flow *f = &x->st->flow;
	struct rbi_dnsq_key k;
	int err;

	if (!rbi_insp_dns_read(x, msg, len, false))
		return 0;
	if (!env->dnsq || !rbi_config_ip_public(env->cfg, &f->src))
		return 1;
	rbi_insp_dns_key(f, env->scr->dns_msg.id, &k);
	err = rbi_dnsq_add(env->dnsq, &k, env->scr->qname,
			   rbi_strlen(env->scr->qname), env->now);
	if (err) {
		rbi_insp_fail_ctx(x, err == -ENOSPC ? RBI_FAIL_QUERIES_FULL :
				  RBI_FAIL_AMBIGUOUS);
		return -1;
	}
	x->res->events |= RBI_INSP_EV_QUERY;
	return 1;
}

/* A responder's message: learned from when it answers a pending query. */
static void rbi_insp_answer(struct rbi_insp_ctx *x, const uint8_t *msg,
			    size_t len)
{
	const struct rbi_insp_env *env = x->env;
	struct rbi_insp_scratch *scr = env->scr;
	struct rbi_dnsq_key k;

	if (!rbi_insp_dns_read(x, msg, len, true)) {
		x->res->events |= RBI_INSP_EV_DNS_MALFORMED;
		return;
	}
	rbi_insp_dns_key(&x->st->flow, scr->dns_msg.id, &k);
	if (!env->dnsq || !rbi_dnsq_answer(env->dnsq, &k, scr->qname,
					   rbi_strlen(scr->qname), env->now)) {
		x->res->events |= RBI_INSP_EV_UNSOLICITED;
		return;
	}
	x->res->events |= RBI_INSP_EV_ANSWER;
	/* A broken record still leaves what came before it: keep that. */
	if (rbi_dns_collect(&scr->dns_msg, &scr->dns) != RBI_PARSE_OK)
		x->res->events |= RBI_INSP_EV_DNS_MALFORMED;
	if (scr->dns.ref_count && env->learn)
		env->learn(env->ctx, &scr->dns);
}

/*
 * The client's DNS frames. The first one decides whether the stream is DNS
 * at all; later ones must be queries too.
 */
static enum rbi_insp_step rbi_insp_dns_client(struct rbi_insp_ctx *x)
{
	struct rbi_insp *st = x->st;
	uint32_t end = rbi_insp_end(st), frame;
	bool first = !st->pos;
	int q;

	if (end - st->pos < 2)
		return RBI_STEP_WAIT;
	frame = 2 + (uint32_t)rbi_get_be16(rbi_insp_at(st, st->pos));
	if (frame <= RBI_INSP_DNS_QUERY_MAX && end - st->pos < frame)
		return RBI_STEP_WAIT;
	q = frame <= RBI_INSP_DNS_QUERY_MAX ?
	    rbi_insp_query(x, rbi_insp_at(st, st->pos) + 2, frame - 2) : 0;
	if (q < 0)
		return RBI_STEP_END;
	if (q) {
		st->pos += frame;
		return RBI_STEP_MORE;
	}
	if (!first)
		return rbi_insp_failed(x, RBI_FAIL_DNS);
	st->bits |= RBI_BIT_NOT_DNS;
	st->mode = RBI_M_FIRST;
	return RBI_STEP_MORE;
}

/*
 * Takes the responder's new bytes of a DNS-over-TCP stream into rbuf,
 * answer by answer, a slice at a time so that a segment never needs to
 * fit whole.
 */
static enum rbi_insp_verdict rbi_insp_dns_server(struct rbi_insp_ctx *x,
						 uint32_t off)
{
	struct rbi_insp *st = x->st;
	const struct rbi_insp_pkt *p = x->p;
	uint32_t next = st->rbase + st->rlen, skip, n, frame;
	const uint8_t *msg;
	size_t used, mlen;

	if (rbi_insp_before(next, off)) {
		x->res->events |= RBI_INSP_EV_GAP;
		return RBI_INSP_DROP;
	}
	skip = next - off;
	if (skip >= p->len)
		return RBI_INSP_PASS;
	while (skip < p->len) {
		n = RBI_MIN(p->len - skip, st->rcap - st->rlen);
		if (!n) {
			x->res->events |= RBI_INSP_EV_FULL;
			return RBI_INSP_DROP;
		}
		rbi_memcpy(st->rbuf + st->rlen, p->data + skip, n);
		st->rlen += n;
		skip += n;
		used = 0;
		while (st->rlen - used >= 2) {
			frame = 2 + (uint32_t)rbi_get_be16(st->rbuf + used);
			if (frame > RBI_INSP_DNS_FRAME_MAX) {
				rbi_decide_fail_always(x->env->cfg,
						       &x->res->flow,
						       RBI_FAIL_TOO_BIG,
						       &x->res->d);
				rbi_insp_done(x);
				return RBI_INSP_DROP;
			}
			if (st->rlen - used < frame)
				break;
			if (rbi_dns_tcp_next(st->rbuf, st->rlen, &used, &msg,
					     &mlen) == RBI_PARSE_OK)
				rbi_insp_answer(x, msg, mlen);
			else
				used += frame;
		}
		/* What is left is the start of one frame, from this segment. */
		rbi_memmove(st->rbuf, st->rbuf + used, st->rlen - used);
		st->rbase += (uint32_t)used;
		st->rlen -= (uint32_t)used;
	}
	return RBI_INSP_PASS;
}

/* ---- TLS ---- */

/* Parses the ClientHello held, once, and decides. */
static enum rbi_insp_step rbi_insp_hello(struct rbi_insp_ctx *x)
{
	struct rbi_tls_hello *h = &x->env->scr->app.tls;
	struct rbi_insp *st = x->st;
	size_t need;

	switch (rbi_tls_parse_client_hello(st->buf, st->len, h, &need)) {
	case RBI_PARSE_OK:
		rbi_insp_name(x, RBI_APP_TLS, h->sni,
			      h->has_sni ? rbi_strlen(h->sni) : 0);
		x->res->flow.ech = h->ech || h->esni;
		rbi_insp_settle(x, rbi_insp_end(st));
		return RBI_STEP_END;
	case RBI_PARSE_NOT_MINE:
		return rbi_insp_unknown(x);
	case RBI_PARSE_NEED_MORE:
		if (st->mode == RBI_M_SSL2) {
			st->left = need;
			return RBI_STEP_WAIT;
		}
		/* The record walk found the hello whole: the parser must too. */
		return rbi_insp_failed(x, RBI_FAIL_TLS);
	case RBI_PARSE_TOO_BIG:
		return rbi_insp_failed(x, RBI_FAIL_TOO_BIG);
	default:
		return rbi_insp_failed(x, RBI_FAIL_TLS);
	}
}

/*
 * Walks the record layer over the bytes that arrived, each record header
 * once, and calls the parser when the hello is whole or a header breaks
 * the rules: a hello in one-byte records costs a step per record, not a
 * walk from the start per record.
 */
static enum rbi_insp_step rbi_insp_tls(struct rbi_insp_ctx *x)
{
	struct rbi_insp *st = x->st;
	uint32_t end = rbi_insp_end(st), n;
	const uint8_t *h;
	uint16_t rlen;

	while (st->tls_at != end) {
		if (st->tls_at == st->tls_rec) {
			if (end - st->tls_at < RBI_TLS_REC_HDR)
				return RBI_STEP_WAIT;
			h = rbi_insp_at(st, st->tls_at);
			rlen = rbi_get_be16(h + 3);
			st->tls_at += RBI_TLS_REC_HDR;
			st->tls_rec = st->tls_at + rlen;
			if (h[0] != RBI_TLS_CT_HANDSHAKE || h[1] != 3 || !rlen ||
			    rlen > RBI_TLS_REC_MAX)
				return rbi_insp_hello(x);
			continue;
		}
		n = RBI_MIN(st->tls_rec, end) - st->tls_at;
		for (; n && st->tls_hs < RBI_TLS_HS_HDR; n--) {
			st->tls_msg = st->tls_msg << 8 |
				      rbi_insp_byte(st, st->tls_at++);
			if (++st->tls_hs < RBI_TLS_HS_HDR)
				continue;
			if (st->tls_msg >> 24 != RBI_TLS_CLIENT_HELLO)
				return rbi_insp_hello(x);
			st->tls_msg = RBI_TLS_HS_HDR + (st->tls_msg & 0xffffff);
			if (st->tls_at + st->tls_msg - RBI_TLS_HS_HDR >
			    RBI_TLS_HELLO_MAX)
				return rbi_insp_hello(x);
		}
		st->tls_at += n;
		st->tls_hs += n;
		if (st->tls_hs >= RBI_TLS_HS_HDR && st->tls_hs >= st->tls_msg)
			return rbi_insp_hello(x);
	}
	return RBI_STEP_WAIT;
}

/* SSL 2.0 framing: the parser says how many bytes it waits for. */
static enum rbi_insp_step rbi_insp_ssl2(struct rbi_insp_ctx *x)
{
	if (x->st->len < x->st->left)
		return RBI_STEP_WAIT;
	return rbi_insp_hello(x);
}

/* ---- requests ---- */

/* Steps over the empty lines allowed before a request (RFC 9112 2.2). */
static bool rbi_insp_skip_empty(struct rbi_insp *st, uint32_t end)
{
	uint8_t c;

	while (st->pos != end) {
		c = rbi_insp_byte(st, st->pos);
		if (c == '\n') {
			st->pos++;
		} else if (c == '\r') {
			if (st->pos + 1 == end)
				return false;
			if (rbi_insp_byte(st, st->pos + 1) != '\n')
				return true;
			st->pos += 2;
		} else {
			return true;
		}
	}
	return false;
}

/*
 * Searches the head at pos, from where the last search stopped, for the
 * end of its first line and for the blank line that ends it. True when
 * the head is whole, or too long to wait for.
 */
static bool rbi_insp_head_ready(struct rbi_insp *st, uint32_t end)
{
	uint32_t i = st->scan;
	uint8_t c;

	if (end - st->pos >= RBI_HTTP_HEAD_MAX)
		return true;
	if (rbi_insp_before(i, st->pos))
		i = st->pos;
	for (; i != end; i++) {
		if (rbi_insp_byte(st, i) != '\n')
			continue;
		st->bits |= RBI_BIT_LINE;
		if (end - i < 2)
			break;
		c = rbi_insp_byte(st, i + 1);
		if (c == '\n')
			return true;
		if (c == '\r') {
			if (end - i < 3)
				break;
			if (rbi_insp_byte(st, i + 2) == '\n')
				return true;
		}
	}
	st->scan = i;
	return false;
}

/* Where the line at pos ends (one past its LF), searched incrementally. */
static bool rbi_insp_line(struct rbi_insp *st, uint32_t end, uint32_t *lf)
{
	uint32_t i = st->scan;

	if (rbi_insp_before(i, st->pos))
		i = st->pos;
	for (; i != end; i++) {
		if (rbi_insp_byte(st, i) == '\n') {
			*lf = i + 1;
			return true;
		}
	}
	st->scan = i;
	return false;
}

static void rbi_insp_next_head(struct rbi_insp *st, enum rbi_insp_body body)
{
	st->body = (uint8_t)body;
	st->scan = st->pos;
	st->bits &= (uint16_t)~(RBI_BIT_TRIED | RBI_BIT_LINE |
				RBI_BIT_LINE_TRIED);
}

/* The framing a head's body has, or why no framing can be trusted. */
static enum rbi_fail rbi_insp_framing(struct rbi_insp *st,
				      const struct rbi_text_body *b,
				      bool http10)
{
	if (b->length_conflict || b->coding_other ||
	    (b->chunked && (b->has_length || http10)))
		return RBI_FAIL_AMBIGUOUS;
	if (b->h2c)
		return RBI_FAIL_UNINSPECTABLE;
	if (b->chunked) {
		rbi_insp_next_head(st, RBI_B_CHUNK_LINE);
	} else if (b->has_length && b->length) {
		st->left = b->length;
		rbi_insp_next_head(st, RBI_B_LENGTH);
	} else {
		rbi_insp_next_head(st, RBI_B_HEAD);
	}
	return RBI_FAIL_NONE;
}

/*
 * A whole request head: its name and markers classified, its body framing
 * read, and an Upgrade or CONNECT turned into a wait for the answer.
 */
static enum rbi_insp_step rbi_insp_request(struct rbi_insp_ctx *x,
					   enum rbi_app app)
{
	struct rbi_insp_scratch *scr = x->env->scr;
	struct rbi_insp *st = x->st;
	const struct rbi_text_host *host;
	struct rbi_decision *d = &x->res->d;
	enum rbi_fail why;
	bool switching = false, has_host;
	size_t head_len;

	if (app == RBI_APP_HTTP) {
		const struct rbi_http_req *r = &scr->app.http;

		host = &r->host;
		has_host = r->has_host;
		head_len = r->head_len;
		switching = r->form == RBI_HTTP_FORM_AUTHORITY ||
			    r->body.upgrade;
		if (r->host_conflict || r->host_fields > 1)
			return rbi_insp_failed(x, RBI_FAIL_AMBIGUOUS);
		st->pos += (uint32_t)head_len;
		why = rbi_insp_framing(st, &r->body, !r->version_minor);
		if (r->form == RBI_HTTP_FORM_AUTHORITY)
			st->bits |= RBI_BIT_CONNECT;
		st->mode = RBI_M_HTTP;
	} else {
		const struct rbi_rtsp_req *r = &scr->app.rtsp;

		host = &r->host;
		has_host = r->has_host;
		head_len = r->head_len;
		st->pos += (uint32_t)head_len;
		why = r->body.chunked ? RBI_FAIL_AMBIGUOUS :
		      rbi_insp_framing(st, &r->body, false);
		st->mode = RBI_M_RTSP;
	}
	rbi_insp_name(x, app, host->name, has_host ? host->len : 0);
	if (why)
		return rbi_insp_failed(x, why);
	if (switching && st->bits & RBI_BIT_REQUESTS)
		return rbi_insp_failed(x, RBI_FAIL_UNINSPECTABLE);
	st->bits |= RBI_BIT_REQUESTS;
	x->res->events |= RBI_INSP_EV_REQUEST;
	rbi_classify(x->env->cfg, &x->res->flow, d);
	if (d->verdict == RBI_BLOCK) {
		rbi_insp_done(x);
		return RBI_STEP_END;
	}
	if (d->log && !(st->bits & RBI_BIT_LOGGED)) {
		st->bits |= RBI_BIT_LOGGED;
		x->res->report = true;
	}
	if (switching)
		st->phase = RBI_PH_SWITCH;
	return RBI_STEP_MORE;
}

/* Neither HTTP nor RTSP: HTTP/2 hides its requests, others are unnamed. */
static enum rbi_insp_step rbi_insp_not_text(struct rbi_insp_ctx *x)
{
	struct rbi_insp *st = x->st;
	uint32_t n = rbi_insp_end(st) - st->pos;

	if (n >= sizeof(rbi_h2_preface) - 1 &&
	    !rbi_memcmp(rbi_insp_at(st, st->pos), rbi_h2_preface,
			sizeof(rbi_h2_preface) - 1))
		return rbi_insp_failed(x, RBI_FAIL_UNINSPECTABLE);
	return rbi_insp_unknown(x);
}

static enum rbi_parse_result rbi_insp_parse(struct rbi_insp_ctx *x,
					    enum rbi_app app)
{
	struct rbi_insp_scratch *scr = x->env->scr;
	struct rbi_insp *st = x->st;
	const uint8_t *h = rbi_insp_at(st, st->pos);
	size_t n = rbi_insp_end(st) - st->pos;

	if (app == RBI_APP_HTTP)
		return rbi_http_parse_request(h, n, &scr->app.http);
	return rbi_rtsp_parse_request(h, n, &scr->app.rtsp);
}

/*
 * Parses the head at pos when it can have changed its answer: on its
 * first bytes (to turn other protocols away at once), when its first line
 * ends, and when it is whole. Each head is parsed at most three times.
 */
static enum rbi_insp_step rbi_insp_head(struct rbi_insp_ctx *x)
{
	struct rbi_insp *st = x->st;
	uint32_t end = rbi_insp_end(st);
	enum rbi_parse_result r;
	enum rbi_app app;
	bool ready;

	if (!rbi_insp_skip_empty(st, end))
		return RBI_STEP_WAIT;
	if (st->mode == RBI_M_RTSP && rbi_insp_byte(st, st->pos) == '$') {
		if (end - st->pos < RBI_RTSP_DATA_HDR)
			return RBI_STEP_WAIT;
		st->left = rbi_get_be16(rbi_insp_at(st, st->pos + 2));
		st->pos += RBI_RTSP_DATA_HDR;
		rbi_insp_next_head(st, RBI_B_LENGTH);
		return RBI_STEP_MORE;
	}
	ready = rbi_insp_head_ready(st, end);
	if (!ready && st->bits & RBI_BIT_TRIED &&
	    (!(st->bits & RBI_BIT_LINE) || st->bits & RBI_BIT_LINE_TRIED))
		return RBI_STEP_WAIT;
	st->bits |= RBI_BIT_TRIED;
	if (st->bits & RBI_BIT_LINE)
		st->bits |= RBI_BIT_LINE_TRIED;
	app = st->mode == RBI_M_RTSP ? RBI_APP_RTSP : RBI_APP_HTTP;
	r = rbi_insp_parse(x, app);
	if (r == RBI_PARSE_NOT_MINE && st->mode == RBI_M_TEXT) {
		app = RBI_APP_RTSP;
		r = rbi_insp_parse(x, app);
	}
	switch (r) {
	case RBI_PARSE_OK:
		return rbi_insp_request(x, app);
	case RBI_PARSE_NEED_MORE:
		return ready ? rbi_insp_failed(x, RBI_FAIL_REQUEST) :
			       RBI_STEP_WAIT;
	case RBI_PARSE_NOT_MINE:
		if (st->mode == RBI_M_TEXT)
			return rbi_insp_not_text(x);
		return rbi_insp_failed(x, RBI_FAIL_NOT_REQUEST);
	case RBI_PARSE_TOO_BIG:
		return rbi_insp_failed(x, RBI_FAIL_TOO_BIG);
	default:
		return rbi_insp_failed(x, RBI_FAIL_REQUEST);
	}
}

/* Body bytes, chunk data or RTSP data, read past without a look. */
static enum rbi_insp_step rbi_insp_skip(struct rbi_insp *st,
					enum rbi_insp_body then)
{
	uint32_t n = rbi_insp_end(st) - st->pos;

	if (st->left < n)
		n = (uint32_t)st->left;
	st->pos += n;
	st->left -= n;
	if (st->left)
		return RBI_STEP_WAIT;
	rbi_insp_next_head(st, then);
	return RBI_STEP_MORE;
}

/* "1a;ext=v" up to its CR LF or LF (RFC 9112 7.1): the chunk's size. */
static enum rbi_insp_step rbi_insp_chunk_line(struct rbi_insp_ctx *x)
{
	struct rbi_insp *st = x->st;
	uint32_t end = rbi_insp_end(st), lf, i, digits = 0;
	uint64_t size = 0;
	uint8_t c;
	int v;

	if (!rbi_insp_line(st, end, &lf))
		return end - st->pos > RBI_INSP_LINE_MAX ?
		       rbi_insp_failed(x, RBI_FAIL_TOO_BIG) : RBI_STEP_WAIT;
	if (lf - st->pos > RBI_INSP_LINE_MAX)
		return rbi_insp_failed(x, RBI_FAIL_TOO_BIG);
	for (i = st->pos; i != lf - 1; i++) {
		c = rbi_insp_byte(st, i);
		v = c >= '0' && c <= '9' ? c - '0' :
		    (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' +
		    10 : -1;
		if (v < 0)
			break;
		if (++digits > RBI_CHUNK_HEX_MAX)
			return rbi_insp_failed(x, RBI_FAIL_TOO_BIG);
		size = size << 4 | (uint64_t)v;
	}
	while (i != lf - 1 && (rbi_insp_byte(st, i) == ' ' ||
			       rbi_insp_byte(st, i) == '\t'))
		i++;
	c = i != lf - 1 ? rbi_insp_byte(st, i) : '\n';
	/* A chunk extension runs to the line end; a lone CR ends nothing. */
	if (c == ';')
		for (; i != lf - 1 && rbi_insp_byte(st, i) != '\r'; i++)
			;
	if (!digits || (i != lf - 1 && (i != lf - 2 ||
					rbi_insp_byte(st, i) != '\r')))
		return rbi_insp_failed(x, RBI_FAIL_REQUEST);
	st->pos = lf;
	if (!size) {
		st->left = RBI_HTTP_HEAD_MAX;
		rbi_insp_next_head(st, RBI_B_TRAILER);
	} else {
		st->left = size;
		rbi_insp_next_head(st, RBI_B_CHUNK_DATA);
	}
	return RBI_STEP_MORE;
}

/* The CR LF (or LF) that must follow chunk data. */
static enum rbi_insp_step rbi_insp_chunk_end(struct rbi_insp_ctx *x)
{
	struct rbi_insp *st = x->st;
	uint32_t n = rbi_insp_end(st) - st->pos;
	uint8_t c;

	if (!n)
		return RBI_STEP_WAIT;
	c = rbi_insp_byte(st, st->pos);
	if (c == '\r') {
		if (n < 2)
			return RBI_STEP_WAIT;
		c = rbi_insp_byte(st, st->pos + 1);
		st->pos++;
	}
	if (c != '\n')
		return rbi_insp_failed(x, RBI_FAIL_REQUEST);
	st->pos++;
	rbi_insp_next_head(st, RBI_B_CHUNK_LINE);
	return RBI_STEP_MORE;
}

/* Trailer lines after the last chunk, up to an empty one. */
static enum rbi_insp_step rbi_insp_trailer(struct rbi_insp_ctx *x)
{
	struct rbi_insp *st = x->st;
	uint32_t end = rbi_insp_end(st), lf, n;

	if (!rbi_insp_line(st, end, &lf))
		return end - st->pos > st->left ?
		       rbi_insp_failed(x, RBI_FAIL_TOO_BIG) : RBI_STEP_WAIT;
	n = lf - st->pos;
	if (n > st->left)
		return rbi_insp_failed(x, RBI_FAIL_TOO_BIG);
	st->left -= n;
	st->pos = lf;
	st->scan = lf;
	if (n == 1 || (n == 2 && rbi_insp_byte(st, lf - 2) == '\r'))
		rbi_insp_next_head(st, RBI_B_HEAD);
	return RBI_STEP_MORE;
}

static enum rbi_insp_step rbi_insp_text(struct rbi_insp_ctx *x)
{
	struct rbi_insp *st = x->st;

	if (rbi_insp_marked(x))
		return RBI_STEP_END;
	if (st->phase == RBI_PH_SWITCH)
		return RBI_STEP_WAIT;
	switch (st->body) {
	case RBI_B_HEAD:
		return rbi_insp_head(x);
	case RBI_B_LENGTH:
		return rbi_insp_skip(st, RBI_B_HEAD);
	case RBI_B_CHUNK_LINE:
		return rbi_insp_chunk_line(x);
	case RBI_B_CHUNK_DATA:
		return rbi_insp_skip(st, RBI_B_CHUNK_END);
	case RBI_B_CHUNK_END:
		return rbi_insp_chunk_end(x);
	default:
		return rbi_insp_trailer(x);
	}
}

/* The first byte tells TLS, SSL 2.0 and text apart; port 53 tries DNS. */
static enum rbi_insp_step rbi_insp_first(struct rbi_insp_ctx *x)
{
	struct rbi_insp *st = x->st;
	uint8_t c;

	if (!st->len)
		return RBI_STEP_WAIT;
	if (st->flow.dport == RBI_INSP_PORT_DNS &&
	    !(st->bits & RBI_BIT_NOT_DNS)) {
		st->mode = RBI_M_DNS;
		return RBI_STEP_MORE;
	}
	c = st->buf[0];
	if (c == RBI_TLS_CT_HANDSHAKE) {
		st->mode = RBI_M_TLS;
	} else if (c & 0x80) {
		st->mode = RBI_M_SSL2;
		st->left = 1;
	} else {
		st->mode = RBI_M_TEXT;
	}
	return RBI_STEP_MORE;
}

/* Reads what the client's bytes now allow, until they run out. */
static void rbi_insp_read(struct rbi_insp_ctx *x)
{
	enum rbi_insp_step step;

	do {
		switch (x->st->mode) {
		case RBI_M_FIRST:
			step = rbi_insp_first(x);
			break;
		case RBI_M_DNS:
			step = rbi_insp_dns_client(x);
			break;
		case RBI_M_TLS:
			step = rbi_insp_tls(x);
			break;
		case RBI_M_SSL2:
			step = rbi_insp_ssl2(x);
			break;
		default:
			step = rbi_insp_text(x);
			break;
		}
	} while (step == RBI_STEP_MORE);
}

/* ---- the TCP window ---- */

/*
 * Where the window may start: nothing the parser still needs, nothing the
 * responder has not acknowledged (it could still take a different copy),
 * and enough before the markers' search point for it to go on.
 */
static uint32_t rbi_insp_keep_from(const struct rbi_insp *st)
{
	uint32_t from = st->pos, reach;

	if (rbi_insp_before(st->acked, from))
		from = st->acked;
	if (st->bits & RBI_BIT_MARKERS && st->mode >= RBI_M_TEXT) {
		reach = (uint32_t)rbi_analytics_reach();
		if (st->marked - st->base < reach)
			return st->base;
		if (rbi_insp_before(st->marked - reach, from))
			from = st->marked - reach;
	}
	return rbi_insp_before(from, st->base) ? st->base : from;
}

/*
 * Drops the start of the window that is no longer needed, but only when
 * that is at least as much as what has to move: each byte is moved a
 * bounded number of times, however the bytes and acknowledgements come.
 */
static void rbi_insp_compact(struct rbi_insp *st)
{
	uint32_t drop = rbi_insp_keep_from(st) - st->base;

	if (!drop || drop < st->len - drop)
		return;
	rbi_memmove(st->buf, st->buf + drop, st->len - drop);
	st->base += drop;
	st->len -= drop;
}

/*
 * Whether the bytes of p that the window holds are the ones it holds.
 * Bytes before the window were acknowledged: the responder took its copy.
 */
static bool rbi_insp_same(struct rbi_insp_ctx *x, uint32_t off)
{
	const struct rbi_insp_pkt *p = x->p;
	struct rbi_insp *st = x->st;
	uint32_t from = off, to = off + p->len, end = rbi_insp_end(st);

	if (rbi_insp_before(from, st->base))
		from = st->base;
	if (rbi_insp_before(end, to))
		to = end;
	if (!rbi_insp_before(from, to))
		return true;
	x->res->events |= RBI_INSP_EV_RESENT;
	return !rbi_memcmp(rbi_insp_at(st, from), p->data + (from - off),
			   to - from);
}

/* Appends the bytes of p past the window's end; false if not all fit. */
static bool rbi_insp_take(struct rbi_insp *st, const struct rbi_insp_pkt *p,
			  uint32_t off, uint32_t *taken)
{
	uint32_t skip = rbi_insp_end(st) - off, n;

	*taken = 0;
	if (rbi_insp_before(off + p->len, off + skip) || skip >= p->len)
		return true;
	n = p->len - skip;
	if (st->cap - st->len < n)
		rbi_insp_compact(st);
	*taken = RBI_MIN(n, st->cap - st->len);
	rbi_memcpy(st->buf + st->len, p->data + skip, *taken);
	st->len += *taken;
	return *taken == n;
}

static void rbi_insp_ack(struct rbi_insp *st, uint32_t ack)
{
	uint32_t a = ack - st->isn;
	uint32_t last = rbi_insp_end(st) + !!(st->bits & RBI_BIT_FIN);

	if (st->phase == RBI_PH_CONFIRM && rbi_insp_before(last, st->settle))
		last = st->settle;
	if (rbi_insp_before(st->acked, a) && !rbi_insp_before(last, a))
		st->acked = a;
}

/* ---- TCP ---- */

static enum rbi_insp_verdict rbi_insp_client(struct rbi_insp_ctx *x)
{
	const struct rbi_insp_pkt *p = x->p;
	struct rbi_insp *st = x->st;
	uint32_t off = p->seq - st->isn, taken;
	bool whole;

	if (p->flags & RBI_INSP_SYN) {
		if (p->len)
			rbi_insp_fail_ctx(x, RBI_FAIL_SYN_DATA);
		return RBI_INSP_PASS;
	}
	if (p->flags & RBI_INSP_URG) {
		rbi_insp_fail_ctx(x, RBI_FAIL_URGENT);
		return RBI_INSP_PASS;
	}
	/*
	 * Decided but for the acknowledgement: only resent bytes matter, and
	 * after a FIN, no byte may follow it.
	 */
	if (st->phase == RBI_PH_CONFIRM) {
		if (!rbi_insp_same(x, off) ||
		    (st->bits & RBI_BIT_FIN &&
		     rbi_insp_before(rbi_insp_end(st), off + p->len)))
			rbi_insp_fail_ctx(x, RBI_FAIL_REWRITE);
		return RBI_INSP_PASS;
	}
	if (rbi_insp_before(rbi_insp_end(st), off)) {
		x->res->events |= RBI_INSP_EV_GAP;
		return RBI_INSP_DROP;
	}
	if (!rbi_insp_same(x, off)) {
		rbi_insp_fail_ctx(x, RBI_FAIL_REWRITE);
		return RBI_INSP_PASS;
	}
	whole = rbi_insp_take(st, p, off, &taken);
	if (taken)
		rbi_insp_read(x);
	if (st->phase == RBI_PH_DONE)
		return RBI_INSP_PASS;
	/* What is still to be read does not fit the largest window. */
	if (!whole && st->pos == st->base && st->len >= RBI_INSP_WINDOW) {
		rbi_insp_fail_ctx(x, RBI_FAIL_TOO_BIG);
		return RBI_INSP_PASS;
	}
	if (!whole) {
		x->res->events |= RBI_INSP_EV_FULL;
		return RBI_INSP_DROP;
	}
	/* Bytes after an Upgrade or CONNECT wait for the answer to it. */
	if (st->phase == RBI_PH_SWITCH &&
	    rbi_insp_before(st->pos, off + p->len)) {
		x->res->events |= RBI_INSP_EV_HELD;
		return RBI_INSP_DROP;
	}
	/* Once the responder has the FIN, the client can send it nothing. */
	if (p->flags & RBI_INSP_FIN && off + p->len == rbi_insp_end(st)) {
		st->bits |= RBI_BIT_FIN;
		rbi_insp_settle(x, rbi_insp_end(st) + 1);
	}
	return RBI_INSP_PASS;
}

/* The responder's answer to an Upgrade or CONNECT, from its first bytes. */
static void rbi_insp_switch(struct rbi_insp_ctx *x)
{
	static const char http1[] = "HTTP/1.";
	struct rbi_insp *st = x->st;
	const uint8_t *s = st->status;
	bool switched;

	if (st->status_len < sizeof(st->status))
		return;
	switched = !rbi_memcmp(s, http1, sizeof(http1) - 1) && s[8] == ' ' &&
		   (st->bits & RBI_BIT_CONNECT ? s[9] == '2' :
		    !rbi_memcmp(s + 9, "101", 3));
	if (switched) {
		rbi_insp_settle(x, st->pos);
		return;
	}
	/* Refused: the connection goes on in HTTP, held bytes first. */
	st->phase = RBI_PH_OPEN;
	st->bits &= (uint16_t)~RBI_BIT_CONNECT;
	rbi_insp_read(x);
}

static void rbi_insp_status(struct rbi_insp *st, const struct rbi_insp_pkt *p,
			    uint32_t off)
{
	uint32_t skip, n;

	if (rbi_insp_before(st->status_len, off))
		return;
	skip = st->status_len - off;
	if (skip >= p->len || st->status_len == sizeof(st->status))
		return;
	n = RBI_MIN(p->len - skip, sizeof(st->status) - st->status_len);
	rbi_memcpy(st->status + st->status_len, p->data + skip, n);
	st->status_len += (uint8_t)n;
}

static enum rbi_insp_verdict rbi_insp_server(struct rbi_insp_ctx *x)
{
	const struct rbi_insp_pkt *p = x->p;
	struct rbi_insp *st = x->st;
	uint32_t off, next;

	if (p->flags & RBI_INSP_SYN) {
		st->risn = p->seq + 1;
		st->bits |= RBI_BIT_SYNACK;
	}
	if (p->flags & RBI_INSP_ACK)
		rbi_insp_ack(st, p->ack);
	rbi_insp_confirm(x);
	if (st->phase == RBI_PH_DONE || !(st->bits & RBI_BIT_SYNACK))
		return RBI_INSP_PASS;
	off = p->seq + !!(p->flags & RBI_INSP_SYN) - st->risn;
	if (p->len && !rbi_insp_end(st)) {
		st->server_first += p->len;
		if (st->server_first > RBI_INSP_SERVER_FIRST) {
			rbi_insp_fail_ctx(x, RBI_FAIL_SERVER_FIRST);
			return RBI_INSP_PASS;
		}
	}
	if (p->len && st->mode == RBI_M_DNS)
		return rbi_insp_dns_server(x, off);
	if (p->len)
		rbi_insp_status(st, p, off);
	if (st->phase == RBI_PH_SWITCH)
		rbi_insp_switch(x);
	if (st->phase == RBI_PH_DONE)
		return RBI_INSP_PASS;
	next = st->rbase + st->rlen;
	if (p->len && !rbi_insp_before(next, off) &&
	    rbi_insp_before(next, off + p->len) && st->mode != RBI_M_DNS)
		st->rbase = off + p->len;
	/*
	 * The client takes an RST only at the exact sequence (RFC 5961), and
	 * only one from the responder's side (with RBI_INSP_ACK) is trusted.
	 */
	if ((p->flags & (RBI_INSP_RST | RBI_INSP_ACK)) ==
	    (RBI_INSP_RST | RBI_INSP_ACK) && off == st->rbase + st->rlen) {
		if (st->phase == RBI_PH_CONFIRM)
			x->res->d = st->d;
		else
			rbi_classify(x->env->cfg, &x->res->flow, &x->res->d);
		rbi_insp_done(x);
	}
	return RBI_INSP_PASS;
}

/* ---- UDP ---- */

static enum rbi_insp_verdict rbi_insp_datagram(struct rbi_insp_ctx *x)
{
	const struct rbi_insp_pkt *p = x->p;
	bool dns = x->st->flow.dport == RBI_INSP_PORT_DNS;

	if (p->flags & RBI_INSP_REPLY) {
		if (dns)
			rbi_insp_answer(x, p->data, p->len);
		return RBI_INSP_PASS;
	}
	if (dns && rbi_insp_query(x, p->data, p->len))
		return RBI_INSP_PASS;
	if (rbi_insp_is_quic(p->data, p->len))
		rbi_insp_name(x, RBI_APP_QUIC, NULL, 0);
	rbi_insp_decide(x);
	return RBI_INSP_PASS;
}

/* ---- the API ---- */

/* d is left as it is: it means something only with decided or report. */
static void rbi_insp_result_init(struct rbi_insp_result *res,
				 const struct rbi_insp *st)
{
	res->flow = st->flow;
	res->decided = false;
	res->report = false;
	res->watch = false;
	res->events = 0;
}

void rbi_insp_open(struct rbi_insp *st, const struct rbi_flow *f)
{
	rbi_memset(st, 0, sizeof(*st));
	st->flow = *f;
	st->flow.name = NULL;
	st->flow.name_len = 0;
}

uint32_t rbi_insp_room(const struct rbi_insp *st, const struct rbi_insp_pkt *p)
{
	uint32_t off, end;

	if (st->phase == RBI_PH_FRESH || st->phase >= RBI_PH_CONFIRM ||
	    st->flow.l4 != RBI_L4_TCP || !p->len)
		return 0;
	if (p->flags & RBI_INSP_REPLY)
		return st->mode == RBI_M_DNS ?
		       RBI_MIN(st->rlen + p->len, RBI_INSP_DNS_FRAME_MAX) : 0;
	off = p->seq - st->isn;
	end = rbi_insp_end(st);
	if (rbi_insp_before(end, off) || !rbi_insp_before(end, off + p->len))
		return 0;
	return RBI_MIN(st->len + (off + p->len - end), RBI_INSP_WINDOW);
}

/*
 * The first packet: the addresses alone decide a flow that they block or
 * that no public zone holds; a TCP flow must be seen to open.
 */
static enum rbi_insp_verdict rbi_insp_fresh(struct rbi_insp_ctx *x)
{
	const struct rbi_insp_pkt *p = x->p;
	struct rbi_insp *st = x->st;
	struct rbi_decision *d = &x->res->d;

	rbi_classify(x->env->cfg, &x->res->flow, d);
	if (d->verdict == RBI_BLOCK || d->reason == RBI_WHY_NO_ZONE ||
	    d->reason == RBI_WHY_NOT_PUBLIC) {
		rbi_insp_done(x);
		return RBI_INSP_PASS;
	}
	st->phase = RBI_PH_OPEN;
	switch (st->flow.l4) {
	case RBI_L4_TCP:
		if ((p->flags & (RBI_INSP_SYN | RBI_INSP_REPLY)) !=
		    RBI_INSP_SYN)
			rbi_insp_fail_ctx(x, RBI_FAIL_MIDSTREAM);
		else if (p->len)
			rbi_insp_fail_ctx(x, RBI_FAIL_SYN_DATA);
		st->isn = p->seq + 1;
		return RBI_INSP_PASS;
	case RBI_L4_UDP:
		return rbi_insp_datagram(x);
	default:
		rbi_insp_done(x);
		return RBI_INSP_PASS;
	}
}

enum rbi_insp_verdict rbi_insp_packet(struct rbi_insp *st,
				      const struct rbi_insp_env *env,
				      const struct rbi_insp_pkt *p,
				      struct rbi_insp_result *res)
{
	struct rbi_insp_ctx x = { st, env, p, res };

	rbi_insp_result_init(res, st);
	switch (st->phase) {
	case RBI_PH_DONE:
		return RBI_INSP_PASS;
	case RBI_PH_FRESH:
		return rbi_insp_fresh(&x);
	default:
		break;
	}
	if (st->flow.l4 == RBI_L4_UDP)
		return rbi_insp_datagram(&x);
	if (p->flags & RBI_INSP_REPLY)
		return rbi_insp_server(&x);
	return rbi_insp_client(&x);
}

void rbi_insp_fail(struct rbi_insp *st, const struct rbi_insp_env *env,
		   enum rbi_fail why, struct rbi_insp_result *res)
{
	struct rbi_insp_ctx x = { st, env, NULL, res };

	rbi_insp_result_init(res, st);
	rbi_insp_fail_ctx(&x, why);
}

bool rbi_insp_decided(const struct rbi_insp *st)
{
	return st->phase == RBI_PH_DONE;
}

bool rbi_insp_between(const struct rbi_insp *st)
{
	if (st->phase != RBI_PH_OPEN || st->pos != rbi_insp_end(st))
		return false;
	return st->mode == RBI_M_DNS ||
	       ((st->mode == RBI_M_HTTP || st->mode == RBI_M_RTSP) &&
		st->body == RBI_B_HEAD);
}

bool rbi_insp_is_quic(const uint8_t *p, size_t len)
{
	size_t dcid, scid;

	if (len < RBI_QUIC_LONG_MIN || (p[0] & 0xc0) != 0xc0 ||
	    !rbi_get_be32(p + 1))
		return false;
	dcid = p[5];
	if (dcid > RBI_QUIC_CID_MAX || len < RBI_QUIC_LONG_MIN + dcid)
		return false;
	scid = p[6 + dcid];
	return scid <= RBI_QUIC_CID_MAX &&
	       len >= RBI_QUIC_LONG_MIN + dcid + scid;
}

/* What the engine reports a packet did, and the counter it moves. */
static const struct {
	uint32_t event;
	uint8_t stat;
} rbi_insp_event_stats[] = {
	{ RBI_INSP_EV_GAP, RBI_STAT_OOO_DROPS },
	{ RBI_INSP_EV_FULL, RBI_STAT_HELD },
	{ RBI_INSP_EV_HELD, RBI_STAT_HELD },
	{ RBI_INSP_EV_RESENT, RBI_STAT_RETRANS },
	{ RBI_INSP_EV_REQUEST, RBI_STAT_REQUESTS },
	{ RBI_INSP_EV_QUERY, RBI_STAT_DNS_QUERIES },
	{ RBI_INSP_EV_ANSWER, RBI_STAT_DNS_ANSWERS },
	{ RBI_INSP_EV_UNSOLICITED, RBI_STAT_DNS_UNSOLICITED },
	{ RBI_INSP_EV_DNS_MALFORMED, RBI_STAT_DNS_MALFORMED },
};

/* The events, then flows, named, blocks, logs, failed and its reason. */
_Static_assert(RBI_ARRAY_SIZE(rbi_insp_event_stats) + 6 <= RBI_INSP_STATS_MAX,
	       "rbi_insp_stats() could write past its out[]");

size_t rbi_insp_stats(const struct rbi_insp_result *res,
		      unsigned int out[RBI_INSP_STATS_MAX])
{
	size_t i, n = 0;

	for (i = 0; i < RBI_ARRAY_SIZE(rbi_insp_event_stats); i++)
		if (res->events & rbi_insp_event_stats[i].event)
			out[n++] = rbi_insp_event_stats[i].stat;
	if (!res->decided)
		return n;
	out[n++] = RBI_STAT_FLOWS;
	if (res->flow.name_len)
		out[n++] = RBI_STAT_NAMED;
	if (res->d.verdict == RBI_BLOCK)
		out[n++] = RBI_STAT_BLOCKS;
	if (res->d.log)
		out[n++] = RBI_STAT_LOGS;
	if (res->d.fail) {
		out[n++] = RBI_STAT_FAILED;
		out[n++] = RBI_STAT_FAIL(res->d.fail);
	}
	return n;
}
