// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Hostname pattern vectors. Each case builds a small table, looks one name
 * up and expects a given pattern to win; the name and every strict prefix
 * of it (each in a buffer of exactly its size) are also checked against the
 * reference matcher below, and every strict prefix of every pattern must
 * get a clear verdict from the pattern check.
 */
#include "rbi_vec_tables.h"
#include "rbi_vectors.h"

/* Labels of 63 and 49 characters, to build names right at the limits. */
#define RBI_VEC_L63 "a123456789b123456789c123456789d123456789e123456789f123456789xyz"
#define RBI_VEC_L49 "a123456789b123456789c123456789d123456789e12345678"
/* 3 * 64 + 49 + 12 = 253 characters. */
#define RBI_VEC_N253 RBI_VEC_L63 "." RBI_VEC_L63 "." RBI_VEC_L63 "." \
		     RBI_VEC_L49 ".example.com"
#define RBI_VEC_N254 RBI_VEC_L63 "." RBI_VEC_L63 "." RBI_VEC_L63 "." \
		     RBI_VEC_L49 "z.example.com"

enum {
	RBI_VEC_NAME_PATS = 4,
	/* Pattern i is added with value RBI_VEC_NAME_BASE + i. */
	RBI_VEC_NAME_BASE = 100,
	/* q.{a|*}.{a|*}.{a|*}.{a|*}.{a|*}.e: five forks on every path. */
	RBI_VEC_NAME_FAN_LEVELS = RBI_NAME_FORKS_MAX,
	RBI_VEC_NAME_FAN = 1 << RBI_VEC_NAME_FAN_LEVELS,
	RBI_VEC_NAME_FAN_LEN = 2 + 2 * RBI_VEC_NAME_FAN_LEVELS + 2,
};

struct rbi_vec_name_case {
	const char *id;
	const char *pat[RBI_VEC_NAME_PATS];	/* NULL after the last */
	const char *query;
	size_t qlen;		/* 0: strlen(query) */
	int expect;		/* index of the winning pattern; -1: none */
	int last_rc;		/* what adding the last pattern returns */
	const char *why;	/* set: pat[0] is refused for this reason */
};

#define RBI_VEC_REKOG "rekognition.*.amazonaws.com"
#define RBI_VEC_INVALID_CHAR \
	"invalid character: a label has only letters, digits, '-' and '_'"

/* Query q of qlen bytes (0: up to the NUL), pattern e wins (-1: none). */
#define RBI_VEC_MATCH_LEN(id, q, qlen, e, ...) \
	{ id, { __VA_ARGS__ }, q, qlen, e, 0, NULL }
#define RBI_VEC_MATCH(id, q, e, ...) RBI_VEC_MATCH_LEN(id, q, 0, e, __VA_ARGS__)
/* The last pattern repeats an earlier one and is refused with -EEXIST. */
#define RBI_VEC_DUP(id, q, e, ...) \
	{ id, { __VA_ARGS__ }, q, 0, e, -EEXIST, NULL }
#define RBI_VEC_REFUSE(id, pat, why) { id, { pat }, NULL, 0, -1, 0, why }

static const struct rbi_vec_name_case rbi_vec_name_cases[] = {
	RBI_VEC_MATCH("exact", "api.kairos.com", 0, "api.kairos.com"),
	RBI_VEC_MATCH("exact-not-below", "eu.api.kairos.com", -1,
		      "api.kairos.com"),
	RBI_VEC_MATCH("exact-not-parent", "kairos.com", -1, "api.kairos.com"),
	RBI_VEC_MATCH("exact-whole-labels", "xapi.kairos.com", -1,
		      "api.kairos.com"),
	RBI_VEC_MATCH("below-one-label", "api.clearview.ai", 0,
		      "*.clearview.ai"),
	RBI_VEC_MATCH("below-any-depth", "a.b.c.d.clearview.ai", 0,
		      "*.clearview.ai"),
	RBI_VEC_MATCH("below-not-apex", "clearview.ai", -1, "*.clearview.ai"),
	RBI_VEC_MATCH("below-whole-labels", "notclearview.ai", -1,
		      "*.clearview.ai"),
	RBI_VEC_MATCH("star-one-label", "rekognition.eu-west-1.amazonaws.com",
		      0, RBI_VEC_REKOG),
	RBI_VEC_MATCH("star-not-zero-labels", "rekognition.amazonaws.com", -1,
		      RBI_VEC_REKOG),
	RBI_VEC_MATCH("star-not-two-labels",
		      "rekognition.eu.west.amazonaws.com", -1, RBI_VEC_REKOG),
	RBI_VEC_MATCH("star-last-label", "example.org", 0, "example.*"),
	RBI_VEC_MATCH("star-last-not-two", "example.co.uk", -1, "example.*"),
	RBI_VEC_MATCH("two-stars", "a.b.c.d", 0, "a.*.*.d"),
	RBI_VEC_MATCH("below-then-star", "x.y.example.com", 0,
		      "*.*.example.com"),
	RBI_VEC_MATCH("below-then-star-short", "y.example.com", -1,
		      "*.*.example.com"),
	RBI_VEC_MATCH("case-folded", "REKOGNITION.Eu-West-1.amazonaws.COM", 0,
		      "Rekognition.*.AmazonAWS.com"),
	RBI_VEC_MATCH("name-trailing-dot", "api.kairos.com.", 0,
		      "api.kairos.com"),
	RBI_VEC_MATCH("pattern-trailing-dot", "api.kairos.com", 0,
		      "api.kairos.com."),
	RBI_VEC_MATCH("both-trailing-dots", "x.clearview.ai.", 0,
		      "*.clearview.ai."),
	RBI_VEC_MATCH("name-two-trailing-dots", "api.kairos.com..", -1,
		      "api.kairos.com"),
	RBI_VEC_MATCH("name-empty-label", "a..clearview.ai", -1,
		      "*.clearview.ai"),
	RBI_VEC_MATCH("name-leading-dot", ".clearview.ai", -1,
		      "*.clearview.ai"),
	RBI_VEC_MATCH("name-empty", "", -1, "api.kairos.com"),
	RBI_VEC_MATCH("name-only-dot", ".", -1, "api.kairos.com"),
	RBI_VEC_MATCH("name-253", RBI_VEC_N253, 0, "*.example.com"),
	RBI_VEC_MATCH("name-253-trailing-dot", RBI_VEC_N253 ".", 0,
		      "*.example.com"),
	RBI_VEC_MATCH("name-254", RBI_VEC_N254, -1, "*.example.com"),
	RBI_VEC_MATCH("name-label-63", RBI_VEC_L63 ".clearview.ai", 0,
		      "*.clearview.ai"),
	RBI_VEC_MATCH("name-label-64", RBI_VEC_L63 "z.clearview.ai", -1,
		      "*.clearview.ai"),
	RBI_VEC_MATCH("name-non-ascii-star", "caf\xc3\xa9.clearview.ai", 0,
		      "*.clearview.ai"),
	RBI_VEC_MATCH("name-non-ascii-literal", "ap\xc3\xad.kairos.com", -1,
		      "api.kairos.com"),
	RBI_VEC_MATCH_LEN("name-nul-in-label", "x\0y.clearview.ai", 16, 0,
			  "*.clearview.ai"),
	RBI_VEC_MATCH_LEN("name-nul-at-end", "api.kairos.com\0", 15, -1,
			  "api.kairos.com"),
	RBI_VEC_MATCH("numeric-labels", "5.1.168.192.in-addr.arpa", 0,
		      "*.168.192.in-addr.arpa"),
	RBI_VEC_MATCH("underscore-label", "_DMARC.example.com", 0,
		      "_dmarc.example.com"),
	RBI_VEC_MATCH("more-literals-win",
		      "rekognition.us-east-1.amazonaws.com", 1,
		      "*.amazonaws.com", RBI_VEC_REKOG),
	RBI_VEC_MATCH("exact-beats-below", "a.b.example", 1, "*.b.example",
		      "a.*.example"),
	RBI_VEC_MATCH("fewer-stars-win", "q.a.b.example", 1, "*.a.*.example",
		      "*.b.example"),
	RBI_VEC_MATCH("first-added-wins", "q.a.b.example", 0, "*.a.*.example",
		      "*.*.b.example"),
	RBI_VEC_MATCH("first-added-wins-swapped", "q.a.b.example", 0,
		      "*.*.b.example", "*.a.*.example"),
	RBI_VEC_MATCH("literal-beats-below", "api.clearview.ai", 1,
		      "*.clearview.ai", "api.clearview.ai"),
	RBI_VEC_MATCH("below-when-literal-misses", "www.clearview.ai", 0,
		      "*.clearview.ai", "api.clearview.ai"),
	RBI_VEC_MATCH("apex-and-below-apex", "clearview.ai", 0, "clearview.ai",
		      "*.clearview.ai"),
	RBI_VEC_MATCH("apex-and-below-below", "x.clearview.ai", 1,
		      "clearview.ai", "*.clearview.ai"),
	RBI_VEC_MATCH("deeper-below-wins", "b.s3.amazonaws.com", 1,
		      "*.amazonaws.com", "*.s3.amazonaws.com"),
	RBI_VEC_DUP("duplicate-refused", "api.kairos.com", 0, "api.kairos.com",
		    "API.Kairos.COM."),
	RBI_VEC_REFUSE("refuse-empty", "", "empty pattern"),
	RBI_VEC_REFUSE("refuse-only-dot", ".", "empty pattern"),
	RBI_VEC_REFUSE("refuse-empty-label", "a..b", "empty label"),
	RBI_VEC_REFUSE("refuse-leading-dot", ".a.b", "empty label"),
	RBI_VEC_REFUSE("refuse-label-64", RBI_VEC_L63 "z.com",
		       "label longer than 63 characters"),
	RBI_VEC_REFUSE("refuse-star-in-label", "rek*.amazonaws.com",
		       "'*' must be a whole label"),
	RBI_VEC_REFUSE("refuse-star-alone", "*",
		       "'*' alone would match every name"),
	RBI_VEC_REFUSE("refuse-star-dot", "*.",
		       "'*' alone would match every name"),
	RBI_VEC_REFUSE("refuse-only-stars", "*.*",
		       "pattern needs at least one literal label"),
	RBI_VEC_REFUSE("refuse-space", "a b.com", RBI_VEC_INVALID_CHAR),
	RBI_VEC_REFUSE("refuse-non-ascii", "caf\xc3\xa9.com",
		       RBI_VEC_INVALID_CHAR),
	RBI_VEC_REFUSE("refuse-254", RBI_VEC_N254,
		       "pattern longer than 253 characters"),
};


static const char *const rbi_vec_name_fan_ids[] = {
	"fan-out-32-states",
	"fan-out-sixth-fork-refused",
};

static bool rbi_vec_streq(const char *a, const char *b)
{
	size_t n = rbi_strlen(a);

	return n == rbi_strlen(b) && !rbi_memcmp(a, b, n);
}

/*
 * The reference matcher. It splits names and patterns by scanning back
 * from the end for each label, with no trie, no hashing and no state set.
 */
static size_t rbi_vec_ref_trim(const char *s, size_t len)
{
	if (len && s[len - 1] == '.')
		len--;
	return len;
}

static bool rbi_vec_ref_name_ok(const char *s, size_t len)
{
	size_t start = 0, i;

	if (!len || len > 253)
		return false;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (i == start || i - start > 63)
			return false;
		start = i + 1;
	}
	return true;
}

static bool rbi_vec_ref_label_eq(const char *a, const char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (rbi_tolower(a[i]) != rbi_tolower(b[i]))
			return false;
	return true;
}

static bool rbi_vec_ref_match(const char *p, size_t plen, const char *n,
			      size_t nlen)
{
	bool below = plen > 2 && p[0] == '*' && p[1] == '.';
	size_t stop = below ? 2 : 0, pe = plen, ne = nlen, ps, ns;

	for (;;) {
		for (ps = pe; ps > stop && p[ps - 1] != '.'; ps--)
			;
		for (ns = ne; ns > 0 && n[ns - 1] != '.'; ns--)
			;
		if (!(pe - ps == 1 && p[ps] == '*') &&
		    (pe - ps != ne - ns ||
		     !rbi_vec_ref_label_eq(p + ps, n + ns, pe - ps)))
			return false;
		if (ps == stop)
			return below ? ns > 0 : ns == 0;
		if (!ns)
			return false;
		pe = ps - 1;
		ne = ns - 1;
	}
}

struct rbi_vec_ref_rank {
	unsigned int literals;
	unsigned int stars;
	bool below;
};

static void rbi_vec_ref_rank(const char *p, size_t len,
			     struct rbi_vec_ref_rank *r)
{
	size_t i, start;

	r->below = len > 2 && p[0] == '*' && p[1] == '.';
	r->literals = 0;
	r->stars = 0;
	start = r->below ? 2 : 0;
	for (i = start; i <= len; i++) {
		if (i < len && p[i] != '.')
			continue;
		if (i - start == 1 && p[start] == '*')
			r->stars++;
		else
			r->literals++;
		start = i + 1;
	}
}

static bool rbi_vec_ref_beats(const struct rbi_vec_ref_rank *a,
			      const struct rbi_vec_ref_rank *b)
{
	if (a->literals != b->literals)
		return a->literals > b->literals;
	if (a->below != b->below)
		return !a->below;
	return a->stars < b->stars;
}

long rbi_vec_name_ref(const char *const *patterns, size_t n, const char *name,
		      size_t len)
{
	struct rbi_vec_ref_rank rank, best_rank = { 0 };
	long best = -1;
	size_t i, plen;

	len = rbi_vec_ref_trim(name, len);
	if (!rbi_vec_ref_name_ok(name, len))
		return -1;
	for (i = 0; i < n; i++) {
		plen = rbi_vec_ref_trim(patterns[i], rbi_strlen(patterns[i]));
		if (!rbi_vec_ref_match(patterns[i], plen, name, len))
			continue;
		rbi_vec_ref_rank(patterns[i], plen, &rank);
		if (best < 0 || rbi_vec_ref_beats(&rank, &best_rank)) {
			best = (long)i;
			best_rank = rank;
		}
	}
	return best;
}

/*
 * Looks name[0..len) up from a buffer of exactly that size and checks the
 * table agrees with the reference; *got is the winning index or -1.
 */
static int rbi_vec_name_agree(const struct rbi_name_table *t,
			      const char *const *pats, size_t n,
			      const char *name, size_t len, long *got,
			      char *why, size_t why_len)
{
	char *buf = (char *)rbi_vec_dup((const uint8_t *)name, len);
	uint32_t value;
	long ref;

	if (!buf) {
		rbi_snprintf(why, why_len, "out of memory");
		return -1;
	}
	*got = rbi_name_table_lookup(t, buf, len, &value) ?
	       (long)value - RBI_VEC_NAME_BASE : -1;
	ref = rbi_vec_name_ref(pats, n, buf, len);
	rbi_free(buf);
	if (*got == ref)
		return 0;
	rbi_snprintf(why, why_len, "\"%.*s\": table picks %ld, reference %ld",
		     (int)len, name, *got, ref);
	return -1;
}

/* The name and each strict prefix of it. */
static int rbi_vec_name_query(const struct rbi_name_table *t,
			      const char *const *pats, size_t n,
			      const char *name, size_t len, long expect,
			      char *why, size_t why_len)
{
	size_t k;
	long got;

	for (k = 0; k < len; k++)
		if (rbi_vec_name_agree(t, pats, n, name, k, &got, why, why_len))
			return -1;
	if (rbi_vec_name_agree(t, pats, n, name, len, &got, why, why_len))
		return -1;
	if (got == expect)
		return 0;
	rbi_snprintf(why, why_len, "\"%.*s\": pattern %ld wins, want %ld",
		     (int)len, name, got, expect);
	return -1;
}

/* Every strict prefix of a pattern gets 0, or -EINVAL and a reason. */
static int rbi_vec_name_pattern_prefixes(const char *pat, char *why,
					 size_t why_len)
{
	size_t len = rbi_strlen(pat), k;
	const char *reason;
	char *buf;
	int rc;

	for (k = 0; k < len; k++) {
		buf = (char *)rbi_vec_dup((const uint8_t *)pat, k);
		if (!buf) {
			rbi_snprintf(why, why_len, "out of memory");
			return -1;
		}
		rc = rbi_name_pattern_check(buf, k, &reason);
		rbi_free(buf);
		if ((rc == 0 && !reason) || (rc == -EINVAL && reason))
			continue;
		rbi_snprintf(why, why_len, "\"%.*s\": check gives %d", (int)k,
			     pat, rc);
		return -1;
	}
	return 0;
}

static int rbi_vec_name_refuse(const struct rbi_vec_name_case *c, char *why,
			       size_t why_len)
{
	size_t len = rbi_strlen(c->pat[0]);
	struct rbi_name_table *t;
	const char *reason = NULL;
	int rc, add_rc;

	rc = rbi_name_pattern_check(c->pat[0], len, &reason);
	if (rc != -EINVAL || !reason || !rbi_vec_streq(reason, c->why)) {
		rbi_snprintf(why, why_len, "check gives %d (%s), want \"%s\"",
			     rc, reason ? reason : "no reason", c->why);
		return -1;
	}
	t = rbi_name_table_alloc();
	if (!t) {
		rbi_snprintf(why, why_len, "out of memory");
		return -1;
	}
	add_rc = rbi_name_table_add(t, c->pat[0], len, RBI_VEC_NAME_BASE);
	rc = rbi_name_table_count(t) == 0 ? 0 : -1;
	rbi_name_table_free(t);
	if (add_rc != -EINVAL || rc) {
		rbi_snprintf(why, why_len, "add gives %d", add_rc);
		return -1;
	}
	return rbi_vec_name_pattern_prefixes(c->pat[0], why, why_len);
}

static size_t rbi_vec_name_npats(const struct rbi_vec_name_case *c)
{
	size_t n = 0;

	while (n < RBI_VEC_NAME_PATS && c->pat[n])
		n++;
	return n;
}

static int rbi_vec_name_build(struct rbi_name_table *t,
			      const struct rbi_vec_name_case *c, size_t n,
			      char *why, size_t why_len)
{
	size_t k;
	int rc, want;

	for (k = 0; k < n; k++) {
		rc = rbi_name_table_add(t, c->pat[k], rbi_strlen(c->pat[k]),
					RBI_VEC_NAME_BASE + (uint32_t)k);
		want = k + 1 == n ? c->last_rc : 0;
		if (rc != want) {
			rbi_snprintf(why, why_len, "add \"%s\" gives %d, want %d",
				     c->pat[k], rc, want);
			return -1;
		}
		if (rbi_vec_name_pattern_prefixes(c->pat[k], why, why_len))
			return -1;
	}
	return 0;
}

static int rbi_vec_name_match(const struct rbi_vec_name_case *c, char *why,
			      size_t why_len)
{
	size_t n = rbi_vec_name_npats(c), added;
	size_t qlen = c->qlen ? c->qlen : rbi_strlen(c->query);
	struct rbi_name_table *t = rbi_name_table_alloc();
	int err;

	if (!t) {
		rbi_snprintf(why, why_len, "out of memory");
		return -1;
	}
	added = c->last_rc ? n - 1 : n;
	err = rbi_vec_name_build(t, c, n, why, why_len);
	if (!err && rbi_name_table_count(t) != added) {
		rbi_snprintf(why, why_len, "table counts %zu patterns, want %zu",
			     rbi_name_table_count(t), added);
		err = -1;
	}
	if (!err)
		err = rbi_vec_name_query(t, c->pat, added, c->query, qlen,
					 c->expect, why, why_len);
	rbi_name_table_free(t);
	return err;
}

/* Writes "q." then a or '*' for levels 5..1 (bit i - 1 set: '*'), "e". */
static void rbi_vec_name_fan_pattern(char *buf, unsigned int mask)
{
	size_t o = 0;
	int level;

	buf[o++] = 'q';
	buf[o++] = '.';
	for (level = RBI_VEC_NAME_FAN_LEVELS; level >= 1; level--) {
		buf[o++] = mask >> (level - 1) & 1 ? '*' : 'a';
		buf[o++] = '.';
	}
	buf[o++] = 'e';
	buf[o] = '\0';
}

struct rbi_vec_name_fan {
	char text[RBI_VEC_NAME_FAN][RBI_VEC_NAME_FAN_LEN];
	const char *pats[RBI_VEC_NAME_FAN];
};

/*
 * Every combination of 'a' and '*' on five levels: each node down to level
 * four is a fork, so "q.a.a.a.a.a.e" keeps all 32 states alive at once and
 * the state array is exactly full. A '*' under level five would be a sixth
 * fork on a path and must be refused, leaving the table as it was.
 */
static int rbi_vec_name_fan_check(size_t i, char *why, size_t why_len)
{
	static const char *const names[] = {
		"q.a.a.a.a.a.e", "q.a.a.a.a.b.e", "q.b.b.b.b.b.e",
		"q.b.a.b.a.b.e", "x.q.a.a.a.a.a.e",
	};
	static const char sixth[] = "q.*.a.a.a.a.a.e";
	static const long want[] = { 0, 1, 31, 21, -1 };
	struct rbi_vec_name_fan *fan = rbi_zalloc(sizeof(*fan));
	struct rbi_name_table *t = rbi_name_table_alloc();
	unsigned int m;
	int err = -1;
	size_t k;

	if (!fan || !t) {
		rbi_snprintf(why, why_len, "out of memory");
		goto out;
	}
	for (m = 0; m < RBI_VEC_NAME_FAN; m++) {
		rbi_vec_name_fan_pattern(fan->text[m], m);
		fan->pats[m] = fan->text[m];
		if (rbi_name_table_add(t, fan->pats[m],
				       rbi_strlen(fan->pats[m]),
				       RBI_VEC_NAME_BASE + m)) {
			rbi_snprintf(why, why_len, "add \"%s\" failed",
				     fan->pats[m]);
			goto out;
		}
	}
	if (i == 1 && rbi_name_table_add(t, sixth, sizeof(sixth) - 1, 0) !=
	    -ENOSPC) {
		rbi_snprintf(why, why_len, "a sixth fork was not refused");
		goto out;
	}
	for (k = 0; k < RBI_ARRAY_SIZE(names); k++)
		if (rbi_vec_name_query(t, fan->pats, RBI_VEC_NAME_FAN,
				       names[k], rbi_strlen(names[k]), want[k],
				       why, why_len))
			goto out;
	err = 0;
out:
	rbi_name_table_free(t);
	rbi_free(fan);
	return err;
}

#define RBI_VEC_NAME_N RBI_ARRAY_SIZE(rbi_vec_name_cases)

static int rbi_vec_name_check(size_t i, char *why, size_t why_len)
{
	const struct rbi_vec_name_case *c;

	if (i >= RBI_VEC_NAME_N)
		return rbi_vec_name_fan_check(i - RBI_VEC_NAME_N, why, why_len);
	c = &rbi_vec_name_cases[i];
	return c->why ? rbi_vec_name_refuse(c, why, why_len) :
			rbi_vec_name_match(c, why, why_len);
}

static const char *rbi_vec_name_case_name(size_t i)
{
	if (i >= RBI_VEC_NAME_N)
		return rbi_vec_name_fan_ids[i - RBI_VEC_NAME_N];
	return rbi_vec_name_cases[i].id;
}

const struct rbi_vec_group rbi_vec_name = {
	.name = "name",
	.count = RBI_VEC_NAME_N + RBI_ARRAY_SIZE(rbi_vec_name_fan_ids),
	.case_name = rbi_vec_name_case_name,
	.check = rbi_vec_name_check,
};
