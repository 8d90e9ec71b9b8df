/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shared between the files that make up the policy loader. */
#ifndef RBI_POLICY_INT_H
#define RBI_POLICY_INT_H

#include "policy/policy.h"
#include "policy/yaml.h"

void rbi_loc_set(struct rbi_loc *loc, const char *file,
		 const struct rbi_ynode *n);
/* Fills p->rules and the id indexes; false when out of memory. */
bool rbi_policy_finish(struct rbi_policy *p);
/* The checks on content: duplicates, overlaps, the prohibition. */
bool rbi_policy_check(const struct rbi_policy *p, unsigned int flags,
		      struct rbi_diags *diags);

/* The classifier configuration; NULL with a located error on failure. */
struct rbi_config *rbi_policy_compile(const struct rbi_policy *p,
				      struct rbi_diags *diags);

#endif
