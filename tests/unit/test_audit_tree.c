// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The audit log's Merkle tree: the RFC 6962 reference roots of
 * audit-vectors.md, and every inclusion and consistency proof for trees of
 * up to 64 leaves checked against a naive, recursive transcription of
 * RFC 9162 section 2.1. The verifier's leaf hasher against hashing line by
 * line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "audit/hasher.h"
#include "audit/store.h"
#include "audit/tree.h"

enum { N_MAX = 64 };

static const char *const ref_leaves[8] = {
	"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};

static const char *const ref_roots[8] = {
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static size_t unhex(const char *s, uint8_t *out)
{
	size_t i, n = strlen(s) / 2;
	unsigned int v;

	for (i = 0; i < n; i++) {
		sscanf(s + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void ref_leaf_hashes(struct rbi_audit_hash *h)
{
	uint8_t buf[32];
	size_t i, n;

	for (i = 0; i < 8; i++) {
		n = unhex(ref_leaves[i], buf);
		rbi_audit_leaf_hash(buf, n, &h[i]);
	}
}

static void assert_hash_hex(const struct rbi_audit_hash *h, const char *want)
{
	char hex[65];

	rbi_audit_hash_hex(h, hex);
	assert_string_equal(hex, want);
}

static void test_empty_tree(void **state)
{
	struct rbi_audit_edge e;
	struct rbi_audit_hash h;

	rbi_audit_edge_init(&e);
	rbi_audit_edge_root(&e, &h);
	assert_hash_hex(&h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	rbi_audit_root(NULL, 0, &h);
	assert_hash_hex(&h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	rbi_audit_leaf_hash("", 0, &h);
	assert_hash_hex(&h, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

static void test_reference_roots(void **state)
{
	struct rbi_audit_hash leaves[8], h;
	struct rbi_audit_edge e;
	size_t n;

	ref_leaf_hashes(leaves);
	rbi_audit_edge_init(&e);
	for (n = 1; n <= 8; n++) {
		rbi_audit_edge_append(&e, &leaves[n - 1]);
		rbi_audit_edge_root(&e, &h);
		assert_hash_hex(&h, ref_roots[n - 1]);
		rbi_audit_root(leaves, n, &h);
		assert_hash_hex(&h, ref_roots[n - 1]);
	}
}

/* RFC 9162 2.1.1, verbatim and recursive: the independent reference. */
static uint64_t naive_k(uint64_t n)
{
	uint64_t k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

static void naive_mth(const struct rbi_audit_hash *d, uint64_t n,
		      struct rbi_audit_hash *out)
{
	struct rbi_audit_hash l, r;
	uint64_t k;

	if (n == 0) {
		rbi_audit_sha256(NULL, 0, out);
		return;
	}
	if (n == 1) {
		*out = d[0];
		return;
	}
	k = naive_k(n);
	naive_mth(d, k, &l);
	naive_mth(d + k, n - k, &r);
	rbi_audit_node_hash(&l, &r, out);
}

static void naive_path(uint64_t m, const struct rbi_audit_hash *d, uint64_t n,
		       struct rbi_audit_hash *out, size_t *c)
{
	uint64_t k;

	if (n <= 1)
		return;
	k = naive_k(n);
	if (m < k) {
		naive_path(m, d, k, out, c);
		naive_mth(d + k, n - k, &out[(*c)++]);
	} else {
		naive_path(m - k, d + k, n - k, out, c);
		naive_mth(d, k, &out[(*c)++]);
	}
}

static void naive_subproof(uint64_t m, const struct rbi_audit_hash *d,
			   uint64_t n, bool b, struct rbi_audit_hash *out,
			   size_t *c)
{
	uint64_t k;

	if (m == n) {
		if (!b)
			naive_mth(d, n, &out[(*c)++]);
		return;
	}
	k = naive_k(n);
	if (m <= k) {
		naive_subproof(m, d, k, b, out, c);
		naive_mth(d + k, n - k, &out[(*c)++]);
	} else {
		naive_subproof(m - k, d + k, n - k, false, out, c);
		naive_mth(d, k, &out[(*c)++]);
	}
}

static void make_leaves(struct rbi_audit_hash *h, size_t n)
{
	char buf[32];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "leaf %zu", i);
		rbi_audit_leaf_hash(buf, strlen(buf), &h[i]);
	}
}

static void test_inclusion_all(void **state)
{
	struct rbi_audit_hash leaves[N_MAX], proof[RBI_AUDIT_PROOF_MAX],
		want[RBI_AUDIT_PROOF_MAX], root, bad;
	size_t count, wcount;
	uint64_t n, i;

	make_leaves(leaves, N_MAX);
	for (n = 1; n <= N_MAX; n++) {
		naive_mth(leaves, n, &root);
		for (i = 0; i < n; i++) {
			assert_int_equal(rbi_audit_prove_inclusion(leaves, n, i,
					 proof, &count), RBI_AUDIT_OK);
			wcount = 0;
			naive_path(i, leaves, n, want, &wcount);
			assert_int_equal(count, wcount);
			assert_memory_equal(proof, want, count * 32);
			assert_int_equal(rbi_audit_verify_inclusion(i, n,
					 leaves[i].b, 32, proof[0].b,
					 count * 32, root.b, 32), RBI_AUDIT_OK);
			/*
			 * Wrong index, tampered proof. (A wrong size can
			 * verify when the path has the same shape: the
			 * signed checkpoint is what binds the size.)
			 */
			if (n > 1)
				assert_int_not_equal(rbi_audit_verify_inclusion(
					(i + 1) % n, n, leaves[i].b, 32,
					proof[0].b, count * 32, root.b, 32),
					RBI_AUDIT_OK);
			if (count) {
				bad = proof[count - 1];
				proof[count - 1].b[7] ^= 1;
				assert_int_equal(rbi_audit_verify_inclusion(i,
					n, leaves[i].b, 32, proof[0].b,
					count * 32, root.b, 32),
					RBI_AUDIT_EMISMATCH);
				proof[count - 1] = bad;
			}
		}
		assert_int_equal(rbi_audit_prove_inclusion(leaves, n, n, proof,
				 &count), RBI_AUDIT_ERANGE);
	}
}

static void test_consistency_all(void **state)
{
	struct rbi_audit_hash leaves[N_MAX], proof[RBI_AUDIT_PROOF_MAX],
		want[RBI_AUDIT_PROOF_MAX], r1, r2;
	size_t count, wcount;
	uint64_t m, n;

	make_leaves(leaves, N_MAX);
	for (n = 1; n <= N_MAX; n++) {
		naive_mth(leaves, n, &r2);
		for (m = 1; m <= n; m++) {
			naive_mth(leaves, m, &r1);
			assert_int_equal(rbi_audit_prove_consistency(leaves, m,
					 n, proof, &count), RBI_AUDIT_OK);
			wcount = 0;
			if (m < n)
				naive_subproof(m, leaves, n, true, want,
					       &wcount);
			assert_int_equal(count, wcount);
			assert_memory_equal(proof, want, count * 32);
			assert_int_equal(rbi_audit_verify_consistency(m, n,
					 r1.b, 32, r2.b, 32, proof[0].b,
					 count * 32), RBI_AUDIT_OK);
			/* A different old root must not verify. */
			r1.b[0] ^= 1;
			assert_int_equal(rbi_audit_verify_consistency(m, n,
					 r1.b, 32, r2.b, 32, proof[0].b,
					 count * 32), RBI_AUDIT_EMISMATCH);
			r1.b[0] ^= 1;
			if (m < n && count) {
				/* Nor a truncated proof. */
				assert_int_not_equal(
					rbi_audit_verify_consistency(m, n,
					r1.b, 32, r2.b, 32, proof[0].b,
					(count - 1) * 32), RBI_AUDIT_OK);
			}
		}
	}
	naive_mth(leaves, 0, &r1);
	assert_int_equal(rbi_audit_verify_consistency(0, 5, r1.b, 32, r2.b, 32,
			 NULL, 0), RBI_AUDIT_OK);
	assert_int_equal(rbi_audit_prove_consistency(leaves, 6, 5, proof,
			 &count), RBI_AUDIT_ERANGE);
}

static void test_reject_hash_length(void **state)
{
	struct rbi_audit_hash leaves[8], proof[RBI_AUDIT_PROOF_MAX], root;
	uint8_t big[33] = { 0 };
	size_t count;

	make_leaves(leaves, 8);
	rbi_audit_root(leaves, 8, &root);
	rbi_audit_prove_inclusion(leaves, 8, 3, proof, &count);
	assert_int_equal(rbi_audit_verify_inclusion(3, 8, leaves[3].b, 31,
			 proof[0].b, count * 32, root.b, 32),
			 RBI_AUDIT_EHASHLEN);
	memcpy(big, leaves[3].b, 32);
	assert_int_equal(rbi_audit_verify_inclusion(3, 8, big, 33, proof[0].b,
			 count * 32, root.b, 32), RBI_AUDIT_EHASHLEN);
	assert_int_equal(rbi_audit_verify_inclusion(3, 8, leaves[3].b, 32,
			 proof[0].b, count * 32 - 1, root.b, 32),
			 RBI_AUDIT_EHASHLEN);
	assert_int_equal(rbi_audit_verify_inclusion(3, 8, leaves[3].b, 32,
			 proof[0].b, count * 32, root.b, 16),
			 RBI_AUDIT_EHASHLEN);
	assert_int_equal(rbi_audit_verify_consistency(3, 8, root.b, 32,
			 root.b, 31, proof[0].b, 32), RBI_AUDIT_EHASHLEN);
	assert_int_equal(rbi_audit_verify_consistency(3, 8, root.b, 32,
			 root.b, 32, proof[0].b, 33), RBI_AUDIT_EHASHLEN);
	assert_int_equal(rbi_audit_verify_inclusion(8, 8, leaves[3].b, 32,
			 proof[0].b, count * 32, root.b, 32), RBI_AUDIT_ERANGE);
}

/*
 * Lines of every length up to 300 with a partial one at the end: the
 * worker's hashes are the per-line hashes, in order, for any cap on the
 * number of lines, however far ahead of the reader it runs.
 */
static void test_hasher(void **state)
{
	enum { LINES = 300 };
	static char text[LINES * (LINES + 1) / 2 + LINES + 8];
	static struct rbi_audit_hash h[LINES];
	const size_t caps[] = { 0, 1, 63, 64, 65, 200, LINES };
	struct rbi_audit_hasher hs;
	struct rbi_audit_hash want;
	const char *line;
	size_t n = 0, i, k, pos, len;

	for (i = 0; i < LINES; i++) {
		for (k = 0; k < i; k++)
			text[n++] = (char)('a' + (i + k) % 26);
		text[n++] = '\n';
	}
	memcpy(text + n, "partial", 7);
	n += 7;
	for (k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		memset(h, 0, sizeof(h));
		rbi_audit_hasher_start(&hs, text, n, caps[k], h);
		pos = 0;
		for (i = 0; i < caps[k] &&
		     rbi_audit_line_next(text, n, &pos, &line, &len); i++) {
			rbi_audit_leaf_hash(line, len, &want);
			assert_memory_equal(rbi_audit_hasher_get(&hs, i, line,
								 len)->b,
					    want.b, 32);
		}
		assert_int_equal(i, caps[k]);
		rbi_audit_hasher_stop(&hs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_tree),
		cmocka_unit_test(test_reference_roots),
		cmocka_unit_test(test_inclusion_all),
		cmocka_unit_test(test_consistency_all),
		cmocka_unit_test(test_reject_hash_length),
		cmocka_unit_test(test_hasher),
	};

	return cmocka_run_group_tests_name("audit_tree", tests, NULL, NULL);
}
