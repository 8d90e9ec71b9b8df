/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Recovery of an epoch when the writer opens it: rebuild the tree from the
 * leaf-hash file and the last segment, compare it with the last signed
 * checkpoint, and find the torn tail to cut. Analysis first, changes after,
 * so that a damaged epoch is left exactly as it was found.
 */
#ifndef RBI_AUDIT_RECOVER_H
#define RBI_AUDIT_RECOVER_H

#include <sys/types.h>

#include "audit/record.h"
#include "audit/tree.h"

struct rbi_audit_recovery {
	bool damaged;
	char why[384];		/* what did not match, when damaged */

	struct rbi_audit_checkpoint cp;	/* the last signed checkpoint */
	bool have_cp;
	off_t hist_end;		/* complete history bytes */
	bool hist_add;		/* cp is newer than the history: append it */
	bool latest_stale;	/* the latest file is not cp: rewrite it */
	struct rbi_buf cp_note;	/* cp's signed note */

	uint64_t n;		/* leaves kept */
	uint64_t first_seg;	/* oldest segment present */
	uint64_t last_seg;
	bool has_seg;
	off_t seg_cut;		/* bytes of the last segment kept */
	off_t seg_size;
	uint64_t rehash_from;	/* hashes[] covers leaves rehash_from..n-1 */
	struct rbi_buf hashes;
	struct rbi_audit_edge edge;

	bool have_last;		/* the last record kept */
	enum rbi_audit_rec_type last_type;
	int64_t last_ts;
};

/* Examines epochfd; fails only on I/O or memory errors. */
int rbi_audit_recover_scan(int epochfd, const struct rbi_audit_key *key,
			   const char *origin, struct rbi_audit_recovery *r);
/* Cuts the torn tail and repairs the leaf-hash file and the history. */
int rbi_audit_recover_apply(int epochfd, const struct rbi_audit_recovery *r);
void rbi_audit_recover_free(struct rbi_audit_recovery *r);
/* The last checkpoint of an epoch, verified; false when there is none. */
bool rbi_audit_recover_last_cp(int epochfd, const struct rbi_audit_key *key,
			       const char *origin,
			       struct rbi_audit_checkpoint *cp);

#endif
