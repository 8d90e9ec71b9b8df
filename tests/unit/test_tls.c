// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Properties of the ClientHello dissector that a table of cases cannot
 * show: that where the record layer cuts a hello never changes what comes
 * out, and that damaged hellos, however damaged, give a clear result and
 * keep need's promise, under the sanitizers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rbi_tls.h"

/* A TLS 1.3 ClientHello handshake message, as one record would carry it. */
static const uint8_t hello[] = {
	0x01, 0x00, 0x00, 0x62,				/* ClientHello */
	0x03, 0x03,					/* legacy_version */
	0x5a, 0x17, 0x9c, 0x02, 0xe1, 0x44, 0x3b, 0x80,	/* random */
	0x6d, 0x21, 0xf7, 0x0e, 0x93, 0x58, 0xc4, 0x2a,
	0x11, 0xbe, 0x07, 0x6f, 0xd2, 0x39, 0x85, 0x4c,
	0xa0, 0x1b, 0x7e, 0xe3, 0x56, 0x0d, 0xc9, 0x62,
	0x00,						/* session id */
	0x00, 0x04, 0x13, 0x01, 0x13, 0x02,		/* suites */
	0x01, 0x00,					/* compression */
	0x00, 0x35,					/* extensions */
	0x00, 0x00, 0x00, 0x0e, 0x00, 0x0c, 0x00, 0x00,	/* server_name */
	0x09, 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
	0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 'h',	/* ALPN */
	'2', 0x08, 'h', 't', 't', 'p', '/', '1', '.', '1',
	0x00, 0x2b, 0x00, 0x05, 0x04, 0x03, 0x04, 0x03,	/* versions */
	0x03,
	0xfe, 0x0d, 0x00, 0x04, 0x00, 0x00, 0x01, 0x00,	/* ECH */
};

enum {
	REC_HDR = 5,
	/* Enough for the hello cut into as many records as it has bytes. */
	STREAM_MAX = sizeof(hello) * (REC_HDR + 1),
	MUTATIONS = 20000,
};

/* Cuts hello into records ending at the given offsets, then the rest. */
static size_t frame(uint8_t *out, const size_t *cuts, size_t ncuts)
{
	size_t off = 0, len = 0, i, n;

	for (i = 0; i <= ncuts; i++) {
		n = (i < ncuts ? cuts[i] : sizeof(hello)) - off;
		if (!n)
			continue;
		out[len++] = 22;
		out[len++] = 3;
		out[len++] = 1;
		out[len++] = (uint8_t)(n >> 8);
		out[len++] = (uint8_t)n;
		memcpy(out + len, hello + off, n);
		len += n;
		off += n;
	}
	return len;
}

static void assert_hello(const uint8_t *stream, size_t len)
{
	struct rbi_tls_hello h;
	uint8_t *copy = malloc(len);
	size_t need = 1;

	assert_non_null(copy);
	memcpy(copy, stream, len);
	assert_int_equal(rbi_tls_parse_client_hello(copy, len, &h, &need),
			 RBI_PARSE_OK);
	free(copy);
	assert_int_equal(need, 0);
	assert_true(h.has_sni);
	assert_string_equal(h.sni, "a.example");
	assert_string_equal(h.alpn, "h2,http/1.1");
	assert_int_equal(h.version, 0x0304);
	assert_int_equal(h.legacy_version, 0x0303);
	assert_int_equal(h.record_version, 0x0301);
	assert_true(h.ech);
	assert_false(h.esni || h.sslv2 || h.alpn_truncated);
}

static void test_bare_message(void **state)
{
	struct rbi_tls_hello h;

	assert_int_equal(rbi_tls_parse_handshake(hello, sizeof(hello), &h),
			 RBI_PARSE_OK);
	assert_string_equal(h.sni, "a.example");
	assert_int_equal(h.record_version, 0);
}

static void test_two_records_cut_anywhere(void **state)
{
	uint8_t stream[STREAM_MAX];
	size_t cut;

	for (cut = 1; cut < sizeof(hello); cut++)
		assert_hello(stream, frame(stream, &cut, 1));
}

static void test_three_records_cut_anywhere(void **state)
{
	uint8_t stream[STREAM_MAX];
	size_t cuts[2];

	for (cuts[0] = 1; cuts[0] < sizeof(hello); cuts[0]++)
		for (cuts[1] = cuts[0] + 1; cuts[1] < sizeof(hello); cuts[1]++)
			assert_hello(stream, frame(stream, cuts, 2));
}

static void test_one_byte_records(void **state)
{
	uint8_t stream[STREAM_MAX];
	size_t cuts[sizeof(hello) - 1], i;

	for (i = 0; i < sizeof(hello) - 1; i++)
		cuts[i] = i + 1;
	assert_hello(stream, frame(stream, cuts, sizeof(hello) - 1));
}

static uint32_t rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Whatever came out must be one of the results and make sense as such. */
static void check_result(const uint8_t *p, size_t len)
{
	struct rbi_tls_hello h;
	enum rbi_parse_result r, r2;
	size_t need, need2, shorter;

	r = rbi_tls_parse_client_hello(p, len, &h, &need);
	assert_in_range(r, RBI_PARSE_OK, __RBI_PARSE_MAX - 1);
	if (r == RBI_PARSE_OK) {
		assert_in_range(strlen(h.sni), h.has_sni, RBI_NAME_MAX);
		assert_in_range(strlen(h.alpn), 0, RBI_TLS_ALPN_BUF - 1);
	}
	if (r != RBI_PARSE_NEED_MORE) {
		assert_int_equal(need, 0);
		return;
	}
	assert_true(need > len && need <= RBI_TLS_HELLO_MAX);
	/* No shorter stream completes the hello. */
	for (shorter = len + 1; shorter < need && shorter <= len + 8;
	     shorter++) {
		uint8_t *more = calloc(1, shorter);

		assert_non_null(more);
		memcpy(more, p, len);
		r2 = rbi_tls_parse_client_hello(more, shorter, &h, &need2);
		free(more);
		assert_int_not_equal(r2, RBI_PARSE_OK);
	}
}

static void test_mutations(void **state)
{
	uint8_t stream[STREAM_MAX], *copy;
	uint32_t seed = 0x2545f491;
	size_t len, cut, i, n;

	for (i = 0; i < MUTATIONS; i++) {
		cut = 1 + rng_next(&seed) % (sizeof(hello) - 1);
		len = frame(stream, &cut, i % 2);
		for (n = 1 + rng_next(&seed) % 4; n; n--)
			stream[rng_next(&seed) % len] = (uint8_t)rng_next(&seed);
		len -= rng_next(&seed) % 4 ? 0 : rng_next(&seed) % len;
		copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, stream, len);
		check_result(copy, len);
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bare_message),
		cmocka_unit_test(test_two_records_cut_anywhere),
		cmocka_unit_test(test_three_records_cut_anywhere),
		cmocka_unit_test(test_one_byte_records),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
