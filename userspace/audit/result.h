/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What verification of an audit log finds, and its two renderings: the
 * text an auditor reads and the JSON a program reads (rbictl audit verify
 * [--json]). Findings are spans of leaves of an epoch: faults, gaps the
 * log declares, pruned segments and notes.
 */
#ifndef RBI_AUDIT_RESULT_H
#define RBI_AUDIT_RESULT_H

#include "audit/key.h"
#include "util/buf.h"

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
	bool other_key;		/* signed by another key: unchecked */
	uint64_t records;	/* records read and checked */
	uint64_t bytes;
	int64_t first_ts, last_ts;
	struct rbi_audit_spans faults, gaps, pruned, notes;
	struct rbi_audit_epoch_info *epochs;
	size_t nepochs, epochs_cap;
};

const char *rbi_audit_fault_name(unsigned int kind);
void rbi_audit_result_free(struct rbi_audit_result *res);
void rbi_audit_result_text(const struct rbi_audit_result *res,
			   struct rbi_buf *out);
void rbi_audit_result_json(const struct rbi_audit_result *res,
			   struct rbi_buf *out);

#endif
