/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What a report shows, collected from the records as verification reads
 * them (rbi_audit_tally_record() is verify's on_record): the sessions and
 * how each ended, the periods heartbeats prove enforcement over, each
 * policy with the periods it was in force and what it enforced, the flows
 * blocked and logged in the report's window, counted by zone, service and
 * category and over time, and the gateway's UTC offsets.
 *
 * Flows are records: one record is one flow, its count field the packets
 * merged into it. Memory stays bounded whatever the log holds: each
 * string -> count map keeps RBI_TALLY_MAX keys and counts the rest under
 * "(other)"; blocks over time go into RBI_TALLY_BINS bins that widen as
 * the window grows; intervals that touch are merged.
 */
#ifndef RBI_AUDIT_TALLY_H
#define RBI_AUDIT_TALLY_H

#include "audit/record.h"

enum {
	RBI_TALLY_MAX = 4096,		/* keys a map, with "(other)" */
	RBI_TALLY_POLICIES = 64,	/* distinct policies described */
	RBI_TALLY_BINS = 512,
	RBI_TALLY_REASON_MAX = 32,
};

/* Series of blocks over time: the three prohibited categories, the rest. */
enum rbi_tally_series {
	RBI_TALLY_RBI,
	RBI_TALLY_CATEGORISATION,
	RBI_TALLY_EMOTION,
	RBI_TALLY_OTHER,
	__RBI_TALLY_SERIES
};

#define RBI_TALLY_OTHER_KEY "(other)"

struct rbi_tally_entry {
	char *key;
	uint64_t flows, packets;
};

struct rbi_tally_map {
	struct rbi_tally_entry *e;
	size_t n, cap;
	uint32_t *slots;	/* open addressing: entry index + 1, 0 free */
};

struct rbi_tally_iv {
	int64_t from, until;
};

struct rbi_tally_ivs {
	struct rbi_tally_iv *v;
	size_t n, cap;
};

/* How a session ended. */
enum rbi_tally_end {
	RBI_TALLY_END_OPEN,	/* no stop record by the last record */
	RBI_TALLY_END_STOP,
	RBI_TALLY_END_CRASH,	/* the next start recorded a crash */
	RBI_TALLY_END_DAMAGED,	/* the next start found the log damaged */
	RBI_TALLY_END_UNKNOWN,	/* another start, without saying why */
	__RBI_TALLY_END_MAX
};

struct rbi_tally_session {
	int64_t start, end;	/* end: the stop, else the last record */
	enum rbi_tally_end how;
	char reason[RBI_TALLY_REASON_MAX];
};

struct rbi_tally_sessions {
	struct rbi_tally_session *v;
	size_t n, cap;
};

struct rbi_tally_policy {
	char sha[2 * RBI_AUDIT_HASH_LEN + 1];
	char *name, *source;
	char *catalog, *enforced;	/* the record's objects, or NULL */
	struct rbi_tally_ivs periods;	/* in force */
};

struct rbi_tally_offset {
	int64_t ts;
	int offset;
};

struct rbi_tally_offsets {
	struct rbi_tally_offset *v;
	size_t n, cap;
};

struct rbi_audit_tally {
	int64_t since, until;		/* the window; 0: unbounded */
	int64_t first_ts, last_ts;	/* of every record read */

	/* In the window. */
	uint64_t records;
	uint64_t blocks, block_packets, logs, log_packets;
	/* Heartbeats, and those of nftables alone: no module, no queues. */
	uint64_t heartbeats, heartbeats_nft_only;
	struct rbi_tally_map zones, services, categories, log_services;
	int64_t bin_origin, bin_width;	/* us */
	uint64_t bins[RBI_TALLY_BINS][__RBI_TALLY_SERIES];

	/* The whole log. */
	struct rbi_tally_ivs proven;	/* between heartbeats in time */
	struct rbi_tally_sessions sessions;
	struct rbi_tally_policy *pol;
	size_t npol, pol_cap;
	uint64_t policies_dropped;	/* past RBI_TALLY_POLICIES */
	struct rbi_tally_offsets offsets;	/* where the offset changed */
	char origin[RBI_AUDIT_NAME_MAX];
	char tz[RBI_AUDIT_NAME_MAX];

	/* Reading state. */
	bool in_session;
	int64_t alive_ts;		/* start or last heartbeat */
	unsigned int period;		/* of the last heartbeat; 0: none */
	long cur_pol;			/* index in pol, -1: none */
	struct rbi_buf tmp;
	bool failed;			/* out of memory: said so */
};

struct rbi_audit_tally *rbi_audit_tally_new(int64_t since, int64_t until);
void rbi_audit_tally_record(void *tally, const struct rbi_audit_rec *r,
			    const char *line, size_t len);
/* Closes what the last record left open. Call once, after the last. */
void rbi_audit_tally_end(struct rbi_audit_tally *t);
void rbi_audit_tally_free(struct rbi_audit_tally *t);

/* The gateway's UTC offset at ts, as its records said (0 before any). */
int rbi_audit_tally_offset(const struct rbi_audit_tally *t, int64_t ts);

/* The series a category name counts in. */
enum rbi_tally_series rbi_audit_tally_series(const char *category);

#endif
