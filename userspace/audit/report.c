// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/report.h"
#include "audit/time.h"
#include "util/grow.h"

enum { RBI_TALLY_MAX = 4096 };

struct rbi_tally_entry {
	char *key;
	uint64_t count;
};

/* A small string -> count map: a report has tens of zones, not millions. */
struct rbi_tally_map {
	struct rbi_tally_entry *e;
	size_t n, cap;
};

struct rbi_tally_policy {
	char sha[2 * RBI_AUDIT_HASH_LEN + 1];
	char *name, *source, *basis;
	int64_t first, last;
};

struct rbi_tally_session {
	int64_t start, end;	/* end 0: no stop record */
	char reason[32];
};

struct rbi_audit_tally {
	int64_t since, until;
	uint64_t records, blocks, block_events, logged, log_events;
	struct rbi_tally_map zones, services, categories, bases;
	struct rbi_tally_policy *pol;
	size_t npol, pol_cap;
	struct rbi_tally_session *ses;
	size_t nses, ses_cap;
	struct rbi_buf tmp;
	bool failed;
};

struct rbi_audit_tally *rbi_audit_tally_new(int64_t since, int64_t until)
{
	struct rbi_audit_tally *t = calloc(1, sizeof(*t));

	if (t) {
		t->since = since;
		t->until = until;
	}
	return t;
}

static void rbi_tally_map_free(struct rbi_tally_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->e[i].key);
	free(m->e);
}

void rbi_audit_tally_free(struct rbi_audit_tally *t)
{
	size_t i;

	if (!t)
		return;
	rbi_tally_map_free(&t->zones);
	rbi_tally_map_free(&t->services);
	rbi_tally_map_free(&t->categories);
	rbi_tally_map_free(&t->bases);
	for (i = 0; i < t->npol; i++) {
		free(t->pol[i].name);
		free(t->pol[i].source);
		free(t->pol[i].basis);
	}
	free(t->pol);
	free(t->ses);
	rbi_buf_free(&t->tmp);
	free(t);
}

static void rbi_tally_add(struct rbi_audit_tally *t, struct rbi_tally_map *m,
			  const char *key, uint64_t n)
{
	struct rbi_tally_entry *e;
	char *k;
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->e[i].key, key)) {
			m->e[i].count += n;
			return;
		}
	if (m->n == RBI_TALLY_MAX)
		key = "(other)";
	k = strdup(key);
	e = k ? rbi_grow_push(m->e, &m->n, &m->cap) : NULL;
	if (!e) {
		free(k);
		t->failed = true;
		return;
	}
	e->key = k;
	e->count = n;
}

/*
 * The policy's basis: the value of its top-level "basis:" key, folded
 * (">-" and following indented lines) into one line.
 */
static char *rbi_tally_basis(const char *text)
{
	struct rbi_buf b = RBI_BUF_INIT;
	const char *p = text, *nl, *v;
	bool in = false;
	char *s;

	for (; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (!in && !strncmp(p, "basis:", 6)) {
			in = true;
			v = p + 6;
			while (*v == ' ')
				v++;
			if (*v != '>' && *v != '|' && v != nl && *v)
				rbi_buf_add(&b, v, nl ? (size_t)(nl - v) :
					    strlen(v));
			continue;
		}
		if (in && (*p == ' ' || *p == '\t')) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (b.len)
				rbi_buf_addc(&b, ' ');
			rbi_buf_add(&b, p, nl ? (size_t)(nl - p) : strlen(p));
		} else if (in) {
			break;
		}
		if (!nl)
			break;
	}
	s = strdup(rbi_buf_str(&b));
	rbi_buf_free(&b);
	return s;
}

static void rbi_tally_policy(struct rbi_audit_tally *t,
			     const struct rbi_audit_rec *r)
{
	struct rbi_tally_policy *np;
	const char *sha = rbi_audit_rec_str(r, "sha256", &t->tmp);
	size_t i;

	for (i = 0; i < t->npol; i++)
		if (!strcmp(t->pol[i].sha, sha)) {
			t->pol[i].last = r->ts;
			return;
		}
	np = rbi_grow_push(t->pol, &t->npol, &t->pol_cap);
	if (!np) {
		t->failed = true;
		return;
	}
	snprintf(np->sha, sizeof(np->sha), "%s", sha);
	np->first = np->last = r->ts;
	np->name = strdup(rbi_audit_rec_str(r, "name", &t->tmp));
	np->source = strdup(rbi_audit_rec_str(r, "source", &t->tmp));
	np->basis = rbi_tally_basis(rbi_audit_rec_str(r, "text", &t->tmp));
	if (!np->name || !np->source || !np->basis)
		t->failed = true;
}

/*
 * A flow record (block or log) counted: flows it stands for (its count,
 * 1 when it gives none) and records. Returns its flows.
 */
static uint64_t rbi_tally_flows(const struct rbi_audit_rec *r,
				uint64_t *flows, uint64_t *records)
{
	uint64_t count = 1;

	rbi_audit_json_u64(rbi_audit_rec_get(r, "count"), &count);
	*flows += count;
	(*records)++;
	return count;
}

static void rbi_tally_block(struct rbi_audit_tally *t,
			    const struct rbi_audit_rec *r)
{
	uint64_t count = rbi_tally_flows(r, &t->blocks, &t->block_events);

	rbi_tally_add(t, &t->zones, rbi_audit_rec_str(r, "zone", &t->tmp),
		      count);
	rbi_tally_add(t, &t->services,
		      rbi_audit_rec_str(r, "service", &t->tmp), count);
	rbi_tally_add(t, &t->categories,
		      rbi_audit_rec_str(r, "category", &t->tmp), count);
	rbi_tally_add(t, &t->bases, rbi_audit_rec_str(r, "basis", &t->tmp),
		      count);
}

static void rbi_tally_session(struct rbi_audit_tally *t,
			      const struct rbi_audit_rec *r)
{
	struct rbi_tally_session *ns;

	if (r->type == RBI_AUDIT_REC_STOP) {
		if (t->nses && !t->ses[t->nses - 1].end)
			t->ses[t->nses - 1].end = r->ts;
		return;
	}
	ns = rbi_grow_push(t->ses, &t->nses, &t->ses_cap);
	if (!ns) {
		t->failed = true;
		return;
	}
	ns->start = r->ts;
	snprintf(ns->reason, sizeof(ns->reason), "%s",
		 rbi_audit_rec_str(r, "reason", &t->tmp));
}

void rbi_audit_tally_record(void *tally, const struct rbi_audit_rec *r,
			    const char *line, size_t len)
{
	struct rbi_audit_tally *t = tally;

	if ((t->since && r->ts < t->since) || (t->until && r->ts > t->until))
		return;
	t->records++;
	switch (r->type) {
	case RBI_AUDIT_REC_POLICY:
		rbi_tally_policy(t, r);
		break;
	case RBI_AUDIT_REC_BLOCK:
		rbi_tally_block(t, r);
		break;
	case RBI_AUDIT_REC_LOG:
		/* Flows let through but recorded: not mixed with the blocks. */
		rbi_tally_flows(r, &t->logged, &t->log_events);
		break;
	case RBI_AUDIT_REC_START:
	case RBI_AUDIT_REC_STOP:
		rbi_tally_session(t, r);
		break;
	default:
		break;
	}
}

void rbi_audit_html_escape(struct rbi_buf *out, const char *s, size_t n)
{
	static const char *const ent[256] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
		['"'] = "&quot;", ['\''] = "&#39;",
	};
	const char *e;
	size_t i;

	for (i = 0; i < n; i++) {
		e = ent[(unsigned char)s[i]];
		if (e)
			rbi_buf_adds(out, e);
		else
			rbi_buf_addc(out, s[i]);
	}
}

static void rbi_rep_text(struct rbi_buf *out, const char *s)
{
	rbi_audit_html_escape(out, s, strlen(s));
}

static void rbi_rep_ts(struct rbi_buf *out, int64_t ts)
{
	rbi_audit_ts_add(out, ts, "&mdash;");
}

/* A period as the contents of two cells. */
static void rbi_rep_period(struct rbi_buf *out, int64_t from, int64_t until)
{
	rbi_rep_ts(out, from);
	rbi_buf_adds(out, "</td><td>");
	rbi_rep_ts(out, until);
}

/* <tag>text</tag>, the text escaped. */
static void rbi_rep_el(struct rbi_buf *out, const char *tag, const char *text)
{
	rbi_buf_printf(out, "<%s>", tag);
	rbi_rep_text(out, text);
	rbi_buf_printf(out, "</%s>", tag);
}

static void rbi_rep_head(struct rbi_buf *out, const char *title)
{
	rbi_buf_adds(out,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		"<meta charset=\"utf-8\">\n<title>");
	rbi_rep_text(out, title);
	rbi_buf_adds(out,
		"</title>\n<style>\n"
		"body{font-family:sans-serif;max-width:60em;margin:2em auto;"
		"padding:0 1em;color:#222}\n"
		"table{border-collapse:collapse;margin:.5em 0 1.5em}\n"
		"th,td{border:1px solid #bbb;padding:.25em .6em;"
		"text-align:left;vertical-align:top}\n"
		"td.n{text-align:right}\n"
		".ok{color:#075;font-weight:bold}"
		".bad{color:#a00;font-weight:bold}\n"
		"code{word-break:break-all}\n"
		"</style>\n</head>\n<body>\n");
}

static void rbi_rep_map(struct rbi_buf *out, const char *title,
			const struct rbi_tally_map *m)
{
	size_t i;

	rbi_buf_adds(out, "<table><tr>");
	rbi_rep_el(out, "th", title);
	rbi_buf_adds(out, "<th>blocked</th></tr>\n");
	for (i = 0; i < m->n; i++) {
		rbi_buf_adds(out, "<tr>");
		rbi_rep_el(out, "td", m->e[i].key[0] ? m->e[i].key : "(none)");
		rbi_buf_printf(out, "<td class=\"n\">%llu</td></tr>\n",
			       (unsigned long long)m->e[i].count);
	}
	if (!m->n)
		rbi_buf_adds(out, "<tr><td colspan=\"2\">none</td></tr>\n");
	rbi_buf_adds(out, "</table>\n");
}

static void rbi_rep_result(struct rbi_buf *out,
			   const struct rbi_audit_report_opts *o,
			   const struct rbi_audit_result *res)
{
	const struct rbi_audit_epoch_info *e;
	size_t i;

	rbi_buf_adds(out, "<h2>Verification</h2>\n<p>");
	rbi_buf_adds(out, res->ok ?
		"<span class=\"ok\">INTACT</span>: every checkpoint signature, "
		"every tree root, heartbeat continuity, policy coverage and "
		"the chaining of restarts check out." :
		"<span class=\"bad\">NOT INTACT</span>: see the faults below.");
	rbi_buf_adds(out, "</p>\n<p>Verified offline with the public key <code>");
	rbi_rep_text(out, o->key->name);
	rbi_buf_printf(out, "+%02x%02x%02x%02x</code>; %llu records read.</p>\n",
		       o->key->id[0], o->key->id[1], o->key->id[2],
		       o->key->id[3], (unsigned long long)res->records);
	rbi_buf_adds(out, "<table><tr><th>log (origin)</th><th>leaves</th>"
		     "<th>signed</th><th>checkpoints</th><th>first record</th>"
		     "<th>last record</th></tr>\n");
	for (i = 0; i < res->nepochs; i++) {
		e = &res->epochs[i];
		rbi_buf_adds(out, "<tr>");
		rbi_rep_el(out, "td", e->origin);
		rbi_buf_printf(out, "<td class=\"n\">%llu</td><td class=\"n\">"
			       "%llu</td><td class=\"n\">%llu</td><td>",
			       (unsigned long long)e->leaves,
			       (unsigned long long)e->signed_size,
			       (unsigned long long)e->checkpoints);
		rbi_rep_period(out, e->first_ts, e->last_ts);
		rbi_buf_adds(out, "</td></tr>\n");
	}
	rbi_buf_adds(out, "</table>\n");
}

static void rbi_rep_sessions(struct rbi_buf *out,
			     const struct rbi_audit_tally *t)
{
	size_t i;

	rbi_buf_adds(out, "<h2>Periods covered</h2>\n<p>Each period runs "
		     "from a start of rbiblock to its stop; heartbeats inside "
		     "prove it was running and enforcing.</p>\n<table><tr>"
		     "<th>from</th><th>until</th><th>started because</th>"
		     "</tr>\n");
	for (i = 0; i < t->nses; i++) {
		rbi_buf_adds(out, "<tr><td>");
		rbi_rep_ts(out, t->ses[i].start);
		rbi_buf_adds(out, "</td><td>");
		if (t->ses[i].end)
			rbi_rep_ts(out, t->ses[i].end);
		else
			rbi_buf_adds(out, "no stop record (running, or "
				     "ended by a crash)");
		rbi_buf_adds(out, "</td>");
		rbi_rep_el(out, "td", t->ses[i].reason);
		rbi_buf_adds(out, "</tr>\n");
	}
	rbi_buf_adds(out, "</table>\n");
}

static void rbi_rep_policies(struct rbi_buf *out,
			     const struct rbi_audit_tally *t)
{
	const struct rbi_tally_policy *p;
	size_t i;

	rbi_buf_adds(out, "<h2>Policy in force</h2>\n");
	for (i = 0; i < t->npol; i++) {
		p = &t->pol[i];
		rbi_buf_adds(out, "<table><tr><th>name</th>");
		rbi_rep_el(out, "td", p->name);
		rbi_buf_adds(out, "</tr><tr><th>sha256</th><td><code>");
		rbi_rep_text(out, p->sha);
		rbi_buf_adds(out, "</code></td></tr><tr><th>source</th>");
		rbi_rep_el(out, "td", p->source);
		rbi_buf_adds(out, "</tr><tr><th>basis</th>");
		rbi_rep_el(out, "td", p->basis);
		rbi_buf_adds(out, "</tr><tr><th>recorded</th><td>");
		rbi_rep_ts(out, p->first);
		rbi_buf_adds(out, " &ndash; ");
		rbi_rep_ts(out, p->last);
		rbi_buf_adds(out, "</td></tr></table>\n");
	}
	if (!t->npol)
		rbi_buf_adds(out, "<p>No policy record in this period.</p>\n");
}

static void rbi_rep_spans(struct rbi_buf *out, const char *title,
			  const struct rbi_audit_spans *s, bool fault)
{
	const struct rbi_audit_span *sp;
	size_t i;

	rbi_buf_adds(out, "<h3>");
	rbi_rep_text(out, title);
	rbi_buf_adds(out, "</h3>\n");
	if (!s->n) {
		rbi_buf_adds(out, "<p>None.</p>\n");
		return;
	}
	rbi_buf_adds(out, "<table><tr><th>what</th><th>log</th><th>leaves</th>"
		     "<th>from</th><th>until</th><th>detail</th></tr>\n");
	for (i = 0; i < s->n; i++) {
		sp = &s->v[i];
		rbi_buf_adds(out, "<tr>");
		rbi_rep_el(out, "td", fault ? rbi_audit_fault_name(sp->kind) :
			   sp->what);
		rbi_buf_printf(out, "<td>epoch-%04u</td><td>%llu&ndash;%llu"
			       "</td><td>", sp->epoch,
			       (unsigned long long)sp->from_idx,
			       (unsigned long long)sp->to_idx);
		rbi_rep_period(out, sp->from_ts, sp->until_ts);
		rbi_buf_adds(out, "</td>");
		rbi_rep_el(out, "td", sp->detail);
		rbi_buf_adds(out, "</tr>\n");
	}
	rbi_buf_adds(out, "</table>\n");
}

void rbi_audit_report_html(const struct rbi_audit_report_opts *o,
			   const struct rbi_audit_result *res,
			   const struct rbi_audit_tally *t,
			   struct rbi_buf *out)
{
	const char *origin = res->nepochs ? res->epochs[0].origin : o->dir;

	rbi_rep_head(out, "rbiblock audit report");
	rbi_buf_adds(out, "<h1>rbiblock audit report</h1>\n<p>Gateway log ");
	rbi_rep_el(out, "code", origin);
	rbi_buf_adds(out, ", period ");
	rbi_rep_ts(out, o->since ? o->since : res->first_ts);
	rbi_buf_adds(out, " to ");
	rbi_rep_ts(out, o->until ? o->until : res->last_ts);
	rbi_buf_adds(out, ", report made ");
	rbi_rep_ts(out, o->generated);
	rbi_buf_adds(out, ".</p>\n<p>rbiblock blocks camera traffic to remote "
		     "biometric identification, biometric categorisation and "
		     "emotion recognition services. This log proves what the "
		     "gateway recorded; anyone with its public key can check "
		     "it with <code>rbictl audit verify</code>.</p>\n");
	rbi_rep_result(out, o, res);
	rbi_rep_sessions(out, t);
	rbi_rep_policies(out, t);
	rbi_buf_printf(out, "<h2>Blocks</h2>\n<p>%llu blocked flows in %llu "
		       "records.</p>\n", (unsigned long long)t->blocks,
		       (unsigned long long)t->block_events);
	rbi_rep_map(out, "zone", &t->zones);
	rbi_rep_map(out, "service", &t->services);
	rbi_rep_map(out, "category", &t->categories);
	rbi_rep_map(out, "legal basis cited", &t->bases);
	rbi_buf_printf(out, "<p>Allowed but recorded, as enforce settings of "
		       "<code>log</code> ask: %llu flows in %llu records.</p>\n",
		       (unsigned long long)t->logged,
		       (unsigned long long)t->log_events);
	rbi_buf_adds(out, "<h2>Gaps and faults</h2>\n");
	rbi_rep_spans(out, "Faults found by verification", &res->faults,
		      true);
	rbi_rep_spans(out, "Gaps the log declares", &res->gaps, false);
	rbi_rep_spans(out, "Records deleted after the retention period",
		      &res->pruned, false);
	rbi_buf_adds(out, "</body>\n</html>\n");
}
