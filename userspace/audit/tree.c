// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "audit/tree.h"

void rbi_audit_leaf_hash(const void *leaf, size_t len,
			 struct rbi_audit_hash *out)
{
	static const uint8_t prefix = 0x00;

	rbi_audit_sha256_2(&prefix, 1, leaf, len, out);
}

void rbi_audit_node_hash(const struct rbi_audit_hash *left,
			 const struct rbi_audit_hash *right,
			 struct rbi_audit_hash *out)
{
	uint8_t in[1 + 2 * RBI_AUDIT_HASH_LEN];

	in[0] = 0x01;
	memcpy(in + 1, left->b, RBI_AUDIT_HASH_LEN);
	memcpy(in + 1 + RBI_AUDIT_HASH_LEN, right->b, RBI_AUDIT_HASH_LEN);
	rbi_audit_sha256(in, sizeof(in), out);
}

void rbi_audit_edge_init(struct rbi_audit_edge *e)
{
	e->size = 0;
	e->count = 0;
}

void rbi_audit_edge_append(struct rbi_audit_edge *e,
			   const struct rbi_audit_hash *leaf_hash)
{
	uint64_t m;

	e->node[e->count++] = *leaf_hash;
	e->size++;
	/* Each trailing zero bit of the new size closes one perfect subtree. */
	for (m = e->size; !(m & 1); m >>= 1) {
		e->count--;
		rbi_audit_node_hash(&e->node[e->count - 1], &e->node[e->count],
				    &e->node[e->count - 1]);
	}
}

void rbi_audit_edge_root(const struct rbi_audit_edge *e,
			 struct rbi_audit_hash *out)
{
	unsigned int i;

	if (!e->count) {
		rbi_audit_sha256(NULL, 0, out);
		return;
	}
	*out = e->node[e->count - 1];
	for (i = e->count - 1; i-- > 0;)
		rbi_audit_node_hash(&e->node[i], out, out);
}

/*
 * The edge is 2 KiB: callers that compute many subtree roots pass one in
 * rather than each frame carrying its own.
 */
static void rbi_audit_subroot(struct rbi_audit_edge *e,
			      const struct rbi_audit_hash *leaves,
			      uint64_t lo, uint64_t hi,
			      struct rbi_audit_hash *out)
{
	uint64_t i;

	rbi_audit_edge_init(e);
	for (i = lo; i < hi; i++)
		rbi_audit_edge_append(e, &leaves[i]);
	rbi_audit_edge_root(e, out);
}

void rbi_audit_root(const struct rbi_audit_hash *leaves, uint64_t n,
		    struct rbi_audit_hash *out)
{
	struct rbi_audit_edge e;

	rbi_audit_subroot(&e, leaves, 0, n, out);
}

/* The largest power of two strictly below n (n >= 2). */
static uint64_t rbi_audit_split(uint64_t n)
{
	uint64_t k = 1;

	while (k < n - k)
		k <<= 1;
	return k;
}

static void rbi_audit_reverse(struct rbi_audit_hash *h, size_t n)
{
	struct rbi_audit_hash t;
	size_t i;

	for (i = 0; i < n / 2; i++) {
		t = h[i];
		h[i] = h[n - 1 - i];
		h[n - 1 - i] = t;
	}
}

int rbi_audit_prove_inclusion(const struct rbi_audit_hash *leaves, uint64_t n,
			      uint64_t index, struct rbi_audit_hash *proof,
			      size_t *count)
{
	struct rbi_audit_edge e;
	uint64_t lo = 0, hi = n, k;
	size_t c = 0;

	*count = 0;
	if (index >= n)
		return RBI_AUDIT_ERANGE;
	/* Top down, each step keeps the half holding index; the sibling
	 * half's root is one proof element. RFC 9162 orders them bottom up.
	 */
	while (hi - lo > 1) {
		k = rbi_audit_split(hi - lo);
		if (index - lo < k) {
			rbi_audit_subroot(&e, leaves, lo + k, hi, &proof[c++]);
			hi = lo + k;
		} else {
			rbi_audit_subroot(&e, leaves, lo, lo + k, &proof[c++]);
			lo += k;
		}
	}
	rbi_audit_reverse(proof, c);
	*count = c;
	return RBI_AUDIT_OK;
}

int rbi_audit_prove_consistency(const struct rbi_audit_hash *leaves,
				uint64_t m, uint64_t n,
				struct rbi_audit_hash *proof, size_t *count)
{
	struct rbi_audit_edge e;
	uint64_t lo = 0, hi = n, k;
	bool whole = true;
	size_t c = 0;

	*count = 0;
	if (m > n)
		return RBI_AUDIT_ERANGE;
	if (m == 0 || m == n)
		return RBI_AUDIT_OK;
	/*
	 * SUBPROOF(m, D[lo:hi], whole) of RFC 9162 2.1.4.1, unrolled: each
	 * level appends one subtree root after the deeper part of the proof,
	 * so collect top down and reverse; the node where m lands goes first.
	 */
	while (m != hi - lo) {
		k = rbi_audit_split(hi - lo);
		if (m <= k) {
			rbi_audit_subroot(&e, leaves, lo + k, hi, &proof[c++]);
			hi = lo + k;
		} else {
			rbi_audit_subroot(&e, leaves, lo, lo + k, &proof[c++]);
			lo += k;
			m -= k;
			whole = false;
		}
	}
	if (!whole)
		rbi_audit_subroot(&e, leaves, lo, hi, &proof[c++]);
	rbi_audit_reverse(proof, c);
	*count = c;
	return RBI_AUDIT_OK;
}

static void rbi_audit_load(struct rbi_audit_hash *h, const uint8_t *p)
{
	memcpy(h->b, p, RBI_AUDIT_HASH_LEN);
}

int rbi_audit_verify_inclusion(uint64_t index, uint64_t size,
			       const uint8_t *leaf_hash, size_t leaf_hash_len,
			       const uint8_t *proof, size_t proof_len,
			       const uint8_t *root, size_t root_len)
{
	struct rbi_audit_hash r, p, want;
	uint64_t fn = index, sn;
	size_t i;

	if (leaf_hash_len != RBI_AUDIT_HASH_LEN ||
	    root_len != RBI_AUDIT_HASH_LEN ||
	    proof_len % RBI_AUDIT_HASH_LEN)
		return RBI_AUDIT_EHASHLEN;
	if (index >= size)
		return RBI_AUDIT_ERANGE;
	sn = size - 1;
	rbi_audit_load(&r, leaf_hash);
	for (i = 0; i < proof_len; i += RBI_AUDIT_HASH_LEN) {
		if (sn == 0)
			return RBI_AUDIT_EMISMATCH;
		rbi_audit_load(&p, proof + i);
		if ((fn & 1) || fn == sn) {
			rbi_audit_node_hash(&p, &r, &r);
			while (!(fn & 1) && fn) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			rbi_audit_node_hash(&r, &p, &r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	rbi_audit_load(&want, root);
	if (sn != 0 || !rbi_audit_hash_eq(&r, &want))
		return RBI_AUDIT_EMISMATCH;
	return RBI_AUDIT_OK;
}

static bool rbi_audit_is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int rbi_audit_verify_consistency(uint64_t size1, uint64_t size2,
				 const uint8_t *root1, size_t root1_len,
				 const uint8_t *root2, size_t root2_len,
				 const uint8_t *proof, size_t proof_len)
{
	struct rbi_audit_hash h1, h2, fr, sr, c;
	uint64_t fn, sn;
	size_t i = 0;

	if (root1_len != RBI_AUDIT_HASH_LEN ||
	    root2_len != RBI_AUDIT_HASH_LEN ||
	    proof_len % RBI_AUDIT_HASH_LEN)
		return RBI_AUDIT_EHASHLEN;
	if (size1 > size2)
		return RBI_AUDIT_ERANGE;
	rbi_audit_load(&h1, root1);
	rbi_audit_load(&h2, root2);
	if (size1 == size2) {
		if (proof_len || !rbi_audit_hash_eq(&h1, &h2))
			return RBI_AUDIT_EMISMATCH;
		return RBI_AUDIT_OK;
	}
	if (size1 == 0) {
		/* Only the empty tree is consistent with everything. */
		rbi_audit_sha256(NULL, 0, &c);
		if (proof_len || !rbi_audit_hash_eq(&h1, &c))
			return RBI_AUDIT_EMISMATCH;
		return RBI_AUDIT_OK;
	}
	/* A power-of-two first tree is itself a node of the second. */
	if (rbi_audit_is_pow2(size1)) {
		fr = h1;
	} else {
		if (!proof_len)
			return RBI_AUDIT_EMISMATCH;
		rbi_audit_load(&fr, proof);
		i = RBI_AUDIT_HASH_LEN;
	}
	sr = fr;
	fn = size1 - 1;
	sn = size2 - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < proof_len; i += RBI_AUDIT_HASH_LEN) {
		if (sn == 0)
			return RBI_AUDIT_EMISMATCH;
		rbi_audit_load(&c, proof + i);
		if ((fn & 1) || fn == sn) {
			rbi_audit_node_hash(&c, &fr, &fr);
			rbi_audit_node_hash(&c, &sr, &sr);
			while (!(fn & 1) && fn) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			rbi_audit_node_hash(&sr, &c, &sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || !rbi_audit_hash_eq(&fr, &h1) ||
	    !rbi_audit_hash_eq(&sr, &h2))
		return RBI_AUDIT_EMISMATCH;
	return RBI_AUDIT_OK;
}
