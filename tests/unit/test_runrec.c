// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The daemon's flow records: NFLOG copies and the module's events about
 * one flow make one record, whichever comes first; copies of a flow the
 * module decided never make a second record; copies stand in for an event
 * the module held back; the ruleset's own blocks merge repeats within the
 * window, as before.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/runrec.h"

enum { MAX_OUT = 512 };

struct sink {
	struct rbi_runrec out[MAX_OUT];
	size_t n;
};

static void collect(void *ctx, const struct rbi_runrec *rec)
{
	struct sink *s = ctx;

	assert_true(s->n < MAX_OUT);
	s->out[s->n] = *rec;
	s->out[s->n].ev.flow.name = s->out[s->n].ev.name;
	s->n++;
}

static struct rbi_runrec_key key(uint8_t cam, uint16_t sport, uint16_t dport)
{
	struct rbi_runrec_key k;

	memset(&k, 0, sizeof(k));
	k.src.family = RBI_IP_V4;
	k.src.a[0] = 10;
	k.src.a[3] = cam;
	k.dst.family = RBI_IP_V4;
	k.dst.a[0] = 198;
	k.dst.a[1] = 51;
	k.dst.a[2] = 100;
	k.dst.a[3] = 7;
	k.sport = sport;
	k.dport = dport;
	k.l4 = RBI_L4_TCP;
	return k;
}

static struct rbi_runrec_key reversed(struct rbi_runrec_key k)
{
	struct rbi_runrec_key r = k;

	r.src = k.dst;
	r.dst = k.src;
	r.sport = k.dport;
	r.dport = k.sport;
	return r;
}

static struct rbi_modctl_event event(struct rbi_runrec_key k, bool block,
				     enum rbi_rule rule, const char *name)
{
	struct rbi_modctl_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.flow.src = k.src;
	ev.flow.dst = k.dst;
	ev.flow.sport = k.sport;
	ev.flow.dport = k.dport;
	ev.flow.l4 = k.l4;
	ev.flow.app = RBI_APP_TLS;
	snprintf(ev.name, sizeof(ev.name), "%s", name);
	ev.flow.name = ev.name;
	ev.flow.name_len = strlen(ev.name);
	ev.d.verdict = block ? RBI_BLOCK : RBI_ALLOW;
	ev.d.log = !block;
	ev.d.rule = (uint8_t)rule;
	return ev;
}

static int setup(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));

	*state = s;
	return s ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static struct rbi_runrecs *table(void **state)
{
	struct sink *s = *state;
	struct rbi_runrecs *t = rbi_runrecs_new(collect, s);

	s->n = 0;
	assert_non_null(t);
	return t;
}

/* The ruleset's own blocks: repeats within the window merge, per flow. */
static void test_nft_merge(void **state)
{
	struct sink *s = *state;
	struct rbi_runrecs *t = table(state);
	struct rbi_runrec_key a = key(5, 40000, 443), b = key(5, 40001, 443);
	int i;

	for (i = 0; i < 4; i++)
		rbi_runrecs_copy(t, &a, RBI_RUNREC_BLOCK,
				 RBI_RULE_PROHIBIT_RBI, false, 100 + i);
	rbi_runrecs_copy(t, &b, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI,
			 false, 200);
	rbi_runrecs_flush(t, false, 1000);
	assert_int_equal(s->n, 0);
	assert_int_equal(rbi_runrecs_pending(t), 2);
	rbi_runrecs_flush(t, false, 100 + RBI_RUNREC_MERGE_MS);
	assert_int_equal(s->n, 1);
	assert_true(s->out[0].count == 4);
	assert_false(s->out[0].module);
	rbi_runrecs_flush(t, true, 2500);
	assert_int_equal(s->n, 2);
	/* A later burst of a flow the ruleset blocked is a record again. */
	rbi_runrecs_copy(t, &a, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, false,
			 9000);
	rbi_runrecs_flush(t, true, 9001);
	assert_int_equal(s->n, 3);
	rbi_runrecs_free(t);
}

/* The copy of the dropped packet first, then the event: one record. */
static void test_copy_then_event(void **state)
{
	struct sink *s = *state;
	struct rbi_runrecs *t = table(state);
	struct rbi_runrec_key k = key(5, 40000, 443);
	struct rbi_modctl_event ev = event(k, true, RBI_RULE_PROHIBIT_RBI,
					   "rekognition.example.com");

	rbi_runrecs_copy(t, &k, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, true,
			 10);
	rbi_runrecs_event(t, &ev, 11);
	rbi_runrecs_copy(t, &k, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, true,
			 300);
	rbi_runrecs_flush(t, false, 10 + RBI_RUNREC_MERGE_MS);
	assert_int_equal(s->n, 1);
	assert_true(s->out[0].has_event);
	assert_true(s->out[0].module);
	assert_int_equal(s->out[0].kind, RBI_RUNREC_BLOCK);
	assert_string_equal(s->out[0].ev.flow.name, "rekognition.example.com");
	assert_true(s->out[0].count == 2);
	/* Retransmissions of the blocked hello, long after: no record. */
	rbi_runrecs_copy(t, &k, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, true,
			 60000);
	rbi_runrecs_copy(t, &k, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, true,
			 180000);
	rbi_runrecs_flush(t, true, 200000);
	assert_int_equal(s->n, 1);
	rbi_runrecs_free(t);
}

/* The event first; copies of the flow's replies are the same flow. */
static void test_event_then_replies(void **state)
{
	struct sink *s = *state;
	struct rbi_runrecs *t = table(state);
	struct rbi_runrec_key k = key(5, 40000, 443), r = reversed(k);
	struct rbi_modctl_event ev = event(k, true, RBI_RULE_PROHIBIT_RBI,
					   "face.example.net");

	rbi_runrecs_event(t, &ev, 10);
	rbi_runrecs_copy(t, &r, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, true,
			 20);
	rbi_runrecs_copy(t, &k, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, true,
			 30);
	rbi_runrecs_flush(t, true, 40);
	assert_int_equal(s->n, 1);
	assert_true(s->out[0].count == 2);
	assert_memory_equal(&s->out[0].key, &k, sizeof(k));
	rbi_runrecs_copy(t, &r, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, true,
			 5000);
	rbi_runrecs_flush(t, true, 5001);
	assert_int_equal(s->n, 1);
	rbi_runrecs_free(t);
}

/*
 * The module held the event back: the copies make the record, without a
 * name; the event that comes late is not a second one.
 */
static void test_suppressed_event(void **state)
{
	struct sink *s = *state;
	struct rbi_runrecs *t = table(state);
	struct rbi_runrec_key k = key(6, 40000, 443);
	struct rbi_modctl_event ev = event(k, true, RBI_RULE_PROHIBIT_RBI,
					   "face.example.net");

	rbi_runrecs_copy(t, &k, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, true,
			 10);
	rbi_runrecs_flush(t, false, 10 + RBI_RUNREC_MERGE_MS);
	assert_int_equal(s->n, 1);
	assert_false(s->out[0].has_event);
	assert_int_equal(s->out[0].rule, RBI_RULE_PROHIBIT_RBI);
	rbi_runrecs_event(t, &ev, 3000);
	rbi_runrecs_flush(t, true, 9000);
	assert_int_equal(s->n, 1);
	rbi_runrecs_free(t);
}

/* A module log copy names no rule: the event's rule fills it in. */
static void test_log(void **state)
{
	struct sink *s = *state;
	struct rbi_runrecs *t = table(state);
	struct rbi_runrec_key k = key(7, 40000, 443);
	struct rbi_modctl_event ev = event(k, false, RBI_RULE_ECH,
					   "www.example.org");

	rbi_runrecs_copy(t, &k, RBI_RUNREC_LOG, RBI_RULE_NONE, true, 10);
	rbi_runrecs_copy(t, &k, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, false,
			 11);
	rbi_runrecs_event(t, &ev, 12);
	rbi_runrecs_flush(t, true, 13);
	assert_int_equal(s->n, 2);
	assert_int_equal(s->out[0].kind, RBI_RUNREC_LOG);
	assert_int_equal(s->out[0].rule, RBI_RULE_ECH);
	assert_true(s->out[0].has_event);
	assert_int_equal(s->out[1].kind, RBI_RUNREC_BLOCK);
	assert_false(s->out[1].module);
	rbi_runrecs_free(t);
}

/* A flow silent for longer than it is remembered is a new record. */
static void test_seen_expires(void **state)
{
	struct sink *s = *state;
	struct rbi_runrecs *t = table(state);
	struct rbi_runrec_key k = key(8, 40000, 443);

	rbi_runrecs_copy(t, &k, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, true,
			 10);
	rbi_runrecs_flush(t, true, 10);
	rbi_runrecs_copy(t, &k, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, true,
			 10 + RBI_RUNREC_SEEN_MS - 1);
	rbi_runrecs_flush(t, true, 10 + RBI_RUNREC_SEEN_MS);
	assert_int_equal(s->n, 1);
	rbi_runrecs_copy(t, &k, RBI_RUNREC_BLOCK, RBI_RULE_PROHIBIT_RBI, true,
			 10 + 3 * RBI_RUNREC_SEEN_MS);
	rbi_runrecs_flush(t, true, 10 + 3 * RBI_RUNREC_SEEN_MS);
	assert_int_equal(s->n, 2);
	rbi_runrecs_free(t);
}

/* More flows than the window holds: the oldest are written, none lost. */
static void test_full(void **state)
{
	struct sink *s = *state;
	struct rbi_runrecs *t = table(state);
	struct rbi_runrec_key k;
	unsigned int i;

	for (i = 0; i < RBI_RUNREC_PENDING + 10; i++) {
		k = key(9, (uint16_t)(1000 + i), 443);
		rbi_runrecs_copy(t, &k, RBI_RUNREC_BLOCK,
				 RBI_RULE_PROHIBIT_RBI, true, 10);
	}
	assert_int_equal(s->n, RBI_RUNREC_PENDING);
	assert_int_equal(rbi_runrecs_pending(t), 10);
	rbi_runrecs_flush(t, true, 11);
	assert_int_equal(s->n, RBI_RUNREC_PENDING + 10);
	/* And every one of them is remembered. */
	for (i = 0; i < RBI_RUNREC_PENDING + 10; i++) {
		k = key(9, (uint16_t)(1000 + i), 443);
		rbi_runrecs_copy(t, &k, RBI_RUNREC_BLOCK,
				 RBI_RULE_PROHIBIT_RBI, true, 20);
	}
	rbi_runrecs_flush(t, true, 21);
	assert_int_equal(s->n, RBI_RUNREC_PENDING + 10);
	rbi_runrecs_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nft_merge),
		cmocka_unit_test(test_copy_then_event),
		cmocka_unit_test(test_event_then_replies),
		cmocka_unit_test(test_suppressed_event),
		cmocka_unit_test(test_log),
		cmocka_unit_test(test_seen_expires),
		cmocka_unit_test(test_full),
	};

	return cmocka_run_group_tests_name("runrec", tests, setup, teardown);
}
