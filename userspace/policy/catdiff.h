/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * `rbictl catalog diff OLD NEW`: what a reviewer of a new catalogue
 * release needs to see, entry by entry and fact by fact: entries added and
 * removed, and for each changed entry its names, categories (with their
 * operations), networks, ports, shared, confidence, lifecycle, operator
 * and evidence, each as one line.
 */
#ifndef RBI_CATDIFF_H
#define RBI_CATDIFF_H

#include "policy/policy.h"

struct rbi_catdiff_item {
	char sign;		/* '+' added, '-' removed, '~' changed */
	const char *kind;	/* "service", "resolver", "exclusion", ... */
	const char *id;		/* points into the old or new policy */
	char *summary;		/* of an added or removed entry */
	char **changes;		/* of a changed one: "+ name x", ... */
	size_t n_changes;
};

struct rbi_catdiff {
	struct rbi_catdiff_item *v;
	size_t n;
	size_t cap;
};

/* 0, or -ENOMEM. The items point into both catalogues. */
int rbi_catalog_diff(const struct rbi_policy *old, const struct rbi_policy *new,
		     struct rbi_catdiff *out);
void rbi_catdiff_free(struct rbi_catdiff *d);

#endif
