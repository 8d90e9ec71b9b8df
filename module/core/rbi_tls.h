/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TLS ClientHello dissector: what a camera's TLS client reveals before
 * encryption starts (the server name, the application protocols, the
 * versions it offers, and whether it hides the real name with Encrypted
 * Client Hello).
 *
 * Input is the client's byte stream from its first byte, as much of it as
 * has arrived. The ClientHello may be cut into several TLS records
 * (RFC 8446 5.1) and those into several TCP segments; the caller keeps the
 * bytes and calls again with the longer prefix. The dissector keeps no state
 * between calls and copies nothing: it reads the message across record
 * boundaries in place, allocates nothing and uses little stack.
 *
 * Results:
 *   OK         a whole ClientHello was parsed; *h is filled in.
 *   NEED_MORE  a valid prefix; *need is the stream length at which calling
 *              again can make progress (no shorter stream completes the
 *              hello), so a hello fed one byte at a time costs a couple of
 *              calls per record, not one per byte.
 *   NOT_MINE   the stream does not start with a TLS handshake record
 *              (content type 22, version 3.x) nor an SSL 2.0 CLIENT-HELLO,
 *              or its first handshake message is not a ClientHello.
 *   MALFORMED  a length lies, a record breaks the rules of RFC 8446 5.1, an
 *              extension we interpret is repeated or broken, or the server
 *              name is unusable (see below).
 *   TOO_BIG    the ClientHello would end beyond RBI_TLS_HELLO_MAX bytes of
 *              stream: give up and treat the flow as unnamed.
 * *h is meaningful only on OK.
 *
 * The server name (RFC 6066 host_name) follows the presentation rules of
 * DNS names (rbi_dns.h): ASCII A-Z lowered; one trailing dot removed; bytes
 * that cannot appear literally (below 0x21, 0x7f and '\') written as \DDD;
 * bytes from 0x80 up kept as they are (UTF-8). A '.' always separates
 * labels. An empty name or label ("", ".", ".a", "a..b", "a.."), text
 * longer than RBI_NAME_MAX, or two host_names in one list make the hello
 * MALFORMED: a name we cannot render as the one the server will see must
 * not be matched against the policy as if it were another.
 *
 * ALPN protocols are joined with ',' in offer order into alpn; a protocol
 * that does not fit is left out with every later one and alpn_truncated is
 * set, so alpn never ends in a partial protocol. The same escapes apply,
 * plus ',' (as \044) so that the list splits unambiguously. GREASE values
 * (RFC 8701) are accepted everywhere and never reported.
 */
#ifndef RBI_TLS_H
#define RBI_TLS_H

#include "rbi_compat.h"
#include "rbi_parse.h"

/* Stream bytes a ClientHello may occupy, record headers included. */
#define RBI_TLS_HELLO_MAX	16384

enum {
	RBI_TLS_ALPN_BUF = 64,
	/* record_version of an SSL 2.0 CLIENT-HELLO, which has no TLS record */
	RBI_TLS_VERSION_SSL2 = 0x0002,
};

struct rbi_tls_hello {
	char sni[RBI_NAME_BUF];
	char alpn[RBI_TLS_ALPN_BUF];
	/*
	 * Highest version the client offers: the largest non-GREASE entry of
	 * supported_versions, else legacy_version.
	 */
	uint16_t version;
	/* The ClientHello's own version field. */
	uint16_t legacy_version;
	/*
	 * The first record's version; 0 for a bare message and
	 * RBI_TLS_VERSION_SSL2 for SSL 2.0 framing.
	 */
	uint16_t record_version;
	bool has_sni;
	bool alpn_truncated;
	/*
	 * encrypted_client_hello (0xfe0d) is present: sni is only the outer
	 * name. Browsers without an ECH config for the server send a GREASE
	 * one that cannot be told from a real one (by design), and then sni
	 * is the real name.
	 */
	bool ech;
	/* The draft encrypted_server_name (0xffce). */
	bool esni;
	/* SSL 2.0 framing: no extensions, so never an sni. */
	bool sslv2;
};

/*
 * Parses the ClientHello at the start of a TCP stream: len bytes received
 * so far. need may be NULL; it is set to 0 unless the result is NEED_MORE.
 * Bytes after the ClientHello are ignored.
 */
enum rbi_parse_result rbi_tls_parse_client_hello(const uint8_t *stream,
						 size_t len,
						 struct rbi_tls_hello *h,
						 size_t *need);

/*
 * Parses a bare handshake message (type 1, 24-bit length, body) with no
 * record layer, as carried by QUIC CRYPTO frames (RFC 9001 4.1). The same
 * results, bounds and rules apply; NEED_MORE means len is short of the
 * message's declared length, whose end is 4 bytes past that length.
 */
enum rbi_parse_result rbi_tls_parse_handshake(const uint8_t *msg, size_t len,
					      struct rbi_tls_hello *h);

#endif /* RBI_TLS_H */
