// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The scanner's flow table at its limits: both directions of a flow are
 * one entry, a full table evicts the flow quiet the longest, idle flows
 * end (TCP, UDP and the short class each after their own timeout, whatever
 * the order of the lists), the end hook hears
 * about every flow once with why, and a table grown to many thousands of
 * flows still finds each one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scan/flowtab.h"
#include "scan/frame.h"

enum {
	SEC = 1000000,
	CAP = 16,
	MANY = 50000,
};

static const uint64_t idle[__RBI_FLOW_IDLE_MAX] = {
	300ull * SEC, 60ull * SEC, 2ull * SEC,
};

struct ends {
	unsigned int n[__RBI_FLOW_END_MAX];
	uint32_t last;
};

static void on_end(void *ctx, uint32_t idx, enum rbi_flow_end why)
{
	struct ends *e = ctx;

	e->n[why]++;
	e->last = idx;
}

/* Flow number i: 10.0.x.y:i -> 192.0.2.1:443. */
static void key(struct rbi_flow_key *k, uint32_t i, uint8_t l4,
		unsigned int *dir)
{
	struct rbi_ip a = { RBI_IP_V4, { 10, 0, (uint8_t)(i >> 8),
					 (uint8_t)i } };
	struct rbi_ip b = { RBI_IP_V4, { 192, 0, 2, 1 } };
	unsigned int unused;

	rbi_flow_key_make(k, &a, (uint16_t)(1024 + i % 50000), &b, 443, l4,
			  dir ? dir : &unused);
}

static uint32_t get(struct rbi_flowtab *t, uint32_t i, uint64_t now,
		    bool *created)
{
	struct rbi_flow_key k;
	bool c;

	key(&k, i, RBI_PROTO_TCP, NULL);
	return rbi_flowtab_get(t, &k, now, true, created ? created : &c);
}

static void test_both_directions(void **state)
{
	struct ends e = { { 0 }, 0 };
	struct rbi_flowtab *t = rbi_flowtab_alloc(CAP, 0, idle, on_end, &e);
	struct rbi_ip a = { RBI_IP_V6, { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 } };
	struct rbi_ip b = { RBI_IP_V6, { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 } };
	struct rbi_flow_key k1, k2;
	unsigned int d1, d2;
	uint32_t i1, i2;
	bool created;

	(void)state;
	assert_non_null(t);
	rbi_flow_key_make(&k1, &a, 5000, &b, 443, RBI_PROTO_UDP, &d1);
	rbi_flow_key_make(&k2, &b, 443, &a, 5000, RBI_PROTO_UDP, &d2);
	assert_memory_equal(&k1, &k2, sizeof(k1));
	assert_int_not_equal(d1, d2);
	i1 = rbi_flowtab_get(t, &k1, SEC, true, &created);
	assert_true(created);
	i2 = rbi_flowtab_get(t, &k2, 2 * SEC, true, &created);
	assert_false(created);
	assert_int_equal(i1, i2);
	assert_int_equal(rbi_flowtab_first(t, i1), SEC);
	assert_int_equal(rbi_flowtab_last(t, i1), 2 * SEC);
	/* Another transport is another flow. */
	rbi_flow_key_make(&k2, &a, 5000, &b, 443, RBI_PROTO_TCP, &d2);
	assert_int_not_equal(rbi_flowtab_get(t, &k2, 2 * SEC, true, &created),
			     i1);
	/* Looking without creating finds nothing new. */
	rbi_flow_key_make(&k2, &a, 5001, &b, 443, RBI_PROTO_TCP, &d2);
	assert_int_equal(rbi_flowtab_get(t, &k2, 2 * SEC, false, &created),
			 RBI_FLOWTAB_NONE);
	assert_int_equal(rbi_flowtab_stats(t)->live, 2);
	rbi_flowtab_free(t);
}

/* Full: the flow quiet longest makes room; a touched one stays. */
static void test_evicts_least_recent(void **state)
{
	struct ends e = { { 0 }, 0 };
	struct rbi_flowtab *t = rbi_flowtab_alloc(1, 0, idle, on_end, &e);
	uint32_t i, first, second;
	bool created;

	(void)state;
	assert_int_equal(rbi_flowtab_capacity(t), RBI_FLOWTAB_CAP_MIN);
	first = get(t, 0, 0, NULL);
	second = get(t, 1, 0, NULL);
	for (i = 2; i < RBI_FLOWTAB_CAP_MIN; i++)
		get(t, i, 0, NULL);
	/* Touched more than a second later: the most recent again. */
	assert_int_equal(get(t, 0, 2 * SEC, &created), first);
	assert_false(created);
	get(t, 100, 3 * SEC, &created);
	assert_true(created);
	assert_int_equal(e.n[RBI_FLOW_END_EVICTED], 1);
	assert_int_equal(e.last, second);
	assert_int_equal(get(t, 0, 3 * SEC, &created), first);
	assert_false(created);
	get(t, 1, 3 * SEC, &created);
	assert_true(created);
	assert_int_equal(rbi_flowtab_stats(t)->live, RBI_FLOWTAB_CAP_MIN);
	assert_int_equal(rbi_flowtab_stats(t)->peak, RBI_FLOWTAB_CAP_MIN);
	rbi_flowtab_free(t);
}

static void test_idle(void **state)
{
	struct ends e = { { 0 }, 0 };
	struct rbi_flowtab *t = rbi_flowtab_alloc(CAP, 0, idle, on_end, &e);
	struct rbi_flow_key k;
	uint32_t udp, tcp;
	bool created;

	(void)state;
	key(&k, 1, RBI_PROTO_UDP, NULL);
	udp = rbi_flowtab_get(t, &k, 0, true, &created);
	tcp = get(t, 2, 10 * SEC, NULL);
	/* UDP after 60 s, TCP after 300 s; the oldest first. */
	rbi_flowtab_expire(t, 60 * SEC);
	assert_int_equal(e.n[RBI_FLOW_END_IDLE], 0);
	rbi_flowtab_expire(t, 61 * SEC);
	assert_int_equal(e.n[RBI_FLOW_END_IDLE], 1);
	assert_int_equal(e.last, udp);
	rbi_flowtab_expire(t, 310 * SEC);
	assert_int_equal(e.n[RBI_FLOW_END_IDLE], 1);
	/* Found idle: it ends, and a new flow takes its place. */
	assert_int_not_equal(get(t, 2, 311 * SEC, &created), RBI_FLOWTAB_NONE);
	assert_true(created);
	assert_int_equal(e.n[RBI_FLOW_END_IDLE], 2);
	assert_int_equal(e.last, tcp);
	/* A clock that goes back never ends anything. */
	rbi_flowtab_expire(t, 0);
	assert_int_equal(e.n[RBI_FLOW_END_IDLE], 2);
	/* Moved to the short class: gone 2 s after its last packet. */
	key(&k, 3, RBI_PROTO_UDP, NULL);
	udp = rbi_flowtab_get(t, &k, 400 * SEC, true, &created);
	rbi_flowtab_set_idle(t, udp, RBI_FLOW_IDLE_SHORT);
	rbi_flowtab_expire(t, 402 * SEC);
	assert_int_equal(e.n[RBI_FLOW_END_IDLE], 2);
	rbi_flowtab_expire(t, 402 * SEC + 1);
	assert_int_equal(e.n[RBI_FLOW_END_IDLE], 3);
	assert_int_equal(e.last, udp);
	rbi_flowtab_end_all(t, RBI_FLOW_END_DONE);
	assert_int_equal(e.n[RBI_FLOW_END_DONE], 1);
	assert_int_equal(rbi_flowtab_stats(t)->live, 0);
	rbi_flowtab_free(t);
}

/* Thousands of flows in a table that grows its buckets as they come. */
static void test_many(void **state)
{
	struct ends e = { { 0 }, 0 };
	struct rbi_flowtab *t = rbi_flowtab_alloc(MANY, sizeof(uint32_t), idle,
						  on_end, &e);
	uint32_t *idx = calloc(MANY, sizeof(*idx)), i, *user;
	bool created;

	(void)state;
	assert_non_null(idx);
	for (i = 0; i < MANY; i++) {
		idx[i] = get(t, i, SEC, &created);
		assert_true(created);
		user = rbi_flowtab_user(t, idx[i]);
		assert_int_equal(*user, 0);
		*user = i;
	}
	for (i = 0; i < MANY; i++) {
		assert_int_equal(get(t, i, SEC, &created), idx[i]);
		assert_false(created);
		user = rbi_flowtab_user(t, idx[i]);
		assert_int_equal(*user, i);
	}
	for (i = 0; i < MANY; i += 2)
		rbi_flowtab_end(t, idx[i], RBI_FLOW_END_CLOSED);
	for (i = 1; i < MANY; i += 2)
		assert_int_equal(get(t, i, SEC, &created), idx[i]);
	assert_int_equal(e.n[RBI_FLOW_END_CLOSED], MANY / 2);
	assert_int_equal(rbi_flowtab_stats(t)->live, MANY / 2);
	assert_int_equal(e.n[RBI_FLOW_END_EVICTED], 0);
	rbi_flowtab_end_all(t, RBI_FLOW_END_DONE);
	assert_int_equal(e.n[RBI_FLOW_END_DONE], MANY / 2);
	assert_true(rbi_flowtab_mem(t) > MANY * sizeof(uint32_t));
	free(idx);
	rbi_flowtab_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_directions),
		cmocka_unit_test(test_evicts_least_recent),
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
