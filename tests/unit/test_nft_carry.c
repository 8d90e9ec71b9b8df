// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A policy change, as apply makes it. Learned addresses: the elements of
 * the old table's learned map, as the kernel dumps them (with their
 * expiration), go into the new table's map with what is left of their
 * timeout and the verdict the new policy gives their service, found by
 * id. Addresses of services the new policy lacks or lets through, and
 * expired ones, stay behind; malformed elements are skipped. The "checked"
 * generation: read back from the rules, and never the one installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/udata.h>

#include "policy_load.h"
#include "nft/defs.h"
#include "nft/internal.h"

static const char policy_text[] =
"rbiblock: 1\n"
"name: carry-test\n"
"basis: test\n"
"prohibit:\n"
"  categories: [remote-biometric-identification, biometric-categorisation]\n"
"  timing: [real-time, post]\n"
"  actors: [public, private]\n"
"  exceptions: []\n"
"zones:\n"
"  - name: square\n"
"    publicly-accessible: true\n"
"    networks: [10.20.0.0/16]\n"
"catalog:\n"
"  services:\n"
"    - id: blocked\n"
"      name: blocked\n"
"      categories: [remote-biometric-identification]\n"
"      names: [\"face.example\"]\n"
"    - id: shared\n"
"      name: shared, only logged\n"
"      categories: [biometric-categorisation]\n"
"      shared: true\n"
"      names: [\"api.shared.example\"]\n"
"    - id: feelings\n"
"      name: emotion recognition, not prohibited by this policy\n"
"      categories: [emotion-recognition]\n"
"      names: [\"mood.example\"]\n"
"enforce:\n"
"  shared-hosts: log\n"
"  encrypted-client-hello: block\n"
"  quic: block\n"
"  dns-over-https: block\n"
"  camera-analytics: block\n"
"  on-failure: open\n";

static void add(struct nftnl_set *s, const void *key, uint32_t klen,
		uint64_t expiration_ms, const char *comment)
{
	struct nftnl_set_elem *e = nftnl_set_elem_alloc();
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(256);

	assert_non_null(e);
	assert_non_null(u);
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key, klen);
	if (expiration_ms != UINT64_MAX)
		nftnl_set_elem_set_u64(e, NFTNL_SET_ELEM_EXPIRATION,
				       expiration_ms);
	if (comment) {
		nftnl_udata_put_strz(u, NFTNL_UDATA_SET_ELEM_COMMENT, comment);
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_USERDATA,
				   nftnl_udata_buf_data(u),
				   nftnl_udata_buf_len(u));
	}
	nftnl_udata_buf_free(u);
	nftnl_set_elem_add(s, e);
}

struct got {
	uint8_t last;		/* last byte of the address */
	uint64_t timeout;	/* ms */
	char chain[64];
};

static size_t collect(struct nftnl_set *s, struct got *out, size_t max)
{
	struct nftnl_set_elems_iter *it = nftnl_set_elems_iter_create(s);
	struct nftnl_set_elem *e;
	const uint8_t *key;
	uint32_t klen;
	size_t n = 0;

	assert_non_null(it);
	while ((e = nftnl_set_elems_iter_next(it)) && n < max) {
		key = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &klen);
		out[n].last = key[klen - 1];
		out[n].timeout = nftnl_set_elem_get_u64(e,
							NFTNL_SET_ELEM_TIMEOUT);
		snprintf(out[n].chain, sizeof(out[n].chain), "%s",
			 nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_CHAIN) ?
			 nftnl_set_elem_get_str(e, NFTNL_SET_ELEM_CHAIN) :
			 "");
		n++;
	}
	nftnl_set_elems_iter_destroy(it);
	return n;
}

static void test_generation(void **state)
{
	struct rbi_policy *p =
		rbi_test_policy_load("carry.yaml", policy_text);
	struct rbi_nft_objs o;
	struct rbi_nft_plan plan;
	uint32_t g, again, other;

	assert_int_equal(rbi_nft_plan_build(p, &plan), 0);
	assert_int_equal(rbi_nft_build(&plan, 0, &o), 0);
	g = rbi_nft_checked_gen(&o);
	rbi_nft_objs_free(&o);
	assert_true(g && !(g & ~(uint32_t)RBI_NFT_MARK_MASK));
	assert_int_equal(rbi_nft_build(&plan, 0, &o), 0);
	again = rbi_nft_checked_gen(&o);
	rbi_nft_objs_free(&o);
	assert_true(again == g);
	assert_int_equal(rbi_nft_build(&plan, g, &o), 0);
	other = rbi_nft_checked_gen(&o);
	rbi_nft_objs_free(&o);
	assert_true(other && other != g);
	assert_true(!(other & ~(uint32_t)RBI_NFT_MARK_MASK));
	rbi_nft_plan_free(&plan);
	rbi_policy_free(p);
}

static void test_carry(void **state)
{
	static const uint8_t a1[4] = { 198, 51, 100, 1 };
	static const uint8_t a2[4] = { 198, 51, 100, 2 };
	static const uint8_t a3[4] = { 198, 51, 100, 3 };
	static const uint8_t a4[4] = { 198, 51, 100, 4 };
	static const uint8_t a5[4] = { 198, 51, 100, 5 };
	static const uint8_t a6[3] = { 198, 51, 100 };
	static const uint8_t a7[4] = { 198, 51, 100, 7 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 8 };
	struct nftnl_set *from = nftnl_set_alloc(), *to = nftnl_set_alloc();
	struct rbi_policy *p =
		rbi_test_policy_load("carry.yaml", policy_text);
	struct got got[8];

	assert_non_null(from);
	assert_non_null(to);
	add(from, a1, 4, 12345, "blocked face.example");
	add(from, a2, 4, 600000, "shared api.shared.example");
	add(from, a3, 4, 5000, "gone-service old.example");
	add(from, a4, 4, 5000, "feelings mood.example");
	add(from, a5, 4, 0, "blocked face.example");
	add(from, a6, 3, 5000, "blocked face.example");
	add(from, a7, 4, UINT64_MAX, "blocked face.example");
	add(from, v6, 16, 1, NULL);
	add(from, v6, 16, 999, "blocked face.example");
	assert_int_equal(rbi_nft_carry(p, from, to), 3);
	assert_int_equal(collect(to, got, 8), 3);
	assert_int_equal(got[0].last, 1);
	assert_true(got[0].timeout == 13000);
	assert_string_equal(got[0].chain, "block_prohibit_rbi");
	assert_int_equal(got[1].last, 2);
	assert_true(got[1].timeout == 600000);
	assert_string_equal(got[1].chain, "log_prohibit_categorisation");
	assert_int_equal(got[2].last, 8);
	assert_true(got[2].timeout == 1000);
	nftnl_set_free(from);
	nftnl_set_free(to);
	rbi_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_carry),
		cmocka_unit_test(test_generation),
	};

	return cmocka_run_group_tests_name("nft_carry", tests, NULL, NULL);
}
