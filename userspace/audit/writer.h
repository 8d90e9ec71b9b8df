/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The audit log writer: the API that `rbictl run` (and the test driver in
 * tests/audit) uses. One writer per log directory (it holds DIR/lock).
 *
 *	struct rbi_audit_config cfg = {
 *		.dir = "/var/lib/rbiblock/audit",
 *		.origin = "gw1.city.example/rbiblock",
 *		.key_path = "/etc/rbiblock/audit.key",
 *		.heartbeat = 60, .retention = 400 * 86400,
 *	};
 *	rc = rbi_audit_open(&cfg, &log, &state, err, sizeof(err));
 *	rbi_audit_append_policy(log, &policy, &idx);	   at load and change
 *	loop:
 *		rbi_audit_append_block(log, &blk, &idx);   for each block
 *		rbi_audit_append_log(log, &blk, &idx);	   or logged flow
 *		...
 *		rbi_audit_sync(log);	once per batch: fdatasync, then
 *					every idx < rbi_audit_durable(log) is
 *					logged and may be acknowledged
 *		every cfg.heartbeat seconds:
 *		rbi_audit_heartbeat(log, &hb, &idx);	   record + signed
 *							   checkpoint
 *	rbi_audit_close(log, "shutdown");		   stop + checkpoint
 *
 * Every call returns an rbi_audit_rc; on failure rbi_audit_log_error()
 * says what and where. A failed sync drops the unsynced records (they were
 * never acknowledged) and leaves the log usable: the next sync that works
 * first records a "write-failure" gap saying how many were lost and when.
 * With on-failure: closed the daemon blocks camera egress meanwhile.
 */
#ifndef RBI_AUDIT_WRITER_H
#define RBI_AUDIT_WRITER_H

#include "audit/record.h"

struct rbi_audit_log;

struct rbi_audit_config {
	const char *dir;
	const char *origin;	/* checkpoint origin, e.g. the key's name */
	const char *key_path;	/* PRIVATE+KEY line, mode 0600 or stricter */
	unsigned int heartbeat;	/* seconds, RBI_AUDIT_HEARTBEAT_MIN..MAX */
	uint64_t retention;	/* seconds; 0 keeps every segment */
	/* Microseconds since the epoch; NULL for the real clock. */
	int64_t (*clock)(void *ctx);
	void *clock_ctx;
};

enum rbi_audit_open_state {
	RBI_AUDIT_OPENED_NEW,		/* a new, empty log */
	RBI_AUDIT_OPENED_CLEAN,		/* the last session ended in a stop */
	RBI_AUDIT_OPENED_RECOVERED,	/* it did not: durable records kept, a
					 * torn tail cut, a log-restart gap
					 * recorded */
	RBI_AUDIT_OPENED_ALARM,		/* the stored log did not match what
					 * was signed: alarm printed, a new
					 * origin started, a gap recorded */
	__RBI_AUDIT_OPENED_MAX
};

/*
 * Opens (creating if needed) the log in cfg->dir, recovers it, and appends
 * a start record citing the last checkpoint. Refuses a key file that the
 * group or others can access.
 */
int rbi_audit_open(const struct rbi_audit_config *cfg,
		   struct rbi_audit_log **logp,
		   enum rbi_audit_open_state *state, char *err, size_t err_len);

/*
 * Appends a record; *idx (may be NULL) gets its leaf index. Nothing is
 * durable until rbi_audit_sync() returns RBI_AUDIT_OK.
 */
int rbi_audit_append_policy(struct rbi_audit_log *log,
			    const struct rbi_audit_policy *p, uint64_t *idx);
int rbi_audit_append_block(struct rbi_audit_log *log,
			   const struct rbi_audit_block *b, uint64_t *idx);
/* A flow allowed but recorded: a "log" record with a block's fields. */
int rbi_audit_append_log(struct rbi_audit_log *log,
			 const struct rbi_audit_block *b, uint64_t *idx);
int rbi_audit_append_gap(struct rbi_audit_log *log,
			 const struct rbi_audit_gap *g, uint64_t *idx);

/* Group commit: writes and fdatasyncs everything appended so far. */
int rbi_audit_sync(struct rbi_audit_log *log);
/* Leaves durable so far: indexes below it are logged. */
uint64_t rbi_audit_durable(const struct rbi_audit_log *log);

/*
 * Appends a heartbeat, syncs, signs a checkpoint (history + atomic
 * replace), then applies retention.
 */
int rbi_audit_heartbeat(struct rbi_audit_log *log,
			const struct rbi_audit_heartbeat *h, uint64_t *idx);

/* Appends a stop record, syncs, signs a checkpoint and frees log. */
int rbi_audit_close(struct rbi_audit_log *log, const char *reason);

const char *rbi_audit_log_error(const struct rbi_audit_log *log);
const char *rbi_audit_log_origin(const struct rbi_audit_log *log);
/* Hex SHA-256 of a policy file's bytes, as policy records carry it. */
void rbi_audit_policy_sha256(const char *text, size_t len, char *out65);

#endif
