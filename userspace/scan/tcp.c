// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "scan/internal.h"

enum {
	/* A mid-stream direction may start over at a later segment. */
	RBI_SCAN_RESYNC_MAX = 16,
	RBI_SEQ_BEFORE = 0x80000000u,
	/* Where a request or status line must end to count as one. */
	RBI_SCAN_LINE_MAX = 2048,
	RBI_SCAN_METHOD_MAX = 20,
	/* TLS records: content types 20 to 24, 2^14 bytes plus expansion. */
	RBI_TLS_CT_FIRST = 20,
	RBI_TLS_CT_LAST = 24,
	RBI_TLS_RECORD_MAX = 16384 + 2048,
};

/* A TLS record header, of any content type, at p. */
static bool rbi_scan_tls_record(const uint8_t *p, size_t len)
{
	uint16_t n;

	if (len < 5 || p[0] < RBI_TLS_CT_FIRST || p[0] > RBI_TLS_CT_LAST ||
	    p[1] != 3 || p[2] > 4)
		return false;
	n = rbi_get_be16(p + 3);
	return n && n <= RBI_TLS_RECORD_MAX;
}

static bool rbi_scan_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* "HTTP/1.x" or "RTSP/x.y" at p, 8 bytes. */
static bool rbi_scan_version(const uint8_t *p)
{
	return (!memcmp(p, "HTTP/1.", 7) && rbi_scan_digit(p[7])) ||
	       (!memcmp(p, "RTSP/", 5) && rbi_scan_digit(p[5]) &&
		p[6] == '.' && rbi_scan_digit(p[7]));
}

/*
 * A whole request line at p (a method, a target, a version, in one line
 * that ends in the segment), or a response's status line.
 */
static bool rbi_scan_line(const uint8_t *p, size_t len)
{
	const uint8_t *nl = memchr(p, '\n', RBI_MIN(len, RBI_SCAN_LINE_MAX));
	size_t end, i = 0, sp;

	if (!nl)
		return false;
	end = (size_t)(nl - p);
	if (end && p[end - 1] == '\r')
		end--;
	if (end >= 12 && rbi_scan_version(p) && p[8] == ' ')
		return true;
	while (i < end && i < RBI_SCAN_METHOD_MAX &&
	       ((p[i] >= 'A' && p[i] <= 'Z') || p[i] == '_' || p[i] == '-'))
		i++;
	if (!i || i >= end || p[i] != ' ')
		return false;
	for (sp = end; sp > i + 1 && p[sp - 1] != ' '; sp--)
		;
	return sp > i + 2 && end - sp == 8 && rbi_scan_version(p + sp);
}

/*
 * Whether a segment can start a stream picked up mid-way: it begins with
 * a TLS record header or a request or status line, so that the bytes
 * before it can be left out without guessing where a message starts.
 * DNS over TCP has nothing to recognise: any segment may start it.
 */
static bool rbi_scan_sync_point(const struct rbi_scan_dir *d,
				const uint8_t *p, size_t len)
{
	return d->cand & RBI_CAND_DNS || rbi_scan_tls_record(p, len) ||
	       rbi_scan_line(p, len);
}

enum rbi_parse_result rbi_scan_request(struct rbi_scan *s, enum rbi_app app,
				       const uint8_t *buf, size_t len,
				       const char **name)
{
	const struct rbi_text_host *host;
	enum rbi_parse_result r;
	bool has_host;

	if (app == RBI_APP_HTTP) {
		r = rbi_http_parse_request(buf, len, &s->http);
		host = &s->http.host;
		has_host = s->http.has_host;
	} else {
		r = rbi_rtsp_parse_request(buf, len, &s->rtsp);
		host = &s->rtsp.host;
		has_host = s->rtsp.has_host;
	}
	*name = r == RBI_PARSE_OK && has_host ? host->name : "";
	return r;
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
			rbi_scan_why(f, RBI_UN_MALFORMED);
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
		rbi_scan_why(f, RBI_UN_MALFORMED);
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
	/*
	 * A stream picked up mid-way at a TLS record that is no hello: the
	 * hello came before the capture, and no other will come.
	 */
	if (r == RBI_PARSE_NOT_MINE && !(f->dir[side].flags & RBI_DIR_SYN) &&
	    rbi_scan_tls_record(buf, len)) {
		if (f->app == RBI_APP_NONE)
			f->app = RBI_APP_TLS;
		rbi_scan_why(f, RBI_UN_TLS_LATE);
		f->dir[side].cand = 0;
		f->dir[side].flags |= RBI_DIR_DONE;
		return false;
	}
	if (r == RBI_PARSE_NEED_MORE && hint > *need)
		*need = hint;
	return rbi_scan_result(s, f, side, r, RBI_CAND_TLS, RBI_APP_TLS,
			       RBI_SC_TLS_MALFORMED);
}

/* The HTTP or RTSP (app) dissector, candidate bit cand. */
static bool rbi_scan_req(struct rbi_scan *s, uint32_t idx,
			 struct rbi_scan_flow *f, unsigned int side,
			 const uint8_t *buf, size_t len, enum rbi_app app,
			 uint8_t cand)
{
	enum rbi_parse_result r;
	const char *name;

	r = rbi_scan_request(s, app, buf, len, &name);
	if (r == RBI_PARSE_OK) {
		rbi_scan_named_request(s, idx, f, side, app, name, buf, len);
		return false;
	}
	return rbi_scan_result(s, f, side, r, cand, app,
			       app == RBI_APP_HTTP ? RBI_SC_HTTP_MALFORMED :
			       RBI_SC_RTSP_MALFORMED);
}

/*
 * A direction no dissector can name any more. A stream picked up in the
 * middle may start over at a later segment that starts a hello or request
 * (the next request of a keep-alive connection), up to
 * RBI_SCAN_RESYNC_MAX times; otherwise, once neither side can be named,
 * the flow is decided unnamed.
 */
void rbi_scan_dir_done(struct rbi_scan *s, uint32_t idx,
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
	if ((d->flags & (RBI_DIR_BASE | RBI_DIR_SYN | RBI_DIR_DONE)) ==
	    RBI_DIR_BASE && d->resyncs < RBI_SCAN_RESYNC_MAX) {
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
		rbi_scan_why(f, RBI_UN_MIDSTREAM);
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
		more |= rbi_scan_req(s, idx, f, side, buf, len, RBI_APP_HTTP,
				     RBI_CAND_HTTP);
	if (f->state == RBI_FLOW_OPEN && d->cand & RBI_CAND_RTSP)
		more |= rbi_scan_req(s, idx, f, side, buf, len, RBI_APP_RTSP,
				     RBI_CAND_RTSP);
	if (d->cand & RBI_CAND_DNS)
		more |= rbi_scan_dns_tcp(s, idx, f, side, buf, len);
	if (f->state == RBI_FLOW_WATCHING)
		return rbi_scan_watch_more(s, idx, f, side, len, grew);
	/* A full buffer that still is not enough never will be. */
	if (more && len >= RBI_REASM_CAP) {
		more = false;
		d->cand = 0;
		rbi_scan_why(f, RBI_UN_LOST_BYTES);
	}
	if (!d->cand) {
		rbi_scan_dir_done(s, idx, f, side);
		return false;
	}
	d->need = (uint32_t)RBI_MIN(need, (size_t)RBI_REASM_CAP);
	return more;
}

static void rbi_scan_count_reasm(struct rbi_scan *s, enum rbi_reasm_result r)
{
	static const uint8_t counter[__RBI_REASM_MAX] = {
		[RBI_REASM_GREW] = __RBI_SC_MAX,
		[RBI_REASM_HELD] = RBI_SC_SEG_HELD,
		[RBI_REASM_OLD] = RBI_SC_SEG_OLD,
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
bool rbi_scan_reused(const struct rbi_scan_flow *f, unsigned int side,
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

/*
 * The initiator sent its SYN again and nothing came back: the connection
 * is not getting through, as when the gateway drops it by address. If the
 * flow is blocked without a name, it is decided now rather than when it
 * goes idle minutes later (or when watch stops): no name can come before
 * the handshake does.
 */
static void rbi_scan_syn_again(struct rbi_scan *s, uint32_t idx,
			       struct rbi_scan_flow *f, unsigned int side)
{
	struct rbi_decision d;
	struct rbi_flow fl;

	if (f->state != RBI_FLOW_OPEN || f->dir[!side].flags & RBI_DIR_BASE ||
	    f->dir[side].flags & RBI_DIR_DATA)
		return;
	rbi_scan_flow_of(s, idx, f, NULL, &fl);
	rbi_classify(s->policy->config, &fl, &d);
	if (d.verdict != RBI_BLOCK)
		return;
	f->dir[0].cand = 0;
	f->dir[1].cand = 0;
	rbi_scan_decide(s, idx, f, NULL);
}

static void rbi_scan_syn(struct rbi_scan *s, uint32_t idx,
			 struct rbi_scan_flow *f, unsigned int side,
			 const struct rbi_frame *pkt)
{
	struct rbi_scan_dir *d = &f->dir[side];

	if ((pkt->tcp_flags & RBI_TCP_ACK) == 0 && d->flags & RBI_DIR_SYN &&
	    d->base == pkt->seq + 1)
		rbi_scan_syn_again(s, idx, f, side);

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

	/*
	 * A direction seen without its SYN starts at the first segment that
	 * can start it; the ones before are counted and left.
	 */
	if (!(d->flags & RBI_DIR_BASE)) {
		d->flags |= RBI_DIR_DATA;
		if (!rbi_scan_sync_point(d, pkt->data, pkt->len)) {
			rbi_scan_why(f, RBI_UN_MIDSTREAM);
			s->st.count[RBI_SC_SEG_UNSYNCED]++;
			return;
		}
		d->base = pkt->seq;
		d->flags |= RBI_DIR_BASE;
		s->st.count[RBI_SC_RESYNC]++;
	}
	rbi_scan_why(f, RBI_UN_NOT_RECOGNISED);
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

void rbi_scan_tcp(struct rbi_scan *s, uint32_t idx,
		  struct rbi_scan_flow *f, unsigned int side,
		  const struct rbi_frame *pkt)
{
	struct rbi_scan_dir *d = &f->dir[side];

	if (pkt->tcp_flags & RBI_TCP_SYN)
		rbi_scan_syn(s, idx, f, side, pkt);
	if (pkt->tcp_flags & (RBI_TCP_FIN | RBI_TCP_RST))
		d->flags |= RBI_DIR_FIN;
	if (pkt->len && (d->cand || d->flags & RBI_DIR_WATCH))
		rbi_scan_payload(s, idx, f, side, pkt);
	if (f->state == RBI_FLOW_WATCHING)
		rbi_scan_watch_check(s, idx, f);
	if (rbi_scan_closed(f, pkt))
		rbi_flowtab_end(s->flows, idx, RBI_FLOW_END_CLOSED);
}
