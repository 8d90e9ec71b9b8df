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
#include "rbi_vec_hello.h"

static void putn(struct rbi_test_buf *o, const void *p, size_t n)
{
	if (n > sizeof(o->b) - o->len)
		n = sizeof(o->b) - o->len;
	memcpy(o->b + o->len, p, n);
	o->len += n;
}

int rbi_test_payload(struct rbi_test_buf *o, const char *kind,
		     const char *arg)
{
	char text[RBI_TEST_PAYLOAD_MAX];

	o->len = 0;
	if (!strcmp(kind, "hello") || !strcmp(kind, "hello-ech")) {
		struct rbi_vec_hello h = { .sni = arg,
					   .ech = !strcmp(kind, "hello-ech") };

		o->len = rbi_vec_hello_build(&h, o->b, sizeof(o->b));
		return o->len ? 0 : -1;
	}
	if (!strcmp(kind, "http"))
		snprintf(text, sizeof(text),
			 "GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: tcpx\r\n\r\n",
			 arg);
	else if (!strcmp(kind, "connect"))
		snprintf(text, sizeof(text),
			 "CONNECT %s:443 HTTP/1.1\r\nHost: %s:443\r\n\r\n", arg,
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
