// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <inttypes.h>
#include <string.h>

#include "util/json.h"
#include "util/utf8.h"

void rbi_json_init(struct rbi_json *j, struct rbi_buf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->first[0] = true;
}

/* Separates a value from the previous one at this depth. */
static void rbi_json_sep(struct rbi_json *j)
{
	if (!j->first[j->depth])
		rbi_buf_addc(j->out, ',');
	j->first[j->depth] = false;
}

static void rbi_json_open(struct rbi_json *j, char c)
{
	rbi_json_sep(j);
	rbi_buf_addc(j->out, c);
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

void rbi_json_escape(struct rbi_buf *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;

	while (i < n) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			rbi_buf_addc(out, '\\');
			rbi_buf_addc(out, (char)c);
		} else if (c == '\n') {
			rbi_buf_adds(out, "\\n");
		} else if (c == '\r') {
			rbi_buf_adds(out, "\\r");
		} else if (c == '\t') {
			rbi_buf_adds(out, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			rbi_buf_printf(out, "\\u%04x", c);
		} else if (c >= 0x80) {
			k = rbi_utf8_seq(str + i, n - i);
			if (!k) {
				rbi_buf_adds(out, "\\ufffd");
				i++;
				continue;
			}
			rbi_buf_add(out, s + i, k);
			i += k;
			continue;
		} else {
			rbi_buf_addc(out, (char)c);
		}
		i++;
	}
}

void rbi_json_key(struct rbi_json *j, const char *key)
{
	rbi_json_sep(j);
	rbi_buf_addc(j->out, '"');
	rbi_json_escape(j->out, key, strlen(key));
	rbi_buf_adds(j->out, "\":");
	/* The value that follows must not get a separator of its own. */
	j->first[j->depth] = true;
}

void rbi_json_strn(struct rbi_json *j, const char *s, size_t n)
{
	rbi_json_sep(j);
	rbi_buf_addc(j->out, '"');
	rbi_json_escape(j->out, s, n);
	rbi_buf_addc(j->out, '"');
}

void rbi_json_str(struct rbi_json *j, const char *s)
{
	if (!s)
		rbi_json_null(j);
	else
		rbi_json_strn(j, s, strlen(s));
}

void rbi_json_int(struct rbi_json *j, int64_t v)
{
	rbi_json_sep(j);
	rbi_buf_printf(j->out, "%" PRId64, v);
}

void rbi_json_uint(struct rbi_json *j, uint64_t v)
{
	rbi_json_sep(j);
	rbi_buf_printf(j->out, "%" PRIu64, v);
}

void rbi_json_bool(struct rbi_json *j, bool v)
{
	rbi_json_sep(j);
	rbi_buf_adds(j->out, v ? "true" : "false");
}

void rbi_json_null(struct rbi_json *j)
{
	rbi_json_sep(j);
	rbi_buf_adds(j->out, "null");
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
