// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DNS over TCP put back in order from NFLOG copies of the answering
 * side's segments: whatever way a resolver cuts, reorders or repeats its
 * segments, each message comes out once, whole; what can't be held is
 * counted, never handed on cut.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/dnsstream.h"
#include "rbi_dns.h"

enum {
	STREAM_MSGS = 3,
	MSG_LEN = 300,
	ISN = 0xfffffff0u,	/* sequence numbers wrap inside the stream */
};

struct seen {
	unsigned int n;
	uint8_t first[STREAM_MSGS];	/* each message's first byte */
	size_t len[STREAM_MSGS];
	uint8_t refuse;			/* the message to refuse, or 0 */
	bool bad;
};

/* Three messages of MSG_LEN bytes, each framed, filled with its index. */
static size_t make_stream(uint8_t *s)
{
	size_t off = 0, i;

	for (i = 0; i < STREAM_MSGS; i++) {
		s[off++] = MSG_LEN >> 8;
		s[off++] = MSG_LEN & 0xff;
		memset(s + off, (int)(i + 1), MSG_LEN);
		off += MSG_LEN;
	}
	return off;
}

static bool on_msg(void *ctx, const struct rbi_frame *f, const uint8_t *msg,
		   size_t len)
{
	struct seen *s = ctx;
	size_t i;

	(void)f;
	if (s->n == STREAM_MSGS) {
		s->bad = true;
		return true;
	}
	for (i = 1; i < len; i++)
		if (msg[i] != msg[0])
			s->bad = true;
	s->first[s->n] = msg[0];
	s->len[s->n++] = len;
	return msg[0] != s->refuse;
}

static void frame_of(struct rbi_frame *f, uint32_t seq, uint8_t flags,
		     const uint8_t *data, size_t len)
{
	memset(f, 0, sizeof(*f));
	f->src.family = f->dst.family = 4;
	f->src.a[0] = 198;
	f->dst.a[0] = 192;
	f->sport = 53;
	f->dport = 40000;
	f->l4 = RBI_PROTO_TCP;
	f->tcp_flags = flags;
	f->seq = seq;
	f->data = data;
	f->len = len;
}

/* The stream cut at cuts[], pieces sent in order[] (their indexes). */
static void run(const size_t *cuts, size_t ncuts, const size_t *order,
		size_t norder, struct seen *seen, uint64_t *lost)
{
	static uint8_t s[STREAM_MSGS * (MSG_LEN + 2)];
	struct rbi_dnsstreams *t = rbi_dnsstreams_new();
	struct rbi_frame f;
	size_t len = make_stream(s), i, k, lo, hi;
	bool refused;

	assert_non_null(t);
	memset(seen, 0, sizeof(*seen));
	frame_of(&f, ISN - 1, RBI_TCP_SYN | RBI_TCP_ACK, NULL, 0);
	*lost = rbi_dnsstreams_segment(t, &f, 0, on_msg, seen, &refused);
	for (i = 0; i < norder; i++) {
		k = order[i];
		lo = k ? cuts[k - 1] : 0;
		hi = k < ncuts ? cuts[k] : len;
		frame_of(&f, ISN + (uint32_t)lo, RBI_TCP_ACK, s + lo, hi - lo);
		*lost += rbi_dnsstreams_segment(t, &f, 1, on_msg, seen,
						&refused);
		seen->bad |= refused && !*lost;
	}
	rbi_dnsstreams_free(t);
}

static void in_order_any_cut(void **state)
{
	static const size_t cuts[] = { 1, 2, 150, 302, 303, 700 };
	static const size_t order[] = { 0, 1, 2, 3, 4, 5, 6 };
	struct seen seen;
	uint64_t lost;

	(void)state;
	run(cuts, 6, order, 7, &seen, &lost);
	assert_false(seen.bad);
	assert_int_equal(seen.n, STREAM_MSGS);
	assert_int_equal(seen.first[0], 1);
	assert_int_equal(seen.first[2], 3);
	assert_int_equal(seen.len[1], MSG_LEN);
	assert_int_equal(lost, 0);
}

static void reordered(void **state)
{
	static const size_t cuts[] = { 2, 150, 302, 500, 700 };
	static const size_t order[] = { 5, 3, 1, 4, 0, 2 };
	struct seen seen;
	uint64_t lost;

	(void)state;
	run(cuts, 5, order, 6, &seen, &lost);
	assert_false(seen.bad);
	assert_int_equal(seen.n, STREAM_MSGS);
	assert_int_equal(seen.first[1], 2);
	assert_int_equal(lost, 0);
}

/* Pieces sent twice: the first copy wins, nothing comes out twice. */
static void repeated(void **state)
{
	static const size_t cuts[] = { 100, 400, 700 };
	static const size_t order[] = { 1, 1, 0, 3, 2, 2 };
	struct seen seen;
	uint64_t lost;

	(void)state;
	run(cuts, 3, order, 6, &seen, &lost);
	assert_false(seen.bad);
	assert_int_equal(seen.n, STREAM_MSGS);
	assert_int_equal(lost, 0);
}

/* A frame too short to be DNS: the stream is given up, counted. */
static void short_frame_given_up(void **state)
{
	static const uint8_t bad[] = { 0, 5, 1, 2, 3, 4, 5, 0, 12 };
	struct rbi_dnsstreams *t = rbi_dnsstreams_new();
	struct seen seen = { 0 };
	struct rbi_frame f;
	bool refused;

	(void)state;
	assert_non_null(t);
	frame_of(&f, 1000, RBI_TCP_ACK, bad, sizeof(bad));
	assert_true(rbi_dnsstreams_segment(t, &f, 0, on_msg, &seen,
					   &refused) > 0);
	assert_true(refused);
	assert_int_equal(seen.n, 0);
	rbi_dnsstreams_free(t);
}

/* Bytes far past the window can't be held: counted, never handed on. */
static void past_the_window(void **state)
{
	static uint8_t data[64];
	struct rbi_dnsstreams *t = rbi_dnsstreams_new();
	struct seen seen = { 0 };
	struct rbi_frame f;
	bool refused;

	(void)state;
	assert_non_null(t);
	frame_of(&f, 99, RBI_TCP_SYN | RBI_TCP_ACK, NULL, 0);
	rbi_dnsstreams_segment(t, &f, 0, on_msg, &seen, &refused);
	assert_false(refused);
	frame_of(&f, 100 + RBI_DNSSTREAM_CAP, RBI_TCP_ACK, data, sizeof(data));
	assert_int_equal(rbi_dnsstreams_segment(t, &f, 0, on_msg, &seen,
						&refused), sizeof(data));
	assert_true(refused);
	assert_int_equal(seen.n, 0);
	rbi_dnsstreams_free(t);
}

/*
 * A message refused refuses its stream: the segment that carried it sent
 * again is refused too, though its bytes were read, and what follows.
 */
static void refused_stays_refused(void **state)
{
	static uint8_t s[STREAM_MSGS * (MSG_LEN + 2)];
	struct rbi_dnsstreams *t = rbi_dnsstreams_new();
	struct seen seen = { .refuse = 1 };
	size_t len = make_stream(s), one = MSG_LEN + 2;
	struct rbi_frame f;
	bool refused;

	(void)state;
	assert_non_null(t);
	frame_of(&f, 99, RBI_TCP_SYN | RBI_TCP_ACK, NULL, 0);
	rbi_dnsstreams_segment(t, &f, 0, on_msg, &seen, &refused);
	frame_of(&f, 100, RBI_TCP_ACK, s, one);
	assert_int_equal(rbi_dnsstreams_segment(t, &f, 0, on_msg, &seen,
						&refused), 0);
	assert_true(refused);
	assert_int_equal(rbi_dnsstreams_segment(t, &f, 0, on_msg, &seen,
						&refused), 0);
	assert_true(refused);
	frame_of(&f, 100 + (uint32_t)one, RBI_TCP_ACK, s + one, len - one);
	rbi_dnsstreams_segment(t, &f, 0, on_msg, &seen, &refused);
	assert_true(refused);
	assert_int_equal(seen.n, STREAM_MSGS);
	assert_false(seen.bad);
	rbi_dnsstreams_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(in_order_any_cut),
		cmocka_unit_test(reordered),
		cmocka_unit_test(repeated),
		cmocka_unit_test(short_frame_given_up),
		cmocka_unit_test(past_the_window),
		cmocka_unit_test(refused_stays_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
