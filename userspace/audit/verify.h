/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Offline verification of an audit log directory with only the public key.
 *
 * Checked, per epoch: every checkpoint's signature and origin; that
 * checkpoint sizes never shrink and the latest file is the history's last
 * entry (or the one before, if a crash came between writing the two); every
 * record's bytes against leaves.sha256 and its idx against its position;
 * every checkpoint's root recomputed from the leaf hashes (so consecutive
 * checkpoints are consistent: both are prefixes of one sequence); no
 * missing records or segments; timestamps never going back except at a
 * clock-jump gap; every start citing the last checkpoint before it (the
 * first start of a later epoch cites the previous epoch's last one);
 * heartbeats never more than period + grace apart within a session, where
 *
 *	grace = period / 4, at least 2 s and at most 60 s,
 *
 * and likewise from a start to the first heartbeat, from the last one to
 * the stop, and over records after the last checkpoint; every heartbeat
 * and block citing the sha256 of the policy record in force (a change
 * without a policy record is a fault).
 *
 * Not faults, but reported: gaps the log itself declares (gap records:
 * restarts, write failures, clock jumps, retention) and periods between a
 * stop and the next start; segments deleted by retention (a leading run,
 * leaf hashes kept); a torn, unacknowledged tail left by a crash.
 * With strict set, declared gaps and stopped periods count as faults too.
 */
#ifndef RBI_AUDIT_VERIFY_H
#define RBI_AUDIT_VERIFY_H

#include "audit/record.h"
#include "audit/result.h"

struct rbi_audit_verify_opts {
	bool strict;
	/* Called for every record read, whether or not it verified. */
	void (*on_record)(void *ctx, const struct rbi_audit_rec *r,
			  const char *line, size_t len);
	void *ctx;
};

/* Fails only when dir cannot be read at all (err says why). */
int rbi_audit_verify_dir(const char *dir, const struct rbi_audit_key *key,
			 const struct rbi_audit_verify_opts *opts,
			 struct rbi_audit_result *res, char *err,
			 size_t err_len);
/* grace for a heartbeat period, in microseconds. */
int64_t rbi_audit_grace_us(unsigned int period);

#endif
