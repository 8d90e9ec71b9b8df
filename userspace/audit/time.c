// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "audit/time.h"

int64_t rbi_audit_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * RBI_AUDIT_US + ts.tv_nsec / 1000;
}

void rbi_audit_ts_format(int64_t us, char *out)
{
	int64_t sec = us / RBI_AUDIT_US, frac = us % RBI_AUDIT_US;
	char tmp[64];
	time_t t;
	struct tm tm;

	if (frac < 0) {
		frac += RBI_AUDIT_US;
		sec--;
	}
	t = (time_t)sec;
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 0)
		memset(&tm, 0, sizeof(tm));
	/* The compiler cannot see that each field fits its width. */
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)frac);
	memcpy(out, tmp, RBI_AUDIT_TS_LEN);
	out[RBI_AUDIT_TS_LEN] = '\0';
}

void rbi_audit_ts_add(struct rbi_buf *out, int64_t us, const char *unknown)
{
	char s[RBI_AUDIT_TS_LEN + 1];

	if (!us) {
		rbi_buf_adds(out, unknown);
		return;
	}
	rbi_audit_ts_format(us, s);
	rbi_buf_adds(out, s);
}

/* Reads exactly n digits at s[*pos]. */
static bool rbi_ts_digits(const char *s, size_t len, size_t *pos, int n,
			  int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (*pos >= len || s[*pos] < '0' || s[*pos] > '9')
			return false;
		*v = *v * 10 + (s[(*pos)++] - '0');
	}
	return true;
}

static bool rbi_ts_sep(const char *s, size_t len, size_t *pos,
		       const char *any)
{
	if (*pos >= len || !strchr(any, s[*pos]) || !s[*pos])
		return false;
	(*pos)++;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t rbi_ts_days(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool rbi_ts_date(const char *s, size_t n, size_t *pos, int64_t *days)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	int y, m, d;

	if (!rbi_ts_digits(s, n, pos, 4, &y) || !rbi_ts_sep(s, n, pos, "-") ||
	    !rbi_ts_digits(s, n, pos, 2, &m) || !rbi_ts_sep(s, n, pos, "-") ||
	    !rbi_ts_digits(s, n, pos, 2, &d) || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return false;
	*days = rbi_ts_days(y, m, d);
	return true;
}

/* The fraction of a second, read to microseconds (digits past are cut). */
static bool rbi_ts_frac(const char *s, size_t n, size_t *pos, int64_t *us)
{
	int64_t scale = 100000;
	size_t start;

	*us = 0;
	if (*pos >= n || s[*pos] != '.')
		return true;
	start = ++(*pos);
	while (*pos < n && s[*pos] >= '0' && s[*pos] <= '9') {
		*us += (s[*pos] - '0') * scale;
		scale /= 10;
		(*pos)++;
	}
	return *pos > start && *pos - start <= 9;
}

static bool rbi_ts_offset(const char *s, size_t n, size_t *pos, int64_t *off)
{
	int sign, h, m;

	*off = 0;
	if (*pos < n && (s[*pos] == 'Z' || s[*pos] == 'z')) {
		(*pos)++;
		return true;
	}
	if (*pos >= n || (s[*pos] != '+' && s[*pos] != '-'))
		return false;
	sign = s[(*pos)++] == '-' ? -1 : 1;
	if (!rbi_ts_digits(s, n, pos, 2, &h) || !rbi_ts_sep(s, n, pos, ":") ||
	    !rbi_ts_digits(s, n, pos, 2, &m) || h > 23 || m > 59)
		return false;
	*off = sign * (int64_t)(h * 3600 + m * 60);
	return true;
}

int rbi_audit_ts_parse(const char *s, size_t n, int64_t *us)
{
	int64_t days, frac, off;
	size_t pos = 0;
	int h, mi, sec;

	if (!rbi_ts_date(s, n, &pos, &days) ||
	    !rbi_ts_sep(s, n, &pos, "Tt ") ||
	    !rbi_ts_digits(s, n, &pos, 2, &h) ||
	    !rbi_ts_sep(s, n, &pos, ":") ||
	    !rbi_ts_digits(s, n, &pos, 2, &mi) ||
	    !rbi_ts_sep(s, n, &pos, ":") ||
	    !rbi_ts_digits(s, n, &pos, 2, &sec) ||
	    h > 23 || mi > 59 || sec > 60 ||
	    !rbi_ts_frac(s, n, &pos, &frac) ||
	    !rbi_ts_offset(s, n, &pos, &off) || pos != n)
		return RBI_AUDIT_EMALFORMED;
	*us = ((days * 86400 + h * 3600 + mi * 60 + sec) - off) *
	      RBI_AUDIT_US + frac;
	return RBI_AUDIT_OK;
}

/* Seconds per unit letter; 0 when c is not one. */
static uint64_t rbi_time_unit(char c)
{
	switch (c) {
	case 's':
		return 1;
	case 'm':
		return 60;
	case 'h':
		return 3600;
	case 'd':
		return 86400;
	case 'w':
		return 7 * 86400;
	default:
		return 0;
	}
}

int rbi_audit_duration_parse(const char *s, uint64_t *seconds)
{
	uint64_t v = 0, unit = 1;
	size_t i, n = strlen(s);

	if (!n)
		return RBI_AUDIT_EMALFORMED;
	if (n > 1 && rbi_time_unit(s[n - 1]))
		unit = rbi_time_unit(s[--n]);
	if (!n || n > 12)
		return RBI_AUDIT_EMALFORMED;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return RBI_AUDIT_EMALFORMED;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*seconds = v * unit;
	return RBI_AUDIT_OK;
}

int rbi_audit_time_arg(const char *s, int64_t now, int64_t *us)
{
	size_t n = strlen(s), pos = 0;
	uint64_t secs;
	int64_t days;

	if (!strcmp(s, "now")) {
		*us = now;
		return RBI_AUDIT_OK;
	}
	if (s[0] == '-') {
		if (rbi_audit_duration_parse(s + 1, &secs))
			return RBI_AUDIT_EMALFORMED;
		*us = now - (int64_t)secs * RBI_AUDIT_US;
		return RBI_AUDIT_OK;
	}
	if (n == 10 && rbi_ts_date(s, n, &pos, &days)) {
		*us = days * 86400 * RBI_AUDIT_US;
		return RBI_AUDIT_OK;
	}
	return rbi_audit_ts_parse(s, n, us);
}

int rbi_audit_utc_offset(int64_t us)
{
	time_t t = (time_t)(us / RBI_AUDIT_US);
	struct tm tm;

	tzset();
	if (!localtime_r(&t, &tm))
		return 0;
	return (int)tm.tm_gmtoff;
}

/* The part of a zoneinfo path after "zoneinfo/", if it is one. */
static bool rbi_zone_from_path(const char *path, char *out, size_t len)
{
	const char *z = strstr(path, "zoneinfo/");

	if (!z || !z[9])
		return false;
	snprintf(out, len, "%s", z + 9);
	return true;
}

void rbi_audit_zone_name(char *out, size_t len)
{
	const char *tz = getenv("TZ");
	char path[256];
	ssize_t n;
	FILE *f;

	out[0] = '\0';
	if (tz && *tz) {
		tz += *tz == ':';
		if (*tz != '/' || !rbi_zone_from_path(tz, out, len))
			snprintf(out, len, "%s", tz);
		return;
	}
	n = readlink("/etc/localtime", path, sizeof(path) - 1);
	if (n > 0) {
		path[n] = '\0';
		if (rbi_zone_from_path(path, out, len))
			return;
	}
	f = fopen("/etc/timezone", "re");
	if (!f)
		return;
	if (fgets(out, (int)len, f))
		out[strcspn(out, " \t\r\n")] = '\0';
	else
		out[0] = '\0';
	fclose(f);
}

void rbi_audit_local_add(struct rbi_buf *out, int64_t us, int offset)
{
	char s[RBI_AUDIT_TS_LEN + 1];
	int a = offset < 0 ? -offset : offset;

	rbi_audit_ts_format(us + (int64_t)offset * RBI_AUDIT_US, s);
	rbi_buf_printf(out, "%.10s %.8s UTC%c%02d:%02d", s, s + 11,
		       offset < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}
