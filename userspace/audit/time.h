/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Times in the audit log: microseconds since the Unix epoch, written as
 * RFC 3339 UTC with six fraction digits (2026-11-26T10:00:00.000123Z).
 */
#ifndef RBI_AUDIT_TIME_H
#define RBI_AUDIT_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum {
	RBI_AUDIT_TS_LEN = 27,		/* without the NUL */
	RBI_AUDIT_US = 1000000,
	RBI_AUDIT_HEARTBEAT_MIN = 1,	/* seconds */
	RBI_AUDIT_HEARTBEAT_MAX = 3600,
};

int64_t rbi_audit_now_us(void);
/* out has room for RBI_AUDIT_TS_LEN + 1 bytes. */
void rbi_audit_ts_format(int64_t us, char *out);
/* Appends us formatted, or unknown when us is 0 (not known). */
void rbi_audit_ts_add(struct rbi_buf *out, int64_t us, const char *unknown);
/* Any RFC 3339 date-time (offset or Z, 0 to 9 fraction digits). */
int rbi_audit_ts_parse(const char *s, size_t n, int64_t *us);
/*
 * A command-line time: RFC 3339, a date (YYYY-MM-DD, midnight UTC), "now",
 * or relative to now: -24h, -30m, -7d, -90s, -2w.
 */
int rbi_audit_time_arg(const char *s, int64_t now, int64_t *us);
/* A duration: 60s, 5m, 1h, 400d, 2w, or plain seconds. */
int rbi_audit_duration_parse(const char *s, uint64_t *seconds);

/*
 * The gateway's local time, for people who read a report where it stands:
 * the offset from UTC in force at us (seconds east, from the TZ
 * environment or /etc/localtime), and the zone's name ("Europe/Berlin")
 * when it can be told, else "".
 */
int rbi_audit_utc_offset(int64_t us);
void rbi_audit_zone_name(char *out, size_t len);
/* "2026-11-25 10:46:40 UTC+01:00": us shifted by offset seconds. */
void rbi_audit_local_add(struct rbi_buf *out, int64_t us, int offset);

#endif
