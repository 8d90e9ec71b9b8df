// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_text.h"

enum {
	/* "[" IPv6 "]:" port, with room for a zone ID and leading zeros. */
	RBI_TEXT_HOST_VALUE_BUF = RBI_NAME_BUF + 64,
	RBI_TEXT_PORT_MAX = 65535,
};

static bool rbi_text_ws(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* What an obs-fold is made of, between two pieces of a field value. */
static bool rbi_text_fold_char(uint8_t c)
{
	return rbi_text_ws(c) || c == '\r' || c == '\n';
}

static bool rbi_text_upper(uint8_t c)
{
	return c >= 'A' && c <= 'Z';
}

static bool rbi_text_alpha(uint8_t c)
{
	return rbi_text_upper(c) || (c >= 'a' && c <= 'z');
}

static bool rbi_text_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static bool rbi_text_in(uint8_t c, const char *set)
{
	for (; *set; set++)
		if (c == (uint8_t)*set)
			return true;
	return false;
}

/* RFC 9110 5.6.2 tchar. */
static bool rbi_text_tchar(uint8_t c)
{
	return rbi_text_alpha(c) || rbi_text_digit(c) ||
	       rbi_text_in(c, "!#$%&'*+-.^_`|~");
}

/* RFC 3986 reg-name: unreserved, sub-delims and '%' of pct-encoded. */
static bool rbi_text_reg_char(uint8_t c)
{
	return c >= 0x80 || rbi_text_alpha(c) || rbi_text_digit(c) ||
	       rbi_text_in(c, "-._~!$&'()*+,;=%");
}

/* Inside "[...]": IPv6 digits and separators, and a zone ID (RFC 6874). */
static bool rbi_text_ip6_char(uint8_t c)
{
	return rbi_text_alpha(c) || rbi_text_digit(c) ||
	       rbi_text_in(c, ":.%-_~");
}

static struct rbi_text_span rbi_text_sub(struct rbi_text_span s, size_t from,
					 size_t to)
{
	struct rbi_text_span r = { s.p + from, to - from };

	return r;
}

static enum rbi_parse_result rbi_text_short(const struct rbi_text_head *h)
{
	return h->capped ? RBI_PARSE_TOO_BIG : RBI_PARSE_NEED_MORE;
}

/* At most max bytes of buf: a head that needs more is TOO_BIG. */
static void rbi_text_head_init(struct rbi_text_head *h, const uint8_t *buf,
			       size_t len, size_t max)
{
	rbi_cur_init(&h->cur, buf, RBI_MIN(len, max));
	h->capped = len >= max;
}

/*
 * Takes the line at the cursor, without its CR LF or LF. A CR is only
 * allowed right before the LF; one that is the last byte so far may still
 * be, so it waits for more.
 */
static enum rbi_parse_result rbi_text_line(struct rbi_text_head *h,
					   struct rbi_text_span *line)
{
	const uint8_t *p = h->cur.p + h->cur.off;
	size_t left = rbi_cur_left(&h->cur), i;

	for (i = 0; i < left && p[i] != '\n'; i++)
		if (p[i] == '\r' && i + 1 < left && p[i + 1] != '\n')
			return RBI_PARSE_MALFORMED;
	if (i == left)
		return rbi_text_short(h);
	line->p = p;
	line->len = (i && p[i - 1] == '\r') ? i - 1 : i;
	rbi_cur_skip(&h->cur, i + 1);
	return RBI_PARSE_OK;
}

static enum rbi_parse_result rbi_text_skip_empty(struct rbi_text_head *h)
{
	struct rbi_text_span line;
	enum rbi_parse_result res;
	uint8_t c;

	while (rbi_cur_left(&h->cur)) {
		c = h->cur.p[h->cur.off];
		if (c != '\r' && c != '\n')
			return RBI_PARSE_OK;
		res = rbi_text_line(h, &line);
		if (res != RBI_PARSE_OK)
			return res == RBI_PARSE_MALFORMED ? RBI_PARSE_NOT_MINE :
							    res;
	}
	return rbi_text_short(h);
}

/* Looks at the method without taking it, so that it is known early. */
static enum rbi_parse_result rbi_text_method(const struct rbi_text_head *h,
					     struct rbi_text_span *m)
{
	const uint8_t *p = h->cur.p + h->cur.off;
	size_t left = rbi_cur_left(&h->cur), i;

	for (i = 0; i < left && i <= RBI_TEXT_METHOD_MAX; i++)
		if (!rbi_text_upper(p[i]) &&
		    !(i && (p[i] == '-' || p[i] == '_')))
			break;
	m->p = p;
	m->len = i;
	if (i > RBI_TEXT_METHOD_MAX)
		return RBI_PARSE_NOT_MINE;
	if (i == left)
		return rbi_text_short(h);
	if (i && (rbi_text_ws(p[i]) || p[i] == '\r' || p[i] == '\n'))
		return RBI_PARSE_OK;
	return RBI_PARSE_NOT_MINE;
}

/* Splits s on runs of SP and HTAB: how many words, the first, the last. */
static size_t rbi_text_words(struct rbi_text_span s,
			     struct rbi_text_span *first,
			     struct rbi_text_span *last)
{
	size_t i = 0, n = 0, start;

	for (;;) {
		while (i < s.len && rbi_text_ws(s.p[i]))
			i++;
		if (i == s.len)
			return n;
		start = i;
		while (i < s.len && !rbi_text_ws(s.p[i]))
			i++;
		*last = rbi_text_sub(s, start, i);
		if (!n++)
			*first = *last;
	}
}

/*
 * Checks a version word "<proto>/<digit>.<digit>" (case-sensitive, RFC 9112
 * 2.3): NOT_MINE when it names another protocol.
 */
static enum rbi_parse_result rbi_text_version(struct rbi_text_span v,
					      const char *proto,
					      struct rbi_text_reqline *rl)
{
	size_t n = rbi_strlen(proto);

	if (v.len <= n || rbi_memcmp(v.p, proto, n) || v.p[n] != '/')
		return RBI_PARSE_NOT_MINE;
	if (v.len != n + 4 || !rbi_text_digit(v.p[n + 1]) ||
	    v.p[n + 2] != '.' || !rbi_text_digit(v.p[n + 3]))
		return RBI_PARSE_MALFORMED;
	rl->major = v.p[n + 1] - '0';
	rl->minor = v.p[n + 3] - '0';
	return RBI_PARSE_OK;
}

/*
 * The version word says whose line this is, so it is read first: a line
 * without one is another text protocol (SMTP's "EHLO host", HTTP/0.9),
 * not a broken request.
 */
static enum rbi_parse_result rbi_text_words_check(struct rbi_text_span line,
						  const char *proto,
						  struct rbi_text_reqline *rl)
{
	struct rbi_text_span version;
	enum rbi_parse_result res;
	size_t n, i;

	n = rbi_text_words(line, &rl->target, &version);
	if (!n)
		return RBI_PARSE_NOT_MINE;
	res = rbi_text_version(version, proto, rl);
	if (res != RBI_PARSE_OK)
		return res;
	if (n != 2)
		return RBI_PARSE_MALFORMED;
	for (i = 0; i < line.len; i++)
		if ((line.p[i] < 0x20 && line.p[i] != '\t') ||
		    line.p[i] == 0x7f)
			return RBI_PARSE_MALFORMED;
	return RBI_PARSE_OK;
}

enum rbi_parse_result rbi_text_request_line(struct rbi_text_head *h,
					    const char *proto,
					    struct rbi_text_reqline *rl)
{
	struct rbi_text_span line;
	enum rbi_parse_result res;

	rl->method.p = NULL;
	rl->method.len = 0;
	rl->method_done = false;
	res = rbi_text_skip_empty(h);
	if (res != RBI_PARSE_OK)
		return res;
	res = rbi_text_method(h, &rl->method);
	if (res != RBI_PARSE_OK)
		return res;
	rl->method_done = true;
	res = rbi_text_line(h, &line);
	if (res != RBI_PARSE_OK)
		return res;
	return rbi_text_words_check(rbi_text_sub(line, rl->method.len,
						 line.len), proto, rl);
}

/* Trims SP, HTAB and the CR LF of folds from both ends of s. */
static struct rbi_text_span rbi_text_trim(struct rbi_text_span s)
{
	while (s.len && rbi_text_fold_char(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && rbi_text_fold_char(s.p[s.len - 1]))
		s.len--;
	return s;
}

/* Takes the continuation lines of the field ending at *end. */
static enum rbi_parse_result rbi_text_fold(struct rbi_text_head *h,
					   const uint8_t **end)
{
	struct rbi_text_span line;
	enum rbi_parse_result res;

	for (;;) {
		if (!rbi_cur_left(&h->cur))
			return rbi_text_short(h);
		if (!rbi_text_ws(h->cur.p[h->cur.off]))
			return RBI_PARSE_OK;
		res = rbi_text_line(h, &line);
		if (res != RBI_PARSE_OK)
			return res;
		*end = line.p + line.len;
	}
}

/* Reads one field; f->name.len is 0 at the blank line ending the head. */
static enum rbi_parse_result rbi_text_field(struct rbi_text_head *h,
					    struct rbi_text_field *f)
{
	struct rbi_text_span line;
	enum rbi_parse_result res;
	const uint8_t *end;
	size_t i;

	res = rbi_text_line(h, &line);
	if (res != RBI_PARSE_OK)
		return res;
	f->name = rbi_text_sub(line, 0, 0);
	if (!line.len)
		return RBI_PARSE_OK;
	for (i = 0; i < line.len && rbi_text_tchar(line.p[i]); i++)
		;
	if (!i || i == line.len || line.p[i] != ':')
		return RBI_PARSE_MALFORMED;
	end = line.p + line.len;
	res = rbi_text_fold(h, &end);
	if (res != RBI_PARSE_OK)
		return res;
	f->name = rbi_text_sub(line, 0, i);
	f->value.p = line.p + i + 1;
	f->value.len = (size_t)(end - f->value.p);
	f->value = rbi_text_trim(f->value);
	return RBI_PARSE_OK;
}

enum rbi_parse_result rbi_text_parse(const struct rbi_text_proto *proto,
				     const uint8_t *buf, size_t len,
				     void *req, size_t *head_len)
{
	struct rbi_text_field f;
	struct rbi_text_head h;
	enum rbi_parse_result res;

	rbi_text_head_init(&h, buf, len, proto->head_max);
	res = proto->request_line(&h, req);
	if (res != RBI_PARSE_OK)
		return res;
	for (;;) {
		res = rbi_text_field(&h, &f);
		if (res != RBI_PARSE_OK)
			return res;
		if (!f.name.len)
			break;
		res = proto->field(req, &f);
		if (res != RBI_PARSE_OK)
			return res;
	}
	*head_len = h.cur.off;
	return RBI_PARSE_OK;
}

/* The next comma-separated token of *s, trimmed; false at the end. */
static bool rbi_text_token(struct rbi_text_span *s, struct rbi_text_span *tok)
{
	size_t i = 0;

	if (!s->len)
		return false;
	while (i < s->len && s->p[i] != ',')
		i++;
	*tok = rbi_text_trim(rbi_text_sub(*s, 0, i));
	*s = i < s->len ? rbi_text_sub(*s, i + 1, s->len) :
			  rbi_text_sub(*s, s->len, s->len);
	return true;
}

static enum rbi_parse_result rbi_text_length(struct rbi_text_span v,
					     struct rbi_text_body *b)
{
	uint64_t n = 0;
	size_t i;

	if (!v.len)
		return RBI_PARSE_MALFORMED;
	for (i = 0; i < v.len; i++) {
		/* A list ("5, 5") is read alike by few: call it a conflict. */
		if (v.p[i] == ',' || rbi_text_fold_char(v.p[i])) {
			b->length_conflict = true;
			return RBI_PARSE_OK;
		}
		if (!rbi_text_digit(v.p[i]) || n > (~(uint64_t)0 - 9) / 10)
			return RBI_PARSE_MALFORMED;
		n = n * 10 + (uint64_t)(v.p[i] - '0');
	}
	if (b->has_length && b->length != n)
		b->length_conflict = true;
	b->length = n;
	b->has_length = true;
	return RBI_PARSE_OK;
}

/*
 * Transfer codings in order across every field: the message is chunked
 * when the last one is chunked and no other one is (RFC 9112 6.1).
 */
static void rbi_text_codings(struct rbi_text_span v, struct rbi_text_body *b)
{
	struct rbi_text_span tok;

	while (rbi_text_token(&v, &tok)) {
		if (!tok.len)
			continue;
		if (rbi_text_is(tok, "chunked") && !b->chunked &&
		    !b->coding_other) {
			b->chunked = true;
			continue;
		}
		b->chunked = false;
		b->coding_other = true;
	}
}

static void rbi_text_upgrade(struct rbi_text_span v, struct rbi_text_body *b)
{
	struct rbi_text_span tok;

	b->upgrade = true;
	while (rbi_text_token(&v, &tok))
		if (rbi_text_is(tok, "h2c"))
			b->h2c = true;
}

enum rbi_parse_result rbi_text_body_field(const struct rbi_text_field *f,
					  struct rbi_text_body *b)
{
	if (rbi_text_is(f->name, "content-length"))
		return rbi_text_length(f->value, b);
	if (rbi_text_is(f->name, "transfer-encoding"))
		rbi_text_codings(f->value, b);
	else if (rbi_text_is(f->name, "upgrade"))
		rbi_text_upgrade(f->value, b);
	return RBI_PARSE_OK;
}

bool rbi_text_is(struct rbi_text_span s, const char *lit)
{
	size_t i;

	if (s.len != rbi_strlen(lit))
		return false;
	for (i = 0; i < s.len; i++)
		if (rbi_tolower((char)s.p[i]) != rbi_tolower(lit[i]))
			return false;
	return true;
}

bool rbi_text_uint(struct rbi_text_span s, uint32_t max, uint32_t *v)
{
	uint32_t n = 0, d;
	size_t i;

	if (!s.len)
		return false;
	for (i = 0; i < s.len; i++) {
		if (!rbi_text_digit(s.p[i]))
			return false;
		d = s.p[i] - '0';
		if (n > (max - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*v = n;
	return true;
}

static void rbi_text_set_name(struct rbi_text_host *h, struct rbi_text_span s)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		h->name[i] = rbi_tolower((char)s.p[i]);
	h->name[s.len] = '\0';
	h->len = s.len;
}

static enum rbi_parse_result rbi_text_reg_name(struct rbi_text_span s,
					       struct rbi_text_host *h)
{
	size_t i;

	if (s.len && s.p[s.len - 1] == '.') {
		s.len--;
		/* "." alone, or "a..": an empty last label. */
		if (!s.len || s.p[s.len - 1] == '.')
			return RBI_PARSE_MALFORMED;
	}
	if (s.len > RBI_NAME_MAX)
		return RBI_PARSE_MALFORMED;
	for (i = 0; i < s.len; i++) {
		if (!rbi_text_reg_char(s.p[i]))
			return RBI_PARSE_MALFORMED;
		if (s.p[i] == '.' && (!i || s.p[i - 1] == '.'))
			return RBI_PARSE_MALFORMED;
	}
	rbi_text_set_name(h, s);
	return RBI_PARSE_OK;
}

static enum rbi_parse_result rbi_text_ip_literal(struct rbi_text_span s,
						 struct rbi_text_host *h)
{
	bool colon = false;
	size_t i;

	if (s.len > RBI_NAME_MAX)
		return RBI_PARSE_MALFORMED;
	for (i = 0; i < s.len; i++) {
		if (!rbi_text_ip6_char(s.p[i]))
			return RBI_PARSE_MALFORMED;
		colon |= s.p[i] == ':';
	}
	if (!colon)
		return RBI_PARSE_MALFORMED;
	rbi_text_set_name(h, s);
	h->ipv6 = true;
	return RBI_PARSE_OK;
}

enum rbi_parse_result rbi_text_host(struct rbi_text_span s,
				    struct rbi_text_host *h)
{
	enum rbi_parse_result res;
	uint32_t port;
	size_t n;

	h->name[0] = '\0';
	h->len = 0;
	h->port = 0;
	h->ipv6 = false;
	if (s.len && s.p[0] == '[') {
		for (n = 1; n < s.len && s.p[n] != ']'; n++)
			;
		if (n == s.len)
			return RBI_PARSE_MALFORMED;
		res = rbi_text_ip_literal(rbi_text_sub(s, 1, n), h);
		n++;
	} else {
		for (n = 0; n < s.len && s.p[n] != ':'; n++)
			;
		res = rbi_text_reg_name(rbi_text_sub(s, 0, n), h);
	}
	if (res != RBI_PARSE_OK || n == s.len)
		return res;
	if (s.p[n] != ':' || !h->len)
		return RBI_PARSE_MALFORMED;
	/* RFC 3986 3.2.3: an empty port is the same as none. */
	if (n + 1 == s.len)
		return RBI_PARSE_OK;
	if (!rbi_text_uint(rbi_text_sub(s, n + 1, s.len), RBI_TEXT_PORT_MAX,
			   &port) || !port)
		return RBI_PARSE_MALFORMED;
	h->port = (uint16_t)port;
	return RBI_PARSE_OK;
}

enum rbi_parse_result rbi_text_host_field(struct rbi_text_span v,
					  struct rbi_text_host *h)
{
	char buf[RBI_TEXT_HOST_VALUE_BUF];
	struct rbi_text_span s;
	size_t len = 0;

	buf[0] = '\0';
	/* Too long to unfold is too long to be a host. */
	if (!rbi_text_append(buf, sizeof(buf), &len, v))
		return RBI_PARSE_MALFORMED;
	s.p = (const uint8_t *)buf;
	s.len = len;
	return rbi_text_host(s, h);
}

bool rbi_text_host_same(const struct rbi_text_host *a,
			const struct rbi_text_host *b)
{
	return a->len == b->len && a->ipv6 == b->ipv6 &&
	       !rbi_memcmp(a->name, b->name, a->len);
}

/* RFC 3986 3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
static size_t rbi_text_scheme_len(struct rbi_text_span t)
{
	size_t i;

	if (!t.len || !rbi_text_alpha(t.p[0]))
		return 0;
	for (i = 1; i < t.len; i++)
		if (!rbi_text_alpha(t.p[i]) && !rbi_text_digit(t.p[i]) &&
		    !rbi_text_in(t.p[i], "+-."))
			break;
	return i;
}

enum rbi_parse_result rbi_text_url(struct rbi_text_span t,
				   struct rbi_text_span *scheme,
				   struct rbi_text_host *host,
				   struct rbi_text_span *rest)
{
	static const uint8_t root[] = "/";
	enum rbi_parse_result res;
	size_t i, start, end;

	i = rbi_text_scheme_len(t);
	if (!i || t.len - i < 3 || rbi_memcmp(t.p + i, "://", 3))
		return RBI_PARSE_MALFORMED;
	*scheme = rbi_text_sub(t, 0, i);
	start = i + 3;
	for (end = start; end < t.len && !rbi_text_in(t.p[end], "/?#"); end++)
		if (t.p[end] == '@')
			start = end + 1;
	res = rbi_text_host(rbi_text_sub(t, start, end), host);
	if (res != RBI_PARSE_OK)
		return res;
	if (!host->len)
		return RBI_PARSE_MALFORMED;
	*rest = rbi_text_sub(t, end, t.len);
	if (!rest->len) {
		rest->p = root;
		rest->len = 1;
	}
	return RBI_PARSE_OK;
}

bool rbi_text_append(char *dst, size_t cap, size_t *len,
		     struct rbi_text_span s)
{
	size_t i = 0, n = *len;

	while (i < s.len && n + 1 < cap) {
		if (s.p[i] != '\r' && s.p[i] != '\n') {
			dst[n++] = s.p[i] ? (char)s.p[i] : ' ';
			i++;
			continue;
		}
		while (i < s.len && rbi_text_fold_char(s.p[i]))
			i++;
		dst[n++] = ' ';
	}
	dst[n] = '\0';
	*len = n;
	return i == s.len;
}
