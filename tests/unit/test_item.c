// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Configuration items: what the module is sent. The walk over a policy
 * must produce items that, applied one by one with rbi_item_apply() as the
 * kernel does, build a configuration deciding every flow exactly as the
 * policy's own compiled one; and rbi_item_apply() must refuse what the
 * kernel could be sent by a broken or hostile client.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rbi_item.h"
#include "policy/policy.h"

#define CITY "policies/examples/city.yaml"

struct collected {
	struct rbi_config *c;
	const struct rbi_policy *p;
	unsigned int items;
	uint32_t next_pattern;
	uint32_t next_net;
	int err;
};

/* Applies each item, checking the ids run in order as the module expects. */
static int collect(void *ctx, const struct rbi_item *it)
{
	struct collected *col = ctx;

	col->items++;
	if (it->kind == RBI_ITEM_PATTERN && it->id != col->next_pattern++)
		return -EINVAL;
	if (it->kind == RBI_ITEM_SERVICE_NET && it->id != col->next_net) {
		if (it->id != col->next_net + 1)
			return -EINVAL;
		col->next_net++;
	}
	if (it->kind == RBI_ITEM_SERVICE &&
	    (it->text_len != strlen(col->p->services[it->index].id) ||
	     memcmp(it->text, col->p->services[it->index].id, it->text_len)))
		return -EINVAL;
	assert_int_equal(rbi_item_has_prefix(it->kind),
			 it->kind == RBI_ITEM_ZONE_NET ||
			 it->kind == RBI_ITEM_RECORDER_NET ||
			 it->kind == RBI_ITEM_SERVICE_NET ||
			 it->kind == RBI_ITEM_DOH_NET);
	return rbi_item_apply(col->c, it);
}

static struct rbi_policy *load(const char *path)
{
	struct rbi_diags diags;
	struct rbi_policy *p;

	rbi_diags_init(&diags);
	p = rbi_policy_load(path, 0, &diags);
	rbi_diags_free(&diags);
	assert_non_null(p);
	return p;
}

static void flow(struct rbi_flow *f, const char *src, const char *dst,
		 uint8_t l4, uint16_t dport, enum rbi_app app,
		 const char *name)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(rbi_ip_parse(src, strlen(src), &f->src), 0);
	assert_int_equal(rbi_ip_parse(dst, strlen(dst), &f->dst), 0);
	f->l4 = l4;
	f->sport = 40000;
	f->dport = dport;
	f->app = (uint8_t)app;
	f->name = name;
	f->name_len = name ? strlen(name) : 0;
	f->learned = RBI_NONE;
}

static void same_decision(const struct rbi_config *a,
			  const struct rbi_config *b, const struct rbi_flow *f)
{
	struct rbi_decision da, db;

	rbi_classify(a, f, &da);
	rbi_classify(b, f, &db);
	assert_memory_equal(&da, &db, sizeof(da));
}

static void test_walk_rebuilds_the_config(void **state)
{
	struct rbi_policy *p = load(CITY);
	struct rbi_config_counts n;
	struct collected col = { .p = p };
	struct rbi_diags diags;
	struct rbi_flow f;

	(void)state;
	rbi_policy_counts(p, &n);
	col.c = rbi_config_alloc(&n);
	assert_non_null(col.c);
	rbi_diags_init(&diags);
	assert_int_equal(rbi_policy_items(p, collect, &col, &diags), 0);
	rbi_diags_free(&diags);
	assert_int_equal(col.next_pattern, n.patterns);
	assert_true(col.items > n.patterns);
	flow(&f, "10.20.1.2", "198.51.100.7", RBI_L4_TCP, 443, RBI_APP_TLS,
	     "rekognition.eu-west-1.amazonaws.com");
	same_decision(p->config, col.c, &f);
	flow(&f, "10.20.1.2", "198.51.100.7", RBI_L4_TCP, 443, RBI_APP_TLS,
	     "www.example.org");
	same_decision(p->config, col.c, &f);
	flow(&f, "10.20.1.2", "10.10.9.4", RBI_L4_TCP, 18411, RBI_APP_NONE,
	     NULL);
	same_decision(p->config, col.c, &f);
	flow(&f, "10.20.1.2", "10.10.0.5", RBI_L4_TCP, 554, RBI_APP_NONE, NULL);
	same_decision(p->config, col.c, &f);
	flow(&f, "203.0.113.9", "10.20.1.2", RBI_L4_TCP, 554, RBI_APP_NONE,
	     NULL);
	same_decision(p->config, col.c, &f);
	flow(&f, "2001:db8:20::9", "2001:db8::1", RBI_L4_UDP, 443,
	     RBI_APP_QUIC, NULL);
	same_decision(p->config, col.c, &f);
	flow(&f, "10.30.5.7", "198.51.100.7", RBI_L4_TCP, 443, RBI_APP_TLS,
	     "rekognition.eu-west-1.amazonaws.com");
	same_decision(p->config, col.c, &f);
	rbi_config_free(col.c);
	rbi_policy_free(p);
}

static void test_apply_refuses(void **state)
{
	struct rbi_config_counts n = { .zones = 1, .services = 1,
				       .patterns = 1 };
	struct rbi_config *c = rbi_config_alloc(&n);
	struct rbi_item it;

	(void)state;
	assert_non_null(c);
	memset(&it, 0, sizeof(it));
	it.kind = __RBI_ITEM_MAX;
	assert_int_equal(rbi_item_apply(c, &it), -EINVAL);
	it.kind = RBI_ITEM_ZONE;
	it.index = 1;
	assert_int_equal(rbi_item_apply(c, &it), -ERANGE);
	it.kind = RBI_ITEM_MODE;
	it.index = __RBI_ENF_MAX;
	assert_int_equal(rbi_item_apply(c, &it), -ERANGE);
	it.index = RBI_ENF_QUIC;
	it.value = __RBI_MODE_MAX;
	assert_int_equal(rbi_item_apply(c, &it), -ERANGE);
	it.value = RBI_MODE_LOG;
	assert_int_equal(rbi_item_apply(c, &it), 0);
	it.kind = RBI_ITEM_PROHIBITED;
	it.value = RBI_CAT_ALL + 1;
	assert_int_equal(rbi_item_apply(c, &it), -EINVAL);
	it.kind = RBI_ITEM_PATTERN;
	it.value = 0;
	it.id = 0;
	it.text = "face..example";
	it.text_len = strlen(it.text);
	assert_int_equal(rbi_item_apply(c, &it), -EINVAL);
	it.id = 1;
	assert_int_equal(rbi_item_apply(c, &it), -ERANGE);
	it.kind = RBI_ITEM_ON_FAILURE;
	it.value = 2;
	assert_int_equal(rbi_item_apply(c, &it), -ERANGE);
	assert_false(rbi_config_fails_open(c));
	it.value = 1;
	assert_int_equal(rbi_item_apply(c, &it), 0);
	assert_true(rbi_config_fails_open(c));
	rbi_config_free(c);
}

static void test_kind_names(void **state)
{
	unsigned int k;

	(void)state;
	for (k = 0; k < __RBI_ITEM_MAX; k++)
		assert_non_null(rbi_item_kind_name(k));
	assert_null(rbi_item_kind_name(__RBI_ITEM_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_rebuilds_the_config),
		cmocka_unit_test(test_apply_refuses),
		cmocka_unit_test(test_kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
