// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer: the ClientHello parser on a TCP stream, fed as the kernel
 * feeds it (growing prefixes at the points the `need` hint names), and on a
 * bare handshake message as QUIC CRYPTO frames carry it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "rbi_tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rbi_tls_hello h;
	size_t have = len ? 1 : 0, need = 0;
	enum rbi_parse_result r;

	for (;;) {
		r = rbi_tls_parse_client_hello(data, have, &h, &need);
		if (r != RBI_PARSE_NEED_MORE || have == len)
			break;
		/* The parser promised that no shorter stream completes. */
		if (need <= have)
			abort();
		have = need < len ? need : len;
	}
	rbi_tls_parse_handshake(data, len, &h);
	return 0;
}
