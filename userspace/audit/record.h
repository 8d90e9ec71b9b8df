/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Audit records, the leaves of the log: one compact JSON object per line,
 * keys in a fixed order, common fields first:
 *
 *   "v":1,"type","idx","ts","boot_id", then per type:
 *   policy     "name","sha256","source",["catalog","enforced",]"text"
 *   block      "zone","camera","src","dst","dport","l4","app","name","ech",
 *              "service","category","rule","basis","policy_sha256",
 *              "direction","count","backend", and "fail" (the reason's
 *              name) when the rule is fail-closed
 *   log        the fields of block: a flow the policy lets through but
 *              has recorded (an enforce setting of `log`: shared hosts,
 *              QUIC, ECH, DNS-over-HTTPS, camera analytics)
 *   heartbeat  "seq","period","policy_sha256","ruleset_sha256","module",
 *              "backend","utc_offset","counters"
 *   start      "origin","version","prev","reason","tz","utc_offset"
 *   stop       "reason"
 *   gap        "what","from","until","count","detail"
 *
 * A flow record's src is the side that opened the flow and dst the side
 * that answered, with its port: for an ingress flow (a remote host pulling
 * from a camera) dst is the camera. camera and direction say which side
 * the camera is; count is packets, one record is one flow.
 *
 * A policy record's catalog and enforced objects are what the daemon
 * compiled (policy/facts.h): the catalogue's digest, its number of services
 * and each file with its digest; the prohibition, the zones and the enforce
 * settings. They let a report say what was enforced without the catalogue
 * files, which are not in the log.
 *
 * utc_offset is the gateway's offset from UTC in seconds and tz its time
 * zone's name ("" when unknown), for showing times in its local time.
 *
 * Strings longer than their cap are cut at a character boundary and end in
 * RBI_AUDIT_TRUNCATED, so that a line always stays under 64 KiB.
 */
#ifndef RBI_AUDIT_RECORD_H
#define RBI_AUDIT_RECORD_H

#include "audit/audit.h"
#include "audit/json.h"
#include "audit/note.h"

#define RBI_AUDIT_TRUNCATED "[truncated]"

enum rbi_audit_rec_type {
	RBI_AUDIT_REC_POLICY,
	RBI_AUDIT_REC_BLOCK,
	RBI_AUDIT_REC_HEARTBEAT,
	RBI_AUDIT_REC_START,
	RBI_AUDIT_REC_STOP,
	RBI_AUDIT_REC_GAP,
	RBI_AUDIT_REC_LOG,
	__RBI_AUDIT_REC_MAX
};

enum {
	RBI_AUDIT_STR_CAP = 1024,	/* escaped bytes per ordinary string */
	RBI_AUDIT_TEXT_CAP = 49152,	/* escaped bytes of a policy text */
	RBI_AUDIT_FACTS_CAP = 12288,	/* bytes of a policy's facts */
	RBI_AUDIT_COUNTERS_MAX = 64,
	RBI_AUDIT_COUNTER_NAME_CAP = 64,
	RBI_AUDIT_BOOT_ID_LEN = 36,
};

/* What the writer fills in for every record. */
struct rbi_audit_rec_common {
	enum rbi_audit_rec_type type;
	uint64_t idx;
	int64_t ts;		/* microseconds since the epoch */
	const char *boot_id;
};

struct rbi_audit_policy {
	const char *name;
	const char *source;	/* path, or "built-in" */
	const char *text;	/* the policy file's bytes */
	size_t text_len;
	/*
	 * The "catalog" and "enforced" members as JSON (`"catalog":{...},
	 * "enforced":{...}`), at most RBI_AUDIT_FACTS_CAP bytes; NULL for
	 * none.
	 */
	const char *facts;
	size_t facts_len;
};

/* Whether the ClientHello carried ECH: null when nothing inspected it. */
enum rbi_audit_ech {
	RBI_AUDIT_ECH_UNKNOWN,
	RBI_AUDIT_ECH_NO,
	RBI_AUDIT_ECH_YES,
	__RBI_AUDIT_ECH_MAX
};

/* A block record, or a log record (same fields, the flow was allowed). */
struct rbi_audit_block {
	const char *zone;
	const char *camera;	/* camera address */
	const char *src;	/* the address that opened the flow */
	const char *dst;	/* the address that answered */
	uint16_t dport;		/* dst's port */
	const char *l4;		/* "tcp", "udp" */
	const char *app;	/* "tls", "http", "dns", "rtsp", "quic" or NULL */
	const char *name;	/* SNI, Host, DNS name or NULL */
	const char *service;
	const char *category;
	const char *rule;
	const char *basis;
	const char *policy_sha256;
	const char *direction;	/* "egress" or "ingress" */
	uint64_t count;		/* packets merged into it, >= 1 */
	const char *backend;	/* "nft", "module" or "queue" */
	enum rbi_audit_ech ech;
	/* Rule fail-closed: why the flow could not be decided (rbi_fail). */
	const char *fail;
};

struct rbi_audit_counter {
	const char *name;
	uint64_t value;
};

struct rbi_audit_heartbeat {
	const char *policy_sha256;
	const char *ruleset_sha256;	/* of the ruleset read back */
	bool module;
	const char *backend;
	const struct rbi_audit_counter *counters;	/* since the last one */
	size_t ncounters;
};

struct rbi_audit_gap {
	const char *what;	/* write-failure, dropped-events, clock-jump,
				 * ruleset-mismatch, log-restart, retention */
	int64_t from;		/* microseconds since the epoch */
	int64_t until;
	uint64_t count;
	const char *detail;
};

struct rbi_audit_start {
	const char *origin;
	const char *version;
	const struct rbi_audit_checkpoint *prev;	/* NULL for the first */
	const char *reason;
	const char *tz;		/* the time zone's name, or "" */
};

const char *rbi_audit_rec_type_name(enum rbi_audit_rec_type t);
/* A record about one flow: block or log. */
static inline bool rbi_audit_rec_is_flow(enum rbi_audit_rec_type t)
{
	return t == RBI_AUDIT_REC_BLOCK || t == RBI_AUDIT_REC_LOG;
}
/* The type named by s[0..n), or -1. */
int rbi_audit_rec_type_parse(const char *s, size_t n);
/* "policy, block, ... or log": every type's name, for messages. */
void rbi_audit_rec_type_list(struct rbi_buf *out);

/*
 * Each writes one record (no newline) to out. They fail only when out ran
 * out of memory or the line would reach 64 KiB.
 */
/*
 * A policy record in two steps, so that the writer can restate it at the
 * head of each segment: its own fields (after the common ones), then the
 * record from them.
 */
int rbi_audit_rec_policy_body(struct rbi_buf *body,
			      const struct rbi_audit_policy *p,
			      const char *sha256);
int rbi_audit_rec_body(struct rbi_buf *out,
		       const struct rbi_audit_rec_common *c, const char *body,
		       size_t len);
/* c->type is RBI_AUDIT_REC_BLOCK or RBI_AUDIT_REC_LOG. */
int rbi_audit_rec_block(struct rbi_buf *out,
			const struct rbi_audit_rec_common *c,
			const struct rbi_audit_block *b);
int rbi_audit_rec_heartbeat(struct rbi_buf *out,
			    const struct rbi_audit_rec_common *c,
			    const struct rbi_audit_heartbeat *h, uint64_t seq,
			    unsigned int period);
int rbi_audit_rec_start(struct rbi_buf *out,
			const struct rbi_audit_rec_common *c,
			const struct rbi_audit_start *s);
int rbi_audit_rec_stop(struct rbi_buf *out,
		       const struct rbi_audit_rec_common *c,
		       const char *reason);
int rbi_audit_rec_gap(struct rbi_buf *out,
		      const struct rbi_audit_rec_common *c,
		      const struct rbi_audit_gap *g);

/* A record read back: its common fields checked, the rest located. */
struct rbi_audit_rec {
	enum rbi_audit_rec_type type;
	uint64_t idx;
	int64_t ts;
	struct rbi_audit_jobj obj;
};

int rbi_audit_rec_parse(const char *line, size_t n, struct rbi_audit_rec *r);
const struct rbi_audit_jval *rbi_audit_rec_get(const struct rbi_audit_rec *r,
					       const char *key);
/* The decoded string field key of r ("" when absent or not a string). */
const char *rbi_audit_rec_str(const struct rbi_audit_rec *r, const char *key,
			      struct rbi_buf *tmp);
/* A gap's from/until and a start's prev checkpoint, read back. */
bool rbi_audit_rec_time(const struct rbi_audit_rec *r, const char *key,
			int64_t *us);
bool rbi_audit_rec_prev(const struct rbi_audit_rec *r,
			struct rbi_audit_checkpoint *cp);

#endif
