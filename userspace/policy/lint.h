/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * `rbictl catalog lint`: what a catalogue reviewer checks, beyond what
 * loading already refuses. Errors: a fact without evidence, a category
 * without the operation that provides it, a test name that matches the
 * wrong entry (or an excluded name that some entry blocks), evidence dated
 * in the future. Warnings: no company or jurisdiction, no test names,
 * evidence older than a year, an entry whose lifecycle says it has retired
 * but is still blocked, ports without a protocol, evidence never cited,
 * and names or networks that two entries both match.
 */
#ifndef RBI_LINT_H
#define RBI_LINT_H

#include "policy/policy.h"

/*
 * Lints the catalogue entries of p (not the policy's own services), as of
 * today (YYYY-MM-DD), into d.
 */
void rbi_catalog_lint(const struct rbi_policy *p, const char *today,
		      struct rbi_diags *d);

/*
 * Whether some name matches both patterns a and b (valid, normalised);
 * if so, one such name goes to example (len bytes).
 */
bool rbi_pattern_overlap(const char *a, const char *b, char *example,
			 size_t len);

/* Today's date in UTC, YYYY-MM-DD. */
void rbi_today(char out[11]);

#endif
