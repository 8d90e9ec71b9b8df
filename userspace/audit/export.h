/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Reading the log back for people and pipelines: filters and the output
 * formats of `rbictl audit show`. Escaping follows each format's rules:
 *
 *   csv     RFC 4180: a field with ',', '"', CR or LF is quoted, '"' doubled;
 *           records end in CRLF.
 *   syslog  RFC 5424 with one SD-ELEMENT "rbiblock@32473" (the RFC 5612
 *           documentation enterprise number); in PARAM-VALUEs '"', '\' and
 *           ']' are escaped with '\'. HOSTNAME is the gateway's origin.
 *   cef     ArcSight CEF: '\' and '|' escaped in the header; '\' and '='
 *           escaped, CR and LF written as \r and \n in extension values.
 *           src is the side that opened the flow, dst and dpt the other.
 */
#ifndef RBI_AUDIT_EXPORT_H
#define RBI_AUDIT_EXPORT_H

#include "audit/record.h"

enum rbi_audit_format {
	RBI_AUDIT_FMT_TEXT,
	RBI_AUDIT_FMT_JSONL,
	RBI_AUDIT_FMT_CSV,
	RBI_AUDIT_FMT_SYSLOG,
	RBI_AUDIT_FMT_CEF,
	__RBI_AUDIT_FMT_MAX
};

struct rbi_audit_filter {
	int64_t since, until;	/* 0: unbounded */
	const char *zone, *camera, *service;	/* NULL: any */
	int type;		/* an rbi_audit_rec_type, or -1 for any */
};

/* -1 when s names no format. */
int rbi_audit_format_parse(const char *s);
bool rbi_audit_filter_match(const struct rbi_audit_filter *f,
			    const struct rbi_audit_rec *r, struct rbi_buf *tmp);

/*
 * Header line of a format (CSV only), then one record at a time; host is
 * the syslog HOSTNAME: the log's origin.
 */
void rbi_audit_export_header(enum rbi_audit_format fmt, struct rbi_buf *out);
void rbi_audit_export_record(enum rbi_audit_format fmt,
			     const struct rbi_audit_rec *r, const char *line,
			     size_t len, const char *host, struct rbi_buf *out);

/*
 * Calls fn for each record of every epoch in order, with the origin its
 * epoch's latest checkpoint names (not verified); stops when fn fails.
 * A directory without a log is an error.
 */
typedef int (*rbi_audit_record_fn)(void *ctx, const struct rbi_audit_rec *r,
				   const char *line, size_t len,
				   const char *origin);
int rbi_audit_each_record(const char *dir, rbi_audit_record_fn fn, void *ctx,
			  char *err, size_t err_len);

void rbi_audit_csv_field(struct rbi_buf *out, const char *s, size_t n);
void rbi_audit_sd_value(struct rbi_buf *out, const char *s, size_t n);
void rbi_audit_cef_header(struct rbi_buf *out, const char *s, size_t n);
void rbi_audit_cef_value(struct rbi_buf *out, const char *s, size_t n);

#endif
