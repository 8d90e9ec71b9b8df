/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Typed, located reads from a YAML tree: every mistake becomes a diagnostic
 * at the node where it was made, with a did-you-mean for misspelt keys.
 */
#ifndef RBI_YSCHEMA_H
#define RBI_YSCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "policy/diag.h"
#include "policy/yaml.h"

struct rbi_yctx {
	const char *file;
	struct rbi_diags *diags;
};

void rbi_yerr(const struct rbi_yctx *y, const struct rbi_ynode *n,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void rbi_ywarn(const struct rbi_yctx *y, const struct rbi_ynode *n,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Checks that n is a mapping whose keys are all among keys (NULL-ended),
 * each at most once. what names the mapping in messages ("a zone").
 */
bool rbi_ymap_check(const struct rbi_yctx *y, const struct rbi_ynode *n,
		    const char *what, const char *const *keys);
/* The value of key in mapping n, or NULL. */
struct rbi_ynode *rbi_ymap_get(const struct rbi_ynode *n, const char *key);

/* The closest of words to s within a small edit distance, or NULL. */
const char *rbi_did_you_mean(const char *s, const char *const *words);

/*
 * Typed reads of key in mapping map; false with a diagnostic when present
 * but of the wrong type. When absent: *present false (if given), true.
 */
bool rbi_yget_str(const struct rbi_yctx *y, const struct rbi_ynode *map,
		  const char *key, char **out, bool required);
bool rbi_yget_bool(const struct rbi_yctx *y, const struct rbi_ynode *map,
		   const char *key, bool *out, bool required);
/* A list of scalars: *n items, each pointing into the tree. */
bool rbi_yget_list(const struct rbi_yctx *y, const struct rbi_ynode *map,
		   const char *key, struct rbi_ynode ***items, size_t *n,
		   bool required);
/*
 * One word out of words (NULL-ended); *out is its index. what names the
 * setting in messages.
 */
bool rbi_yget_enum(const struct rbi_yctx *y, const struct rbi_ynode *map,
		   const char *key, const char *const *words, unsigned int *out);
/* A duration: 30s, 5m, 1h, 400d; within [min, max] seconds. */
bool rbi_yget_duration(const struct rbi_yctx *y, const struct rbi_ynode *map,
		       const char *key, unsigned int min, unsigned int max,
		       unsigned int *out);

/* A scalar that is a plain (unquoted) YAML null: ~, null or empty. */
bool rbi_ynode_is_null(const struct rbi_ynode *n);

#endif
