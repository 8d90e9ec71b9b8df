/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The HTML report of `rbictl audit report`: one self-contained page (no
 * scripts, no external resources) for a regulator or the public, built
 * from a verification run: the result, the periods covered, the policy in
 * force with its legal basis, blocks by zone, service and category, and
 * every gap and fault. All text from the log is HTML-escaped.
 */
#ifndef RBI_AUDIT_REPORT_H
#define RBI_AUDIT_REPORT_H

#include "audit/verify.h"

struct rbi_audit_tally;

struct rbi_audit_report_opts {
	const char *dir;
	const struct rbi_audit_key *key;
	int64_t since, until;	/* 0: unbounded */
	int64_t generated;	/* when the report is made */
};

/* Collects what the report shows; pass as verify's on_record. */
struct rbi_audit_tally *rbi_audit_tally_new(int64_t since, int64_t until);
void rbi_audit_tally_record(void *tally, const struct rbi_audit_rec *r,
			    const char *line, size_t len);
void rbi_audit_tally_free(struct rbi_audit_tally *t);

void rbi_audit_report_html(const struct rbi_audit_report_opts *o,
			   const struct rbi_audit_result *res,
			   const struct rbi_audit_tally *t,
			   struct rbi_buf *out);
void rbi_audit_html_escape(struct rbi_buf *out, const char *s, size_t n);

#endif
