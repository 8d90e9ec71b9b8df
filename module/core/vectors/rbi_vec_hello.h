/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ClientHellos as test clients send them: shaped like a browser's (TLS
 * 1.3, padded), naming one server or two, optionally with an
 * encrypted_client_hello extension, cut into TLS records of a chosen
 * size. The inspection vectors and the qemu suite's clients build theirs
 * here, so that both send the same bytes.
 */
#ifndef RBI_VEC_HELLO_H
#define RBI_VEC_HELLO_H

#include "../rbi_compat.h"

enum {
	/* Browsers pad their hellos to about this size, record included. */
	RBI_VEC_HELLO_PADDED = 517,
	RBI_VEC_HELLO_REC_MAX = 16384,
};

struct rbi_vec_hello {
	const char *sni;	/* NULL: no server_name extension */
	const char *sni2;	/* a second host_name in the same list */
	bool ech;		/* an outer encrypted_client_hello */
	size_t size;		/* handshake message bytes; 0: padded */
	size_t rec;		/* bytes per record; 0: as few as fit */
};

/*
 * Writes the hello into out[0..cap) and returns its length in stream bytes
 * (records included), or 0 when it does not fit.
 */
size_t rbi_vec_hello_build(const struct rbi_vec_hello *h, uint8_t *out,
			   size_t cap);

#endif /* RBI_VEC_HELLO_H */
