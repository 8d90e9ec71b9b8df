// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Stream-prefix reassembly at its limits: in order, out of order, resent,
 * overlapping with other bytes (the first copy stands), one-byte segments
 * interleaved so that thousands of holes are open at once, the cap on
 * what is kept, and the pool's bound on buffers; then random
 * segmentations of one stream, which must always give back the same
 * bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scan/reasm.h"

enum {
	STREAM = 4000,
	ROUNDS = 500,
};

static uint8_t stream[STREAM];

static struct rbi_reasm *fresh(void)
{
	struct rbi_reasm *r = malloc(sizeof(*r));

	assert_non_null(r);
	rbi_reasm_reset(r);
	return r;
}

static enum rbi_reasm_result add(struct rbi_reasm *r, uint32_t from,
				 uint32_t to)
{
	return rbi_reasm_add(r, from, stream + from, to - from);
}

static void test_in_and_out_of_order(void **state)
{
	struct rbi_reasm *r = fresh();

	(void)state;
	assert_int_equal(add(r, 0, 100), RBI_REASM_GREW);
	assert_int_equal(r->have, 100);
	assert_int_equal(add(r, 0, 100), RBI_REASM_OLD);
	assert_int_equal(add(r, 50, 80), RBI_REASM_OLD);
	assert_int_equal(add(r, 200, 300), RBI_REASM_HELD);
	assert_int_equal(add(r, 250, 300), RBI_REASM_OLD);
	assert_int_equal(r->have, 100);
	assert_true(rbi_reasm_waiting(r));
	assert_int_equal(add(r, 90, 210), RBI_REASM_GREW);
	assert_int_equal(r->have, 300);
	assert_false(rbi_reasm_waiting(r));
	assert_memory_equal(r->data, stream, 300);
	free(r);
}

/* A resent range with other bytes: what came first is what counts. */
static void test_first_copy_wins(void **state)
{
	struct rbi_reasm *r = fresh();
	uint8_t liar[300];

	(void)state;
	memset(liar, 'X', sizeof(liar));
	assert_int_equal(add(r, 100, 200), RBI_REASM_HELD);
	assert_int_equal(rbi_reasm_add(r, 0, liar, sizeof(liar)),
			 RBI_REASM_GREW);
	assert_int_equal(r->have, 300);
	assert_memory_equal(r->data + 100, stream + 100, 100);
	assert_int_equal(r->data[99], 'X');
	assert_int_equal(r->data[200], 'X');
	free(r);
}

/*
 * One byte per segment, every other byte first: as many holes as bytes,
 * the way a ClientHello sent a byte at a time and reordered arrives.
 */
static void test_interleaved_bytes(void **state)
{
	struct rbi_reasm *r = fresh();
	uint32_t i;

	(void)state;
	for (i = 1; i < STREAM; i += 2)
		assert_int_equal(add(r, i, i + 1), RBI_REASM_HELD);
	assert_int_equal(r->have, 0);
	assert_int_equal(r->end, STREAM);
	for (i = 0; i + 2 < STREAM; i += 2) {
		assert_int_equal(add(r, i, i + 1), RBI_REASM_GREW);
		assert_int_equal(r->have, i + 2);
	}
	assert_int_equal(add(r, i, i + 1), RBI_REASM_GREW);
	assert_int_equal(r->have, STREAM);
	assert_false(rbi_reasm_waiting(r));
	assert_memory_equal(r->data, stream, STREAM);
	/* Backwards, byte by byte: held until the very first one comes. */
	rbi_reasm_reset(r);
	for (i = STREAM - 1; i > 0; i--)
		assert_int_equal(add(r, i, i + 1), RBI_REASM_HELD);
	assert_int_equal(add(r, 0, 1), RBI_REASM_GREW);
	assert_int_equal(r->have, STREAM);
	assert_memory_equal(r->data, stream, STREAM);
	free(r);
}

static void test_cap(void **state)
{
	static uint8_t big[RBI_REASM_CAP + 100];
	struct rbi_reasm *r = fresh();

	(void)state;
	memset(big, 7, sizeof(big));
	assert_int_equal(rbi_reasm_add(r, RBI_REASM_CAP, big, 10),
			 RBI_REASM_BEYOND);
	assert_int_equal(rbi_reasm_add(r, (uint64_t)1 << 40, big, 10),
			 RBI_REASM_BEYOND);
	assert_int_equal(rbi_reasm_add(r, 0, big, sizeof(big)),
			 RBI_REASM_GREW);
	assert_int_equal(r->have, RBI_REASM_CAP);
	assert_int_equal(rbi_reasm_add(r, 0, big, sizeof(big)),
			 RBI_REASM_OLD);
	free(r);
}

static void test_pool(void **state)
{
	struct rbi_reasm_pool p;
	struct rbi_reasm *a, *b;

	(void)state;
	rbi_reasm_pool_init(&p, 2);
	a = rbi_reasm_get(&p);
	b = rbi_reasm_get(&p);
	assert_non_null(a);
	assert_non_null(b);
	a->have = 55;
	assert_null(rbi_reasm_get(&p));
	assert_int_equal(p.st.exhausted, 1);
	rbi_reasm_put(&p, a);
	a = rbi_reasm_get(&p);
	assert_non_null(a);
	assert_int_equal(a->have, 0);
	assert_int_equal(p.st.peak, 2);
	assert_int_equal(p.st.taken, 3);
	rbi_reasm_put(&p, a);
	rbi_reasm_put(&p, b);
	assert_int_equal(p.st.in_use, 0);
	rbi_reasm_pool_destroy(&p);
}

/* Random cuts, order and repeats: the same bytes come out every time. */
static void test_random_segmentation(void **state)
{
	uint32_t from[64], to[64], n, i, k, t;
	struct rbi_reasm *r = fresh();
	unsigned int round;

	(void)state;
	srand(7);
	for (round = 0; round < ROUNDS; round++) {
		rbi_reasm_reset(r);
		for (n = 0, i = 0; i < STREAM && n < 60; n++) {
			from[n] = i;
			to[n] = i + 1 + (uint32_t)rand() % 300;
			if (to[n] > STREAM)
				to[n] = STREAM;
			i = to[n];
		}
		from[n] = i;
		to[n++] = STREAM;
		/* Shuffle, then send each twice, the second time in order. */
		for (i = n - 1; i > 0; i--) {
			k = (uint32_t)rand() % (i + 1);
			t = from[i], from[i] = from[k], from[k] = t;
			t = to[i], to[i] = to[k], to[k] = t;
		}
		for (i = 0; i < n; i++)
			add(r, from[i], to[i]);
		for (i = 0; i < STREAM; i += 100)
			add(r, i, i + 100 < STREAM ? i + 100 : STREAM);
		assert_int_equal(r->have, STREAM);
		assert_memory_equal(r->data, stream, STREAM);
	}
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_and_out_of_order),
		cmocka_unit_test(test_first_copy_wins),
		cmocka_unit_test(test_interleaved_bytes),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_pool),
		cmocka_unit_test(test_random_segmentation),
	};
	size_t i;

	for (i = 0; i < sizeof(stream); i++)
		stream[i] = (uint8_t)(i * 131 + (i >> 8));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
