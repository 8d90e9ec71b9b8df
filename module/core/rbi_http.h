/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * HTTP/1.x requests (RFC 9112) as the classifier meets them: the host a
 * camera talks to, and the path that camera-analytics markers live in.
 *
 * rbi_http_parse_request() takes the prefix of a client stream that the
 * caller holds, from its first byte, and parses the request line and the
 * header fields up to the blank line (lexical rules in rbi_text.h):
 *  - OK: the head is complete; head_len says where the body starts;
 *  - NEED_MORE: a valid prefix of a head, call again with more bytes;
 *  - TOO_BIG: no blank line within RBI_HTTP_HEAD_MAX bytes;
 *  - NOT_MINE: the first bytes are not a method (TLS, binary, a response),
 *    or the request line does not end in HTTP/1.x (RTSP, SMTP, HTTP/0.9,
 *    the HTTP/2 preface "PRI * HTTP/2.0");
 *  - MALFORMED: a broken line, a target or a Host that cannot be parsed.
 *
 * The host is the one the server will act on: the target's authority for
 * absolute-form and CONNECT, which override Host (RFC 9112 3.2.2), and the
 * first Host field otherwise. host_conflict says that another Host field,
 * or a Host field beside an absolute-form target, names another host
 * (ports aside): servers and proxies disagree about which one wins, so
 * such a request is how a name check gets dodged. An empty Host field
 * (RFC 9110 7.2) sets has_host with an empty name.
 *
 * The path is the target's path and query as sent (not percent-decoded),
 * cut to RBI_TEXT_PATH_MAX bytes: "/" for an absolute-form target without
 * one, "*" for asterisk-form, "" for CONNECT.
 *
 * Nothing here allocates. The request struct is large; kernel callers keep
 * it in per-CPU scratch rather than on the stack.
 */
#ifndef RBI_HTTP_H
#define RBI_HTTP_H

#include "rbi_text.h"

enum {
	RBI_HTTP_HEAD_MAX = 8192,
};

/* RFC 9112 3.2: the four forms of a request target. */
enum rbi_http_form {
	RBI_HTTP_FORM_ORIGIN,		/* /path?query */
	RBI_HTTP_FORM_ABSOLUTE,		/* http://host/path, to proxies */
	RBI_HTTP_FORM_AUTHORITY,	/* host:port, for CONNECT */
	RBI_HTTP_FORM_ASTERISK,		/* *, for OPTIONS */
	__RBI_HTTP_FORM_MAX
};

struct rbi_http_req {
	char method[RBI_TEXT_METHOD_BUF];
	enum rbi_http_form form;
	struct rbi_text_host host;
	bool has_host;
	bool host_conflict;
	unsigned int host_fields;	/* how many Host fields were sent */
	char path[RBI_TEXT_PATH_BUF];
	size_t path_len;
	bool path_truncated;
	uint8_t version_major;
	uint8_t version_minor;
	size_t head_len;		/* through the blank line */
	struct rbi_text_body body;	/* how the body is framed */
};

enum rbi_parse_result rbi_http_parse_request(const uint8_t *buf, size_t len,
					     struct rbi_http_req *r);

#endif /* RBI_HTTP_H */
