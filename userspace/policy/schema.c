// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rbi_compat.h"
#include "policy/schema.h"

static void rbi_ydiag(const struct rbi_yctx *y, const struct rbi_ynode *n,
		      enum rbi_diag_level level, const char *fmt, va_list ap)
{
	char msg[768];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	rbi_diag_add(y->diags, level, y->file, n ? n->line : 0,
		     n ? n->col : 0, "%s", msg);
}

void rbi_yerr(const struct rbi_yctx *y, const struct rbi_ynode *n,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rbi_ydiag(y, n, RBI_DIAG_ERROR, fmt, ap);
	va_end(ap);
}

void rbi_ywarn(const struct rbi_yctx *y, const struct rbi_ynode *n,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rbi_ydiag(y, n, RBI_DIAG_WARNING, fmt, ap);
	va_end(ap);
}

/* Levenshtein distance, giving up (returning limit + 1) past limit. */
static unsigned int rbi_edit_distance(const char *a, const char *b,
				      unsigned int limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int row[64], prev, tmp, best;

	if (lb >= 64 || la >= 64)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		row[j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (unsigned int)i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			unsigned int cost = a[i - 1] != b[j - 1];

			tmp = row[j];
			row[j] = prev + cost;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
			if (row[j] < best)
				best = row[j];
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb];
}

const char *rbi_did_you_mean(const char *s, const char *const *words)
{
	unsigned int limit = strlen(s) < 5 ? 1 : 2, best = limit + 1, d;
	const char *hit = NULL;

	for (; *words; words++) {
		d = rbi_edit_distance(s, *words, limit);
		if (d < best) {
			best = d;
			hit = *words;
		}
	}
	return hit;
}

static bool rbi_yis(const struct rbi_yctx *y, const struct rbi_ynode *n,
		    enum rbi_ynode_kind kind, const char *what)
{
	if (n->kind == kind)
		return true;
	rbi_yerr(y, n, "%s must be %s, not %s", what, rbi_ynode_kind_name(kind),
		 rbi_ynode_kind_name(n->kind));
	return false;
}

bool rbi_ymap_check(const struct rbi_yctx *y, const struct rbi_ynode *n,
		    const char *what, const char *const *keys)
{
	const char *const *k;
	bool ok = true;
	size_t i, j;

	if (!rbi_yis(y, n, RBI_Y_MAP, what))
		return false;
	for (i = 0; i < rbi_ymap_len(n); i++) {
		const struct rbi_ynode *key = rbi_ymap_key(n, i);
		const char *hint;

		if (key->kind != RBI_Y_SCALAR) {
			rbi_yerr(y, key, "keys of %s must be plain words", what);
			ok = false;
			continue;
		}
		for (k = keys; *k && strcmp(*k, key->str); k++)
			;
		if (!*k) {
			hint = rbi_did_you_mean(key->str, keys);
			if (hint)
				rbi_yerr(y, key, "unknown key '%s' in %s; did "
					 "you mean '%s'?", key->str, what, hint);
			else
				rbi_yerr(y, key, "unknown key '%s' in %s",
					 key->str, what);
			ok = false;
			continue;
		}
		for (j = 0; j < i; j++) {
			const struct rbi_ynode *prev = rbi_ymap_key(n, j);

			if (prev->kind == RBI_Y_SCALAR &&
			    !strcmp(prev->str, key->str)) {
				rbi_yerr(y, key, "duplicate key '%s' in %s "
					 "(first at line %u)", key->str, what,
					 prev->line);
				ok = false;
				break;
			}
		}
	}
	return ok;
}

struct rbi_ynode *rbi_ymap_get(const struct rbi_ynode *n, const char *key)
{
	size_t i;

	if (!n || n->kind != RBI_Y_MAP)
		return NULL;
	for (i = 0; i < rbi_ymap_len(n); i++) {
		const struct rbi_ynode *k = rbi_ymap_key(n, i);

		if (k->kind == RBI_Y_SCALAR && !strcmp(k->str, key))
			return rbi_ymap_val(n, i);
	}
	return NULL;
}

bool rbi_ynode_is_null(const struct rbi_ynode *n)
{
	return n->kind == RBI_Y_SCALAR && n->plain &&
	       (!n->len || !strcmp(n->str, "~") || !strcmp(n->str, "null"));
}

/* The node of key, or NULL (with an error when required). */
static struct rbi_ynode *rbi_yneed(const struct rbi_yctx *y,
				   const struct rbi_ynode *map,
				   const char *key, bool required, bool *ok)
{
	struct rbi_ynode *v = rbi_ymap_get(map, key);

	*ok = true;
	if (v && !rbi_ynode_is_null(v))
		return v;
	if (required) {
		rbi_yerr(y, map, "missing required key '%s'", key);
		*ok = false;
	}
	return NULL;
}

bool rbi_yget_str(const struct rbi_yctx *y, const struct rbi_ynode *map,
		  const char *key, char **out, bool required)
{
	struct rbi_ynode *v;
	char what[80];
	bool ok;

	v = rbi_yneed(y, map, key, required, &ok);
	if (!v)
		return ok;
	snprintf(what, sizeof(what), "'%s'", key);
	if (!rbi_yis(y, v, RBI_Y_SCALAR, what))
		return false;
	free(*out);
	*out = strdup(v->str);
	return *out != NULL;
}

bool rbi_yget_bool(const struct rbi_yctx *y, const struct rbi_ynode *map,
		   const char *key, bool *out, bool required)
{
	struct rbi_ynode *v;
	bool ok;

	v = rbi_yneed(y, map, key, required, &ok);
	if (!v)
		return ok;
	if (v->kind == RBI_Y_SCALAR && v->plain && !strcmp(v->str, "true")) {
		*out = true;
		return true;
	}
	if (v->kind == RBI_Y_SCALAR && v->plain && !strcmp(v->str, "false")) {
		*out = false;
		return true;
	}
	rbi_yerr(y, v, "'%s' must be true or false, not %s%s%s", key,
		 v->kind == RBI_Y_SCALAR ? "'" : "",
		 v->kind == RBI_Y_SCALAR ? v->str : rbi_ynode_kind_name(v->kind),
		 v->kind == RBI_Y_SCALAR ? "'" : "");
	return false;
}

bool rbi_yget_list(const struct rbi_yctx *y, const struct rbi_ynode *map,
		   const char *key, struct rbi_ynode ***items, size_t *n,
		   bool required)
{
	struct rbi_ynode *v;
	char what[80];
	bool ok;
	size_t i;

	*items = NULL;
	*n = 0;
	v = rbi_yneed(y, map, key, required, &ok);
	if (!v)
		return ok;
	snprintf(what, sizeof(what), "'%s'", key);
	if (!rbi_yis(y, v, RBI_Y_SEQ, what))
		return false;
	for (i = 0; i < v->n_kids; i++) {
		if (v->kids[i]->kind != RBI_Y_SCALAR) {
			rbi_yerr(y, v->kids[i], "items of '%s' must be "
				 "scalars, not %s", key,
				 rbi_ynode_kind_name(v->kids[i]->kind));
			ok = false;
		}
	}
	if (ok) {
		*items = v->kids;
		*n = v->n_kids;
	}
	return ok;
}

bool rbi_yget_enum(const struct rbi_yctx *y, const struct rbi_ynode *map,
		   const char *key, const char *const *words, unsigned int *out)
{
	struct rbi_ynode *v;
	char what[80], list[256] = "";
	const char *hint;
	unsigned int i;
	bool ok;

	v = rbi_yneed(y, map, key, false, &ok);
	if (!v)
		return ok;
	snprintf(what, sizeof(what), "'%s'", key);
	if (!rbi_yis(y, v, RBI_Y_SCALAR, what))
		return false;
	for (i = 0; words[i]; i++) {
		if (!strcmp(words[i], v->str)) {
			*out = i;
			return true;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s'%s'", i ? (words[i + 1] ? ", " : " or ") : "",
			 words[i]);
	}
	hint = rbi_did_you_mean(v->str, words);
	if (hint)
		rbi_yerr(y, v, "'%s' must be %s, not '%s'; did you mean '%s'?",
			 key, list, v->str, hint);
	else
		rbi_yerr(y, v, "'%s' must be %s, not '%s'", key, list, v->str);
	return false;
}

static const struct {
	char unit;
	unsigned int secs;
} rbi_units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 } };

/* The largest unit that divides secs evenly: 86400 is "1d". */
static const char *rbi_duration_text(unsigned int secs, char *buf, size_t len)
{
	size_t i = RBI_ARRAY_SIZE(rbi_units);

	while (--i && secs % rbi_units[i].secs)
		;
	snprintf(buf, len, "%u%c", secs / rbi_units[i].secs, rbi_units[i].unit);
	return buf;
}

bool rbi_yget_duration(const struct rbi_yctx *y, const struct rbi_ynode *map,
		       const char *key, unsigned int min, unsigned int max,
		       unsigned int *out)
{
	unsigned long long v = 0;
	char lo[16], hi[16];
	struct rbi_ynode *n;
	const char *s;
	size_t i;
	bool ok;

	n = rbi_yneed(y, map, key, false, &ok);
	if (!n)
		return ok;
	if (n->kind != RBI_Y_SCALAR)
		goto bad;
	s = n->str;
	if (*s < '0' || *s > '9')
		goto bad;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned int)(*s++ - '0');
		if (v > 100000000ULL)
			goto range;
	}
	for (i = 0; i < RBI_ARRAY_SIZE(rbi_units); i++)
		if (s[0] == rbi_units[i].unit && !s[1])
			break;
	if (i == RBI_ARRAY_SIZE(rbi_units))
		goto bad;
	v *= rbi_units[i].secs;
	if (v < min || v > max)
		goto range;
	*out = (unsigned int)v;
	return true;
bad:
	rbi_yerr(y, n, "'%s' must be a duration such as 30s, 5m, 1h or 400d",
		 key);
	return false;
range:
	rbi_yerr(y, n, "'%s' must be between %s and %s", key,
		 rbi_duration_text(min, lo, sizeof(lo)),
		 rbi_duration_text(max, hi, sizeof(hi)));
	return false;
}
