// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <endian.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/json.h"
#include "util/utf8.h"

/* Any byte of w zero (exact: no false positives on the whole word). */
static uint64_t rbi_j_zero(uint64_t w)
{
	return (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
}

/*
 * The bytes of w that do not stand for themselves inside a string: control
 * characters, '"', '\\' and non-ASCII. Each test borrows only upwards, so
 * its lowest flag is exact: the lowest flag of all marks the first such
 * byte (little-endian: the lowest address).
 */
static uint64_t rbi_j_special(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull;

	return ((w - ones * 0x20) & ~w & ones * 0x80) |
	       rbi_j_zero(w ^ (ones * '"')) | rbi_j_zero(w ^ (ones * '\\')) |
	       (w & ones * 0x80);
}

/*
 * The position of the first byte at or after pos that is not plain, or n:
 * eight bytes per step, and the end of the string found from the word's
 * flags rather than byte by byte, whose exit branch is unpredictable.
 * verify reads every byte of the log here.
 */
static size_t rbi_j_skip_plain(const char *s, size_t n, size_t pos)
{
	uint64_t w, m;
	size_t left;

	for (;;) {
		left = n - pos;
		if (left >= 8) {
			memcpy(&w, s + pos, 8);
		} else {
			/* A '"' past the end stops the scan there. */
			w = 0x2222222222222222ull;
			memcpy(&w, s + pos, left);
		}
		m = rbi_j_special(le64toh(w));
		if (m) {
			pos += (size_t)__builtin_ctzll(m) / 8;
			return pos < n ? pos : n;
		}
		pos += 8;
	}
}

struct rbi_jcur {
	const char *s;
	size_t n;
	size_t pos;
};

static void rbi_j_ws(struct rbi_jcur *c)
{
	while (c->pos < c->n && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t' ||
				 c->s[c->pos] == '\n' || c->s[c->pos] == '\r'))
		c->pos++;
}

static bool rbi_j_peek(const struct rbi_jcur *c, char ch)
{
	return c->pos < c->n && c->s[c->pos] == ch;
}

static bool rbi_j_hex4(const char *s, size_t n, uint32_t *v)
{
	size_t i;
	char ch;

	if (n < 4)
		return false;
	*v = 0;
	for (i = 0; i < 4; i++) {
		ch = s[i];
		*v <<= 4;
		if (ch >= '0' && ch <= '9')
			*v |= (uint32_t)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			*v |= (uint32_t)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			*v |= (uint32_t)(ch - 'A' + 10);
		else
			return false;
	}
	return true;
}

/* A string at c->pos (on its opening quote); p and len get its inside. */
static bool rbi_j_string(struct rbi_jcur *c, const char **p, size_t *len)
{
	size_t start, k;
	uint32_t v;
	unsigned char ch;

	if (!rbi_j_peek(c, '"'))
		return false;
	start = ++c->pos;
	while (c->pos < c->n) {
		/*
		 * Plain ASCII is nearly all of a record: scan it with locals,
		 * which the compiler can keep in registers (c->pos could alias
		 * the bytes read).
		 */
		c->pos = rbi_j_skip_plain(c->s, c->n, c->pos);
		if (c->pos == c->n)
			return false;
		ch = (unsigned char)c->s[c->pos];
		if (ch == '"') {
			*p = c->s + start;
			*len = c->pos++ - start;
			return true;
		}
		if (ch < 0x20)
			return false;
		if (ch == '\\') {
			if (++c->pos >= c->n)
				return false;
			ch = (unsigned char)c->s[c->pos];
			if (ch == 'u') {
				if (!rbi_j_hex4(c->s + c->pos + 1,
						c->n - c->pos - 1, &v))
					return false;
				c->pos += 5;
			} else if (strchr("\"\\/bfnrt", ch) && ch) {
				c->pos++;
			} else {
				return false;
			}
			continue;
		}
		k = rbi_utf8_seq(c->s + c->pos, c->n - c->pos);
		if (!k)
			return false;
		c->pos += k;
	}
	return false;
}

static size_t rbi_j_digits(struct rbi_jcur *c)
{
	size_t start = c->pos;

	while (c->pos < c->n && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
		c->pos++;
	return c->pos - start;
}

static bool rbi_j_number(struct rbi_jcur *c)
{
	size_t start;

	if (rbi_j_peek(c, '-'))
		c->pos++;
	start = c->pos;
	if (!rbi_j_digits(c) || (c->s[start] == '0' && c->pos - start > 1))
		return false;
	if (rbi_j_peek(c, '.')) {
		c->pos++;
		if (!rbi_j_digits(c))
			return false;
	}
	if (rbi_j_peek(c, 'e') || rbi_j_peek(c, 'E')) {
		c->pos++;
		if (rbi_j_peek(c, '+') || rbi_j_peek(c, '-'))
			c->pos++;
		if (!rbi_j_digits(c))
			return false;
	}
	return true;
}

static bool rbi_j_lit(struct rbi_jcur *c, const char *lit)
{
	size_t n = strlen(lit);

	if (c->n - c->pos < n || memcmp(c->s + c->pos, lit, n))
		return false;
	c->pos += n;
	return true;
}

/* A scalar value; containers are handled by the caller's stack. */
static bool rbi_j_scalar(struct rbi_jcur *c, struct rbi_audit_jval *v)
{
	const char *p;
	size_t n;

	v->p = c->s + c->pos;
	switch (c->pos < c->n ? c->s[c->pos] : '\0') {
	case '"':
		if (!rbi_j_string(c, &p, &n))
			return false;
		v->type = RBI_AUDIT_JSTR;
		v->p = p;
		v->n = n;
		return true;
	case 't':
		v->type = RBI_AUDIT_JBOOL;
		v->n = 4;
		return rbi_j_lit(c, "true");
	case 'f':
		v->type = RBI_AUDIT_JBOOL;
		v->n = 5;
		return rbi_j_lit(c, "false");
	case 'n':
		v->type = RBI_AUDIT_JNULL;
		v->n = 4;
		return rbi_j_lit(c, "null");
	default:
		v->type = RBI_AUDIT_JNUM;
		if (!rbi_j_number(c))
			return false;
		v->n = (size_t)(c->s + c->pos - v->p);
		return true;
	}
}

/*
 * Validates a nested object or array starting at c->pos with an explicit
 * stack of open brackets instead of recursion.
 */
static bool rbi_j_container(struct rbi_jcur *c, struct rbi_audit_jval *v)
{
	char stack[RBI_AUDIT_JDEPTH_MAX];
	struct rbi_audit_jval tmp;
	const char *p;
	size_t depth = 0, n;
	bool ok;

	v->type = c->s[c->pos] == '{' ? RBI_AUDIT_JOBJ : RBI_AUDIT_JARR;
	v->p = c->s + c->pos;
	for (;;) {
		/* At a value position. */
		rbi_j_ws(c);
		if (rbi_j_peek(c, '{') || rbi_j_peek(c, '[')) {
			if (depth == RBI_AUDIT_JDEPTH_MAX)
				return false;
			stack[depth++] = c->s[c->pos++] == '{' ? '}' : ']';
			rbi_j_ws(c);
			if (rbi_j_peek(c, stack[depth - 1]))
				goto close;
			if (stack[depth - 1] == '}')
				goto key;
			continue;
		}
		if (!rbi_j_scalar(c, &tmp))
			return false;
next:
		rbi_j_ws(c);
		if (rbi_j_peek(c, ',')) {
			c->pos++;
			if (stack[depth - 1] == '}')
				goto key;
			continue;
		}
		if (!rbi_j_peek(c, stack[depth - 1]))
			return false;
close:
		c->pos++;
		if (--depth == 0) {
			v->n = (size_t)(c->s + c->pos - v->p);
			return true;
		}
		goto next;
key:
		rbi_j_ws(c);
		ok = rbi_j_string(c, &p, &n);
		rbi_j_ws(c);
		if (!ok || !rbi_j_peek(c, ':'))
			return false;
		c->pos++;
	}
}

static bool rbi_j_value(struct rbi_jcur *c, struct rbi_audit_jval *v)
{
	rbi_j_ws(c);
	if (rbi_j_peek(c, '{') || rbi_j_peek(c, '['))
		return rbi_j_container(c, v);
	return rbi_j_scalar(c, v);
}

static bool rbi_j_member(struct rbi_jcur *c, struct rbi_audit_jobj *o)
{
	struct rbi_audit_jfield *f;

	if (o->count == RBI_AUDIT_JFIELDS_MAX)
		return false;
	f = &o->f[o->count++];
	rbi_j_ws(c);
	if (!rbi_j_string(c, &f->key, &f->key_len))
		return false;
	rbi_j_ws(c);
	if (!rbi_j_peek(c, ':'))
		return false;
	c->pos++;
	return rbi_j_value(c, &f->v);
}

int rbi_audit_json_parse(const char *s, size_t n, struct rbi_audit_jobj *o)
{
	struct rbi_jcur c = { s, n, 0 };

	o->count = 0;
	rbi_j_ws(&c);
	if (!rbi_j_peek(&c, '{'))
		return RBI_AUDIT_EMALFORMED;
	c.pos++;
	rbi_j_ws(&c);
	if (rbi_j_peek(&c, '}')) {
		c.pos++;
	} else {
		for (;;) {
			if (!rbi_j_member(&c, o))
				return RBI_AUDIT_EMALFORMED;
			rbi_j_ws(&c);
			if (rbi_j_peek(&c, '}')) {
				c.pos++;
				break;
			}
			if (!rbi_j_peek(&c, ','))
				return RBI_AUDIT_EMALFORMED;
			c.pos++;
		}
	}
	rbi_j_ws(&c);
	return c.pos == n ? RBI_AUDIT_OK : RBI_AUDIT_EMALFORMED;
}

bool rbi_audit_json_next(const struct rbi_audit_jval *arr, size_t *pos,
			 struct rbi_audit_jval *v)
{
	struct rbi_jcur c = { arr->p, arr->n, *pos };

	if (arr->type != RBI_AUDIT_JARR)
		return false;
	if (!c.pos)
		c.pos = 1;
	rbi_j_ws(&c);
	if (rbi_j_peek(&c, ','))
		c.pos++;
	rbi_j_ws(&c);
	if (c.pos >= c.n || rbi_j_peek(&c, ']') || !rbi_j_value(&c, v))
		return false;
	*pos = c.pos;
	return true;
}

const struct rbi_audit_jval *rbi_audit_json_get(const struct rbi_audit_jobj *o,
						const char *key)
{
	size_t i, n = strlen(key);

	for (i = 0; i < o->count; i++)
		if (o->f[i].key_len == n && !memcmp(o->f[i].key, key, n))
			return &o->f[i].v;
	return NULL;
}

bool rbi_audit_json_eq(const struct rbi_audit_jval *v, const char *lit)
{
	return v && v->type == RBI_AUDIT_JSTR && v->n == strlen(lit) &&
	       !memcmp(v->p, lit, v->n);
}

static void rbi_j_put_utf8(struct rbi_buf *out, uint32_t cp)
{
	char b[4];

	if (cp < 0x80) {
		rbi_buf_addc(out, (char)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		rbi_buf_add(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		rbi_buf_add(out, b, 3);
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		rbi_buf_add(out, b, 4);
	}
}

/* Decodes the \u escape at s[i] ('u' first); returns the bytes used. */
static size_t rbi_j_unicode(const char *s, size_t n, size_t i, uint32_t *cp)
{
	uint32_t lo;

	rbi_j_hex4(s + i + 1, n - i - 1, cp);
	if (*cp >= 0xd800 && *cp <= 0xdbff && i + 11 <= n &&
	    s[i + 5] == '\\' && s[i + 6] == 'u' &&
	    rbi_j_hex4(s + i + 7, n - i - 7, &lo) &&
	    lo >= 0xdc00 && lo <= 0xdfff) {
		*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
		return 11;
	}
	/* A lone surrogate cannot be UTF-8. */
	if (*cp >= 0xd800 && *cp <= 0xdfff)
		*cp = 0xfffd;
	return 5;
}

bool rbi_audit_json_str(const struct rbi_audit_jval *v, struct rbi_buf *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *s, *e;
	size_t i = 0;
	uint32_t cp;

	if (!v || v->type != RBI_AUDIT_JSTR)
		return false;
	s = v->p;
	while (i < v->n) {
		e = memchr(s + i, '\\', v->n - i);
		if (!e) {
			rbi_buf_add(out, s + i, v->n - i);
			break;
		}
		rbi_buf_add(out, s + i, (size_t)(e - s) - i);
		i = (size_t)(e - s) + 1;
		if (s[i] == 'u') {
			i += rbi_j_unicode(s, v->n, i, &cp);
			rbi_j_put_utf8(out, cp);
		} else {
			rbi_buf_addc(out, to[strchr(from, s[i]) - from]);
			i++;
		}
	}
	return true;
}

bool rbi_audit_json_u64(const struct rbi_audit_jval *v, uint64_t *out)
{
	uint64_t r = 0;
	size_t i;

	if (!v || v->type != RBI_AUDIT_JNUM || !v->n || v->n > 20)
		return false;
	for (i = 0; i < v->n; i++) {
		if (v->p[i] < '0' || v->p[i] > '9' ||
		    r > (UINT64_MAX - (uint64_t)(v->p[i] - '0')) / 10)
			return false;
		r = r * 10 + (uint64_t)(v->p[i] - '0');
	}
	*out = r;
	return true;
}
