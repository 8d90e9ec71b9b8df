/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The design's jsonl record of a flow, written fast enough for captures of
 * millions of flows: every key and every value that comes from the policy
 * (zone, service, category, rule) or from a short fixed list (app,
 * verdict) is rendered once, by rbi_json's rules, when the writer is made;
 * a record is then a few copies, two addresses, two ports, the time and
 * the flow's name. The bytes are those rbi_json would write.
 */
#ifndef RBI_SCAN_JSONL_H
#define RBI_SCAN_JSONL_H

#include <stddef.h>
#include <stdint.h>

#include "audit/time.h"
#include "policy/policy.h"
#include "scan/scan.h"

/* The text of the last second a record had, which most records share. */
struct rbi_scan_clock {
	uint64_t sec;
	char text[RBI_AUDIT_TS_LEN + 1];
	bool valid;
};

/* RFC 3339 UTC with microseconds, as the audit log writes times. */
void rbi_scan_clock_text(struct rbi_scan_clock *c, uint64_t us,
			 char out[RBI_AUDIT_TS_LEN + 1]);

struct rbi_scan_jsonl;

/* NULL when out of memory. The policy must outlive the writer. */
struct rbi_scan_jsonl *rbi_scan_jsonl_alloc(const struct rbi_policy *p);
void rbi_scan_jsonl_free(struct rbi_scan_jsonl *w);

/*
 * The record of r as one line, newline included, in the writer's buffer:
 * valid until the next call. *len is its length.
 */
const char *rbi_scan_jsonl_line(struct rbi_scan_jsonl *w,
				const struct rbi_scan_record *r, size_t *len);

#endif
