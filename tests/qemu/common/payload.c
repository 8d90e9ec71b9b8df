// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What the test clients send: a TLS ClientHello shaped like a browser's
 * (padded to 517 bytes, optionally with an encrypted_client_hello
 * extension), an HTTP request or an RTSP DESCRIBE.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "payload.h"

enum {
	TLS_EXT_SERVER_NAME = 0x0000,
	TLS_EXT_PADDING = 0x0015,
	TLS_EXT_SUPPORTED_VERSIONS = 0x002b,
	TLS_EXT_ECH = 0xfe0d,
	/* Browsers pad their hellos to about this size. */
	TLS_HELLO_PADDED = 517,
};

static void put8(struct rbi_test_buf *o, unsigned int v)
{
	if (o->len < sizeof(o->b))
		o->b[o->len++] = (uint8_t)v;
}

static void put16(struct rbi_test_buf *o, unsigned int v)
{
	put8(o, v >> 8);
	put8(o, v);
}

static void putn(struct rbi_test_buf *o, const void *p, size_t n)
{
	const uint8_t *s = p;

	while (n--)
		put8(o, *s++);
}

/* Writes a 16- or 24-bit length at at, for the bytes since at + width. */
static void patch_len(struct rbi_test_buf *o, size_t at, int width)
{
	size_t n = o->len - at - (size_t)width;
	int i;

	for (i = 0; i < width; i++)
		o->b[at + i] = (uint8_t)(n >> (8 * (width - 1 - i)));
}

static void fill(struct rbi_test_buf *o, size_t n, uint8_t seed)
{
	while (n--)
		put8(o, seed = (uint8_t)(seed * 29 + 7));
}

static void tls_ext_sni(struct rbi_test_buf *o, const char *name)
{
	size_t n = strlen(name);

	put16(o, TLS_EXT_SERVER_NAME);
	put16(o, n + 5);
	put16(o, n + 3);
	put8(o, 0);
	put16(o, n);
	putn(o, name, n);
}

/* An outer ECH: cipher suite, config id, enc and a made-up payload. */
static void tls_ext_ech(struct rbi_test_buf *o)
{
	size_t at;

	put16(o, TLS_EXT_ECH);
	at = o->len;
	put16(o, 0);
	put8(o, 0);
	put16(o, 0x0001);
	put16(o, 0x0001);
	put8(o, 0x42);
	put16(o, 32);
	fill(o, 32, 1);
	put16(o, 144);
	fill(o, 144, 2);
	patch_len(o, at, 2);
}

static void tls_hello(struct rbi_test_buf *o, const char *name, bool ech)
{
	static const uint8_t suites[] = { 0x13, 0x01, 0x13, 0x02, 0x13, 0x03,
					  0xc0, 0x2f };
	size_t rec, hs, exts, pad;

	put8(o, 22);
	put16(o, 0x0301);
	rec = o->len;
	put16(o, 0);
	put8(o, 1);
	hs = o->len;
	put8(o, 0);
	put16(o, 0);
	put16(o, 0x0303);
	fill(o, 32, 3);
	put8(o, 32);
	fill(o, 32, 4);
	put16(o, sizeof(suites));
	putn(o, suites, sizeof(suites));
	put8(o, 1);
	put8(o, 0);
	exts = o->len;
	put16(o, 0);
	tls_ext_sni(o, name);
	put16(o, TLS_EXT_SUPPORTED_VERSIONS);
	put16(o, 5);
	put8(o, 4);
	put16(o, 0x0304);
	put16(o, 0x0303);
	if (ech)
		tls_ext_ech(o);
	if (o->len + 4 < TLS_HELLO_PADDED) {
		pad = TLS_HELLO_PADDED - o->len - 4;
		put16(o, TLS_EXT_PADDING);
		put16(o, pad);
		while (pad--)
			put8(o, 0);
	}
	patch_len(o, exts, 2);
	patch_len(o, hs, 3);
	patch_len(o, rec, 2);
}

int rbi_test_payload(struct rbi_test_buf *o, const char *kind,
		     const char *arg)
{
	char text[RBI_TEST_PAYLOAD_MAX];

	o->len = 0;
	if (!strcmp(kind, "hello") || !strcmp(kind, "hello-ech")) {
		tls_hello(o, arg, !strcmp(kind, "hello-ech"));
		return 0;
	}
	if (!strcmp(kind, "http"))
		snprintf(text, sizeof(text),
			 "GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: tcpx\r\n\r\n",
			 arg);
	else if (!strcmp(kind, "rtsp"))
		snprintf(text, sizeof(text),
			 "DESCRIBE %s RTSP/1.0\r\nCSeq: 1\r\n\r\n", arg);
	else if (!strcmp(kind, "raw"))
		snprintf(text, sizeof(text), "%s", arg);
	else
		return -1;
	putn(o, text, strlen(text));
	return 0;
}
