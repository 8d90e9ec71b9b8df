// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/export.h"
#include "audit/store.h"
#include "audit/time.h"

#ifndef RBI_VERSION
#define RBI_VERSION "unknown"
#endif

static const char *const rbi_fmt_names[__RBI_AUDIT_FMT_MAX] = {
	[RBI_AUDIT_FMT_TEXT] = "text",
	[RBI_AUDIT_FMT_JSONL] = "jsonl",
	[RBI_AUDIT_FMT_CSV] = "csv",
	[RBI_AUDIT_FMT_SYSLOG] = "syslog",
	[RBI_AUDIT_FMT_CEF] = "cef",
};

/* The CSV columns: the common fields, then the fields of block and log
 * records, then the rest of any other record as "key=value" pairs.
 */
static const char *const rbi_csv_cols[] = {
	"idx", "ts", "type", "zone", "camera", "src", "dst", "dport", "l4",
	"app", "name", "ech", "service", "category", "rule", "basis",
	"policy_sha256", "direction", "count", "backend",
};

enum { RBI_CSV_COLS = sizeof(rbi_csv_cols) / sizeof(rbi_csv_cols[0]) };

/* Keys every record starts with: not repeated in summaries. */
static bool rbi_exp_common(const char *k, size_t n)
{
	static const char *const common[] = { "v", "type", "idx", "ts",
					      "boot_id" };
	size_t i;

	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		if (strlen(common[i]) == n && !memcmp(common[i], k, n))
			return true;
	return false;
}

int rbi_audit_format_parse(const char *s)
{
	int i;

	for (i = 0; i < __RBI_AUDIT_FMT_MAX; i++)
		if (!strcmp(s, rbi_fmt_names[i]))
			return i;
	return -1;
}

static bool rbi_exp_eq(const struct rbi_audit_rec *r, const char *key,
		       const char *want, struct rbi_buf *tmp)
{
	return !want || !strcmp(rbi_audit_rec_str(r, key, tmp), want);
}

bool rbi_audit_filter_match(const struct rbi_audit_filter *f,
			    const struct rbi_audit_rec *r, struct rbi_buf *tmp)
{
	if ((f->since && r->ts < f->since) || (f->until && r->ts > f->until) ||
	    (f->type >= 0 && (int)r->type != f->type))
		return false;
	return rbi_exp_eq(r, "zone", f->zone, tmp) &&
	       rbi_exp_eq(r, "camera", f->camera, tmp) &&
	       rbi_exp_eq(r, "service", f->service, tmp);
}

/*
 * Names in records come from packets. A cell that a spreadsheet would read
 * as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe, as
 * OWASP advises against CSV injection, so that opening an export is safe.
 */
static bool rbi_csv_formula(const char *s, size_t n)
{
	return n && (s[0] == '=' || s[0] == '+' || s[0] == '-' ||
		     s[0] == '@' || s[0] == '\t' || s[0] == '\r');
}

void rbi_audit_csv_field(struct rbi_buf *out, const char *s, size_t n)
{
	bool formula = rbi_csv_formula(s, n);
	size_t i;

	if (!formula && !memchr(s, ',', n) && !memchr(s, '"', n) &&
	    !memchr(s, '\r', n) && !memchr(s, '\n', n)) {
		rbi_buf_add(out, s, n);
		return;
	}
	rbi_buf_addc(out, '"');
	if (formula)
		rbi_buf_addc(out, '\'');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			rbi_buf_addc(out, '"');
		rbi_buf_addc(out, s[i]);
	}
	rbi_buf_addc(out, '"');
}

void rbi_audit_sd_value(struct rbi_buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\' || s[i] == ']')
			rbi_buf_addc(out, '\\');
		rbi_buf_addc(out, s[i]);
	}
}

void rbi_audit_cef_header(struct rbi_buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' || s[i] == '|')
			rbi_buf_addc(out, '\\');
		/* A header is one line: a line break would split the event. */
		if (s[i] == '\n' || s[i] == '\r')
			rbi_buf_addc(out, ' ');
		else
			rbi_buf_addc(out, s[i]);
	}
}

void rbi_audit_cef_value(struct rbi_buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' || s[i] == '=')
			rbi_buf_addc(out, '\\');
		if (s[i] == '\n')
			rbi_buf_adds(out, "\\n");
		else if (s[i] == '\r')
			rbi_buf_adds(out, "\\r");
		else
			rbi_buf_addc(out, s[i]);
	}
}

/* A value as text: strings decoded, anything else as its JSON. */
static void rbi_exp_value(const struct rbi_audit_jval *v, struct rbi_buf *out)
{
	if (!v || v->type == RBI_AUDIT_JNULL)
		return;
	if (!rbi_audit_json_str(v, out))
		rbi_buf_add(out, v->p, v->n);
}

static const char *rbi_exp_get(const struct rbi_audit_rec *r, const char *key,
			       struct rbi_buf *tmp)
{
	rbi_buf_reset(tmp);
	rbi_exp_value(rbi_audit_rec_get(r, key), tmp);
	return rbi_buf_str(tmp);
}

/* "key=value key=value" of the non-common fields (not a policy's text). */
static void rbi_exp_summary(const struct rbi_audit_rec *r, const char *sep,
			    struct rbi_buf *out)
{
	const struct rbi_audit_jfield *f;
	bool first = true;
	size_t i;

	for (i = 0; i < r->obj.count; i++) {
		f = &r->obj.f[i];
		if (rbi_exp_common(f->key, f->key_len) ||
		    (r->type == RBI_AUDIT_REC_POLICY && f->key_len == 4 &&
		     !memcmp(f->key, "text", 4)))
			continue;
		if (!first)
			rbi_buf_adds(out, sep);
		first = false;
		rbi_buf_add(out, f->key, f->key_len);
		rbi_buf_addc(out, '=');
		rbi_exp_value(&f->v, out);
	}
}

static void rbi_exp_text(const struct rbi_audit_rec *r, struct rbi_buf *out)
{
	char ts[RBI_AUDIT_TS_LEN + 1];
	size_t start;

	rbi_audit_ts_format(r->ts, ts);
	rbi_buf_printf(out, "%s %-9s #%llu ", ts,
		       rbi_audit_rec_type_name(r->type),
		       (unsigned long long)r->idx);
	/* Control characters from packets must not reach a terminal. */
	start = out->len;
	rbi_exp_summary(r, " ", out);
	for (; start < out->len; start++)
		if ((unsigned char)out->data[start] < 0x20 ||
		    out->data[start] == 0x7f)
			out->data[start] = '?';
	rbi_buf_addc(out, '\n');
}

static void rbi_exp_csv(const struct rbi_audit_rec *r, struct rbi_buf *out)
{
	struct rbi_buf tmp = RBI_BUF_INIT;
	size_t i;

	for (i = 0; i < RBI_CSV_COLS; i++) {
		if (i)
			rbi_buf_addc(out, ',');
		rbi_exp_get(r, rbi_csv_cols[i], &tmp);
		rbi_audit_csv_field(out, tmp.data ? tmp.data : "", tmp.len);
	}
	rbi_buf_addc(out, ',');
	rbi_buf_reset(&tmp);
	if (!rbi_audit_rec_is_flow(r->type))
		rbi_exp_summary(r, "; ", &tmp);
	rbi_audit_csv_field(out, tmp.data ? tmp.data : "", tmp.len);
	rbi_buf_adds(out, "\r\n");
	rbi_buf_free(&tmp);
}

static unsigned int rbi_exp_severity(enum rbi_audit_rec_type t)
{
	switch (t) {
	case RBI_AUDIT_REC_BLOCK:
		return 4;	/* warning */
	case RBI_AUDIT_REC_LOG:
		return 5;	/* notice */
	case RBI_AUDIT_REC_GAP:
		return 3;	/* error */
	case RBI_AUDIT_REC_HEARTBEAT:
		return 6;	/* informational */
	default:
		return 5;	/* notice */
	}
}

/* PARAM-NAME is 1-32 printable ASCII but '=', ' ', ']' and '"'. */
static void rbi_exp_sd_name(struct rbi_buf *out, const char *k, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 32; i++)
		rbi_buf_addc(out, (k[i] > ' ' && k[i] < 0x7f && k[i] != '=' &&
				   k[i] != ']' && k[i] != '"') ? k[i] : '_');
}

/*
 * HOSTNAME is the gateway's log origin, not the machine exporting: 1 to
 * 255 printable US-ASCII characters, others written as '_'.
 */
static void rbi_exp_sd_host(struct rbi_buf *out, const char *host)
{
	size_t i;

	if (!host || !host[0]) {
		rbi_buf_addc(out, '-');
		return;
	}
	for (i = 0; host[i] && i < 255; i++)
		rbi_buf_addc(out, host[i] > ' ' && host[i] < 0x7f ? host[i] :
			     '_');
}

static void rbi_exp_syslog(const struct rbi_audit_rec *r, const char *host,
			   struct rbi_buf *out)
{
	const struct rbi_audit_jfield *f;
	struct rbi_buf tmp = RBI_BUF_INIT;
	char ts[RBI_AUDIT_TS_LEN + 1];
	size_t i;

	rbi_audit_ts_format(r->ts, ts);
	/* Facility 13, log audit. */
	rbi_buf_printf(out, "<%u>1 %s ", 13 * 8 + rbi_exp_severity(r->type),
		       ts);
	rbi_exp_sd_host(out, host);
	rbi_buf_printf(out, " rbiblock - %s [rbiblock@32473",
		       rbi_audit_rec_type_name(r->type));
	rbi_buf_printf(out, " idx=\"%llu\"", (unsigned long long)r->idx);
	for (i = 0; i < r->obj.count; i++) {
		f = &r->obj.f[i];
		if (rbi_exp_common(f->key, f->key_len) ||
		    (f->key_len == 4 && !memcmp(f->key, "text", 4)))
			continue;
		rbi_buf_reset(&tmp);
		rbi_exp_value(&f->v, &tmp);
		rbi_buf_addc(out, ' ');
		rbi_exp_sd_name(out, f->key, f->key_len);
		rbi_buf_adds(out, "=\"");
		rbi_audit_sd_value(out, tmp.data ? tmp.data : "", tmp.len);
		rbi_buf_addc(out, '"');
	}
	rbi_buf_printf(out, "] rbiblock %s record %llu\n",
		       rbi_audit_rec_type_name(r->type),
		       (unsigned long long)r->idx);
	rbi_buf_free(&tmp);
}

/* CEF extension key for each field of a block or log record. */
static const char *const rbi_cef_keys[][2] = {
	{ "src", "src" }, { "dst", "dst" }, { "dport", "dpt" },
	{ "l4", "proto" }, { "app", "app" }, { "name", "dhost" },
	{ "count", "cnt" }, { "service", "cs1" }, { "category", "cs2" },
	{ "rule", "cs3" }, { "zone", "cs4" }, { "policy_sha256", "cs5" },
	{ "basis", "cs6" },
};

static void rbi_exp_cef_pair(struct rbi_buf *out, const char *key,
			     const char *val, size_t n)
{
	rbi_buf_printf(out, " %s=", key);
	rbi_audit_cef_value(out, val, n);
}

static void rbi_exp_cef_flow(const struct rbi_audit_rec *r,
			      struct rbi_buf *out, struct rbi_buf *tmp)
{
	static const char *const labels[] = { "service", "category", "rule",
					      "zone", "policy_sha256",
					      "basis" };
	char key[16];
	size_t i;

	for (i = 0; i < sizeof(rbi_cef_keys) / sizeof(rbi_cef_keys[0]); i++) {
		rbi_exp_get(r, rbi_cef_keys[i][0], tmp);
		if (tmp->len)
			rbi_exp_cef_pair(out, rbi_cef_keys[i][1], tmp->data,
					 tmp->len);
	}
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		snprintf(key, sizeof(key), "cs%zuLabel", i + 1);
		rbi_exp_cef_pair(out, key, labels[i], strlen(labels[i]));
	}
	rbi_buf_printf(out, " act=%s deviceDirection=%d",
		       rbi_audit_rec_type_name(r->type),
		       !strcmp(rbi_exp_get(r, "direction", tmp), "ingress") ?
		       0 : 1);
}

/*
 * What a flow went to, for a person: the catalogue's service, else the
 * name it asked for, else the address and port that answered.
 */
static void rbi_exp_flow_peer(const struct rbi_audit_rec *r,
			      struct rbi_buf *out)
{
	size_t start = out->len;

	rbi_exp_value(rbi_audit_rec_get(r, "service"), out);
	if (out->len == start)
		rbi_exp_value(rbi_audit_rec_get(r, "name"), out);
	if (out->len > start)
		return;
	rbi_exp_value(rbi_audit_rec_get(r, "dst"), out);
	rbi_buf_addc(out, ' ');
	rbi_exp_value(rbi_audit_rec_get(r, "l4"), out);
	rbi_buf_addc(out, '/');
	rbi_exp_value(rbi_audit_rec_get(r, "dport"), out);
}

/* CEF severity, 0..10. */
static unsigned int rbi_exp_cef_severity(enum rbi_audit_rec_type t)
{
	switch (t) {
	case RBI_AUDIT_REC_BLOCK:
		return 7;
	case RBI_AUDIT_REC_LOG:
		return 5;
	case RBI_AUDIT_REC_GAP:
		return 8;
	default:
		return 3;
	}
}

static void rbi_exp_cef(const struct rbi_audit_rec *r, struct rbi_buf *out)
{
	struct rbi_buf tmp = RBI_BUF_INIT;
	const char *type = rbi_audit_rec_type_name(r->type);
	bool flow = rbi_audit_rec_is_flow(r->type);

	rbi_buf_adds(out, "CEF:0|rbiblock|rbiblock|");
	rbi_audit_cef_header(out, RBI_VERSION, strlen(RBI_VERSION));
	rbi_buf_printf(out, "|rbi-%s|", type);
	if (flow) {
		rbi_buf_adds(&tmp, r->type == RBI_AUDIT_REC_BLOCK ?
			     "Blocked flow to " : "Logged flow to ");
		rbi_exp_flow_peer(r, &tmp);
	} else {
		rbi_buf_printf(&tmp, "Audit %s record", type);
	}
	rbi_audit_cef_header(out, tmp.data, tmp.len);
	rbi_buf_printf(out, "|%u|rt=%lld externalId=%llu",
		       rbi_exp_cef_severity(r->type),
		       (long long)(r->ts / 1000),
		       (unsigned long long)r->idx);
	if (flow) {
		rbi_exp_cef_flow(r, out, &tmp);
	} else {
		rbi_buf_reset(&tmp);
		rbi_exp_summary(r, "; ", &tmp);
		rbi_exp_cef_pair(out, "msg", rbi_buf_str(&tmp), tmp.len);
	}
	rbi_buf_addc(out, '\n');
	rbi_buf_free(&tmp);
}

void rbi_audit_export_header(enum rbi_audit_format fmt, struct rbi_buf *out)
{
	size_t i;

	if (fmt != RBI_AUDIT_FMT_CSV)
		return;
	for (i = 0; i < RBI_CSV_COLS; i++) {
		rbi_buf_adds(out, rbi_csv_cols[i]);
		rbi_buf_addc(out, ',');
	}
	rbi_buf_adds(out, "detail\r\n");
}

void rbi_audit_export_record(enum rbi_audit_format fmt,
			     const struct rbi_audit_rec *r, const char *line,
			     size_t len, const char *host, struct rbi_buf *out)
{
	switch (fmt) {
	case RBI_AUDIT_FMT_JSONL:
		rbi_buf_add(out, line, len);
		rbi_buf_addc(out, '\n');
		break;
	case RBI_AUDIT_FMT_CSV:
		rbi_exp_csv(r, out);
		break;
	case RBI_AUDIT_FMT_SYSLOG:
		rbi_exp_syslog(r, host, out);
		break;
	case RBI_AUDIT_FMT_CEF:
		rbi_exp_cef(r, out);
		break;
	default:
		rbi_exp_text(r, out);
		break;
	}
}

static int rbi_exp_segment(int efd, uint64_t seg, struct rbi_audit_rec *r,
			   rbi_audit_record_fn fn, void *ctx,
			   const char *origin)
{
	char name[RBI_AUDIT_FILE_NAME_MAX];
	struct rbi_audit_map m;
	const char *line;
	size_t len, pos = 0;
	int rc = RBI_AUDIT_OK;

	rbi_audit_seg_name(seg, name);
	if (rbi_audit_map(efd, name, &m))
		return RBI_AUDIT_EIO;
	while (!rc && rbi_audit_line_next(m.p, m.n, &pos, &line, &len))
		if (!rbi_audit_rec_parse(line, len, r))
			rc = fn(ctx, r, line, len, origin);
	rbi_audit_unmap(&m);
	return rc;
}

/* The origin an epoch's latest checkpoint names (unverified), or "". */
static void rbi_exp_origin(int efd, char *out, size_t len)
{
	struct rbi_audit_map m;
	size_t n = 0;

	out[0] = '\0';
	if (rbi_audit_map(efd, RBI_AUDIT_LATEST_FILE, &m))
		return;
	while (n < m.n && n + 1 < len && m.p[n] != '\n')
		n++;
	memcpy(out, m.p, n);
	out[n] = '\0';
	rbi_audit_unmap(&m);
}

int rbi_audit_each_record(const char *dir, rbi_audit_record_fn fn, void *ctx,
			  char *err, size_t err_len)
{
	unsigned int nums[RBI_AUDIT_EPOCHS_MAX];
	char name[RBI_AUDIT_FILE_NAME_MAX], origin[RBI_AUDIT_NAME_MAX];
	struct rbi_audit_rec *r = malloc(sizeof(*r));
	uint64_t *segs;
	size_t n = 0, ns, i, k;
	int dfd, efd, rc = RBI_AUDIT_OK;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!r || dfd < 0 ||
	    rbi_audit_list_epochs(dfd, nums, RBI_AUDIT_EPOCHS_MAX, &n)) {
		snprintf(err, err_len, "%s: %s", dir, strerror(errno));
		rc = RBI_AUDIT_EIO;
	} else if (!n) {
		snprintf(err, err_len, "%s: %s", dir, RBI_AUDIT_NO_LOG);
		rc = RBI_AUDIT_EIO;
	}
	for (i = 0; !rc && i < n; i++) {
		rbi_audit_epoch_name(nums[i], name);
		efd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (efd < 0 || rbi_audit_list_segs(efd, &segs, &ns)) {
			snprintf(err, err_len, "%s/%s: %s", dir, name,
				 strerror(errno));
			rc = RBI_AUDIT_EIO;
			if (efd >= 0)
				close(efd);
			break;
		}
		rbi_exp_origin(efd, origin, sizeof(origin));
		for (k = 0; !rc && k < ns; k++)
			rc = rbi_exp_segment(efd, segs[k], r, fn, ctx, origin);
		free(segs);
		close(efd);
	}
	if (dfd >= 0)
		close(dfd);
	free(r);
	return rc;
}
