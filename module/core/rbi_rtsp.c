// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_rtsp.h"

static const char *const rbi_rtsp_methods[__RBI_RTSP_METHOD_MAX] = {
	[RBI_RTSP_ANNOUNCE] = "ANNOUNCE",
	[RBI_RTSP_DESCRIBE] = "DESCRIBE",
	[RBI_RTSP_GET_PARAMETER] = "GET_PARAMETER",
	[RBI_RTSP_OPTIONS] = "OPTIONS",
	[RBI_RTSP_PAUSE] = "PAUSE",
	[RBI_RTSP_PLAY] = "PLAY",
	[RBI_RTSP_PLAY_NOTIFY] = "PLAY_NOTIFY",
	[RBI_RTSP_RECORD] = "RECORD",
	[RBI_RTSP_REDIRECT] = "REDIRECT",
	[RBI_RTSP_SETUP] = "SETUP",
	[RBI_RTSP_SET_PARAMETER] = "SET_PARAMETER",
	[RBI_RTSP_TEARDOWN] = "TEARDOWN",
};

static const struct {
	const char *name;
	uint16_t port;
} rbi_rtsp_schemes[__RBI_RTSP_SCHEME_MAX] = {
	[RBI_RTSP_SCHEME_NONE] = { "", 0 },
	[RBI_RTSP_SCHEME_RTSP] = { "rtsp", RBI_RTSP_PORT },
	[RBI_RTSP_SCHEME_RTSPS] = { "rtsps", RBI_RTSPS_PORT },
	[RBI_RTSP_SCHEME_RTSPU] = { "rtspu", RBI_RTSP_PORT },
};

const char *rbi_rtsp_method_name(enum rbi_rtsp_method m)
{
	return (unsigned int)m < __RBI_RTSP_METHOD_MAX ? rbi_rtsp_methods[m] :
							  "?";
}

/*
 * Finds the method that m is or, when m may still grow, could become:
 * methods are case-sensitive (RFC 7826 20.2.2), and knowing them all is
 * what lets a stream that starts with "GET " be turned away at once.
 */
static bool rbi_rtsp_method_find(struct rbi_text_span m, bool whole,
				 enum rbi_rtsp_method *out)
{
	size_t n;
	int i;

	if (!m.len)
		return !whole;
	for (i = 0; i < __RBI_RTSP_METHOD_MAX; i++) {
		n = rbi_strlen(rbi_rtsp_methods[i]);
		if (m.len > n || (whole && m.len != n) ||
		    rbi_memcmp(m.p, rbi_rtsp_methods[i], m.len))
			continue;
		*out = (enum rbi_rtsp_method)i;
		return true;
	}
	return false;
}

static enum rbi_rtsp_scheme rbi_rtsp_scheme(struct rbi_text_span s)
{
	int i;

	for (i = RBI_RTSP_SCHEME_NONE + 1; i < __RBI_RTSP_SCHEME_MAX; i++)
		if (rbi_text_is(s, rbi_rtsp_schemes[i].name))
			return (enum rbi_rtsp_scheme)i;
	return RBI_RTSP_SCHEME_NONE;
}

static enum rbi_parse_result rbi_rtsp_target(struct rbi_rtsp_req *r,
					     struct rbi_text_span t)
{
	struct rbi_text_span scheme, rest = t;
	enum rbi_parse_result res;

	if (t.len != 1 || t.p[0] != '*') {
		res = rbi_text_url(t, &scheme, &r->host, &rest);
		if (res != RBI_PARSE_OK)
			return res;
		r->scheme = rbi_rtsp_scheme(scheme);
		if (r->scheme == RBI_RTSP_SCHEME_NONE)
			return RBI_PARSE_MALFORMED;
		if (!r->host.port)
			r->host.port = rbi_rtsp_schemes[r->scheme].port;
		r->has_host = true;
	}
	r->path_truncated = !rbi_text_append(r->path, sizeof(r->path),
					     &r->path_len, rest);
	return RBI_PARSE_OK;
}

static enum rbi_parse_result rbi_rtsp_request_line(struct rbi_text_head *h,
						   void *req)
{
	struct rbi_rtsp_req *r = req;
	struct rbi_text_reqline rl;
	enum rbi_parse_result res;

	res = rbi_text_request_line(h, "RTSP", &rl);
	if (res == RBI_PARSE_NOT_MINE)
		return res;
	if (!rbi_rtsp_method_find(rl.method, rl.method_done, &r->method))
		return RBI_PARSE_NOT_MINE;
	if (res != RBI_PARSE_OK)
		return res;
	if ((rl.major != 1 && rl.major != 2) || rl.minor)
		return RBI_PARSE_MALFORMED;
	r->version_major = rl.major;
	r->version_minor = rl.minor;
	return rbi_rtsp_target(r, rl.target);
}

static void rbi_rtsp_transport(struct rbi_rtsp_req *r, struct rbi_text_span v)
{
	static const struct rbi_text_span comma = {
		(const uint8_t *)",", 1
	};
	bool whole;

	whole = !r->has_transport ||
		rbi_text_append(r->transport, sizeof(r->transport),
				&r->transport_len, comma);
	whole = whole && rbi_text_append(r->transport, sizeof(r->transport),
					 &r->transport_len, v);
	r->transport_truncated |= !whole;
	r->has_transport = true;
}

static enum rbi_parse_result rbi_rtsp_field(void *ctx,
					    const struct rbi_text_field *f)
{
	struct rbi_rtsp_req *r = ctx;

	if (rbi_text_is(f->name, "cseq")) {
		if (r->has_cseq || !rbi_text_uint(f->value, 0xffffffffu,
						  &r->cseq))
			return RBI_PARSE_MALFORMED;
		r->has_cseq = true;
	} else if (rbi_text_is(f->name, "transport")) {
		rbi_rtsp_transport(r, f->value);
	} else {
		return rbi_text_body_field(f, &r->body);
	}
	return RBI_PARSE_OK;
}

static const struct rbi_text_proto rbi_rtsp_proto = {
	.head_max = RBI_RTSP_HEAD_MAX,
	.request_line = rbi_rtsp_request_line,
	.field = rbi_rtsp_field,
};

enum rbi_parse_result rbi_rtsp_parse_request(const uint8_t *buf, size_t len,
					     struct rbi_rtsp_req *r)
{
	rbi_memset(r, 0, sizeof(*r));
	return rbi_text_parse(&rbi_rtsp_proto, buf, len, r, &r->head_len);
}
