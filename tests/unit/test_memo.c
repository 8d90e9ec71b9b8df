// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The daemon's memo of learned addresses: the service and the name an
 * answer gave each, found by address (IPv4-mapped IPv6 as IPv4), and kept
 * across a reload by service id or forgotten with the service.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/memo.h"
#include "policy_load.h"

#define POLICY(services) \
	"rbiblock: 1\n" \
	"name: t\n" \
	"basis: test basis\n" \
	"prohibit:\n" \
	"  categories: [remote-biometric-identification]\n" \
	"  timing: [real-time, post]\n" \
	"  actors: [public, private]\n" \
	"zones:\n" \
	"  - name: squares\n" \
	"    publicly-accessible: true\n" \
	"    networks: [10.20.0.0/16]\n" \
	"catalog:\n" \
	"  replace-builtin: true\n" \
	"  services:\n" services

#define SVC(id, name) \
	"    - id: " id "\n" \
	"      categories: [remote-biometric-identification]\n" \
	"      names: [" name "]\n"

static struct rbi_ip ip_of(const char *s)
{
	struct rbi_ip ip;

	assert_int_equal(rbi_ip_parse(s, strlen(s), &ip), 0);
	return ip;
}

static void names_by_address(void **state)
{
	struct rbi_policy *p = rbi_test_policy_load("t.yaml",
		POLICY(SVC("a-svc", "a.example") SVC("b-svc", "b.example")));
	struct rbi_ip a = ip_of("192.0.2.7"), mapped = ip_of("::ffff:192.0.2.7");
	struct rbi_ip other = ip_of("192.0.2.8");
	uint32_t b = rbi_policy_service_by_id(p, "b-svc", 5);
	char name[RBI_NFT_COMMENT_MAX], kept[RBI_NFT_COMMENT_MAX];
	struct rbi_memo m;

	(void)state;
	assert_int_equal(rbi_memo_init(&m), 0);
	rbi_memo_add(&m, &a, b, 300, "b-svc cdn.b.example");
	assert_int_equal(rbi_memo_find(&m, &a, name, sizeof(name)), b);
	assert_string_equal(name, "cdn.b.example");
	assert_int_equal(rbi_memo_find(&m, &mapped, kept, sizeof(kept)), b);
	assert_string_equal(kept, "cdn.b.example");
	assert_int_equal(rbi_memo_find(&m, &other, NULL, 0), RBI_NONE);
	/*
	 * A later answer for the address takes it, name and all; the name
	 * found before is the caller's copy, which a queue thread's answer
	 * does not change under it.
	 */
	rbi_memo_add(&m, &mapped, b, 300, "b-svc b.example");
	assert_int_equal(rbi_memo_find(&m, &a, name, sizeof(name)), b);
	assert_string_equal(name, "b.example");
	assert_string_equal(kept, "cdn.b.example");
	rbi_memo_destroy(&m);
	rbi_policy_free(p);
}

static void remap_by_id(void **state)
{
	struct rbi_policy *old = rbi_test_policy_load("old.yaml",
		POLICY(SVC("a-svc", "a.example") SVC("b-svc", "b.example")));
	/* b-svc moves to another index, a-svc is gone. */
	struct rbi_policy *np = rbi_test_policy_load("new.yaml",
		POLICY(SVC("c-svc", "c.example") SVC("d-svc", "d.example")
		       SVC("b-svc", "b.example")));
	struct rbi_ip ia = ip_of("198.51.100.1"), ib = ip_of("2001:db8::b");
	uint32_t a = rbi_policy_service_by_id(old, "a-svc", 5);
	uint32_t b = rbi_policy_service_by_id(old, "b-svc", 5);
	uint32_t nb = rbi_policy_service_by_id(np, "b-svc", 5);
	char name[RBI_NFT_COMMENT_MAX];
	struct rbi_memo m;

	(void)state;
	assert_int_not_equal(b, nb);
	assert_int_equal(rbi_memo_init(&m), 0);
	rbi_memo_add(&m, &ia, a, 300, "a-svc a.example");
	rbi_memo_add(&m, &ib, b, 300, "b-svc b.example");
	rbi_memo_remap(&m, np);
	assert_int_equal(rbi_memo_find(&m, &ia, NULL, 0), RBI_NONE);
	assert_int_equal(rbi_memo_find(&m, &ib, name, sizeof(name)), nb);
	assert_string_equal(name, "b.example");
	rbi_memo_destroy(&m);
	rbi_policy_free(old);
	rbi_policy_free(np);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_by_address),
		cmocka_unit_test(remap_by_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
