// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "../rbi_rtsp.h"
#include "rbi_vec_text.h"
#include "rbi_vectors.h"

struct rbi_vec_rtsp_case {
	const char *name;
	struct rbi_vec_text_in in;
	/* What an OK result must hold. */
	enum rbi_rtsp_method method;
	enum rbi_rtsp_scheme scheme;
	const char *host;		/* NULL: no host */
	uint16_t port;
	bool ipv6;
	const char *path;
	bool path_cut;
	bool no_cseq;
	uint32_t cseq;
	const char *transport;		/* NULL: no Transport */
	bool transport_cut;
	uint8_t major;
};

static const struct rbi_vec_rtsp_case rbi_vec_rtsp_cases[] = {
	{
		.name = "options_asterisk",
		.in = { RBI_VEC_TEXT("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n") },
		.method = RBI_RTSP_OPTIONS, .path = "*", .cseq = 1,
		.major = 1,
	},
	{
		.name = "describe",
		.in = { RBI_VEC_TEXT("DESCRIBE rtsp://cam.example/stream1 "
				     "RTSP/1.0\r\nCSeq: 2\r\n"
				     "Accept: application/sdp\r\n\r\n") },
		.method = RBI_RTSP_DESCRIBE, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/stream1",
		.cseq = 2, .major = 1,
	},
	{
		.name = "setup_transport",
		.in = { RBI_VEC_TEXT("SETUP rtsp://10.20.0.5:8554/live/trackID=1"
				     " RTSP/1.0\r\nCSeq: 3\r\n"
				     "Transport: RTP/AVP;unicast;"
				     "client_port=8000-8001\r\n\r\n") },
		.method = RBI_RTSP_SETUP, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "10.20.0.5", .port = 8554, .path = "/live/trackID=1",
		.cseq = 3, .transport = "RTP/AVP;unicast;client_port=8000-8001",
		.major = 1,
	},
	{
		.name = "setup_interleaved_transport",
		.in = { RBI_VEC_TEXT("SETUP rtsp://cam.example/s/trackID=0 "
				     "RTSP/1.0\r\ncseq: 4\r\n"
				     "transport: RTP/AVP/TCP;unicast;"
				     "interleaved=0-1\r\n\r\n") },
		.method = RBI_RTSP_SETUP, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/s/trackID=0",
		.cseq = 4, .transport = "RTP/AVP/TCP;unicast;interleaved=0-1",
		.major = 1,
	},
	{
		.name = "play",
		.in = { RBI_VEC_TEXT("PLAY rtsp://cam.example/stream1 "
				     "RTSP/1.0\r\n"
				     "CSeq: 5\r\nSession: 12345678\r\n"
				     "Range: npt=0.000-\r\n\r\n") },
		.method = RBI_RTSP_PLAY, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/stream1",
		.cseq = 5, .major = 1,
	},
	{
		.name = "teardown",
		.in = { RBI_VEC_TEXT("TEARDOWN rtsp://cam.example/stream1 "
				     "RTSP/1.0\r\nCSeq: 6\r\n"
				     "Session: 12345678\r\n\r\n") },
		.method = RBI_RTSP_TEARDOWN, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/stream1",
		.cseq = 6, .major = 1,
	},
	{
		.name = "get_parameter_keepalive",
		.in = { RBI_VEC_TEXT("GET_PARAMETER rtsp://cam.example/ RTSP/1.0"
				     "\r\nCSeq: 7\r\n\r\n") },
		.method = RBI_RTSP_GET_PARAMETER,
		.scheme = RBI_RTSP_SCHEME_RTSP, .host = "cam.example",
		.port = 554, .path = "/", .cseq = 7, .major = 1,
	},
	{
		.name = "announce_with_body",
		.in = { RBI_VEC_TEXT("ANNOUNCE rtsp://fr.example/push RTSP/1.0"
				     "\r\nCSeq: 8\r\n"
				     "Content-Type: application/sdp\r\n"
				     "Content-Length: 4\r\n\r\nv=0\n"),
			.body = 4 },
		.method = RBI_RTSP_ANNOUNCE, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "fr.example", .port = 554, .path = "/push", .cseq = 8,
		.major = 1,
	},
	{
		.name = "rtsps_default_port",
		.in = { RBI_VEC_TEXT("DESCRIBE rtsps://cam.example/s RTSP/1.0\r\n"
				     "CSeq: 9\r\n\r\n") },
		.method = RBI_RTSP_DESCRIBE, .scheme = RBI_RTSP_SCHEME_RTSPS,
		.host = "cam.example", .port = 322, .path = "/s", .cseq = 9,
		.major = 1,
	},
	{
		.name = "rtspu",
		.in = { RBI_VEC_TEXT("DESCRIBE rtspu://cam.example:5554/s "
				     "RTSP/1.0\r\nCSeq: 10\r\n\r\n") },
		.method = RBI_RTSP_DESCRIBE, .scheme = RBI_RTSP_SCHEME_RTSPU,
		.host = "cam.example", .port = 5554, .path = "/s", .cseq = 10,
		.major = 1,
	},
	{
		.name = "scheme_and_host_upper_case",
		.in = { RBI_VEC_TEXT("DESCRIBE RTSP://CAM.Example./Live RTSP/1.0"
				     "\r\nCSeq: 11\r\n\r\n") },
		.method = RBI_RTSP_DESCRIBE, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/Live",
		.cseq = 11, .major = 1,
	},
	{
		.name = "ipv6",
		.in = { RBI_VEC_TEXT("DESCRIBE rtsp://[2001:db8::7]/s "
				     "RTSP/1.0\r\n"
				     "CSeq: 12\r\n\r\n") },
		.method = RBI_RTSP_DESCRIBE, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "2001:db8::7", .port = 554, .ipv6 = true, .path = "/s",
		.cseq = 12, .major = 1,
	},
	{
		.name = "ipv6_port",
		.in = { RBI_VEC_TEXT("PLAY rtsp://[FE80::1]:8554 RTSP/1.0\r\n"
				     "CSeq: 13\r\n\r\n") },
		.method = RBI_RTSP_PLAY, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "fe80::1", .port = 8554, .ipv6 = true, .path = "/",
		.cseq = 13, .major = 1,
	},
	{
		.name = "userinfo",
		.in = { RBI_VEC_TEXT("DESCRIBE rtsp://admin:12345@cam.example:554"
				     "/h264/ch1/main/av_stream RTSP/1.0\r\n"
				     "CSeq: 14\r\n\r\n") },
		.method = RBI_RTSP_DESCRIBE, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554,
		.path = "/h264/ch1/main/av_stream", .cseq = 14, .major = 1,
	},
	{
		.name = "rtsp20",
		.in = { RBI_VEC_TEXT("DESCRIBE rtsp://cam.example/s RTSP/2.0\r\n"
				     "CSeq: 15\r\n"
				     "Accept-Ranges: npt, utc\r\n\r\n") },
		.method = RBI_RTSP_DESCRIBE, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/s", .cseq = 15,
		.major = 2,
	},
	{
		.name = "play_notify_rtsp20",
		.in = { RBI_VEC_TEXT("PLAY_NOTIFY rtsp://cam.example/s RTSP/2.0"
				     "\r\nCSeq: 16\r\n\r\n") },
		.method = RBI_RTSP_PLAY_NOTIFY, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/s", .cseq = 16,
		.major = 2,
	},
	{
		.name = "cseq_max",
		.in = { RBI_VEC_TEXT("OPTIONS * RTSP/1.0\r\n"
				     "CSeq: 4294967295\r\n\r\n") },
		.method = RBI_RTSP_OPTIONS, .path = "*", .cseq = 4294967295u,
		.major = 1,
	},
	{
		.name = "cseq_missing",
		.in = { RBI_VEC_TEXT("DESCRIBE rtsp://cam.example/s RTSP/1.0\r\n"
				     "\r\n") },
		.method = RBI_RTSP_DESCRIBE, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/s",
		.no_cseq = true, .major = 1,
	},
	{
		.name = "transport_twice_joined",
		.in = { RBI_VEC_TEXT("SETUP rtsp://cam.example/s RTSP/1.0\r\n"
				     "CSeq: 17\r\n"
				     "Transport: RTP/AVP;multicast\r\n"
				     "Transport: RTP/AVP/TCP;interleaved=0-1\r\n"
				     "\r\n") },
		.method = RBI_RTSP_SETUP, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/s", .cseq = 17,
		.transport = "RTP/AVP;multicast,RTP/AVP/TCP;interleaved=0-1",
		.major = 1,
	},
	{
		.name = "transport_folded_lf_only",
		.in = { RBI_VEC_TEXT("SETUP rtsp://cam.example/s RTSP/1.0\n"
				     "CSeq: 18\nTransport: RTP/AVP;unicast;\n"
				     "\tclient_port=9000-9001\n\n") },
		.method = RBI_RTSP_SETUP, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/s", .cseq = 18,
		.transport = "RTP/AVP;unicast; client_port=9000-9001",
		.major = 1,
	},
	{
		.name = "transport_truncated",
		.in = { RBI_VEC_TEXT("SETUP rtsp://cam.example/s RTSP/1.0\r\n"
				     "CSeq: 19\r\nTransport: RTP/AVP;x="),
			.pad = 300, .tail = "\r\n\r\n" },
		.method = RBI_RTSP_SETUP, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/s", .cseq = 19,
		.transport = "RTP/AVP;x=aaa", .transport_cut = true,
		.major = 1,
	},
	{
		.name = "path_truncated",
		.in = { RBI_VEC_TEXT("DESCRIBE rtsp://cam.example/"), .pad = 400,
			.tail = " RTSP/1.0\r\nCSeq: 20\r\n\r\n" },
		.method = RBI_RTSP_DESCRIBE, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/aaa",
		.path_cut = true, .cseq = 20, .major = 1,
	},
	{
		.name = "cseq_not_a_number",
		.in = { RBI_VEC_TEXT("OPTIONS * RTSP/1.0\r\nCSeq: one\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "cseq_negative",
		.in = { RBI_VEC_TEXT("OPTIONS * RTSP/1.0\r\nCSeq: -1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "cseq_too_big",
		.in = { RBI_VEC_TEXT("OPTIONS * RTSP/1.0\r\n"
				     "CSeq: 4294967296\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "cseq_twice",
		.in = { RBI_VEC_TEXT("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n"
				     "CSeq: 2\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "port_too_big",
		.in = { RBI_VEC_TEXT("DESCRIBE rtsp://cam.example:70000/s "
				     "RTSP/1.0\r\nCSeq: 1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "scheme_not_rtsp",
		.in = { RBI_VEC_TEXT("DESCRIBE http://cam.example/s RTSP/1.0\r\n"
				     "CSeq: 1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "relative_uri",
		.in = { RBI_VEC_TEXT("DESCRIBE /s RTSP/1.0\r\nCSeq: 1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "version_1_1",
		.in = { RBI_VEC_TEXT("OPTIONS * RTSP/1.1\r\nCSeq: 1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "header_without_colon",
		.in = { RBI_VEC_TEXT("OPTIONS * RTSP/1.0\r\nCSeq 1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "request_line_too_many_parts",
		.in = { RBI_VEC_TEXT("PLAY rtsp://cam.example/a b RTSP/1.0\r\n"
				     "CSeq: 1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "request_line_too_few_parts",
		.in = { RBI_VEC_TEXT("PLAY RTSP/1.0\r\nCSeq: 1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "request_line_no_version",
		.in = { RBI_VEC_TEXT("PLAY rtsp://cam.example/a\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "transport_with_nul",
		.in = { RBI_VEC_TEXT("SETUP rtsp://cam.example/s RTSP/1.0\r\n"
				     "CSeq: 21\r\nTransport: RTP/AVP;\0unicast"
				     "\r\n\r\n") },
		.method = RBI_RTSP_SETUP, .scheme = RBI_RTSP_SCHEME_RTSP,
		.host = "cam.example", .port = 554, .path = "/s", .cseq = 21,
		.transport = "RTP/AVP; unicast", .major = 1,
	},
	{
		.name = "head_too_big",
		.in = { RBI_VEC_TEXT("OPTIONS * RTSP/1.0\r\nX-Pad: "),
			.pad = RBI_RTSP_HEAD_MAX, .tail = "\r\n\r\n",
			.want = RBI_PARSE_TOO_BIG },
	},
	{
		.name = "no_blank_line_yet",
		.in = { RBI_VEC_TEXT("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n"),
			.want = RBI_PARSE_NEED_MORE },
	},
	{
		.name = "interleaved_frame",
		.in = { RBI_VEC_TEXT("$\x00\x00\x0c\x80\x60\x12\x34"
				     "\x00\x00\x00\x01\x00\x00\x00\x02"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "http_get",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "http_tunnel_post",
		.in = { RBI_VEC_TEXT("POST /live.sdp HTTP/1.0\r\n"
				     "x-sessioncookie: 5wgbYQAAAAA\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "http_version_known_method",
		.in = { RBI_VEC_TEXT("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "method_unknown",
		.in = { RBI_VEC_TEXT("PLAX rtsp://cam.example/ RTSP/1.0\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "method_longer_than_known",
		.in = { RBI_VEC_TEXT("GET_PARAMETERS rtsp://cam.example/ "
				     "RTSP/1.0\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "method_lower_case",
		.in = { RBI_VEC_TEXT("describe rtsp://cam.example/ RTSP/1.0\r\n"
				     "\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "rtsp_response",
		.in = { RBI_VEC_TEXT("RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "tls_client_hello",
		.in = { RBI_VEC_TEXT("\x16\x03\x01\x02\x00\x01\x00\x01\xfc"
				     "\x03\x03"),
			.want = RBI_PARSE_NOT_MINE },
	},
};

static enum rbi_parse_result rbi_vec_rtsp_parse(const uint8_t *buf,
						size_t len, void *req)
{
	return rbi_rtsp_parse_request(buf, len, req);
}

static size_t rbi_vec_rtsp_head_len(const void *req)
{
	const struct rbi_rtsp_req *r = req;

	return r->head_len;
}

static int rbi_vec_rtsp_transport(const struct rbi_vec_rtsp_case *c,
				  const struct rbi_rtsp_req *r, char *why,
				  size_t why_len)
{
	if (rbi_vec_text_num("has_transport", r->has_transport,
			     c->transport != NULL, why, why_len))
		return -1;
	if (!c->transport)
		return 0;
	return rbi_vec_text_cut("transport", r->transport, r->transport_len,
				r->transport_truncated, c->transport,
				c->transport_cut, RBI_RTSP_TRANSPORT_MAX, why,
				why_len);
}

static int rbi_vec_rtsp_fields(size_t i, const void *req, char *why,
			       size_t why_len)
{
	const struct rbi_vec_rtsp_case *c = &rbi_vec_rtsp_cases[i];
	const struct rbi_rtsp_req *r = req;

	if (rbi_vec_text_str("method", rbi_rtsp_method_name(r->method),
			     rbi_rtsp_method_name(c->method), why, why_len) ||
	    rbi_vec_text_num("scheme", r->scheme, c->scheme, why, why_len) ||
	    rbi_vec_text_host(r->host.name, r->has_host, c->host, why,
			      why_len) ||
	    rbi_vec_text_num("port", r->host.port, c->port, why, why_len) ||
	    rbi_vec_text_num("ipv6", r->host.ipv6, c->ipv6, why, why_len) ||
	    rbi_vec_text_cut("path", r->path, r->path_len, r->path_truncated,
			     c->path, c->path_cut, RBI_TEXT_PATH_MAX, why,
			     why_len) ||
	    rbi_vec_text_num("has_cseq", r->has_cseq, !c->no_cseq, why,
			     why_len) ||
	    rbi_vec_text_num("cseq", r->cseq, c->cseq, why, why_len) ||
	    rbi_vec_rtsp_transport(c, r, why, why_len) ||
	    rbi_vec_text_num("version_major", r->version_major, c->major, why,
			     why_len) ||
	    rbi_vec_text_num("version_minor", r->version_minor, 0, why,
			     why_len))
		return -1;
	return 0;
}

static const struct rbi_vec_text_ops rbi_vec_rtsp_ops = {
	.req_size = sizeof(struct rbi_rtsp_req),
	.parse = rbi_vec_rtsp_parse,
	.head_len = rbi_vec_rtsp_head_len,
	.fields = rbi_vec_rtsp_fields,
};

static const char *rbi_vec_rtsp_name(size_t i)
{
	return rbi_vec_rtsp_cases[i].name;
}

static int rbi_vec_rtsp_check(size_t i, char *why, size_t why_len)
{
	return rbi_vec_text_check(&rbi_vec_rtsp_ops, i,
				  &rbi_vec_rtsp_cases[i].in, why, why_len);
}

const struct rbi_vec_group rbi_vec_rtsp = {
	.name = "rtsp",
	.count = RBI_ARRAY_SIZE(rbi_vec_rtsp_cases),
	.case_name = rbi_vec_rtsp_name,
	.check = rbi_vec_rtsp_check,
};
