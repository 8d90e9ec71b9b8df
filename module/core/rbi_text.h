/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The text that HTTP/1.x and RTSP requests share (RFC 9112, RFC 2326,
 * RFC 7826): a request line, header fields up to a blank line, and URLs
 * whose authority names a host. Both dissectors tokenise through this one
 * file, so that a quirk in line endings or host syntax is handled once and
 * the two can never disagree about the same bytes.
 *
 * The caller holds a prefix of a stream and parses it again from the start
 * each time it grows; a head that is not complete yet is NEED_MORE, and one
 * that has not ended within its bound is TOO_BIG.
 *
 * Lines:
 *  - end at LF, with or without a CR before it (bare LF for robustness,
 *    RFC 9112 2.2); a CR anywhere else is MALFORMED, because recipients
 *    that read it differently are how requests get smuggled;
 *  - empty lines before the request line are skipped (RFC 9112 2.2).
 *
 * Request line:
 *  - the method is an upper-case letter, then upper-case letters, '-' or
 *    '_', at most RBI_TEXT_METHOD_MAX of them, then whitespace or the end
 *    of the line. Anything else in the first bytes is NOT_MINE, so that
 *    TLS or binary data is turned away after one byte;
 *  - the rest is split into words on runs of SP and HTAB (RFC 9112 3). The
 *    last word must be the version "<proto>/<digit>.<digit>": another
 *    word there is another protocol, NOT_MINE (SMTP's "EHLO host", HTTP
 *    versus RTSP, HTTP/0.9); a broken version is MALFORMED;
 *  - with the version in place, a line without exactly a target before it,
 *    or with a control byte, is MALFORMED.
 *
 * Header fields:
 *  - the name is a token (RFC 9110 5.6.2) directly followed by ':';
 *    whitespace before the colon is MALFORMED (RFC 9112 5.1);
 *  - a line starting with SP or HTAB continues the field above it
 *    (obs-fold, RFC 9112 5.2); rbi_text_append() turns each fold into one
 *    SP. Such a line right after the request line is MALFORMED;
 *  - the value is trimmed of whitespace on both ends. A NUL in it reads
 *    as SP (RFC 9110 5.5), so that one odd field does not hide the Host;
 *    a Host with one is still MALFORMED.
 *
 * Hosts, from a Host field value or a URL authority, are normalised like
 * DNS names (rbi_dns.h) so that the same service compares equal whichever
 * way it was named: A-Z lowered, bytes from 0x80 up kept as they are, one
 * trailing dot dropped, at most RBI_NAME_MAX characters. Characters that
 * DNS presentation form would have to escape (space, controls, '\\') cannot
 * appear in a valid host at all (RFC 3986 reg-name), so they are MALFORMED
 * here rather than escaped, as are empty labels. An IPv6 literal "[...]"
 * is kept without its brackets and flagged. The port is 0 when absent or
 * empty, and MALFORMED when 0, above 65535 or not decimal.
 */
#ifndef RBI_TEXT_H
#define RBI_TEXT_H

#include "rbi_parse.h"

enum {
	/* "BASELINE-CONTROL" (RFC 3253) is the longest registered one. */
	RBI_TEXT_METHOD_MAX = 24,
	RBI_TEXT_METHOD_BUF = RBI_TEXT_METHOD_MAX + 1,
	/* Enough for the camera-analytics markers, which sit near the start. */
	RBI_TEXT_PATH_MAX = 256,
	RBI_TEXT_PATH_BUF = RBI_TEXT_PATH_MAX + 1,
};

/* Bytes inside the caller's buffer; never NUL-terminated. */
struct rbi_text_span {
	const uint8_t *p;
	size_t len;
};

struct rbi_text_host {
	char name[RBI_NAME_BUF];	/* normalised, NUL-terminated */
	size_t len;
	uint16_t port;			/* 0 when absent */
	bool ipv6;			/* name is the text inside "[...]" */
};

struct rbi_text_head {
	struct rbi_cur cur;		/* over at most the first max bytes */
	bool capped;			/* len >= max: TOO_BIG, not NEED_MORE */
};

struct rbi_text_reqline {
	struct rbi_text_span method;
	bool method_done;		/* method is whole, not a prefix */
	struct rbi_text_span target;
	uint8_t major;
	uint8_t minor;
};

struct rbi_text_field {
	struct rbi_text_span name;
	struct rbi_text_span value;	/* may hold obs-folds */
};

/*
 * Reads the request line of protocol proto ("HTTP", "RTSP"). Whatever the
 * result, rl->method holds the method bytes seen so far, so that a
 * dissector that knows its methods can say NOT_MINE before the line is
 * complete.
 */
enum rbi_parse_result rbi_text_request_line(struct rbi_text_head *h,
					    const char *proto,
					    struct rbi_text_reqline *rl);

/*
 * A protocol's side of a request head, for rbi_text_parse(): its bound,
 * what reads its request line (through rbi_text_request_line()) and what
 * takes each header field, with its continuation lines, into the request.
 * Anything but OK from either stops the parse.
 */
struct rbi_text_proto {
	size_t head_max;
	enum rbi_parse_result (*request_line)(struct rbi_text_head *h,
					      void *req);
	enum rbi_parse_result (*field)(void *req,
				       const struct rbi_text_field *f);
};

/*
 * Parses the request head at the start of buf into req, reading at most
 * proto->head_max bytes: a head that needs more is TOO_BIG. On OK,
 * *head_len is the length of the head, blank line included.
 */
enum rbi_parse_result rbi_text_parse(const struct rbi_text_proto *proto,
				     const uint8_t *buf, size_t len,
				     void *req, size_t *head_len);

/*
 * How the body after a request head is framed (RFC 9112 6): what the
 * Content-Length and Transfer-Encoding fields say, field by field, so that
 * a caller can tell where the next request starts, or that it cannot.
 */
struct rbi_text_body {
	uint64_t length;	/* Content-Length, with has_length */
	bool has_length;
	/* Two Content-Length values that differ, or a list of them. */
	bool length_conflict;
	/* Transfer-Encoding ends in chunked, applied once. */
	bool chunked;
	/* A Transfer-Encoding that does not end in chunked (once). */
	bool coding_other;
	/* The field Upgrade, and whether it offers h2c (RFC 7540 3.2). */
	bool upgrade;
	bool h2c;
};

/*
 * Reads f into b when it is Content-Length, Transfer-Encoding or Upgrade.
 * MALFORMED for a Content-Length that is not 1*DIGIT (or overflows).
 */
enum rbi_parse_result rbi_text_body_field(const struct rbi_text_field *f,
					  struct rbi_text_body *b);

/* Case-insensitive comparison of s with an ASCII literal. */
bool rbi_text_is(struct rbi_text_span s, const char *lit);

/* A decimal number of at least one digit, no larger than max. */
bool rbi_text_uint(struct rbi_text_span s, uint32_t max, uint32_t *v);

/* Parses "host[:port]" (RFC 3986 3.2.2-3.2.3); an empty span is "". */
enum rbi_parse_result rbi_text_host(struct rbi_text_span s,
				    struct rbi_text_host *h);

/* Like rbi_text_host() for a Host field value, which may hold obs-folds. */
enum rbi_parse_result rbi_text_host_field(struct rbi_text_span v,
					  struct rbi_text_host *h);

/* Whether two hosts name the same thing, ports aside. */
bool rbi_text_host_same(const struct rbi_text_host *a,
			const struct rbi_text_host *b);

/*
 * Splits an absolute URL "scheme://[userinfo@]host[:port][path]". The host
 * must not be empty; the userinfo ends at the last '@' of the authority, as
 * browsers and curl read it. rest is the path and query, "/" when empty.
 */
enum rbi_parse_result rbi_text_url(struct rbi_text_span t,
				   struct rbi_text_span *scheme,
				   struct rbi_text_host *host,
				   struct rbi_text_span *rest);

/*
 * Appends s to the NUL-terminated string dst of cap bytes, whose length is
 * *len, turning each obs-fold and each NUL into one SP. False when s had
 * to be cut.
 */
bool rbi_text_append(char *dst, size_t cap, size_t *len,
		     struct rbi_text_span s);

#endif /* RBI_TEXT_H */
