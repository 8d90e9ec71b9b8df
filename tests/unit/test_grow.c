// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The growable array: doubling, zeroed growth, and a refusal that leaves
 * the array as it was.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "util/grow.h"

struct pair {
	uint32_t a;
	uint64_t b;
};

static void push_many(void **state)
{
	struct pair *v = NULL, *e;
	size_t n = 0, cap = 0, i, grew = 0, last = 0;

	(void)state;
	for (i = 0; i < 10000; i++) {
		e = rbi_grow_push(v, &n, &cap);
		assert_non_null(e);
		assert_int_equal(e->a, 0);
		assert_int_equal(e->b, 0);
		e->a = (uint32_t)i;
		if (cap != last) {
			grew++;
			last = cap;
		}
	}
	assert_int_equal(n, 10000);
	/* Doubling: a handful of reallocations, not one per element. */
	assert_true(grew <= 12);
	for (i = 0; i < n; i++)
		assert_int_equal(v[i].a, i);
	free(v);
}

static void grow_to_zeroes(void **state)
{
	unsigned char *v = NULL;
	size_t cap = 0, i;

	(void)state;
	assert_int_equal(rbi_grow_to(&v, &cap, 1, 1), 0);
	assert_true(cap >= 1);
	v[0] = 0xff;
	assert_int_equal(rbi_grow_to(&v, &cap, 1000, 1), 0);
	assert_true(cap >= 1000);
	assert_int_equal(v[0], 0xff);
	for (i = 1; i < cap; i++)
		assert_int_equal(v[i], 0);
	free(v);
}

static void refuses_overflow(void **state)
{
	uint64_t *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(rbi_grow_to(&v, &cap, 4, sizeof(*v)), 0);
	v[3] = 7;
	assert_int_equal(rbi_grow_to(&v, &cap, SIZE_MAX / 4, sizeof(*v)),
			 -ENOMEM);
	assert_int_equal(rbi_grow_to(&v, &cap, SIZE_MAX, sizeof(*v)), -ENOMEM);
	assert_int_equal(v[3], 7);
	assert_int_equal(cap, 16);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(push_many),
		cmocka_unit_test(grow_to_zeroes),
		cmocka_unit_test(refuses_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
