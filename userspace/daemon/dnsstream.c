// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "daemon/dnsstream.h"
#include "rbi_dns.h"

/* Bytes [lo, hi) of the window, held past a hole. */
struct rbi_ds_run {
	uint32_t lo;
	uint32_t hi;
};

struct rbi_ds {
	struct rbi_ip src, dst;
	uint16_t sport, dport;
	bool used;
	bool refused;		/* see rbi_dnsstreams_segment() */
	uint32_t base;		/* sequence number of window byte 0 */
	uint32_t have;		/* window bytes [0, have) are in order */
	unsigned int runs;
	struct rbi_ds_run run[RBI_DNSSTREAM_HOLES];	/* sorted, apart */
	uint64_t last_ms;
	uint8_t *buf;		/* RBI_DNSSTREAM_CAP bytes while in use */
};

struct rbi_dnsstreams {
	struct rbi_ds s[RBI_DNSSTREAM_MAX];
};

struct rbi_dnsstreams *rbi_dnsstreams_new(void)
{
	return calloc(1, sizeof(struct rbi_dnsstreams));
}

static void rbi_ds_drop(struct rbi_ds *s)
{
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

void rbi_dnsstreams_free(struct rbi_dnsstreams *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < RBI_DNSSTREAM_MAX; i++)
		rbi_ds_drop(&t->s[i]);
	free(t);
}

static bool rbi_ds_ip_eq(const struct rbi_ip *a, const struct rbi_ip *b)
{
	return a->family == b->family && !memcmp(a->a, b->a, sizeof(a->a));
}

static bool rbi_ds_is(const struct rbi_ds *s, const struct rbi_frame *f)
{
	return s->used && s->sport == f->sport && s->dport == f->dport &&
	       rbi_ds_ip_eq(&s->src, &f->src) && rbi_ds_ip_eq(&s->dst, &f->dst);
}

/* What a stream given up held of a message: none, or its bytes. */
static uint64_t rbi_ds_pending(const struct rbi_ds *s)
{
	return s->runs ? s->run[s->runs - 1].hi : s->have;
}

/*
 * The stream of f, or a fresh one starting at seq: a free slot, else the
 * one idle longest (its unread bytes added to *lost). NULL without memory.
 */
static struct rbi_ds *rbi_ds_find(struct rbi_dnsstreams *t,
				  const struct rbi_frame *f, uint32_t seq,
				  uint64_t now_ms, uint64_t *lost)
{
	struct rbi_ds *s, *pick = NULL;
	size_t i;

	for (i = 0; i < RBI_DNSSTREAM_MAX; i++) {
		s = &t->s[i];
		if (rbi_ds_is(s, f))
			return s;
		if (s->used && now_ms - s->last_ms > RBI_DNSSTREAM_IDLE_MS) {
			*lost += rbi_ds_pending(s);
			rbi_ds_drop(s);
		}
		if (!pick || !s->used ||
		    (pick->used && s->last_ms < pick->last_ms))
			pick = s;
	}
	*lost += pick->used ? rbi_ds_pending(pick) : 0;
	rbi_ds_drop(pick);
	pick->buf = malloc(RBI_DNSSTREAM_CAP);
	if (!pick->buf)
		return NULL;
	pick->used = true;
	pick->src = f->src;
	pick->dst = f->dst;
	pick->sport = f->sport;
	pick->dport = f->dport;
	pick->base = seq;
	return pick;
}

/*
 * Takes window bytes [lo, hi) of data (which starts at lo): the first
 * copy of a byte wins. False when holding them would need one run too many.
 */
static bool rbi_ds_put(struct rbi_ds *s, uint32_t lo, uint32_t hi,
		       const uint8_t *data)
{
	struct rbi_ds_run run[RBI_DNSSTREAM_HOLES + 1];
	uint32_t at = lo > s->have ? lo : s->have, end;
	unsigned int i, n = 0;

	if (at >= hi)
		return true;
	/* The new runs first, to refuse before any byte is written. */
	for (i = 0; i < s->runs && s->run[i].hi < at; i++)
		run[n++] = s->run[i];
	run[n].lo = at;
	run[n].hi = hi;
	for (; i < s->runs && s->run[i].lo <= run[n].hi; i++) {
		if (s->run[i].lo < run[n].lo)
			run[n].lo = s->run[i].lo;
		if (s->run[i].hi > run[n].hi)
			run[n].hi = s->run[i].hi;
	}
	n++;
	for (; i < s->runs; i++)
		run[n++] = s->run[i];
	if (run[0].lo <= s->have) {
		s->have = run[0].hi;
		memmove(run, run + 1, --n * sizeof(run[0]));
	}
	if (n > RBI_DNSSTREAM_HOLES)
		return false;
	/* Copy what no earlier segment brought. */
	for (i = 0; i < s->runs && at < hi; i++) {
		end = s->run[i].lo < hi ? s->run[i].lo : hi;
		if (at < end)
			memcpy(s->buf + at, data + (at - lo), end - at);
		if (at < s->run[i].hi)
			at = s->run[i].hi;
	}
	if (at < hi)
		memcpy(s->buf + at, data + (at - lo), hi - at);
	memcpy(s->run, run, n * sizeof(run[0]));
	s->runs = n;
	return true;
}

/* Forgets window bytes [0, n): the next message starts at byte 0. */
static void rbi_ds_consume(struct rbi_ds *s, uint32_t n)
{
	uint32_t end = (uint32_t)rbi_ds_pending(s);
	unsigned int i;

	memmove(s->buf, s->buf + n, end - n);
	s->base += n;
	s->have -= n;
	for (i = 0; i < s->runs; i++) {
		s->run[i].lo -= n;
		s->run[i].hi -= n;
	}
}

/* Hands on every whole message; bytes given up, or 0. */
static uint64_t rbi_ds_frames(struct rbi_ds *s, const struct rbi_frame *f,
			      rbi_dnsstream_msg cb, void *ctx)
{
	uint32_t len;

	while (s->have >= 2) {
		len = (uint32_t)s->buf[0] << 8 | s->buf[1];
		if (len < RBI_DNS_HDR_LEN) {
			/* No DNS frame: the stream is not read past it. */
			len = (uint32_t)rbi_ds_pending(s);
			rbi_ds_consume(s, len);
			s->runs = 0;
			return len;
		}
		if (s->have < 2 + len)
			break;
		if (!cb(ctx, f, s->buf + 2, len))
			s->refused = true;
		rbi_ds_consume(s, 2 + len);
	}
	return 0;
}

/* A FIN or RST ends the stream: what it held of a message is lost. */
static uint64_t rbi_ds_close(struct rbi_dnsstreams *t,
			     const struct rbi_frame *f)
{
	uint64_t lost = 0;
	size_t i;

	if (!(f->tcp_flags & (RBI_TCP_FIN | RBI_TCP_RST)))
		return 0;
	for (i = 0; i < RBI_DNSSTREAM_MAX; i++) {
		if (rbi_ds_is(&t->s[i], f)) {
			lost = rbi_ds_pending(&t->s[i]);
			rbi_ds_drop(&t->s[i]);
		}
	}
	return lost;
}

/* Window bytes [off, off + len) of data arrive; bytes given up. */
static uint64_t rbi_ds_data(struct rbi_ds *s, uint32_t off,
			    const uint8_t *data, size_t len)
{
	uint32_t hi;
	uint64_t lost = 0;

	if (off >= RBI_DNSSTREAM_CAP)
		return len;
	hi = off + (uint32_t)len;
	if (len > RBI_DNSSTREAM_CAP - off) {
		lost = len - (RBI_DNSSTREAM_CAP - off);
		hi = RBI_DNSSTREAM_CAP;
	}
	if (!rbi_ds_put(s, off, hi, data))
		lost += hi - off;
	return lost;
}

uint64_t rbi_dnsstreams_segment(struct rbi_dnsstreams *t,
				const struct rbi_frame *f, uint64_t now_ms,
				rbi_dnsstream_msg cb, void *ctx,
				bool *refused)
{
	bool syn = f->tcp_flags & RBI_TCP_SYN;
	uint32_t seq = f->seq + syn, off;
	uint64_t lost = 0, own = 0;
	struct rbi_ds *s;
	size_t skip;

	*refused = false;
	if (!f->len && !syn)
		return rbi_ds_close(t, f);
	s = rbi_ds_find(t, f, seq, now_ms, &lost);
	if (!s) {
		*refused = true;
		return lost + f->len;
	}
	if (syn && (s->have || s->runs || s->base != seq)) {
		own += rbi_ds_pending(s);
		s->base = seq;
		s->have = 0;
		s->runs = 0;
	}
	s->last_ms = now_ms;
	off = seq - s->base;
	/* Bytes before the window were read already. */
	skip = (int32_t)off < 0 ? (uint32_t)-(int32_t)off : 0;
	if (skip < f->len) {
		own += rbi_ds_data(s, skip ? 0 : off, f->data + skip,
				   f->len - skip);
		own += rbi_ds_frames(s, f, cb, ctx);
	}
	if (own)
		s->refused = true;
	*refused = s->refused;
	return lost + own + rbi_ds_close(t, f);
}
