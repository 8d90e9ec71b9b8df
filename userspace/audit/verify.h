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

enum rbi_audit_fault_kind {
	RBI_AUDIT_F_SIGNATURE,	/* a checkpoint not signed by the key */
	RBI_AUDIT_F_CHECKPOINT,	/* history out of order, latest replaced */
	RBI_AUDIT_F_ROOT,	/* leaves do not give the signed root */
	RBI_AUDIT_F_RECORD,	/* bytes, idx or format of a record */
	RBI_AUDIT_F_MISSING,	/* records or segments missing */
	RBI_AUDIT_F_TIME,	/* a timestamp going back */
	RBI_AUDIT_F_START,	/* a start not citing the last checkpoint */
	RBI_AUDIT_F_HEARTBEAT,	/* continuity broken */
	RBI_AUDIT_F_POLICY,	/* not covered by a policy record */
	RBI_AUDIT_F_GAP,	/* a declared gap, counted under strict */
	__RBI_AUDIT_F_MAX
};

enum { RBI_AUDIT_DETAIL_MAX = 240 };

/* A located finding: leaves from..to of an epoch, and their times. */
struct rbi_audit_span {
	unsigned int kind;	/* fault kind, or unused */
	unsigned int epoch;
	uint64_t from_idx, to_idx;
	int64_t from_ts, until_ts;	/* 0 when unknown */
	uint64_t count;
	char what[32];
	char detail[RBI_AUDIT_DETAIL_MAX];
};

struct rbi_audit_spans {
	struct rbi_audit_span *v;
	size_t n, cap;
};

struct rbi_audit_epoch_info {
	unsigned int num;
	char origin[RBI_AUDIT_NAME_MAX];
	uint64_t leaves;
	uint64_t signed_size;
	uint64_t checkpoints;
	int64_t first_ts, last_ts;
};

struct rbi_audit_result {
	bool ok;
	uint64_t records;	/* records read and checked */
	uint64_t bytes;
	int64_t first_ts, last_ts;
	struct rbi_audit_spans faults, gaps, pruned, notes;
	struct rbi_audit_epoch_info *epochs;
	size_t nepochs;
};

struct rbi_audit_verify_opts {
	bool strict;
	/* Called for every record read, whether or not it verified. */
	void (*on_record)(void *ctx, const struct rbi_audit_rec *r,
			  const char *line, size_t len);
	void *ctx;
};

const char *rbi_audit_fault_name(unsigned int kind);
/* Fails only when dir cannot be read at all (err says why). */
int rbi_audit_verify_dir(const char *dir, const struct rbi_audit_key *key,
			 const struct rbi_audit_verify_opts *opts,
			 struct rbi_audit_result *res, char *err,
			 size_t err_len);
void rbi_audit_result_free(struct rbi_audit_result *res);
void rbi_audit_result_text(const struct rbi_audit_result *res,
			   struct rbi_buf *out);
void rbi_audit_result_json(const struct rbi_audit_result *res,
			   struct rbi_buf *out);
/* grace for a heartbeat period, in microseconds. */
int64_t rbi_audit_grace_us(unsigned int period);

#endif
