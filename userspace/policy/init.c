// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/init.h"
#include "rbi_addr.h"

/* What a zone or recorder name may hold (the policy's id rule). */
#define RBI_INIT_ID_CHARS						\
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."

enum {
	RBI_INIT_PORT_MAX = 65535,
};

static const char *const rbi_init_what[__RBI_INIT_KIND_MAX] = {
	[RBI_INIT_ZONE] = "zone",
	[RBI_INIT_PRIVATE_ZONE] = "zone",
	[RBI_INIT_RECORDER] = "recorder",
};

void rbi_init_free(struct rbi_init *in)
{
	int k;

	for (k = 0; k < __RBI_INIT_KIND_MAX; k++)
		rbi_buf_free(&in->part[k]);
}

/* "554" or "8000-8100", as the policy reads ports. */
static bool rbi_init_port(const char *s, size_t n)
{
	unsigned long lo, hi;
	char buf[16], *end;

	if (!n || n >= sizeof(buf) || s[0] < '0' || s[0] > '9')
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	lo = hi = strtoul(buf, &end, 10);
	if (*end == '-' && end[1] >= '0' && end[1] <= '9')
		hi = strtoul(end + 1, &end, 10);
	return !*end && lo && hi >= lo && hi <= RBI_INIT_PORT_MAX;
}

/*
 * Appends the comma-separated list s[0..n) as a flow sequence of networks
 * or ports, each checked; IPv6 networks are quoted.
 */
static int rbi_init_list(struct rbi_buf *b, const char *key, const char *s,
			 size_t n, bool nets, char *err, size_t len)
{
	const char *end = s + n, *why = NULL, *comma, *q;
	struct rbi_prefix p;
	size_t k;

	rbi_buf_printf(b, "    %s: [", key);
	for (comma = s - 1; comma < end; s = comma + 1) {
		comma = memchr(s, ',', (size_t)(end - s));
		if (!comma)
			comma = end;
		k = (size_t)(comma - s);
		if (nets ? rbi_prefix_parse(s, k, &p, &why) :
		    !rbi_init_port(s, k)) {
			snprintf(err, len, "'%.*s' is not %s%s%s", (int)k, s,
				 nets ? "a network" : "a port or range (1 to "
				 "65535, such as 554 or 8000-8100)",
				 why ? ": " : "", why ? why : "");
			return -1;
		}
		q = memchr(s, ':', k) ? "\"" : "";
		rbi_buf_printf(b, "%s%.*s%s", q, (int)k, s, q);
		if (comma < end)
			rbi_buf_adds(b, ", ");
	}
	rbi_buf_adds(b, "]\n");
	return 0;
}

int rbi_init_add(struct rbi_init *in, enum rbi_init_kind kind,
		 const char *spec, char *err, size_t len)
{
	const char *eq = strchr(spec, '='), *nets, *at;
	struct rbi_buf *b = &in->part[kind];
	size_t name_len;

	name_len = eq ? (size_t)(eq - spec) : 0;
	if (!eq || !name_len || spec[0] == '.' ||
	    strspn(spec, RBI_INIT_ID_CHARS) != name_len) {
		snprintf(err, len, "'%s' is not NAME=NETWORK[,NETWORK...]%s: "
			 "the %s's name may only hold letters, digits, '-', "
			 "'_' and '.'", spec, kind == RBI_INIT_RECORDER ?
			 "[@PORT,...]" : "", rbi_init_what[kind]);
		return -1;
	}
	nets = eq + 1;
	at = kind == RBI_INIT_RECORDER ? strchr(nets, '@') : NULL;
	rbi_buf_printf(b, "  - name: %.*s\n", (int)name_len, spec);
	if (kind != RBI_INIT_RECORDER)
		rbi_buf_printf(b, "    publicly-accessible: %s\n",
			       kind == RBI_INIT_ZONE ? "true" : "false");
	if (rbi_init_list(b, "networks", nets,
			  at ? (size_t)(at - nets) : strlen(nets), true, err,
			  len) ||
	    (at && rbi_init_list(b, "ports", at + 1, strlen(at + 1), false,
				 err, len)))
		return -1;
	in->n[kind]++;
	return 0;
}

/* A line at column 0 that is neither blank nor a comment: a key. */
static bool rbi_init_is_key(const char *s)
{
	return *s != ' ' && *s != '\t' && *s != '#' && *s != '\n' &&
	       *s != '\r' && *s != '\0';
}

static bool rbi_init_key_is(const char *s, const char *key)
{
	size_t n = strlen(key);

	return !strncmp(s, key, n) && s[n] == ':';
}

/* After "key:", only blanks and a comment: the value is a block. */
static bool rbi_init_block_key(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);

	if (!colon)
		return false;
	for (colon++; colon < s + n && (*colon == ' ' || *colon == '\t');
	     colon++)
		;
	return colon == s + n || *colon == '#' || *colon == '\n' ||
	       *colon == '\r';
}

static void rbi_init_zones(const struct rbi_init *in, struct rbi_buf *out)
{
	rbi_buf_adds(out, "zones:                          # the camera "
		     "networks, from 'rbictl init'\n");
	rbi_buf_add(out, in->part[RBI_INIT_ZONE].data,
		    in->part[RBI_INIT_ZONE].len);
	rbi_buf_add(out, in->part[RBI_INIT_PRIVATE_ZONE].data,
		    in->part[RBI_INIT_PRIVATE_ZONE].len);
}

static void rbi_init_recorders(const struct rbi_init *in,
			       struct rbi_buf *out)
{
	if (!in->n[RBI_INIT_RECORDER])
		return;
	rbi_buf_adds(out, "recorders:                      # where video "
		     "may go, from 'rbictl init'\n");
	rbi_buf_add(out, in->part[RBI_INIT_RECORDER].data,
		    in->part[RBI_INIT_RECORDER].len);
}

/* The example's text, block by block. */
struct rbi_init_walk {
	const struct rbi_init *in;
	struct rbi_buf *out;
	struct rbi_buf pending;	/* comments and blanks before a key */
	bool started;		/* past the example's own header */
	bool keep;		/* the block is the example's, copied */
	bool in_audit;		/* the block is audit, and origin changes */
	bool zones, recorders, audit, origin;	/* written */
};

static void rbi_init_origin(struct rbi_init_walk *w, int indent)
{
	rbi_buf_printf(w->out, "%*sorigin: %s\n", indent, "", w->in->origin);
	w->origin = true;
}

/* In audit, the example's origin gives way to the site's. */
static void rbi_init_audit_line(struct rbi_init_walk *w, const char *s,
				size_t n)
{
	int indent = (int)strspn(s, " ");

	if (!strncmp(s + indent, "origin:", 7))
		return;
	if (!w->origin)
		rbi_init_origin(w, indent);
	rbi_buf_add(w->out, s, n);
}

static int rbi_init_key(struct rbi_init_walk *w, const char *s, size_t n,
			char *err, size_t len)
{
	const struct rbi_init *in = w->in;

	if (w->in_audit && !w->origin)
		rbi_init_origin(w, 2);
	w->started = true;
	w->keep = !rbi_init_key_is(s, "zones") &&
		  !rbi_init_key_is(s, "recorders") &&
		  !rbi_init_key_is(s, "catalog") &&
		  !(in->name && rbi_init_key_is(s, "name"));
	if (w->keep)
		rbi_buf_add(w->out, w->pending.data, w->pending.len);
	rbi_buf_reset(&w->pending);
	w->in_audit = in->origin && rbi_init_key_is(s, "audit");
	if (w->in_audit && !rbi_init_block_key(s, n)) {
		snprintf(err, len, "its audit settings are not a block "
			 "mapping ('audit:' then one setting per line)");
		return -1;
	}
	w->audit |= w->in_audit;
	if (rbi_init_key_is(s, "zones")) {
		rbi_init_zones(in, w->out);
		w->zones = true;
	} else if (rbi_init_key_is(s, "recorders")) {
		rbi_init_recorders(in, w->out);
		w->recorders = true;
	} else if (!w->keep && rbi_init_key_is(s, "name")) {
		rbi_buf_printf(w->out, "name: %s\n", in->name);
	}
	if (w->keep)
		rbi_buf_add(w->out, s, n);
	return 0;
}

static const char rbi_init_header[] =
	"# Written by 'rbictl init' from the example '%s'. The zones and\n"
	"# recorders are this site's; the rest is the example's. See\n"
	"# rbiblock-policy(5). Check a change with 'rbictl policy check' and\n"
	"# apply it with 'systemctl reload rbiblock'.\n";

int rbi_init_text(const struct rbi_init *in, const char *example,
		  const char *example_name, struct rbi_buf *out, char *err,
		  size_t len)
{
	struct rbi_init_walk w = { .in = in, .out = out };
	const char *s = example, *nl;
	bool oom;
	size_t n;
	int rc = 0;

	rbi_buf_printf(out, rbi_init_header, example_name);
	for (; *s && !rc; s += n) {
		nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) + 1 : strlen(s);
		if (rbi_init_is_key(s)) {
			rc = rbi_init_key(&w, s, n, err, len);
		} else if (*s != ' ' && *s != '\t') {
			if (w.started)
				rbi_buf_add(&w.pending, s, n);
		} else if (!w.keep) {
			rbi_buf_reset(&w.pending);
		} else {
			rbi_buf_add(out, w.pending.data, w.pending.len);
			rbi_buf_reset(&w.pending);
			if (w.in_audit)
				rbi_init_audit_line(&w, s, n);
			else
				rbi_buf_add(out, s, n);
		}
	}
	if (w.in_audit && !w.origin)
		rbi_init_origin(&w, 2);
	if (w.keep)
		rbi_buf_add(out, w.pending.data, w.pending.len);
	rbi_buf_free(&w.pending);
	if (!w.zones)
		rbi_init_zones(in, out);
	if (!w.recorders)
		rbi_init_recorders(in, out);
	if (in->origin && !w.audit) {
		rbi_buf_adds(out, "audit:\n");
		rbi_init_origin(&w, 2);
	}
	oom = rbi_buf_failed(out);
	for (n = 0; n < __RBI_INIT_KIND_MAX; n++)
		oom |= rbi_buf_failed(&in->part[n]);
	if (!rc && oom) {
		snprintf(err, len, "out of memory");
		rc = -1;
	}
	return rc;
}
