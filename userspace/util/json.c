// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "util/json.h"
#include "util/utf8.h"

enum {
	/* The longest escape of one input byte: \u00XX or \ufffd. */
	RBI_JSON_ESC_MAX = 6,
	/* Around a string: a separator, two quotes and a colon. */
	RBI_JSON_FRAME_MAX = 4,
};

/*
 * Where a key or a value goes: straight into the buffer's free space when
 * it has room for the longest form (the common case, the buffer being
 * reused), else through rbi_buf_add, which grows it.
 */
struct rbi_json_sink {
	struct rbi_buf *out;
	char *start;		/* where it writes in place, or NULL */
	char *p;		/* the next byte, when writing in place */
};

static void rbi_json_sink_open(struct rbi_json_sink *k, struct rbi_buf *out,
			       size_t need)
{
	k->out = out;
	k->start = rbi_buf_spare(out, need);
	k->p = k->start;
}

static void rbi_json_sink_close(struct rbi_json_sink *k)
{
	if (k->start)
		rbi_buf_commit(k->out, (size_t)(k->p - k->start));
}

static void rbi_json_sink_put(struct rbi_json_sink *k, const char *s,
			      size_t n)
{
	if (!k->p) {
		rbi_buf_add(k->out, s, n);
		return;
	}
	memcpy(k->p, s, n);
	k->p += n;
}

static void rbi_json_sink_putc(struct rbi_json_sink *k, char c)
{
	if (k->p)
		*k->p++ = c;
	else
		rbi_buf_addc(k->out, c);
}

void rbi_json_init(struct rbi_json *j, struct rbi_buf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->first[0] = true;
}

/*
 * Starts a value (or key) of at most need bytes after its separator: a
 * comma before all but the first at this depth.
 */
static void rbi_json_begin(struct rbi_json *j, struct rbi_json_sink *k,
			   size_t need)
{
	rbi_json_sink_open(k, j->out, need + 1);
	if (!j->first[j->depth])
		rbi_json_sink_putc(k, ',');
	j->first[j->depth] = false;
}

/* A value that needs no escaping: a number, a literal, a bracket. */
static void rbi_json_value(struct rbi_json *j, const char *p, size_t n)
{
	struct rbi_json_sink k;

	rbi_json_begin(j, &k, n);
	rbi_json_sink_put(&k, p, n);
	rbi_json_sink_close(&k);
}

static void rbi_json_open(struct rbi_json *j, char c)
{
	rbi_json_value(j, &c, 1);
	if (j->depth + 1 < RBI_JSON_DEPTH_MAX)
		j->depth++;
	else
		j->out->failed = true;
	j->first[j->depth] = true;
}

static void rbi_json_close(struct rbi_json *j, char c)
{
	rbi_buf_addc(j->out, c);
	if (j->depth)
		j->depth--;
}

void rbi_json_obj_begin(struct rbi_json *j)
{
	rbi_json_open(j, '{');
}

void rbi_json_obj_end(struct rbi_json *j)
{
	rbi_json_close(j, '}');
}

void rbi_json_arr_begin(struct rbi_json *j)
{
	rbi_json_open(j, '[');
}

void rbi_json_arr_end(struct rbi_json *j)
{
	rbi_json_close(j, ']');
}

/* Printable ASCII but '"' and '\\': copied into strings as it is. */
static const bool rbi_json_plain_byte[256] = {
	[0x20 ... 0x21] = true,
	[0x23 ... 0x5b] = true,
	[0x5d ... 0x7e] = true,
};

size_t rbi_json_plain(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n && rbi_json_plain_byte[u[i]])
		i++;
	return i;
}

/*
 * The length of the leading run of s[0..n) that is copied as it is:
 * plain bytes and whole UTF-8 sequences.
 */
static size_t rbi_json_run(const char *s, size_t n)
{
	size_t i = 0, k;

	for (;;) {
		i += rbi_json_plain(s + i, n - i);
		if (i == n || (unsigned char)s[i] < 0x80)
			return i;
		k = rbi_utf8_seq(s + i, n - i);
		if (!k)
			return i;
		i += k;
	}
}

/* The escape of c, a byte that does not start a run, into esc. */
static size_t rbi_json_esc(unsigned char c, char esc[RBI_JSON_ESC_MAX])
{
	static const char hex[] = "0123456789abcdef";

	esc[0] = '\\';
	switch (c) {
	case '"':
	case '\\':
		esc[1] = (char)c;
		return 2;
	case '\n':
		esc[1] = 'n';
		return 2;
	case '\r':
		esc[1] = 'r';
		return 2;
	case '\t':
		esc[1] = 't';
		return 2;
	}
	/* A byte that starts no valid UTF-8 sequence stands for U+FFFD. */
	if (c >= 0x80) {
		memcpy(esc, "\\ufffd", RBI_JSON_ESC_MAX);
		return RBI_JSON_ESC_MAX;
	}
	memcpy(esc, "\\u00", 4);
	esc[4] = hex[c >> 4];
	esc[5] = hex[c & 15];
	return RBI_JSON_ESC_MAX;
}

static void rbi_json_put_escaped(struct rbi_json_sink *k, const char *s,
				 size_t n)
{
	char esc[RBI_JSON_ESC_MAX];
	size_t i = 0, run;

	while (i < n) {
		run = rbi_json_run(s + i, n - i);
		if (run) {
			rbi_json_sink_put(k, s + i, run);
			i += run;
			continue;
		}
		rbi_json_sink_put(k, esc, rbi_json_esc((unsigned char)s[i],
						       esc));
		i++;
	}
}

/* The most bytes n input bytes escape to (SIZE_MAX / 2: too many). */
static size_t rbi_json_esc_bound(size_t n)
{
	return n <= (SIZE_MAX - RBI_JSON_FRAME_MAX) / RBI_JSON_ESC_MAX / 2 ?
	       n * RBI_JSON_ESC_MAX : SIZE_MAX / 2;
}

void rbi_json_escape(struct rbi_buf *out, const char *s, size_t n)
{
	struct rbi_json_sink k;

	rbi_json_sink_open(&k, out, rbi_json_esc_bound(n));
	rbi_json_put_escaped(&k, s, n);
	rbi_json_sink_close(&k);
}

/* The escaped length of the character at s[0..n); *used: its bytes. */
static size_t rbi_json_char_len(const char *s, size_t n, size_t *used)
{
	char esc[RBI_JSON_ESC_MAX];
	size_t k;

	*used = 1;
	if (rbi_json_plain_byte[(unsigned char)s[0]])
		return 1;
	k = (unsigned char)s[0] >= 0x80 ? rbi_utf8_seq(s, n) : 0;
	if (k) {
		*used = k;
		return k;
	}
	return rbi_json_esc((unsigned char)s[0], esc);
}

/*
 * The input bytes of s[0..n) whose escaped form, and mark's bytes after
 * it, fit in cap; *cut says whether that is less than all of s.
 */
static size_t rbi_json_cut(const char *s, size_t n, size_t cap,
			   const char *mark, bool *cut)
{
	size_t i = 0, len = 0, keep = 0, e, used, mark_len;

	*cut = false;
	if (n <= cap / RBI_JSON_ESC_MAX)
		return n;
	mark_len = strlen(mark);
	while (i < n) {
		e = rbi_json_char_len(s + i, n - i, &used);
		if (len + e > cap) {
			*cut = true;
			return keep;
		}
		len += e;
		i += used;
		if (len + mark_len <= cap)
			keep = i;
	}
	return n;
}

/*
 * "s", s[0..plain) known to need no escape, with mark (plain) at its end
 * when not NULL; a key's with a colon.
 */
static void rbi_json_quoted(struct rbi_json *j, const char *s, size_t n,
			    size_t plain, const char *mark, bool key)
{
	size_t mark_len = mark ? strlen(mark) : 0;
	struct rbi_json_sink k;

	rbi_json_begin(j, &k, rbi_json_esc_bound(n) + mark_len +
		       RBI_JSON_FRAME_MAX);
	rbi_json_sink_putc(&k, '"');
	rbi_json_sink_put(&k, s, plain);
	rbi_json_put_escaped(&k, s + plain, n - plain);
	if (mark)
		rbi_json_sink_put(&k, mark, mark_len);
	rbi_json_sink_putc(&k, '"');
	if (key) {
		rbi_json_sink_putc(&k, ':');
		/* The value that follows gets no separator of its own. */
		j->first[j->depth] = true;
	}
	rbi_json_sink_close(&k);
}

void rbi_json_keyn(struct rbi_json *j, const char *key, size_t n)
{
	rbi_json_quoted(j, key, n, 0, NULL, true);
}

/*
 * The length of the C string s, and in *plain that of its leading run
 * that needs no escape: strings are mostly plain, and one pass over them
 * finds both.
 */
static size_t rbi_json_cstr(const char *s, size_t *plain)
{
	*plain = rbi_json_plain(s, SIZE_MAX);
	return *plain + strlen(s + *plain);
}

void rbi_json_key(struct rbi_json *j, const char *key)
{
	size_t plain, n = rbi_json_cstr(key, &plain);

	rbi_json_quoted(j, key, n, plain, NULL, true);
}

void rbi_json_strn(struct rbi_json *j, const char *s, size_t n)
{
	rbi_json_quoted(j, s, n, 0, NULL, false);
}

void rbi_json_str(struct rbi_json *j, const char *s)
{
	size_t plain, n;

	if (!s) {
		rbi_json_null(j);
		return;
	}
	n = rbi_json_cstr(s, &plain);
	rbi_json_quoted(j, s, n, plain, NULL, false);
}

void rbi_json_strn_cap(struct rbi_json *j, const char *s, size_t n,
		       size_t cap, const char *mark)
{
	size_t keep;
	bool cut;

	keep = rbi_json_cut(s, n, cap, mark, &cut);
	rbi_json_quoted(j, s, keep, 0, cut ? mark : NULL, false);
}

void rbi_json_str_cap(struct rbi_json *j, const char *s, size_t cap,
		      const char *mark)
{
	size_t plain, n;

	if (!s) {
		rbi_json_null(j);
		return;
	}
	n = rbi_json_cstr(s, &plain);
	/* A plain string's escaped form is itself. */
	if (plain == n && n <= cap)
		rbi_json_quoted(j, s, n, n, NULL, false);
	else
		rbi_json_strn_cap(j, s, n, cap, mark);
}

char *rbi_json_put_uint(char *p, uint64_t v)
{
	uint64_t t = v;
	char *end = p + 1;

	while (t >= 10) {
		t /= 10;
		end++;
	}
	p = end;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

static void rbi_json_sink_uint(struct rbi_json_sink *k, uint64_t v)
{
	char d[RBI_JSON_UINT_MAX];

	if (k->p)
		k->p = rbi_json_put_uint(k->p, v);
	else
		rbi_buf_add(k->out, d, (size_t)(rbi_json_put_uint(d, v) - d));
}

/* A number: its sign, then its magnitude. */
static void rbi_json_number(struct rbi_json *j, bool neg, uint64_t mag)
{
	struct rbi_json_sink k;

	rbi_json_begin(j, &k, RBI_JSON_UINT_MAX + 1);
	if (neg)
		rbi_json_sink_putc(&k, '-');
	rbi_json_sink_uint(&k, mag);
	rbi_json_sink_close(&k);
}

void rbi_json_int(struct rbi_json *j, int64_t v)
{
	rbi_json_number(j, v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

void rbi_json_uint(struct rbi_json *j, uint64_t v)
{
	rbi_json_number(j, false, v);
}

void rbi_json_bool(struct rbi_json *j, bool v)
{
	if (v)
		rbi_json_value(j, "true", 4);
	else
		rbi_json_value(j, "false", 5);
}

void rbi_json_null(struct rbi_json *j)
{
	rbi_json_value(j, "null", 4);
}

void rbi_json_kstr(struct rbi_json *j, const char *key, const char *s)
{
	rbi_json_key(j, key);
	rbi_json_str(j, s);
}

void rbi_json_kint(struct rbi_json *j, const char *key, int64_t v)
{
	rbi_json_key(j, key);
	rbi_json_int(j, v);
}

void rbi_json_kuint(struct rbi_json *j, const char *key, uint64_t v)
{
	rbi_json_key(j, key);
	rbi_json_uint(j, v);
}

void rbi_json_kbool(struct rbi_json *j, const char *key, bool v)
{
	rbi_json_key(j, key);
	rbi_json_bool(j, v);
}
