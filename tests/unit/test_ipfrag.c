// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * IP fragment reassembly at its limits: any order, repeats and overlaps,
 * ends that contradict each other, pieces that are not whole blocks,
 * datagrams past 64 KiB, the timeout, and a full set of slots giving way
 * to newer datagrams.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scan/ipfrag.h"

enum {
	SEC = 1000000,
	LEN = 3000,
	UDP = 17,
};

static uint8_t data[LEN];

static struct rbi_ipfrag_key key(uint32_t id)
{
	struct rbi_ipfrag_key k = {
		{ 4, { 10, 0, 0, 1 } }, { 4, { 10, 0, 0, 2 } }, id, UDP,
	};

	return k;
}

static enum rbi_ipfrag_result frag(struct rbi_ipfrag *f, uint32_t id,
				   uint32_t from, uint32_t to, bool more,
				   uint64_t now, struct rbi_ipfrag_out *out)
{
	struct rbi_ipfrag_key k = key(id);

	return rbi_ipfrag_add(f, &k, UDP, from, more, data + from, to - from,
			      now, out);
}

static void expect_whole(const struct rbi_ipfrag_out *out, size_t len)
{
	assert_int_equal(out->len, len);
	assert_int_equal(out->proto, UDP);
	assert_memory_equal(out->data, data, len);
}

static void test_any_order(void **state)
{
	struct rbi_ipfrag *f = rbi_ipfrag_alloc(4);
	struct rbi_ipfrag_out out;

	(void)state;
	assert_int_equal(frag(f, 1, 0, 1000, true, 0, &out), RBI_IPFRAG_HELD);
	assert_int_equal(frag(f, 1, 2000, LEN, false, 0, &out),
			 RBI_IPFRAG_HELD);
	assert_int_equal(frag(f, 1, 1000, 2000, true, 0, &out),
			 RBI_IPFRAG_DONE);
	expect_whole(&out, LEN);
	/* Last first, and the middle twice over. */
	assert_int_equal(frag(f, 2, 2000, LEN, false, 0, &out),
			 RBI_IPFRAG_HELD);
	assert_int_equal(frag(f, 2, 1000, 2000, true, 0, &out),
			 RBI_IPFRAG_HELD);
	assert_int_equal(frag(f, 2, 800, 2000, true, 0, &out),
			 RBI_IPFRAG_HELD);
	assert_int_equal(frag(f, 2, 0, 1000, true, 0, &out), RBI_IPFRAG_DONE);
	expect_whole(&out, LEN);
	assert_int_equal(rbi_ipfrag_stats(f)->completed, 2);
	assert_int_equal(rbi_ipfrag_stats(f)->overlaps, 2);
	rbi_ipfrag_free(f);
}

static void test_invalid(void **state)
{
	struct rbi_ipfrag *f = rbi_ipfrag_alloc(4);
	struct rbi_ipfrag_out out;
	uint8_t big[16];

	(void)state;
	/* A piece before the last must be whole 8-byte blocks. */
	assert_int_equal(frag(f, 1, 0, 1001, true, 0, &out),
			 RBI_IPFRAG_DROPPED);
	/* Two different ends. */
	assert_int_equal(frag(f, 1, 2000, LEN, false, 0, &out),
			 RBI_IPFRAG_HELD);
	assert_int_equal(frag(f, 1, 2000, 2504, false, 0, &out),
			 RBI_IPFRAG_DROPPED);
	/* Bytes past the end the last piece set. */
	assert_int_equal(frag(f, 1, 2400, 2800, true, 0, &out),
			 RBI_IPFRAG_HELD);
	assert_int_equal(frag(f, 1, 2800, LEN + 8, true, 0, &out),
			 RBI_IPFRAG_DROPPED);
	/* Past 64 KiB. */
	memset(big, 0, sizeof(big));
	{
		struct rbi_ipfrag_key k = key(9);

		assert_int_equal(rbi_ipfrag_add(f, &k, UDP,
						RBI_IPFRAG_MAX - 8, false,
						big, sizeof(big), 0, &out),
				 RBI_IPFRAG_DROPPED);
	}
	assert_int_equal(rbi_ipfrag_stats(f)->invalid, 4);
	rbi_ipfrag_free(f);
}

static void test_timeout(void **state)
{
	struct rbi_ipfrag *f = rbi_ipfrag_alloc(4);
	struct rbi_ipfrag_out out;

	(void)state;
	assert_int_equal(frag(f, 1, 0, 1000, true, 0, &out), RBI_IPFRAG_HELD);
	/* 31 s later the first piece is gone: this starts over. */
	assert_int_equal(frag(f, 1, 1000, LEN, false, 31ull * SEC, &out),
			 RBI_IPFRAG_HELD);
	assert_int_equal(rbi_ipfrag_stats(f)->timed_out, 1);
	assert_int_equal(frag(f, 1, 0, 1000, true, 32ull * SEC, &out),
			 RBI_IPFRAG_DONE);
	expect_whole(&out, LEN);
	assert_int_equal(frag(f, 3, 0, 1000, true, 40ull * SEC, &out),
			 RBI_IPFRAG_HELD);
	rbi_ipfrag_flush(f);
	assert_int_equal(rbi_ipfrag_stats(f)->timed_out, 2);
	rbi_ipfrag_free(f);
}

static void test_slots(void **state)
{
	struct rbi_ipfrag *f = rbi_ipfrag_alloc(2);
	struct rbi_ipfrag_out out;

	(void)state;
	assert_int_equal(frag(f, 1, 0, 1000, true, 1, &out), RBI_IPFRAG_HELD);
	assert_int_equal(frag(f, 2, 0, 1000, true, 2, &out), RBI_IPFRAG_HELD);
	/* A third datagram takes the oldest one's slot. */
	assert_int_equal(frag(f, 3, 0, 1000, true, 3, &out), RBI_IPFRAG_HELD);
	assert_int_equal(rbi_ipfrag_stats(f)->evicted, 1);
	assert_int_equal(frag(f, 2, 1000, LEN, false, 4, &out),
			 RBI_IPFRAG_DONE);
	expect_whole(&out, LEN);
	assert_int_equal(frag(f, 1, 1000, LEN, false, 5, &out),
			 RBI_IPFRAG_HELD);
	assert_true(rbi_ipfrag_mem_bound(f) >= 2 * RBI_IPFRAG_MAX);
	rbi_ipfrag_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_any_order),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_slots),
	};
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
