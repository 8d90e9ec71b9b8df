/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * RTSP requests (RFC 2326, RFC 7826) as the classifier meets them: which
 * host a camera or a client asks for a stream, and how it is carried.
 *
 * rbi_rtsp_parse_request() keeps the contract of rbi_http_parse_request()
 * (rbi_http.h), with lexical rules from rbi_text.h:
 *  - NOT_MINE as soon as the first bytes cannot start one of the methods
 *    below: interleaved binary data ("$" channel length, RFC 2326 10.12),
 *    TLS, and HTTP, which includes RTSP tunnelled over HTTP; also a
 *    complete request line that does not end in an RTSP/ version;
 *  - MALFORMED for versions other than RTSP/1.0 and RTSP/2.0, a
 *    Request-URI other than "*" or an rtsp, rtsps or rtspu URL, a CSeq
 *    that is not a decimal number that fits 32 bits, or a second CSeq.
 *
 * A missing CSeq is not an error here: the server will refuse the request,
 * but it still says where the client wanted to go.
 *
 * The port is the URL's, or the scheme's default (554, 322 for rtsps); the
 * path is the URL's path and query, cut to RBI_TEXT_PATH_MAX bytes ("*" for
 * a request on the server as a whole). Transport keeps the raw value, every
 * Transport field joined with ',', cut to RBI_RTSP_TRANSPORT_MAX bytes.
 */
#ifndef RBI_RTSP_H
#define RBI_RTSP_H

#include "rbi_text.h"

enum {
	RBI_RTSP_HEAD_MAX = 8192,
	RBI_RTSP_PORT = 554,
	RBI_RTSPS_PORT = 322,
	RBI_RTSP_TRANSPORT_MAX = 192,
	RBI_RTSP_TRANSPORT_BUF = RBI_RTSP_TRANSPORT_MAX + 1,
};

enum rbi_rtsp_method {
	RBI_RTSP_ANNOUNCE,
	RBI_RTSP_DESCRIBE,
	RBI_RTSP_GET_PARAMETER,
	RBI_RTSP_OPTIONS,
	RBI_RTSP_PAUSE,
	RBI_RTSP_PLAY,
	RBI_RTSP_PLAY_NOTIFY,		/* RFC 7826 only */
	RBI_RTSP_RECORD,
	RBI_RTSP_REDIRECT,
	RBI_RTSP_SETUP,
	RBI_RTSP_SET_PARAMETER,
	RBI_RTSP_TEARDOWN,
	__RBI_RTSP_METHOD_MAX
};

enum rbi_rtsp_scheme {
	RBI_RTSP_SCHEME_NONE,		/* Request-URI "*" */
	RBI_RTSP_SCHEME_RTSP,
	RBI_RTSP_SCHEME_RTSPS,
	RBI_RTSP_SCHEME_RTSPU,
	__RBI_RTSP_SCHEME_MAX
};

struct rbi_rtsp_req {
	enum rbi_rtsp_method method;
	enum rbi_rtsp_scheme scheme;
	struct rbi_text_host host;	/* port always set when has_host */
	bool has_host;
	char path[RBI_TEXT_PATH_BUF];
	size_t path_len;
	bool path_truncated;
	uint32_t cseq;
	bool has_cseq;
	char transport[RBI_RTSP_TRANSPORT_BUF];
	size_t transport_len;
	bool has_transport;
	bool transport_truncated;
	uint8_t version_major;
	uint8_t version_minor;
	size_t head_len;		/* through the blank line */
	struct rbi_text_body body;	/* Content-Length, RFC 7826 18.17 */
};

/* "DESCRIBE", ...; "?" outside the enum. */
const char *rbi_rtsp_method_name(enum rbi_rtsp_method m);

enum rbi_parse_result rbi_rtsp_parse_request(const uint8_t *buf, size_t len,
					     struct rbi_rtsp_req *r);

#endif /* RBI_RTSP_H */
