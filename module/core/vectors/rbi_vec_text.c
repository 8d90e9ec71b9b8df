// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_vec_text.h"
#include "rbi_vectors.h"

static size_t rbi_vec_text_len(const struct rbi_vec_text_in *in)
{
	return in->head_len + in->pad + (in->tail ? rbi_strlen(in->tail) : 0);
}

/* All of the input in a buffer of exactly its size, like every prefix. */
static uint8_t *rbi_vec_text_build(const struct rbi_vec_text_in *in,
				   size_t len)
{
	uint8_t *buf = rbi_zalloc(len);

	if (!buf)
		return NULL;
	rbi_memcpy(buf, in->head, in->head_len);
	rbi_memset(buf + in->head_len, 'a', in->pad);
	if (in->tail)
		rbi_memcpy(buf + in->head_len + in->pad, in->tail,
			   len - in->head_len - in->pad);
	return buf;
}

/*
 * Every strict prefix, each in a buffer of its own size so that reading
 * past it is caught; up to the head for a valid one, since a prefix that
 * holds the whole head is the whole request again.
 */
static int rbi_vec_text_prefixes(const struct rbi_vec_text_ops *ops,
				 const uint8_t *buf, size_t end,
				 enum rbi_parse_result want, void *req,
				 char *why, size_t why_len)
{
	enum rbi_parse_result res;
	uint8_t *cut;
	size_t n;

	for (n = 0; n < end; n++) {
		cut = rbi_vec_dup(buf, n);
		if (!cut) {
			rbi_snprintf(why, why_len, "out of memory");
			return -1;
		}
		res = ops->parse(cut, n, req);
		rbi_free(cut);
		if (res == RBI_PARSE_NEED_MORE ||
		    (res == want && want != RBI_PARSE_OK))
			continue;
		rbi_snprintf(why, why_len, "prefix of %zu bytes: %s", n,
			     rbi_parse_result_name(res));
		return -1;
	}
	return 0;
}

static int rbi_vec_text_run(const struct rbi_vec_text_ops *ops, size_t i,
			    const struct rbi_vec_text_in *in,
			    const uint8_t *buf, size_t len, void *req,
			    char *why, size_t why_len)
{
	enum rbi_parse_result res = ops->parse(buf, len, req);
	size_t end = len;

	if (res != in->want) {
		rbi_snprintf(why, why_len, "result %s, want %s",
			     rbi_parse_result_name(res),
			     rbi_parse_result_name(in->want));
		return -1;
	}
	if (res == RBI_PARSE_OK) {
		end = len - in->body;
		if (rbi_vec_text_num("head_len", ops->head_len(req), end, why,
				     why_len) ||
		    ops->fields(i, req, why, why_len))
			return -1;
	}
	return rbi_vec_text_prefixes(ops, buf, end, in->want, req, why,
				     why_len);
}

int rbi_vec_text_check(const struct rbi_vec_text_ops *ops, size_t i,
		       const struct rbi_vec_text_in *in, char *why,
		       size_t why_len)
{
	size_t len = rbi_vec_text_len(in);
	uint8_t *buf = rbi_vec_text_build(in, len);
	void *req = rbi_zalloc(ops->req_size);
	int ret = -1;

	if (buf && req)
		ret = rbi_vec_text_run(ops, i, in, buf, len, req, why, why_len);
	else
		rbi_snprintf(why, why_len, "out of memory");
	rbi_free(req);
	rbi_free(buf);
	return ret;
}

int rbi_vec_text_num(const char *what, unsigned long got, unsigned long want,
		     char *why, size_t why_len)
{
	if (got == want)
		return 0;
	rbi_snprintf(why, why_len, "%s %lu, want %lu", what, got, want);
	return -1;
}

int rbi_vec_text_str(const char *what, const char *got, const char *want,
		     char *why, size_t why_len)
{
	size_t n = rbi_strlen(want);

	if (rbi_strlen(got) == n && !rbi_memcmp(got, want, n))
		return 0;
	rbi_snprintf(why, why_len, "%s \"%s\", want \"%s\"", what, got, want);
	return -1;
}

int rbi_vec_text_host(const char *got, bool has, const char *want,
		      char *why, size_t why_len)
{
	if (!want && !has)
		return 0;
	if (!want || !has) {
		rbi_snprintf(why, why_len, "host \"%s\" (%s), want %s", got,
			     has ? "set" : "unset", want ? want : "none");
		return -1;
	}
	return rbi_vec_text_str("host", got, want, why, why_len);
}

int rbi_vec_text_cut(const char *what, const char *got, size_t got_len,
		     bool got_cut, const char *want, bool cut, size_t max,
		     char *why, size_t why_len)
{
	size_t n = rbi_strlen(want);

	if (rbi_vec_text_num(what, got_cut, cut, why, why_len) ||
	    rbi_vec_text_num(what, got_len, cut ? max : n, why, why_len))
		return -1;
	if (got_len >= n && !rbi_memcmp(got, want, n) && !got[got_len])
		return 0;
	rbi_snprintf(why, why_len, "%s \"%s\", want \"%s\"%s", what, got, want,
		     cut ? "..." : "");
	return -1;
}
