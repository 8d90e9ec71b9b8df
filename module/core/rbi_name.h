/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Hostname patterns from the service catalogue, and a table that finds the
 * most specific pattern matching a name at a cost that grows with the
 * name's length, not with the number of patterns in the table.
 *
 * Pattern syntax (case-insensitive; one trailing dot is ignored):
 *
 *   api.kairos.com               exactly that name
 *   *.clearview.ai               any name strictly below clearview.ai, at
 *                                any depth (not clearview.ai itself)
 *   rekognition.*.amazonaws.com  '*' anywhere but first matches exactly one
 *                                label
 *
 * A leading "*." therefore means "any depth below"; every other '*' label
 * means "one label". Labels are 1..63 characters of [A-Za-z0-9_-], or '*'
 * alone; a pattern is at most 253 characters and needs at least one literal
 * label.
 *
 * When several patterns match a name, the most specific one wins:
 *   1. the one with more literal (non-'*') labels;
 *   2. then an exact pattern over a "*." pattern;
 *   3. then the one with fewer one-label '*';
 *   4. then the one added first.
 *
 * Names are compared byte by byte after ASCII case folding, so a label with
 * other bytes can only ever match a '*'. A name with an empty label ("a..b"),
 * a label longer than 63 bytes or more than 253 bytes (without the trailing
 * dot) is not a DNS name and matches nothing.
 *
 * A table is built once (rbi_name_table_add may allocate) and is read-only
 * afterwards: rbi_name_table_lookup() allocates nothing, takes no lock and
 * may run on many CPUs at once, so a whole table can be swapped with RCU.
 */
#ifndef RBI_NAME_H
#define RBI_NAME_H

#include "rbi_compat.h"
#include "rbi_parse.h"

enum {
	RBI_NAME_LABEL_MAX = 63,
	/*
	 * Lookup follows both the literal and the '*' branch of a trie node
	 * that has both (a fork), in a fixed array of states. A table keeps
	 * at most this many forks on any path, so at most 1 << this many
	 * states are ever live; see rbi_name_table_add().
	 */
	RBI_NAME_FORKS_MAX = 5,
};

struct rbi_name_table;

/* An empty table, or NULL when out of memory. */
struct rbi_name_table *rbi_name_table_alloc(void);
void rbi_name_table_free(struct rbi_name_table *t);

/*
 * 0 when pattern is valid; otherwise -EINVAL, with *why (if why is not
 * NULL) set to a static English reason such as "empty label".
 */
int rbi_name_pattern_check(const char *pattern, size_t len, const char **why);

/*
 * Adds pattern with the value lookups return for it. Returns 0; -EINVAL
 * for a pattern rbi_name_pattern_check() refuses; -EEXIST when the same
 * pattern (ignoring case and trailing dot) is already in the table, whose
 * first value stays; -ENOSPC when the pattern would put more than
 * RBI_NAME_FORKS_MAX nodes that have both a '*' and a literal child on one
 * path (only tables with many overlapping one-label '*' patterns reach it);
 * -ENOMEM. The table is unchanged by any failure.
 */
int rbi_name_table_add(struct rbi_name_table *t, const char *pattern,
		       size_t len, uint32_t value);

/*
 * Finds the most specific pattern matching name (len bytes, need not be
 * NUL-terminated) and stores its value. False when none matches.
 */
bool rbi_name_table_lookup(const struct rbi_name_table *t, const char *name,
			   size_t len, uint32_t *value);

/* Patterns in the table. */
size_t rbi_name_table_count(const struct rbi_name_table *t);

/* Bytes the table holds allocated, for status reports and benchmarks. */
size_t rbi_name_table_mem(const struct rbi_name_table *t);

#endif /* RBI_NAME_H */
