// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/report.h"
#include "audit/time.h"
#include "util/grow.h"
#include "util/plural.h"

enum {
	RBI_REP_ROWS = 50,	/* rows of a count table; the rest summed */
	RBI_REP_SPANS = 500,	/* rows of a gap or fault table */
	RBI_REP_BARS = 48,	/* columns of blocks over time */
	RBI_REP_W = 1000,	/* width of the timeline's drawings */
};

/* The page being written and what it is written from. */
struct rbi_rep {
	const struct rbi_audit_report_opts *o;
	const struct rbi_audit_result *res;
	const struct rbi_audit_tally *t;
	struct rbi_buf *out;
	int64_t from, until;		/* the window shown */
	bool ok;			/* the log verified */
	struct rbi_tally_ivs gaps;	/* declared, in the window, merged */
	struct rbi_tally_ivs enforced;	/* proven less gaps, in window */
	int64_t enforced_us;
	const char *origin;
	struct rbi_buf tmp;
};

void rbi_audit_html_escape(struct rbi_buf *out, const char *s, size_t n)
{
	static const char *const ent[256] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
		['"'] = "&quot;", ['\''] = "&#39;",
	};
	const char *e;
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		e = ent[(unsigned char)s[i]];
		if (!e)
			continue;
		rbi_buf_add(out, s + run, i - run);
		rbi_buf_adds(out, e);
		run = i + 1;
	}
	rbi_buf_add(out, s + run, n - run);
}

static void rbi_rep_text(struct rbi_buf *out, const char *s)
{
	rbi_audit_html_escape(out, s, strlen(s));
}

/* <tag>text</tag>, the text escaped. */
static void rbi_rep_el(struct rbi_buf *out, const char *tag, const char *text)
{
	rbi_buf_printf(out, "<%s>", tag);
	rbi_rep_text(out, text);
	rbi_buf_printf(out, "</%s>", tag);
}

/* A JSON value's text as it is (a number), or "unknown". */
static void rbi_rep_raw(struct rbi_buf *out, const struct rbi_audit_jval *v)
{
	if (v && v->type == RBI_AUDIT_JNUM)
		rbi_buf_add(out, v->p, v->n);
	else
		rbi_buf_adds(out, "unknown");
}

/* "2026-11-25 09:46:40 UTC", to the second. */
static void rbi_rep_utc(struct rbi_buf *out, int64_t ts)
{
	char s[RBI_AUDIT_TS_LEN + 1];

	rbi_audit_ts_format(ts, s);
	/* Date and time each kept whole where the text is large. */
	rbi_buf_printf(out, "<span class=\"t\">%.10s</span> <span class=\"t\">"
		       "%.8s</span> UTC", s, s + 11);
}

/* A time in UTC, then in the gateway's local time; br between them. */
static void rbi_rep_when(const struct rbi_rep *r, int64_t ts, bool br)
{
	if (!ts) {
		rbi_buf_adds(r->out, "unknown");
		return;
	}
	rbi_rep_utc(r->out, ts);
	/* Logs written before records carried the offset: UTC only. */
	if (!r->t->offsets.n)
		return;
	rbi_buf_adds(r->out, br ? "<br><span class=\"local\">" : " (");
	rbi_audit_local_add(r->out, ts, rbi_audit_tally_offset(r->t, ts));
	rbi_buf_adds(r->out, br ? " at the gateway</span>" :
		     " at the gateway)");
}

static void rbi_rep_duration(struct rbi_buf *out, int64_t us)
{
	int64_t s = us / RBI_AUDIT_US;

	if (s >= 86400)
		rbi_buf_printf(out, "%lld d %lld h", (long long)(s / 86400),
			       (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		rbi_buf_printf(out, "%lld h %lld min", (long long)(s / 3600),
			       (long long)(s % 3600 / 60));
	else if (s >= 60)
		rbi_buf_printf(out, "%lld min %lld s", (long long)(s / 60),
			       (long long)(s % 60));
	else if (s)
		rbi_buf_printf(out, "%lld s", (long long)s);
	else
		rbi_buf_printf(out, "%.3f s", (double)us / RBI_AUDIT_US);
}

/* part of whole as a percentage, rounded down so it never overstates. */
static void rbi_rep_pct(struct rbi_buf *out, int64_t part, int64_t whole)
{
	long long tenths = whole > 0 ?
		(long long)((__int128)part * 1000 / whole) : 0;

	if (tenths % 10)
		rbi_buf_printf(out, "%lld.%lld%%", tenths / 10, tenths % 10);
	else
		rbi_buf_printf(out, "%lld%%", tenths / 10);
}

/* ---- intervals ---- */

static int rbi_rep_iv_cmp(const void *a, const void *b)
{
	const struct rbi_tally_iv *x = a, *y = b;

	return x->from < y->from ? -1 : x->from > y->from;
}

static bool rbi_rep_iv_push(struct rbi_tally_ivs *v, int64_t from,
			    int64_t until)
{
	struct rbi_tally_iv *iv;

	if (v->n && from <= v->v[v->n - 1].until) {
		if (until > v->v[v->n - 1].until)
			v->v[v->n - 1].until = until;
		return true;
	}
	iv = rbi_grow_push(v->v, &v->n, &v->cap);
	if (!iv)
		return false;
	iv->from = from;
	iv->until = until;
	return true;
}

/*
 * The declared gaps that reach into the window, clipped to it and merged;
 * then the proven intervals less those gaps, and their total length.
 */
static bool rbi_rep_intervals(struct rbi_rep *r)
{
	const struct rbi_audit_spans *g = &r->res->gaps;
	const struct rbi_tally_ivs *p = &r->t->proven;
	struct rbi_tally_ivs raw = { NULL, 0, 0 };
	int64_t a, b, cut;
	size_t i, k = 0;
	bool ok = true;

	for (i = 0; i < g->n && ok; i++) {
		a = g->v[i].from_ts > r->from ? g->v[i].from_ts : r->from;
		b = g->v[i].until_ts < r->until ? g->v[i].until_ts : r->until;
		if (g->v[i].from_ts && b > a)
			ok = rbi_grow_push(raw.v, &raw.n, &raw.cap) != NULL;
		if (g->v[i].from_ts && b > a && ok)
			raw.v[raw.n - 1] = (struct rbi_tally_iv){ a, b };
	}
	if (raw.n)
		qsort(raw.v, raw.n, sizeof(*raw.v), rbi_rep_iv_cmp);
	for (i = 0; i < raw.n && ok; i++)
		ok = rbi_rep_iv_push(&r->gaps, raw.v[i].from, raw.v[i].until);
	free(raw.v);
	for (i = 0; i < p->n && ok; i++) {
		a = p->v[i].from > r->from ? p->v[i].from : r->from;
		b = p->v[i].until < r->until ? p->v[i].until : r->until;
		while (k < r->gaps.n && r->gaps.v[k].until <= a)
			k++;
		/* Each gap inside [a, b] cuts it. */
		while (ok && a < b) {
			cut = k < r->gaps.n && r->gaps.v[k].from < b ?
			      r->gaps.v[k].from : b;
			if (cut > a) {
				ok = rbi_rep_iv_push(&r->enforced, a, cut);
				r->enforced_us += cut - a;
			}
			if (cut == b)
				break;
			a = r->gaps.v[k].until;
			k++;
		}
	}
	return ok;
}

/* ---- page parts ---- */

static const char rbi_rep_css[] =
	":root{color-scheme:light}\n"
	"body{margin:0;background:#fff;color:#1b1b1b;font:1rem/1.5 "
	"system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,Arial,"
	"sans-serif}\n"
	"main{max-width:60rem;margin:0 auto;padding:1rem}\n"
	"h1{font-size:clamp(1.4rem,4.5vw,2.2rem);line-height:1.3;"
	"margin:.5rem 0 1rem;padding:.75rem 1rem;border-left:.5rem solid}\n"
	"h1.ok{border-color:#1a7f37;background:#e6f4ea;color:#0b3d1b}\n"
	"h1.bad{border-color:#b42318;background:#fdeceb;color:#6e1109}\n"
	"h2{margin-top:2rem;border-bottom:2px solid #1b1b1b}\n"
	".kicker{margin:0;font-weight:600}\n"
	".tag{font-size:.8rem;font-weight:600;color:#fff;"
	"background:#b42318;padding:.1rem .4rem;margin-left:.5rem;"
	"vertical-align:middle}\n"
	".warn{border:2px solid #b42318;padding:.5rem 1rem}\n"
	"table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}\n"
	"caption{text-align:left;font-weight:600;padding:.25rem 0}\n"
	"th,td{border:1px solid #767676;padding:.3rem .5rem;text-align:left;"
	"vertical-align:top;overflow-wrap:anywhere}\n"
	"thead th{background:#eee}\n"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	".local{color:#4a4a4a}\n"
	"code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;"
	"overflow-wrap:anywhere}\n"
	"h1 .t,.axis .t{white-space:nowrap}\n"
	"pre{white-space:pre-wrap;background:#f4f4f4;border:1px solid #999;"
	"padding:.5rem}\n"
	".row{margin:.25rem 0 .75rem}\n"
	".row p{margin:0;font-weight:600}\n"
	"svg{display:block;width:100%;height:auto}\n"
	".axis{display:flex;justify-content:space-between;gap:1rem;"
	"font-size:.85rem}\n"
	".key{display:inline-block;width:.9rem;height:.9rem;"
	"margin-right:.35rem;vertical-align:-.1rem;border:1px solid #1b1b1b}\n"
	".legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;"
	"gap:.25rem 1.25rem}\n"
	"@media print{body{font-size:10.5pt}main{max-width:none;padding:0}"
	"h2{break-after:avoid}table,figure,.row{break-inside:auto}"
	"tr,svg{break-inside:avoid}thead{display:table-header-group}"
	"#check,#gaps{break-before:page}h1{border-width:.3rem}}\n";

/* Colours of the series of blocks over time, and of the rows. */
static const char *const rbi_rep_colour[__RBI_TALLY_SERIES] = {
	[RBI_TALLY_RBI] = "#5b2a86",
	[RBI_TALLY_CATEGORISATION] = "#0b5cad",
	[RBI_TALLY_EMOTION] = "#a14a00",
	[RBI_TALLY_OTHER] = "#5f6b76",
};

static const char *const rbi_rep_series[__RBI_TALLY_SERIES] = {
	[RBI_TALLY_RBI] = "remote biometric identification",
	[RBI_TALLY_CATEGORISATION] = "biometric categorisation",
	[RBI_TALLY_EMOTION] = "emotion recognition",
	[RBI_TALLY_OTHER] = "other rules (QUIC, hidden names, pulls)",
};

#define RBI_REP_PROVEN "#1a7f37"
#define RBI_REP_GAP "#b42318"
#define RBI_REP_POLICY "#1b1b1b"

/* A section heading, marked when the log did not verify. */
static void rbi_rep_h2(const struct rbi_rep *r, const char *id,
		       const char *title)
{
	rbi_buf_printf(r->out, "<section id=\"%s\" aria-labelledby=\"%s-h\">"
		       "\n<h2 id=\"%s-h\">", id, id, id);
	rbi_rep_text(r->out, title);
	if (!r->ok)
		rbi_buf_adds(r->out, "<span class=\"tag\">unverified</span>");
	rbi_buf_adds(r->out, "</h2>\n");
}

static void rbi_rep_section_end(const struct rbi_rep *r)
{
	rbi_buf_adds(r->out, "</section>\n");
}

/* The head of a table: its caption and its column headers. */
static void rbi_rep_table(const struct rbi_rep *r, const char *caption,
			  const char *const *cols, size_t n)
{
	size_t i;

	rbi_buf_adds(r->out, "<table>\n");
	rbi_rep_el(r->out, "caption", caption);
	rbi_buf_adds(r->out, "\n<thead><tr>");
	for (i = 0; i < n; i++) {
		rbi_buf_adds(r->out, "<th scope=\"col\">");
		rbi_rep_text(r->out, cols[i]);
		rbi_buf_adds(r->out, "</th>");
	}
	rbi_buf_adds(r->out, "</tr></thead>\n<tbody>\n");
}

static void rbi_rep_table_end(const struct rbi_rep *r)
{
	rbi_buf_adds(r->out, "</tbody></table>\n");
}

/* ---- 1. the verdict ---- */

static void rbi_rep_period(const struct rbi_rep *r)
{
	rbi_rep_utc(r->out, r->from);
	rbi_buf_adds(r->out, " to ");
	rbi_rep_utc(r->out, r->until);
}

static void rbi_rep_verdict(struct rbi_rep *r)
{
	const struct rbi_audit_result *res = r->res;

	rbi_buf_adds(r->out, "<header>\n<p class=\"kicker\">rbiblock audit "
		     "report for the gateway ");
	rbi_rep_el(r->out, "code", r->origin);
	rbi_buf_printf(r->out, "</p>\n<h1 class=\"%s\">", r->ok ? "ok" : "bad");
	if (res->other_key) {
		rbi_buf_adds(r->out, "Not verified: this log is signed by "
			     "another key than the public key given, so "
			     "nothing on this page is verified.");
	} else if (!r->ok) {
		rbi_buf_printf(r->out, "Not intact: the audit log of this "
			       "gateway failed verification with %zu %s. "
			       "Nothing on this page can be relied on.",
			       res->faults.n,
			       rbi_plural(res->faults.n, "fault", "faults"));
	} else if (!r->t->records) {
		rbi_buf_adds(r->out, "The audit log is intact but holds no "
			     "record from ");
		rbi_rep_period(r);
		rbi_buf_adds(r->out, ": it proves nothing about that period.");
	} else {
		rbi_buf_adds(r->out, "The audit log is intact from ");
		rbi_rep_period(r);
		rbi_buf_adds(r->out, ", and it proves that rbiblock enforced "
			     "its policy for ");
		rbi_rep_pct(r->out, r->enforced_us, r->until - r->from);
		rbi_buf_adds(r->out, " of that time.");
	}
	rbi_buf_adds(r->out, "</h1>\n<p>rbiblock runs on the gateway "
		     "between this site's cameras and the internet. It blocks "
		     "camera traffic to services for remote biometric "
		     "identification (recognising people by their faces), "
		     "biometric categorisation and emotion recognition, and "
		     "keeps a signed log that anyone can check. This page is "
		     "made from that log alone.</p>\n<p>Report made ");
	rbi_rep_utc(r->out, r->o->generated);
	rbi_buf_printf(r->out, " from %llu %s in this period.",
		       (unsigned long long)r->t->records,
		       rbi_plural(r->t->records, "record", "records"));
	if (r->t->failed)
		rbi_buf_adds(r->out, " <strong>The computer making this "
			     "report ran out of memory: some counts below are "
			     "too low.</strong>");
	rbi_buf_adds(r->out, "</p>\n");
	if (!r->ok)
		rbi_buf_adds(r->out, "<p class=\"warn\"><strong>Everything "
			     "below comes from a log that did not verify."
			     "</strong> It is shown to help find out what "
			     "happened, not as evidence. The faults are listed "
			     "under <a href=\"#gaps\">Gaps and faults</a>."
			     "</p>\n");
	rbi_buf_adds(r->out, "</header>\n");
}

/* ---- 2. what was enforced ---- */

/* The parts of the prohibition (design: "What the policy mirrors"). */
struct rbi_rep_part {
	const char *part;
	const char *key;	/* member of "prohibit" */
	const char *need[2];	/* words it must hold; none: exceptions */
};

static const struct rbi_rep_part rbi_rep_parts[] = {
	{ "1. Scope: all actors, public and private", "actors",
	  { "public", "private" } },
	{ "2. All uses: real-time and post (after the fact)", "timing",
	  { "real-time", "post" } },
	{ "3. No exceptions in publicly accessible spaces", "exceptions",
	  { NULL, NULL } },
	{ "4. Remote biometric identification", "categories",
	  { "remote-biometric-identification", NULL } },
	{ "4. Also biometric categorisation", "categories",
	  { "biometric-categorisation", NULL } },
	{ "4. Also emotion recognition", "categories",
	  { "emotion-recognition", NULL } },
};

/* The enforce settings, as a person reads them. */
static const char *const rbi_rep_settings[][2] = {
	{ "shared-hosts", "Hosts that serve face APIs among other APIs" },
	{ "encrypted-client-hello", "Connections that hide the server's name "
	  "(Encrypted Client Hello)" },
	{ "quic", "QUIC connections from cameras" },
	{ "dns-over-https", "DNS over HTTPS to known resolvers, which would "
	  "hide name lookups" },
	{ "camera-analytics", "Face analytics in camera traffic (ONVIF, "
	  "ISAPI, Dahua face events)" },
};

enum {
	RBI_REP_SETTINGS = sizeof(rbi_rep_settings) / sizeof(*rbi_rep_settings)
};

static const char *rbi_rep_mode_words(const struct rbi_audit_jval *v)
{
	if (rbi_audit_json_eq(v, "block"))
		return "blocked";
	if (rbi_audit_json_eq(v, "log"))
		return "allowed and recorded, NOT blocked";
	if (rbi_audit_json_eq(v, "allow"))
		return "allowed and NOT recorded";
	return "not recorded in the log";
}

static bool rbi_rep_is_true(const struct rbi_audit_jval *v)
{
	return v && v->type == RBI_AUDIT_JBOOL && v->p[0] == 't';
}

/* Whether the array v holds the string word. */
static bool rbi_rep_has(const struct rbi_audit_jval *v, const char *word)
{
	struct rbi_audit_jval e;
	size_t pos = 0;

	while (v && rbi_audit_json_next(v, &pos, &e))
		if (rbi_audit_json_eq(&e, word))
			return true;
	return false;
}

/* The words of array v, comma-separated, escaped. */
static void rbi_rep_words(struct rbi_rep *r, const struct rbi_audit_jval *v)
{
	struct rbi_audit_jval e;
	size_t pos = 0;
	bool first = true;

	while (v && rbi_audit_json_next(v, &pos, &e)) {
		rbi_buf_reset(&r->tmp);
		if (!rbi_audit_json_str(&e, &r->tmp))
			continue;
		rbi_buf_adds(r->out, first ? "" : ", ");
		rbi_rep_text(r->out, rbi_buf_str(&r->tmp));
		first = false;
	}
	if (first)
		rbi_buf_adds(r->out, "none");
}

/* Parses the JSON object text into o; false when there is none. */
static bool rbi_rep_obj(const char *text, struct rbi_audit_jobj *o)
{
	return text && !rbi_audit_json_parse(text, strlen(text), o);
}

static const struct rbi_audit_jval *rbi_rep_sub(const struct rbi_audit_jobj *o,
						const char *key,
						struct rbi_audit_jobj *sub)
{
	const struct rbi_audit_jval *v = rbi_audit_json_get(o, key);

	if (!v || v->type != RBI_AUDIT_JOBJ ||
	    rbi_audit_json_parse(v->p, v->n, sub))
		return NULL;
	return v;
}

/* The string member key of o, decoded into r->tmp ("" when none). */
static const char *rbi_rep_str(struct rbi_rep *r,
			       const struct rbi_audit_jobj *o, const char *key)
{
	rbi_buf_reset(&r->tmp);
	rbi_audit_json_str(rbi_audit_json_get(o, key), &r->tmp);
	return rbi_buf_str(&r->tmp);
}

static bool rbi_rep_part_met(const struct rbi_rep_part *p,
			     const struct rbi_audit_jobj *pro)
{
	const struct rbi_audit_jval *v = rbi_audit_json_get(pro, p->key);
	size_t i;

	if (!p->need[0])
		return v && v->type == RBI_AUDIT_JNUM && v->n == 1 &&
		       v->p[0] == '0';
	for (i = 0; i < 2 && p->need[i]; i++)
		if (!rbi_rep_has(v, p->need[i]))
			return false;
	return true;
}

static void rbi_rep_checklist(struct rbi_rep *r,
			      const struct rbi_audit_jobj *pro)
{
	static const char *const cols[] = {
		"Part of the prohibition", "This policy", "In force",
	};
	const struct rbi_rep_part *p;
	size_t i;
	bool met;

	rbi_rep_table(r, "The policy against each part of the prohibition",
		      cols, 3);
	for (i = 0; i < sizeof(rbi_rep_parts) / sizeof(*rbi_rep_parts); i++) {
		p = &rbi_rep_parts[i];
		met = rbi_rep_part_met(p, pro);
		rbi_buf_adds(r->out, "<tr><th scope=\"row\">");
		rbi_rep_text(r->out, p->part);
		rbi_buf_adds(r->out, "</th><td>");
		if (!p->need[0]) {
			rbi_buf_adds(r->out, "exceptions: ");
			rbi_rep_raw(r->out, rbi_audit_json_get(pro, p->key));
		} else if (!p->need[1]) {
			rbi_buf_printf(r->out, "%s %s", p->need[0], met ?
				       "is prohibited" : "is NOT prohibited");
		} else {
			rbi_buf_printf(r->out, "%s: ", p->key);
			rbi_rep_words(r, rbi_audit_json_get(pro, p->key));
		}
		rbi_buf_printf(r->out, "</td><td>%s</td></tr>\n", met ?
			       "<span aria-hidden=\"true\">&#10003; </span>"
			       "Yes" : "<span aria-hidden=\"true\">&#10007; "
			       "</span><strong>No</strong>");
	}
	rbi_rep_table_end(r);
}

static void rbi_rep_zones(struct rbi_rep *r, const struct rbi_audit_jval *z)
{
	static const char *const cols[] = {
		"Zone", "Camera networks", "Publicly accessible",
	};
	struct rbi_audit_jobj *o = malloc(sizeof(*o));
	struct rbi_audit_jval e;
	size_t pos = 0;

	rbi_rep_table(r, "Zones: where the cameras are", cols, 3);
	while (o && z && rbi_audit_json_next(z, &pos, &e)) {
		if (e.type != RBI_AUDIT_JOBJ ||
		    rbi_audit_json_parse(e.p, e.n, o))
			continue;
		rbi_buf_adds(r->out, "<tr><th scope=\"row\">");
		rbi_rep_text(r->out, rbi_rep_str(r, o, "name"));
		rbi_buf_adds(r->out, "</th><td>");
		rbi_rep_words(r, rbi_audit_json_get(o, "networks"));
		rbi_buf_printf(r->out, "</td><td>%s</td></tr>\n",
			       rbi_rep_is_true(rbi_audit_json_get(o,
					"publicly_accessible")) ?
			       "Yes: the prohibition applies" :
			       "<strong>No: outside the prohibition</strong>");
	}
	rbi_rep_table_end(r);
	free(o);
}

static void rbi_rep_settings_table(struct rbi_rep *r,
				   const struct rbi_audit_jobj *en)
{
	static const char *const cols[] = { "Setting", "What happens" };
	const struct rbi_audit_jval *v;
	size_t i;

	rbi_rep_table(r, "Enforce settings", cols, 2);
	for (i = 0; i < RBI_REP_SETTINGS; i++) {
		v = rbi_audit_json_get(en, rbi_rep_settings[i][0]);
		rbi_buf_adds(r->out, "<tr><th scope=\"row\">");
		rbi_rep_text(r->out, rbi_rep_settings[i][0]);
		rbi_buf_adds(r->out, "</th><td>");
		rbi_rep_text(r->out, rbi_rep_settings[i][1]);
		rbi_buf_printf(r->out, ": %s.</td></tr>\n",
			       rbi_rep_mode_words(v));
	}
	v = rbi_audit_json_get(en, "on-failure");
	rbi_buf_printf(r->out, "<tr><th scope=\"row\">on-failure</th><td>"
		       "When rbiblock cannot guarantee the policy (its log "
		       "cannot be written, a flow cannot be decided), camera "
		       "traffic "
		       "%s.</td></tr>\n", rbi_audit_json_eq(v, "closed") ?
		       "is blocked except to the site's own recorders" :
		       "<strong>passes unchecked</strong>");
	rbi_rep_table_end(r);
}

/* One catalogue source: what it is, and its files with their digests. */
static void rbi_rep_catalog_source(struct rbi_rep *r,
				   const struct rbi_audit_jval *v,
				   struct rbi_audit_jobj *o)
{
	static const char *const cols[] = { "File", "sha256" };
	const struct rbi_audit_jval *files, *signer;
	struct rbi_audit_jval e;
	size_t pos = 0;
	bool builtin;

	if (v->type != RBI_AUDIT_JOBJ || rbi_audit_json_parse(v->p, v->n, o))
		return;
	builtin = rbi_audit_json_eq(rbi_audit_json_get(o, "kind"), "built-in");
	signer = rbi_audit_json_get(o, "signer");
	rbi_buf_reset(&r->tmp);
	rbi_buf_adds(&r->tmp, builtin ? "The built-in catalogue" :
		     "Catalogue ");
	if (!builtin)
		rbi_audit_json_str(rbi_audit_json_get(o, "path"), &r->tmp);
	rbi_buf_adds(&r->tmp, ", release ");
	if (!rbi_audit_json_str(rbi_audit_json_get(o, "version"), &r->tmp))
		rbi_buf_adds(&r->tmp, "(none)");
	rbi_buf_adds(&r->tmp, " of ");
	if (!rbi_audit_json_str(rbi_audit_json_get(o, "date"), &r->tmp))
		rbi_buf_adds(&r->tmp, "(no date)");
	if (builtin) {
		rbi_buf_adds(&r->tmp, ", part of rbictl");
	} else if (signer && signer->type == RBI_AUDIT_JSTR) {
		rbi_buf_adds(&r->tmp, ", signed by ");
		rbi_audit_json_str(signer, &r->tmp);
	} else {
		rbi_buf_adds(&r->tmp, rbi_rep_is_true(rbi_audit_json_get(o,
			     "signature_unchecked")) ?
			     ", its signature not checked" : ", unsigned");
	}
	rbi_buf_adds(&r->tmp, ": its files and their digests");
	files = rbi_audit_json_get(o, "files");
	rbi_rep_table(r, rbi_buf_str(&r->tmp), cols, 2);
	while (files && rbi_audit_json_next(files, &pos, &e)) {
		if (e.type != RBI_AUDIT_JOBJ ||
		    rbi_audit_json_parse(e.p, e.n, o))
			continue;
		rbi_buf_adds(r->out, "<tr><td>");
		rbi_rep_text(r->out, rbi_rep_str(r, o, "path"));
		rbi_buf_adds(r->out, "</td><td><code>");
		rbi_rep_text(r->out, rbi_rep_str(r, o, "sha256"));
		rbi_buf_adds(r->out, "</code></td></tr>\n");
	}
	rbi_rep_table_end(r);
}

static void rbi_rep_catalog(struct rbi_rep *r, const char *catalog)
{
	struct rbi_audit_jobj *o = malloc(2 * sizeof(*o));
	const struct rbi_audit_jval *list;
	struct rbi_audit_jval e;
	uint64_t omitted = 0;
	size_t pos = 0;

	rbi_buf_adds(r->out, "<h4>The catalogue of services</h4>\n");
	if (!o || !rbi_rep_obj(catalog, o)) {
		rbi_buf_adds(r->out, "<p>This policy record does not say which "
			     "catalogue was used (it was written by an older "
			     "rbiblock).</p>\n");
		free(o);
		return;
	}
	rbi_buf_adds(r->out, "<p>The list of known biometric services that "
		     "rbiblock blocks, each with the public evidence for it. "
		     "The digest (sha256) of all that was compiled is <code>");
	rbi_rep_text(r->out, rbi_rep_str(r, o, "sha256"));
	rbi_buf_adds(r->out, "</code>; it holds ");
	rbi_rep_raw(r->out, rbi_audit_json_get(o, "services"));
	rbi_buf_adds(r->out, " services, the policy adds ");
	rbi_rep_raw(r->out, rbi_audit_json_get(o, "local_services"));
	rbi_buf_adds(r->out, " of its own, and it names ");
	rbi_rep_raw(r->out, rbi_audit_json_get(o, "doh_resolvers"));
	rbi_buf_adds(r->out, " DNS-over-HTTPS resolvers. ");
	if (*rbi_rep_str(r, o, "newest")) {
		rbi_buf_adds(r->out, "Its newest evidence was retrieved on ");
		rbi_rep_text(r->out, rbi_buf_str(&r->tmp));
		rbi_buf_adds(r->out, ".");
	} else {
		rbi_buf_adds(r->out, "The log does not record the date of its "
			     "newest entry.");
	}
	if (rbi_rep_is_true(rbi_audit_json_get(o, "replaces_builtin")))
		rbi_buf_adds(r->out, " The built-in catalogue was not used: "
			     "the policy replaces it.");
	rbi_buf_adds(r->out, "</p>\n");
	list = rbi_audit_json_get(o, "catalogs");
	while (list && rbi_audit_json_next(list, &pos, &e))
		rbi_rep_catalog_source(r, &e, o + 1);
	if (rbi_audit_json_u64(rbi_audit_json_get(o, "catalogs_omitted"),
			       &omitted) && omitted)
		rbi_buf_printf(r->out, "<p>Its %llu %s too many to list in "
			       "the record.</p>\n", (unsigned long long)omitted,
			       rbi_plural(omitted, "source was",
					  "sources were"));
	free(o);
}

/* Says in a list item what this policy did not enforce. */
static void rbi_rep_li(struct rbi_rep *r, const char *html)
{
	rbi_buf_adds(r->out, "<li>");
	rbi_buf_adds(r->out, html);
	rbi_buf_adds(r->out, "</li>\n");
}

static void rbi_rep_not_enforced(struct rbi_rep *r,
				 const struct rbi_audit_jobj *en,
				 const struct rbi_audit_jobj *pro,
				 const struct rbi_audit_jobj *set)
{
	struct rbi_audit_jobj *z = malloc(sizeof(*z));
	const struct rbi_audit_jval *v, *pub;
	struct rbi_audit_jval e;
	uint64_t omitted = 0;
	size_t i, pos = 0, public = 0;

	for (i = 0; i < sizeof(rbi_rep_parts) / sizeof(*rbi_rep_parts); i++) {
		if (rbi_rep_part_met(&rbi_rep_parts[i], pro))
			continue;
		rbi_buf_adds(r->out, "<li>Part of the prohibition not in "
			     "force: ");
		rbi_rep_text(r->out, rbi_rep_parts[i].part);
		rbi_buf_adds(r->out, ".</li>\n");
	}
	v = rbi_audit_json_get(en, "zones");
	while (z && v && rbi_audit_json_next(v, &pos, &e)) {
		if (e.type != RBI_AUDIT_JOBJ ||
		    rbi_audit_json_parse(e.p, e.n, z))
			continue;
		pub = rbi_audit_json_get(z, "publicly_accessible");
		if (rbi_rep_is_true(pub)) {
			public++;
			continue;
		}
		rbi_buf_adds(r->out, "<li>Zone <strong>");
		rbi_rep_text(r->out, rbi_rep_str(r, z, "name"));
		rbi_buf_adds(r->out, "</strong> (");
		rbi_rep_words(r, rbi_audit_json_get(z, "networks"));
		rbi_buf_adds(r->out, ") is marked not publicly accessible: it "
			     "is outside the prohibition, and nothing is "
			     "blocked for its cameras.</li>\n");
	}
	free(z);
	if (rbi_audit_json_u64(rbi_audit_json_get(en, "zones_omitted"),
			       &omitted) && omitted)
		rbi_buf_printf(r->out, "<li>%llu more %s too many for the "
			       "record; the policy's text in the log lists "
			       "them.</li>\n", (unsigned long long)omitted,
			       rbi_plural(omitted, "zone was", "zones were"));
	else if (!public)
		rbi_rep_li(r, "<strong>No zone is publicly accessible: the "
			   "policy blocks nothing.</strong>");
	for (i = 0; i < RBI_REP_SETTINGS; i++) {
		v = rbi_audit_json_get(set, rbi_rep_settings[i][0]);
		if (rbi_audit_json_eq(v, "block"))
			continue;
		rbi_buf_adds(r->out, "<li>");
		rbi_rep_text(r->out, rbi_rep_settings[i][1]);
		rbi_buf_printf(r->out, " are %s (", rbi_rep_mode_words(v));
		rbi_rep_text(r->out, rbi_rep_settings[i][0]);
		rbi_buf_adds(r->out, ": ");
		rbi_buf_reset(&r->tmp);
		rbi_audit_json_str(v, &r->tmp);
		rbi_rep_text(r->out, rbi_buf_str(&r->tmp));
		rbi_buf_adds(r->out, ").</li>\n");
	}
	if (!rbi_audit_json_eq(rbi_audit_json_get(set, "on-failure"),
			       "closed"))
		rbi_rep_li(r, "on-failure is not <code>closed</code>: when "
			   "rbiblock cannot guarantee the policy, camera "
			   "traffic passes unchecked.");
}

/* Whether iv reaches into the window. */
static bool rbi_rep_overlaps(const struct rbi_rep *r,
			     const struct rbi_tally_iv *iv)
{
	return iv->until >= r->from && iv->from <= r->until;
}

static void rbi_rep_policy_periods(struct rbi_rep *r,
				   const struct rbi_tally_policy *p)
{
	const struct rbi_tally_iv *iv;
	size_t i, shown = 0;

	rbi_buf_adds(r->out, "<p>In force:</p>\n<ul>\n");
	for (i = 0; i < p->periods.n; i++) {
		iv = &p->periods.v[i];
		if (!rbi_rep_overlaps(r, iv) || shown++ >= RBI_REP_ROWS)
			continue;
		rbi_buf_adds(r->out, "<li>from ");
		rbi_rep_when(r, iv->from, false);
		rbi_buf_adds(r->out, " to ");
		rbi_rep_when(r, iv->until, false);
		rbi_buf_adds(r->out, " (");
		rbi_rep_duration(r->out, iv->until - iv->from);
		rbi_buf_adds(r->out, ")</li>\n");
	}
	if (shown > RBI_REP_ROWS)
		rbi_buf_printf(r->out, "<li>and %zu more %s</li>\n",
			       shown - RBI_REP_ROWS,
			       rbi_plural(shown - RBI_REP_ROWS, "period",
					  "periods"));
	rbi_buf_adds(r->out, "</ul>\n");
}

static void rbi_rep_policy(struct rbi_rep *r, const struct rbi_tally_policy *p)
{
	struct rbi_audit_jobj *o = malloc(3 * sizeof(*o));
	bool facts = o && rbi_rep_obj(p->enforced, o);
	const struct rbi_audit_jobj *en = o, *pro = o + 1, *set = o + 2;

	rbi_buf_adds(r->out, "<h3>Policy ");
	rbi_rep_el(r->out, "q", p->name);
	rbi_buf_adds(r->out, "</h3>\n<p>Its text is in the log, with the "
		     "digest (sha256) <code>");
	rbi_rep_text(r->out, p->sha);
	rbi_buf_adds(r->out, "</code>; it was read from ");
	rbi_rep_el(r->out, "code", p->source);
	rbi_buf_adds(r->out, ".</p>\n");
	rbi_rep_policy_periods(r, p);
	facts = facts && rbi_rep_sub(en, "prohibit", o + 1) &&
		rbi_rep_sub(en, "enforce", o + 2);
	if (!facts) {
		rbi_buf_adds(r->out, "<p>This policy record does not say what "
			     "the policy enforced (it was written by an older "
			     "rbiblock). Its text can be read with "
			     "<code>rbictl audit show DIR --type policy</code>."
			     "</p>\n");
		rbi_rep_catalog(r, p->catalog);
		free(o);
		return;
	}
	rbi_buf_adds(r->out, "<p>Legal basis it implements: ");
	rbi_rep_el(r->out, "q", rbi_rep_str(r, en, "basis"));
	rbi_buf_adds(r->out, "</p>\n");
	rbi_rep_checklist(r, pro);
	rbi_rep_zones(r, rbi_audit_json_get(en, "zones"));
	rbi_rep_settings_table(r, set);
	rbi_rep_catalog(r, p->catalog);
	rbi_buf_adds(r->out, "<h4>What this policy did not enforce</h4>\n"
		     "<ul>\n");
	rbi_rep_not_enforced(r, en, pro, set);
	rbi_buf_adds(r->out, "</ul>\n");
	free(o);
}

/* What held whatever the policy: the backend, and the gateway's limits. */
static void rbi_rep_limits(struct rbi_rep *r)
{
	const struct rbi_audit_tally *t = r->t;

	rbi_buf_adds(r->out, "<h3>What was not enforced whatever the "
		     "policy</h3>\n<ul>\n");
	if (t->heartbeats_nft_only) {
		rbi_buf_printf(r->out, "<li>At %llu of the %llu %s in "
			       "this period, only nftables enforced the policy "
			       "(neither the kernel module rbiblock.ko nor the "
			       "daemon's queues inspected traffic): the names of "
			       "TLS servers, HTTP hosts and RTSP streams were not "
			       "inspected; services known only by name were "
			       "blocked once a DNS answer had shown their "
			       "addresses, and a connection made within "
			       "milliseconds of that answer could pass; "
			       "encrypted-client-hello and camera-analytics were "
			       "not enforced.</li>\n",
			       (unsigned long long)t->heartbeats_nft_only,
			       (unsigned long long)t->heartbeats,
			       rbi_plural(t->heartbeats, "heartbeat",
					  "heartbeats"));
	}
	if (r->gaps.n)
		rbi_rep_li(r, "Nothing is proven during the gaps listed under "
			   "<a href=\"#gaps\">Gaps and faults</a>.");
	rbi_rep_li(r, "No log can show traffic that did not pass through "
		   "this gateway: a camera with its own mobile modem, or "
		   "another route out of the site.");
	rbi_buf_adds(r->out, "</ul>\n");
}

static void rbi_rep_enforced(struct rbi_rep *r)
{
	const struct rbi_audit_tally *t = r->t;
	size_t i, k, shown = 0;

	rbi_rep_h2(r, "enforced", "What was enforced");
	rbi_buf_adds(r->out, "<p>The policy is the set of rules rbiblock "
		     "enforces. The log records it when rbiblock starts and "
		     "whenever it changes, with the catalogue of known "
		     "services it was compiled with.</p>\n");
	for (i = 0; i < t->npol; i++) {
		for (k = 0; k < t->pol[i].periods.n; k++)
			if (rbi_rep_overlaps(r, &t->pol[i].periods.v[k]))
				break;
		if (k == t->pol[i].periods.n)
			continue;
		rbi_rep_policy(r, &t->pol[i]);
		shown++;
	}
	if (!shown)
		rbi_buf_adds(r->out, "<p><strong>No policy record covers this "
			     "period.</strong></p>\n");
	if (t->policies_dropped)
		rbi_buf_printf(r->out, "<p>%llu more %s in the log but not "
			       "described here.</p>\n",
			       (unsigned long long)t->policies_dropped,
			       rbi_plural(t->policies_dropped, "policy is",
					  "policies are"));
	rbi_rep_limits(r);
	rbi_rep_section_end(r);
}

/* ---- 3. the timeline ---- */

static int rbi_rep_x(const struct rbi_rep *r, int64_t ts)
{
	__int128 span = r->until > r->from ? r->until - r->from : 1;
	__int128 x = (__int128)(ts - r->from) * RBI_REP_W / span;

	return x < 0 ? 0 : x > RBI_REP_W ? RBI_REP_W : (int)x;
}

/* Opens a row: its heading and the drawing's frame. */
static void rbi_rep_row_begin(struct rbi_rep *r, const char *id,
			      const char *heading, int height)
{
	rbi_buf_printf(r->out, "<div class=\"row\"><p id=\"%s\">", id);
	rbi_rep_text(r->out, heading);
	rbi_buf_printf(r->out, "</p>\n<svg "
		       "xmlns=\"http://www.w3.org/2000/svg\" "
		       "viewBox=\"0 0 %d %d\" role=\"img\" "
		       "aria-labelledby=\"%s %s-d\"><title id=\"%s-d\">",
		       RBI_REP_W, height, id, id, id);
}

static void rbi_rep_row_frame(struct rbi_rep *r, int height)
{
	rbi_buf_printf(r->out, "</title><rect x=\"0\" y=\"0\" width=\"%d\" "
		       "height=\"%d\" fill=\"#f4f4f4\" stroke=\"#767676\"/>",
		       RBI_REP_W, height);
}

static void rbi_rep_row_end(struct rbi_rep *r)
{
	rbi_buf_adds(r->out, "</svg></div>\n");
}

static void rbi_rep_bar(struct rbi_rep *r, int x0, int x1,
			const char *colour)
{
	rbi_buf_printf(r->out, "<rect x=\"%d\" y=\"4\" width=\"%d\" "
		       "height=\"32\" fill=\"%s\"/>", x0, x1 - x0, colour);
}

/*
 * Intervals as bars, at least 2 units wide so that a short one shows;
 * bars closer than a unit are drawn as one.
 */
static void rbi_rep_bars(struct rbi_rep *r, const struct rbi_tally_ivs *v,
			 const char *colour)
{
	int x0 = 0, x1 = 0, a, b;
	bool open = false;
	size_t i;

	for (i = 0; i < v->n; i++) {
		a = rbi_rep_x(r, v->v[i].from);
		b = rbi_rep_x(r, v->v[i].until);
		if (b < a + 2)
			b = a + 2;
		if (open && a <= x1 + 1) {
			x1 = b > x1 ? b : x1;
			continue;
		}
		if (open)
			rbi_rep_bar(r, x0, x1, colour);
		x0 = a;
		x1 = b;
		open = true;
	}
	if (open)
		rbi_rep_bar(r, x0, x1, colour);
}

struct rbi_rep_mark {
	int64_t ts;
	size_t pol;
};

static int rbi_rep_mark_cmp(const void *a, const void *b)
{
	const struct rbi_rep_mark *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* Where the policy in force became another one, within the window. */
static void rbi_rep_policy_marks(struct rbi_rep *r)
{
	const struct rbi_audit_tally *t = r->t;
	struct rbi_rep_mark *m = NULL;
	size_t n = 0, cap = 0, i, k, shown = 0;
	struct rbi_rep_mark *e;

	for (i = 0; i < t->npol; i++)
		for (k = 0; k < t->pol[i].periods.n; k++) {
			e = rbi_grow_push(m, &n, &cap);
			if (!e)
				break;
			e->ts = t->pol[i].periods.v[k].from;
			e->pol = i;
		}
	if (n)
		qsort(m, n, sizeof(*m), rbi_rep_mark_cmp);
	for (i = 0; i < n; i++)
		shown += (!i || m[i].pol != m[i - 1].pol) &&
			 m[i].ts >= r->from && m[i].ts <= r->until;
	rbi_rep_row_begin(r, "tl-pol", "Policy recorded or changed", 40);
	rbi_buf_printf(r->out, "%zu %s a policy took effect in this period",
		       shown, rbi_plural(shown, "time", "times"));
	rbi_rep_row_frame(r, 40);
	for (i = 0; i < n; i++) {
		if ((i && m[i].pol == m[i - 1].pol) || m[i].ts < r->from ||
		    m[i].ts > r->until)
			continue;
		rbi_buf_printf(r->out, "<rect x=\"%d\" y=\"2\" width=\"3\" "
			       "height=\"36\" fill=\"%s\"><title>",
			       rbi_rep_x(r, m[i].ts), RBI_REP_POLICY);
		rbi_rep_text(r->out, t->pol[m[i].pol].name);
		rbi_buf_adds(r->out, "</title></rect>");
	}
	rbi_rep_row_end(r);
	free(m);
}

/* Blocks over time: the tally's bins summed into RBI_REP_BARS columns. */
static void rbi_rep_block_chart(struct rbi_rep *r)
{
	const struct rbi_audit_tally *t = r->t;
	uint64_t col[RBI_REP_BARS][__RBI_TALLY_SERIES], top = 0, sum;
	int64_t span = r->until > r->from ? r->until - r->from : 1, ts;
	size_t i, c, k;
	double y, h;

	memset(col, 0, sizeof(col));
	for (i = 0; i < RBI_TALLY_BINS; i++) {
		ts = t->bin_origin + (int64_t)i * t->bin_width;
		k = ts <= r->from ? 0 : (size_t)((__int128)(ts - r->from) *
						 RBI_REP_BARS / span);
		if (k >= RBI_REP_BARS)
			k = RBI_REP_BARS - 1;
		for (c = 0; c < __RBI_TALLY_SERIES; c++)
			col[k][c] += t->bins[i][c];
	}
	for (k = 0; k < RBI_REP_BARS; k++) {
		for (sum = 0, c = 0; c < __RBI_TALLY_SERIES; c++)
			sum += col[k][c];
		top = sum > top ? sum : top;
	}
	rbi_rep_row_begin(r, "tl-blocks", "Blocked flows, by what they went to",
			  120);
	rbi_buf_printf(r->out, "%llu blocked %s in %d columns of ",
		       (unsigned long long)t->blocks,
		       rbi_plural(t->blocks, "flow", "flows"), RBI_REP_BARS);
	rbi_rep_duration(r->out, span / RBI_REP_BARS);
	rbi_buf_printf(r->out, " each; the highest column holds %llu",
		       (unsigned long long)top);
	rbi_rep_row_frame(r, 120);
	for (k = 0; k < RBI_REP_BARS && top; k++) {
		y = 120;
		for (c = 0; c < __RBI_TALLY_SERIES; c++) {
			if (!col[k][c])
				continue;
			h = (double)col[k][c] * 116 / (double)top;
			h = h < 1 ? 1 : h;
			y -= h;
			rbi_buf_printf(r->out, "<rect x=\"%.1f\" y=\"%.1f\" "
				       "width=\"%.1f\" height=\"%.1f\" "
				       "fill=\"%s\"/>",
				       (double)k * RBI_REP_W / RBI_REP_BARS + 1,
				       y, (double)RBI_REP_W / RBI_REP_BARS - 2,
				       h, rbi_rep_colour[c]);
		}
	}
	rbi_rep_row_end(r);
	rbi_buf_adds(r->out, "<ul class=\"legend\">\n");
	for (c = 0; c < __RBI_TALLY_SERIES; c++)
		rbi_buf_printf(r->out, "<li><span class=\"key\" style=\""
			       "background:%s\"></span>%s</li>\n",
			       rbi_rep_colour[c], rbi_rep_series[c]);
	rbi_buf_adds(r->out, "</ul>\n");
}

static const char *rbi_rep_started(const char *reason)
{
	static const char *const words[][2] = {
		{ "new-log", "first start of this log" },
		{ "restart", "started after a clean stop" },
		{ "recovery", "started after a crash or power loss" },
		{ "new-origin", "started a new log: the old one was damaged" },
		{ "", "already running at the first record kept" },
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (!strcmp(reason, words[i][0]))
			return words[i][1];
	return "started";
}

static void rbi_rep_session_end(struct rbi_rep *r,
				const struct rbi_tally_session *s)
{
	switch (s->how) {
	case RBI_TALLY_END_STOP:
		rbi_rep_when(r, s->end, true);
		rbi_buf_adds(r->out, "<br>stopped cleanly");
		break;
	case RBI_TALLY_END_CRASH:
		rbi_buf_adds(r->out, "last record ");
		rbi_rep_when(r, s->end, true);
		rbi_buf_adds(r->out, "<br><strong>ended without a stop "
			     "record: the next start recorded a crash or "
			     "power loss</strong>");
		break;
	case RBI_TALLY_END_DAMAGED:
		rbi_buf_adds(r->out, "last record ");
		rbi_rep_when(r, s->end, true);
		rbi_buf_adds(r->out, "<br><strong>ended without a stop "
			     "record: the next start found the log damaged and "
			     "began a new one</strong>");
		break;
	case RBI_TALLY_END_UNKNOWN:
		rbi_buf_adds(r->out, "last record ");
		rbi_rep_when(r, s->end, true);
		rbi_buf_adds(r->out, "<br><strong>ended without a stop "
			     "record</strong>");
		break;
	default:
		rbi_buf_adds(r->out, "last record ");
		rbi_rep_when(r, s->end, true);
		rbi_buf_adds(r->out, "<br>no stop record: running at the "
			     "last record");
		break;
	}
}

static void rbi_rep_sessions(struct rbi_rep *r)
{
	static const char *const cols[] = { "Started", "Ended" };
	const struct rbi_tally_session *s;
	size_t i, shown = 0;

	rbi_rep_table(r, "Each time rbiblock ran in this period", cols, 2);
	for (i = 0; i < r->t->sessions.n; i++) {
		s = &r->t->sessions.v[i];
		if (s->end < r->from || s->start > r->until ||
		    shown++ >= RBI_REP_SPANS)
			continue;
		rbi_buf_adds(r->out, "<tr><td>");
		rbi_rep_when(r, s->start, true);
		rbi_buf_adds(r->out, "<br>");
		rbi_rep_text(r->out, rbi_rep_started(s->reason));
		rbi_buf_adds(r->out, "</td><td>");
		rbi_rep_session_end(r, s);
		rbi_buf_adds(r->out, "</td></tr>\n");
	}
	if (shown > RBI_REP_SPANS)
		rbi_buf_printf(r->out, "<tr><td colspan=\"2\">and %zu more: "
			       "rbictl audit show DIR --type start lists them"
			       "</td></tr>\n", shown - RBI_REP_SPANS);
	if (!shown)
		rbi_buf_adds(r->out, "<tr><td colspan=\"2\">rbiblock did not "
			     "run in this period</td></tr>\n");
	rbi_rep_table_end(r);
}

static void rbi_rep_timeline(struct rbi_rep *r)
{
	rbi_rep_h2(r, "timeline", "Timeline");
	rbi_buf_adds(r->out, "<p>From left to right, the period of this "
		     "report. A heartbeat is a signed record rbiblock writes "
		     "every few seconds or minutes after checking that its "
		     "rules are in place; enforcement is proven between "
		     "heartbeats that follow each other in time.</p>\n");
	rbi_rep_row_begin(r, "tl-proven", "Enforcement proven by heartbeats",
			  40);
	rbi_rep_pct(r->out, r->enforced_us, r->until - r->from);
	rbi_buf_printf(r->out, " of the period, in %zu %s", r->enforced.n,
		       rbi_plural(r->enforced.n, "stretch", "stretches"));
	rbi_rep_row_frame(r, 40);
	rbi_rep_bars(r, &r->enforced, RBI_REP_PROVEN);
	rbi_rep_row_end(r);
	rbi_rep_row_begin(r, "tl-gaps", "Gaps: rbiblock stopped, crashed, or "
			  "could not prove its rules", 40);
	rbi_buf_printf(r->out, "%zu %s in this period", r->gaps.n,
		       rbi_plural(r->gaps.n, "gap", "gaps"));
	rbi_rep_row_frame(r, 40);
	rbi_rep_bars(r, &r->gaps, RBI_REP_GAP);
	rbi_rep_row_end(r);
	rbi_rep_policy_marks(r);
	rbi_rep_block_chart(r);
	rbi_buf_adds(r->out, "<div class=\"axis\"><span>");
	rbi_rep_utc(r->out, r->from);
	rbi_buf_adds(r->out, "</span><span>");
	rbi_rep_utc(r->out, r->until);
	rbi_buf_adds(r->out, "</span></div>\n");
	rbi_rep_sessions(r);
	rbi_rep_section_end(r);
}

/* ---- 4. blocks ---- */

static int rbi_rep_entry_cmp(const void *a, const void *b)
{
	const struct rbi_tally_entry *const *pa = a, *const *pb = b;
	const struct rbi_tally_entry *x = *pa, *y = *pb;

	if (x->flows != y->flows)
		return x->flows > y->flows ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* A count table, most flows first; past RBI_REP_ROWS, one row for the rest. */
static void rbi_rep_counts(struct rbi_rep *r, const char *caption,
			   const char *what, const struct rbi_tally_map *m)
{
	const char *cols[] = { what, "Flows", "Packets" };
	const struct rbi_tally_entry **v = NULL;
	uint64_t flows = 0, packets = 0;
	size_t i;

	rbi_rep_table(r, caption, cols, 3);
	if (m->n)
		v = malloc(m->n * sizeof(*v));
	for (i = 0; v && i < m->n; i++)
		v[i] = &m->e[i];
	if (v)
		qsort(v, m->n, sizeof(*v), rbi_rep_entry_cmp);
	for (i = 0; v && i < m->n; i++) {
		if (i >= RBI_REP_ROWS) {
			flows += v[i]->flows;
			packets += v[i]->packets;
			continue;
		}
		rbi_buf_adds(r->out, "<tr><th scope=\"row\">");
		rbi_rep_text(r->out, v[i]->key[0] ? v[i]->key :
			     "(none: blocked by another rule)");
		rbi_buf_printf(r->out, "</th><td class=\"n\">%llu</td>"
			       "<td class=\"n\">%llu</td></tr>\n",
			       (unsigned long long)v[i]->flows,
			       (unsigned long long)v[i]->packets);
	}
	if (m->n > RBI_REP_ROWS)
		rbi_buf_printf(r->out, "<tr><th scope=\"row\">%zu more</th>"
			       "<td class=\"n\">%llu</td><td class=\"n\">%llu"
			       "</td></tr>\n", m->n - RBI_REP_ROWS,
			       (unsigned long long)flows,
			       (unsigned long long)packets);
	if (!m->n)
		rbi_buf_adds(r->out, "<tr><td colspan=\"3\">none</td></tr>\n");
	rbi_rep_table_end(r);
	free(v);
}

static void rbi_rep_blocks(struct rbi_rep *r)
{
	const struct rbi_audit_tally *t = r->t;

	rbi_rep_h2(r, "blocks", "Blocks");
	rbi_buf_printf(r->out, "<p>In this period rbiblock blocked "
		       "<strong>%llu %s</strong> (connections or exchanges, "
		       "%llu %s in all). Each blocked flow is one record in the "
		       "log.</p>\n", (unsigned long long)t->blocks,
		       rbi_plural(t->blocks, "flow", "flows"),
		       (unsigned long long)t->block_packets,
		       rbi_plural(t->block_packets, "packet", "packets"));
	rbi_rep_counts(r, "Blocked flows by zone", "Zone", &t->zones);
	rbi_rep_counts(r, "Blocked flows by service", "Service", &t->services);
	rbi_rep_counts(r, "Blocked flows by category", "Category",
		       &t->categories);
	rbi_buf_printf(r->out, "<h3>Allowed but recorded</h3>\n<p>%llu %s "
		       "(%llu %s) %s let through but recorded, as an enforce "
		       "setting of <code>log</code> asks.</p>\n",
		       (unsigned long long)t->logs,
		       rbi_plural(t->logs, "flow", "flows"),
		       (unsigned long long)t->log_packets,
		       rbi_plural(t->log_packets, "packet", "packets"),
		       rbi_plural(t->logs, "was", "were"));
	rbi_rep_counts(r, "Flows allowed but recorded, by where they went",
		       "Service or name", &t->log_services);
	rbi_rep_section_end(r);
}

/* ---- 5. how to check ---- */

static void rbi_rep_check(struct rbi_rep *r)
{
	const struct rbi_audit_report_opts *o = r->o;

	rbi_rep_h2(r, "check", "How to check this yourself");
	rbi_buf_adds(r->out, "<p>You need a copy of the log directory (ask the "
		     "operator of this site), the program <code>rbictl</code> "
		     "from rbiblock, and this public key. Save the key as a "
		     "file, for example <code>gateway.pub</code>:</p>\n<pre>");
	rbi_buf_reset(&r->tmp);
	rbi_audit_vkey_format(o->key, &r->tmp);
	rbi_rep_text(r->out, rbi_buf_str(&r->tmp));
	rbi_buf_adds(r->out, "</pre>\n<p>Then check the whole log, and make "
		     "this report again:</p>\n<pre>rbictl audit verify ");
	rbi_rep_text(r->out, o->dir);
	rbi_buf_adds(r->out, " --pub ");
	rbi_rep_text(r->out, o->pub_path);
	rbi_buf_adds(r->out, "\nrbictl audit report ");
	rbi_rep_text(r->out, o->dir);
	rbi_buf_adds(r->out, " --pub ");
	rbi_rep_text(r->out, o->pub_path);
	if (o->since) {
		rbi_buf_adds(r->out, " --since ");
		rbi_buf_reset(&r->tmp);
		rbi_audit_ts_add(&r->tmp, o->since, "");
		rbi_rep_text(r->out, rbi_buf_str(&r->tmp));
	}
	if (o->until) {
		rbi_buf_adds(r->out, " --until ");
		rbi_buf_reset(&r->tmp);
		rbi_audit_ts_add(&r->tmp, o->until, "");
		rbi_rep_text(r->out, rbi_buf_str(&r->tmp));
	}
	rbi_buf_adds(r->out, " -o report.html</pre>\n<p>To check one record "
		     "on its own (its number is its <code>idx</code>), get a "
		     "proof from the operator and check it:</p>\n<pre>"
		     "rbictl audit proof ");
	rbi_rep_text(r->out, o->dir);
	rbi_buf_adds(r->out, " --index N -o proof.txt\nrbictl audit "
		     "verify-proof proof.txt --pub ");
	rbi_rep_text(r->out, o->pub_path);
	rbi_buf_adds(r->out, "</pre>\n<p>The checkpoints are standard C2SP "
		     "signed notes, so other transparency-log tools can check "
		     "them too.</p>\n<h3>What a successful check proves</h3>\n"
		     "<ul>\n<li>Every record was written by the holder of this "
		     "key and none was changed, removed, added or reordered "
		     "since it was signed.</li>\n<li>rbiblock was running, "
		     "with its rules read back from the kernel and found "
		     "intact, at "
		     "every heartbeat, and the heartbeats follow each other "
		     "without a break except where a gap is declared.</li>\n"
		     "<li>Every block was made under the policy recorded in "
		     "force at the time.</li>\n</ul>\n<h3>What it does not "
		     "prove</h3>\n<ul>\n<li>That no traffic bypassed the "
		     "gateway: a camera with another way out is not "
		     "seen.</li>\n<li>That the catalogue of services is "
		     "complete: a service it does not know is not "
		     "blocked.</li>\n<li>That the gateway itself was honest: "
		     "whoever controls it and its key could have written a "
		     "different log from the start. Checkpoints sent to an "
		     "outside witness as they are made limit what could be "
		     "rewritten later.</li>\n<li>That a zone marked not "
		     "publicly accessible really is not.</li>\n</ul>\n");
	rbi_rep_section_end(r);
}

/* ---- 6. gaps and faults ---- */

static bool rbi_rep_span_in(const struct rbi_rep *r,
			    const struct rbi_audit_span *sp)
{
	int64_t until = sp->until_ts ? sp->until_ts : sp->from_ts;

	return !sp->from_ts || (until >= r->from && sp->from_ts <= r->until);
}

/* What a fault or gap is called in plain words, then by the tools. */
static void rbi_rep_span_name(const struct rbi_rep *r,
			      const struct rbi_audit_span *sp, bool fault)
{
	static const char *const faults[__RBI_AUDIT_F_MAX] = {
		[RBI_AUDIT_F_SIGNATURE] = "A signature does not check out",
		[RBI_AUDIT_F_CHECKPOINT] = "Signed summaries out of order or "
			"replaced",
		[RBI_AUDIT_F_ROOT] = "Records changed after they were signed",
		[RBI_AUDIT_F_RECORD] = "Records changed, added, removed or "
			"moved",
		[RBI_AUDIT_F_MISSING] = "Records missing",
		[RBI_AUDIT_F_TIME] = "Time going backwards",
		[RBI_AUDIT_F_START] = "A start that does not cite the log "
			"before it",
		[RBI_AUDIT_F_HEARTBEAT] = "Heartbeats missing",
		[RBI_AUDIT_F_POLICY] = "Blocks or heartbeats without their "
			"policy",
		[RBI_AUDIT_F_GAP] = "A declared gap",
	};
	static const char *const gaps[][2] = {
		{ "stopped", "rbiblock was stopped" },
		{ "log-restart", "rbiblock ended without a stop and "
		  "restarted" },
		{ "ruleset-mismatch", "Its rules were changed or removed "
		  "outside rbiblock" },
		{ "write-failure", "Records could not be written" },
		{ "dropped-events", "Events were lost before they were "
		  "recorded" },
		{ "clock-jump", "The clock stepped back" },
		{ "retention", "Old records deleted after the retention "
		  "period" },
	};
	const char *what = fault ? rbi_audit_fault_name(sp->kind) : sp->what;
	const char *words = fault && sp->kind < __RBI_AUDIT_F_MAX ?
			    faults[sp->kind] : NULL;
	size_t i;

	for (i = 0; !fault && i < sizeof(gaps) / sizeof(*gaps); i++)
		if (!strcmp(what, gaps[i][0]))
			words = gaps[i][1];
	rbi_rep_text(r->out, words ? words : "Something not proven");
	rbi_buf_adds(r->out, " <span class=\"local\">(");
	rbi_rep_text(r->out, what[0] ? what : "unnamed");
	rbi_buf_adds(r->out, ")</span>");
}

/* From, until and how long, in UTC and the gateway's time. */
static void rbi_rep_span_when(const struct rbi_rep *r, int64_t from,
			      int64_t until)
{
	rbi_buf_adds(r->out, "from ");
	rbi_rep_when(r, from, true);
	rbi_buf_adds(r->out, "<br>until ");
	rbi_rep_when(r, until, true);
	if (from && until > from) {
		rbi_buf_adds(r->out, "<br>(");
		rbi_rep_duration(r->out, until - from);
		rbi_buf_adds(r->out, ")");
	}
}

static void rbi_rep_spans(struct rbi_rep *r, const char *caption,
			  const struct rbi_audit_spans *s, bool fault,
			  bool window)
{
	static const char *const cols[] = { "What", "When" };
	const struct rbi_audit_span *sp;
	size_t i, shown = 0;

	rbi_rep_table(r, caption, cols, 2);
	for (i = 0; i < s->n; i++) {
		sp = &s->v[i];
		if ((window && !rbi_rep_span_in(r, sp)) ||
		    shown++ >= RBI_REP_SPANS)
			continue;
		rbi_buf_adds(r->out, "<tr><th scope=\"row\">");
		rbi_rep_span_name(r, sp, fault);
		rbi_buf_adds(r->out, "</th><td>");
		rbi_rep_span_when(r, sp->from_ts, sp->until_ts);
		rbi_buf_adds(r->out, "</td></tr>\n<tr><td colspan=\"2\">");
		rbi_rep_text(r->out, sp->detail);
		rbi_buf_printf(r->out, " <span class=\"local\">(records "
			       "%llu&ndash;%llu of log part %u)</span></td>"
			       "</tr>\n", (unsigned long long)sp->from_idx,
			       (unsigned long long)sp->to_idx, sp->epoch);
	}
	if (shown > RBI_REP_SPANS)
		rbi_buf_printf(r->out, "<tr><td colspan=\"2\">and %zu more: "
			       "rbictl audit verify lists every one</td>"
			       "</tr>\n",
			       shown - RBI_REP_SPANS);
	if (!shown)
		rbi_buf_adds(r->out, "<tr><td colspan=\"2\">none</td></tr>\n");
	rbi_rep_table_end(r);
}

static void rbi_rep_gaps(struct rbi_rep *r)
{
	rbi_rep_h2(r, "gaps", "Gaps and faults");
	rbi_buf_adds(r->out, !r->t->offsets.n ? "<p>Times are in UTC (this "
		     "log does not record the gateway's time zone)" :
		     "<p>Times are in UTC, and below each in the gateway's "
		     "local time");
	if (r->t->offsets.n && r->t->tz[0]) {
		rbi_buf_adds(r->out, " (");
		rbi_rep_text(r->out, r->t->tz);
		rbi_buf_adds(r->out, ")");
	}
	rbi_buf_adds(r->out, ". A fault means the log does not check out: "
		     "something was changed, removed or not signed. A gap is "
		     "a time the log itself declares it could not prove "
		     "enforcement: rbiblock was stopped, crashed, lost "
		     "records, or found its rules changed.</p>\n");
	rbi_rep_spans(r, "Faults found by verification (in the whole log)",
		      &r->res->faults, true, false);
	rbi_rep_spans(r, "Gaps in this period", &r->res->gaps, false, true);
	rbi_rep_spans(r, "Records deleted after the retention period",
		      &r->res->pruned, false, false);
	rbi_rep_section_end(r);
}

/* ---- technical details ---- */

static void rbi_rep_details(struct rbi_rep *r)
{
	static const char *const cols[] = {
		"Log part (origin)", "Records", "First and last record",
	};
	const struct rbi_audit_epoch_info *e;
	size_t i;

	rbi_rep_h2(r, "details", "Technical details");
	rbi_rep_table(r, "The log's parts: a new part begins when damage is "
		      "found", cols, 3);
	for (i = 0; i < r->res->nepochs; i++) {
		e = &r->res->epochs[i];
		rbi_buf_printf(r->out, "<tr><th scope=\"row\">%u: <code>",
			       e->num);
		rbi_rep_text(r->out, e->origin);
		rbi_buf_printf(r->out, "</code></th><td>%llu, the first %llu "
			       "signed by %llu %s</td><td>",
			       (unsigned long long)e->leaves,
			       (unsigned long long)e->signed_size,
			       (unsigned long long)e->checkpoints,
			       rbi_plural(e->checkpoints, "checkpoint",
					  "checkpoints"));
		rbi_rep_span_when(r, e->first_ts, e->last_ts);
		rbi_buf_adds(r->out, "</td></tr>\n");
	}
	if (!r->res->nepochs)
		rbi_buf_adds(r->out, "<tr><td colspan=\"3\">none read</td>"
			     "</tr>\n");
	rbi_rep_table_end(r);
	rbi_buf_printf(r->out, "<p>%llu %s read and checked.</p>\n"
		       "<h3>Words used by the tools</h3>\n<dl>\n"
		       "<dt>record (leaf)</dt><dd>one line of the log: a "
		       "block, a heartbeat, a policy, a start or stop, a "
		       "gap.</dd>\n"
		       "<dt>checkpoint</dt><dd>a signed summary of all records "
		       "so far (a Merkle tree root); changing any earlier "
		       "record breaks it.</dd>\n<dt>origin</dt><dd>the name of "
		       "the log, which its key carries.</dd>\n<dt>epoch</dt>"
		       "<dd>a part of the log; a new one begins, citing the "
		       "old one, when damage is found.</dd>\n<dt>heartbeat</dt>"
		       "<dd>a record written at a fixed period after rbiblock "
		       "read its rules back from the kernel.</dd>\n</dl>\n",
		       (unsigned long long)r->res->records,
		       rbi_plural(r->res->records, "record was",
				  "records were"));
	rbi_rep_section_end(r);
}

void rbi_audit_report_html(const struct rbi_audit_report_opts *o,
			   const struct rbi_audit_result *res,
			   const struct rbi_audit_tally *t,
			   struct rbi_buf *out)
{
	struct rbi_rep r = { o, res, t, out, 0, 0, res->ok, { NULL, 0, 0 },
			     { NULL, 0, 0 }, 0, NULL, RBI_BUF_INIT };

	r.from = o->since ? o->since : t->first_ts;
	r.until = o->until ? o->until : t->last_ts;
	if (r.until < r.from)
		r.until = r.from;
	r.origin = t->origin[0] ? t->origin : res->nepochs ?
		   res->epochs[0].origin : o->dir;
	if (!rbi_rep_intervals(&r))
		out->failed = true;
	rbi_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		     "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		     "content=\"width=device-width, initial-scale=1\">\n"
		     "<title>");
	rbi_buf_adds(out, r.ok ? "Audit report: intact" :
		     "Audit report: NOT intact");
	rbi_buf_adds(out, " &ndash; ");
	rbi_rep_text(out, r.origin);
	rbi_buf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		       "<main>\n", rbi_rep_css);
	rbi_rep_verdict(&r);
	rbi_rep_enforced(&r);
	rbi_rep_timeline(&r);
	rbi_rep_blocks(&r);
	rbi_rep_check(&r);
	rbi_rep_gaps(&r);
	rbi_rep_details(&r);
	rbi_buf_adds(out, "</main>\n</body>\n</html>\n");
	free(r.gaps.v);
	free(r.enforced.v);
	rbi_buf_free(&r.tmp);
}
