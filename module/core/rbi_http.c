// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_http.h"

static void rbi_http_path(struct rbi_http_req *r, struct rbi_text_span s)
{
	r->path_truncated = !rbi_text_append(r->path, sizeof(r->path),
					     &r->path_len, s);
}

static enum rbi_parse_result rbi_http_target(struct rbi_http_req *r,
					     struct rbi_text_span t)
{
	struct rbi_text_span scheme, rest;
	enum rbi_parse_result res;

	if (!rbi_memcmp(r->method, "CONNECT", sizeof("CONNECT"))) {
		r->form = RBI_HTTP_FORM_AUTHORITY;
		res = rbi_text_host(t, &r->host);
		/* RFC 9112 3.2.3: authority-form always names its port. */
		if (res == RBI_PARSE_OK && (!r->host.len || !r->host.port))
			res = RBI_PARSE_MALFORMED;
		r->has_host = res == RBI_PARSE_OK;
		return res;
	}
	if (t.p[0] == '/') {
		r->form = RBI_HTTP_FORM_ORIGIN;
		rbi_http_path(r, t);
		return RBI_PARSE_OK;
	}
	if (t.len == 1 && t.p[0] == '*') {
		r->form = RBI_HTTP_FORM_ASTERISK;
		rbi_http_path(r, t);
		return RBI_PARSE_OK;
	}
	r->form = RBI_HTTP_FORM_ABSOLUTE;
	res = rbi_text_url(t, &scheme, &r->host, &rest);
	if (res != RBI_PARSE_OK)
		return res;
	r->has_host = true;
	rbi_http_path(r, rest);
	return RBI_PARSE_OK;
}

static enum rbi_parse_result rbi_http_request_line(struct rbi_text_head *h,
						   void *req)
{
	struct rbi_http_req *r = req;
	struct rbi_text_reqline rl;
	enum rbi_parse_result res;
	size_t len = 0;

	res = rbi_text_request_line(h, "HTTP", &rl);
	if (res != RBI_PARSE_OK)
		return res;
	if (rl.major != 1)
		return RBI_PARSE_NOT_MINE;
	r->version_major = rl.major;
	r->version_minor = rl.minor;
	rbi_text_append(r->method, sizeof(r->method), &len, rl.method);
	return rbi_http_target(r, rl.target);
}

static enum rbi_parse_result rbi_http_host_field(struct rbi_http_req *r,
						 struct rbi_text_span v)
{
	struct rbi_text_host seen;
	enum rbi_parse_result res;

	res = rbi_text_host_field(v, &seen);
	if (res != RBI_PARSE_OK)
		return res;
	r->host_fields++;
	if (!r->has_host) {
		r->host = seen;
		r->has_host = true;
	} else if (!rbi_text_host_same(&r->host, &seen)) {
		r->host_conflict = true;
	}
	return RBI_PARSE_OK;
}

static enum rbi_parse_result rbi_http_field(void *ctx,
					    const struct rbi_text_field *f)
{
	struct rbi_http_req *r = ctx;

	if (rbi_text_is(f->name, "host"))
		return rbi_http_host_field(r, f->value);
	return rbi_text_body_field(f, &r->body);
}

static const struct rbi_text_proto rbi_http_proto = {
	.head_max = RBI_HTTP_HEAD_MAX,
	.request_line = rbi_http_request_line,
	.field = rbi_http_field,
};

enum rbi_parse_result rbi_http_parse_request(const uint8_t *buf, size_t len,
					     struct rbi_http_req *r)
{
	rbi_memset(r, 0, sizeof(*r));
	return rbi_text_parse(&rbi_http_proto, buf, len, r, &r->head_len);
}
