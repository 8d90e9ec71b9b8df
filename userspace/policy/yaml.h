/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A YAML document as a small tree with source positions, built from
 * libyaml's event stream under limits a hostile file cannot get around:
 * input size, nesting depth, the size of one value, the nodes a file
 * holds, and the nodes that aliases expand to (no "billion laughs").
 * Input must be UTF-8 (a byte order mark is passed over). Tags ("!!binary",
 * "!foo") are refused: a policy has no use for them, and taking a tagged
 * value as plain text would silently misread it.
 */
#ifndef RBI_YAML_H
#define RBI_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "policy/diag.h"

enum rbi_ynode_kind {
	RBI_Y_SCALAR,
	RBI_Y_SEQ,
	RBI_Y_MAP,
	__RBI_Y_MAX
};

struct rbi_ynode {
	enum rbi_ynode_kind kind;
	unsigned int line;	/* 1-based */
	unsigned int col;	/* 1-based */
	/* Scalar text (NUL-terminated; may hold NULs if the file did). */
	char *str;
	size_t len;
	bool plain;		/* unquoted: may be a number, bool or null */
	/* Sequence items, or a mapping's keys and values interleaved. */
	struct rbi_ynode **kids;
	size_t n_kids;
	size_t cap_kids;
	/* Nodes this subtree stands for once aliases are expanded. */
	size_t weight;
	struct rbi_ynode *next_alloc;
};

struct rbi_ydoc {
	const char *file;	/* as given to rbi_yaml_parse, not copied */
	struct rbi_ynode *root;	/* NULL for an empty document */
	struct rbi_ynode *allocs;
};

enum {
	RBI_YAML_SIZE_MAX = 64 << 20,
	RBI_YAML_DEPTH_MAX = 32,
	/* Nodes a file holds: a million networks and their keys, and more. */
	RBI_YAML_NODES_MAX = 8000000,
	/* Nodes aliases may add on top, once expanded. */
	RBI_YAML_ALIAS_MAX = 4000000,
	RBI_YAML_SCALAR_MAX = 1 << 20,	/* bytes of one value */
};

/* Parses buf (len bytes) into doc; false with diagnostics on error. */
bool rbi_yaml_parse(struct rbi_ydoc *doc, const char *file, const char *buf,
		    size_t len, struct rbi_diags *diags);
void rbi_yaml_free(struct rbi_ydoc *doc);

static inline size_t rbi_ymap_len(const struct rbi_ynode *n)
{
	return n->n_kids / 2;
}

static inline struct rbi_ynode *rbi_ymap_key(const struct rbi_ynode *n, size_t i)
{
	return n->kids[2 * i];
}

static inline struct rbi_ynode *rbi_ymap_val(const struct rbi_ynode *n, size_t i)
{
	return n->kids[2 * i + 1];
}

const char *rbi_ynode_kind_name(enum rbi_ynode_kind k);

#endif
