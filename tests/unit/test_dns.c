// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DNS dissector checks that are generated rather than tabled: bounds that
 * take hundreds of bytes to reach, every byte value of a label, and a
 * mutation run that feeds broken messages to every entry point under the
 * sanitizers. The hand-written cases are in module/core/vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rbi_dns.h"

enum {
	QUESTION_FIXED = 4,
	MUTATION_ROUNDS = 20000,
};

static size_t put(uint8_t *buf, size_t off, const void *p, size_t n)
{
	memcpy(buf + off, p, n);
	return off + n;
}

static size_t put_header(uint8_t *buf, uint16_t flags, uint16_t qd,
			 uint16_t an)
{
	uint8_t h[RBI_DNS_HDR_LEN] = { 0xbe, 0xef };

	rbi_put_be16(flags, h + 2);
	rbi_put_be16(qd, h + 4);
	rbi_put_be16(an, h + 6);
	return put(buf, 0, h, sizeof(h));
}

/*
 * Questions whose names each point at the one before: the name of
 * question k takes k jumps to read.
 */
static size_t build_jump_chain(uint8_t *buf, unsigned int questions)
{
	static const uint8_t first[] = { 1, 'a', 0, 0, 1, 0, 1 };
	size_t off = put_header(buf, 0x0100, questions, 0);
	size_t prev = off;
	unsigned int i;
	uint8_t q[2 + QUESTION_FIXED] = { 0, 0, 0, 1, 0, 1 };

	off = put(buf, off, first, sizeof(first));
	for (i = 1; i < questions; i++) {
		rbi_put_be16((uint16_t)(0xc000 | prev), q);
		prev = off;
		off = put(buf, off, q, sizeof(q));
	}
	return off;
}

static void test_jump_bound(void **state)
{
	static uint8_t buf[RBI_DNS_HDR_LEN + 8 * (RBI_DNS_JUMPS_MAX + 2)];
	struct rbi_dns_msg m;
	size_t len;

	len = build_jump_chain(buf, RBI_DNS_JUMPS_MAX + 1);
	assert_int_equal(rbi_dns_parse(buf, len, &m), RBI_PARSE_OK);
	len = build_jump_chain(buf, RBI_DNS_JUMPS_MAX + 2);
	assert_int_equal(rbi_dns_parse(buf, len, &m), RBI_PARSE_MALFORMED);
}

/* The presentation rules of rbi_dns.h, restated independently. */
static void expected_text(uint8_t b, char *out, size_t size)
{
	if (b >= 'A' && b <= 'Z')
		snprintf(out, size, "%c", b - 'A' + 'a');
	else if (b == '.' || b == '\\' || b < 0x21 || b == 0x7f)
		snprintf(out, size, "\\%03u", b);
	else
		snprintf(out, size, "%c", b);
}

static void test_every_byte_value(void **state)
{
	uint8_t buf[RBI_DNS_HDR_LEN + 3 + QUESTION_FIXED];
	char name[RBI_NAME_BUF], want[8];
	uint16_t qtype, qclass;
	struct rbi_dns_msg m;
	unsigned int b;
	size_t off;

	for (b = 0; b < 256; b++) {
		off = put_header(buf, 0x0100, 1, 0);
		buf[off++] = 1;
		buf[off++] = (uint8_t)b;
		off = put(buf, off, "\0\0\1\0\1", 5);
		assert_int_equal(rbi_dns_parse(buf, off, &m), RBI_PARSE_OK);
		assert_int_equal(rbi_dns_question(&m, name, &qtype, &qclass),
				 RBI_PARSE_OK);
		expected_text((uint8_t)b, want, sizeof(want));
		assert_string_equal(name, want);
	}
}

static void test_iterator_stays_malformed(void **state)
{
	static const uint8_t msg[] = {
		0xbe, 0xef, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
		1, 'a', 0, 0, 1, 0, 1,
		0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1,
		0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 3, 192, 0, 2,
	};
	struct rbi_dns_rr *rr = calloc(1, sizeof(*rr));
	struct rbi_dns_iter it;
	struct rbi_dns_msg m;

	assert_non_null(rr);
	assert_int_equal(rbi_dns_parse(msg, sizeof(msg), &m), RBI_PARSE_OK);
	rbi_dns_answers_begin(&m, &it);
	assert_int_equal(rbi_dns_answers_next(&it, rr), RBI_DNS_STEP_ITEM);
	assert_int_equal(rbi_dns_answers_next(&it, rr), RBI_DNS_STEP_MALFORMED);
	assert_int_equal(rbi_dns_answers_next(&it, rr), RBI_DNS_STEP_MALFORMED);
	free(rr);
}

static void test_tcp_offset_past_stream(void **state)
{
	static const uint8_t stream[] = { 0, 12 };
	const uint8_t *msg = NULL;
	size_t off = sizeof(stream) + 1, len = 0;

	assert_int_equal(rbi_dns_tcp_next(stream, sizeof(stream), &off, &msg,
					  &len), RBI_PARSE_MALFORMED);
	assert_int_equal(off, sizeof(stream) + 1);
	assert_null(msg);
}

/* Rendered names: bounded, lower case, nothing that needed escaping. */
static void check_name(const char *name)
{
	size_t i, n = strnlen(name, RBI_NAME_BUF);

	assert_true(n <= RBI_NAME_MAX);
	for (i = 0; i < n; i++) {
		uint8_t b = (uint8_t)name[i];

		assert_false(b < 0x21 || b == 0x7f || (b >= 'A' && b <= 'Z'));
	}
}

struct mutation_scratch {
	struct rbi_dns_rr rr;
	struct rbi_dns_answer_set set;
	char name[RBI_NAME_BUF];
};

static void run_everything(const uint8_t *buf, size_t len,
			   struct mutation_scratch *s)
{
	struct rbi_dns_iter it;
	struct rbi_dns_msg m;
	uint16_t qtype, qclass;
	const uint8_t *frame;
	struct rbi_dns_addr a;
	size_t off = 0, n;
	unsigned int i, pos = 0;

	while (rbi_dns_tcp_next(buf, len, &off, &frame, &n) == RBI_PARSE_OK)
		assert_true(frame + n <= buf + len);
	if (rbi_dns_parse(buf, len, &m) != RBI_PARSE_OK)
		return;
	assert_true(m.an_off <= len);
	if (rbi_dns_question(&m, s->name, &qtype, &qclass) == RBI_PARSE_OK)
		check_name(s->name);
	rbi_dns_answers_begin(&m, &it);
	while (rbi_dns_answers_next(&it, &s->rr) == RBI_DNS_STEP_ITEM) {
		check_name(s->rr.name);
		check_name(s->rr.target);
		assert_true(s->rr.rdata + s->rr.rdlen <= buf + len);
	}
	rbi_dns_collect(&m, &s->set);
	assert_true(s->set.name_count <= RBI_DNS_CHAIN_MAX);
	assert_true(s->set.ref_count <= RBI_DNS_RECORDS_MAX);
	for (i = 0; i < s->set.name_count; i++) {
		rbi_dns_chain_name(&s->set, i, s->name);
		check_name(s->name);
	}
	while (rbi_dns_addr_next(&s->set, &pos, &a)) {
		assert_true(a.family == 4 || a.family == 6);
		assert_true(a.name < s->set.name_count);
	}
	pos = 0;
	while (rbi_dns_target_next(&s->set, &pos, &i, s->name)) {
		check_name(s->name);
		assert_true(i < s->set.name_count);
	}
}

static uint32_t xorshift(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * A response with compression, a CNAME chain out of order and both
 * address families: the mutations start from something that reaches
 * every part of the dissector.
 */
static const uint8_t seed[] = {
	0xbe, 0xef, 0x81, 0x80, 0, 1, 0, 4, 0, 0, 0, 0,
	/* 12 */ 3, 'w', 'w', 'w', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e',
	0, 0, 1, 0, 1,
	/* 29 */ 3, 'c', 'd', 'n', 0xc0, 0x10, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4,
	198, 51, 100, 7,
	/* 49 */ 0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 0, 30, 0, 2, 0xc0, 0x1d,
	/* 63 */ 0xc0, 0x1d, 0, 28, 0, 1, 0, 0, 0, 90, 0, 16,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7,
	/* 91 */ 0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 0, 30, 0, 2, 0xc0, 0x0c,
};

static void test_seed_is_whole(void **state)
{
	struct rbi_dns_answer_set *set = calloc(1, sizeof(*set));
	char name[RBI_NAME_BUF];
	struct rbi_dns_addr a;
	unsigned int pos = 0;
	struct rbi_dns_msg m;

	assert_non_null(set);
	assert_int_equal(rbi_dns_parse(seed, sizeof(seed), &m), RBI_PARSE_OK);
	assert_int_equal(rbi_dns_collect(&m, set), RBI_PARSE_OK);
	assert_int_equal(set->name_count, 2);
	rbi_dns_chain_name(set, 1, name);
	assert_string_equal(name, "cdn.example");
	assert_true(rbi_dns_addr_next(set, &pos, &a));
	assert_int_equal(a.ttl, 30);
	assert_true(rbi_dns_addr_next(set, &pos, &a));
	assert_false(rbi_dns_addr_next(set, &pos, &a));
	free(set);
}

static void test_mutations(void **state)
{
	struct mutation_scratch *s = calloc(1, sizeof(*s));
	uint32_t x = 0x2545f491;
	unsigned int round, k, flips;
	uint8_t *buf;
	size_t len;

	assert_non_null(s);
	for (round = 0; round < MUTATION_ROUNDS; round++) {
		len = sizeof(seed) - xorshift(&x) % 8;
		buf = malloc(len);
		assert_non_null(buf);
		memcpy(buf, seed, len);
		flips = 1 + xorshift(&x) % 4;
		for (k = 0; k < flips; k++)
			buf[xorshift(&x) % len] = (uint8_t)xorshift(&x);
		run_everything(buf, len, s);
		free(buf);
	}
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jump_bound),
		cmocka_unit_test(test_every_byte_value),
		cmocka_unit_test(test_iterator_stays_malformed),
		cmocka_unit_test(test_tcp_offset_past_stream),
		cmocka_unit_test(test_seed_is_whole),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
