/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What `rbictl scan` and `rbictl watch` print: one JSON object per
 * reported flow in the design's key order (jsonl), or a line per flow as
 * it is classified (watch, text), and at the end a summary by zone,
 * service and camera with every counter of the scanner (text), or those
 * counters as one JSON object on stderr (jsonl, so that stdout holds
 * nothing but flows).
 */
#ifndef RBI_SCAN_OUT_H
#define RBI_SCAN_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "util/buf.h"
#include "policy/policy.h"
#include "scan/scan.h"

enum rbi_scan_format {
	RBI_SCAN_TEXT,
	RBI_SCAN_JSONL,
	__RBI_SCAN_FORMAT_MAX
};

struct rbi_scan_out;

enum rbi_scan_out_flags {
	/* Text mode prints each flow as it comes, jsonl flushes each line. */
	RBI_SCAN_OUT_LIVE = 1 << 0,
	/* out is a terminal that takes colour: a block stands out in red. */
	RBI_SCAN_OUT_COLOR = 1 << 1,
};

/* Prints to out (flags: enum rbi_scan_out_flags). NULL when out of memory. */
struct rbi_scan_out *rbi_scan_out_alloc(const struct rbi_policy *p,
					enum rbi_scan_format fmt, FILE *out,
					unsigned int flags);
void rbi_scan_out_free(struct rbi_scan_out *o);

/* The scanner's emit hook; ctx is the rbi_scan_out. */
void rbi_scan_out_record(void *ctx, const struct rbi_scan_record *r);

/* The captures or interfaces a run read. */
struct rbi_scan_inputs {
	unsigned int read;	/* opened and read */
	unsigned int failed;	/* could not be opened (not read at all) */
	unsigned int cut;	/* read errors: truncated or corrupt files */
	uint64_t dropped;	/* live: lost in the kernel's buffer */
	uint64_t if_dropped;	/* live: lost by the interface */
};

/* The end: the summary (text, to the output) or the counters (jsonl, to err). */
void rbi_scan_out_finish(struct rbi_scan_out *o, const struct rbi_scan *s,
			 const struct rbi_scan_inputs *in, FILE *err);

/* Flows reported as blocked so far, for --fail-on-block. */
uint64_t rbi_scan_out_blocked(const struct rbi_scan_out *o);

#endif
