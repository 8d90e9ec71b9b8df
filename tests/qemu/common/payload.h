/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef RBI_TEST_PAYLOAD_H
#define RBI_TEST_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

enum {
	RBI_TEST_PAYLOAD_MAX = 4096,
};

struct rbi_test_buf {
	uint8_t b[RBI_TEST_PAYLOAD_MAX];
	size_t len;
};

/*
 * Fills o with a payload of kind: "hello" NAME (a TLS ClientHello with
 * server_name NAME), "hello-ech" NAME (the same with ECH), "http" HOST,
 * "connect" HOST (an HTTP CONNECT to HOST:443), "rtsp" URL or "raw" TEXT.
 * -1 for an unknown kind.
 */
int rbi_test_payload(struct rbi_test_buf *o, const char *kind,
		     const char *arg);

#endif
