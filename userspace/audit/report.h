/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The HTML report of `rbictl audit report`: one self-contained page (no
 * scripts, no external resources, readable on a phone, printable) that a
 * venue can publish, built from a verification run and its tally. In
 * this order: the verdict in one sentence; what was enforced, checked
 * against the parts of the prohibition, and what was not; a timeline of
 * proven enforcement, gaps, policy changes and blocks; blocks and flows
 * allowed but recorded; how to check it all yourself; every gap and fault
 * in UTC and in the gateway's local time. A log that did not verify says
 * so at the top, and every section says it is unverified. All text from
 * the log is HTML-escaped.
 */
#ifndef RBI_AUDIT_REPORT_H
#define RBI_AUDIT_REPORT_H

#include "audit/tally.h"
#include "audit/verify.h"

struct rbi_audit_report_opts {
	const char *dir;	/* as given, for the commands shown */
	const char *pub_path;
	const struct rbi_audit_key *key;
	int64_t since, until;	/* 0: from the first, to the last record */
	int64_t generated;	/* when the report is made */
};

void rbi_audit_report_html(const struct rbi_audit_report_opts *o,
			   const struct rbi_audit_result *res,
			   const struct rbi_audit_tally *t,
			   struct rbi_buf *out);
void rbi_audit_html_escape(struct rbi_buf *out, const char *s, size_t n);

#endif
