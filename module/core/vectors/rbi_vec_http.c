// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "../rbi_http.h"
#include "rbi_vec_text.h"
#include "rbi_vectors.h"

/* A head of exactly RBI_HTTP_HEAD_MAX bytes: this, padding, CR LF CR LF. */
#define RBI_VEC_HTTP_BIG "GET / HTTP/1.1\r\nHost: big.example\r\nX-Pad: "
#define RBI_VEC_HTTP_BIG_PAD \
	(RBI_HTTP_HEAD_MAX - (sizeof(RBI_VEC_HTTP_BIG) - 1) - 4)

struct rbi_vec_http_case {
	const char *name;
	struct rbi_vec_text_in in;
	/* What an OK result must hold. */
	const char *method;
	enum rbi_http_form form;
	const char *host;		/* NULL: no host */
	uint16_t port;
	bool ipv6;
	bool conflict;
	const char *path;
	bool cut;
	uint8_t minor;
};

static const struct rbi_vec_http_case rbi_vec_http_cases[] = {
	{
		.name = "get_simple",
		.in = { RBI_VEC_TEXT("GET /index.html HTTP/1.1\r\n"
				     "Host: example.com\r\n"
				     "User-Agent: cam/1.0\r\n\r\n") },
		.method = "GET", .host = "example.com", .path = "/index.html",
		.minor = 1,
	},
	{
		.name = "host_port",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: cam.example:8080\r\n\r\n") },
		.method = "GET", .host = "cam.example", .port = 8080,
		.path = "/", .minor = 1,
	},
	{
		.name = "host_name_upper_case",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "HOST: Api.Example.COM\r\n\r\n") },
		.method = "GET", .host = "api.example.com", .path = "/",
		.minor = 1,
	},
	{
		.name = "host_no_space_mixed_case",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "hOsT:example.org  \r\n\r\n") },
		.method = "GET", .host = "example.org", .path = "/",
		.minor = 1,
	},
	{
		.name = "host_trailing_dot",
		.in = { RBI_VEC_TEXT("POST /detect HTTP/1.1\r\n"
				     "Host: rekognition.eu-west-1.amazonaws.com."
				     "\r\n\r\n") },
		.method = "POST",
		.host = "rekognition.eu-west-1.amazonaws.com",
		.path = "/detect", .minor = 1,
	},
	{
		.name = "host_trailing_dot_port",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: a.example.:443\r\n\r\n") },
		.method = "GET", .host = "a.example", .port = 443,
		.path = "/", .minor = 1,
	},
	{
		.name = "host_ipv6_port",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: [2001:DB8::1]:8443\r\n\r\n") },
		.method = "GET", .host = "2001:db8::1", .port = 8443,
		.ipv6 = true, .path = "/", .minor = 1,
	},
	{
		.name = "host_ipv6",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n") },
		.method = "GET", .host = "::1", .ipv6 = true, .path = "/",
		.minor = 1,
	},
	{
		.name = "host_ipv4",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: 198.51.100.7:80\r\n\r\n") },
		.method = "GET", .host = "198.51.100.7", .port = 80,
		.path = "/", .minor = 1,
	},
	{
		.name = "host_non_ascii_kept",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: CAF\xc3\x89.example\r\n\r\n") },
		.method = "GET", .host = "caf\xc3\x89.example", .path = "/",
		.minor = 1,
	},
	{
		.name = "host_port_max",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: a.example:65535\r\n\r\n") },
		.method = "GET", .host = "a.example", .port = 65535,
		.path = "/", .minor = 1,
	},
	{
		.name = "host_empty_port",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: a.example:\r\n\r\n") },
		.method = "GET", .host = "a.example", .path = "/", .minor = 1,
	},
	{
		.name = "host_empty",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\nHost:\r\n\r\n") },
		.method = "GET", .host = "", .path = "/", .minor = 1,
	},
	{
		.name = "absolute_form",
		.in = { RBI_VEC_TEXT("GET http://Api.Example.com:8080/v1/faces"
				     "?max=5 HTTP/1.1\r\n"
				     "Host: api.example.com:8080\r\n\r\n") },
		.method = "GET", .form = RBI_HTTP_FORM_ABSOLUTE,
		.host = "api.example.com", .port = 8080,
		.path = "/v1/faces?max=5", .minor = 1,
	},
	{
		.name = "absolute_form_overrides_host",
		.in = { RBI_VEC_TEXT("GET http://face.example/search HTTP/1.1\r\n"
				     "Host: innocent.example\r\n\r\n") },
		.method = "GET", .form = RBI_HTTP_FORM_ABSOLUTE,
		.host = "face.example", .conflict = true, .path = "/search",
		.minor = 1,
	},
	{
		.name = "absolute_form_no_path",
		.in = { RBI_VEC_TEXT("GET https://face.example HTTP/1.1\r\n"
				     "\r\n") },
		.method = "GET", .form = RBI_HTTP_FORM_ABSOLUTE,
		.host = "face.example", .path = "/", .minor = 1,
	},
	{
		.name = "absolute_form_userinfo",
		.in = { RBI_VEC_TEXT("GET http://u:p@decoy.example@face.example/x"
				     " HTTP/1.1\r\n\r\n") },
		.method = "GET", .form = RBI_HTTP_FORM_ABSOLUTE,
		.host = "face.example", .path = "/x", .minor = 1,
	},
	{
		.name = "absolute_form_ipv6",
		.in = { RBI_VEC_TEXT("GET http://[2001:db8::2]:81?q HTTP/1.1\r\n"
				     "\r\n") },
		.method = "GET", .form = RBI_HTTP_FORM_ABSOLUTE,
		.host = "2001:db8::2", .port = 81, .ipv6 = true, .path = "?q",
		.minor = 1,
	},
	{
		.name = "connect",
		.in = { RBI_VEC_TEXT("CONNECT rekognition.us-east-1.amazonaws.com"
				     ":443 HTTP/1.1\r\n"
				     "Host: rekognition.us-east-1.amazonaws.com"
				     ":443\r\n\r\n") },
		.method = "CONNECT", .form = RBI_HTTP_FORM_AUTHORITY,
		.host = "rekognition.us-east-1.amazonaws.com", .port = 443,
		.path = "", .minor = 1,
	},
	{
		.name = "connect_ipv6",
		.in = { RBI_VEC_TEXT("CONNECT [2001:db8::5]:443 HTTP/1.0\r\n"
				     "\r\n") },
		.method = "CONNECT", .form = RBI_HTTP_FORM_AUTHORITY,
		.host = "2001:db8::5", .port = 443, .ipv6 = true, .path = "",
	},
	{
		.name = "connect_no_port",
		.in = { RBI_VEC_TEXT("CONNECT face.example HTTP/1.1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "host_conflict",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: innocent.example\r\n"
				     "Accept: */*\r\n"
				     "Host: face.example\r\n\r\n") },
		.method = "GET", .host = "innocent.example", .conflict = true,
		.path = "/", .minor = 1,
	},
	{
		.name = "host_conflict_after_empty",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\nHost: \r\n"
				     "Host: face.example\r\n\r\n") },
		.method = "GET", .host = "", .conflict = true, .path = "/",
		.minor = 1,
	},
	{
		.name = "host_twice_same",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: face.example\r\n"
				     "host: Face.Example.\r\n\r\n") },
		.method = "GET", .host = "face.example", .path = "/",
		.minor = 1,
	},
	{
		.name = "http10_no_host",
		.in = { RBI_VEC_TEXT("GET /snapshot.jpg HTTP/1.0\r\n"
				     "Accept: image/jpeg\r\n\r\n") },
		.method = "GET", .path = "/snapshot.jpg",
	},
	{
		.name = "lf_only",
		.in = { RBI_VEC_TEXT("GET /a HTTP/1.1\nHost: lf.example\n\n") },
		.method = "GET", .host = "lf.example", .path = "/a",
		.minor = 1,
	},
	{
		.name = "mixed_line_endings",
		.in = { RBI_VEC_TEXT("GET /a HTTP/1.1\r\nHost: mix.example\n"
				     "Accept: */*\r\n\n") },
		.method = "GET", .host = "mix.example", .path = "/a",
		.minor = 1,
	},
	{
		.name = "obs_fold",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host:\r\n fold.example\r\n"
				     "X-Long: one\r\n\ttwo\r\n \r\n\r\n") },
		.method = "GET", .host = "fold.example", .path = "/",
		.minor = 1,
	},
	{
		.name = "obs_fold_inside_host",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: face\r\n .example\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "obs_fold_first_line",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     " Host: face.example\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "leading_empty_lines",
		.in = { RBI_VEC_TEXT("\r\n\nGET / HTTP/1.1\r\n"
				     "Host: a.example\r\n\r\n") },
		.method = "GET", .host = "a.example", .path = "/", .minor = 1,
	},
	{
		.name = "request_line_extra_whitespace",
		.in = { RBI_VEC_TEXT("GET \t/x  HTTP/1.1 \r\n"
				     "Host: a.example\r\n\r\n") },
		.method = "GET", .host = "a.example", .path = "/x",
		.minor = 1,
	},
	{
		.name = "asterisk_form",
		.in = { RBI_VEC_TEXT("OPTIONS * HTTP/1.1\r\n"
				     "Host: a.example\r\n\r\n") },
		.method = "OPTIONS", .form = RBI_HTTP_FORM_ASTERISK,
		.host = "a.example", .path = "*", .minor = 1,
	},
	{
		.name = "ssdp_search",
		.in = { RBI_VEC_TEXT("M-SEARCH * HTTP/1.1\r\n"
				     "HOST: 239.255.255.250:1900\r\n"
				     "MAN: \"ssdp:discover\"\r\n\r\n") },
		.method = "M-SEARCH", .form = RBI_HTTP_FORM_ASTERISK,
		.host = "239.255.255.250", .port = 1900, .path = "*",
		.minor = 1,
	},
	{
		.name = "path_marker_isapi",
		.in = { RBI_VEC_TEXT("POST /ISAPI/Intelligent/FDLib/FDSearch"
				     "?format=json HTTP/1.1\r\n"
				     "Host: 10.20.0.5\r\n"
				     "Content-Type: application/json\r\n\r\n") },
		.method = "POST", .host = "10.20.0.5",
		.path = "/ISAPI/Intelligent/FDLib/FDSearch?format=json",
		.minor = 1,
	},
	{
		.name = "path_marker_cgi_with_body",
		.in = { RBI_VEC_TEXT("POST /cgi-bin/faceRecognitionServer.cgi"
				     "?action=startFind HTTP/1.1\r\n"
				     "Host: 10.20.0.6\r\n"
				     "Content-Length: 4\r\n\r\n"
				     "a=1&"), .body = 4 },
		.method = "POST", .host = "10.20.0.6",
		.path = "/cgi-bin/faceRecognitionServer.cgi?action=startFind",
		.minor = 1,
	},
	{
		.name = "path_truncated",
		.in = { RBI_VEC_TEXT("GET /"), .pad = 300,
			.tail = " HTTP/1.1\r\nHost: a.example\r\n\r\n" },
		.method = "GET", .host = "a.example", .path = "/aaaa",
		.cut = true, .minor = 1,
	},
	{
		.name = "rtsp_tunnelled_over_http",
		.in = { RBI_VEC_TEXT("GET /live.sdp HTTP/1.0\r\n"
				     "x-sessioncookie: 5wgbYQAAAAA\r\n"
				     "Accept: application/x-rtsp-tunnelled\r\n"
				     "\r\n") },
		.method = "GET", .path = "/live.sdp",
	},
	{
		.name = "head_exactly_max",
		.in = { RBI_VEC_TEXT(RBI_VEC_HTTP_BIG),
			.pad = RBI_VEC_HTTP_BIG_PAD, .tail = "\r\n\r\n" },
		.method = "GET", .host = "big.example", .path = "/",
		.minor = 1,
	},
	{
		.name = "head_one_past_max",
		.in = { RBI_VEC_TEXT(RBI_VEC_HTTP_BIG),
			.pad = RBI_VEC_HTTP_BIG_PAD + 1, .tail = "\r\n\r\n",
			.want = RBI_PARSE_TOO_BIG },
	},
	{
		.name = "head_too_big",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\nX-Pad: "), .pad = 9000,
			.tail = "\r\n\r\n", .want = RBI_PARSE_TOO_BIG },
	},
	{
		.name = "empty_input",
		.in = { RBI_VEC_TEXT(""), .want = RBI_PARSE_NEED_MORE },
	},
	{
		.name = "no_blank_line_yet",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\nHost: a.example\r\n"),
			.want = RBI_PARSE_NEED_MORE },
	},
	{
		.name = "header_without_colon",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host face.example\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "space_before_colon",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host : face.example\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "request_line_too_many_parts",
		.in = { RBI_VEC_TEXT("GET /a b HTTP/1.1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "request_line_too_few_parts",
		.in = { RBI_VEC_TEXT("GET HTTP/1.1\r\nHost: a.example\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "request_line_control_byte",
		.in = { RBI_VEC_TEXT("GET /a\x7f HTTP/1.1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "http09_no_version",
		.in = { RBI_VEC_TEXT("GET /\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "method_only",
		.in = { RBI_VEC_TEXT("GET\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "smtp_client",
		.in = { RBI_VEC_TEXT("EHLO [192.0.2.7]\r\nAUTH LOGIN\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "version_broken",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.x\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "bare_cr_in_field",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: a.example\rX: y\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "nul_in_other_field",
		.in = { RBI_VEC_TEXT("POST /a HTTP/1.1\r\n"
				     "Content-type:\0application/xml\r\n"
				     "Host: 10.68.137.118:8091\r\n\r\n") },
		.method = "POST", .host = "10.68.137.118", .port = 8091,
		.path = "/a", .minor = 1,
	},
	{
		.name = "nul_in_host",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: face.example\0.decoy\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "nul_in_field_name",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Ho\0st: face.example\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "host_control_byte",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: face\x01.example\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "host_userinfo",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: u@face.example\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "host_port_too_big",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: face.example:65536\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "host_port_zero",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: face.example:0\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "host_port_not_decimal",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: face.example:80a\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "host_empty_label",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\n"
				     "Host: face..example\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "host_dot_only",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\nHost: .\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "host_ipv6_unclosed",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "host_name_too_long",
		.in = { RBI_VEC_TEXT("GET / HTTP/1.1\r\nHost: "), .pad = 254,
			.tail = "\r\n\r\n", .want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "absolute_form_no_authority",
		.in = { RBI_VEC_TEXT("GET http:face.example HTTP/1.1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "absolute_form_empty_host",
		.in = { RBI_VEC_TEXT("GET http:///x HTTP/1.1\r\n\r\n"),
			.want = RBI_PARSE_MALFORMED },
	},
	{
		.name = "tls_client_hello",
		.in = { RBI_VEC_TEXT("\x16\x03\x01\x02\x00\x01\x00\x01\xfc"
				     "\x03\x03"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "binary_after_method_letters",
		.in = { RBI_VEC_TEXT("AB\x00\x01\x02"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "lower_case_method",
		.in = { RBI_VEC_TEXT("get / HTTP/1.1\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "method_too_long",
		.in = { RBI_VEC_TEXT("ABCDEFGHIJKLMNOPQRSTUVWXY / HTTP/1.1\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "http_response",
		.in = { RBI_VEC_TEXT("HTTP/1.1 200 OK\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "rtsp_request",
		.in = { RBI_VEC_TEXT("DESCRIBE rtsp://cam.example/ RTSP/1.0\r\n"
				     "CSeq: 1\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "http2_preface",
		.in = { RBI_VEC_TEXT("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
	{
		.name = "bare_cr_before_request",
		.in = { RBI_VEC_TEXT("\rGET / HTTP/1.1\r\n\r\n"),
			.want = RBI_PARSE_NOT_MINE },
	},
};

static enum rbi_parse_result rbi_vec_http_parse(const uint8_t *buf,
						size_t len, void *req)
{
	return rbi_http_parse_request(buf, len, req);
}

static size_t rbi_vec_http_head_len(const void *req)
{
	const struct rbi_http_req *r = req;

	return r->head_len;
}

static int rbi_vec_http_fields(size_t i, const void *req, char *why,
			       size_t why_len)
{
	const struct rbi_vec_http_case *c = &rbi_vec_http_cases[i];
	const struct rbi_http_req *r = req;

	if (rbi_vec_text_str("method", r->method, c->method, why, why_len) ||
	    rbi_vec_text_num("form", r->form, c->form, why, why_len) ||
	    rbi_vec_text_host(r->host.name, r->has_host, c->host, why,
			      why_len) ||
	    rbi_vec_text_num("port", r->host.port, c->port, why, why_len) ||
	    rbi_vec_text_num("ipv6", r->host.ipv6, c->ipv6, why, why_len) ||
	    rbi_vec_text_num("host_conflict", r->host_conflict, c->conflict,
			     why, why_len) ||
	    rbi_vec_text_cut("path", r->path, r->path_len, r->path_truncated,
			     c->path, c->cut, RBI_TEXT_PATH_MAX, why,
			     why_len) ||
	    rbi_vec_text_num("version_major", r->version_major, 1, why,
			     why_len) ||
	    rbi_vec_text_num("version_minor", r->version_minor, c->minor, why,
			     why_len))
		return -1;
	return 0;
}

static const struct rbi_vec_text_ops rbi_vec_http_ops = {
	.req_size = sizeof(struct rbi_http_req),
	.parse = rbi_vec_http_parse,
	.head_len = rbi_vec_http_head_len,
	.fields = rbi_vec_http_fields,
};

static const char *rbi_vec_http_name(size_t i)
{
	return rbi_vec_http_cases[i].name;
}

static int rbi_vec_http_check(size_t i, char *why, size_t why_len)
{
	return rbi_vec_text_check(&rbi_vec_http_ops, i,
				  &rbi_vec_http_cases[i].in, why, why_len);
}

const struct rbi_vec_group rbi_vec_http = {
	.name = "http",
	.count = RBI_ARRAY_SIZE(rbi_vec_http_cases),
	.case_name = rbi_vec_http_name,
	.check = rbi_vec_http_check,
};
