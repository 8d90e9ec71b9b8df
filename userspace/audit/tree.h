/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The RFC 6962 / RFC 9162 Merkle tree over the audit log's leaves: leaf and
 * node hashes, the tree's right edge (a compact range: one perfect subtree
 * root per set bit of the size, so O(log n) state for any size), and
 * inclusion and consistency proofs, built from an array of leaf hashes and
 * verified with the algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2.
 *
 * Nothing here recurses: subtree roots are folded with the same right-edge
 * stack that the writer keeps.
 */
#ifndef RBI_AUDIT_TREE_H
#define RBI_AUDIT_TREE_H

#include "audit/audit.h"

enum {
	RBI_AUDIT_TREE_LEVELS = 64,	/* sizes below 2^64 */
	RBI_AUDIT_PROOF_MAX = 2 * RBI_AUDIT_TREE_LEVELS,
};

struct rbi_audit_edge {
	uint64_t size;
	unsigned int count;	/* == popcount(size) */
	struct rbi_audit_hash node[RBI_AUDIT_TREE_LEVELS];
};

void rbi_audit_leaf_hash(const void *leaf, size_t len,
			 struct rbi_audit_hash *out);
void rbi_audit_node_hash(const struct rbi_audit_hash *left,
			 const struct rbi_audit_hash *right,
			 struct rbi_audit_hash *out);

void rbi_audit_edge_init(struct rbi_audit_edge *e);
void rbi_audit_edge_append(struct rbi_audit_edge *e,
			   const struct rbi_audit_hash *leaf_hash);
/* Root of the tree so far (SHA-256 of nothing for the empty tree). */
void rbi_audit_edge_root(const struct rbi_audit_edge *e,
			 struct rbi_audit_hash *out);

/* MTH(D[0:n]) over leaf hashes. */
void rbi_audit_root(const struct rbi_audit_hash *leaves, uint64_t n,
		    struct rbi_audit_hash *out);

/*
 * Inclusion proof (audit path, bottom up) for leaf index in the tree of the
 * first n leaves; proof has room for RBI_AUDIT_PROOF_MAX hashes.
 */
int rbi_audit_prove_inclusion(const struct rbi_audit_hash *leaves, uint64_t n,
			      uint64_t index, struct rbi_audit_hash *proof,
			      size_t *count);
/* Consistency proof between the trees of the first m and n leaves. */
int rbi_audit_prove_consistency(const struct rbi_audit_hash *leaves,
				uint64_t m, uint64_t n,
				struct rbi_audit_hash *proof, size_t *count);

/*
 * Verifiers take raw bytes so that a hash of the wrong length is rejected
 * (RBI_AUDIT_EHASHLEN) rather than silently cut: proof is the concatenated
 * hashes, its length a multiple of 32.
 */
int rbi_audit_verify_inclusion(uint64_t index, uint64_t size,
			       const uint8_t *leaf_hash, size_t leaf_hash_len,
			       const uint8_t *proof, size_t proof_len,
			       const uint8_t *root, size_t root_len);
int rbi_audit_verify_consistency(uint64_t size1, uint64_t size2,
				 const uint8_t *root1, size_t root1_len,
				 const uint8_t *root2, size_t root2_len,
				 const uint8_t *proof, size_t proof_len);

#endif
