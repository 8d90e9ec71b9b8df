/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A site's first policy, as 'rbictl init' writes it: an example policy's
 * text with this site's zones and recorders in place of the example's.
 * The example keeps its name, basis, prohibition, enforce and audit
 * settings and their comments; its zones, recorders and catalogue
 * (local services, includes relative to the example) describe another
 * site and are left out. Text in, text out: the caller loads the result
 * to check it, as any policy.
 */
#ifndef RBI_POLICY_INIT_H
#define RBI_POLICY_INIT_H

#include <stddef.h>

#include "util/buf.h"

enum rbi_init_kind {
	RBI_INIT_ZONE,		/* publicly accessible cameras */
	RBI_INIT_PRIVATE_ZONE,	/* cameras outside the prohibition */
	RBI_INIT_RECORDER,	/* where video may go */
	__RBI_INIT_KIND_MAX
};

struct rbi_init {
	struct rbi_buf part[__RBI_INIT_KIND_MAX];	/* YAML list items */
	size_t n[__RBI_INIT_KIND_MAX];
	const char *name;	/* the policy's name; NULL: the example's */
	const char *origin;	/* audit.origin; NULL: the example's */
};

void rbi_init_free(struct rbi_init *in);

/*
 * Adds one zone or recorder from its command-line form,
 * NAME=NET[,NET...], and for a recorder [@PORT[,PORT...]] after the
 * networks (a port may be a range, 8000-8100). -1 with a message naming
 * the part at fault in err.
 */
int rbi_init_add(struct rbi_init *in, enum rbi_init_kind kind,
		 const char *spec, char *err, size_t len);

/*
 * Writes the example's text (example_name says which, in the header)
 * with in's parts into out. -1 with err when the example's layout can't
 * take them (no top-level mapping in block style).
 */
int rbi_init_text(const struct rbi_init *in, const char *example,
		  const char *example_name, struct rbi_buf *out, char *err,
		  size_t len);

#endif
